/**
 * Transit gateways and their VPC attachments (one subnet per zone, an ENI in each), with the
 * default route table association and propagation settings applied as an attachment is made.
 * New resources report `pending` in the create response and are usable straight away.
 */
import { AwsError } from '../../core/errors.js';
import { arn, awsId } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { invalidParam, tgwNotFound } from './errors.js';
import { newEni } from './enis.js';
import { ec2State, type Ec2State } from './store.js';
import { subnetOf } from './subnets.js';
import { tagsFor } from './tags.js';
import {
  applyDefaults, attachmentOf, attachments, tgwOf, tgwRouteTables, tgws, type TgwAttachmentRecord, type TgwRecord,
} from './tgw-store.js';
import { vpcOf } from './vpcs.js';

const enable = (v: unknown, dflt: boolean) => (v === undefined ? dflt : v === 'enable');
const flag = (b: boolean) => (b ? 'enable' : 'disable');

export function tgwOut(t: TgwRecord, ctx: Pick<ServiceContext, 'account' | 'region'>, state: string = t.state) {
  return {
    TransitGatewayId: t.id, State: state, OwnerId: ctx.account, Description: t.description, CreationTime: new Date(t.createdMs), Tags: t.tags,
    TransitGatewayArn: arn({ service: 'ec2', region: ctx.region, account: ctx.account, resource: `transit-gateway/${t.id}` }),
    Options: {
      AmazonSideAsn: t.asn, AutoAcceptSharedAttachments: flag(t.autoAccept), DefaultRouteTableAssociation: flag(t.defaultAssociation),
      AssociationDefaultRouteTableId: t.associationDefaultRouteTableId, DefaultRouteTablePropagation: flag(t.defaultPropagation),
      PropagationDefaultRouteTableId: t.propagationDefaultRouteTableId, VpnEcmpSupport: flag(t.vpnEcmpSupport),
      DnsSupport: flag(t.dnsSupport), MulticastSupport: 'disable', SecurityGroupReferencingSupport: 'disable',
    },
  };
}

export const createTransitGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const o = (input['Options'] ?? {}) as Record<string, unknown>;
  const asn = o['AmazonSideAsn'] === undefined ? 64512 : Number(o['AmazonSideAsn']);
  const privateAsn = (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
  if (!Number.isInteger(asn) || !privateAsn) {
    throw invalidParam(`The AmazonSideAsn ${String(o['AmazonSideAsn'])} is not in a valid range: 64512 to 65534, or 4200000000 to 4294967294`);
  }
  const now = ctx.clock.nowMs();
  const t: TgwRecord = {
    id: awsId('tgw'), tags: tagsFor(input, 'transit-gateway'), createdMs: now, description: String(input['Description'] ?? ''), asn,
    defaultAssociation: enable(o['DefaultRouteTableAssociation'], true), defaultPropagation: enable(o['DefaultRouteTablePropagation'], true),
    autoAccept: enable(o['AutoAcceptSharedAttachments'], false), dnsSupport: enable(o['DnsSupport'], true),
    vpnEcmpSupport: enable(o['VpnEcmpSupport'], true), state: 'available',
  };
  // One route table serves as both defaults, as AWS makes it.
  if (t.defaultAssociation || t.defaultPropagation) {
    const rtId = awsId('tgw-rtb');
    tgwRouteTables(s).set(rtId, { id: rtId, tgwId: t.id, tags: [], createdMs: now, routes: [], state: 'available' });
    if (t.defaultAssociation) t.associationDefaultRouteTableId = rtId;
    if (t.defaultPropagation) t.propagationDefaultRouteTableId = rtId;
  }
  tgws(s).set(t.id, t);
  return { TransitGateway: tgwOut(t, ctx, 'pending') };
};

export const describeTransitGateways: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: tgws(s).values(), idOf: (t) => t.id, tagsOf: (t) => t.tags,
    notFound: (ids) => tgwNotFound('InvalidTransitGatewayID.NotFound', 'Transit Gateway', ids[0]!),
    fields: {
      'transit-gateway-id': (t) => t.id, state: (t) => t.state, 'owner-id': () => ctx.account,
      'options.amazon-side-asn': (t) => String(t.asn),
      'options.association-default-route-table-id': (t) => t.associationDefaultRouteTableId,
      'options.propagation-default-route-table-id': (t) => t.propagationDefaultRouteTableId,
    },
    ids: input['TransitGatewayIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { TransitGateways: page.items.map((t) => tgwOut(t, ctx)), NextToken: page.nextToken };
};

export const deleteTransitGateway: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const t = tgwOf(s, input['TransitGatewayId']);
  if ([...attachments(s).values()].some((a) => a.tgwId === t.id && a.state !== 'deleted')) {
    throw new AwsError('IncorrectState', `${t.id} has non-deleted Transit Gateway Attachments`, 400);
  }
  t.state = 'deleted';
  tgws(s).set(t.id, t);
  for (const rt of tgwRouteTables(s).values()) {
    if (rt.tgwId === t.id) tgwRouteTables(s).set(rt.id, { ...rt, state: 'deleted' });
  }
  return { TransitGateway: tgwOut(t, ctx, 'deleting') };
};

function vpcAttachmentOut(a: TgwAttachmentRecord, state: string = a.state) {
  return {
    TransitGatewayAttachmentId: a.id, TransitGatewayId: a.tgwId, VpcId: a.resourceId, VpcOwnerId: a.resourceOwner, State: state,
    SubnetIds: a.subnetIds, CreationTime: new Date(a.createdMs), Tags: a.tags,
    Options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable', SecurityGroupReferencingSupport: 'disable', ...a.options },
  };
}

function subnetsForAttachment(s: Ec2State, vpcId: string, given: unknown) {
  const ids = Array.isArray(given) ? (given as string[]) : [];
  if (ids.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter SubnetIds', 400);
  const subnets = ids.map((id) => subnetOf(s, id));
  for (const sn of subnets) if (sn.vpcId !== vpcId) throw invalidParam(`Subnet ${sn.id} does not belong to VPC ${vpcId}`);
  const zones = new Set(subnets.map((sn) => sn.az));
  if (zones.size < subnets.length) throw new AwsError('DuplicateSubnetsInSameZone', 'Duplicate Subnets for same AZ', 400);
  return subnets;
}

export const createTransitGatewayVpcAttachment: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const tgw = tgwOf(s, input['TransitGatewayId']);
  const vpc = vpcOf(s, input['VpcId']);
  const subnets = subnetsForAttachment(s, vpc.id, input['SubnetIds']);
  if ([...attachments(s).values()].some((a) => a.tgwId === tgw.id && a.resourceId === vpc.id && a.state !== 'deleted')) {
    throw new AwsError('DuplicateTransitGatewayAttachment', `${tgw.id} has non-deleted Transit Gateway Attachments with same VPC ID.`, 400);
  }
  const now = ctx.clock.nowMs();
  const id = awsId('tgw-attach');
  const eniIds = subnets.map((sn) => newEni(s, sn, { description: `Network Interface for Transit Gateway Attachment ${id}`, type: 'transit_gateway', managed: true, now }).id);
  const options = Object.fromEntries(Object.entries((input['Options'] ?? {}) as Record<string, string>).filter(([, v]) => typeof v === 'string'));
  const a: TgwAttachmentRecord = {
    id, tags: tagsFor(input, 'transit-gateway-attachment'), createdMs: now, tgwId: tgw.id, type: 'vpc', resourceId: vpc.id,
    resourceOwner: ctx.account, subnetIds: subnets.map((sn) => sn.id), eniIds, state: 'available', propagations: [], options,
  };
  applyDefaults(s, tgw, a);
  attachments(s).set(a.id, a);
  return { TransitGatewayVpcAttachment: vpcAttachmentOut(a, 'pending') };
};

export const describeTransitGatewayVpcAttachments: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: [...attachments(s).values()].filter((a) => a.type === 'vpc'), idOf: (a) => a.id, tagsOf: (a) => a.tags,
    notFound: (ids) => tgwNotFound('InvalidTransitGatewayAttachmentID.NotFound', 'Transit Gateway Attachment', ids[0]!),
    fields: {
      'transit-gateway-attachment-id': (a) => a.id, 'transit-gateway-id': (a) => a.tgwId, 'vpc-id': (a) => a.resourceId, state: (a) => a.state,
    },
    ids: input['TransitGatewayAttachmentIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { TransitGatewayVpcAttachments: page.items.map((a) => vpcAttachmentOut(a)), NextToken: page.nextToken };
};

/** Marks an attachment deleted: its ENIs go, and it leaves every route table. */
export function retireAttachment(s: Ec2State, a: TgwAttachmentRecord): void {
  for (const e of a.eniIds) s.enis.delete(e);
  a.state = 'deleted';
  delete a.routeTableId;
  a.propagations = [];
  attachments(s).set(a.id, a);
}

export const deleteTransitGatewayVpcAttachment: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = attachmentOf(s, input['TransitGatewayAttachmentId']);
  if (a.type !== 'vpc') throw invalidParam(`${a.id} is not a VPC attachment`);
  retireAttachment(s, a);
  return { TransitGatewayVpcAttachment: vpcAttachmentOut(a, 'deleting') };
};

export const modifyTransitGatewayVpcAttachment: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = attachmentOf(s, input['TransitGatewayAttachmentId']);
  const add = Array.isArray(input['AddSubnetIds']) ? (input['AddSubnetIds'] as string[]) : [];
  const remove = new Set(Array.isArray(input['RemoveSubnetIds']) ? (input['RemoveSubnetIds'] as string[]) : []);
  const kept = a.subnetIds.filter((id) => !remove.has(id));
  const subnets = subnetsForAttachment(s, a.resourceId, [...kept, ...add]);
  for (const [i, id] of a.subnetIds.entries()) if (remove.has(id)) s.enis.delete(a.eniIds[i]!);
  const eniIds = a.eniIds.filter((_, i) => !remove.has(a.subnetIds[i]!));
  for (const sn of subnets.slice(kept.length)) eniIds.push(newEni(s, sn, { type: 'transit_gateway', managed: true, now: ctx.clock.nowMs() }).id);
  a.subnetIds = subnets.map((sn) => sn.id);
  a.eniIds = eniIds;
  attachments(s).set(a.id, a);
  return { TransitGatewayVpcAttachment: vpcAttachmentOut(a, 'modifying') };
};

export const describeTransitGatewayAttachments: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: attachments(s).values(), idOf: (a) => a.id, tagsOf: (a) => a.tags,
    notFound: (ids) => tgwNotFound('InvalidTransitGatewayAttachmentID.NotFound', 'Transit Gateway Attachment', ids[0]!),
    fields: {
      'transit-gateway-attachment-id': (a) => a.id, 'transit-gateway-id': (a) => a.tgwId, 'resource-id': (a) => a.resourceId,
      'resource-type': (a) => a.type, 'resource-owner-id': (a) => a.resourceOwner, state: (a) => a.state,
      'transit-gateway-owner-id': () => ctx.account, 'association.transit-gateway-route-table-id': (a) => a.routeTableId,
      'association.state': (a) => (a.routeTableId ? 'associated' : undefined),
    },
    ids: input['TransitGatewayAttachmentIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return {
    TransitGatewayAttachments: page.items.map((a) => ({
      TransitGatewayAttachmentId: a.id, TransitGatewayId: a.tgwId, TransitGatewayOwnerId: ctx.account, ResourceOwnerId: a.resourceOwner,
      ResourceType: a.type, ResourceId: a.resourceId, State: a.state, CreationTime: new Date(a.createdMs), Tags: a.tags,
      ...(a.routeTableId ? { Association: { TransitGatewayRouteTableId: a.routeTableId, State: 'associated' } } : {}),
    })),
    NextToken: page.nextToken,
  };
};
