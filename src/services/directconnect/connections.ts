/**
 * Dedicated connections and link aggregation groups. A LAG bundles connections of one
 * bandwidth at one location; it is operational while at least `minimumLinks` of them are up,
 * so taking links down (a `dx-link-down` fault) can take the whole LAG down.
 */
import type { Handler, ServiceContext } from '../types.js';
import { publishForLink, publishWhenProvisioned } from './publish.js';
import {
  clientError, connectionState, DEDICATED, dxId, lagState, LOCATIONS, regional, type ConnectionRecord, type DxRegional,
  type LagRecord,
} from './store.js';
import { readTags } from './tags.js';

const deps = (ctx: ServiceContext) => ({ stores: ctx.stores, bus: ctx.bus, clock: ctx.clock });

function locationOf(ctx: ServiceContext, code: unknown): string {
  const loc = LOCATIONS[String(code)];
  if (loc === undefined || loc.region !== ctx.region) throw clientError(`Location ${String(code)} is not valid in ${ctx.region}`);
  return String(code);
}

export function connectionOut(c: ConnectionRecord, ctx: ServiceContext) {
  return {
    ownerAccount: ctx.account, connectionId: c.id, connectionName: c.name, connectionState: connectionState(c, ctx.clock.nowMs(), ctx.faults),
    region: ctx.region, location: c.location, bandwidth: c.bandwidth, lagId: c.lagId, awsDevice: `${c.location}-abcd1`,
    awsDeviceV2: `${c.location}-abcd1`, awsLogicalDeviceId: `${c.location}-abcd1`, jumboFrameCapable: true, hasLogicalRedundancy: 'unknown',
    tags: c.tags, providerName: c.providerName, macSecCapable: false, encryptionMode: 'no_encrypt',
  };
}

function connectionOf(r: DxRegional, id: unknown): ConnectionRecord {
  const c = typeof id === 'string' ? r.connections.get(id) : undefined;
  if (c === undefined || c.deleted) throw clientError(`Connection ${String(id)} does not exist`);
  return c;
}

function newConnection(ctx: ServiceContext, r: DxRegional, fields: Pick<ConnectionRecord, 'name' | 'location' | 'bandwidth' | 'lagId' | 'tags'>): ConnectionRecord {
  const c: ConnectionRecord = { id: dxId('dxcon'), createdMs: ctx.clock.nowMs(), deleted: false, ...fields };
  r.connections.set(c.id, c);
  publishWhenProvisioned(deps(ctx), ctx.account, ctx.region, c.id, c.createdMs);
  return c;
}

export const createConnection: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const location = locationOf(ctx, input['location']);
  const bandwidth = String(input['bandwidth'] ?? '');
  if (!DEDICATED.includes(bandwidth)) throw clientError(`Bandwidth ${bandwidth} is not available. Valid values: ${DEDICATED.join(', ')}`);
  const lagId = input['lagId'] as string | undefined;
  if (lagId !== undefined) lagOf(r, lagId);
  const c = newConnection(ctx, r, { name: String(input['connectionName'] ?? ''), location, bandwidth, lagId, tags: readTags(input['tags']) });
  return connectionOut(c, ctx);
};

export const describeConnections: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const id = input['connectionId'] as string | undefined;
  const list = id !== undefined ? [connectionOf(r, id)] : [...r.connections.values()].filter((c) => !c.deleted);
  return { connections: list.map((c) => connectionOut(c, ctx)) };
};

export const deleteConnection: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const c = connectionOf(r, input['connectionId']);
  if ([...r.vifs.values()].some((v) => !v.deleted && v.connectionId === c.id)) {
    throw clientError(`Connection ${c.id} has virtual interfaces and cannot be deleted`);
  }
  c.deleted = true;
  r.connections.set(c.id, c);
  publishForLink(deps(ctx), ctx.account, ctx.region, c.id);
  return connectionOut(c, ctx);
};

export const updateConnection: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const c = connectionOf(r, input['connectionId']);
  if (input['connectionName'] !== undefined) c.name = String(input['connectionName']);
  r.connections.set(c.id, c);
  return connectionOut(c, ctx);
};

export function lagOf(r: DxRegional, id: unknown): LagRecord {
  const l = typeof id === 'string' ? r.lags.get(id) : undefined;
  if (l === undefined || l.deleted) throw clientError(`Lag ${String(id)} does not exist`);
  return l;
}

const membersOf = (r: DxRegional, lagId: string) => [...r.connections.values()].filter((c) => c.lagId === lagId && !c.deleted);

function lagOut(l: LagRecord, r: DxRegional, ctx: ServiceContext) {
  const members = membersOf(r, l.id);
  return {
    lagId: l.id, lagName: l.name, ownerAccount: ctx.account, region: ctx.region, location: l.location, connectionsBandwidth: l.bandwidth,
    numberOfConnections: members.length, minimumLinks: l.minimumLinks, lagState: lagState(l, members, ctx.clock.nowMs(), ctx.faults),
    awsDevice: `${l.location}-abcd1`, awsDeviceV2: `${l.location}-abcd1`, awsLogicalDeviceId: `${l.location}-abcd1`,
    connections: members.map((c) => connectionOut(c, ctx)), allowsHostedConnections: false, jumboFrameCapable: true,
    hasLogicalRedundancy: 'unknown', tags: l.tags, macSecCapable: false, encryptionMode: 'no_encrypt',
  };
}

export const createLag: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const location = locationOf(ctx, input['location']);
  const bandwidth = String(input['connectionsBandwidth'] ?? '');
  if (!DEDICATED.includes(bandwidth)) throw clientError(`Bandwidth ${bandwidth} is not available for a LAG. Valid values: ${DEDICATED.join(', ')}`);
  const n = Number(input['numberOfConnections']);
  // AWS: at most 4 connections per LAG (2 at 100G/400G).
  const max = bandwidth === '100Gbps' || bandwidth === '400Gbps' ? 2 : 4;
  if (!Number.isInteger(n) || n < 1 || n > max) throw clientError(`numberOfConnections must be between 1 and ${max} for ${bandwidth} connections`);
  const l: LagRecord = {
    id: dxId('dxlag'), name: String(input['lagName'] ?? ''), location, bandwidth, minimumLinks: 0, createdMs: ctx.clock.nowMs(), deleted: false,
    tags: readTags(input['tags']),
  };
  r.lags.set(l.id, l);
  const existing = input['connectionId'] as string | undefined;
  if (existing !== undefined) {
    const c = connectionOf(r, existing);
    c.lagId = l.id;
    r.connections.set(c.id, c);
  }
  const childTags = readTags(input['childConnectionTags']);
  for (let i = existing === undefined ? 0 : 1; i < n; i++) newConnection(ctx, r, { name: `${l.name}-${i + 1}`, location, bandwidth, lagId: l.id, tags: childTags });
  return lagOut(l, r, ctx);
};

export const describeLags: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const id = input['lagId'] as string | undefined;
  const list = id !== undefined ? [lagOf(r, id)] : [...r.lags.values()].filter((l) => !l.deleted);
  return { lags: list.map((l) => lagOut(l, r, ctx)) };
};

export const updateLag: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const l = lagOf(r, input['lagId']);
  if (input['lagName'] !== undefined) l.name = String(input['lagName']);
  if (input['minimumLinks'] !== undefined) {
    const m = Number(input['minimumLinks']);
    const n = membersOf(r, l.id).length;
    if (!Number.isInteger(m) || m < 0 || m > n) throw clientError(`minimumLinks must be between 0 and the number of connections in the LAG (${n})`);
    l.minimumLinks = m;
  }
  r.lags.set(l.id, l);
  publishForLink(deps(ctx), ctx.account, ctx.region, l.id);
  return lagOut(l, r, ctx);
};

export const deleteLag: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const l = lagOf(r, input['lagId']);
  if ([...r.vifs.values()].some((v) => !v.deleted && v.connectionId === l.id)) throw clientError(`Lag ${l.id} has virtual interfaces and cannot be deleted`);
  if (membersOf(r, l.id).length > 0) throw clientError(`Lag ${l.id} has connections and cannot be deleted`);
  l.deleted = true;
  r.lags.set(l.id, l);
  return lagOut(l, r, ctx);
};

export const associateConnectionWithLag: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const c = connectionOf(r, input['connectionId']);
  const l = lagOf(r, input['lagId']);
  if (c.bandwidth !== l.bandwidth || c.location !== l.location) throw clientError(`Connection ${c.id} must match the bandwidth and location of ${l.id}`);
  if (c.lagId !== undefined) throw clientError(`Connection ${c.id} is already in ${c.lagId}`);
  c.lagId = l.id;
  r.connections.set(c.id, c);
  publishForLink(deps(ctx), ctx.account, ctx.region, l.id);
  return connectionOut(c, ctx);
};

export const disassociateConnectionFromLag: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const c = connectionOf(r, input['connectionId']);
  const l = lagOf(r, input['lagId']);
  if (c.lagId !== l.id) throw clientError(`Connection ${c.id} is not in ${l.id}`);
  if (membersOf(r, l.id).length - 1 < l.minimumLinks) throw clientError(`Removing ${c.id} would leave ${l.id} below its minimum links`);
  delete c.lagId;
  r.connections.set(c.id, c);
  publishForLink(deps(ctx), ctx.account, ctx.region, l.id);
  return connectionOut(c, ctx);
};

export const describeLocations: Handler = (_input, ctx) => ({
  locations: Object.entries(LOCATIONS).filter(([, l]) => l.region === ctx.region).map(([code, l]) => ({
    locationCode: code, locationName: l.name, region: l.region, availablePortSpeeds: DEDICATED, availableProviders: [], availableMacSecPortSpeeds: [],
  })),
});
