/** Spot: prices on the clock, requests fulfilled after evaluation, spot launches through RunInstances, cancel and terminate. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelSpotInstanceRequestsCommand, DescribeInstancesCommand, DescribeSpotInstanceRequestsCommand, DescribeSpotPriceHistoryCommand,
  RequestSpotInstancesCommand, StopInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { failure, useDrydock } from '../../helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';
import { al2023, runOne } from './instances-helpers.js';

const h = useDrydock();

test('DescribeSpotPriceHistory: one price per type, zone and product now; hourly changes over a window; below on-demand', async () => {
  const c = ec2Client(h.dd);
  const now = await c.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['m5.large'], ProductDescriptions: ['Linux/UNIX'] }));
  const rows = now.SpotPriceHistory!;
  assert.deepEqual(rows.map((r) => r.AvailabilityZone), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
  for (const r of rows) assert.ok(Number(r.SpotPrice) > 0.02 && Number(r.SpotPrice) < 0.096, `${r.SpotPrice} is a discount on $0.096`);
  assert.ok(new Set(rows.map((r) => r.SpotPrice)).size > 1, 'zones differ');
  const t = h.dd.app.clock.nowMs();
  const day = await c.send(new DescribeSpotPriceHistoryCommand({
    InstanceTypes: ['t3.micro'], AvailabilityZone: 'us-east-1a', ProductDescriptions: ['Linux/UNIX'], StartTime: new Date(t - 6 * 3_600_000), EndTime: new Date(t),
  }));
  assert.equal(day.SpotPriceHistory!.length, 7);
  const windows = await c.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['t3.micro'], AvailabilityZone: 'us-east-1a', ProductDescriptions: ['Windows'] }));
  assert.ok(Number(windows.SpotPriceHistory![0]!.SpotPrice) > Number(day.SpotPriceHistory![0]!.SpotPrice));
  h.dd.app.clock.advance(3600);
  const later = await c.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['t3.micro'], AvailabilityZone: 'us-east-1a', ProductDescriptions: ['Linux/UNIX'] }));
  assert.ok(later.SpotPriceHistory![0]!.Timestamp!.getTime() > day.SpotPriceHistory![0]!.Timestamp!.getTime(), 'the price in force moves with the clock');
});

test('RequestSpotInstances: open and pending-evaluation, then active and fulfilled with a spot instance; too-low prices wait; cancel leaves the instance running', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.90.0.0/16', ['10.90.1.0/24']);
  const spec = { ImageId: await al2023(c), InstanceType: 'c6i.large' as const, SubnetId: v.subnetIds[0] };
  const req = (await c.send(new RequestSpotInstancesCommand({
    InstanceCount: 1, LaunchSpecification: spec, TagSpecifications: [{ ResourceType: 'spot-instances-request', Tags: [{ Key: 'job', Value: 'batch' }] }],
  }))).SpotInstanceRequests![0]!;
  assert.deepEqual([req.State, req.Status!.Code, req.Type], ['open', 'pending-evaluation', 'one-time']);
  assert.match(req.SpotInstanceRequestId!, /^sir-[0-9a-f]{8}$/);
  const cheap = (await c.send(new RequestSpotInstancesCommand({ SpotPrice: '0.001', LaunchSpecification: spec }))).SpotInstanceRequests![0]!;
  h.dd.app.clock.advance(3);
  const [done, waiting] = (await c.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [req.SpotInstanceRequestId!, cheap.SpotInstanceRequestId!] }))).SpotInstanceRequests!;
  assert.deepEqual([done!.State, done!.Status!.Code, done!.Tags], ['active', 'fulfilled', [{ Key: 'job', Value: 'batch' }]]);
  assert.deepEqual([waiting!.State, waiting!.Status!.Code], ['open', 'price-too-low']);
  const inst = (await c.send(new DescribeInstancesCommand({ InstanceIds: [done!.InstanceId!] }))).Reservations![0]!.Instances![0]!;
  assert.deepEqual([inst.InstanceLifecycle, inst.SpotInstanceRequestId, inst.InstanceType], ['spot', req.SpotInstanceRequestId, 'c6i.large']);
  h.dd.app.clock.advance(6);
  const stop = await failure(() => c.send(new StopInstancesCommand({ InstanceIds: [inst.InstanceId!] })));
  assert.equal(stop.name, 'UnsupportedOperation');

  const cancelled = (await c.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [req.SpotInstanceRequestId!, cheap.SpotInstanceRequestId!] }))).CancelledSpotInstanceRequests!;
  assert.deepEqual(cancelled.map((x) => x.State), ['cancelled', 'cancelled']);
  const after = (await c.send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'state', Values: ['cancelled'] }] }))).SpotInstanceRequests!;
  assert.deepEqual(after.map((x) => x.Status!.Code).sort(), ['canceled-before-fulfillment', 'request-canceled-and-instance-running']);
  h.dd.app.clock.advance(3);
  const still = (await c.send(new DescribeInstancesCommand({ InstanceIds: [inst.InstanceId!] }))).Reservations![0]!.Instances![0]!;
  assert.equal(still.State!.Name, 'running');
  const missing = await failure(() => c.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ['sir-00000000'] })));
  assert.equal(missing.name, 'InvalidSpotInstanceRequestID.NotFound');
});

test('RunInstances with a spot market: a spot instance with its one-time request; terminating closes the request; a max price below the market is refused', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.91.0.0/16', ['10.91.1.0/24']);
  const spot = await runOne(c, v.subnetIds[0]!, { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: '0.0104' } } });
  assert.equal(spot.InstanceLifecycle, 'spot');
  const sir = spot.SpotInstanceRequestId!;
  const r = (await c.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [sir] }))).SpotInstanceRequests![0]!;
  assert.deepEqual([r.State, r.Status!.Code, r.InstanceId, r.SpotPrice], ['active', 'fulfilled', spot.InstanceId, '0.0104']);
  await c.send(new TerminateInstancesCommand({ InstanceIds: [spot.InstanceId!] }));
  const closed = (await c.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [sir] }))).SpotInstanceRequests![0]!;
  assert.deepEqual([closed.State, closed.Status!.Code], ['closed', 'instance-terminated-by-user']);
  const low = await failure(() => runOne(c, v.subnetIds[0]!, { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: '0.0001' } } }));
  assert.equal(low.name, 'SpotMaxPriceTooLow');
  assert.match(low.message, /^Your Spot request price of 0.0001 is lower than the minimum required Spot request fulfillment price of 0\.\d+\.$/);
});

test('an az-outage interrupts Spot instances in the zone: a two-minute warning, then Server.SpotInstanceTermination; on-demand instances stay', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.92.0.0/16', ['10.92.1.0/24', '10.92.2.0/24', '10.92.3.0/24']);
  const zoneC = v.subnetIds[2]!;
  const spot = await runOne(c, zoneC, { InstanceMarketOptions: { MarketType: 'spot' } });
  const onDemand = await runOne(c, zoneC);
  h.dd.app.clock.advance(6);
  const fault = h.dd.app.faults.add({ type: 'az-outage', region: 'us-east-1', az: 'us-east-1c' });
  try {
    h.dd.app.clock.advance(31);
    const request = async () => (await c.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [spot.SpotInstanceRequestId!] }))).SpotInstanceRequests![0]!;
    const state = async (id: string) => (await c.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    assert.deepEqual([(await request()).Status!.Code, (await state(spot.InstanceId!)).State!.Name], ['marked-for-termination', 'running']);
    h.dd.app.clock.advance(120);
    const gone = await state(spot.InstanceId!);
    // Terminated at the first 30-second check after the two minutes, so it may have finished shutting down.
    assert.ok(['shutting-down', 'terminated'].includes(gone.State!.Name!), gone.State!.Name);
    assert.equal(gone.StateReason!.Code, 'Server.SpotInstanceTermination');
    assert.deepEqual([(await request()).State, (await request()).Status!.Code], ['closed', 'instance-terminated-no-capacity']);
    assert.equal((await state(onDemand.InstanceId!)).State!.Name, 'running');
  } finally {
    h.dd.app.faults.remove(fault.id);
  }
});
