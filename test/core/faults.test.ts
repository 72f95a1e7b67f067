import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock } from '../../src/core/clock.js';
import { FaultRegistry, FaultSpecError } from '../../src/core/faults.js';

const frozen = () => new Clock({ start: '2024-01-01T00:00:00Z', frozen: true });
const req = { service: 'sqs', region: 'us-east-1', operation: 'SendMessage' };

test('no faults, no effect', () => {
  assert.equal(new FaultRegistry(frozen()).check(req), undefined);
});

test('add assigns ids; list, remove and clear manage them', () => {
  const f = new FaultRegistry(frozen());
  const a = f.add({ type: 'latency', ms: 100 });
  const b = f.add({ type: 'dx-link-down', connectionId: 'dxcon-abc' });
  assert.notEqual(a.id, b.id);
  assert.deepEqual(f.list().map((x) => x.id), [a.id, b.id]);
  assert.equal(f.remove(a.id), true);
  assert.equal(f.remove(a.id), false);
  assert.deepEqual(f.list().map((x) => x.id), [b.id]);
  f.clear();
  assert.deepEqual(f.list(), []);
});

test('a region outage makes requests to that region unreachable, optionally per service', () => {
  const f = new FaultRegistry(frozen());
  const all = f.add({ type: 'region-outage', region: 'us-east-1' });
  const e = f.check(req);
  assert.equal(e?.unavailable?.faultId, all.id);
  assert.match(e!.unavailable!.reason, /us-east-1/);
  assert.equal(f.check({ ...req, region: 'us-west-2' }), undefined);
  assert.equal(f.regionDown('us-east-1'), true);
  f.clear();
  f.add({ type: 'region-outage', region: 'eu-west-1', services: ['s3', 'dynamodb'] });
  assert.ok(f.check({ service: 's3', region: 'eu-west-1' })?.unavailable);
  assert.equal(f.check({ service: 'sqs', region: 'eu-west-1' }), undefined);
  assert.equal(f.regionDown('eu-west-1', 'sqs'), false);
  assert.equal(f.regionDown('eu-west-1', 's3'), true);
});

test('an AZ outage is visible to engines and to requests that name the AZ', () => {
  const f = new FaultRegistry(frozen());
  f.add({ type: 'az-outage', region: 'us-east-1', az: 'us-east-1a' });
  assert.equal(f.azDown('us-east-1', 'us-east-1a'), true);
  assert.equal(f.azDown('us-east-1', 'us-east-1b'), false);
  assert.equal(f.check(req), undefined);
  assert.ok(f.check({ ...req, az: 'us-east-1a' })?.unavailable);
});

test('a DX link down is visible through linkDown only', () => {
  const f = new FaultRegistry(frozen());
  f.add({ type: 'dx-link-down', connectionId: 'dxcon-fgq9rgot' });
  assert.equal(f.linkDown('dxcon-fgq9rgot'), true);
  assert.equal(f.linkDown('dxcon-other'), false);
  assert.equal(f.check(req), undefined);
});

test('latency faults match by service, region and operation and add up', () => {
  const f = new FaultRegistry(frozen());
  f.add({ type: 'latency', ms: 100 });
  f.add({ type: 'latency', ms: 50, service: 'sqs', operation: 'SendMessage' });
  f.add({ type: 'latency', ms: 1000, region: 'eu-west-1' });
  assert.deepEqual(f.check(req), { latencyMs: 150 });
  assert.deepEqual(f.check({ ...req, operation: 'ReceiveMessage' }), { latencyMs: 100 });
  assert.deepEqual(f.check({ service: 's3', region: 'eu-west-1' }), { latencyMs: 1100 });
});

test('error rate 1 always fails, 0 never, with AWS-like defaults per code', () => {
  const f = new FaultRegistry(frozen(), { seed: 1 });
  const never = f.add({ type: 'error-rate', rate: 0 });
  assert.equal(f.check(req), undefined);
  f.remove(never.id);
  const always = f.add({ type: 'error-rate', rate: 1, service: 'sqs' });
  assert.deepEqual(f.check(req), {
    error: {
      code: 'ServiceUnavailable',
      status: 503,
      message: 'The request has failed due to a temporary failure of the server.',
      faultId: always.id,
    },
  });
  assert.equal(f.check({ ...req, service: 's3' }), undefined);
  f.clear();
  assert.equal(f.add({ type: 'error-rate', rate: 1, code: 'ThrottlingException' }).type, 'error-rate');
  assert.deepEqual(f.check(req)?.error, { code: 'ThrottlingException', status: 400, message: 'Rate exceeded', faultId: 'fault-3' });
  f.clear();
  f.add({ type: 'error-rate', rate: 1, code: 'InternalFailure' });
  assert.equal(f.check(req)?.error?.status, 500);
  f.clear();
  f.add({ type: 'error-rate', rate: 1, code: 'SlowDown', status: 503, message: 'Please reduce your request rate.' });
  assert.deepEqual(f.check(req)?.error?.message, 'Please reduce your request rate.');
});

test('error-rate draws are seeded: same seed, same failures, at about the rate', () => {
  const run = (seed: number) => {
    const f = new FaultRegistry(frozen(), { seed });
    f.add({ type: 'error-rate', rate: 0.3 });
    return Array.from({ length: 2000 }, () => (f.check(req)?.error ? 1 : 0));
  };
  const a = run(42);
  assert.deepEqual(run(42), a);
  assert.notDeepEqual(run(43), a);
  const failures = a.reduce((s: number, x) => s + x, 0);
  assert.ok(failures > 500 && failures < 700, `${failures} failures of 2000 at rate 0.3`);
});

test('an outage wins over an error rate and keeps latency', () => {
  const f = new FaultRegistry(frozen(), { random: () => 0 });
  f.add({ type: 'error-rate', rate: 1 });
  f.add({ type: 'latency', ms: 20 });
  f.add({ type: 'region-outage', region: 'us-east-1' });
  const e = f.check(req)!;
  assert.equal(e.error, undefined);
  assert.ok(e.unavailable);
  assert.equal(e.latencyMs, 20);
});

test('a fault with until ends when the clock passes it', () => {
  const clock = frozen();
  const f = new FaultRegistry(clock);
  f.add({ type: 'region-outage', region: 'us-east-1', until: '2024-01-01T00:10:00Z' });
  f.add({ type: 'latency', ms: 5 });
  assert.ok(f.check(req)?.unavailable);
  clock.advance(599);
  assert.equal(f.regionDown('us-east-1'), true);
  clock.advance(1);
  assert.equal(f.regionDown('us-east-1'), false);
  assert.deepEqual(f.check(req), { latencyMs: 5 });
  assert.equal(f.list().length, 1);
});

test('invalid specs are refused with a readable FaultSpecError', () => {
  const f = new FaultRegistry(frozen());
  const cases: [unknown, RegExp][] = [
    [null, /must be a JSON object/],
    [{ type: 'meteor' }, /`type` must be one of .*`region-outage`.*got `meteor`/],
    [{ type: 'region-outage' }, /needs `region`/],
    [{ type: 'region-outage', region: 'Mars' }, /`region` must be a region name .* got `Mars`/],
    [{ type: 'region-outage', region: 'us-east-1', services: [] }, /`services` must be a non-empty list/],
    [{ type: 'latency', ms: -1 }, /`ms` must be .* got `-1`/],
    [{ type: 'latency', ms: 10, regoin: 'us-east-1' }, /unknown field `regoin` for a `latency` fault/],
    [{ type: 'error-rate', rate: 1.5 }, /`rate` must be a number from 0 to 1, got `1.5`/],
    [{ type: 'error-rate', rate: 0.5, status: 200 }, /`status` must be an HTTP status/],
    [{ type: 'error-rate', rate: 0.5, code: 'no spaces allowed' }, /`code` must be an AWS error code/],
    [{ type: 'az-outage', region: 'us-east-1' }, /needs `az`/],
    [{ type: 'dx-link-down', connectionId: '' }, /`connectionId` must be a non-empty string/],
    [{ type: 'latency', ms: 1, until: 'tomorrow' }, /`until` must be an ISO-8601 time, got `tomorrow`/],
  ];
  for (const [spec, message] of cases) {
    assert.throws(() => f.add(spec), (err: unknown) => {
      assert.ok(err instanceof FaultSpecError, `${JSON.stringify(spec)} threw ${String(err)}`);
      assert.match(err.message, message);
      return true;
    });
  }
  assert.deepEqual(f.list(), []);
});

test('list returns copies, so callers cannot change active faults', () => {
  const f = new FaultRegistry(frozen());
  f.add({ type: 'latency', ms: 10 });
  const [copy] = f.list();
  (copy as { ms: number }).ms = 9999;
  assert.deepEqual(f.check(req), { latencyMs: 10 });
});
