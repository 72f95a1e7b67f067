/**
 * VPCs: primary and secondary IPv4 CIDRs (/16 to /28, no overlap inside one VPC), and what
 * AWS creates with each VPC — the main route table with its local route, the default security
 * group and the default network ACL.
 */
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import { formatCidr, overlaps, parseCidr } from '../../engines/network/cidr.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe, missingIds } from './describe.js';
import { dependency, found, invalidParam, vpcNotFound } from './errors.js';
import { ec2State, type Ec2State, type VpcRecord } from './store.js';
import { tagsFor } from './tags.js';

/** A VPC of the caller's scope or EC2's InvalidVpcID.NotFound. */
export function vpcOf(s: Ec2State, id: unknown): VpcRecord {
  return found(s.vpcs, id, vpcNotFound);
}

/** A VPC or subnet CIDR as EC2 validates it: well formed, prefix from /16 to /28. */
export function blockOf(text: unknown, param: string, rangeCode: string) {
  const c = typeof text === 'string' ? parseCidr(text) : undefined;
  if (c === undefined) throw invalidParam(`Value (${String(text)}) for parameter ${param} is invalid. This is not a valid CIDR block.`);
  if (c.len < 16 || c.len > 28) throw new AwsError(rangeCode, `The CIDR '${String(text)}' is invalid.`, 400);
  return c;
}

export function vpcOut(v: VpcRecord, account: string, state = 'available') {
  return {
    VpcId: v.id, OwnerId: account, State: state, CidrBlock: v.cidrs[0]!.cidr, DhcpOptionsId: v.dhcpOptionsId,
    InstanceTenancy: v.tenancy, IsDefault: v.isDefault, Tags: v.tags, Ipv6CidrBlockAssociationSet: [],
    CidrBlockAssociationSet: v.cidrs.map((c) => ({ AssociationId: c.associationId, CidrBlock: c.cidr, CidrBlockState: { State: c.state } })),
  };
}

function createDefaults(s: Ec2State, v: VpcRecord, now: number): void {
  const cidr = v.cidrs[0]!.cidr;
  const rtId = awsId('rtb');
  s.routeTables.set(rtId, {
    id: rtId, vpcId: v.id, main: true, mainAssociationId: awsId('rtbassoc'), tags: [], createdMs: now,
    routes: [{ destination: cidr, targetType: 'local', targetId: 'local', origin: 'CreateRouteTable' }], associations: [],
  });
  const sgId = awsId('sg');
  s.securityGroups.set(sgId, {
    id: sgId, name: 'default', description: 'default VPC security group', vpcId: v.id, tags: [], createdMs: now,
    rules: [
      { ruleId: awsId('sgr'), egress: false, protocol: '-1', groupId: sgId },
      { ruleId: awsId('sgr'), egress: true, protocol: '-1', cidr: '0.0.0.0/0' },
    ],
  });
  const aclId = awsId('acl');
  s.networkAcls.set(aclId, {
    id: aclId, vpcId: v.id, isDefault: true, tags: [], createdMs: now, associations: [],
    entries: [
      { ruleNumber: 100, egress: false, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
      { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
    ],
  });
}

export const createVpc: Handler = (input, ctx) => {
  const c = blockOf(input['CidrBlock'], 'cidrBlock', 'InvalidVpc.Range');
  const tenancy = (input['InstanceTenancy'] as string | undefined) ?? 'default';
  if (!['default', 'dedicated'].includes(tenancy)) throw invalidParam(`Value (${tenancy}) for parameter instanceTenancy is invalid.`);
  const s = ec2State(ctx);
  const now = ctx.clock.nowMs();
  const v: VpcRecord = {
    id: awsId('vpc'), tags: tagsFor(input, 'vpc'), createdMs: now, isDefault: false, tenancy,
    dhcpOptionsId: 'dopt-default', enableDnsSupport: true, enableDnsHostnames: false,
    cidrs: [{ associationId: awsId('vpc-cidr-assoc'), cidr: formatCidr(c), state: 'associated' }],
  };
  s.vpcs.set(v.id, v);
  createDefaults(s, v, now);
  return { Vpc: vpcOut(v, ctx.account, 'pending') };
};

export const describeVpcs: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: s.vpcs.values(), idOf: (v) => v.id, tagsOf: (v) => v.tags, notFound: missingIds(vpcNotFound),
    fields: {
      'vpc-id': (v) => v.id, 'cidr': (v) => v.cidrs[0]!.cidr, 'cidr-block': (v) => v.cidrs[0]!.cidr,
      'cidr-block-association.cidr-block': (v) => v.cidrs.map((c) => c.cidr),
      'cidr-block-association.association-id': (v) => v.cidrs.map((c) => c.associationId),
      'cidr-block-association.state': (v) => v.cidrs.map((c) => c.state),
      'dhcp-options-id': (v) => v.dhcpOptionsId, 'is-default': (v) => v.isDefault, 'owner-id': () => ctx.account,
      state: () => 'available',
    },
    ids: input['VpcIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { Vpcs: page.items.map((v) => vpcOut(v, ctx.account)), NextToken: page.nextToken };
};

function hasDependencies(s: Ec2State, vpcId: string): boolean {
  const owned = (items: Iterable<{ vpcId?: string }>) => [...items].some((x) => x.vpcId === vpcId);
  return owned(s.subnets.values()) || owned(s.gateways.values()) || owned(s.enis.values())
    || [...s.routeTables.values()].some((r) => r.vpcId === vpcId && !r.main)
    || [...s.securityGroups.values()].some((g) => g.vpcId === vpcId && g.name !== 'default')
    || [...s.extra<{ vpcId?: string; resourceId?: string; state?: string }>('tgwAttachments').values()]
      .some((a) => a.resourceId === vpcId && a.state !== 'deleted');
}

export const deleteVpc: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const v = vpcOf(s, input['VpcId']);
  if (hasDependencies(s, v.id)) throw dependency('vpc', v.id);
  for (const [id, rt] of s.routeTables) if (rt.vpcId === v.id) s.routeTables.delete(id);
  for (const [id, g] of s.securityGroups) if (g.vpcId === v.id) s.securityGroups.delete(id);
  for (const [id, a] of s.networkAcls) if (a.vpcId === v.id) s.networkAcls.delete(id);
  s.vpcs.delete(v.id);
  return {};
};

export const associateVpcCidrBlock: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const v = vpcOf(s, input['VpcId']);
  const c = blockOf(input['CidrBlock'], 'cidrBlock', 'InvalidVpc.Range');
  const text = formatCidr(c);
  if (v.cidrs.length >= 5) throw new AwsError('CidrLimitExceeded', `This network '${v.id}' has met its maximum number of allowed CIDRs: 5`, 400);
  if (v.cidrs.some((x) => overlaps(parseCidr(x.cidr)!, c))) {
    throw new AwsError('InvalidVpc.Range', `The CIDR '${text}' is invalid.`, 400);
  }
  const assoc = { associationId: awsId('vpc-cidr-assoc'), cidr: text, state: 'associated' };
  v.cidrs.push(assoc);
  s.vpcs.set(v.id, v);
  // Every route table of the VPC gets a local route for the new block.
  for (const rt of s.routeTables.values()) {
    if (rt.vpcId !== v.id) continue;
    rt.routes.push({ destination: text, targetType: 'local', targetId: 'local', origin: 'CreateRouteTable' });
    s.routeTables.set(rt.id, rt);
  }
  return { VpcId: v.id, CidrBlockAssociation: { AssociationId: assoc.associationId, CidrBlock: text, CidrBlockState: { State: 'associating' } } };
};

export const disassociateVpcCidrBlock: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const id = String(input['AssociationId']);
  const v = [...s.vpcs.values()].find((x) => x.cidrs.some((c) => c.associationId === id));
  if (v === undefined) throw new AwsError('InvalidVpcCidrBlockAssociationID.NotFound', `The vpc CIDR block association ID '${id}' does not exist`, 400);
  const assoc = v.cidrs.find((c) => c.associationId === id)!;
  if (v.cidrs[0] === assoc) throw new AwsError('OperationNotPermitted', `The vpc CIDR block with association ID ${id} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`, 400);
  const block = parseCidr(assoc.cidr)!;
  if ([...s.subnets.values()].some((sn) => sn.vpcId === v.id && overlaps(parseCidr(sn.cidr)!, block))) throw dependency('vpc CIDR block', id);
  v.cidrs = v.cidrs.filter((c) => c !== assoc);
  s.vpcs.set(v.id, v);
  for (const rt of s.routeTables.values()) {
    if (rt.vpcId !== v.id) continue;
    rt.routes = rt.routes.filter((r) => !(r.targetType === 'local' && r.destination === assoc.cidr));
    s.routeTables.set(rt.id, rt);
  }
  return { VpcId: v.id, CidrBlockAssociation: { AssociationId: id, CidrBlock: assoc.cidr, CidrBlockState: { State: 'disassociating' } } };
};

export const modifyVpcAttribute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const v = vpcOf(s, input['VpcId']);
  const support = (input['EnableDnsSupport'] as { Value?: boolean } | undefined)?.Value;
  const hostnames = (input['EnableDnsHostnames'] as { Value?: boolean } | undefined)?.Value;
  if (support === undefined && hostnames === undefined) throw invalidParam('No attribute specified.');
  if (support !== undefined) v.enableDnsSupport = support;
  if (hostnames !== undefined) v.enableDnsHostnames = hostnames;
  s.vpcs.set(v.id, v);
  return {};
};

export const describeVpcAttribute: Handler = (input, ctx: ServiceContext) => {
  const v = vpcOf(ec2State(ctx), input['VpcId']);
  const attr = String(input['Attribute']);
  if (attr === 'enableDnsSupport') return { VpcId: v.id, EnableDnsSupport: { Value: v.enableDnsSupport } };
  if (attr === 'enableDnsHostnames') return { VpcId: v.id, EnableDnsHostnames: { Value: v.enableDnsHostnames } };
  throw invalidParam(`Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
};
