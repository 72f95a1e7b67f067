/**
 * Direct Connect gateways (global) and their associations with transit gateways in any
 * region, with the allowed prefixes advertised to on-premises. An association makes EC2 give
 * the transit gateway a `direct-connect-gateway` attachment (told over the bus).
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { parseCidr, formatCidr } from '../../engines/network/cidr.js';
import type { Handler, ServiceContext } from '../types.js';
import { publishGateway } from './publish.js';
import { clientError, global, regional, regionsOf, type AssociationRecord, type DxGatewayRecord } from './store.js';
import { readTags } from './tags.js';
import { vifAttachments } from './vifs.js';

function gatewayOut(g: DxGatewayRecord, account: string, state?: string) {
  return {
    directConnectGatewayId: g.id, directConnectGatewayName: g.name, amazonSideAsn: g.asn, ownerAccount: account,
    directConnectGatewayState: state ?? (g.deleted ? 'deleted' : 'available'), tags: g.tags,
  };
}

function gatewayOf(ctx: ServiceContext, id: unknown): DxGatewayRecord {
  const g = typeof id === 'string' ? global(ctx.stores, ctx.account).gateways.get(id) : undefined;
  if (g === undefined || g.deleted) throw clientError(`Direct Connect Gateway ${String(id)} does not exist`);
  return g;
}

export const createDirectConnectGateway: Handler = (input, ctx) => {
  const name = String(input['directConnectGatewayName'] ?? '');
  if (name.length === 0 || name.length > 100) throw clientError('directConnectGatewayName must be between 1 and 100 characters');
  const asn = input['amazonSideAsn'] === undefined ? 64512 : Number(input['amazonSideAsn']);
  const ok = (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
  if (!Number.isInteger(asn) || !ok) throw clientError(`Amazon side ASN ${String(input['amazonSideAsn'])} is not a valid private ASN`);
  const g: DxGatewayRecord = { id: randomUUID(), name, asn, deleted: false, tags: readTags(input['tags']) };
  global(ctx.stores, ctx.account).gateways.set(g.id, g);
  return { directConnectGateway: gatewayOut(g, ctx.account, 'pending') };
};

export const describeDirectConnectGateways: Handler = (input, ctx) => {
  const id = input['directConnectGatewayId'] as string | undefined;
  const list = id !== undefined ? [gatewayOf(ctx, id)] : [...global(ctx.stores, ctx.account).gateways.values()].filter((g) => !g.deleted);
  return { directConnectGateways: list.map((g) => gatewayOut(g, ctx.account)) };
};

export const updateDirectConnectGateway: Handler = (input, ctx) => {
  const g = gatewayOf(ctx, input['directConnectGatewayId']);
  g.name = String(input['newDirectConnectGatewayName'] ?? g.name);
  global(ctx.stores, ctx.account).gateways.set(g.id, g);
  return { directConnectGateway: gatewayOut(g, ctx.account) };
};

export const deleteDirectConnectGateway: Handler = (input, ctx) => {
  const g = gatewayOf(ctx, input['directConnectGatewayId']);
  const st = global(ctx.stores, ctx.account);
  if ([...st.associations.values()].some((a) => a.dxGatewayId === g.id)) throw clientError(`Direct Connect Gateway ${g.id} has associations and cannot be deleted`);
  const vifs = regionsOf(ctx.stores, ctx.account).some((r) => [...regional(ctx.stores, ctx.account, r).vifs.values()].some((v) => !v.deleted && v.directConnectGatewayId === g.id));
  if (vifs) throw clientError(`Direct Connect Gateway ${g.id} has virtual interfaces attached and cannot be deleted`);
  g.deleted = true;
  st.gateways.set(g.id, g);
  publishGateway(ctx, ctx.account, g.id);
  return { directConnectGateway: gatewayOut(g, ctx.account, 'deleting') };
};

function prefixes(v: unknown): string[] {
  const list = Array.isArray(v) ? (v as { cidr?: string }[]) : [];
  return list.map((p) => {
    const c = parseCidr(p.cidr ?? '');
    if (c === undefined) throw clientError(`Invalid allowed prefix ${String(p.cidr)}`);
    return formatCidr(c);
  });
}

function associationOut(a: AssociationRecord, ctx: ServiceContext, state = 'associated') {
  return {
    directConnectGatewayId: a.dxGatewayId, directConnectGatewayOwnerAccount: ctx.account, associationState: state, associationId: a.id,
    associatedGateway: { id: a.gatewayId, type: 'transitGateway', ownerAccount: a.gatewayOwner, region: a.gatewayRegion },
    allowedPrefixesToDirectConnectGateway: a.allowedPrefixes.map((cidr) => ({ cidr })),
  };
}

export const createDirectConnectGatewayAssociation: Handler = async (input, ctx) => {
  const g = gatewayOf(ctx, input['directConnectGatewayId']);
  const gatewayId = String(input['gatewayId'] ?? input['virtualGatewayId'] ?? '');
  if (!gatewayId.startsWith('tgw-')) throw clientError('Only transit gateway associations are supported by Drydock (gatewayId tgw-…)');
  // The transit gateway must exist in this region: ask EC2, as the caller.
  try {
    await ctx.call({ service: 'ec2', operation: 'DescribeTransitGateways', input: { TransitGatewayIds: [gatewayId] } });
  } catch (e) {
    if (e instanceof AwsError && e.status < 500) throw clientError(`Transit Gateway ${gatewayId} does not exist in ${ctx.region}`);
    throw e;
  }
  const allowed = prefixes(input['addAllowedPrefixesToDirectConnectGateway']);
  if (allowed.length === 0) throw clientError('Allowed prefixes are required for a transit gateway association');
  const st = global(ctx.stores, ctx.account);
  if ([...st.associations.values()].some((a) => a.dxGatewayId === g.id && a.gatewayId === gatewayId)) {
    throw clientError(`Direct Connect Gateway ${g.id} is already associated with ${gatewayId}`);
  }
  if ([...st.associations.values()].filter((a) => a.dxGatewayId === g.id).length >= 6) {
    throw clientError(`Direct Connect Gateway ${g.id} has reached the limit of 6 transit gateway associations`);
  }
  const a: AssociationRecord = {
    id: randomUUID(), dxGatewayId: g.id, gatewayId, gatewayRegion: ctx.region, gatewayOwner: ctx.account, allowedPrefixes: allowed, createdMs: ctx.clock.nowMs(),
  };
  st.associations.set(a.id, a);
  publishGateway(ctx, ctx.account, g.id);
  return { directConnectGatewayAssociation: associationOut(a, ctx, 'associating') };
};

function associationOf(ctx: ServiceContext, id: unknown): AssociationRecord {
  const a = typeof id === 'string' ? global(ctx.stores, ctx.account).associations.get(id) : undefined;
  if (a === undefined) throw clientError(`Association ${String(id)} does not exist`);
  return a;
}

export const updateDirectConnectGatewayAssociation: Handler = (input, ctx) => {
  const a = associationOf(ctx, input['associationId']);
  const add = prefixes(input['addAllowedPrefixesToDirectConnectGateway']);
  const remove = new Set(prefixes(input['removeAllowedPrefixesToDirectConnectGateway']));
  a.allowedPrefixes = [...new Set([...a.allowedPrefixes.filter((p) => !remove.has(p)), ...add])];
  global(ctx.stores, ctx.account).associations.set(a.id, a);
  publishGateway(ctx, ctx.account, a.dxGatewayId);
  return { directConnectGatewayAssociation: associationOut(a, ctx, 'updating') };
};

export const deleteDirectConnectGatewayAssociation: Handler = (input, ctx) => {
  const st = global(ctx.stores, ctx.account);
  const a = input['associationId'] !== undefined ? associationOf(ctx, input['associationId'])
    : [...st.associations.values()].find((x) => x.dxGatewayId === input['directConnectGatewayId'] && x.gatewayId === input['virtualGatewayId']);
  if (a === undefined) throw clientError('Association does not exist');
  st.associations.delete(a.id);
  publishGateway(ctx, ctx.account, a.dxGatewayId);
  return { directConnectGatewayAssociation: associationOut(a, ctx, 'disassociating') };
};

export const describeDirectConnectGatewayAssociations: Handler = (input, ctx) => {
  const list = [...global(ctx.stores, ctx.account).associations.values()].filter((a) =>
    (input['associationId'] === undefined || a.id === input['associationId'])
    && (input['directConnectGatewayId'] === undefined || a.dxGatewayId === input['directConnectGatewayId'])
    && (input['associatedGatewayId'] === undefined || a.gatewayId === input['associatedGatewayId']));
  return { directConnectGatewayAssociations: list.map((a) => associationOut(a, ctx)) };
};

export const describeDirectConnectGatewayAttachments: Handler = (input, ctx) => {
  if (input['directConnectGatewayId'] !== undefined) gatewayOf(ctx, input['directConnectGatewayId']);
  return { directConnectGatewayAttachments: vifAttachments(ctx, input['directConnectGatewayId'] as string | undefined, input['virtualInterfaceId'] as string | undefined) };
};
