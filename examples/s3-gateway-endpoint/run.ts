/**
 * Handbook ch. 1 part 3: a private subnet reaching S3 through a gateway endpoint instead of the
 * NAT gateway. An instance in a private subnet first reaches S3 through the NAT gateway (and
 * pays for NAT processing); a gateway endpoint on its route table adds a route to S3's prefix
 * list, and Reachability Analyzer then shows the path through the endpoint, not the NAT. The
 * endpoint's policy allows one bucket only: traffic for another bucket is blocked at the
 * endpoint, and the subnet's flow log shows it.
 *
 *   node --import tsx examples/s3-gateway-endpoint/run.ts
 */
import {
  AllocateAddressCommand, AssociateRouteTableCommand, AttachInternetGatewayCommand, AuthorizeSecurityGroupEgressCommand,
  CreateInternetGatewayCommand, CreateNatGatewayCommand, CreateRouteCommand, CreateRouteTableCommand, CreateSecurityGroupCommand,
  CreateSubnetCommand, CreateVpcCommand, CreateVpcEndpointCommand, DescribeImagesCommand, DescribeInstancesCommand,
  DescribePrefixListsCommand, DescribeRouteTablesCommand, RunInstancesCommand, type EC2Client, type NetworkInsightsAnalysis,
} from '@aws-sdk/client-ec2';
import { formatAnalysis } from '../../src/cli/reach.js';
import { runIfMain, Scenario, withTarget, type ScenarioResult, type Target } from '../_lib/harness.js';
import { advanceClock, analyse, clients } from '../tgw-segmentation/net.js';

const REPORTS = 'reports-bucket';
const PAYROLL = 'payroll-bucket';

/** The endpoint policy: this VPC may use one bucket through the endpoint, nothing else. */
const ONLY_REPORTS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'ReportsOnly', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${REPORTS}`, `arn:aws:s3:::${REPORTS}/*`] }],
});

interface TrafficAnswer {
  reachable: boolean;
  result: { forward: { componentId: string; type: string }[]; explanations: { code: string; componentId: string; reason: string }[] };
}

/** Drydock's traffic simulator: the same engine as Reachability Analyzer, with the request the packets carry. */
async function traffic(endpoint: string, body: Record<string, unknown>): Promise<TrafficAnswer> {
  const r = await fetch(`${endpoint}/_drydock/network/traffic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await r.json()) as TrafficAnswer & { error?: string };
  if (!r.ok) throw new Error(`POST /_drydock/network/traffic answered ${r.status}: ${answer.error}`);
  return answer;
}

/** A VPC with a public subnet (internet gateway, NAT gateway) and a private subnet whose default route is the NAT. */
async function network(ec2: EC2Client) {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
  const subnet = async (cidr: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  const publicSubnet = await subnet('10.20.0.0/24');
  const privateSubnet = await subnet('10.20.1.0/24');
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const mainRt = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables![0]!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: mainRt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet, AllocationId: eip.AllocationId }))).NatGateway!.NatGatewayId!;
  const privateRt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: privateRt, SubnetId: privateSubnet }));
  await ec2.send(new CreateRouteCommand({ RouteTableId: privateRt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));
  return { vpcId, privateSubnet, privateRt, nat };
}

/** An Amazon Linux 2023 instance in the private subnet whose security group lets HTTPS out. */
async function appInstance(ec2: EC2Client, vpcId: string, subnetId: string) {
  const images = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*'] }, { Name: 'architecture', Values: ['x86_64'] }] }))).Images ?? [];
  const imageId = images[0]!.ImageId!;
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app servers', VpcId: vpcId }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const run = await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [sg] }));
  return { instanceId: run.Instances![0]!.InstanceId!, imageId };
}

const through = (a: NetworkInsightsAnalysis) => (a.ForwardPathComponents ?? []).map((c) => c.Component?.Id ?? '');

export async function run(target?: Target | string): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('s3-gateway-endpoint', t);
    const { ec2 } = clients(s.endpoint, s.root(s.account('000000000000')));

    s.section('A VPC with a public subnet (internet gateway, NAT gateway) and a private subnet routed through the NAT');
    const net = await network(ec2);
    const app = await appInstance(ec2, net.vpcId, net.privateSubnet);
    await advanceClock(s.endpoint, 120); // the NAT gateway becomes available, the instance runs
    const state = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [app.instanceId] }))).Reservations![0]!.Instances![0]!;
    s.check(`instance ${app.instanceId} (${app.imageId}) is running in the private subnet`, state.State?.Name === 'running' && state.SubnetId === net.privateSubnet, `${state.State?.Name} in ${state.SubnetId}`);
    const s3List = (await ec2.send(new DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.us-east-1.s3'] }] }))).PrefixLists![0]!;
    const s3Ip = s3List.Cidrs![0]!.replace(/\.0\/\d+$/, '.20');
    s.note(`S3 in us-east-1 is ${s3List.PrefixListId} (${s3List.Cidrs!.join(', ')}); the analysis aims at ${s3Ip}:443`);

    s.section('Before the endpoint: S3 is reached through the NAT gateway');
    const before = await analyse(ec2, { Source: app.instanceId, DestinationIp: s3Ip });
    s.check('the instance reaches S3 and the path goes through the NAT gateway', before.NetworkPathFound === true && through(before).includes(net.nat), through(before).join(' → '));

    s.section(`A gateway endpoint for S3 on the private route table, its policy allowing ${REPORTS} only`);
    const ep = (await ec2.send(new CreateVpcEndpointCommand({
      VpcId: net.vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', VpcEndpointType: 'Gateway', RouteTableIds: [net.privateRt], PolicyDocument: ONLY_REPORTS,
    }))).VpcEndpoint!.VpcEndpointId!;
    s.fact('endpoint', ep);
    const routes = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [net.privateRt] }))).RouteTables![0]!.Routes ?? [];
    s.check(`the private route table has a route to ${s3List.PrefixListId} through ${ep}`, routes.some((r) => r.DestinationPrefixListId === s3List.PrefixListId && r.GatewayId === ep));

    const after = await analyse(ec2, { Source: app.instanceId, DestinationIp: s3Ip });
    s.note(formatAnalysis(after, `${app.instanceId} → ${s3Ip}:443`).join('\n'));
    s.check('S3 is now reached through the endpoint, not the NAT gateway (the longer prefix wins over 0.0.0.0/0)',
      after.NetworkPathFound === true && through(after).includes(ep) && !through(after).includes(net.nat), through(after).join(' → '));
    const internet = await analyse(ec2, { Source: app.instanceId, DestinationIp: '93.184.216.34' });
    s.check('other internet traffic still leaves through the NAT gateway', internet.NetworkPathFound === true && through(internet).includes(net.nat));

    s.section('The endpoint policy decides which requests the endpoint carries');
    const reports = await traffic(s.endpoint, { from: app.instanceId, to: `s3://${REPORTS}/2026/q4.csv`, port: 443 });
    s.check(`GetObject on ${REPORTS} passes the endpoint`, reports.reachable && reports.result.forward.some((c) => c.componentId === ep));
    const payroll = await traffic(s.endpoint, { from: app.instanceId, to: `s3://${PAYROLL}/salaries.csv`, port: 443 });
    const why = payroll.result.explanations[0];
    s.check(`GetObject on ${PAYROLL} is blocked at ${ep} (VPC_ENDPOINT_POLICY_RESTRICTION)`,
      !payroll.reachable && why?.code === 'VPC_ENDPOINT_POLICY_RESTRICTION' && why.componentId === ep, why ? `${why.code} at ${why.componentId}: ${why.reason}` : 'no explanation');
    s.fact('payrollBlockedAt', why?.componentId ?? '');
    const put = await traffic(s.endpoint, { from: app.instanceId, to: 's3', action: 's3:DeleteObject', resource: `arn:aws:s3:::${REPORTS}/2026/q4.csv`, port: 443 });
    s.check(`DeleteObject on ${REPORTS} is blocked too: the policy allows reads, writes and listing only`, !put.reachable && put.result.explanations[0]?.code === 'VPC_ENDPOINT_POLICY_RESTRICTION');
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
