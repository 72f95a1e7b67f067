/** Shared by the flow log, PrivateLink and endpoint policy suites: traffic, a delivery role, two ENIs in SGs. */
import {
  AuthorizeSecurityGroupIngressCommand, CreateNetworkInterfaceCommand, CreateSecurityGroupCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { sdkConfig } from '../../helpers.js';

export interface TrafficAnswer {
  reachable: boolean;
  result: { forward: { componentId: string; type: string }[]; explanations: { code: string; componentId: string; type: string; reason: string }[] };
  records: { eniId: string; action: string; flowLogId: string; record: string; delivered: boolean; error?: string }[];
}

/** POST /_drydock/network/traffic. */
export async function traffic(dd: RunningDrydock, body: Record<string, unknown>): Promise<{ status: number; body: TrafficAnswer & { error?: string } }> {
  const r = await fetch(`${dd.endpoint}/_drydock/network/traffic`, { method: 'POST', body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() as TrafficAnswer & { error?: string } };
}

/** A role `vpc-flow-logs.amazonaws.com` may assume (or not, with `trusted: false`) that may write logs. */
export async function deliveryRole(dd: RunningDrydock, name: string, trusted = true): Promise<string> {
  const iam = new IAMClient(sdkConfig(dd));
  const service = trusted ? 'vpc-flow-logs.amazonaws.com' : 'ec2.amazonaws.com';
  const role = await iam.send(new CreateRoleCommand({
    RoleName: name,
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] }),
  }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: name, PolicyName: 'deliver',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: '*' }] }),
  }));
  return role.Role!.Arn!;
}

/** A security group of `vpcId` with the given ingress (tcp port from CIDR), and an ENI in `subnetId` using it. */
export async function eniInGroup(c: EC2Client, vpcId: string, subnetId: string, name: string, ingress: { port: number; cidr: string }[] = []): Promise<{ eniId: string; groupId: string; ip: string }> {
  const g = (await c.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
  for (const r of ingress) {
    await c.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: g, IpPermissions: [{ IpProtocol: 'tcp', FromPort: r.port, ToPort: r.port, IpRanges: [{ CidrIp: r.cidr }] }] }));
  }
  const eni = (await c.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Groups: [g] }))).NetworkInterface!;
  return { eniId: eni.NetworkInterfaceId!, groupId: g, ip: eni.PrivateIpAddress! };
}
