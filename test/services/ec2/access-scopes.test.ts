/** Network Access Analyzer through the SDK: scopes, analyses, findings with paging. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateNetworkInsightsAccessScopeCommand, CreateRouteCommand, CreateTransitGatewayCommand, CreateTransitGatewayVpcAttachmentCommand,
  DeleteNetworkInsightsAccessScopeCommand, DescribeNetworkInsightsAccessScopeAnalysesCommand, DescribeRouteTablesCommand,
  GetNetworkInsightsAccessScopeAnalysisFindingsCommand, GetNetworkInsightsAccessScopeContentCommand, StartNetworkInsightsAccessScopeAnalysisCommand,
} from '@aws-sdk/client-ec2';
import { failure, useDrydock } from '../../helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';

const h = useDrydock();

test('VPCs meshed through a default-route transit gateway: every ordered pair is a finding, paged', async () => {
  const c = ec2Client(h.dd);
  const tgw = (await c.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
  const vpcs: string[] = [];
  for (let i = 0; i < 4; i++) {
    const v = await vpcWithSubnets(c, `10.${70 + i}.0.0/16`, [`10.${70 + i}.1.0/24`]);
    await c.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: v.vpcId, SubnetIds: v.subnetIds }));
    const rt = (await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [v.vpcId] }] }))).RouteTables![0]!.RouteTableId!;
    await c.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: tgw }));
    vpcs.push(v.vpcId);
  }
  const path = { Source: { ResourceStatement: { ResourceTypes: ['AWS::EC2::VPC'] } }, Destination: { ResourceStatement: { ResourceTypes: ['AWS::EC2::VPC'] } } };
  const scope = await c.send(new CreateNetworkInsightsAccessScopeCommand({ MatchPaths: [path], ExcludePaths: [{ Source: { ResourceStatement: { Resources: [vpcs[3]!] } } }] }));
  const scopeId = scope.NetworkInsightsAccessScope!.NetworkInsightsAccessScopeId!;
  assert.match(scopeId, /^nis-[0-9a-f]{17}$/);
  const content = await c.send(new GetNetworkInsightsAccessScopeContentCommand({ NetworkInsightsAccessScopeId: scopeId }));
  assert.deepEqual(content.NetworkInsightsAccessScopeContent!.MatchPaths![0]!.Source!.ResourceStatement!.ResourceTypes, ['AWS::EC2::VPC']);
  const started = await c.send(new StartNetworkInsightsAccessScopeAnalysisCommand({ NetworkInsightsAccessScopeId: scopeId }));
  const id = started.NetworkInsightsAccessScopeAnalysis!.NetworkInsightsAccessScopeAnalysisId!;
  const described = await c.send(new DescribeNetworkInsightsAccessScopeAnalysesCommand({ NetworkInsightsAccessScopeAnalysisIds: [id] }));
  assert.deepEqual([described.NetworkInsightsAccessScopeAnalyses![0]!.Status, described.NetworkInsightsAccessScopeAnalyses![0]!.FindingsFound], ['succeeded', 'true']);
  const first = await c.send(new GetNetworkInsightsAccessScopeAnalysisFindingsCommand({ NetworkInsightsAccessScopeAnalysisId: id, MaxResults: 5 }));
  assert.equal(first.AnalysisFindings!.length, 5);
  const rest = await c.send(new GetNetworkInsightsAccessScopeAnalysisFindingsCommand({ NetworkInsightsAccessScopeAnalysisId: id, MaxResults: 5, NextToken: first.NextToken }));
  const all = [...first.AnalysisFindings!, ...rest.AnalysisFindings!];
  // 4 VPCs, 3 sources (the fourth excluded) × 3 destinations each.
  assert.equal(all.length, 9);
  const pairs = all.map((f) => [f.FindingComponents![0]!.Vpc!.Id, f.FindingComponents!.at(-1)!.Vpc!.Id]);
  assert.ok(pairs.every(([a, b]) => a !== b && a !== vpcs[3]));
  assert.ok(all[0]!.FindingComponents!.some((x) => x.TransitGatewayRouteTableRoute?.RouteOrigin === 'propagated'));
  const inUse = await failure(() => c.send(new DeleteNetworkInsightsAccessScopeCommand({ NetworkInsightsAccessScopeId: scopeId })));
  assert.equal(inUse.name, 'DependencyViolation');
  const bad = await failure(() => c.send(new CreateNetworkInsightsAccessScopeCommand({ MatchPaths: [{ Source: { ResourceStatement: { ResourceTypes: ['AWS::S3::Bucket'] } } }] })));
  assert.equal(bad.name, 'InvalidParameterValue');
});
