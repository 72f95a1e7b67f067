/**
 * Internet and egress-only internet gateways, Elastic IP addresses, and NAT gateways (which
 * take an ENI in their subnet and, when public, an EIP; `pending` → `available` and
 * `deleting` → `deleted` happen on the clock).
 */
import { AwsError } from '../../core/errors.js';
import { awsId, randomHex } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { describe, missingIds } from './describe.js';
import { allocationNotFound, dependency, eigwNotFound, found, igwNotFound, invalidParam, missingParam, natNotFound } from './errors.js';
import { eniOf, newEni } from './enis.js';
import { ec2State, type AddressRecord, type Ec2State, type GatewayRecord, type NatGatewayRecord } from './store.js';
import { subnetOf } from './subnets.js';
import { tagsFor } from './tags.js';
import { vpcOf } from './vpcs.js';

// How long AWS takes, roughly, to bring a NAT gateway up or down.
const NAT_TRANSITION_MS = 60_000;

function gatewayOf(s: Ec2State, id: unknown, kind: 'igw' | 'eigw'): GatewayRecord {
  return found(s.gateways, id, kind === 'igw' ? igwNotFound : eigwNotFound, (g) => g.kind === kind);
}

const igwOut = (g: GatewayRecord, account: string) => ({
  InternetGatewayId: g.id, OwnerId: account, Tags: g.tags, Attachments: g.vpcId ? [{ VpcId: g.vpcId, State: 'available' }] : [],
});

export const createInternetGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const g: GatewayRecord = { id: awsId('igw'), kind: 'igw', tags: tagsFor(input, 'internet-gateway'), createdMs: ctx.clock.nowMs() };
  s.gateways.set(g.id, g);
  return { InternetGateway: igwOut(g, ctx.account) };
};

export const attachInternetGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const g = gatewayOf(s, input['InternetGatewayId'], 'igw');
  const vpc = vpcOf(s, input['VpcId']);
  if (g.vpcId !== undefined) throw new AwsError('Resource.AlreadyAssociated', `resource ${g.id} is already attached to network ${g.vpcId}`, 400);
  const other = [...s.gateways.values()].find((x) => x.kind === 'igw' && x.vpcId === vpc.id);
  if (other !== undefined) throw new AwsError('Resource.AlreadyAssociated', `Network ${vpc.id} already has an internet gateway attached`, 400);
  g.vpcId = vpc.id;
  s.gateways.set(g.id, g);
  return {};
};

export const detachInternetGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const g = gatewayOf(s, input['InternetGatewayId'], 'igw');
  const vpcId = String(input['VpcId']);
  if (g.vpcId !== vpcId) throw new AwsError('Gateway.NotAttached', `resource ${g.id} is not attached to network ${vpcId}`, 400);
  delete g.vpcId;
  s.gateways.set(g.id, g);
  return {};
};

export const deleteInternetGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const g = gatewayOf(s, input['InternetGatewayId'], 'igw');
  if (g.vpcId !== undefined) throw dependency('internetGateway', g.id);
  s.gateways.delete(g.id);
  return {};
};

export const describeInternetGateways: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: [...s.gateways.values()].filter((g) => g.kind === 'igw'), idOf: (g) => g.id, tagsOf: (g) => g.tags,
    notFound: missingIds(igwNotFound),
    fields: {
      'internet-gateway-id': (g) => g.id, 'attachment.vpc-id': (g) => g.vpcId, 'owner-id': () => ctx.account,
      'attachment.state': (g) => (g.vpcId ? 'available' : undefined),
    },
    ids: input['InternetGatewayIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { InternetGateways: page.items.map((g) => igwOut(g, ctx.account)), NextToken: page.nextToken };
};

const eigwOut = (g: GatewayRecord) => ({
  EgressOnlyInternetGatewayId: g.id, Tags: g.tags, Attachments: g.vpcId ? [{ VpcId: g.vpcId, State: 'attached' }] : [],
});

export const createEgressOnlyInternetGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const vpc = vpcOf(s, input['VpcId']);
  const g: GatewayRecord = { id: awsId('eigw'), kind: 'eigw', vpcId: vpc.id, tags: tagsFor(input, 'egress-only-internet-gateway'), createdMs: ctx.clock.nowMs() };
  s.gateways.set(g.id, g);
  return { EgressOnlyInternetGateway: eigwOut(g) };
};

export const describeEgressOnlyInternetGateways: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: [...s.gateways.values()].filter((g) => g.kind === 'eigw'), idOf: (g) => g.id, tagsOf: (g) => g.tags,
    notFound: missingIds(eigwNotFound), fields: { 'egress-only-internet-gateway-id': (g) => g.id },
    ids: input['EgressOnlyInternetGatewayIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
    maxRange: [5, 255],
  });
  return { EgressOnlyInternetGateways: page.items.map(eigwOut), NextToken: page.nextToken };
};

export const deleteEgressOnlyInternetGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const g = gatewayOf(s, input['EgressOnlyInternetGatewayId'], 'eigw');
  s.gateways.delete(g.id);
  return { ReturnCode: true };
};

// Public addresses come from a documentation-free public range Drydock pretends is Amazon's.
function publicIp(s: Ec2State): string {
  const used = new Set([...s.addresses.values()].map((a) => a.publicIp));
  for (;;) {
    const b = Buffer.from(randomHex(6), 'hex');
    const ip = `54.${b[0]}.${b[1]}.${Math.max(1, b[2]! % 255)}`;
    if (!used.has(ip)) return ip;
  }
}

function addressOf(s: Ec2State, id: unknown): AddressRecord {
  return found(s.addresses, id, allocationNotFound);
}

const addressOut = (a: AddressRecord, ctx: { account: string; region: string }) => ({
  AllocationId: a.allocationId, PublicIp: a.publicIp, Domain: 'vpc', PublicIpv4Pool: 'amazon', NetworkBorderGroup: ctx.region,
  AssociationId: a.associationId, NetworkInterfaceId: a.eniId, NetworkInterfaceOwnerId: a.eniId ? ctx.account : undefined,
  PrivateIpAddress: a.privateIp, Tags: a.tags,
});

export const allocateAddress: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a: AddressRecord = { id: '', allocationId: awsId('eipalloc'), publicIp: publicIp(s), tags: tagsFor(input, 'elastic-ip'), createdMs: ctx.clock.nowMs() };
  a.id = a.allocationId;
  s.addresses.set(a.allocationId, a);
  return { AllocationId: a.allocationId, PublicIp: a.publicIp, Domain: 'vpc', PublicIpv4Pool: 'amazon', NetworkBorderGroup: ctx.region };
};

export const associateAddress: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = addressOf(s, input['AllocationId']);
  // An instance is named by its primary interface (device 0).
  const instanceId = input['InstanceId'] as string | undefined;
  const eniId = (input['NetworkInterfaceId'] as string | undefined)
    ?? (instanceId === undefined ? undefined : [...s.enis.values()].find((e) => e.attachment?.instanceId === instanceId && e.attachment.deviceIndex === 0)?.id);
  if (instanceId !== undefined && eniId === undefined) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`, 400);
  if (eniId === undefined) throw missingParam('networkInterfaceId');
  const eni = eniOf(s, eniId);
  if (a.eniId !== undefined && input['AllowReassociation'] !== true) {
    throw new AwsError('Resource.AlreadyAssociated', `resource ${a.allocationId} is already associated with associate-id ${a.associationId}`, 400);
  }
  const priv = (input['PrivateIpAddress'] as string | undefined) ?? eni.privateIps[0]!;
  if (!eni.privateIps.includes(priv)) throw invalidParam(`The private IP address ${priv} is not assigned to network interface ${eni.id}`);
  a.eniId = eni.id;
  a.privateIp = priv;
  a.associationId = awsId('eipassoc');
  s.addresses.set(a.allocationId, a);
  return { AssociationId: a.associationId };
};

export const disassociateAddress: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = [...s.addresses.values()].find((x) => x.associationId === input['AssociationId']);
  if (a === undefined) throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${String(input['AssociationId'])}' does not exist`, 400);
  delete a.eniId; delete a.privateIp; delete a.associationId;
  s.addresses.set(a.allocationId, a);
  return {};
};

export const releaseAddress: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = addressOf(s, input['AllocationId']);
  if (a.eniId !== undefined) throw new AwsError('InvalidIPAddress.InUse', `Address ${a.publicIp} is in use.`, 400);
  s.addresses.delete(a.allocationId);
  return {};
};

export const describeAddresses: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const ips = Array.isArray(input['PublicIps']) ? (input['PublicIps'] as string[]) : [];
  for (const ip of ips) {
    if (![...s.addresses.values()].some((a) => a.publicIp === ip)) {
      throw new AwsError('InvalidAddress.NotFound', `Address '${ip}' not found.`, 400);
    }
  }
  const page = describe({
    items: [...s.addresses.values()].filter((a) => ips.length === 0 || ips.includes(a.publicIp)),
    idOf: (a) => a.allocationId, tagsOf: (a) => a.tags, notFound: missingIds(allocationNotFound),
    fields: {
      'allocation-id': (a) => a.allocationId, 'public-ip': (a) => a.publicIp, 'association-id': (a) => a.associationId,
      'network-interface-id': (a) => a.eniId, 'private-ip-address': (a) => a.privateIp, domain: () => 'vpc',
    },
    ids: input['AllocationIds'], filters: input['Filters'],
  });
  return { Addresses: page.items.map((a) => addressOut(a, ctx)) };
};

/** Moves NAT gateways whose transition time has come (called before anything reads them). */
export function settleNatGateways(s: Ec2State, nowMs: number): void {
  for (const n of s.natGateways.values()) {
    if (nowMs < n.dueMs) continue;
    if (n.state === 'pending') {
      n.state = 'available';
      s.natGateways.set(n.id, n);
    } else if (n.state === 'deleting') {
      n.state = 'deleted';
      s.enis.delete(n.eniId);
      for (const a of s.addresses.values()) {
        if (a.eniId === n.eniId) { delete a.eniId; delete a.privateIp; delete a.associationId; s.addresses.set(a.allocationId, a); }
      }
      s.natGateways.set(n.id, n);
    }
  }
}

function natOut(s: Ec2State, n: NatGatewayRecord) {
  const eni = s.enis.get(n.eniId);
  const eip = n.allocationId ? s.addresses.get(n.allocationId) : undefined;
  return {
    NatGatewayId: n.id, SubnetId: n.subnetId, VpcId: n.vpcId, State: n.state, ConnectivityType: n.connectivity, Tags: n.tags,
    CreateTime: new Date(n.createdMs),
    NatGatewayAddresses: [{
      NetworkInterfaceId: n.eniId, PrivateIp: eni?.privateIps[0], AllocationId: n.allocationId, PublicIp: eip?.publicIp,
      AssociationId: eip?.associationId, IsPrimary: true, Status: n.state === 'available' ? 'succeeded' : 'associating',
    }],
  };
}

export const createNatGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const subnet = subnetOf(s, input['SubnetId']);
  const connectivity = ((input['ConnectivityType'] as string | undefined) ?? 'public') as 'public' | 'private';
  if (!['public', 'private'].includes(connectivity)) throw invalidParam(`Value (${connectivity}) for parameter connectivityType is invalid.`);
  const allocationId = input['AllocationId'] as string | undefined;
  if (connectivity === 'public' && allocationId === undefined) throw missingParam('AllocationId');
  const eip = allocationId === undefined ? undefined : addressOf(s, allocationId);
  if (eip?.eniId !== undefined) throw new AwsError('Resource.AlreadyAssociated', `Elastic IP address [${eip.allocationId}] is already associated`, 400);
  const now = ctx.clock.nowMs();
  const id = awsId('nat');
  const eni = newEni(s, subnet, { description: `Interface for NAT Gateway ${id}`, type: 'nat_gateway', managed: true, now });
  if (eip !== undefined) {
    Object.assign(eip, { eniId: eni.id, privateIp: eni.privateIps[0], associationId: awsId('eipassoc') });
    s.addresses.set(eip.allocationId, eip);
  }
  const n: NatGatewayRecord = {
    id, subnetId: subnet.id, vpcId: subnet.vpcId, connectivity, allocationId, eniId: eni.id, state: 'pending',
    dueMs: now + NAT_TRANSITION_MS, tags: tagsFor(input, 'natgateway'), createdMs: now,
  };
  s.natGateways.set(id, n);
  return { NatGateway: natOut(s, n), ClientToken: input['ClientToken'] };
};

export const describeNatGateways: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  settleNatGateways(s, ctx.clock.nowMs());
  const page = describe({
    items: s.natGateways.values(), idOf: (n) => n.id, tagsOf: (n) => n.tags, notFound: missingIds(natNotFound),
    fields: { 'nat-gateway-id': (n) => n.id, 'subnet-id': (n) => n.subnetId, 'vpc-id': (n) => n.vpcId, state: (n) => n.state },
    ids: input['NatGatewayIds'], filters: input['Filter'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { NatGateways: page.items.map((n) => natOut(s, n)), NextToken: page.nextToken };
};

export const deleteNatGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  settleNatGateways(s, ctx.clock.nowMs());
  const n = s.natGateways.get(String(input['NatGatewayId']));
  if (n === undefined || n.state === 'deleted') throw natNotFound(String(input['NatGatewayId']));
  if (n.state !== 'deleting') {
    n.state = 'deleting';
    n.dueMs = ctx.clock.nowMs() + NAT_TRANSITION_MS;
    s.natGateways.set(n.id, n);
  }
  return { NatGatewayId: n.id };
};
