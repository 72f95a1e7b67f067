/** VPC peering through the SDK: acceptance by the peer, overlap, and what Reachability Analyzer makes of it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AcceptVpcPeeringConnectionCommand, CreateNetworkInsightsPathCommand, CreateNetworkInterfaceCommand, CreateRouteCommand,
  CreateVpcPeeringConnectionCommand, DescribeNetworkInsightsAnalysesCommand, DescribeRouteTablesCommand, DescribeVpcPeeringConnectionsCommand,
  StartNetworkInsightsAnalysisCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { failure, useDrydock } from '../../helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';

const h = useDrydock();

async function found(c: EC2Client, src: string, dst: string): Promise<string> {
  const p = await c.send(new CreateNetworkInsightsPathCommand({ Source: src, Destination: dst, Protocol: 'tcp', DestinationPort: 80 }));
  const a = await c.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: p.NetworkInsightsPath!.NetworkInsightsPathId }));
  const d = (await c.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [a.NetworkInsightsAnalysis!.NetworkInsightsAnalysisId!] }))).NetworkInsightsAnalyses![0]!;
  return d.NetworkPathFound ? 'reachable' : d.Explanations![0]!.ExplanationCode!;
}

test('peering: pending until the accepter accepts; routes through it are blackholes until then; overlapping CIDRs fail', async () => {
  const c = ec2Client(h.dd);
  const a = await vpcWithSubnets(c, '10.80.0.0/16', ['10.80.1.0/24']);
  const b = await vpcWithSubnets(c, '10.81.0.0/16', ['10.81.1.0/24']);
  const pcx = (await c.send(new CreateVpcPeeringConnectionCommand({ VpcId: a.vpcId, PeerVpcId: b.vpcId }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
  assert.match(pcx, /^pcx-[0-9a-f]{17}$/);
  const seen = (await c.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }))).VpcPeeringConnections![0]!;
  assert.deepEqual([seen.Status!.Code, seen.Status!.Message], ['pending-acceptance', 'Pending Acceptance by 000000000000']);
  const rtA = (await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [a.vpcId] }] }))).RouteTables![0]!.RouteTableId!;
  const rtB = (await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [b.vpcId] }] }))).RouteTables![0]!.RouteTableId!;
  await c.send(new CreateRouteCommand({ RouteTableId: rtA, DestinationCidrBlock: '10.81.0.0/16', VpcPeeringConnectionId: pcx }));
  await c.send(new CreateRouteCommand({ RouteTableId: rtB, DestinationCidrBlock: '10.80.0.0/16', VpcPeeringConnectionId: pcx }));
  const ea = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: a.subnetIds[0] }))).NetworkInterface!.NetworkInterfaceId!;
  const eb = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: b.subnetIds[0] }))).NetworkInterface!.NetworkInterfaceId!;
  assert.equal(await found(c, ea, eb), 'BAD_STATE_ROUTE');
  await c.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
  // The default security group admits its own members only; B's ENI is in B's default group.
  assert.equal(await found(c, ea, eb), 'ENI_SG_RULES_MISMATCH');
  const again = await failure(() => c.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx })));
  assert.equal(again.name, 'InvalidStateTransition');
  const overlap = await vpcWithSubnets(c, '10.80.0.0/16', []);
  const bad = (await c.send(new CreateVpcPeeringConnectionCommand({ VpcId: a.vpcId, PeerVpcId: overlap.vpcId }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
  assert.equal((await c.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [bad] }))).VpcPeeringConnections![0]!.Status!.Code, 'failed');
});
