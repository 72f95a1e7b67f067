/**
 * CreateDefaultVpc: the VPC AWS gives every account in every region, made on request (a fresh
 * Drydock account starts without one, as an account whose default VPC was deleted). It is
 * 172.31.0.0/16 with a /20 default subnet per zone that maps public addresses on launch, an
 * attached internet gateway and a default route to it. RunInstances without a subnet lands in
 * it. Built from the ordinary handlers, so it is the same VPC a customer could build.
 */
import { AwsError } from '../../core/errors.js';
import type { Handler } from '../types.js';
import { attachInternetGateway, createInternetGateway } from './gateways.js';
import { dryRun } from './instances-common.js';
import { zonesOf } from './regions.js';
import { createRoute } from './route-tables.js';
import { ec2State } from './store.js';
import { createSubnet } from './subnets.js';
import { createVpc, vpcOut } from './vpcs.js';

export const createDefaultVpc: Handler = async (input, ctx) => {
  const s = ec2State(ctx);
  if ([...s.vpcs.values()].some((v) => v.isDefault)) {
    throw new AwsError('DefaultVpcAlreadyExists', 'A Default VPC already exists for this account in this region.', 400);
  }
  dryRun(input);
  const vpcId = ((await createVpc({ CidrBlock: '172.31.0.0/16' }, ctx)) as { Vpc: { VpcId: string } }).Vpc.VpcId;
  const vpc = s.vpcs.get(vpcId)!;
  Object.assign(vpc, { isDefault: true, enableDnsHostnames: true });
  s.vpcs.set(vpc.id, vpc);
  for (const [n, zone] of zonesOf(ctx.region).entries()) {
    const out = (await createSubnet({ VpcId: vpcId, CidrBlock: `172.31.${n * 16}.0/20`, AvailabilityZone: zone.name }, ctx)) as { Subnet: { SubnetId: string } };
    const sn = s.subnets.get(out.Subnet.SubnetId)!;
    Object.assign(sn, { defaultForAz: true, mapPublicIpOnLaunch: true });
    s.subnets.set(sn.id, sn);
  }
  const igw = ((await createInternetGateway({}, ctx)) as { InternetGateway: { InternetGatewayId: string } }).InternetGateway.InternetGatewayId;
  await attachInternetGateway({ InternetGatewayId: igw, VpcId: vpcId }, ctx);
  const main = [...s.routeTables.values()].find((r) => r.vpcId === vpcId && r.main)!;
  await createRoute({ RouteTableId: main.id, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }, ctx);
  return { Vpc: vpcOut(s.vpcs.get(vpcId)!, ctx.account, 'pending') };
};
