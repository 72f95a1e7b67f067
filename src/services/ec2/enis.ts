/**
 * Elastic network interfaces: an address allocated from the subnet, security groups of the
 * VPC (the default group when none is given), and the public address of an associated EIP.
 * NAT gateways and transit gateway attachments own requester-managed ENIs made here too.
 */
import { AwsError } from '../../core/errors.js';
import { awsId, randomHex } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { describe, missingIds } from './describe.js';
import { eniNotFound, found, groupNotFound, invalidParam } from './errors.js';
import { ec2State, type Ec2State, type EniRecord, type SubnetRecord, type Tag } from './store.js';
import { allocateIp, subnetOf } from './subnets.js';
import { tagsFor } from './tags.js';

export function eniOf(s: Ec2State, id: unknown): EniRecord {
  return found(s.enis, id, eniNotFound);
}

/** Checks that every group exists and belongs to `vpcId`; no groups means the VPC's default group. */
export function groupsFor(s: Ec2State, vpcId: string, given: unknown): string[] {
  const ids = Array.isArray(given) ? (given as string[]) : [];
  if (ids.length === 0) {
    const def = [...s.securityGroups.values()].find((g) => g.vpcId === vpcId && g.name === 'default');
    return def ? [def.id] : [];
  }
  for (const id of ids) {
    const g = s.securityGroups.get(id);
    if (g === undefined) throw groupNotFound(id);
    if (g.vpcId !== vpcId) throw invalidParam(`The security group '${id}' does not belong to VPC '${vpcId}'`);
  }
  return ids;
}

/** Makes an ENI in `subnet` (its address taken now). */
export function newEni(
  s: Ec2State, subnet: SubnetRecord, opts: { ip?: string; groups?: string[]; description?: string; type?: string; managed?: boolean; tags?: Tag[]; now: number },
): EniRecord {
  const eni: EniRecord = {
    id: awsId('eni'), subnetId: subnet.id, vpcId: subnet.vpcId, az: subnet.az, privateIps: [allocateIp(s, subnet, opts.ip)],
    groupIds: opts.groups ?? [], description: opts.description ?? '', interfaceType: opts.type ?? 'interface',
    requesterManaged: opts.managed ?? false, sourceDestCheck: true, tags: opts.tags ?? [], createdMs: opts.now,
    mac: `02:${randomHex(10).match(/../g)!.join(':')}`,
  };
  s.enis.set(eni.id, eni);
  return eni;
}

/** The EIP associated with an ENI, if any. */
export function publicIpOf(s: Ec2State, eniId: string): { PublicIp: string; AllocationId: string; AssociationId?: string } | undefined {
  for (const a of s.addresses.values()) {
    if (a.eniId === eniId) return { PublicIp: a.publicIp, AllocationId: a.allocationId, AssociationId: a.associationId };
  }
  return undefined;
}

export function eniOut(s: Ec2State, e: EniRecord, account: string) {
  const pub = publicIpOf(s, e.id);
  const association = pub && { PublicIp: pub.PublicIp, AllocationId: pub.AllocationId, AssociationId: pub.AssociationId, IpOwnerId: account, PublicDnsName: '' };
  return {
    NetworkInterfaceId: e.id, SubnetId: e.subnetId, VpcId: e.vpcId, AvailabilityZone: e.az, Description: e.description,
    Groups: e.groupIds.map((id) => ({ GroupId: id, GroupName: s.securityGroups.get(id)?.name })),
    InterfaceType: e.interfaceType, MacAddress: e.mac, OwnerId: account, PrivateIpAddress: e.privateIps[0],
    PrivateIpAddresses: e.privateIps.map((ip, i) => ({ Primary: i === 0, PrivateIpAddress: ip, ...(i === 0 && association ? { Association: association } : {}) })),
    ...(association ? { Association: association } : {}),
    RequesterManaged: e.requesterManaged, SourceDestCheck: e.sourceDestCheck, Status: e.attachment ? 'in-use' : 'available',
    TagSet: e.tags, Ipv6Addresses: [],
    ...(e.attachment ? { Attachment: { AttachmentId: e.attachment.id, InstanceId: e.attachment.instanceId, DeviceIndex: e.attachment.deviceIndex, Status: 'attached' } } : {}),
  };
}

export const createNetworkInterface: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const subnet = subnetOf(s, input['SubnetId']);
  const eni = newEni(s, subnet, {
    ip: input['PrivateIpAddress'] as string | undefined, groups: groupsFor(s, subnet.vpcId, input['Groups']),
    description: input['Description'] as string | undefined, tags: tagsFor(input, 'network-interface'), now: ctx.clock.nowMs(),
  });
  return { NetworkInterface: eniOut(s, eni, ctx.account) };
};

export const describeNetworkInterfaces: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: s.enis.values(), idOf: (e) => e.id, tagsOf: (e) => e.tags, notFound: missingIds(eniNotFound),
    fields: {
      'network-interface-id': (e) => e.id, 'subnet-id': (e) => e.subnetId, 'vpc-id': (e) => e.vpcId, 'availability-zone': (e) => e.az,
      'private-ip-address': (e) => e.privateIps, 'addresses.private-ip-address': (e) => e.privateIps,
      'group-id': (e) => e.groupIds, 'interface-type': (e) => e.interfaceType, description: (e) => e.description,
      status: (e) => (e.attachment ? 'in-use' : 'available'), 'requester-managed': (e) => e.requesterManaged,
      'attachment.instance-id': (e) => e.attachment?.instanceId, 'owner-id': () => ctx.account,
      'association.public-ip': (e) => publicIpOf(s, e.id)?.PublicIp,
    },
    ids: input['NetworkInterfaceIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { NetworkInterfaces: page.items.map((e) => eniOut(s, e, ctx.account)), NextToken: page.nextToken };
};

export const deleteNetworkInterface: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const e = eniOf(s, input['NetworkInterfaceId']);
  if (e.attachment !== undefined || e.requesterManaged) {
    throw new AwsError('InvalidNetworkInterface.InUse', `Interface: [${e.id}] in use.`, 400);
  }
  for (const a of s.addresses.values()) {
    if (a.eniId === e.id) {
      delete a.eniId; delete a.associationId; delete a.privateIp;
      s.addresses.set(a.allocationId, a);
    }
  }
  s.enis.delete(e.id);
  return {};
};

export const modifyNetworkInterfaceAttribute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const e = eniOf(s, input['NetworkInterfaceId']);
  if (input['Groups'] !== undefined) e.groupIds = groupsFor(s, e.vpcId, input['Groups']);
  const sdc = (input['SourceDestCheck'] as { Value?: boolean } | undefined)?.Value;
  if (sdc !== undefined) e.sourceDestCheck = sdc;
  const desc = (input['Description'] as { Value?: string } | undefined)?.Value;
  if (desc !== undefined) e.description = desc;
  s.enis.set(e.id, e);
  return {};
};
