/**
 * Resolver endpoints, inbound and outbound, with IP addresses in VPC subnets. Subnets are
 * looked up in Drydock's EC2 (in-process, as the caller) for their VPC and CIDR block.
 */
import type { Handler, ServiceContext } from '../types.js';
import { byRequestId, filtered, isoNow, page, tagMap } from './common.js';
import { endpointNotFound, exists, invalidParameter, invalidRequest } from './errors.js';
import { arnOf, resolverId, stateOf, type EndpointIp, type EndpointRecord } from './store.js';

const SG = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** How long a new endpoint stays CREATING on the clock. */
const CREATING_MS = 2000;

async function subnetsOf(ctx: ServiceContext, ids: string[]): Promise<Map<string, { VpcId: string; CidrBlock: string }>> {
  const out = new Map<string, { VpcId: string; CidrBlock: string }>();
  try {
    const r = await ctx.call({ service: 'ec2', operation: 'DescribeSubnets', input: { SubnetIds: [...new Set(ids)] }, json: true });
    for (const s of (r['Subnets'] as { SubnetId: string; VpcId: string; CidrBlock: string }[] | undefined) ?? []) out.set(s.SubnetId, s);
  } catch {
    // Unknown subnets are reported below, one by one.
  }
  return out;
}

/** The n-th usable address of a subnet (AWS reserves the first four). */
function addressIn(cidr: string, n: number): string {
  const [base] = cidr.split('/');
  const v = base!.split('.').reduce((acc, p) => acc * 256 + Number(p), 0) + 4 + n;
  return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
}

export function endpointOut(e: EndpointRecord, nowMs: number): Record<string, unknown> {
  const creating = nowMs - e.createdMs < CREATING_MS;
  return {
    Id: e.Id, CreatorRequestId: e.CreatorRequestId, Arn: e.Arn, ...(e.Name !== undefined ? { Name: e.Name } : {}), SecurityGroupIds: e.SecurityGroupIds,
    Direction: e.Direction, IpAddressCount: e.ips.length, HostVPCId: e.HostVPCId, Status: creating ? 'CREATING' : 'OPERATIONAL',
    StatusMessage: creating ? '[Trace Id: drydock] Creating the Resolver Endpoint' : 'This Resolver Endpoint is operational.',
    CreationTime: e.CreationTime, ModificationTime: e.ModificationTime, ResolverEndpointType: 'IPV4',
  };
}

export const createEndpoint: Handler = async (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account, ctx.region);
  const reqId = String(input['CreatorRequestId']);
  if (byRequestId(state.endpoints, reqId)) throw exists(`[RSLVR-00300] Can't create resolver endpoint, a resolver endpoint with creator request ID "${reqId}" already exists.`);
  const sgs = (input['SecurityGroupIds'] as string[]) ?? [];
  for (const sg of sgs) if (!SG.test(sg)) throw invalidParameter(`[RSLVR-00408] Malformed security group ID: "Invalid id: "${sg}" (expecting "sg-...")".`, 'SecurityGroupIds');
  const direction = String(input['Direction']);
  if (direction !== 'INBOUND' && direction !== 'OUTBOUND') throw invalidParameter(`[RSLVR-00400] Invalid direction "${direction}" (expecting INBOUND or OUTBOUND).`, 'Direction');
  const asked = (input['IpAddresses'] as { SubnetId: string; Ip?: string }[]) ?? [];
  if (asked.length < 2 || asked.length > 20) throw invalidRequest('[RSLVR-00405] A Resolver endpoint needs at least 2 and at most 20 IP addresses.');
  const subnets = await subnetsOf(ctx, asked.map((a) => a.SubnetId));
  const vpcs = new Set<string>();
  const now = ctx.clock.nowMs();
  const ips: EndpointIp[] = asked.map((a, i) => {
    const s = subnets.get(a.SubnetId);
    if (!s) throw invalidParameter(`[RSLVR-00404] Subnet "${a.SubnetId}" does not exist.`, 'SubnetId');
    vpcs.add(s.VpcId);
    return { IpId: resolverId('ipaddr'), SubnetId: a.SubnetId, Ip: a.Ip ?? addressIn(s.CidrBlock, i), CreationTime: isoNow(now) };
  });
  if (vpcs.size > 1) throw invalidRequest('[RSLVR-00409] All the subnets of a Resolver endpoint must be in the same VPC.');
  const id = resolverId(direction === 'INBOUND' ? 'in' : 'out');
  const e: EndpointRecord = {
    Id: id, CreatorRequestId: reqId, Arn: arnOf(ctx.region, ctx.account, 'resolver-endpoint', id), Name: input['Name'] as string | undefined, SecurityGroupIds: sgs,
    Direction: direction, HostVPCId: [...vpcs][0]!, ips, CreationTime: isoNow(now), ModificationTime: isoNow(now), createdMs: now, tags: tagMap(input['Tags']),
  };
  state.endpoints.set(id, e);
  return { ResolverEndpoint: endpointOut(e, now) };
};

function getEndpoint(ctx: ServiceContext, id: unknown): EndpointRecord {
  const e = stateOf(ctx.stores, ctx.account, ctx.region).endpoints.get(String(id));
  if (!e) throw endpointNotFound(String(id));
  return e;
}

export const getEndpointHandler: Handler = (input, ctx) => ({ ResolverEndpoint: endpointOut(getEndpoint(ctx, input['ResolverEndpointId']), ctx.clock.nowMs()) });

export const updateEndpoint: Handler = (input, ctx) => {
  const e = getEndpoint(ctx, input['ResolverEndpointId']);
  if (input['Name'] !== undefined) e.Name = String(input['Name']);
  e.ModificationTime = isoNow(ctx.clock.nowMs());
  stateOf(ctx.stores, ctx.account, ctx.region).endpoints.set(e.Id, e);
  return { ResolverEndpoint: endpointOut(e, ctx.clock.nowMs()) };
};

export const deleteEndpoint: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account, ctx.region);
  const e = getEndpoint(ctx, input['ResolverEndpointId']);
  const users = [...state.rules.values()].filter((r) => r.ResolverEndpointId === e.Id);
  if (users.length) throw invalidRequest(`[RSLVR-00706] Cannot delete the Resolver endpoint "${e.Id}": it is used by the Resolver rule(s) ${users.map((r) => `"${r.Id}"`).join(', ')}.`);
  state.endpoints.delete(e.Id);
  return { ResolverEndpoint: { ...endpointOut(e, ctx.clock.nowMs()), Status: 'DELETING', StatusMessage: '[Trace Id: drydock] Deleting the Resolver Endpoint' } };
};

export const listEndpoints: Handler = (input, ctx) => {
  const now = ctx.clock.nowMs();
  const all = filtered([...stateOf(ctx.stores, ctx.account, ctx.region).endpoints.values()].map((e) => endpointOut(e, now)), input['Filters']);
  const p = page(all, input);
  return { ResolverEndpoints: p.items, MaxResults: p.max, ...(p.next ? { NextToken: p.next } : {}) };
};

export const listEndpointIps: Handler = (input, ctx) => {
  const e = getEndpoint(ctx, input['ResolverEndpointId']);
  const p = page(e.ips.map((ip) => ({ ...ip, Status: 'ATTACHED', StatusMessage: 'This IP address is operational.', ModificationTime: ip.CreationTime })), input);
  return { IpAddresses: p.items, MaxResults: p.max, ...(p.next ? { NextToken: p.next } : {}) };
};
