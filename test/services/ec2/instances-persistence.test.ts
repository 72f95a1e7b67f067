/** Instances in a data directory survive a restart and go on along their state machine on the clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, DescribeSpotInstanceRequestsCommand, RequestSpotInstancesCommand } from '@aws-sdk/client-ec2';
import { startDrydock } from '../../../src/embedded/index.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';
import { al2023, runOne } from './instances-helpers.js';

test('a pending instance and an open Spot request survive a restart, then become running and fulfilled', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-ec2-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let dd = await startDrydock({ dataDir: dir });
  let c = ec2Client(dd);
  const v = await vpcWithSubnets(c, '10.76.0.0/16', ['10.76.1.0/24']);
  const i = await runOne(c, v.subnetIds[0]!, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'kept' }] }] });
  const sir = (await c.send(new RequestSpotInstancesCommand({ LaunchSpecification: { ImageId: await al2023(c), InstanceType: 't3.micro', SubnetId: v.subnetIds[0] } }))).SpotInstanceRequests![0]!;
  await dd.stop();

  dd = await startDrydock({ dataDir: dir });
  t.after(() => dd.stop());
  c = ec2Client(dd);
  dd.clock.advance(6);
  const again = (await c.send(new DescribeInstancesCommand({ InstanceIds: [i.InstanceId!] }))).Reservations![0]!.Instances![0]!;
  assert.deepEqual([again.State!.Name, again.PrivateIpAddress, again.Tags], ['running', i.PrivateIpAddress, [{ Key: 'Name', Value: 'kept' }]]);
  const r = (await c.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [sir.SpotInstanceRequestId!] }))).SpotInstanceRequests![0]!;
  assert.deepEqual([r.State, r.Status!.Code], ['active', 'fulfilled']);
});
