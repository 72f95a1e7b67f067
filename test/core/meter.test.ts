import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock } from '../../src/core/clock.js';
import { Meter, type UsageRecord } from '../../src/core/meter.js';

const setup = () => {
  const clock = new Clock({ start: '2024-03-01T10:15:00Z', frozen: true });
  return { clock, meter: new Meter(clock) };
};
const req: UsageRecord = {
  account: '111111111111',
  region: 'us-east-1',
  service: 'sqs',
  usageType: 'USE1-Requests-Tier1',
  operation: 'SendMessage',
  resourceId: 'arn:aws:sqs:us-east-1:111111111111:q',
  quantity: 1,
  unit: 'Requests',
};

test('records in the same hour and dimensions add up', () => {
  const { clock, meter } = setup();
  meter.record(req);
  clock.advance(30 * 60);
  meter.record({ ...req, quantity: 2 });
  assert.deepEqual(meter.usage(), [
    {
      hourStart: '2024-03-01T10:00:00.000Z',
      account: '111111111111',
      region: 'us-east-1',
      service: 'sqs',
      usageType: 'USE1-Requests-Tier1',
      operation: 'SendMessage',
      resourceId: 'arn:aws:sqs:us-east-1:111111111111:q',
      unit: 'Requests',
      quantity: 3,
      records: 2,
    },
  ]);
});

test('a new clock hour starts a new row; rows come back in hour order', () => {
  const { clock, meter } = setup();
  meter.record(req);
  clock.advance(45 * 60);
  meter.record(req);
  clock.set('2024-03-01T08:59:59Z');
  meter.record(req);
  assert.deepEqual(
    meter.usage().map((r) => [r.hourStart, r.quantity]),
    [
      ['2024-03-01T08:00:00.000Z', 1],
      ['2024-03-01T10:00:00.000Z', 1],
      ['2024-03-01T11:00:00.000Z', 1],
    ],
  );
});

test('each dimension separates rows; missing operation and resource are empty strings', () => {
  const { meter } = setup();
  meter.record(req);
  meter.record({ ...req, account: '222222222222' });
  meter.record({ ...req, region: 'eu-west-1' });
  meter.record({ ...req, operation: 'ReceiveMessage' });
  meter.record({ ...req, resourceId: 'other' });
  meter.record({ ...req, usageType: 'Other' });
  meter.record({ ...req, unit: 'Other' });
  meter.record({ account: 'a', region: 'r', service: 'ec2', usageType: 'BoxUsage:t3.micro', quantity: 1, unit: 'Hrs' });
  const rows = meter.usage();
  assert.equal(rows.length, 8);
  assert.equal(rows[7]!.operation, '');
  assert.equal(rows[7]!.resourceId, '');
});

test('usage filters by dimension and by hour range', () => {
  const { clock, meter } = setup();
  meter.record(req);
  meter.record({ ...req, service: 's3', usageType: 'Requests-Tier2', quantity: 5 });
  clock.advance(3600);
  meter.record({ ...req, quantity: 7 });
  assert.deepEqual(meter.usage({ service: 's3' }).map((r) => r.quantity), [5]);
  assert.deepEqual(meter.usage({ service: 'sqs', from: '2024-03-01T11:00:00Z' }).map((r) => r.quantity), [7]);
  assert.deepEqual(meter.usage({ to: new Date('2024-03-01T11:00:00Z') }).map((r) => r.quantity), [1, 5]);
  assert.deepEqual(meter.usage({ account: 'nobody' }), []);
});

test('usage returns copies; reset empties', () => {
  const { meter } = setup();
  meter.record(req);
  meter.usage()[0]!.quantity = 100;
  assert.equal(meter.usage()[0]!.quantity, 1);
  meter.reset();
  assert.deepEqual(meter.usage(), []);
});

test('fractional quantities sum; bad quantities are refused', () => {
  const { meter } = setup();
  meter.record({ ...req, quantity: 0.25, unit: 'GB-Seconds' });
  meter.record({ ...req, quantity: 0.5, unit: 'GB-Seconds' });
  assert.equal(meter.usage()[0]!.quantity, 0.75);
  assert.throws(() => meter.record({ ...req, quantity: -1 }), RangeError);
  assert.throws(() => meter.record({ ...req, quantity: NaN }), RangeError);
});

test('runs of one usage and interleaved usages each land in their own row, across an hour boundary and a reset', () => {
  const { clock, meter } = setup();
  const other = { ...req, resourceId: 'arn:aws:sqs:us-east-1:111111111111:other' };
  for (const r of [req, req, other, req, other, other]) meter.record(r);
  clock.advance(60 * 60);
  meter.record(req);
  meter.record({ ...req, unit: 'Count' });
  const rows = meter.usage().map((r) => [r.hourStart.slice(11, 13), r.resourceId.split(':').pop(), r.unit, r.quantity, r.records]);
  assert.deepEqual(rows, [['10', 'q', 'Requests', 3, 3], ['10', 'other', 'Requests', 3, 3], ['11', 'q', 'Requests', 1, 1], ['11', 'q', 'Count', 1, 1]]);
  meter.reset();
  meter.record(req);
  assert.deepEqual(meter.usage().map((r) => r.quantity), [1]);
});
