/** Network Access Analyzer at network interface and security group level, through the SDK. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupIngressCommand, CreateNetworkAclCommand, CreateNetworkInsightsAccessScopeCommand, DescribeNetworkAclsCommand,
  GetNetworkInsightsAccessScopeAnalysisFindingsCommand, ModifyNetworkInterfaceAttributeCommand, ReplaceNetworkAclAssociationCommand, StartNetworkInsightsAccessScopeAnalysisCommand,
  type AccessScopePathRequest, type EC2Client,
} from '@aws-sdk/client-ec2';
import { useDrydock } from '../../helpers.js';
import { eniInGroup } from './flow-logs-helpers.js';
import { ec2Client, vpcWithSubnets } from './helpers.js';

const h = useDrydock();

async function findings(c: EC2Client, match: AccessScopePathRequest[], exclude: AccessScopePathRequest[] = []) {
  const scope = await c.send(new CreateNetworkInsightsAccessScopeCommand({ MatchPaths: match, ExcludePaths: exclude }));
  const a = await c.send(new StartNetworkInsightsAccessScopeAnalysisCommand({ NetworkInsightsAccessScopeId: scope.NetworkInsightsAccessScope!.NetworkInsightsAccessScopeId! }));
  const id = a.NetworkInsightsAccessScopeAnalysis!.NetworkInsightsAccessScopeAnalysisId!;
  return (await c.send(new GetNetworkInsightsAccessScopeAnalysisFindingsCommand({ NetworkInsightsAccessScopeAnalysisId: id }))).AnalysisFindings!;
}

test('"no ENI in SG-a reaches port 22 of SG-b" finds exactly the violating path, naming the ENIs and the security group rule', async () => {
  const c = ec2Client(h.dd);
  const v = await vpcWithSubnets(c, '10.110.0.0/16', ['10.110.1.0/24', '10.110.2.0/24']);
  const a1 = await eniInGroup(c, v.vpcId, v.subnetIds[0]!, 'group-a');
  const b1 = await eniInGroup(c, v.vpcId, v.subnetIds[0]!, 'group-b');
  const sgA = a1.groupId;
  const sgB = b1.groupId;
  // SG-b admits SSH from SG-a (a group reference), and HTTPS from anywhere.
  await c.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sgB, IpPermissions: [
    { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: sgA }] },
    { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
  ] }));
  // Another SG-b interface sits behind a network ACL that admits nothing.
  const b2 = await eniInGroup(c, v.vpcId, v.subnetIds[1]!, 'group-b2-unused');
  await c.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: b2.eniId, Groups: [sgB] }));
  const acl = (await c.send(new CreateNetworkAclCommand({ VpcId: v.vpcId }))).NetworkAcl!.NetworkAclId!;
  const assoc = (await c.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [v.subnetIds[1]!] }] })))
    .NetworkAcls![0]!.Associations!.find((x) => x.SubnetId === v.subnetIds[1])!.NetworkAclAssociationId!;
  await c.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: acl }));
  // An ENI outside SG-a, and one in a group open to everyone on 22 (not SG-b).
  const other = await eniInGroup(c, v.vpcId, v.subnetIds[0]!, 'group-x');
  await eniInGroup(c, v.vpcId, v.subnetIds[0]!, 'group-open', [{ port: 22, cidr: '0.0.0.0/0' }]);

  const ssh: AccessScopePathRequest = {
    Source: { ResourceStatement: { Resources: [sgA] } },
    Destination: { ResourceStatement: { Resources: [sgB] }, PacketHeaderStatement: { DestinationPorts: ['22'], Protocols: ['tcp'] } },
  };
  const found = await findings(c, [ssh]);
  assert.equal(found.length, 1);
  const comps = found[0]!.FindingComponents!;
  assert.deepEqual([comps[0]!.Component!.Id, comps.at(-1)!.Component!.Id], [a1.eniId, b1.eniId]);
  const rule = comps.find((x) => x.SecurityGroupRule?.Direction === 'ingress')!.SecurityGroupRule!;
  assert.deepEqual([rule.SecurityGroupId, rule.PortRange], [sgB, { From: 22, To: 22 }]);
  assert.ok(!JSON.stringify(found).includes(other.eniId) && !JSON.stringify(found).includes(b2.eniId));

  // By resource type: every ENI with a security group, to SG-b on 22; then the pair excluded.
  const typed: AccessScopePathRequest = {
    Source: { ResourceStatement: { ResourceTypes: ['AWS::EC2::SecurityGroup'] } },
    Destination: { ResourceStatement: { Resources: [sgB] }, PacketHeaderStatement: { DestinationPorts: ['22'] } },
  };
  assert.deepEqual((await findings(c, [typed])).map((f) => f.FindingComponents![0]!.Component!.Id), [a1.eniId]);
  assert.deepEqual(await findings(c, [typed], [{ Source: { ResourceStatement: { Resources: [a1.eniId] } } }]), []);
  // HTTPS is open to all: every other ENI of the VPC reaches B1 on 443 (B2 sits behind its closed ACL).
  const https = await findings(c, [{ Destination: { ResourceStatement: { Resources: [b1.eniId] }, PacketHeaderStatement: { DestinationPorts: ['443'] } } }]);
  assert.equal(https.length, 3);
});
