/** Instances in the network (Reachability Analyzer and `drydock reach` with instance ends) and in IAM (ABAC on instance tags). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AllocateAddressCommand, AssociateAddressCommand, AttachInternetGatewayCommand, AuthorizeSecurityGroupIngressCommand, CreateInternetGatewayCommand,
  CreateNetworkInsightsPathCommand, CreateRouteCommand, CreateSecurityGroupCommand, DescribeInstancesCommand, DescribeRouteTablesCommand,
  EC2Client, ModifySubnetAttributeCommand, RunInstancesCommand, StartInstancesCommand, StartNetworkInsightsAnalysisCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { reach } from '../../../src/cli/reach.js';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';
import { al2023, runOne } from './instances-helpers.js';

const h = useDrydock();

/** An IAM user tagged `team`, with an inline policy of `statements`, as an EC2 client. */
async function teamUser(name: string, team: string, statements: unknown[]): Promise<EC2Client> {
  const iam = new IAMClient(sdkConfig(h.dd));
  await iam.send(new CreateUserCommand({ UserName: name, Tags: [{ Key: 'team', Value: team }] }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'policy', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return new EC2Client({ ...sdkConfig(h.dd), credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
}

test('instance → instance across security groups: Reachability Analyzer names the instances; `drydock reach i-… i-…` prints the path or the blocking group', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.80.0.0/16', ['10.80.1.0/24', '10.80.2.0/24']);
  const sg = async (name: string) => (await c.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: v.vpcId }))).GroupId!;
  const webSg = await sg('web');
  const dbSg = await sg('db');
  await c.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: dbSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: webSg }] }] }));
  const web = await runOne(c, v.subnetIds[0]!, { SecurityGroupIds: [webSg] });
  const db = await runOne(c, v.subnetIds[1]!, { SecurityGroupIds: [dbSg] });
  assert.deepEqual(db.SecurityGroups!.map((g) => [g.GroupId, g.GroupName]), [[dbSg, 'db']]);
  h.dd.app.clock.advance(6);

  const analyse = async (port: number) => {
    const p = await c.send(new CreateNetworkInsightsPathCommand({ Source: web.InstanceId, Destination: db.InstanceId, Protocol: 'tcp', DestinationPort: port }));
    assert.match(p.NetworkInsightsPath!.SourceArn!, /:instance\/i-/);
    return (await c.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: p.NetworkInsightsPath!.NetworkInsightsPathId }))).NetworkInsightsAnalysis!;
  };
  const ok = await analyse(5432);
  assert.equal(ok.NetworkPathFound, true);
  const ids = ok.ForwardPathComponents!.map((x) => x.Component!.Id);
  assert.equal(ids[0], web.InstanceId);
  assert.equal(ids[1], web.NetworkInterfaces![0]!.NetworkInterfaceId);
  assert.equal(ids.at(-1), db.InstanceId);
  assert.ok(ids.includes(dbSg));
  const blocked = await analyse(22);
  assert.equal(blocked.NetworkPathFound, false);
  assert.equal(blocked.Explanations![0]!.ExplanationCode, 'ENI_SG_RULES_MISMATCH');

  process.env['DRYDOCK_ENDPOINT'] = h.dd.endpoint;
  const lines: string[] = [];
  assert.equal(await reach([web.InstanceId!, db.InstanceId!, '--port', '5432'], (l) => lines.push(l)), 0);
  assert.equal(lines[0], `✔ reachable: ${web.InstanceId} → ${db.InstanceId}  tcp/5432`);
  assert.ok(lines.some((l) => l.includes('instance') && l.includes(db.InstanceId!)), lines.join('\n'));
  const denied: string[] = [];
  assert.equal(await reach([web.InstanceId!, db.InstanceId!, '--port', '22'], (l) => denied.push(l)), 2);
  assert.ok(denied.some((l) => l.startsWith('blocked at') && l.includes('ENI_SG_RULES_MISMATCH')), denied.join('\n'));
});

test('ABAC: StopInstances allowed only where the instance tag team equals the caller\'s PrincipalTag team (ec2:ResourceTag, as EC2 policies write it); another team\'s instance is UnauthorizedOperation', async () => {
  const dev = await teamUser('ops-blue', 'blue', [
    { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
    {
      Effect: 'Allow', Action: 'ec2:StopInstances', Resource: 'arn:aws:ec2:*:*:instance/*',
      Condition: { StringEquals: { 'ec2:ResourceTag/team': '${aws:PrincipalTag/team}' } },
    },
  ]);
  const admin = ec2Client(h.dd);
  const v = await vpcWithSubnets(admin, '10.81.0.0/16', ['10.81.1.0/24']);
  const tagged = async (team: string) => (await runOne(admin, v.subnetIds[0]!, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: team }] }] })).InstanceId!;
  const blue = await tagged('blue');
  const red = await tagged('red');
  h.dd.app.clock.advance(6);
  const refused = await failure(() => dev.send(new StopInstancesCommand({ InstanceIds: [red] })));
  assert.deepEqual([refused.name, refused.status], ['UnauthorizedOperation', 403]);
  assert.match(refused.message, /^You are not authorized to perform this operation\./);
  const both = await failure(() => dev.send(new StopInstancesCommand({ InstanceIds: [blue, red] })));
  assert.equal(both.name, 'UnauthorizedOperation', 'one refused instance refuses the whole call');
  const stopped = await dev.send(new StopInstancesCommand({ InstanceIds: [blue] }));
  assert.equal(stopped.StoppingInstances![0]!.CurrentState!.Name, 'stopping');
  const states = (await dev.send(new DescribeInstancesCommand({ InstanceIds: [blue, red] }))).Reservations!.flatMap((r) => r.Instances!);
  assert.deepEqual(states.map((i) => i.State!.Name).sort(), ['running', 'stopping']);
  // RunInstances is authorized on the instance, interface, volume, image and subnet it uses.
  const image = await al2023(admin);
  const run = await failure(() => dev.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: v.subnetIds[0] })));
  assert.equal(run.name, 'UnauthorizedOperation');
});

test('a public subnet gives instances a public address at each start; the internet reaches one its group admits; an Elastic IP associates by instance id', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.82.0.0/16', ['10.82.1.0/24']);
  const igw = (await c.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await c.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: v.vpcId }));
  const rt = (await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [v.vpcId] }] }))).RouteTables![0]!.RouteTableId!;
  await c.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  await c.send(new ModifySubnetAttributeCommand({ SubnetId: v.subnetIds[0], MapPublicIpOnLaunch: { Value: true } }));
  const web = (await c.send(new CreateSecurityGroupCommand({ GroupName: 'https', Description: 'https', VpcId: v.vpcId }))).GroupId!;
  await c.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const i = await runOne(c, v.subnetIds[0]!, { SecurityGroupIds: [web] });
  assert.match(i.PublicIpAddress ?? '', /^3\.\d+\.\d+\.\d+$/);
  assert.equal(i.PublicDnsName, `ec2-${i.PublicIpAddress!.replace(/\./g, '-')}.compute-1.amazonaws.com`);
  h.dd.app.clock.advance(6);
  const inbound = async (port: number) => {
    const p = await c.send(new CreateNetworkInsightsPathCommand({ Source: igw, Destination: i.InstanceId, Protocol: 'tcp', DestinationPort: port }));
    return (await c.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: p.NetworkInsightsPath!.NetworkInsightsPathId }))).NetworkInsightsAnalysis!;
  };
  assert.equal((await inbound(443)).NetworkPathFound, true);
  assert.equal((await inbound(22)).NetworkPathFound, false);

  await c.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  h.dd.app.clock.advance(11);
  const describeOne = async () => (await c.send(new DescribeInstancesCommand({ InstanceIds: [i.InstanceId!] }))).Reservations![0]!.Instances![0]!;
  assert.equal((await describeOne()).PublicIpAddress, undefined, 'a stopped instance gives its public address back');
  await c.send(new StartInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  assert.match((await describeOne()).PublicIpAddress ?? '', /^3\./);
  const eip = await c.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  await c.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: i.InstanceId }));
  assert.equal((await describeOne()).PublicIpAddress, eip.PublicIp);
});

test('tag-on-create is an ec2:CreateTags decision: aws:RequestTag must match the caller\'s team, and a refused launch leaves nothing behind', async () => {
  const dev = await teamUser('launcher', 'green', [
    { Effect: 'Allow', Action: ['ec2:Describe*', 'ec2:RunInstances'], Resource: '*' },
    { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { StringEquals: { 'aws:RequestTag/team': '${aws:PrincipalTag/team}' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'Name'] } } },
  ]);
  const admin = ec2Client(h.dd);
  const v = await vpcWithSubnets(admin, '10.83.0.0/16', ['10.83.1.0/24']);
  const launch = (tags: { Key: string; Value: string }[]) => runOne(dev, v.subnetIds[0]!, { TagSpecifications: [{ ResourceType: 'instance', Tags: tags }] });
  const ok = await launch([{ Key: 'team', Value: 'green' }, { Key: 'Name', Value: 'api' }]);
  assert.deepEqual(ok.Tags!.map((t) => `${t.Key}=${t.Value}`).sort(), ['Name=api', 'team=green']);
  const wrongTeam = await failure(() => launch([{ Key: 'team', Value: 'red' }]));
  assert.deepEqual([wrongTeam.name, wrongTeam.status], ['UnauthorizedOperation', 403]);
  const extraKey = await failure(() => launch([{ Key: 'team', Value: 'green' }, { Key: 'cost', Value: 'x' }]));
  assert.equal(extraKey.name, 'UnauthorizedOperation');
  const left = (await admin.send(new DescribeInstancesCommand({ Filters: [{ Name: 'subnet-id', Values: [v.subnetIds[0]!] }] }))).Reservations!.flatMap((r) => r.Instances!);
  assert.deepEqual(left.map((i) => i.InstanceId), [ok.InstanceId], 'refused launches leave no instance');
  // Untagged launches need no ec2:CreateTags.
  assert.equal((await runOne(dev, v.subnetIds[0]!)).State!.Name, 'pending');
});
