/**
 * VPC endpoint policies on the path to a service: the IAM engine judges the request the
 * traffic carries, and a refusal names the endpoint policy as the block.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AllocateAddressCommand, AssociateRouteTableCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateNatGatewayCommand,
  CreateRouteCommand, CreateRouteTableCommand, CreateVpcEndpointCommand, DescribeRouteTablesCommand, ModifyVpcEndpointCommand,
} from '@aws-sdk/client-ec2';
import { failure, useDrydock } from '../../helpers.js';
import { eniInGroup, traffic } from './flow-logs-helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';

const h = useDrydock();

const onlyBucket = (bucket: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'OnlyReports', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
});

/** A VPC with a public subnet (IGW, NAT gateway) and a private one routed through the NAT; an app ENI in the private subnet. */
async function privateSubnet(cidr: string) {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, `${cidr}.0.0/16`, [`${cidr}.0.0/24`, `${cidr}.1.0/24`]);
  const igw = (await c.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await c.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: v.vpcId }));
  const main = (await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [v.vpcId] }] }))).RouteTables![0]!.RouteTableId!;
  await c.send(new CreateRouteCommand({ RouteTableId: main, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  const eip = await c.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const nat = (await c.send(new CreateNatGatewayCommand({ SubnetId: v.subnetIds[0], AllocationId: eip.AllocationId }))).NatGateway!.NatGatewayId!;
  const rt = (await c.send(new CreateRouteTableCommand({ VpcId: v.vpcId }))).RouteTable!.RouteTableId!;
  await c.send(new AssociateRouteTableCommand({ RouteTableId: rt, SubnetId: v.subnetIds[1] }));
  await c.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));
  h.dd.app.clock.advance(61);
  const app = await eniInGroup(c, v.vpcId, v.subnetIds[1]!, `app-${cidr}`);
  return { c, ...v, nat, rt, app };
}

test('a private subnet reaches S3 through the gateway endpoint, not the NAT; a policy limited to one bucket blocks another', async () => {
  const n = await privateSubnet('10.100');
  const before = await traffic(h.dd, { from: n.app.eniId, to: 's3://reports/q1.csv' });
  assert.equal(before.body.reachable, true);
  assert.ok(before.body.result.forward.some((x) => x.componentId === n.nat), 'without an endpoint S3 is reached through the NAT gateway');

  const ep = (await n.c.send(new CreateVpcEndpointCommand({
    VpcId: n.vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [n.rt], PolicyDocument: onlyBucket('reports'),
  }))).VpcEndpoint!.VpcEndpointId!;
  const allowed = await traffic(h.dd, { from: n.app.eniId, to: 's3://reports/q1.csv' });
  assert.equal(allowed.body.reachable, true, JSON.stringify(allowed.body.result.explanations));
  const types = allowed.body.result.forward.map((x) => x.type);
  assert.ok(types.includes('vpc-endpoint') && !types.includes('nat-gateway'), types.join(' '));

  const other = await traffic(h.dd, { from: n.app.eniId, to: 's3://payroll/salaries.csv' });
  assert.equal(other.body.reachable, false);
  const why = other.body.result.explanations[0]!;
  assert.deepEqual([why.code, why.componentId, why.type], ['VPC_ENDPOINT_POLICY_RESTRICTION', ep, 'vpc-endpoint']);
  assert.match(why.reason, /s3:GetObject.*arn:aws:s3:::payroll\/salaries\.csv/);
  // An explicit action and resource, as an SDK call would carry.
  const put = await traffic(h.dd, { from: n.app.eniId, to: 's3', action: 's3:PutObject', resource: 'arn:aws:s3:::reports/new.csv' });
  assert.equal(put.body.reachable, true);
  // Plain traffic (no request) passes, as in Reachability Analyzer.
  assert.equal((await traffic(h.dd, { from: n.app.eniId, to: 's3' })).body.reachable, true);

  // A Deny statement wins; ResetPolicy brings back full access.
  await n.c.send(new ModifyVpcEndpointCommand({
    VpcEndpointId: ep, PolicyDocument: JSON.stringify({ Statement: [
      { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: '*' },
    ] }),
  }));
  const del = await traffic(h.dd, { from: n.app.eniId, to: 's3', action: 's3:DeleteObject', resource: 'arn:aws:s3:::reports/q1.csv' });
  assert.equal(del.body.result.explanations[0]!.code, 'VPC_ENDPOINT_POLICY_RESTRICTION');
  assert.match(del.body.result.explanations[0]!.reason, /explicit deny/);
  assert.equal((await traffic(h.dd, { from: n.app.eniId, to: 's3://payroll/salaries.csv' })).body.reachable, true);
  await n.c.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep, ResetPolicy: true }));
  assert.equal((await traffic(h.dd, { from: n.app.eniId, to: 's3', action: 's3:DeleteObject', resource: 'arn:aws:s3:::reports/q1.csv' })).body.reachable, true);
});

test('an interface endpoint with private DNS carries the service\'s traffic, and its policy decides', async () => {
  const n = await privateSubnet('10.101');
  const epGroup = await eniInGroup(n.c, n.vpcId, n.subnetIds[0]!, 'sqs-endpoint', [{ port: 443, cidr: '10.101.0.0/16' }]);
  const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:000000000000:orders' }] });
  const ep = (await n.c.send(new CreateVpcEndpointCommand({
    VpcId: n.vpcId, ServiceName: 'com.amazonaws.us-east-1.sqs', VpcEndpointType: 'Interface', SubnetIds: [n.subnetIds[0]!], SecurityGroupIds: [epGroup.groupId], PolicyDocument: policy,
  }))).VpcEndpoint!;
  const ok = await traffic(h.dd, { from: n.app.eniId, to: 'sqs', action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:000000000000:orders' });
  assert.equal(ok.body.reachable, true, JSON.stringify(ok.body.result.explanations));
  const hops = ok.body.result.forward.map((x) => x.componentId);
  assert.ok(hops.includes(ep.NetworkInterfaceIds![0]!) && hops.includes(ep.VpcEndpointId!) && !hops.includes(n.nat), hops.join(' '));
  const refused = await traffic(h.dd, { from: n.app.eniId, to: 'sqs', action: 'sqs:DeleteQueue', resource: 'arn:aws:sqs:us-east-1:000000000000:orders' });
  assert.deepEqual([refused.body.reachable, refused.body.result.explanations[0]!.code], [false, 'VPC_ENDPOINT_POLICY_RESTRICTION']);
});

test('a malformed endpoint policy gets InvalidPolicyDocument on create and modify', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.102.0.0/16', ['10.102.1.0/24']);
  const rt = (await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [v.vpcId] }] }))).RouteTables![0]!.RouteTableId!;
  const syntax = await failure(() => c.send(new CreateVpcEndpointCommand({ VpcId: v.vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [rt], PolicyDocument: '{"Statement": [' })));
  assert.deepEqual([syntax.code, syntax.status], ['InvalidPolicyDocument', 400]);
  const effect = await failure(() => c.send(new CreateVpcEndpointCommand({
    VpcId: v.vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [rt],
    PolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Maybe', Principal: '*', Action: 's3:*', Resource: '*' }] }),
  })));
  assert.equal(effect.code, 'InvalidPolicyDocument');
  const ep = (await c.send(new CreateVpcEndpointCommand({ VpcId: v.vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [rt] }))).VpcEndpoint!;
  assert.match(ep.PolicyDocument!, /"Effect":"Allow"/);
  const modify = await failure(() => c.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep.VpcEndpointId!, PolicyDocument: 'not json' })));
  assert.equal(modify.code, 'InvalidPolicyDocument');
  const subnets = await failure(() => c.send(new CreateVpcEndpointCommand({ VpcId: v.vpcId, ServiceName: 'com.amazonaws.us-east-1.dynamodb', SubnetIds: v.subnetIds })));
  assert.equal(subnets.code, 'InvalidParameter');
});
