/**
 * Transit gateway route tables: associations (one table per attachment), propagations (an
 * attachment's CIDRs appear as `propagated` routes), static and blackhole routes, and
 * SearchTransitGatewayRoutes over the routes in effect, which the network engine computes.
 */
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import { containsCidr, formatCidr, parseCidr } from '../../engines/network/cidr.js';
import { effectiveTgwRoutes, type EffectiveTgwRoute } from '../../engines/network/index-topology.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { invalidParam, missingParam, tgwNotFound } from './errors.js';
import { ACCEPTER_SUFFIX, snapshot } from './snapshot.js';
import { ec2State, type Ec2State } from './store.js';
import { tagsFor } from './tags.js';
import {
  attachmentOf, attachmentRef, attachments, tgwOf, tgwRouteTableOf, tgwRouteTables, tgws, usable, type TgwRouteTableRecord,
} from './tgw-store.js';

function routeTableOut(rt: TgwRouteTableRecord, s: Ec2State, state: string = rt.state) {
  const tgw = tgws(s).get(rt.tgwId);
  return {
    TransitGatewayRouteTableId: rt.id, TransitGatewayId: rt.tgwId, State: state, CreationTime: new Date(rt.createdMs), Tags: rt.tags,
    DefaultAssociationRouteTable: tgw?.associationDefaultRouteTableId === rt.id,
    DefaultPropagationRouteTable: tgw?.propagationDefaultRouteTableId === rt.id,
  };
}

export const createTransitGatewayRouteTable: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const tgw = tgwOf(s, input['TransitGatewayId']);
  const rt: TgwRouteTableRecord = {
    id: awsId('tgw-rtb'), tgwId: tgw.id, routes: [], state: 'available', tags: tagsFor(input, 'transit-gateway-route-table'), createdMs: ctx.clock.nowMs(),
  };
  tgwRouteTables(s).set(rt.id, rt);
  return { TransitGatewayRouteTable: routeTableOut(rt, s, 'pending') };
};

export const describeTransitGatewayRouteTables: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: tgwRouteTables(s).values(), idOf: (r) => r.id, tagsOf: (r) => r.tags,
    notFound: (ids) => tgwNotFound('InvalidRouteTableID.NotFound', 'Transit Gateway Route Table', ids[0]!),
    fields: {
      'transit-gateway-route-table-id': (r) => r.id, 'transit-gateway-id': (r) => r.tgwId, state: (r) => r.state,
      'default-association-route-table': (r) => tgws(s).get(r.tgwId)?.associationDefaultRouteTableId === r.id,
      'default-propagation-route-table': (r) => tgws(s).get(r.tgwId)?.propagationDefaultRouteTableId === r.id,
    },
    ids: input['TransitGatewayRouteTableIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { TransitGatewayRouteTables: page.items.map((r) => routeTableOut(r, s)), NextToken: page.nextToken };
};

export const deleteTransitGatewayRouteTable: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = tgwRouteTableOf(s, input['TransitGatewayRouteTableId']);
  const tgw = tgws(s).get(rt.tgwId);
  if (tgw?.associationDefaultRouteTableId === rt.id || tgw?.propagationDefaultRouteTableId === rt.id) {
    throw new AwsError('IncorrectState', `${rt.id} is the default route table of ${rt.tgwId} and cannot be deleted`, 400);
  }
  if ([...attachments(s).values()].some((a) => a.routeTableId === rt.id || a.propagations.includes(rt.id))) {
    throw new AwsError('IncorrectState', `${rt.id} has associations or propagations`, 400);
  }
  rt.state = 'deleted';
  tgwRouteTables(s).set(rt.id, rt);
  return { TransitGatewayRouteTable: routeTableOut(rt, s, 'deleting') };
};

function pair(s: Ec2State, input: Record<string, unknown>) {
  const rt = tgwRouteTableOf(s, input['TransitGatewayRouteTableId']);
  const a = attachmentOf(s, input['TransitGatewayAttachmentId']);
  if (a.tgwId !== rt.tgwId) throw invalidParam(`${a.id} and ${rt.id} belong to different transit gateways`);
  usable(a);
  return { rt, a };
}

export const associateTransitGatewayRouteTable: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const { rt, a } = pair(s, input);
  if (a.routeTableId !== undefined) {
    throw new AwsError('Resource.AlreadyAssociated', `Transit Gateway Attachment ${a.id} is already associated to a route table.`, 400);
  }
  a.routeTableId = rt.id;
  attachments(s).set(a.id, a);
  return { Association: { TransitGatewayRouteTableId: rt.id, ...attachmentRef(a), State: 'associating' } };
};

export const disassociateTransitGatewayRouteTable: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const { rt, a } = pair(s, input);
  if (a.routeTableId !== rt.id) {
    throw new AwsError('InvalidAssociation.NotFound', `Association ${rt.id} - ${a.id} does not exist.`, 400);
  }
  delete a.routeTableId;
  attachments(s).set(a.id, a);
  return { Association: { TransitGatewayRouteTableId: rt.id, ...attachmentRef(a), State: 'disassociating' } };
};

export const enableTransitGatewayRouteTablePropagation: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const { rt, a } = pair(s, input);
  if (a.propagations.includes(rt.id)) {
    throw new AwsError('TransitGatewayRouteTablePropagation.Duplicate', `Propagation ${rt.id} - ${a.id} already exists.`, 400);
  }
  a.propagations.push(rt.id);
  attachments(s).set(a.id, a);
  return { Propagation: { TransitGatewayRouteTableId: rt.id, ...attachmentRef(a), State: 'enabling' } };
};

export const disableTransitGatewayRouteTablePropagation: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const { rt, a } = pair(s, input);
  if (!a.propagations.includes(rt.id)) throw new AwsError('InvalidPropagation.NotFound', `Propagation ${rt.id} - ${a.id} does not exist.`, 400);
  a.propagations = a.propagations.filter((id) => id !== rt.id);
  attachments(s).set(a.id, a);
  return { Propagation: { TransitGatewayRouteTableId: rt.id, ...attachmentRef(a), State: 'disabling' } };
};

function rowsOf(s: Ec2State, input: Record<string, unknown>, pick: (a: ReturnType<typeof attachmentOf>, rtId: string) => boolean) {
  const rt = tgwRouteTableOf(s, input['TransitGatewayRouteTableId']);
  return describe({
    items: [...attachments(s).values()].filter((a) => a.state !== 'deleted' && pick(a, rt.id)), idOf: (a) => a.id, tagsOf: () => [],
    notFound: () => invalidParam('unexpected ids'),
    fields: { 'transit-gateway-attachment-id': (a) => a.id, 'resource-id': (a) => a.resourceId, 'resource-type': (a) => a.type },
    filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
}

export const getTransitGatewayRouteTableAssociations: Handler = (input, ctx) => {
  const page = rowsOf(ec2State(ctx), input, (a, rtId) => a.routeTableId === rtId);
  return { Associations: page.items.map((a) => ({ ...attachmentRef(a), State: 'associated' })), NextToken: page.nextToken };
};

export const getTransitGatewayRouteTablePropagations: Handler = (input, ctx) => {
  const page = rowsOf(ec2State(ctx), input, (a, rtId) => a.propagations.includes(rtId));
  return { TransitGatewayRouteTablePropagations: page.items.map((a) => ({ ...attachmentRef(a), State: 'enabled' })), NextToken: page.nextToken };
};

export const getTransitGatewayAttachmentPropagations: Handler = (input, ctx) => {
  const a = attachmentOf(ec2State(ctx), input['TransitGatewayAttachmentId']);
  return { TransitGatewayAttachmentPropagations: a.propagations.map((id) => ({ TransitGatewayRouteTableId: id, State: 'enabled' })) };
};

function destinationOf(input: Record<string, unknown>): string {
  const raw = input['DestinationCidrBlock'];
  if (raw === undefined) throw missingParam('DestinationCidrBlock');
  const c = parseCidr(String(raw));
  if (c === undefined) throw invalidParam(`Value (${String(raw)}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  return formatCidr(c);
}

function staticRoute(s: Ec2State, rt: TgwRouteTableRecord, input: Record<string, unknown>) {
  const destination = destinationOf(input);
  const blackhole = input['Blackhole'] === true;
  const attachmentId = input['TransitGatewayAttachmentId'] as string | undefined;
  if (!blackhole && attachmentId === undefined) throw missingParam('TransitGatewayAttachmentId');
  if (attachmentId !== undefined && !blackhole) {
    const a = attachmentOf(s, attachmentId);
    if (a.tgwId !== rt.tgwId) throw invalidParam(`${a.id} does not belong to ${rt.tgwId}`);
  }
  return { destination, attachmentId: blackhole ? undefined : attachmentId, blackhole };
}

function tgwRouteOut(s: Ec2State, r: { destination: string; attachmentId?: string; type: string; state: string }) {
  const id = r.attachmentId?.replace(ACCEPTER_SUFFIX, '');
  const a = id === undefined ? undefined : attachments(s).get(id);
  return {
    DestinationCidrBlock: r.destination, Type: r.type, State: r.state,
    ...(a ? { TransitGatewayAttachments: [attachmentRef(a)] } : {}),
  };
}

export const createTransitGatewayRoute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = tgwRouteTableOf(s, input['TransitGatewayRouteTableId']);
  const route = staticRoute(s, rt, input);
  if (rt.routes.some((r) => r.destination === route.destination)) {
    throw new AwsError('RouteAlreadyExists', `Route ${route.destination} already exists in Transit Gateway Route Table ${rt.id}.`, 400);
  }
  rt.routes.push(route);
  tgwRouteTables(s).set(rt.id, rt);
  return { Route: tgwRouteOut(s, { ...route, type: 'static', state: route.blackhole ? 'blackhole' : 'active' }) };
};

export const replaceTransitGatewayRoute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = tgwRouteTableOf(s, input['TransitGatewayRouteTableId']);
  const route = staticRoute(s, rt, input);
  const i = rt.routes.findIndex((r) => r.destination === route.destination);
  if (i < 0) throw new AwsError('InvalidRoute.NotFound', `No route with destination-cidr-block ${route.destination} in Transit Gateway Route Table ${rt.id}.`, 400);
  rt.routes[i] = route;
  tgwRouteTables(s).set(rt.id, rt);
  return { Route: tgwRouteOut(s, { ...route, type: 'static', state: route.blackhole ? 'blackhole' : 'active' }) };
};

export const deleteTransitGatewayRoute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = tgwRouteTableOf(s, input['TransitGatewayRouteTableId']);
  const destination = destinationOf(input);
  const r = rt.routes.find((x) => x.destination === destination);
  if (r === undefined) throw new AwsError('InvalidRoute.NotFound', `No route with destination-cidr-block ${destination} in Transit Gateway Route Table ${rt.id}.`, 400);
  rt.routes = rt.routes.filter((x) => x !== r);
  tgwRouteTables(s).set(rt.id, rt);
  return { Route: tgwRouteOut(s, { ...r, type: 'static', state: 'deleted' }) };
};

/** The routes in effect in one TGW route table (static, blackhole and propagated), from the engine. */
export function routesInEffect(ctx: ServiceContext, rtId: string): EffectiveTgwRoute[] {
  const topology = snapshot(ctx.stores, ctx.faults, ctx.account, ctx.clock.nowMs());
  return effectiveTgwRoutes(topology).get(rtId) ?? [];
}

const SEARCH_MATCH: Record<string, (route: string, value: string) => boolean> = {
  'route-search.exact-match': (r, v) => r === v,
  'route-search.longest-prefix-match': () => true, // narrowed below to the single longest match
  'route-search.subnet-of-match': (r, v) => containsCidr(parseCidr(v)!, parseCidr(r)!),
  'route-search.supernet-of-match': (r, v) => containsCidr(parseCidr(r)!, parseCidr(v)!),
};

export const searchTransitGatewayRoutes: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = tgwRouteTableOf(s, input['TransitGatewayRouteTableId']);
  const filters = Array.isArray(input['Filters']) ? (input['Filters'] as { Name?: string; Values?: string[] }[]) : [];
  let routes = routesInEffect(ctx, rt.id).map((r) => ({ ...r, attachment: r.attachmentId ? attachments(s).get(r.attachmentId.replace(ACCEPTER_SUFFIX, '')) : undefined }));
  const plain = filters.filter((f) => !(f.Name ?? '').startsWith('route-search.'));
  for (const f of filters.filter((x) => (x.Name ?? '').startsWith('route-search.'))) {
    const match = SEARCH_MATCH[f.Name!];
    if (match === undefined) throw invalidParam(`The filter '${f.Name}' is invalid`);
    const values = (f.Values ?? []).map((v) => {
      const c = parseCidr(v);
      if (c === undefined) throw invalidParam(`Value (${v}) for filter ${f.Name} is invalid. This is not a valid CIDR block.`);
      return formatCidr(c);
    });
    routes = routes.filter((r) => values.some((v) => match(r.destination, v)));
    if (f.Name === 'route-search.longest-prefix-match') {
      const covering = routes.filter((r) => values.some((v) => containsCidr(parseCidr(r.destination)!, parseCidr(v)!)));
      const best = Math.max(-1, ...covering.map((r) => parseCidr(r.destination)!.len));
      routes = covering.filter((r) => parseCidr(r.destination)!.len === best);
    }
  }
  const page = describe({
    items: routes, idOf: (r) => r.destination, tagsOf: () => [], notFound: () => invalidParam('unexpected ids'),
    fields: {
      type: (r) => r.type, state: (r) => r.state,
      'attachment.transit-gateway-attachment-id': (r) => r.attachment?.id, 'attachment.resource-id': (r) => r.attachment?.resourceId,
      'attachment.resource-type': (r) => r.attachment?.type,
    },
    filters: plain,
  });
  const max = input['MaxResults'] === undefined ? 1000 : Number(input['MaxResults']);
  if (!Number.isInteger(max) || max < 5 || max > 1000) throw invalidParam(`Value ( ${String(input['MaxResults'])} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  const sorted = page.items.sort((a, b) => a.destination.localeCompare(b.destination, 'en', { numeric: true }));
  return { Routes: sorted.slice(0, max).map((r) => tgwRouteOut(s, r)), AdditionalRoutesAvailable: sorted.length > max };
};
