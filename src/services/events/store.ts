/**
 * EventBridge state of one account × region: event buses (the `default` bus always exists),
 * rules with their targets, archives with their events, and replays, as plain data in
 * collections so a data directory keeps them. Compiled patterns are kept beside the state,
 * not in it: they are rebuilt from the stored text.
 */
import { partitionOf } from '../../core/ids.js';
import type { Collection, Stores } from '../../core/store.js';
import { PatternSet } from '../../engines/event-pattern/index.js';

export type Target = Record<string, unknown> & { Id: string; Arn: string };

export interface BusRecord {
  name: string;
  arn: string;
  description?: string;
  /** Resource policy JSON text (PutPermission or Policy). */
  policy?: string;
  kmsKeyIdentifier?: string;
  deadLetterConfig?: { Arn?: string };
  createdMs: number;
  modifiedMs: number;
  tags: Record<string, string>;
}

export interface RuleRecord {
  name: string;
  bus: string;
  arn: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  description?: string;
  roleArn?: string;
  managedBy?: string;
  createdBy: string;
  createdMs: number;
  tags: Record<string, string>;
  targets: Target[];
}

export interface ArchiveRecord {
  name: string;
  arn: string;
  sourceArn: string;
  description?: string;
  eventPattern?: string;
  retentionDays: number;
  state: 'ENABLED' | 'DISABLED';
  createdMs: number;
  eventCount: number;
  sizeBytes: number;
}

/** An event kept by an archive: the envelope as matched, and when it arrived. */
export interface ArchivedEvent {
  archive: string;
  atMs: number;
  event: EventEnvelope;
}

export interface ReplayRecord {
  name: string;
  arn: string;
  description?: string;
  sourceArn: string;
  destination: { Arn: string; FilterArns?: string[] };
  startMs: number;
  endMs: number;
  state: 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  stateReason?: string;
  replayStartMs: number;
  replayEndMs?: number;
  lastReplayedMs?: number;
}

/** An event as EventBridge hands it to rules and targets. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** Set on events re-sent by a replay. */
  'replay-name'?: string;
}

export interface ConnectionRecord {
  name: string;
  arn: string;
  description?: string;
  authorizationType: 'BASIC' | 'OAUTH_CLIENT_CREDENTIALS' | 'API_KEY';
  /** As given, secrets included (AWS keeps those in a Secrets Manager secret it owns). */
  authParameters: Record<string, unknown>;
  state: 'AUTHORIZED' | 'DEAUTHORIZED' | 'DELETING';
  secretArn: string;
  createdMs: number;
  modifiedMs: number;
  authorizedMs: number;
}

export interface ApiDestinationRecord {
  name: string;
  arn: string;
  description?: string;
  connectionArn: string;
  endpoint: string;
  httpMethod: string;
  rateLimit: number;
  createdMs: number;
  modifiedMs: number;
}

export interface EventsState {
  account: string;
  region: string;
  buses: Collection<BusRecord>;
  rules: Collection<RuleRecord>;
  archives: Collection<ArchiveRecord>;
  archived: Collection<ArchivedEvent>;
  replays: Collection<ReplayRecord>;
  connections: Collection<ConnectionRecord>;
  destinations: Collection<ApiDestinationRecord>;
  /** Not persisted: bus name → its rules' patterns, rebuilt when a rule changes. */
  matchers: Map<string, PatternSet<string>>;
}

export function partition(region: string): string {
  return partitionOf(region);
}

export function busArn(account: string, region: string, name: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${account}:event-bus/${name}`;
}

/** Rules on the default bus are `rule/<name>`; on other buses `rule/<bus>/<name>`. */
export function ruleArn(account: string, region: string, bus: string, name: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
}

export function ruleKey(bus: string, name: string): string {
  return `${bus}|${name}`;
}

/** The state of `account` × `region`; the default bus is made on first use, at `nowMs`. */
export function eventsState(stores: Stores, account: string, region: string, nowMs = 0): EventsState {
  return stores.scope('events', account, region, (c) => {
    const s: EventsState = {
      account, region,
      buses: c.collection<BusRecord>('buses'),
      rules: c.collection<RuleRecord>('rules'),
      archives: c.collection<ArchiveRecord>('archives'),
      archived: c.collection<ArchivedEvent>('archived'),
      replays: c.collection<ReplayRecord>('replays'),
      connections: c.collection<ConnectionRecord>('connections'),
      destinations: c.collection<ApiDestinationRecord>('destinations'),
      matchers: new Map(),
    };
    if (!s.buses.has('default')) {
      s.buses.set('default', { name: 'default', arn: busArn(account, region, 'default'), createdMs: nowMs, modifiedMs: nowMs, tags: {} });
    }
    return s;
  });
}

/** The rules of a bus, in creation order. */
export function rulesOf(s: EventsState, bus: string): RuleRecord[] {
  return [...s.rules.values()].filter((r) => r.bus === bus);
}

/** The patterns of a bus's enabled rules, compiled once and kept until a rule changes. */
export function matcherOf(s: EventsState, bus: string): PatternSet<string> {
  let set = s.matchers.get(bus);
  if (set === undefined) {
    set = new PatternSet<string>();
    for (const r of rulesOf(s, bus)) if (r.state !== 'DISABLED' && r.eventPattern !== undefined) set.add(r.name, r.eventPattern);
    s.matchers.set(bus, set);
  }
  return set;
}

/** Saves a rule and forgets its bus's compiled patterns. */
export function saveRule(s: EventsState, r: RuleRecord): void {
  s.rules.set(ruleKey(r.bus, r.name), r);
  s.matchers.delete(r.bus);
}
