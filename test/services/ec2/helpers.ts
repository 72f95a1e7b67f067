/** Shared setup for the EC2 suites: a client, and a VPC with subnets built in one call. */
import {
  CreateSubnetCommand, CreateVpcCommand, EC2Client, type Tag,
} from '@aws-sdk/client-ec2';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { sdkConfig } from '../../helpers.js';

export function ec2Client(dd: RunningDrydock, region = 'us-east-1'): EC2Client {
  return new EC2Client(sdkConfig(dd, { region }));
}

export function nameTag(type: string, name: string) {
  return [{ ResourceType: type as 'vpc', Tags: [{ Key: 'Name', Value: name }] as Tag[] }];
}

/** A VPC with one subnet per given CIDR (zones a, b, c in turn); returns their ids. */
export async function vpcWithSubnets(c: EC2Client, cidr: string, subnets: string[], name = 'vpc'): Promise<{ vpcId: string; subnetIds: string[] }> {
  const vpc = await c.send(new CreateVpcCommand({ CidrBlock: cidr, TagSpecifications: nameTag('vpc', name) }));
  const vpcId = vpc.Vpc!.VpcId!;
  const subnetIds: string[] = [];
  for (const [i, s] of subnets.entries()) {
    const r = await c.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: s, AvailabilityZone: `us-east-1${'abc'[i % 3]}` }));
    subnetIds.push(r.Subnet!.SubnetId!);
  }
  return { vpcId, subnetIds };
}
