import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExplanationLog } from '../../src/gateway/explanations.js';

const decision = (requestId: string, action: string, worded: { n: number }) => ({
  requestId, action, principal: 'arn:aws:iam::000000000000:root', decision: 'Allow' as const,
  lines: () => { worded.n++; return [`allowed ${action}`]; },
});

test('the log keeps the last `limit` requests, words decisions only when read, newest first', () => {
  const worded = { n: 0 };
  const log = new ExplanationLog(3);
  for (let i = 1; i <= 5; i++) log.record(decision(`r${i}`, `svc:Op${i}`, worded));
  // A request with two decisions (a call on two resources) keeps both, in order.
  log.record(decision('r5', 'svc:Second', worded));
  assert.equal(worded.n, 0);
  assert.equal(log.get('r1'), undefined);
  assert.equal(log.get('r2'), undefined);
  assert.deepEqual(log.get('r5')!.map((e) => e.action), ['svc:Op5', 'svc:Second']);
  assert.deepEqual(log.get('r3')![0]!.lines, ['allowed svc:Op3']);
  assert.deepEqual(log.latest(10).map((e) => e.action), ['svc:Second', 'svc:Op5', 'svc:Op4', 'svc:Op3']);
  assert.deepEqual(log.latest(2).map((e) => e.action), ['svc:Second', 'svc:Op5']);
  log.record(decision('r6', 'svc:Op6', worded));
  assert.equal(log.get('r3'), undefined);
  log.clear();
  assert.deepEqual(log.latest(10), []);
  log.record(decision('r7', 'svc:Op7', worded));
  assert.deepEqual(log.latest(10).map((e) => e.action), ['svc:Op7']);
});

test('refusals outlive allowed decisions: only the last `allowedLimit` requests keep their allowed ones', () => {
  const worded = { n: 0 };
  const log = new ExplanationLog(4, 2);
  log.record({ ...decision('d1', 'svc:Denied', worded), decision: 'ExplicitDeny' });
  for (let i = 1; i <= 3; i++) log.record(decision(`a${i}`, `svc:Allowed${i}`, worded));
  // A call allowed on its first resource and refused on its second keeps both, in order.
  log.record(decision('m1', 'svc:First', worded));
  log.record({ ...decision('m1', 'svc:Second', worded), decision: 'ImplicitDeny' });
  assert.equal(log.get('a1'), undefined);
  assert.equal(log.get('a2'), undefined);
  assert.deepEqual(log.get('d1')!.map((e) => e.decision), ['ExplicitDeny']);
  assert.deepEqual(log.get('m1')!.map((e) => e.action), ['svc:First', 'svc:Second']);
  assert.deepEqual(log.latest(10).map((e) => e.action), ['svc:Second', 'svc:First', 'svc:Allowed3', 'svc:Denied']);
  assert.equal(worded.n, 7);
});
