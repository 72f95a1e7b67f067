/**
 * Handbook ch. 1, part 2: segmentation with Transit Gateway route tables. Prod, Dev and
 * Shared-Services VPCs and an on-premises network behind Direct Connect (a two-link LAG, a
 * transit VIF, a Direct Connect gateway associated with the transit gateway). Three route
 * tables — `prod-routetable`, `dev-routetable`, `shared-services-routetable` — with routes
 * propagated so that prod→shared, dev→shared, prod→on-prem and dev→on-prem are reachable and
 * prod↔dev is not: Reachability Analyzer names the transit gateway route table that has no
 * route. Then one LAG link fails and the LAG falls under its minimum links.
 *
 *   node --import tsx examples/tgw-segmentation/run.ts
 */
import {
  AssociateTransitGatewayRouteTableCommand, AuthorizeSecurityGroupIngressCommand, CreateNetworkInterfaceCommand, CreateRouteCommand,
  CreateSecurityGroupCommand, CreateSubnetCommand, CreateTransitGatewayCommand, CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand, CreateVpcCommand, DescribeRouteTablesCommand, DescribeTransitGatewayAttachmentsCommand,
  EnableTransitGatewayRouteTablePropagationCommand, type EC2Client, type NetworkInsightsAnalysis,
} from '@aws-sdk/client-ec2';
import {
  CreateDirectConnectGatewayAssociationCommand, CreateDirectConnectGatewayCommand, CreateLagCommand, CreateTransitVirtualInterfaceCommand,
  DescribeLagsCommand, UpdateLagCommand, type DirectConnectClient,
} from '@aws-sdk/client-direct-connect';
import { formatAnalysis } from '../../src/cli/reach.js';
import { runIfMain, Scenario, withTarget, type ScenarioResult, type Target } from '../_lib/harness.js';
import { addFault, advanceClock, analyse, clients, removeFault } from './net.js';

const ON_PREM = '172.16.0.0/12';
const ON_PREM_HOST = '172.16.20.10';
const SEGMENTS = { prod: '10.1.0.0/16', dev: '10.2.0.0/16', shared: '10.3.0.0/16' } as const;
type Segment = keyof typeof SEGMENTS;

const named = (type: string, name: string) => [{ ResourceType: type as 'vpc', Tags: [{ Key: 'Name', Value: name }] }];

/** A VPC with one subnet and one application ENI (HTTPS open to the corporate network), routing 10/8 and on-prem to the TGW. */
async function segment(ec2: EC2Client, name: Segment, tgw: string) {
  const cidr = SEGMENTS[name];
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr, TagSpecifications: named('vpc', name) }))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr.replace('0.0/16', '1.0/24'), AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-app`, Description: `${name} application`, VpcId: vpcId }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: ON_PREM }] }] }));
  const attachmentId = (await ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: vpcId, SubnetIds: [subnetId] }))).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
  const rt = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables![0]!.RouteTableId!;
  for (const dest of ['10.0.0.0/8', ON_PREM]) await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: dest, TransitGatewayId: tgw }));
  const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Groups: [sg], Description: `${name} app` }))).NetworkInterface!;
  return { vpcId, attachmentId, eniId: eni.NetworkInterfaceId!, ip: eni.PrivateIpAddress! };
}

/** On-premises over Direct Connect: a 2×10G LAG (minimum 2 links), a transit VIF, a gateway associated with the TGW. */
async function onPremises(dx: DirectConnectClient, tgw: string) {
  const lag = await dx.send(new CreateLagCommand({ lagName: 'corp-dc1', location: 'EqDC2', connectionsBandwidth: '10Gbps', numberOfConnections: 2 }));
  await dx.send(new UpdateLagCommand({ lagId: lag.lagId, minimumLinks: 2 }));
  const gw = (await dx.send(new CreateDirectConnectGatewayCommand({ directConnectGatewayName: 'corp', amazonSideAsn: 64512 }))).directConnectGateway!;
  const vif = await dx.send(new CreateTransitVirtualInterfaceCommand({
    connectionId: lag.lagId,
    newTransitVirtualInterface: {
      virtualInterfaceName: 'corp-transit', vlan: 101, asn: 65001, directConnectGatewayId: gw.directConnectGatewayId,
      tags: [{ key: 'drydock:on-prem-cidrs', value: ON_PREM }],
    },
  }));
  await dx.send(new CreateDirectConnectGatewayAssociationCommand({
    directConnectGatewayId: gw.directConnectGatewayId, gatewayId: tgw, addAllowedPrefixesToDirectConnectGateway: [{ cidr: '10.0.0.0/8' }],
  }));
  return { lagId: lag.lagId!, links: lag.connections!.map((c) => c.connectionId!), gatewayId: gw.directConnectGatewayId!, vifId: vif.virtualInterface!.virtualInterfaceId! };
}

export async function run(target?: Target | string): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('tgw-segmentation', t);
    const { ec2, dx } = clients(s.endpoint, s.root(s.account('000000000000')));

    s.section('A transit gateway without default association or propagation, and three route tables');
    const tgw = (await ec2.send(new CreateTransitGatewayCommand({
      Description: 'hub', Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' },
    }))).TransitGateway!.TransitGatewayId!;
    const rtb: Record<string, string> = {};
    for (const name of ['prod-routetable', 'dev-routetable', 'shared-services-routetable']) {
      rtb[name] = (await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw, TagSpecifications: named('transit-gateway-route-table', name) }))).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
    }
    s.note(`${tgw}: ${Object.entries(rtb).map(([n, id]) => `${n} ${id}`).join(', ')}`);

    s.section('Prod, Dev and Shared-Services VPCs attached; the on-premises network over Direct Connect');
    const vpc = { prod: await segment(ec2, 'prod', tgw), dev: await segment(ec2, 'dev', tgw), shared: await segment(ec2, 'shared', tgw) };
    const corp = await onPremises(dx, tgw);
    await advanceClock(s.endpoint, 300); // the LAG's links are provisioned
    const lagNow = (await dx.send(new DescribeLagsCommand({ lagId: corp.lagId }))).lags![0]!;
    s.check('the LAG is available with both links once provisioned (5 minutes on the clock)', lagNow.lagState === 'available' && lagNow.connections!.every((c) => c.connectionState === 'available'), `${corp.lagId}: ${lagNow.lagState}`);
    const dxAtt = (await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: 'resource-type', Values: ['direct-connect-gateway'] }, { Name: 'transit-gateway-id', Values: [tgw] }] }))).TransitGatewayAttachments ?? [];
    if (!s.check('the Direct Connect gateway association gave the transit gateway a direct-connect-gateway attachment', dxAtt.length === 1, dxAtt.map((a) => a.TransitGatewayAttachmentId).join(', '))) return s.result();
    const dxAttachment = dxAtt[0]!.TransitGatewayAttachmentId!;
    s.fact('dxAttachment', dxAttachment);

    s.section('Associations and propagations (no Prod routes in dev-routetable, no Dev routes in prod-routetable)');
    const associate = (rt: string, att: string) => ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: rtb[rt], TransitGatewayAttachmentId: att }));
    const propagate = (rt: string, att: string) => ec2.send(new EnableTransitGatewayRouteTablePropagationCommand({ TransitGatewayRouteTableId: rtb[rt], TransitGatewayAttachmentId: att }));
    await associate('prod-routetable', vpc.prod.attachmentId);
    await associate('dev-routetable', vpc.dev.attachmentId);
    await associate('shared-services-routetable', vpc.shared.attachmentId);
    await associate('shared-services-routetable', dxAttachment);
    for (const rt of ['prod-routetable', 'dev-routetable']) for (const att of [vpc.shared.attachmentId, dxAttachment]) await propagate(rt, att);
    for (const att of [vpc.prod.attachmentId, vpc.dev.attachmentId, dxAttachment]) await propagate('shared-services-routetable', att);
    s.note('prod-routetable ← shared, on-prem · dev-routetable ← shared, on-prem · shared-services-routetable ← prod, dev, on-prem');

    s.section('Reachability Analyzer');
    const show = (a: NetworkInsightsAnalysis, title: string) => s.note(formatAnalysis(a, title).join('\n'));
    const reachable = async (title: string, path: Parameters<typeof analyse>[1]) => {
      const a = await analyse(ec2, path);
      s.check(`${title} is reachable`, a.NetworkPathFound === true, (a.Explanations ?? []).map((e) => e.ExplanationCode).join(', '));
      return a;
    };
    await reachable('prod → shared (tcp/443)', { Source: vpc.prod.eniId, Destination: vpc.shared.eniId });
    await reachable('dev → shared (tcp/443)', { Source: vpc.dev.eniId, Destination: vpc.shared.eniId });
    const toDc = await reachable(`prod → on-premises ${ON_PREM_HOST}`, { Source: vpc.prod.eniId, DestinationIp: ON_PREM_HOST });
    show(toDc, `${vpc.prod.eniId} → ${ON_PREM_HOST}`);
    await reachable(`dev → on-premises ${ON_PREM_HOST}`, { Source: vpc.dev.eniId, DestinationIp: ON_PREM_HOST });
    await reachable(`on-premises ${ON_PREM_HOST} → prod`, { Source: dxAttachment, SourceIp: ON_PREM_HOST, Destination: vpc.prod.eniId });
    for (const [from, to] of [['prod', 'dev'], ['dev', 'prod']] as const) {
      const a = await analyse(ec2, { Source: vpc[from].eniId, Destination: vpc[to].eniId });
      const e = a.Explanations?.[0];
      const table = `${from}-routetable`;
      s.check(`${from} → ${to} is NOT reachable: blocked at ${table} for want of a route (TGW_RTB_CANNOT_ROUTE)`,
        a.NetworkPathFound === false && e?.ExplanationCode === 'TGW_RTB_CANNOT_ROUTE' && e.Component?.Id === rtb[table],
        `${e?.ExplanationCode} at ${e?.Component?.Id}`);
      if (from === 'prod') { show(a, `${vpc.prod.eniId} → ${vpc.dev.eniId}`); s.fact('prodToDevBlockedAt', e?.Component?.Id ?? ''); }
    }
    s.fact('prodRouteTable', rtb['prod-routetable']!);

    s.section('One of the two LAG links goes down: the LAG is under its minimum links, on-premises is cut off');
    const fault = await addFault(s.endpoint, { type: 'dx-link-down', connectionId: corp.links[0] });
    const lagDown = (await dx.send(new DescribeLagsCommand({ lagId: corp.lagId }))).lags![0]!;
    s.check('DescribeLags reports the LAG down', lagDown.lagState === 'down', `${corp.lagId}: ${lagDown.lagState}`);
    const cut = await analyse(ec2, { Source: vpc.prod.eniId, DestinationIp: ON_PREM_HOST });
    const why = cut.Explanations?.[0];
    s.check('prod → on-premises is blocked at the virtual interface (BAD_STATE, down)', cut.NetworkPathFound === false && why?.ExplanationCode === 'BAD_STATE' && why.Component?.Id === corp.vifId && why.State === 'down', `${why?.ExplanationCode} at ${why?.Component?.Id} (${why?.State})`);
    const stillShared = await analyse(ec2, { Source: vpc.prod.eniId, Destination: vpc.shared.eniId });
    s.check('prod → shared is unaffected', stillShared.NetworkPathFound === true);
    await removeFault(s.endpoint, fault);
    s.check('with the link back, prod → on-premises is reachable again', (await analyse(ec2, { Source: vpc.prod.eniId, DestinationIp: ON_PREM_HOST })).NetworkPathFound === true);
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
