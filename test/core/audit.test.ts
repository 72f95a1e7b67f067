import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock } from '../../src/core/clock.js';
import { AuditLog, type AuditInput } from '../../src/core/audit.js';

const setup = (maxPerAccount?: number) => {
  const clock = new Clock({ start: '2024-05-01T12:00:00Z', frozen: true });
  return { clock, log: new AuditLog(clock, { maxPerAccount }) };
};
let n = 0;
const input = (over: Partial<AuditInput> = {}): AuditInput => ({
  account: '111111111111',
  region: 'us-east-1',
  service: 'sts',
  eventSource: 'sts.amazonaws.com',
  action: 'GetCallerIdentity',
  principalArn: 'arn:aws:iam::111111111111:root',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  sourceIp: '127.0.0.1',
  requestId: `req-${++n}`,
  readOnly: true,
  ...over,
});

test('record fills eventId and eventTime from the clock and keeps the fields', () => {
  const { log } = setup();
  const r = log.record(input({ resources: ['arn:aws:s3:::b'], errorCode: 'AccessDenied', errorMessage: 'no' }));
  assert.match(r.eventId, /^[0-9a-f-]{36}$/);
  assert.equal(r.eventTime, '2024-05-01T12:00:00.000Z');
  assert.equal(r.eventSource, 'sts.amazonaws.com');
  assert.deepEqual(r.resources, ['arn:aws:s3:::b']);
  assert.equal(r.errorCode, 'AccessDenied');
  assert.equal(log.get(r.requestId), r);
  assert.equal(log.get('unknown'), undefined);
});

test('records are frozen, so readers cannot rewrite history', () => {
  const { log } = setup();
  const resources = ['arn:aws:s3:::b'];
  const r = log.record(input({ resources }));
  resources.push('changed');
  assert.deepEqual(r.resources, ['arn:aws:s3:::b']);
  assert.throws(() => ((r as { action: string }).action = 'x'), TypeError);
});

test('list is newest first, filters, and limits', () => {
  const { clock, log } = setup();
  log.record(input({ action: 'A' }));
  clock.advance(60);
  log.record(input({ action: 'B', service: 'sqs', region: 'eu-west-1' }));
  clock.advance(60);
  log.record(input({ action: 'C', account: '222222222222' }));
  assert.deepEqual(log.list().map((r) => r.action), ['C', 'B', 'A']);
  assert.deepEqual(log.list({ account: '111111111111' }).map((r) => r.action), ['B', 'A']);
  assert.deepEqual(log.list({ service: 'sqs' }).map((r) => r.action), ['B']);
  assert.deepEqual(log.list({ region: 'us-east-1' }).map((r) => r.action), ['C', 'A']);
  assert.deepEqual(log.list({ action: 'A' }).map((r) => r.action), ['A']);
  assert.deepEqual(log.list({ since: '2024-05-01T12:01:00Z' }).map((r) => r.action), ['C', 'B']);
  assert.deepEqual(log.list({ until: new Date('2024-05-01T12:01:00Z') }).map((r) => r.action), ['A']);
  assert.deepEqual(log.list({ limit: 2 }).map((r) => r.action), ['C', 'B']);
  assert.deepEqual(log.list({ account: 'nobody' }), []);
});

test('each account keeps only its newest records, and evicted ones leave get()', () => {
  const { log } = setup(3);
  const first = log.record(input({ action: 'a0' }));
  for (let i = 1; i < 5; i++) log.record(input({ action: `a${i}` }));
  log.record(input({ account: '222222222222', action: 'other' }));
  assert.deepEqual(log.list({ account: '111111111111' }).map((r) => r.action), ['a4', 'a3', 'a2']);
  assert.deepEqual(log.list({ account: '222222222222' }).map((r) => r.action), ['other']);
  assert.equal(log.get(first.requestId), undefined);
});

test('the default bound is 10,000 per account', () => {
  const { log } = setup();
  for (let i = 0; i < 10_050; i++) log.record(input());
  assert.equal(log.list().length, 10_000);
});

test('reset empties the log', () => {
  const { log } = setup();
  const r = log.record(input());
  log.reset();
  assert.deepEqual(log.list(), []);
  assert.equal(log.get(r.requestId), undefined);
});

test('request ids come back exactly as given: UUIDs (kept as numbers) and look-alikes that are not', () => {
  const { log } = setup();
  const ids = [
    '0f8e2a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b', // a UUID, stored as four words
    '0F8E2A4C-1B3D-4E5F-8A7B-9C0D1E2F3A4B', // upper case: kept as text
    '0f8e2a4c_1b3d-4e5f-8a7b-9c0d1e2f3a4b', // a dash missing
    '0f8e2a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4g', // not hex
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ];
  for (const requestId of ids) log.note(input({ requestId, eventId: requestId }));
  for (const requestId of ids) assert.equal(log.get(requestId)?.requestId, requestId);
  assert.equal(log.get('0f8e2a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4c'), undefined);
  assert.deepEqual(log.list().map((r) => r.requestId).reverse(), ids);
});
