/** VPCs, subnets, tags, filters and paging through the real SDK. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateVpcCidrBlockCommand, CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand, DeleteSubnetCommand, DeleteTagsCommand,
  DeleteVpcCommand, DescribeAvailabilityZonesCommand, DescribeNetworkAclsCommand, DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeTagsCommand, DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { failure, useDrydock } from '../../helpers.js';
import { ec2Client, nameTag, vpcWithSubnets } from './helpers.js';

const h = useDrydock();

test('CreateVpc: 17-hex id, the CIDR association, and the main route table, default group and default ACL made with it', async () => {
  const c = ec2Client(h.dd);
  const r = await c.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: nameTag('vpc', 'main') }));
  const vpc = r.Vpc!;
  assert.match(vpc.VpcId!, /^vpc-[0-9a-f]{17}$/);
  assert.equal(vpc.CidrBlockAssociationSet![0]!.CidrBlock, '10.0.0.0/16');
  assert.deepEqual(vpc.Tags, [{ Key: 'Name', Value: 'main' }]);
  const rts = await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
  assert.equal(rts.RouteTables!.length, 1);
  assert.equal(rts.RouteTables![0]!.Associations![0]!.Main, true);
  assert.deepEqual(rts.RouteTables![0]!.Routes, [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }]);
  const sgs = await c.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
  assert.deepEqual(sgs.SecurityGroups!.map((g) => g.GroupName), ['default']);
  const acls = await c.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }, { Name: 'default', Values: ['true'] }] }));
  assert.deepEqual(acls.NetworkAcls![0]!.Entries!.map((e) => [e.RuleNumber, e.RuleAction]), [[100, 'allow'], [32767, 'deny'], [100, 'allow'], [32767, 'deny']]);
});

test('CreateVpc refuses blocks outside /16../28 and malformed CIDRs with EC2 codes', async () => {
  const c = ec2Client(h.dd);
  assert.deepEqual(await failure(() => c.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' }))),
    { name: 'InvalidVpc.Range', code: 'InvalidVpc.Range', message: "The CIDR '10.0.0.0/8' is invalid.", status: 400 });
  const bad = await failure(() => c.send(new CreateVpcCommand({ CidrBlock: 'banana' })));
  assert.equal(bad.name, 'InvalidParameterValue');
  assert.match(bad.message, /banana.*not a valid CIDR block/);
});

test('subnets: inside the VPC, no overlap, valid zone; five addresses reserved', async () => {
  const c = ec2Client(h.dd);
  const { vpcId, subnetIds } = await vpcWithSubnets(c, '10.1.0.0/16', ['10.1.1.0/24']);
  const sn = (await c.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }))).Subnets![0]!;
  assert.equal(sn.AvailableIpAddressCount, 251);
  assert.equal(sn.AvailabilityZone, 'us-east-1a');
  assert.equal(sn.AvailabilityZoneId, 'use1-az6');
  assert.equal((await failure(() => c.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.1.128/25' })))).name, 'InvalidSubnet.Conflict');
  assert.equal((await failure(() => c.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.0.0/24' })))).name, 'InvalidSubnet.Range');
  const az = await failure(() => c.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.2.0/24', AvailabilityZone: 'us-east-1z' })));
  assert.equal(az.name, 'InvalidParameterValue');
  assert.match(az.message, /us-east-1a, us-east-1b/);
  // A secondary CIDR makes room for subnets outside the primary block.
  await c.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.2.0.0/16' }));
  await c.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.0.0/24' }));
  assert.equal((await failure(() => c.send(new DeleteVpcCommand({ VpcId: vpcId })))).name, 'DependencyViolation');
});

test('Describe filters: wildcards, tag:Key, tag-key; unknown filter and ids', async () => {
  const c = ec2Client(h.dd);
  const a = await vpcWithSubnets(c, '10.3.0.0/16', [], 'team-alpha');
  const b = await vpcWithSubnets(c, '10.4.0.0/16', [], 'team-beta');
  await c.send(new CreateTagsCommand({ Resources: [b.vpcId], Tags: [{ Key: 'env', Value: 'prod' }] }));
  const byName = await c.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['team-*'] }] }));
  assert.deepEqual(byName.Vpcs!.map((v) => v.VpcId).sort(), [a.vpcId, b.vpcId].sort());
  const one = await c.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['team-?lpha'] }] }));
  assert.deepEqual(one.Vpcs!.map((v) => v.VpcId), [a.vpcId]);
  const keyed = await c.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag-key', Values: ['env'] }] }));
  assert.deepEqual(keyed.Vpcs!.map((v) => v.VpcId), [b.vpcId]);
  const cidr = await c.send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr-block-association.cidr-block', Values: ['10.3.*'] }] }));
  assert.deepEqual(cidr.Vpcs!.map((v) => v.VpcId), [a.vpcId]);
  assert.deepEqual(await failure(() => c.send(new DescribeVpcsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: "The filter 'colour' is invalid", status: 400 });
  const missing = await failure(() => c.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })));
  assert.deepEqual([missing.name, missing.message], ['InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist"]);
  const tags = await c.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [b.vpcId] }] }));
  assert.deepEqual(tags.Tags!.map((t) => [t.Key, t.Value, t.ResourceType]), [['Name', 'team-beta', 'vpc'], ['env', 'prod', 'vpc']]);
  await c.send(new DeleteTagsCommand({ Resources: [b.vpcId], Tags: [{ Key: 'env' }] }));
  assert.equal((await c.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag-key', Values: ['env'] }] }))).Vpcs!.length, 0);
});

test('MaxResults/NextToken page through every subnet exactly once; out-of-range MaxResults is refused', async () => {
  const c = ec2Client(h.dd);
  const cidrs = Array.from({ length: 12 }, (_, i) => `10.5.${i}.0/24`);
  const { vpcId, subnetIds } = await vpcWithSubnets(c, '10.5.0.0/16', cidrs);
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const r = await c.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], MaxResults: 5, NextToken: token }));
    seen.push(...r.Subnets!.map((s) => s.SubnetId!));
    token = r.NextToken;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.deepEqual(seen.sort(), [...subnetIds].sort());
  assert.equal((await failure(() => c.send(new DescribeSubnetsCommand({ MaxResults: 2 })))).name, 'InvalidParameterValue');
  await c.send(new DeleteSubnetCommand({ SubnetId: subnetIds[0] }));
  assert.equal((await failure(() => c.send(new DeleteSubnetCommand({ SubnetId: subnetIds[0] })))).name, 'InvalidSubnetID.NotFound');
});

test('DescribeAvailabilityZones: zone names and ids, filterable', async () => {
  const c = ec2Client(h.dd);
  const r = await c.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1a'] }));
  assert.deepEqual(r.AvailabilityZones!.map((z) => [z.ZoneName, z.ZoneId, z.State]), [['us-east-1a', 'use1-az6', 'available']]);
  const f = await c.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-id', Values: ['use1-az1'] }] }));
  assert.deepEqual(f.AvailabilityZones!.map((z) => z.ZoneName), ['us-east-1b']);
  const eu = await ec2Client(h.dd, 'eu-west-1').send(new DescribeAvailabilityZonesCommand({}));
  assert.deepEqual(eu.AvailabilityZones!.map((z) => z.ZoneId), ['euw1-az1', 'euw1-az2', 'euw1-az3']);
});
