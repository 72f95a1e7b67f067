/** Instances: the AMI catalog and instance types, launch checks, states on the clock, describe filters and paging. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeImagesCommand, DescribeInstanceAttributeCommand, DescribeInstancesCommand, DescribeInstanceStatusCommand, DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand, ModifyInstanceAttributeCommand, RebootInstancesCommand, RunInstancesCommand, StartInstancesCommand,
  StopInstancesCommand, TerminateInstancesCommand, CreateTagsCommand, DescribeTagsCommand, CreateDefaultVpcCommand, DescribeSubnetsCommand,
  DescribeInstanceTypeOfferingsCommand, MonitorInstancesCommand, UnmonitorInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';
import { al2023, runOne } from './instances-helpers.js';

const h = useDrydock();

test('DescribeImages: a per-region catalog by owner, id, name and architecture; DescribeInstanceTypes with vCPUs and memory', async () => {
  const c = ec2Client(h.dd);
  const amazon = (await c.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images!;
  assert.deepEqual(amazon.map((i) => i.OwnerId).sort(), ['137112412989', '137112412989', '801119661308']);
  const ubuntu = (await c.send(new DescribeImagesCommand({ Owners: ['099720109477'] }))).Images!;
  assert.deepEqual(ubuntu.map((i) => [i.Name!.includes('noble-24.04'), i.Architecture]), [[true, 'x86_64']]);
  const arm = await al2023(c, 'arm64');
  const x86 = await al2023(c);
  assert.notEqual(arm, x86);
  const other = await al2023(ec2Client(h.dd, 'eu-west-1'));
  assert.match(other, /^ami-[0-9a-f]{17}$/);
  assert.notEqual(other, x86, 'AMI ids differ by region');
  assert.equal((await c.send(new DescribeImagesCommand({ ImageIds: [x86] }))).Images![0]!.Architecture, 'x86_64');
  const windows = (await c.send(new DescribeImagesCommand({ Filters: [{ Name: 'platform', Values: ['windows'] }] }))).Images!;
  assert.deepEqual(windows.map((i) => [i.Platform, i.PlatformDetails]), [['windows', 'Windows']]);
  const missing = await failure(() => c.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })));
  assert.deepEqual([missing.name, missing.message, missing.status], ['InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist", 400]);
  assert.equal((await failure(() => c.send(new DescribeImagesCommand({ ImageIds: ['nope'] })))).name, 'InvalidAMIID.Malformed');

  const t3 = (await c.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro', 'm7g.large'] }))).InstanceTypes!;
  const byName = Object.fromEntries(t3.map((t) => [t.InstanceType, t]));
  assert.deepEqual([byName['t3.micro']!.VCpuInfo!.DefaultVCpus, byName['t3.micro']!.MemoryInfo!.SizeInMiB], [2, 1024]);
  assert.deepEqual(byName['m7g.large']!.ProcessorInfo!.SupportedArchitectures, ['arm64']);
  const bad = await failure(() => c.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.gigantic' as 't3.micro'] })));
  assert.deepEqual([bad.name, bad.message], ['InvalidInstanceType', 'The following supplied instance types do not exist: [t3.gigantic]']);
  const graviton = (await c.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: 'processor-info.supported-architecture', Values: ['arm64'] }] }))).InstanceTypes!;
  assert.ok(graviton.length >= 8 && graviton.every((t) => /^(t4g|m7g)\./.test(t.InstanceType!)));
});

test('RunInstances refuses what AWS refuses: no default VPC, bad AMI, bad type, mismatched architecture; DryRun answers DryRunOperation', async () => {
  const c = ec2Client(h.dd);
  const image = await al2023(c);
  const base = { ImageId: image, InstanceType: 't3.micro' as const, MinCount: 1, MaxCount: 1 };
  const noVpc = await failure(() => c.send(new RunInstancesCommand(base)));
  assert.deepEqual([noVpc.name, noVpc.status], ['VPCIdNotSpecified', 400]);
  const v = await vpcWithSubnets(c, '10.70.0.0/16', ['10.70.1.0/24']);
  const sub = v.subnetIds[0]!;
  assert.equal((await failure(() => c.send(new RunInstancesCommand({ ...base, SubnetId: sub, ImageId: 'ami-12345678' })))).name, 'InvalidAMIID.NotFound');
  assert.equal((await failure(() => c.send(new RunInstancesCommand({ ...base, SubnetId: sub, ImageId: 'image-1' })))).name, 'InvalidAMIID.Malformed');
  const badType = await failure(() => c.send(new RunInstancesCommand({ ...base, SubnetId: sub, InstanceType: 't9.huge' as 't3.micro' })));
  assert.deepEqual([badType.name, badType.message], ['InvalidParameterValue', "Invalid value 't9.huge' for InstanceType."]);
  const arch = await failure(() => c.send(new RunInstancesCommand({ ...base, SubnetId: sub, InstanceType: 't4g.micro' })));
  assert.equal(arch.name, 'InvalidParameterValue');
  assert.match(arch.message, /architecture 'arm64' of the specified instance type does not match the architecture 'x86_64'/);
  const dry = await failure(() => c.send(new RunInstancesCommand({ ...base, SubnetId: sub, DryRun: true })));
  assert.deepEqual([dry.name, dry.status], ['DryRunOperation', 412]);
  assert.equal((await c.send(new DescribeInstancesCommand({ Filters: [{ Name: 'subnet-id', Values: [sub] }] }))).Reservations!.length, 0);
  const counts = await failure(() => c.send(new RunInstancesCommand({ ...base, SubnetId: sub, MinCount: 3, MaxCount: 2 })));
  assert.equal(counts.name, 'InvalidParameterValue');
});

test('states move on the clock; Start/Stop/Reboot/Terminate answer state changes; DisableApiTermination guards terminate; terminated instances vanish after an hour', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.71.0.0/16', ['10.71.1.0/24']);
  const iam = new IAMClient(sdkConfig(h.dd));
  const profile = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web' }))).InstanceProfile!;
  const noProfile = await failure(() => runOne(c, v.subnetIds[0]!, { IamInstanceProfile: { Name: 'nope' } }));
  assert.deepEqual([noProfile.name, noProfile.message], ['InvalidParameterValue', 'Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name']);
  const run = await c.send(new RunInstancesCommand({
    ImageId: await al2023(c), InstanceType: 't3.small', MinCount: 2, MaxCount: 2, SubnetId: v.subnetIds[0], DisableApiTermination: true,
    IamInstanceProfile: { Arn: 'arn:aws:iam::000000000000:instance-profile/web' }, UserData: Buffer.from('#!/bin/sh\necho hi').toString('base64'),
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }],
  }));
  const [a, b] = run.Instances!;
  assert.deepEqual(run.Instances!.map((i) => [i.State!.Name, i.State!.Code, i.AmiLaunchIndex]), [['pending', 0, 0], ['pending', 0, 1]]);
  assert.deepEqual([a!.PrivateIpAddress, b!.PrivateIpAddress], ['10.71.1.4', '10.71.1.5']);
  assert.equal(a!.PrivateDnsName, 'ip-10-71-1-4.ec2.internal');
  assert.deepEqual(a!.IamInstanceProfile, { Arn: 'arn:aws:iam::000000000000:instance-profile/web', Id: profile.InstanceProfileId });
  assert.match(run.ReservationId!, /^r-[0-9a-f]{17}$/);
  const eni = (await c.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [a!.InstanceId!] }] }))).NetworkInterfaces!;
  assert.deepEqual(eni.map((e) => [e.PrivateIpAddress, e.Status, e.Attachment!.DeviceIndex]), [['10.71.1.4', 'in-use', 0]]);
  const ids = [a!.InstanceId!, b!.InstanceId!];

  const early = await failure(() => c.send(new StopInstancesCommand({ InstanceIds: ids })));
  assert.deepEqual([early.name, early.message], ['IncorrectInstanceState', `This instance '${a!.InstanceId}' is not in a state from which it can be stopped.`]);
  h.dd.app.clock.advance(6);
  const status = (await c.send(new DescribeInstanceStatusCommand({ InstanceIds: ids }))).InstanceStatuses!;
  assert.deepEqual(status.map((x) => [x.InstanceState!.Name, x.InstanceStatus!.Status]), [['running', 'ok'], ['running', 'ok']]);
  await c.send(new RebootInstancesCommand({ InstanceIds: ids }));

  const stop = (await c.send(new StopInstancesCommand({ InstanceIds: [a!.InstanceId!] }))).StoppingInstances!;
  assert.deepEqual(stop.map((x) => [x.PreviousState!.Code, x.CurrentState!.Name, x.CurrentState!.Code]), [[16, 'stopping', 64]]);
  const startEarly = await failure(() => c.send(new StartInstancesCommand({ InstanceIds: [a!.InstanceId!] })));
  assert.equal(startEarly.name, 'IncorrectInstanceState');
  h.dd.app.clock.advance(11);
  assert.deepEqual((await c.send(new DescribeInstanceStatusCommand({ InstanceIds: ids }))).InstanceStatuses!.map((x) => x.InstanceId), [b!.InstanceId]);
  const all = (await c.send(new DescribeInstanceStatusCommand({ InstanceIds: ids, IncludeAllInstances: true }))).InstanceStatuses!;
  assert.deepEqual(all.map((x) => x.InstanceState!.Name), ['stopped', 'running']);
  await c.send(new ModifyInstanceAttributeCommand({ InstanceId: a!.InstanceId, InstanceType: { Value: 't3.large' } }));
  const resize = await failure(() => c.send(new ModifyInstanceAttributeCommand({ InstanceId: b!.InstanceId, InstanceType: { Value: 't3.large' } })));
  assert.equal(resize.name, 'IncorrectInstanceState');
  const start = (await c.send(new StartInstancesCommand({ InstanceIds: [a!.InstanceId!] }))).StartingInstances!;
  assert.deepEqual(start.map((x) => [x.PreviousState!.Name, x.CurrentState!.Name]), [['stopped', 'pending']]);

  const guarded = await failure(() => c.send(new TerminateInstancesCommand({ InstanceIds: ids })));
  assert.deepEqual([guarded.name, guarded.message], ['OperationNotPermitted', `The instance '${a!.InstanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`]);
  const attr = await c.send(new DescribeInstanceAttributeCommand({ InstanceId: a!.InstanceId, Attribute: 'disableApiTermination' }));
  assert.equal(attr.DisableApiTermination!.Value, true);
  for (const id of ids) await c.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
  const type = await c.send(new DescribeInstanceAttributeCommand({ InstanceId: a!.InstanceId, Attribute: 'instanceType' }));
  assert.equal(type.InstanceType!.Value, 't3.large');
  const term = (await c.send(new TerminateInstancesCommand({ InstanceIds: ids }))).TerminatingInstances!;
  assert.deepEqual(term.map((x) => [x.PreviousState!.Name, x.CurrentState!.Name, x.CurrentState!.Code]), [['pending', 'shutting-down', 32], ['running', 'shutting-down', 32]]);
  h.dd.app.clock.advance(11);
  const gone = (await c.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations![0]!.Instances!;
  assert.deepEqual(gone.map((i) => [i.State!.Name, i.State!.Code, i.StateReason?.Code]), [['terminated', 48, 'Client.UserInitiatedShutdown'], ['terminated', 48, 'Client.UserInitiatedShutdown']]);
  assert.equal((await c.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [v.subnetIds[0]!] }] }))).NetworkInterfaces!.length, 0);
  assert.equal((await failure(() => c.send(new StartInstancesCommand({ InstanceIds: [a!.InstanceId!] })))).name, 'IncorrectInstanceState');
  const again = (await c.send(new TerminateInstancesCommand({ InstanceIds: [a!.InstanceId!] }))).TerminatingInstances!;
  assert.deepEqual([again[0]!.PreviousState!.Name, again[0]!.CurrentState!.Name], ['terminated', 'terminated']);
  h.dd.app.clock.advance(3600);
  const vanished = await failure(() => c.send(new DescribeInstancesCommand({ InstanceIds: ids })));
  assert.deepEqual([vanished.name, vanished.message], ['InvalidInstanceID.NotFound', `The instance IDs '${ids.join(', ')}' do not exist`]);
  assert.equal((await failure(() => c.send(new StopInstancesCommand({ InstanceIds: ['i-xyz'] })))).name, 'InvalidInstanceID.Malformed');
});

test('DescribeInstances filters (state, tags, vpc, subnet, type, image, address) and pages; tags and ClientToken idempotency', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.72.0.0/16', ['10.72.1.0/24', '10.72.2.0/24']);
  const image = await al2023(c);
  const token = 'launch-once-1';
  const first = await c.send(new RunInstancesCommand({
    ImageId: image, InstanceType: 'm5.large', MinCount: 3, MaxCount: 3, SubnetId: v.subnetIds[0], ClientToken: token,
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'blue' }] }, { ResourceType: 'volume', Tags: [{ Key: 'team', Value: 'blue' }] }],
  }));
  const retry = await c.send(new RunInstancesCommand({
    ImageId: image, InstanceType: 'm5.large', MinCount: 3, MaxCount: 3, SubnetId: v.subnetIds[0], ClientToken: token,
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'blue' }] }, { ResourceType: 'volume', Tags: [{ Key: 'team', Value: 'blue' }] }],
  }));
  assert.equal(retry.ReservationId, first.ReservationId);
  assert.deepEqual(retry.Instances!.map((i) => i.InstanceId), first.Instances!.map((i) => i.InstanceId));
  const mismatch = await failure(() => c.send(new RunInstancesCommand({ ImageId: image, InstanceType: 'm5.xlarge', MinCount: 1, MaxCount: 1, SubnetId: v.subnetIds[0], ClientToken: token })));
  assert.equal(mismatch.name, 'IdempotentParameterMismatch');
  const other = await runOne(c, v.subnetIds[1]!, { PrivateIpAddress: '10.72.2.50' });
  assert.equal(other.PrivateIpAddress, '10.72.2.50');
  await c.send(new CreateTagsCommand({ Resources: [other.InstanceId!], Tags: [{ Key: 'team', Value: 'red' }] }));
  const tags = (await c.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [other.InstanceId!] }] }))).Tags!;
  assert.deepEqual(tags.map((t) => [t.ResourceType, t.Key, t.Value]), [['instance', 'team', 'red']]);

  const find = async (Name: string, Values: string[]) => (await c.send(new DescribeInstancesCommand({ Filters: [{ Name, Values }] }))).Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId);
  assert.equal((await find('tag:team', ['blue'])).length, 3);
  assert.deepEqual(await find('tag:team', ['red']), [other.InstanceId]);
  assert.equal((await find('tag-key', ['team'])).length, 4);
  assert.equal((await find('vpc-id', [v.vpcId])).length, 4);
  assert.deepEqual(await find('subnet-id', [v.subnetIds[1]!]), [other.InstanceId]);
  assert.equal((await find('instance-type', ['m5.large'])).length, 3);
  assert.equal((await find('image-id', [image])).length >= 4, true);
  assert.deepEqual(await find('private-ip-address', ['10.72.2.50']), [other.InstanceId]);
  assert.equal((await find('instance-state-name', ['running'])).filter((id) => id === other.InstanceId).length, 0);
  h.dd.app.clock.advance(6);
  assert.ok((await find('instance-state-name', ['running'])).includes(other.InstanceId));
  assert.equal((await failure(() => c.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })))).name, 'InvalidParameterValue');

  const seen: string[] = [];
  let next: string | undefined;
  do {
    const page = await c.send(new DescribeInstancesCommand({ Filters: [{ Name: 'vpc-id', Values: [v.vpcId] }], MaxResults: 5, NextToken: next }));
    seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    next = page.NextToken;
  } while (next);
  assert.equal(new Set(seen).size, 4);
  const byRes = (await c.send(new DescribeInstancesCommand({ Filters: [{ Name: 'reservation-id', Values: [first.ReservationId!] }] }))).Reservations!;
  assert.deepEqual(byRes.map((r) => [r.ReservationId, r.OwnerId, r.Instances!.length]), [[first.ReservationId, '000000000000', 3]]);
});

test('an az-outage fault: launches into the zone fail with InsufficientInstanceCapacity (500), running instances there fail their status checks', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.73.0.0/16', ['10.73.1.0/24', '10.73.2.0/24']);
  const inA = await runOne(c, v.subnetIds[0]!);
  const inB = await runOne(c, v.subnetIds[1]!);
  h.dd.app.clock.advance(6);
  const fault = h.dd.app.faults.add({ type: 'az-outage', region: 'us-east-1', az: 'us-east-1a' });
  try {
    const e = await failure(() => runOne(c, v.subnetIds[0]!));
    assert.deepEqual([e.name, e.status], ['InsufficientInstanceCapacity', 500]);
    assert.match(e.message, /^We currently do not have sufficient t3\.micro capacity in the Availability Zone you requested \(us-east-1a\)\./);
    const statuses = (await c.send(new DescribeInstanceStatusCommand({ InstanceIds: [inA.InstanceId!, inB.InstanceId!] }))).InstanceStatuses!;
    assert.deepEqual(statuses.map((x) => [x.AvailabilityZone, x.SystemStatus!.Status]), [['us-east-1a', 'impaired'], ['us-east-1b', 'ok']]);
    const impaired = await c.send(new DescribeInstanceStatusCommand({ InstanceIds: [inA.InstanceId!, inB.InstanceId!], Filters: [{ Name: 'system-status.status', Values: ['impaired'] }] }));
    assert.deepEqual(impaired.InstanceStatuses!.map((x) => x.InstanceId), [inA.InstanceId]);
  } finally {
    h.dd.app.faults.remove(fault.id);
  }
  assert.equal((await runOne(c, v.subnetIds[0]!)).State!.Name, 'pending');
});

test('instance-hours are metered while running: BoxUsage:<type> under the AMI operation, handed over hourly and at stop', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.75.0.0/16', ['10.75.1.0/24']);
  const i = await runOne(c, v.subnetIds[0]!, { InstanceType: 't3.nano' });
  h.dd.app.clock.advance(5);
  h.dd.app.clock.advance(7200);
  const hourly = h.dd.app.meter.usage({ service: 'ec2', resourceId: i.InstanceId! });
  assert.ok(hourly.length >= 2, 'handed over at each clock hour');
  await c.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  h.dd.app.clock.advance(3600);
  const rows = h.dd.app.meter.usage({ service: 'ec2', resourceId: i.InstanceId! });
  assert.deepEqual([...new Set(rows.map((r) => `${r.usageType} ${r.operation} ${r.unit}`))], ['BoxUsage:t3.nano RunInstances Hrs']);
  const hours = rows.reduce((n, r) => n + r.quantity, 0);
  assert.ok(Math.abs(hours - 2) < 0.01, `billed ${hours} h for two hours of running`);
});

test('CreateDefaultVpc: 172.31.0.0/16 with a public /20 per zone behind an internet gateway; RunInstances without a subnet lands there', async () => {
  const c = ec2Client(h.dd, 'eu-west-1');
  const vpc = (await c.send(new CreateDefaultVpcCommand({}))).Vpc!;
  assert.deepEqual([vpc.CidrBlock, vpc.IsDefault], ['172.31.0.0/16', true]);
  const again = await failure(() => c.send(new CreateDefaultVpcCommand({})));
  assert.deepEqual([again.name, again.message], ['DefaultVpcAlreadyExists', 'A Default VPC already exists for this account in this region.']);
  const subnets = (await c.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
  assert.deepEqual(subnets.map((s) => [s.AvailabilityZone, s.CidrBlock, s.MapPublicIpOnLaunch]).sort(), [
    ['eu-west-1a', '172.31.0.0/20', true], ['eu-west-1b', '172.31.16.0/20', true], ['eu-west-1c', '172.31.32.0/20', true],
  ]);
  const run = await c.send(new RunInstancesCommand({ ImageId: await al2023(c), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'eu-west-1b' }, SecurityGroups: ['default'] }));
  const i = run.Instances![0]!;
  assert.deepEqual([i.VpcId, i.Placement!.AvailabilityZone, i.SecurityGroups![0]!.GroupName], [vpc.VpcId, 'eu-west-1b', 'default']);
  assert.match(i.PrivateIpAddress!, /^172\.31\.(1[6-9]|2\d|3[01])\./);
  assert.ok(i.PublicIpAddress, 'default subnets map public addresses on launch');
  assert.equal(i.PrivateDnsName, `ip-${i.PrivateIpAddress!.replace(/\./g, '-')}.eu-west-1.compute.internal`);
});

test('DescribeInstanceTypeOfferings by region and zone; Monitor/UnmonitorInstances switch detailed monitoring', async () => {
  const c = ec2Client(h.dd);
  const region = (await c.send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'instance-type', Values: ['t3.micro'] }] }))).InstanceTypeOfferings!;
  assert.deepEqual(region.map((o) => [o.LocationType, o.Location]), [['region', 'us-east-1']]);
  const zones = (await c.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone-id', Filters: [{ Name: 'instance-type', Values: ['m7g.large'] }] }))).InstanceTypeOfferings!;
  assert.equal(zones.length, 6);
  assert.ok(zones.every((o) => /^use1-az\d$/.test(o.Location!)));
  const v = await vpcWithSubnets(c, '10.77.0.0/16', ['10.77.1.0/24']);
  const i = await runOne(c, v.subnetIds[0]!);
  assert.equal(i.Monitoring!.State, 'disabled');
  const on = await c.send(new MonitorInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  assert.equal(on.InstanceMonitorings![0]!.Monitoring!.State, 'pending');
  const seen = (await c.send(new DescribeInstancesCommand({ InstanceIds: [i.InstanceId!] }))).Reservations![0]!.Instances![0]!;
  assert.equal(seen.Monitoring!.State, 'enabled');
  assert.equal((await c.send(new UnmonitorInstancesCommand({ InstanceIds: [i.InstanceId!] }))).InstanceMonitorings![0]!.Monitoring!.State, 'disabling');
});
