// SNS filter policies: attribute mapping, the per-call error wording, limits and scope.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileFilterPolicy,
  InvalidPatternError,
  snsAttributesToEvent,
  snsErrorMessage,
  SNS_FILTER_POLICY_LIMITS,
} from '../../../src/engines/event-pattern/index.js';

function refusal(policy: string | object, scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes'): InvalidPatternError {
  try {
    compileFilterPolicy(policy, scope);
  } catch (e) {
    assert.ok(e instanceof InvalidPatternError);
    return e;
  }
  assert.fail('policy was accepted');
}

test('attributes map as SNS builds them', () => {
  const event = snsAttributesToEvent({
    s: { DataType: 'String', StringValue: 'x' },
    custom: { DataType: 'String.Custom', StringValue: 'y' },
    arr: { Type: 'String.Array', Value: '["a", 1, true, null]' },
    badArr: { Type: 'String.Array', Value: 'not json' },
    n: { Type: 'Number', Value: '3.015e2' },
    nf: { Type: 'Number.float', Value: '1.5' },
    nan: { Type: 'Number', Value: 'abc' },
    bin: { Type: 'Binary', Value: 'AAE=' },
  });
  assert.deepEqual(event, { s: 'x', custom: 'y', arr: ['a', 1, true, null], n: 301.5, nf: 1.5 });
});

test('an attribute named __proto__ is an ordinary field', () => {
  const policy = compileFilterPolicy('{"__proto__": ["x"]}');
  assert.equal(policy.matches({ attributes: JSON.parse('{"__proto__": {"Type": "String", "Value": "x"}}') }), true);
});

test('SNS words the same refusal per call', () => {
  const e = refusal({ store: [] });
  assert.equal(e.awsErrorCode, 'InvalidParameter');
  assert.equal(e.message, 'Invalid parameter: FilterPolicy: Empty arrays are not allowed');
  assert.equal(snsErrorMessage(e, 'SetSubscriptionAttributes'), 'Invalid parameter: FilterPolicy: Empty arrays are not allowed');
  assert.equal(snsErrorMessage(e, 'Subscribe'), 'Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed');
  const nested = refusal({ a: { b: ['c'] } });
  assert.equal(snsErrorMessage(nested, 'Subscribe'), 'Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy');
});

test('the combination count is a product weighted by depth, and $or alternatives add', () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
  // 150 values at depth 1: allowed; 151: refused.
  compileFilterPolicy({ a: values(150) });
  assert.equal(refusal({ a: values(151) }).code, 'too-complex');
  // 5 × 30 = 150 allowed, 5 × 31 refused.
  compileFilterPolicy({ a: values(5), b: values(30) });
  assert.equal(refusal({ a: values(5), b: values(31) }).code, 'too-complex');
  // Body scope: 4 values at depth 3 and 3 at depth 2 give 4·3 × 3·2 = 72.
  compileFilterPolicy({ k: { b: { c: values(4) } }, d: { e: values(3) } }, 'MessageBody');
  // $or alternatives add: 100 + 100 = 200 > 150.
  assert.equal(refusal({ $or: [{ a: values(100) }, { b: values(100) }] }).code, 'too-complex');
  compileFilterPolicy({ $or: [{ a: values(75) }, { b: values(75) }] });
});

test('five keys are allowed, six are not', () => {
  compileFilterPolicy({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'] });
  assert.equal(refusal({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }).code, 'too-many-keys');
});

test('the policy size limit is 256 KB of UTF-8', () => {
  const big = JSON.stringify({ a: ['x'.repeat(SNS_FILTER_POLICY_LIMITS.maxBytes)] });
  assert.equal(refusal(big).code, 'too-long');
});

test('an empty policy lets every message through, in either scope', () => {
  assert.equal(compileFilterPolicy('{}').matches({}), true);
  assert.equal(compileFilterPolicy('{}', 'MessageBody').matches({ body: 'not json' }), false);
  assert.equal(compileFilterPolicy('{}', 'MessageBody').matches({ body: '{"a": 1}' }), true);
});

test('SNS errors carry no Jackson location', () => {
  const e = refusal('{"a": [{"numeric": [">", 0, "<"]}]}');
  assert.equal(e.message, 'Invalid parameter: FilterPolicy: Value of < must be numeric');
  assert.ok(e.location !== undefined, 'the location stays available to callers');
});

test('explain says why a message was filtered out', () => {
  const policy = compileFilterPolicy({ store: ['example_corp'], price: [{ numeric: ['>', 10] }] });
  const why = policy.explain({ attributes: { store: { Type: 'String', Value: 'example_corp' }, price: { Type: 'Number', Value: '5' } } });
  assert.equal(why.matched, false);
  assert.equal(why.field, 'price');
  assert.match(why.reason, /`price` has 5; none matches \[\{"numeric":\[">",10\]\}\]/);
  const body = compileFilterPolicy({ a: ['b'] }, 'MessageBody');
  assert.equal(body.explain({ body: '[1]' }).reason, 'the message body is not a JSON object');
});
