/** Every state type and both query languages, through executions run by the SDK. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDrydock } from '../../helpers.js';
import { run, sfnClient, types } from './helpers.js';

const h = useDrydock();

test('Choice: comparison operators, And/Or/Not, IsPresent and Default', async () => {
  const c = sfnClient(h.dd);
  const def = {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [
          { And: [{ Variable: '$.n', NumericGreaterThan: 10 }, { Not: { Variable: '$.s', StringEquals: 'x' } }], Next: 'Big' },
          { Or: [{ Variable: '$.missing', IsPresent: true }, { Variable: '$.s', StringMatches: 'ab*' }], Next: 'Match' },
          { Variable: '$.t', TimestampLessThanPath: '$.u', Next: 'Earlier' },
        ],
        Default: 'Other',
      },
      Big: { Type: 'Pass', Result: 'big', End: true },
      Match: { Type: 'Pass', Result: 'match', End: true },
      Earlier: { Type: 'Pass', Result: 'earlier', End: true },
      Other: { Type: 'Pass', Result: 'other', End: true },
    },
  };
  const cases: [object, string][] = [
    [{ n: 11, s: 'y' }, 'big'], [{ n: 11, s: 'x', t: '2022-01-01T00:00:00Z', u: '2021-01-01T00:00:00Z' }, 'other'], [{ n: 1, s: 'abcd' }, 'match'],
    [{ n: 1, s: 'z', t: '2020-01-01T00:00:00Z', u: '2021-01-01T00:00:00+01:00' }, 'earlier'],
    [{ n: 1, s: 'z', t: '2022-01-01T00:00:00Z', u: '2021-01-01T00:00:00Z' }, 'other'],
  ];
  for (const [input, want] of cases) {
    const r = await run(c, def, input);
    assert.equal(r.output, JSON.stringify(want), JSON.stringify(input));
  }
});

test('a Choice Variable that is not in the input is States.Runtime', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.nope', StringEquals: 'x', Next: 'X' }], Default: 'X' }, X: { Type: 'Succeed' } } });
  assert.equal(r.error, 'States.Runtime');
});

test('no matching choice without Default fails with States.NoChoiceMatched', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', BooleanEquals: true, Next: 'X' }] }, X: { Type: 'Succeed' } } }, { a: false });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.NoChoiceMatched');
});

test('JSONPath processing: InputPath, Parameters with $$ and intrinsics, ResultSelector, ResultPath, OutputPath', async () => {
  const c = sfnClient(h.dd);
  const def = {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Pass', InputPath: '$.order',
        Parameters: {
          'id.$': '$.id', 'greeting.$': "States.Format('Hello {}, you have {} items', $.name, States.ArrayLength($.items))",
          'state.$': '$$.State.Name', 'parts.$': 'States.ArrayPartition($.items, 2)', 'uniq.$': 'States.ArrayUnique(States.Array(1, 1, 2))',
          'has.$': 'States.ArrayContains($.items, 3)', 'range.$': 'States.ArrayRange(1, 9, 4)', 'item.$': 'States.ArrayGetItem($.items, 1)',
          'b64.$': "States.Base64Encode('hi')", 'dec.$': "States.Base64Decode('aGk=')", 'hash.$': "States.Hash('abc', 'SHA-256')",
          'merged.$': 'States.JsonMerge($.a, $.b, false)', 'json.$': "States.StringToJson('{\"k\":1}')", 'str.$': 'States.JsonToString($.a)',
          'split.$': "States.StringSplit('a,b;c', ',;')", 'sum.$': 'States.MathAdd(40, 2)',
        },
        ResultPath: '$.result', OutputPath: '$.result', Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  };
  const r = await run(c, def, { order: { id: 7, name: 'Ann', items: [1, 2, 3], a: { x: 1 }, b: { y: 2 } } });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  assert.deepEqual(JSON.parse(r.output!), {
    id: 7, greeting: 'Hello Ann, you have 3 items', state: 'P', parts: [[1, 2], [3]], uniq: [1, 2], has: true, range: [1, 5, 9], item: 2,
    b64: 'aGk=', dec: 'hi', hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', merged: { x: 1, y: 2 }, json: { k: 1 },
    str: '{"x":1}', split: ['a', 'b', 'c'], sum: 42,
  });
});

test('a missing path is States.Runtime with AWS cause', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, { StartAt: 'pass', States: { pass: { Type: 'Pass', InputPath: '$.NoSuchInputPath', End: true } } }, { a: 1 });
  assert.equal(r.error, 'States.Runtime');
  assert.equal(r.cause, "An error occurred while executing the state 'pass' (entered at the event id #2). Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
  const p = await run(c, { StartAt: 'pass', States: { pass: { Type: 'Pass', Parameters: { 'value.$': '$.no_such_jsonpath' }, End: true } } }, { a: 1 });
  assert.equal(p.cause, "An error occurred while executing the state 'pass' (entered at the event id #2). The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"a\":1}'");
});

test('Parallel runs every branch and collects their outputs', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, {
    StartAt: 'Par',
    States: {
      Par: {
        Type: 'Parallel', End: true, ResultSelector: { 'first.$': '$[0]', 'second.$': '$[1]' },
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', Result: 1, End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Pass', InputPath: '$.v', End: true } } },
        ],
      },
    },
  }, { v: 'x' });
  assert.equal(r.output, '{"first":1,"second":"x"}');
  const t = types(r.events);
  assert.deepEqual([t[1], t[2], t.at(-3), t.at(-2)], ['ParallelStateEntered', 'ParallelStateStarted', 'ParallelStateSucceeded', 'ParallelStateExited']);
});

test('a failing branch fails the Parallel, which Catch can route', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, {
    StartAt: 'Par',
    States: {
      Par: {
        Type: 'Parallel', Next: 'Ok', Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.err', Next: 'Handled' }],
        Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'bad' } } }, { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
      },
      Ok: { Type: 'Succeed' },
      Handled: { Type: 'Pass', End: true },
    },
  }, { k: 1 });
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(r.output!), { k: 1, err: { Error: 'Boom', Cause: 'bad' } });
  assert.ok(types(r.events).includes('ParallelStateFailed'));
});

test('Map: ItemsPath, ItemSelector with $$.Map.Item, MaxConcurrency', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1, ResultPath: '$.out', End: true,
        ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'tag.$': '$.tag' },
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      },
    },
  }, { tag: 't', items: ['a', 'b', 'c'] });
  assert.deepEqual(JSON.parse(r.output!).out, [{ i: 0, v: 'a', tag: 't' }, { i: 1, v: 'b', tag: 't' }, { i: 2, v: 'c', tag: 't' }]);
  const started = r.events.find((e) => e.type === 'MapStateStarted');
  assert.deepEqual(started!.mapStateStartedEventDetails, { length: 3 });
  assert.equal(r.events.filter((e) => e.type === 'MapIterationSucceeded').length, 3);
});

test('Map over a non-array fails with AWS cause', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } }, { a: 1 });
  assert.equal(r.error, 'States.Runtime');
  assert.match(r.cause!, /Map state input must be an array but was: \{"a":1\}$/);
});

test('JSONata: Arguments, Output, Assign and variables, $states', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, {
    QueryLanguage: 'JSONata',
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Assign: { total: '{% $sum($states.input.prices) %}', who: '{% $states.input.user %}' }, Output: '{% $states.input.prices %}', Next: 'B' },
      B: {
        Type: 'Choice',
        Choices: [{ Condition: '{% $total > 10 %}', Next: 'Big', Assign: { label: 'big' } }],
        Default: 'Small',
      },
      Big: { Type: 'Pass', Output: { user: '{% $who %}', total: '{% $total %}', label: '{% $label %}', count: '{% $count($states.input) %}', state: '{% $states.context.State.Name %}' }, End: true },
      Small: { Type: 'Pass', End: true },
    },
  }, { prices: [5, 7], user: 'ann' });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  assert.deepEqual(JSON.parse(r.output!), { user: 'ann', total: 12, label: 'big', count: 2, state: 'Big' });
});

test('JSONata errors are States.QueryEvaluationError with an EvaluationFailed event', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, { QueryLanguage: 'JSONata', StartAt: 'State0', States: { State0: { Type: 'Pass', Output: { result: '{% $doesNotExist %}' }, End: true } } });
  assert.equal(r.error, 'States.QueryEvaluationError');
  assert.equal(r.cause, "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).");
  const ev = r.events.find((e) => e.type === 'EvaluationFailed');
  assert.equal(ev?.evaluationFailedEventDetails?.location, 'Output/result');
  assert.equal(ev?.evaluationFailedEventDetails?.state, 'State0');
});

test('JSONPath variables: Assign and $name references', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, {
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Assign: { 'who.$': '$.user', fixed: 5 }, Next: 'B' },
      B: { Type: 'Pass', Parameters: { 'u.$': '$who', 'f.$': '$fixed' }, End: true },
    },
  }, { user: 'bo' });
  assert.equal(r.output, '{"u":"bo","f":5}');
});

test('Wait with SecondsPath rejects a negative value', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, { StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', SecondsPath: '$.input.waitSeconds', End: true } } }, { input: { waitSeconds: -1 } });
  assert.equal(r.error, 'States.Runtime');
  assert.equal(r.cause, "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter references a negative value: $.input.waitSeconds == -1");
});
