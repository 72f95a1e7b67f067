/** The interpreter on a fake host: retries and timeouts on the clock, data flow, Map failure, stopping. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatesError } from '../../../src/engines/states/json.js';
import { retryDelayMs, errorMatches } from '../../../src/engines/states/retry.js';
import { execute, FakeHost } from './fake-host.js';

const task = (extra: object = {}) => ({ Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:listQueues', End: true, ...extra });

test('retry delays grow by BackoffRate, are capped by MaxDelaySeconds and drawn below it with FULL jitter', () => {
  const r = { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 10 };
  assert.deepEqual([0, 1, 2, 3, 4].map((n) => retryDelayMs(r, n, () => 0.5)), [2000, 6000, 10000, 10000, undefined]);
  assert.equal(retryDelayMs({ ...r, JitterStrategy: 'FULL' }, 1, () => 0.25), 1500);
  assert.equal(retryDelayMs({ ErrorEquals: ['X'], MaxAttempts: 0 }, 0, () => 0), undefined);
});

test('States.ALL and States.TaskFailed do not match terminal errors; TaskFailed does not match a timeout', () => {
  assert.equal(errorMatches(['States.ALL'], 'States.Runtime'), false);
  assert.equal(errorMatches(['States.ALL'], 'States.Timeout'), true);
  assert.equal(errorMatches(['States.TaskFailed'], 'States.Timeout'), false);
  assert.equal(errorMatches(['States.TaskFailed'], 'Lambda.ServiceException'), true);
});

test('a task retried on the clock: attempts, waits and RetryCount in the context object', async () => {
  const host = new FakeHost();
  const seen: { at: number; retry: unknown }[] = [];
  host.handler = async (req) => {
    seen.push({ at: host.now(), retry: (req.context['State'] as { RetryCount: number }).RetryCount });
    if (seen.length < 3) throw new StatesError('Transient', 'try again');
    return { ok: true };
  };
  const r = await execute({ StartAt: 'T', States: { T: task({ Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 5, BackoffRate: 2 }] }) } }, {}, host);
  assert.equal(r.status, 'SUCCEEDED');
  const t0 = seen[0]!.at;
  assert.deepEqual(seen.map((s) => [s.at - t0, s.retry]), [[0, 0], [5000, 1], [15000, 2]]);
  assert.equal(r.history.events.filter((e) => e.type === 'TaskFailed').length, 2);
});

test('TimeoutSeconds fails a task that does not answer with States.Timeout', async () => {
  const host = new FakeHost();
  host.handler = () => new Promise(() => {});
  const r = await execute({ StartAt: 'T', States: { T: task({ TimeoutSeconds: 30 }) } }, {}, host);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.Timeout');
  assert.ok(r.history.events.some((e) => e.type === 'TaskTimedOut'));
});

test('the execution TimeoutSeconds ends a long Wait with ExecutionTimedOut', async () => {
  const r = await execute({ TimeoutSeconds: 60, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
  assert.equal(r.status, 'TIMED_OUT');
  assert.equal(r.history.events.at(-1)!.type, 'ExecutionTimedOut');
});

test('a failing Map iteration fails the Map; Catch with ResultPath keeps the input', async () => {
  const r = await execute({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map', ItemsPath: '$.xs', Catch: [{ ErrorEquals: ['Odd'], ResultPath: '$.err', Next: 'After' }], End: true,
        ItemProcessor: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 3, Next: 'F' }], Default: 'P' }, F: { Type: 'Fail', Error: 'Odd', Cause: 'three' }, P: { Type: 'Pass', End: true } } },
      },
      After: { Type: 'Pass', End: true },
    },
  }, { xs: [1, 2, 3] });
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { xs: [1, 2, 3], err: { Error: 'Odd', Cause: 'three' } });
  const types = r.history.events.map((e) => e.type);
  assert.ok(types.includes('MapIterationFailed') && types.includes('MapStateFailed') && types.includes('MapStateExited'));
});

test('Parallel branch failure cancels a waiting sibling', async () => {
  const r = await execute({
    StartAt: 'P',
    States: { P: { Type: 'Parallel', End: true, Branches: [
      { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10000, End: true } } },
      { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } },
    ] } },
  });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'E');
  assert.equal(r.host.pending, 0);
});

test('JSONata Map with Items and ItemSelector over $states.context.Map.Item', async () => {
  const r = await execute({
    QueryLanguage: 'JSONata', StartAt: 'M',
    States: { M: { Type: 'Map', Items: '{% $states.input.xs %}', ItemSelector: { v: '{% $states.context.Map.Item.Value * 10 %}', i: '{% $states.context.Map.Item.Index %}' }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
  }, { xs: [1, 2] });
  assert.deepEqual(r.output, [{ v: 10, i: 0 }, { v: 20, i: 1 }]);
});
