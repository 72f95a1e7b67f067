/**
 * Route 53 state. Route 53 is global: everything lives in the account's scope with region
 * `''`. Record sets are kept inside their zone, in the stored form the DNS engine reads, and
 * each account's zones are indexed for the DNS server once per change (not per query).
 */
import { randomBytes } from 'node:crypto';
import type { Collection, Stores } from '../../core/store.js';
import { indexZone, type RecordSet, type ZoneIndex } from '../../engines/dns/index.js';
import { noSuchHostedZone } from './errors.js';

export interface VpcRef { VPCRegion: string; VPCId: string }

export interface ZoneRecord {
  Id: string;
  Name: string;
  CallerReference: string;
  Comment?: string;
  PrivateZone: boolean;
  VPCs: VpcRef[];
  NameServers: string[];
  DelegationSetId?: string;
  records: RecordSet[];
  createdMs: number;
  tags: Record<string, string>;
}

export interface ChangeRecord { Id: string; SubmittedMs: number; Comment?: string }

export interface HealthCheckRecord {
  Id: string;
  CallerReference: string;
  HealthCheckConfig: Record<string, unknown>;
  HealthCheckVersion: number;
  tags: Record<string, string>;
  createdMs: number;
}

export interface CidrCollectionRecord {
  Id: string;
  Name: string;
  CallerReference: string;
  Version: number;
  locations: Record<string, string[]>;
}

export interface DelegationSetRecord { Id: string; CallerReference: string; NameServers: string[] }

export interface Route53State {
  account: string;
  zones: Collection<ZoneRecord>;
  changes: Collection<ChangeRecord>;
  healthChecks: Collection<HealthCheckRecord>;
  cidrCollections: Collection<CidrCollectionRecord>;
  delegationSets: Collection<DelegationSetRecord>;
  /** Not persisted: the zones indexed for DNS, rebuilt after any change. */
  index?: ZoneIndex[];
}

export function stateOf(stores: Stores, account: string): Route53State {
  return stores.scope('route53', account, '', (c) => ({
    account,
    zones: c.collection<ZoneRecord>('zones'),
    changes: c.collection<ChangeRecord>('changes'),
    healthChecks: c.collection<HealthCheckRecord>('healthChecks'),
    cidrCollections: c.collection<CidrCollectionRecord>('cidrCollections'),
    delegationSets: c.collection<DelegationSetRecord>('delegationSets'),
  }));
}

let generation = 0;

/** Bumped by every zone change, so the DNS server's view of all accounts' zones is rebuilt. */
export const zoneGeneration = (): number => generation;

/** Writes a zone back and drops the DNS index so the next query sees the change. */
export function saveZone(state: Route53State, zone: ZoneRecord): void {
  state.zones.set(zone.Id, zone);
  dropIndex(state);
}

export function dropIndex(state: Route53State): void {
  state.index = undefined;
  generation++;
}

export function zoneIndexes(state: Route53State): ZoneIndex[] {
  state.index ??= [...state.zones.values()].map((z) => indexZone({ id: z.Id, name: z.Name, private: z.PrivateZone, records: z.records }));
  return state.index;
}

/** A zone id as clients may send it (`Z123`, or `/hostedzone/Z123` from older tools). */
export function bareId(id: string, prefix: string): string {
  return id.startsWith(`/${prefix}/`) ? id.slice(prefix.length + 2) : id;
}

export function getZone(state: Route53State, id: unknown): ZoneRecord {
  const zone = state.zones.get(bareId(String(id ?? ''), 'hostedzone'));
  if (!zone) throw noSuchHostedZone(String(id));
  return zone;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Route 53 ids: a letter prefix and upper-case base-36 characters (`Z0123ABCDEF…`). */
export function r53Id(prefix: string, len = 20): string {
  const bytes = randomBytes(len);
  let s = prefix;
  for (let i = 0; i < len; i++) s += ALNUM[bytes[i]! % ALNUM.length];
  return s;
}

/** Four name servers in Route 53's style, picked from the zone id so they stay stable. */
export function nameServersFor(seed: string): string[] {
  let h = 0;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const n = (k: number) => (h >> (k * 5)) & 0x7ff;
  return [`ns-${n(0)}.awsdns-${n(0) % 64}.org`, `ns-${n(1)}.awsdns-${n(1) % 64}.co.uk`, `ns-${n(2)}.awsdns-${n(2) % 64}.com`, `ns-${n(3)}.awsdns-${n(3) % 64}.net`];
}

/** How long a change stays PENDING on the clock before GetChange says INSYNC. */
export const PROPAGATION_MS = 5_000;

export function newChange(state: Route53State, nowMs: number, comment?: string): Record<string, unknown> {
  const change: ChangeRecord = { Id: r53Id('C', 20), SubmittedMs: nowMs, Comment: comment };
  state.changes.set(change.Id, change);
  return changeInfo(change, nowMs);
}

export function changeInfo(c: ChangeRecord, nowMs: number): Record<string, unknown> {
  return {
    Id: `/change/${c.Id}`,
    Status: nowMs - c.SubmittedMs >= PROPAGATION_MS ? 'INSYNC' : 'PENDING',
    SubmittedAt: new Date(c.SubmittedMs),
    ...(c.Comment ? { Comment: c.Comment } : {}),
  };
}

/** One page of a Marker-paged listing (hosted zones, health checks, delegation sets). */
export function markerPage<T>(all: T[], idOf: (x: T) => string, input: Record<string, unknown>, cap = 100): {
  page: T[]; marker?: string; next?: T; max: number;
} {
  // 100 items unless asked; at most `cap`.
  const max = input['MaxItems'] === undefined ? 100 : Math.max(1, Math.min(cap, Number(input['MaxItems'])));
  const marker = input['Marker'] as string | undefined;
  const start = marker === undefined ? 0 : Math.max(0, all.findIndex((x) => idOf(x) === marker));
  return { page: all.slice(start, start + max), marker, next: all[start + max], max };
}
