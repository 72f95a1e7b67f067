/**
 * Global tables (version 2019.11.21): UpdateTable ReplicaUpdates creates or deletes a replica
 * table of the same name in another region of the account; every write then reaches the other
 * replicas after a replication lag on the clock, and concurrent writes resolve
 * last-writer-wins by write time (ties by region name, so every replica picks the same one).
 * While the source or target region is in outage (fault registry) deliveries wait in order
 * and flow again once both are up.
 */
import { randomUUID } from 'node:crypto';
import type { TimerId } from '../../core/clock.js';
import type { Item } from '../../engines/dynamodb/index.js';
import type { ServiceContext, ServiceHost } from '../types.js';
import { validation } from './errors.js';
import { dropItems, dynamoState, getStored, keyOf, primaryToken, runtimeOf, storedItems, tableArn, type TableRecord } from './store.js';
import { enableStream } from './stream-publish.js';
import { afterCommitHooks, commit, type WriteFacilities, type WritePlan } from './writes.js';

/** Default lag between a write and its arrival in other replicas (AWS: typically under a second). */
const DEFAULT_LAG_MS = 1000;
const RETRY_MS = 1000;

/**
 * The replication lag of a table: its `drydock:replication-lag-ms` tag, else
 * `DRYDOCK_DYNAMODB_REPLICATION_LAG_MS`, else one second.
 */
export function replicationLagMs(t: TableRecord): number {
  for (const raw of [t.tags['drydock:replication-lag-ms'], process.env['DRYDOCK_DYNAMODB_REPLICATION_LAG_MS']]) {
    const v = Number(raw);
    if (raw !== undefined && raw !== '' && Number.isFinite(v) && v >= 0) return v;
  }
  return DEFAULT_LAG_MS;
}

interface Stamp { ms: number; region: string }
interface Delivery { account: string; table: string; from: string; to: string; token: string; key: Item; item?: Item; stamp: Stamp }

/** The replication of one app: deliveries in flight and the last write stamp of each item. */
class Replicator {
  /** account/region/table → item token → stamp of the write that is there. */
  #stamps = new Map<string, Map<string, Stamp>>();
  /** Deliveries waiting for a region to come back, per target region, in order. */
  #waiting = new Map<string, Delivery[]>();
  #retry: TimerId | undefined;

  constructor(readonly host: ServiceHost) {}

  stampsOf(account: string, region: string, table: string): Map<string, Stamp> {
    const id = `${account}/${region}/${table}`;
    let m = this.#stamps.get(id);
    if (!m) this.#stamps.set(id, (m = new Map()));
    return m;
  }

  /** After a local write: stamp it and send it to every other replica after the lag. */
  afterCommit(f: WriteFacilities, plan: WritePlan): void {
    const t = plan.table;
    const stamp = { ms: f.clock.nowMs(), region: t.region };
    this.stampsOf(t.account, t.region, t.name).set(plan.token, stamp);
    for (const r of t.replicas) {
      if (r.region === t.region) continue;
      const d: Delivery = { account: t.account, table: t.name, from: t.region, to: r.region, token: plan.token, key: keyOf(t, (plan.next ?? plan.old)!), item: plan.next, stamp };
      f.clock.setTimer(() => this.deliver(d), replicationLagMs(t));
    }
  }

  #down(region: string): boolean {
    return this.host.faults.regionDown(region, 'dynamodb');
  }

  deliver(d: Delivery): void {
    const queue = this.#waiting.get(d.to);
    // Keep order: once something waits for a region, later deliveries queue behind it.
    if (queue?.length || this.#down(d.to) || this.#down(d.from)) {
      this.#waiting.set(d.to, [...(queue ?? []), d]);
      this.#retry ??= this.host.clock.setRepeating(() => this.#retryWaiting(), RETRY_MS);
      return;
    }
    this.#apply(d);
  }

  #retryWaiting(): void {
    for (const [region, queue] of this.#waiting) {
      while (queue.length && !this.#down(region) && !this.#down(queue[0]!.from)) this.#apply(queue.shift()!);
      if (!queue.length) this.#waiting.delete(region);
    }
    if (this.#waiting.size === 0 && this.#retry !== undefined) {
      this.host.clock.clearTimer(this.#retry);
      this.#retry = undefined;
    }
  }

  #meterLag(d: Delivery, target: TableRecord): void {
    this.host.meter.record({
      account: d.account, region: d.from, service: 'dynamodb', usageType: REPLICATION_LATENCY, operation: `ReceivingRegion=${d.to}`,
      resourceId: tableArn(d.account, d.from, target.name), quantity: Math.max(0, this.host.clock.nowMs() - d.stamp.ms), unit: 'Milliseconds',
    });
  }

  #apply(d: Delivery): void {
    const state = dynamoState(this.host.stores, d.account, d.to);
    const t = state.tables.get(d.table);
    if (!t || !t.replicas.some((r) => r.region === d.from)) return;
    this.#meterLag(d, t);
    const seen = this.stampsOf(d.account, d.to, d.table);
    if (!newer(d.stamp, seen.get(d.token))) return;
    seen.set(d.token, d.stamp);
    const rt = runtimeOf(state, t);
    commit(this.host, { table: t, token: d.token, old: getStored(rt, d.key)?.item, next: d.item }, { replicated: true });
  }
}

/**
 * CloudWatch's ReplicationLatency (per table, source region and receiving region) as usage
 * rows of the meter, since Drydock has no CloudWatch: one record per delivered write whose
 * quantity is the lag on the clock in milliseconds, so an hour's row holds the sum and the
 * count (`records`): their ratio is the hour's average latency. Read it at
 * `GET /_drydock/usage` (usageType `ReplicationLatency`, operation `ReceivingRegion=<region>`).
 */
export const REPLICATION_LATENCY = 'ReplicationLatency';

function newer(a: Stamp, b: Stamp | undefined): boolean {
  return !b || a.ms > b.ms || (a.ms === b.ms && a.region > b.region);
}

/** Installs replication for one app; called by the service's install. */
export function installReplication(host: ServiceHost): void {
  const r = new Replicator(host);
  afterCommitHooks.set(host.stores, (f, plan) => r.afterCommit(f, plan));
}

interface ReplicaUpdate { Create?: { RegionName: string }; Delete?: { RegionName: string } }

/** UpdateTable ReplicaUpdates: creates or removes replicas. */
export async function updateReplicas(ctx: ServiceContext, t: TableRecord, updates: ReplicaUpdate[]): Promise<void> {
  for (const u of updates) {
    const region = u.Create?.RegionName ?? u.Delete?.RegionName;
    if (!region) throw validation('One or more parameter values were invalid: ReplicaUpdate must contain exactly one of Create, Update or Delete');
    if (region === ctx.region) throw validation(`One or more parameter values were invalid: Cannot add or delete the replica in the same region as the table: ${region}`);
    if (u.Create) createReplica(ctx, t, region);
    else removeReplica(ctx, t, region);
  }
}

function createReplica(ctx: ServiceContext, t: TableRecord, region: string): void {
  if (t.replicas.some((r) => r.region === region)) throw validation(`Failed to create a replica in region ${region}: the table already has a replica there`);
  if (t.stream?.enabled && t.stream.viewType !== 'NEW_AND_OLD_IMAGES') {
    throw validation('One or more parameter values were invalid: Table must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES to add replicas');
  }
  const target = dynamoState(ctx.stores, ctx.account, region);
  if (target.tables.has(t.name)) {
    throw validation(`Failed to create a the new replica of table with name: '${t.name}' because one or more replicas already existed as tables.`);
  }
  if (!t.stream?.enabled) enableStream(ctx, t, 'NEW_AND_OLD_IMAGES');
  const regions = [...new Set([t.region, ...t.replicas.map((r) => r.region), region])];
  const replica: TableRecord = {
    ...structuredClone({ ...t, stream: undefined }), region, arn: tableArn(ctx.account, region, t.name), id: randomUUID(),
    createdMs: ctx.clock.nowMs(), generation: ctx.clock.nowMs(), replicas: [],
  };
  target.tables.set(t.name, replica);
  enableStream({ ...ctx, region }, replica, 'NEW_AND_OLD_IMAGES');
  // Initial copy: the replica starts with every item the table has now.
  const from = runtimeOf(dynamoState(ctx.stores, ctx.account, t.region), t);
  for (const item of [...storedItems(from)]) commit(ctx, { table: replica, token: primaryToken(replica, item), next: item }, { replicated: true });
  for (const r of regions) {
    const rec = dynamoState(ctx.stores, ctx.account, r).tables.get(t.name);
    if (!rec) continue;
    rec.replicas = regions.map((x) => ({ region: x, status: 'ACTIVE' as const }));
    dynamoState(ctx.stores, ctx.account, r).tables.set(t.name, rec);
  }
}

function removeReplica(ctx: ServiceContext, t: TableRecord, region: string): void {
  if (!t.replicas.some((r) => r.region === region)) throw validation(`Replica ${region} does not exist for table ${t.name}`);
  const target = dynamoState(ctx.stores, ctx.account, region);
  const rec = target.tables.get(t.name);
  if (rec) {
    dropItems(target, rec);
    target.tables.delete(t.name);
  }
  const rest = t.replicas.filter((r) => r.region !== region).map((r) => r.region);
  for (const r of rest) {
    const s = dynamoState(ctx.stores, ctx.account, r);
    const x = s.tables.get(t.name);
    if (!x) continue;
    x.replicas = rest.length > 1 ? rest.map((y) => ({ region: y, status: 'ACTIVE' as const })) : [];
    s.tables.set(t.name, x);
  }
}
