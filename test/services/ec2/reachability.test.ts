/** Reachability Analyzer through the SDK: forward and return paths, and the blocking component with AWS's codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AllocateAddressCommand, AssociateAddressCommand, AttachInternetGatewayCommand, AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand, CreateNatGatewayCommand, CreateNetworkAclEntryCommand, CreateNetworkInsightsPathCommand,
  CreateNetworkInterfaceCommand, CreateRouteCommand, CreateRouteTableCommand, AssociateRouteTableCommand, CreateSecurityGroupCommand,
  CreateTransitGatewayCommand, CreateTransitGatewayVpcAttachmentCommand, DescribeNetworkAclsCommand, DescribeNetworkInsightsAnalysesCommand,
  DescribeRouteTablesCommand, ReplaceNetworkAclEntryCommand, StartNetworkInsightsAnalysisCommand, type EC2Client,
  CreateVpcEndpointCommand, DescribePrefixListsCommand,
} from '@aws-sdk/client-ec2';
import { failure, useDrydock } from '../../helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';

const h = useDrydock();

async function analyse(c: EC2Client, input: { Source: string; Destination?: string; DestinationIp?: string; DestinationPort?: number }) {
  const p = await c.send(new CreateNetworkInsightsPathCommand({ Protocol: 'tcp', ...input }));
  const started = await c.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: p.NetworkInsightsPath!.NetworkInsightsPathId }));
  assert.equal(started.NetworkInsightsAnalysis!.Status, 'running');
  const d = await c.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [started.NetworkInsightsAnalysis!.NetworkInsightsAnalysisId!] }));
  const a = d.NetworkInsightsAnalyses![0]!;
  assert.equal(a.Status, 'succeeded');
  return a;
}

const ids = (cs: { Component?: { Id?: string } }[] | undefined) => (cs ?? []).map((x) => x.Component!.Id!);

async function mainRoutes(c: EC2Client, vpcId: string): Promise<string> {
  const r = await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }));
  return r.RouteTables![0]!.RouteTableId!;
}

test('two VPCs on one transit gateway: ENI → SG → route table → TGW → ENI, and the reply back', async () => {
  const c = ec2Client(h.dd);
  const t = (await c.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
  const a = await vpcWithSubnets(c, '10.30.0.0/16', ['10.30.1.0/24']);
  const b = await vpcWithSubnets(c, '10.31.0.0/16', ['10.31.1.0/24']);
  for (const v of [a, b]) {
    await c.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: t, VpcId: v.vpcId, SubnetIds: v.subnetIds }));
    await c.send(new CreateRouteCommand({ RouteTableId: await mainRoutes(c, v.vpcId), DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: t }));
  }
  const sg = (await c.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: b.vpcId }))).GroupId!;
  await c.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.30.0.0/16' }] }] }));
  const src = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: a.subnetIds[0] }))).NetworkInterface!;
  const dst = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: b.subnetIds[0], Groups: [sg] }))).NetworkInterface!;
  // The attachment's ENI took the subnet's first free address.
  assert.equal(src.PrivateIpAddress, '10.30.1.5');

  const ok = await analyse(c, { Source: src.NetworkInterfaceId!, Destination: dst.NetworkInterfaceId!, DestinationPort: 443 });
  assert.equal(ok.NetworkPathFound, true);
  const types = ok.ForwardPathComponents!.map((x) => x.Component!.Arn?.split(':')[5]?.split('/')[0] ?? x.Component!.Name);
  assert.deepEqual(types, ['network-interface', 'security-group', 'network-acl', 'route-table', 'transit-gateway-attachment', 'transit-gateway',
    'transit-gateway-route-table', 'transit-gateway-attachment', 'network-acl', 'security-group', 'network-interface']);
  const tgwHop = ok.ForwardPathComponents!.find((x) => x.TransitGatewayRouteTableRoute)!;
  assert.deepEqual([tgwHop.TransitGatewayRouteTableRoute!.DestinationCidr, tgwHop.TransitGatewayRouteTableRoute!.RouteOrigin], ['10.31.0.0/16', 'propagated']);
  assert.equal(ok.ForwardPathComponents![3]!.RouteTableRoute!.TransitGatewayId, t);
  assert.equal(ok.ForwardPathComponents![9]!.SecurityGroupRule!.Cidr, '10.30.0.0/16');
  assert.equal(ids(ok.ReturnPathComponents).at(-1), src.NetworkInterfaceId);

  const blocked = await analyse(c, { Source: src.NetworkInterfaceId!, Destination: dst.NetworkInterfaceId!, DestinationPort: 22 });
  assert.equal(blocked.NetworkPathFound, false);
  assert.deepEqual(blocked.Explanations!.map((e) => [e.ExplanationCode, e.Component!.Id, e.Direction]), [['ENI_SG_RULES_MISMATCH', sg, 'ingress']]);

  // A stateless ACL on the source subnet that denies the reply's ephemeral ports blocks the return path.
  const acl = (await c.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [a.subnetIds[0]!] }] }))).NetworkAcls![0]!.NetworkAclId!;
  await c.send(new ReplaceNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Egress: false, Protocol: '6', RuleAction: 'allow', CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } }));
  const noReply = await analyse(c, { Source: src.NetworkInterfaceId!, Destination: dst.NetworkInterfaceId!, DestinationPort: 443 });
  assert.equal(noReply.NetworkPathFound, false);
  assert.deepEqual(noReply.Explanations!.map((e) => [e.ExplanationCode, e.Acl!.Id, e.Direction]), [['SUBNET_ACL_RESTRICTION', acl, 'ingress']]);
  await c.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 200, Egress: false, Protocol: '6', RuleAction: 'allow', CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } }));
  assert.equal((await analyse(c, { Source: src.NetworkInterfaceId!, Destination: dst.NetworkInterfaceId!, DestinationPort: 443 })).NetworkPathFound, true);
});

test('no route: the subnet route table is named with NO_ROUTE_TO_DESTINATION', async () => {
  const c = ec2Client(h.dd);
  const a = await vpcWithSubnets(c, '10.40.0.0/16', ['10.40.1.0/24']);
  const src = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: a.subnetIds[0] }))).NetworkInterface!;
  const r = await analyse(c, { Source: src.NetworkInterfaceId!, DestinationIp: '8.8.8.8', DestinationPort: 443 });
  assert.equal(r.NetworkPathFound, false);
  const e = r.Explanations![0]!;
  assert.equal(e.ExplanationCode, 'NO_ROUTE_TO_DESTINATION');
  assert.equal(e.RouteTable!.Id, await mainRoutes(c, a.vpcId));
});

test('internet: a public ENI reaches out through the IGW; a private subnet only through a NAT gateway once it is available', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.50.0.0/16', ['10.50.0.0/24', '10.50.1.0/24']);
  const igw = (await c.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await c.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: v.vpcId }));
  const publicRt = await mainRoutes(c, v.vpcId);
  await c.send(new CreateRouteCommand({ RouteTableId: publicRt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  const web = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: v.subnetIds[0] }))).NetworkInterface!;
  const noIp = await analyse(c, { Source: web.NetworkInterfaceId!, DestinationIp: '1.1.1.1', DestinationPort: 443 });
  assert.equal(noIp.Explanations![0]!.ExplanationCode, 'NO_PUBLIC_IP');
  const eip = await c.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  await c.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, NetworkInterfaceId: web.NetworkInterfaceId }));
  const out = await analyse(c, { Source: web.NetworkInterfaceId!, DestinationIp: '1.1.1.1', DestinationPort: 443 });
  assert.equal(out.NetworkPathFound, true);
  assert.equal(ids(out.ForwardPathComponents).at(-1), igw);
  const inbound = await analyse(c, { Source: igw, Destination: web.NetworkInterfaceId!, DestinationPort: 443 });
  assert.equal(inbound.NetworkPathFound, false);
  assert.equal(inbound.Explanations![0]!.ExplanationCode, 'ENI_SG_RULES_MISMATCH');

  const natEip = await c.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const nat = (await c.send(new CreateNatGatewayCommand({ SubnetId: v.subnetIds[0], AllocationId: natEip.AllocationId }))).NatGateway!;
  assert.equal(nat.State, 'pending');
  const privRt = (await c.send(new CreateRouteTableCommand({ VpcId: v.vpcId }))).RouteTable!.RouteTableId!;
  await c.send(new AssociateRouteTableCommand({ RouteTableId: privRt, SubnetId: v.subnetIds[1] }));
  await c.send(new CreateRouteCommand({ RouteTableId: privRt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat.NatGatewayId }));
  const app = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: v.subnetIds[1] }))).NetworkInterface!;
  const pending = await analyse(c, { Source: app.NetworkInterfaceId!, DestinationIp: '1.1.1.1', DestinationPort: 443 });
  assert.deepEqual(pending.Explanations!.map((e) => [e.ExplanationCode, e.Component!.Id]), [['BAD_STATE', nat.NatGatewayId]]);
  h.dd.app.clock.advance(61);
  const viaNat = await analyse(c, { Source: app.NetworkInterfaceId!, DestinationIp: '1.1.1.1', DestinationPort: 443 });
  assert.equal(viaNat.NetworkPathFound, true);
  const hops = ids(viaNat.ForwardPathComponents);
  // After the NAT gateway the public subnet's ACL and route table carry the translated packet.
  assert.deepEqual(hops.slice(hops.indexOf(nat.NatGatewayId!) + 2), [publicRt, igw]);
  assert.equal(ids(viaNat.ForwardPathComponents).at(-1), igw);
});

test('CreateNetworkInsightsPath validates protocol, ids and addresses', async () => {
  const c = ec2Client(h.dd);
  assert.equal((await failure(() => c.send(new CreateNetworkInsightsPathCommand({ Source: 'eni-0123456789abcdef0', DestinationIp: '10.0.0.1', Protocol: 'icmp' as 'tcp' })))).name, 'InvalidParameterValue');
  assert.equal((await failure(() => c.send(new CreateNetworkInsightsPathCommand({ Source: 'eni-0123456789abcdef0', DestinationIp: '10.0.0.999', Protocol: 'tcp' })))).name, 'InvalidParameterValue');
  const p = await c.send(new CreateNetworkInsightsPathCommand({ Source: 'eni-0123456789abcdef0', DestinationIp: '10.0.0.1', Protocol: 'tcp' }));
  const e = await failure(() => c.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: p.NetworkInsightsPath!.NetworkInsightsPathId })));
  assert.equal(e.name, 'InvalidParameterValue');
});

test('a private subnet reaches S3 through a gateway endpoint instead of the NAT gateway', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.55.0.0/16', ['10.55.0.0/24', '10.55.1.0/24']);
  const igw = (await c.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await c.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: v.vpcId }));
  await c.send(new CreateRouteCommand({ RouteTableId: await mainRoutes(c, v.vpcId), DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  const eip = await c.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const nat = (await c.send(new CreateNatGatewayCommand({ SubnetId: v.subnetIds[0], AllocationId: eip.AllocationId }))).NatGateway!.NatGatewayId!;
  h.dd.app.clock.advance(61);
  const privRt = (await c.send(new CreateRouteTableCommand({ VpcId: v.vpcId }))).RouteTable!.RouteTableId!;
  await c.send(new AssociateRouteTableCommand({ RouteTableId: privRt, SubnetId: v.subnetIds[1] }));
  await c.send(new CreateRouteCommand({ RouteTableId: privRt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));
  const app = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: v.subnetIds[1] }))).NetworkInterface!.NetworkInterfaceId!;
  const s3Ip = '52.216.10.20';
  const before = await analyse(c, { Source: app, DestinationIp: s3Ip, DestinationPort: 443 });
  assert.equal(before.NetworkPathFound, true);
  assert.ok(ids(before.ForwardPathComponents).includes(nat), 'without an endpoint S3 traffic goes through the NAT gateway');
  const pl = (await c.send(new DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.us-east-1.s3'] }] }))).PrefixLists![0]!;
  assert.equal(pl.PrefixListId, 'pl-63a5400a');
  const ep = (await c.send(new CreateVpcEndpointCommand({ VpcId: v.vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', VpcEndpointType: 'Gateway', RouteTableIds: [privRt] }))).VpcEndpoint!;
  const rt = (await c.send(new DescribeRouteTablesCommand({ RouteTableIds: [privRt] }))).RouteTables![0]!;
  assert.ok(rt.Routes!.some((r) => r.DestinationPrefixListId === pl.PrefixListId && r.GatewayId === ep.VpcEndpointId && r.State === 'active'));
  const after = await analyse(c, { Source: app, DestinationIp: s3Ip, DestinationPort: 443 });
  assert.equal(after.NetworkPathFound, true);
  assert.equal(ids(after.ForwardPathComponents).at(-1), ep.VpcEndpointId);
  assert.ok(!ids(after.ForwardPathComponents).includes(nat));
  assert.equal(after.ForwardPathComponents!.find((x) => x.RouteTableRoute)!.RouteTableRoute!.DestinationPrefixListId, pl.PrefixListId);
  const other = await analyse(c, { Source: app, DestinationIp: '1.1.1.1', DestinationPort: 443 });
  assert.ok(ids(other.ForwardPathComponents).includes(nat), 'other internet traffic still uses the NAT gateway');
});
