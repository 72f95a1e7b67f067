/**
 * CloudWatch Logs state of one account × region: log groups, their streams, and events kept in
 * chunks of a stream (so appending to a long stream rewrites one small chunk, not the stream).
 */
import type { Collection, Stores } from '../../core/store.js';
import { partitionOf } from '../../core/ids.js';

export interface GroupRecord {
  name: string;
  createdMs: number;
  retentionDays?: number;
  kmsKeyId?: string;
  tags: Record<string, string>;
  logGroupClass: string;
  deletionProtection: boolean;
}

export interface StreamRecord {
  group: string;
  name: string;
  createdMs: number;
  firstEventMs?: number;
  lastEventMs?: number;
  lastIngestionMs?: number;
  storedBytes: number;
  /** Number of event chunks; events are in `events` under `<group>\n<stream>\n<chunk>`. */
  chunks: number;
  count: number;
}

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface LogsState {
  account: string;
  region: string;
  groups: Collection<GroupRecord>;
  /** Key: `<group>\n<stream>`. */
  streams: Collection<StreamRecord>;
  events: Collection<LogEvent[]>;
  /** Account-level resource policies by name (see resource-policies.ts). */
  policies: Collection<ResourcePolicyRecord>;
}

export interface ResourcePolicyRecord { policyName: string; policyDocument: string; lastUpdatedTime: number; revisionId: string }

export const CHUNK = 500;

export function logsState(stores: Stores, account: string, region: string): LogsState {
  return stores.scope('logs', account, region, (c) => ({
    account, region,
    groups: c.collection<GroupRecord>('groups'),
    streams: c.collection<StreamRecord>('streams'),
    events: c.collection<LogEvent[]>('events'),
    policies: c.collection<ResourcePolicyRecord>('policies'),
  }));
}

export function groupArn(state: LogsState, name: string): string {
  return `arn:${partitionOf(state.region)}:logs:${state.region}:${state.account}:log-group:${name}`;
}

export function streamKey(group: string, stream: string): string {
  return `${group}\n${stream}`;
}

export function streamsOf(state: LogsState, group: string): StreamRecord[] {
  const out: StreamRecord[] = [];
  for (const s of state.streams.values()) if (s.group === group) out.push(s);
  return out;
}

/** Every event of a stream, oldest first (as stored: in arrival order). */
export function eventsOf(state: LogsState, s: StreamRecord): LogEvent[] {
  const out: LogEvent[] = [];
  for (let i = 0; i < s.chunks; i++) {
    const chunk = state.events.get(`${streamKey(s.group, s.name)}\n${i}`);
    if (chunk) out.push(...chunk);
  }
  return out;
}

/** Appends events to a stream, updating its summary. */
export function append(state: LogsState, s: StreamRecord, events: LogEvent[]): void {
  const key = streamKey(s.group, s.name);
  let i = 0;
  while (i < events.length) {
    const last = s.chunks - 1;
    const current = last >= 0 ? state.events.get(`${key}\n${last}`) ?? [] : undefined;
    const target = current !== undefined && current.length < CHUNK ? current : [];
    const index = target === current ? last : s.chunks++;
    const take = events.slice(i, i + (CHUNK - target.length));
    target.push(...take);
    state.events.set(`${key}\n${index}`, target);
    i += take.length;
  }
  for (const e of events) {
    s.firstEventMs = s.firstEventMs === undefined ? e.timestamp : Math.min(s.firstEventMs, e.timestamp);
    s.lastEventMs = s.lastEventMs === undefined ? e.timestamp : Math.max(s.lastEventMs, e.timestamp);
    s.storedBytes += Buffer.byteLength(e.message) + 26;
  }
  s.count += events.length;
  if (events.length > 0) s.lastIngestionMs = events[events.length - 1]!.ingestionTime;
  state.streams.set(key, s);
}

export function dropStream(state: LogsState, s: StreamRecord): void {
  const key = streamKey(s.group, s.name);
  for (let i = 0; i < s.chunks; i++) state.events.delete(`${key}\n${i}`);
  state.streams.delete(key);
}

export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
