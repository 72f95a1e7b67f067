/**
 * The handbook's scenario question 1: 500 VPCs that must all reach the on-premises data centre
 * over Direct Connect and must never reach each other. The transit gateway's default route
 * table takes every propagation (so on-premises can reach each VPC); the 500 VPC attachments
 * are associated with a second table, `VPC-Route-Table`, holding one static route to the Direct
 * Connect attachment. Network Access Analyzer proves it: the scope "a VPC reaches another VPC"
 * has zero findings, "a VPC reaches on-premises" has 500, and one wrong propagation into
 * `VPC-Route-Table` yields exactly the 499 leaking paths — and nothing else.
 *
 *   node --import tsx examples/isolated-vpcs/run.ts [VPC count, default 500]
 */
import {
  AssociateTransitGatewayRouteTableCommand, CreateNetworkInsightsAccessScopeCommand, CreateRouteCommand, CreateSubnetCommand,
  CreateTransitGatewayCommand, CreateTransitGatewayRouteCommand, CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand, CreateVpcCommand, DescribeRouteTablesCommand, DescribeTransitGatewayAttachmentsCommand,
  EnableTransitGatewayRouteTablePropagationCommand, GetNetworkInsightsAccessScopeAnalysisFindingsCommand,
  StartNetworkInsightsAccessScopeAnalysisCommand, type AccessScopePathRequest, type AccessScopeAnalysisFinding, type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateConnectionCommand, CreateDirectConnectGatewayAssociationCommand, CreateDirectConnectGatewayCommand,
  CreateTransitVirtualInterfaceCommand,
} from '@aws-sdk/client-direct-connect';
import { runIfMain, Scenario, withTarget, type ScenarioResult, type Target } from '../_lib/harness.js';
import { advanceClock, analyse, clients } from '../tgw-segmentation/net.js';

const ON_PREM = '172.16.0.0/12';

/** VPC `i` gets 10.x.y.0/20 (room for 4,096 VPCs in 10/8), with three /24 subnets, one per zone. */
export function vpcCidr(i: number): string {
  return `10.${i >> 4}.${(i & 15) << 4}.0/20`;
}

interface Spoke { vpcId: string; attachmentId: string; subnetId: string }

async function spoke(ec2: EC2Client, i: number, tgw: string, vpcRouteTable: string): Promise<Spoke> {
  const cidr = vpcCidr(i);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr, TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: `spoke-${i}` }] }] }))).Vpc!.VpcId!;
  const [a, b, c] = cidr.split('.').map(Number) as [number, number, number];
  void c;
  const subnetIds: string[] = [];
  for (let z = 0; z < 3; z++) {
    subnetIds.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${a}.${b}.${((i & 15) << 4) + z}.0/24`, AvailabilityZone: `us-east-1${'abc'[z]}` }))).Subnet!.SubnetId!);
  }
  const attachmentId = (await ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: vpcId, SubnetIds: subnetIds }))).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
  await ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: vpcRouteTable, TransitGatewayAttachmentId: attachmentId }));
  const rt = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables![0]!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: tgw }));
  return { vpcId, attachmentId, subnetId: subnetIds[0]! };
}

async function findings(ec2: EC2Client, scopeId: string): Promise<AccessScopeAnalysisFinding[]> {
  const a = await ec2.send(new StartNetworkInsightsAccessScopeAnalysisCommand({ NetworkInsightsAccessScopeId: scopeId }));
  const id = a.NetworkInsightsAccessScopeAnalysis!.NetworkInsightsAccessScopeAnalysisId!;
  const out: AccessScopeAnalysisFinding[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(new GetNetworkInsightsAccessScopeAnalysisFindingsCommand({ NetworkInsightsAccessScopeAnalysisId: id, MaxResults: 100, NextToken: token }));
    out.push(...(page.AnalysisFindings ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

/** The VPC a finding starts from and the one (or the address) it ends at. */
function ends(f: AccessScopeAnalysisFinding): [string, string] {
  const cs = f.FindingComponents ?? [];
  const last = cs.at(-1);
  return [cs[0]?.Vpc?.Id ?? '', last?.Vpc?.Id ?? last?.Component?.Id ?? ''];
}

const VPC_TO_VPC: AccessScopePathRequest = { Source: { ResourceStatement: { ResourceTypes: ['AWS::EC2::VPC'] } }, Destination: { ResourceStatement: { ResourceTypes: ['AWS::EC2::VPC'] } } };
const VPC_TO_ON_PREM: AccessScopePathRequest = { Source: { ResourceStatement: { ResourceTypes: ['AWS::EC2::VPC'] } }, Destination: { PacketHeaderStatement: { DestinationAddresses: [ON_PREM] } } };

export async function run(target?: Target | string, count = 500): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('isolated-vpcs', t);
    const { ec2, dx } = clients(s.endpoint, s.root(s.account('000000000000')));

    s.section(`A transit gateway: the default route table takes every propagation; VPC-Route-Table gets the ${count} VPCs`);
    const tgw = (await ec2.send(new CreateTransitGatewayCommand({ Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'enable' } }))).TransitGateway!;
    const tgwId = tgw.TransitGatewayId!;
    const defaultRt = tgw.Options!.PropagationDefaultRouteTableId!;
    const vpcRt = (await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgwId, TagSpecifications: [{ ResourceType: 'transit-gateway-route-table', Tags: [{ Key: 'Name', Value: 'VPC-Route-Table' }] }] }))).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;

    s.section('On-premises over Direct Connect, associated with the default route table');
    const conn = await dx.send(new CreateConnectionCommand({ location: 'EqDC2', bandwidth: '10Gbps', connectionName: 'dc' }));
    const gw = (await dx.send(new CreateDirectConnectGatewayCommand({ directConnectGatewayName: 'corp' }))).directConnectGateway!.directConnectGatewayId!;
    await dx.send(new CreateTransitVirtualInterfaceCommand({ connectionId: conn.connectionId, newTransitVirtualInterface: { virtualInterfaceName: 'corp', vlan: 100, asn: 65010, directConnectGatewayId: gw, tags: [{ key: 'drydock:on-prem-cidrs', value: ON_PREM }] } }));
    await dx.send(new CreateDirectConnectGatewayAssociationCommand({ directConnectGatewayId: gw, gatewayId: tgwId, addAllowedPrefixesToDirectConnectGateway: [{ cidr: '10.0.0.0/8' }] }));
    await advanceClock(s.endpoint, 300);
    const dxAtt = (await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: 'resource-type', Values: ['direct-connect-gateway'] }] }))).TransitGatewayAttachments![0]!.TransitGatewayAttachmentId!;
    await ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: defaultRt, TransitGatewayAttachmentId: dxAtt }));
    await ec2.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: vpcRt, DestinationCidrBlock: ON_PREM, TransitGatewayAttachmentId: dxAtt }));
    s.note(`VPC-Route-Table ${vpcRt}: ${ON_PREM} → ${dxAtt} (the only route)`);

    s.section(`${count} spoke VPCs, three subnets each, attached and associated with VPC-Route-Table`);
    const started = performance.now();
    const spokes: Spoke[] = [];
    for (let i = 0; i < count; i += 25) {
      spokes.push(...await Promise.all(Array.from({ length: Math.min(25, count - i) }, (_, k) => spoke(ec2, i + k, tgwId, vpcRt))));
    }
    s.note(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    s.section('Network Access Analyzer');
    const scope = async (path: AccessScopePathRequest) => (await ec2.send(new CreateNetworkInsightsAccessScopeCommand({ MatchPaths: [path] }))).NetworkInsightsAccessScope!.NetworkInsightsAccessScopeId!;
    const isolation = await scope(VPC_TO_VPC);
    let t0 = performance.now();
    const none = await findings(ec2, isolation);
    s.fact('isolationMs', String(Math.round(performance.now() - t0)));
    s.check('"a VPC reaches another VPC": zero findings', none.length === 0, `${none.length} findings in ${s.result === undefined ? '' : ''}${Math.round(performance.now() - t0)} ms`);
    const reachDc = await findings(ec2, await scope(VPC_TO_ON_PREM));
    const vpcsToDc = new Set(reachDc.map((f) => ends(f)[0]));
    s.check(`"a VPC reaches on-premises ${ON_PREM}": every one of the ${count} VPCs`, vpcsToDc.size === count && reachDc.length === count, `${reachDc.length} findings from ${vpcsToDc.size} VPCs`);
    const sample = await analyse(ec2, { Source: `${spokes[0]!.subnetId}`, Destination: spokes[1]!.subnetId });
    s.check('Reachability Analyzer: spoke-0 → spoke-1 is blocked at VPC-Route-Table (TGW_RTB_CANNOT_ROUTE)',
      sample.NetworkPathFound === false && sample.Explanations?.[0]?.ExplanationCode === 'TGW_RTB_CANNOT_ROUTE' && sample.Explanations[0].Component?.Id === vpcRt);

    s.section('A mistake: spoke-7 is propagated into VPC-Route-Table');
    const leaky = spokes[7]!;
    await ec2.send(new EnableTransitGatewayRouteTablePropagationCommand({ TransitGatewayRouteTableId: vpcRt, TransitGatewayAttachmentId: leaky.attachmentId }));
    t0 = performance.now();
    const leaks = await findings(ec2, isolation);
    s.fact('leakMs', String(Math.round(performance.now() - t0)));
    const pairs = leaks.map(ends);
    s.check(`exactly the ${count - 1} paths into spoke-7 are found`,
      leaks.length === count - 1 && pairs.every(([, to]) => to === leaky.vpcId) && new Set(pairs.map(([from]) => from)).size === count - 1 && !pairs.some(([from]) => from === leaky.vpcId),
      `${leaks.length} findings; destinations: ${[...new Set(pairs.map(([, to]) => to))].join(', ')}`);
    s.fact('leakFindings', String(leaks.length));
    s.fact('leakyVpc', leaky.vpcId);
    return s.result();
  });
}

runIfMain(import.meta.url, () => run(undefined, Number(process.argv[2] ?? 500)));
