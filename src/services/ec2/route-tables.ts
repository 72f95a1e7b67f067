/**
 * Route tables: the VPC's main table, explicit subnet and gateway (edge) associations, local
 * routes per VPC CIDR, static routes to gateways, NAT gateways, transit gateways, peering
 * connections, endpoints and ENIs. A route whose target is gone reads `blackhole`.
 */
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import { formatCidr, parseCidr } from '../../engines/network/cidr.js';
import type { Handler } from '../types.js';
import { describe, missingIds } from './describe.js';
import { dependency, found, invalidParam, missingParam, routeTableNotFound } from './errors.js';
import { ec2State, type Ec2State, type RouteRecord, type RouteTableRecord, type RouteTarget } from './store.js';
import { subnetOf } from './subnets.js';
import { tagsFor } from './tags.js';
import { vpcOf } from './vpcs.js';

export function routeTableOf(s: Ec2State, id: unknown): RouteTableRecord {
  return found(s.routeTables, id, routeTableNotFound);
}

// Request member → target type, in the order EC2 reads them.
const TARGET_MEMBERS: [string, RouteTarget][] = [
  ['GatewayId', 'igw'], ['NatGatewayId', 'nat'], ['TransitGatewayId', 'tgw'], ['VpcPeeringConnectionId', 'pcx'],
  ['NetworkInterfaceId', 'eni'], ['EgressOnlyInternetGatewayId', 'eigw'], ['VpcEndpointId', 'vpce'],
];

/** Whether a route's target exists and can carry traffic now (else the route is a blackhole). */
export function routeState(s: Ec2State, rt: RouteTableRecord, r: RouteRecord): 'active' | 'blackhole' {
  switch (r.targetType) {
    case 'local': return 'active';
    case 'igw': case 'eigw': return s.gateways.get(r.targetId)?.vpcId === rt.vpcId ? 'active' : 'blackhole';
    case 'nat': {
      const state = s.natGateways.get(r.targetId)?.state;
      return state === 'deleted' || state === 'failed' || state === undefined ? 'blackhole' : 'active';
    }
    case 'eni': return s.enis.has(r.targetId) ? 'active' : 'blackhole';
    case 'tgw': {
      const atts = s.extra<{ tgwId: string; resourceId: string; state: string }>('tgwAttachments');
      return [...atts.values()].some((a) => a.tgwId === r.targetId && a.resourceId === rt.vpcId && a.state !== 'deleted') ? 'active' : 'blackhole';
    }
    case 'pcx': {
      const p = s.extra<{ state: string }>('peerings').get(r.targetId);
      return p?.state === 'active' ? 'active' : 'blackhole';
    }
    case 'vpce': return s.extra<{ state: string }>('endpoints').get(r.targetId)?.state === 'available' ? 'active' : 'blackhole';
    default: return 'blackhole';
  }
}

function routeOut(s: Ec2State, rt: RouteTableRecord, r: RouteRecord) {
  const target: Record<string, string> = {};
  if (r.targetType === 'local' || r.targetType === 'igw' || r.targetType === 'vpce' || r.targetType === 'vgw') target['GatewayId'] = r.targetId;
  else target[TARGET_MEMBERS.find(([, t]) => t === r.targetType)![0]] = r.targetId;
  return {
    ...(r.destination !== undefined ? { DestinationCidrBlock: r.destination } : {}),
    ...(r.prefixListId !== undefined ? { DestinationPrefixListId: r.prefixListId } : {}),
    ...target, Origin: r.origin, State: routeState(s, rt, r),
  };
}

export function routeTableOut(s: Ec2State, rt: RouteTableRecord, account: string) {
  const assoc = (a: { id: string; subnetId?: string; gatewayId?: string }, main = false) => ({
    Main: main, RouteTableAssociationId: a.id, RouteTableId: rt.id, SubnetId: a.subnetId, GatewayId: a.gatewayId,
    AssociationState: { State: 'associated' },
  });
  return {
    RouteTableId: rt.id, VpcId: rt.vpcId, OwnerId: account, Tags: rt.tags, PropagatingVgws: [],
    Routes: rt.routes.map((r) => routeOut(s, rt, r)),
    Associations: [...(rt.main ? [assoc({ id: rt.mainAssociationId! }, true)] : []), ...rt.associations.map((a) => assoc(a))],
  };
}

export const createRouteTable: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const vpc = vpcOf(s, input['VpcId']);
  const rt: RouteTableRecord = {
    id: awsId('rtb'), vpcId: vpc.id, main: false, tags: tagsFor(input, 'route-table'), createdMs: ctx.clock.nowMs(), associations: [],
    routes: vpc.cidrs.map((c) => ({ destination: c.cidr, targetType: 'local' as const, targetId: 'local', origin: 'CreateRouteTable' as const })),
  };
  s.routeTables.set(rt.id, rt);
  return { RouteTable: routeTableOut(s, rt, ctx.account) };
};

export const describeRouteTables: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const assocIds = (rt: RouteTableRecord) => [...(rt.main ? [rt.mainAssociationId] : []), ...rt.associations.map((a) => a.id)];
  const page = describe({
    items: s.routeTables.values(), idOf: (r) => r.id, tagsOf: (r) => r.tags, notFound: missingIds(routeTableNotFound),
    fields: {
      'route-table-id': (r) => r.id, 'vpc-id': (r) => r.vpcId, 'owner-id': () => ctx.account,
      'association.main': (r) => (r.main ? true : r.associations.length > 0 ? false : undefined),
      'association.subnet-id': (r) => r.associations.map((a) => a.subnetId),
      'association.gateway-id': (r) => r.associations.map((a) => a.gatewayId),
      'association.route-table-association-id': assocIds,
      'association.route-table-id': (r) => r.id,
      'route.destination-cidr-block': (r) => r.routes.map((x) => x.destination),
      'route.destination-prefix-list-id': (r) => r.routes.map((x) => x.prefixListId),
      'route.gateway-id': (r) => r.routes.filter((x) => ['igw', 'local', 'vpce'].includes(x.targetType)).map((x) => x.targetId),
      'route.nat-gateway-id': (r) => r.routes.filter((x) => x.targetType === 'nat').map((x) => x.targetId),
      'route.transit-gateway-id': (r) => r.routes.filter((x) => x.targetType === 'tgw').map((x) => x.targetId),
      'route.vpc-peering-connection-id': (r) => r.routes.filter((x) => x.targetType === 'pcx').map((x) => x.targetId),
      'route.origin': (r) => r.routes.map((x) => x.origin),
      'route.state': (r) => r.routes.map((x) => routeState(s, r, x)),
    },
    ids: input['RouteTableIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
    maxRange: [5, 100],
  });
  return { RouteTables: page.items.map((r) => routeTableOut(s, r, ctx.account)), NextToken: page.nextToken };
};

export const deleteRouteTable: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = routeTableOf(s, input['RouteTableId']);
  if (rt.main || rt.associations.length > 0) throw dependency('routeTable', rt.id);
  s.routeTables.delete(rt.id);
  return {};
};

export const associateRouteTable: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = routeTableOf(s, input['RouteTableId']);
  const subnetId = input['SubnetId'] as string | undefined;
  const gatewayId = input['GatewayId'] as string | undefined;
  if (subnetId === undefined && gatewayId === undefined) throw missingParam('subnetId or gatewayId');
  if (subnetId !== undefined) {
    const sn = subnetOf(s, subnetId);
    if (sn.vpcId !== rt.vpcId) throw invalidParam(`Route table ${rt.id} and subnet ${sn.id} belong to different networks`);
  } else if (s.gateways.get(gatewayId!)?.vpcId !== rt.vpcId) {
    throw invalidParam(`Route table ${rt.id} and gateway ${gatewayId} belong to different networks`);
  }
  for (const other of s.routeTables.values()) {
    if (other.associations.some((a) => (subnetId !== undefined && a.subnetId === subnetId) || (gatewayId !== undefined && a.gatewayId === gatewayId))) {
      throw new AwsError('Resource.AlreadyAssociated', `the specified association for route table ${other.id} conflicts with an existing association`, 400);
    }
  }
  const id = awsId('rtbassoc');
  rt.associations.push({ id, subnetId, gatewayId });
  s.routeTables.set(rt.id, rt);
  return { AssociationId: id, AssociationState: { State: 'associated' } };
};

function findAssociation(s: Ec2State, id: unknown): { rt: RouteTableRecord; main: boolean } {
  for (const rt of s.routeTables.values()) {
    if (rt.main && rt.mainAssociationId === id) return { rt, main: true };
    if (rt.associations.some((a) => a.id === id)) return { rt, main: false };
  }
  throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${String(id)}' does not exist`, 400);
}

export const disassociateRouteTable: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const { rt, main } = findAssociation(s, input['AssociationId']);
  if (main) throw invalidParam(`cannot disassociate the main route table association ${String(input['AssociationId'])}`);
  rt.associations = rt.associations.filter((a) => a.id !== input['AssociationId']);
  s.routeTables.set(rt.id, rt);
  return {};
};

export const replaceRouteTableAssociation: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const { rt: old, main } = findAssociation(s, input['AssociationId']);
  const next = routeTableOf(s, input['RouteTableId']);
  if (next.vpcId !== old.vpcId) throw invalidParam(`Route table ${next.id} belongs to a different network`);
  const id = awsId('rtbassoc');
  if (main) {
    old.main = false;
    delete old.mainAssociationId;
    next.main = true;
    next.mainAssociationId = id;
  } else {
    const a = old.associations.find((x) => x.id === input['AssociationId'])!;
    old.associations = old.associations.filter((x) => x !== a);
    next.associations.push({ ...a, id });
  }
  s.routeTables.set(old.id, old);
  s.routeTables.set(next.id, next);
  return { NewAssociationId: id, AssociationState: { State: 'associated' } };
};

/** Reads the destination and target of a Create/ReplaceRoute request, checking the target exists. */
function readRoute(s: Ec2State, rt: RouteTableRecord, input: Record<string, unknown>): RouteRecord {
  const dest = input['DestinationCidrBlock'] as string | undefined;
  const pl = input['DestinationPrefixListId'] as string | undefined;
  if (dest === undefined && pl === undefined) throw missingParam('destinationCidrBlock');
  let destination: string | undefined;
  if (dest !== undefined) {
    const c = parseCidr(dest);
    if (c === undefined) throw invalidParam(`Value (${dest}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
    destination = formatCidr(c);
  }
  const given = TARGET_MEMBERS.filter(([m]) => input[m] !== undefined);
  if (given.length !== 1) throw invalidParam('The request must contain exactly one of gatewayId, natGatewayId, transitGatewayId, vpcPeeringConnectionId, networkInterfaceId, egressOnlyInternetGatewayId, vpcEndpointId');
  let [member, targetType] = given[0]!;
  const targetId = String(input[member]);
  if (member === 'GatewayId' && targetId.startsWith('vpce-')) targetType = 'vpce';
  checkTarget(s, rt, targetType, targetId);
  return { destination, prefixListId: pl, targetType, targetId, origin: 'CreateRoute' };
}

function checkTarget(s: Ec2State, rt: RouteTableRecord, type: RouteTarget, id: string): void {
  const exists: Record<string, () => boolean> = {
    igw: () => s.gateways.get(id)?.kind === 'igw',
    eigw: () => s.gateways.get(id)?.kind === 'eigw',
    nat: () => s.natGateways.has(id),
    eni: () => s.enis.has(id),
    tgw: () => s.extra('tgws').has(id),
    pcx: () => s.extra('peerings').has(id),
    vpce: () => s.extra('endpoints').has(id),
  };
  if (!(exists[type]?.() ?? false)) {
    const names: Record<string, [string, string]> = {
      igw: ['InvalidInternetGatewayID.NotFound', 'internetGateway'], eigw: ['InvalidGatewayID.NotFound', 'gateway'],
      nat: ['InvalidNatGatewayID.NotFound', 'natGateway'], eni: ['InvalidNetworkInterfaceID.NotFound', 'networkInterface'],
      tgw: ['InvalidTransitGatewayID.NotFound', 'transitGateway'], pcx: ['InvalidVpcPeeringConnectionID.NotFound', 'vpcPeeringConnection'],
      vpce: ['InvalidVpcEndpointId.NotFound', 'vpcEndpoint'],
    };
    const [code, noun] = names[type] ?? ['InvalidParameterValue', 'target'];
    throw new AwsError(code, `The ${noun} ID '${id}' does not exist`, 400);
  }
  if (type === 'igw' && s.gateways.get(id)!.vpcId !== rt.vpcId) {
    throw invalidParam(`route table ${rt.id} and network gateway ${id} belong to different networks`);
  }
}

const sameDest = (a: RouteRecord, b: RouteRecord) => a.destination === b.destination && a.prefixListId === b.prefixListId;

export const createRoute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = routeTableOf(s, input['RouteTableId']);
  const route = readRoute(s, rt, input);
  if (rt.routes.some((r) => sameDest(r, route))) {
    throw new AwsError('RouteAlreadyExists', `The route identified by ${route.destination ?? route.prefixListId} already exists.`, 400);
  }
  rt.routes.push(route);
  s.routeTables.set(rt.id, rt);
  return { Return: true };
};

function existingRoute(rt: RouteTableRecord, input: Record<string, unknown>): RouteRecord {
  const dest = input['DestinationCidrBlock'] as string | undefined;
  const pl = input['DestinationPrefixListId'] as string | undefined;
  const norm = dest === undefined ? undefined : (parseCidr(dest) && formatCidr(parseCidr(dest)!)) ?? dest;
  const r = rt.routes.find((x) => (norm !== undefined && x.destination === norm) || (pl !== undefined && x.prefixListId === pl));
  if (r === undefined) {
    throw new AwsError('InvalidRoute.NotFound', `no route with destination-cidr-block ${dest ?? pl} in route table ${rt.id}`, 400);
  }
  if (r.targetType === 'local') throw invalidParam(`cannot remove local route ${r.destination} in route table ${rt.id}`);
  return r;
}

export const replaceRoute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = routeTableOf(s, input['RouteTableId']);
  const old = existingRoute(rt, input);
  const next = readRoute(s, rt, input);
  rt.routes = rt.routes.map((r) => (r === old ? { ...next, origin: 'CreateRoute' as const } : r));
  s.routeTables.set(rt.id, rt);
  return {};
};

export const deleteRoute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rt = routeTableOf(s, input['RouteTableId']);
  const old = existingRoute(rt, input);
  rt.routes = rt.routes.filter((r) => r !== old);
  s.routeTables.set(rt.id, rt);
  return {};
};
