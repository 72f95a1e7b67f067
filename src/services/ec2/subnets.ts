/**
 * Subnets: a CIDR inside one of the VPC's blocks, not overlapping a sibling, in one of the
 * region's zones; five addresses reserved (network, VPC router, DNS, future use, broadcast).
 * ENIs take their addresses from here.
 */
import { AwsError } from '../../core/errors.js';
import { arn, awsId } from '../../core/ids.js';
import { containsCidr, containsIp, formatCidr, formatIp, overlaps, parseCidr, parseIp, size } from '../../engines/network/cidr.js';
import type { Handler } from '../types.js';
import { describe, missingIds } from './describe.js';
import { dependency, found, invalidParam, subnetNotFound } from './errors.js';
import { zonesOf } from './regions.js';
import { ec2State, type Ec2State, type SubnetRecord } from './store.js';
import { tagsFor } from './tags.js';
import { blockOf, vpcOf } from './vpcs.js';

export function subnetOf(s: Ec2State, id: unknown): SubnetRecord {
  return found(s.subnets, id, subnetNotFound);
}

function usedIps(s: Ec2State, subnetId: string): Set<string> {
  const used = new Set<string>();
  for (const e of s.enis.values()) if (e.subnetId === subnetId) for (const ip of e.privateIps) used.add(ip);
  return used;
}

/** Takes `wanted` (checked) or the lowest free address of the subnet. */
export function allocateIp(s: Ec2State, subnet: SubnetRecord, wanted?: string): string {
  const c = parseCidr(subnet.cidr)!;
  const used = usedIps(s, subnet.id);
  const first = c.base + 4;
  const last = c.base + size(c) - 2;
  if (wanted !== undefined) {
    const n = parseIp(wanted);
    if (n === undefined || !containsIp(c, n)) {
      throw invalidParam(`Address ${wanted} does not fall within the subnet's address range`);
    }
    if (n < first || n > last) throw invalidParam(`Address ${wanted} is in subnet's reserved address range`);
    if (used.has(wanted)) throw new AwsError('InvalidIPAddress.InUse', `Address ${wanted} is in use.`, 400);
    return wanted;
  }
  for (let n = first; n <= last; n++) {
    const ip = formatIp(n);
    if (!used.has(ip)) return ip;
  }
  throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`, 400);
}

function subnetOut(s: Ec2State, sn: SubnetRecord, account: string, region: string) {
  return {
    SubnetId: sn.id, VpcId: sn.vpcId, CidrBlock: sn.cidr, AvailabilityZone: sn.az, AvailabilityZoneId: sn.azId,
    AvailableIpAddressCount: size(parseCidr(sn.cidr)!) - 5 - usedIps(s, sn.id).size, DefaultForAz: sn.defaultForAz,
    MapPublicIpOnLaunch: sn.mapPublicIpOnLaunch, State: 'available', OwnerId: account, AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [], Tags: sn.tags, SubnetArn: arn({ service: 'ec2', region, account, resource: `subnet/${sn.id}` }),
    MapCustomerOwnedIpOnLaunch: false, EnableDns64: false, Ipv6Native: false,
  };
}

export const createSubnet: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const vpc = vpcOf(s, input['VpcId']);
  const c = blockOf(input['CidrBlock'], 'cidrBlock', 'InvalidSubnet.Range');
  const text = formatCidr(c);
  if (!vpc.cidrs.some((v) => containsCidr(parseCidr(v.cidr)!, c))) throw new AwsError('InvalidSubnet.Range', `The CIDR '${text}' is invalid.`, 400);
  for (const other of s.subnets.values()) {
    if (other.vpcId === vpc.id && overlaps(parseCidr(other.cidr)!, c)) {
      throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${text}' conflicts with another subnet`, 400);
    }
  }
  const zones = zonesOf(ctx.region);
  const azName = input['AvailabilityZone'] as string | undefined;
  const azId = input['AvailabilityZoneId'] as string | undefined;
  const zone = azName !== undefined ? zones.find((z) => z.name === azName) : azId !== undefined ? zones.find((z) => z.id === azId) : zones[0];
  if (zone === undefined) {
    throw invalidParam(`Value (${azName ?? azId}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.name).join(', ')}.`);
  }
  const sn: SubnetRecord = {
    id: awsId('subnet'), vpcId: vpc.id, cidr: text, az: zone.name, azId: zone.id, tags: tagsFor(input, 'subnet'),
    createdMs: ctx.clock.nowMs(), mapPublicIpOnLaunch: false, defaultForAz: false,
  };
  s.subnets.set(sn.id, sn);
  // A new subnet starts in the VPC's default network ACL.
  const acl = [...s.networkAcls.values()].find((a) => a.vpcId === vpc.id && a.isDefault);
  if (acl !== undefined) {
    acl.associations.push({ id: awsId('aclassoc'), subnetId: sn.id });
    s.networkAcls.set(acl.id, acl);
  }
  return { Subnet: { ...subnetOut(s, sn, ctx.account, ctx.region), State: 'pending' } };
};

export const describeSubnets: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: s.subnets.values(), idOf: (x) => x.id, tagsOf: (x) => x.tags, notFound: missingIds(subnetNotFound),
    fields: {
      'subnet-id': (x) => x.id, 'vpc-id': (x) => x.vpcId, 'cidr-block': (x) => x.cidr, cidr: (x) => x.cidr, cidrBlock: (x) => x.cidr,
      'availability-zone': (x) => x.az, 'availability-zone-id': (x) => x.azId, 'default-for-az': (x) => x.defaultForAz,
      'map-public-ip-on-launch': (x) => x.mapPublicIpOnLaunch, state: () => 'available', 'owner-id': () => ctx.account,
    },
    ids: input['SubnetIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { Subnets: page.items.map((x) => subnetOut(s, x, ctx.account, ctx.region)), NextToken: page.nextToken };
};

export const deleteSubnet: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const sn = subnetOf(s, input['SubnetId']);
  if ([...s.enis.values()].some((e) => e.subnetId === sn.id)) throw dependency('subnet', sn.id);
  for (const rt of s.routeTables.values()) {
    if (rt.associations.some((a) => a.subnetId === sn.id)) {
      rt.associations = rt.associations.filter((a) => a.subnetId !== sn.id);
      s.routeTables.set(rt.id, rt);
    }
  }
  for (const acl of s.networkAcls.values()) {
    if (acl.associations.some((a) => a.subnetId === sn.id)) {
      acl.associations = acl.associations.filter((a) => a.subnetId !== sn.id);
      s.networkAcls.set(acl.id, acl);
    }
  }
  s.subnets.delete(sn.id);
  return {};
};

export const modifySubnetAttribute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const sn = subnetOf(s, input['SubnetId']);
  const v = (input['MapPublicIpOnLaunch'] as { Value?: boolean } | undefined)?.Value;
  if (v !== undefined) sn.mapPublicIpOnLaunch = v;
  s.subnets.set(sn.id, sn);
  return {};
};
