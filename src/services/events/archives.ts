/**
 * Archives keep the events of a bus that match their pattern, for their retention period on
 * the clock; replays send a time window of an archive back to its bus, marked with
 * `replay-name`, to all rules or only the ones named in FilterArns.
 */
import { AwsError } from '../../core/errors.js';
import { partitionOf, parseArn } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { page, stateOf, str, withDefined, type In } from './common.js';
import { alreadyExists, busNotFound, check, notFound, throwIf, validation } from './errors.js';
import { hostFor } from './host.js';
import { route } from './router.js';
import { compileEventPattern } from './rules.js';
import { eventsState, type ArchiveRecord, type EventEnvelope, type EventsState, type ReplayRecord } from './store.js';

const DAY_MS = 86_400_000;
const ARCHIVE_NAME = { pattern: /^[.\-_A-Za-z0-9]+$/, patternText: '[\\.\\-_A-Za-z0-9]+', min: 1, max: 48 };

function arnOf(s: EventsState, kind: 'archive' | 'replay', name: string): string {
  return `arn:${partitionOf(s.region)}:events:${s.region}:${s.account}:${kind}/${name}`;
}

function expired(a: ArchiveRecord, atMs: number, now: number): boolean {
  return a.retentionDays > 0 && atMs + a.retentionDays * DAY_MS <= now;
}

/** Forgets an archive's events past their retention (done lazily, whenever the archive is read). */
function prune(s: EventsState, a: ArchiveRecord, now: number): void {
  for (const [k, e] of s.archived) {
    if (e.archive !== a.name || !expired(a, e.atMs, now)) continue;
    s.archived.delete(k);
    a.eventCount--;
    a.sizeBytes -= Buffer.byteLength(JSON.stringify(e.event));
  }
  s.archives.set(a.name, a);
}

/** Called for every event a bus accepts (not for replays). */
export function archiveEvent(s: EventsState, busArnText: string, event: EventEnvelope, atMs: number): void {
  for (const a of s.archives.values()) {
    if (a.sourceArn !== busArnText || a.state !== 'ENABLED') continue;
    if (a.eventPattern !== undefined && !compileEventPattern(a.eventPattern).matches(event)) continue;
    s.archived.set(`${a.name}|${event.id}`, { archive: a.name, atMs, event });
    a.eventCount++;
    a.sizeBytes += Buffer.byteLength(JSON.stringify(event));
    s.archives.set(a.name, a);
  }
}

function sourceBus(s: EventsState, arn: string): string {
  const a = parseArn(arn);
  const name = a?.resource.startsWith('event-bus/') ? a.resource.slice('event-bus/'.length) : arn;
  if (!a || a.account !== s.account || a.region !== s.region || !s.buses.has(name)) throw busNotFound(name);
  return name;
}

function findArchive(s: EventsState, name: string): ArchiveRecord {
  const a = s.archives.get(name);
  if (!a) throw notFound(`Archive ${name} does not exist.`);
  return a;
}

export const createArchive: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = str(input, 'ArchiveName')!;
  const problems: string[] = [];
  check(problems, name, 'archiveName', ARCHIVE_NAME);
  throwIf(problems);
  const sourceArn = str(input, 'EventSourceArn')!;
  sourceBus(s, sourceArn);
  if (s.archives.has(name)) throw alreadyExists(`Archive ${name} already exists.`);
  const pattern = str(input, 'EventPattern');
  if (pattern !== undefined) compileEventPattern(pattern);
  const a: ArchiveRecord = {
    name, arn: arnOf(s, 'archive', name), sourceArn, retentionDays: (input['RetentionDays'] as number | undefined) ?? 0,
    state: 'ENABLED', createdMs: ctx.clock.nowMs(), eventCount: 0, sizeBytes: 0,
  };
  if (pattern !== undefined) a.eventPattern = pattern;
  if (str(input, 'Description') !== undefined) a.description = str(input, 'Description')!;
  s.archives.set(name, a);
  return { ArchiveArn: a.arn, State: a.state, CreationTime: new Date(a.createdMs) };
};

function archiveOut(a: ArchiveRecord, full: boolean): In {
  return withDefined({
    ArchiveArn: full ? a.arn : undefined, ArchiveName: a.name, EventSourceArn: a.sourceArn, Description: full ? a.description : undefined,
    EventPattern: full ? a.eventPattern : undefined, State: a.state, RetentionDays: a.retentionDays, SizeBytes: a.sizeBytes,
    EventCount: a.eventCount, CreationTime: new Date(a.createdMs),
  });
}

export const describeArchive: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const a = findArchive(s, str(input, 'ArchiveName')!);
  prune(s, a, ctx.clock.nowMs());
  return archiveOut(a, true);
};

export const listArchives: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const source = str(input, 'EventSourceArn');
  if (source !== undefined) sourceBus(s, source);
  const prefix = str(input, 'NamePrefix') ?? '';
  const state = str(input, 'State');
  const all = [...s.archives.values()].filter((a) => a.name.startsWith(prefix) && (!source || a.sourceArn === source) && (!state || a.state === state));
  for (const a of all) prune(s, a, ctx.clock.nowMs());
  const p = page(all.sort((x, y) => x.name.localeCompare(y.name)), input);
  return withDefined({ Archives: p.items.map((a) => archiveOut(a, false)), NextToken: p.next });
};

export const updateArchive: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const a = findArchive(s, str(input, 'ArchiveName')!);
  if (input['EventPattern'] === undefined && input['RetentionDays'] === undefined && input['Description'] === undefined) {
    throw validation('At least one of EventPattern, RetentionDays or Description must be provided.');
  }
  const pattern = str(input, 'EventPattern');
  if (pattern !== undefined) {
    compileEventPattern(pattern);
    a.eventPattern = pattern;
  }
  if (typeof input['RetentionDays'] === 'number') a.retentionDays = input['RetentionDays'];
  if (str(input, 'Description') !== undefined) a.description = str(input, 'Description')!;
  s.archives.set(a.name, a);
  return { ArchiveArn: a.arn, State: a.state, CreationTime: new Date(a.createdMs) };
};

export const deleteArchive: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const a = findArchive(s, str(input, 'ArchiveName')!);
  for (const [k, e] of s.archived) if (e.archive === a.name) s.archived.delete(k);
  s.archives.delete(a.name);
  return {};
};

export const startReplay: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = str(input, 'ReplayName')!;
  const problems: string[] = [];
  check(problems, name, 'replayName', { ...ARCHIVE_NAME, max: 64 });
  throwIf(problems);
  const sourceArn = str(input, 'EventSourceArn')!;
  const archiveName = parseArn(sourceArn)?.resource.replace(/^archive\//, '') ?? sourceArn;
  const archive = s.archives.get(archiveName);
  if (!archive || archive.arn !== sourceArn) throw validation(`Parameter EventSourceArn is not valid. Reason: Archive ${archiveName} does not exist.`);
  const destination = (input['Destination'] ?? {}) as { Arn: string; FilterArns?: string[] };
  if (destination.Arn !== archive.sourceArn) throw validation('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
  const start = (input['EventStartTime'] as Date).getTime();
  const end = (input['EventEndTime'] as Date).getTime();
  if (start >= end) throw validation('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
  if (s.replays.has(name)) throw alreadyExists(`Replay ${name} already exists.`);
  const now = ctx.clock.nowMs();
  const replay: ReplayRecord = {
    name, arn: arnOf(s, 'replay', name), sourceArn, destination, startMs: start, endMs: end, state: 'STARTING', replayStartMs: now,
  };
  if (str(input, 'Description') !== undefined) replay.description = str(input, 'Description')!;
  s.replays.set(name, replay);
  const host = hostFor(ctx.stores);
  // Runs after the call returns, as AWS's replays do; its pace is not modelled.
  setImmediate(() => void runReplay(host.stores, s.account, s.region, name));
  return { ReplayArn: replay.arn, State: replay.state, ReplayStartTime: new Date(now) };
};

async function runReplay(stores: Parameters<typeof hostFor>[0], account: string, region: string, name: string): Promise<void> {
  const host = hostFor(stores);
  const s = eventsState(host.stores, account, region);
  const replay = s.replays.get(name);
  if (!replay || replay.state !== 'STARTING') return;
  replay.state = 'RUNNING';
  s.replays.set(name, replay);
  const archiveName = parseArn(replay.sourceArn)!.resource.replace(/^archive\//, '');
  const archive = s.archives.get(archiveName);
  const bus = parseArn(replay.destination.Arn)!.resource.slice('event-bus/'.length);
  const events = [...s.archived.values()].filter((e) => e.archive === archiveName && e.atMs >= replay.startMs && e.atMs < replay.endMs)
    .filter((e) => !archive || !expired(archive, e.atMs, host.clock.nowMs())).sort((a, b) => a.atMs - b.atMs);
  for (const e of events) {
    if (s.replays.get(name)?.state === 'CANCELLING') break;
    const { resources, detail, ...head } = e.event;
    const replayed: EventEnvelope = { ...head, 'replay-name': name, resources, detail };
    await route(host, { account, region, name: bus }, replayed, host.clock.nowMs(), { replay });
    replay.lastReplayedMs = e.atMs;
  }
  const final = s.replays.get(name) ?? replay;
  Object.assign(final, { state: final.state === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED', replayEndMs: host.clock.nowMs(), lastReplayedMs: replay.lastReplayedMs });
  s.replays.set(name, final);
}

function replayOut(r: ReplayRecord, full: boolean): In {
  return withDefined({
    ReplayName: r.name, ReplayArn: full ? r.arn : undefined, Description: full ? r.description : undefined, State: r.state,
    StateReason: r.stateReason, EventSourceArn: r.sourceArn, Destination: full ? r.destination : undefined,
    EventStartTime: new Date(r.startMs), EventEndTime: new Date(r.endMs),
    EventLastReplayedTime: r.lastReplayedMs === undefined ? undefined : new Date(r.lastReplayedMs),
    ReplayStartTime: new Date(r.replayStartMs), ReplayEndTime: r.replayEndMs === undefined ? undefined : new Date(r.replayEndMs),
  });
}

function findReplay(s: EventsState, name: string): ReplayRecord {
  const r = s.replays.get(name);
  if (!r) throw notFound(`Replay ${name} does not exist.`);
  return r;
}

export const describeReplay: Handler = (input, ctx) => replayOut(findReplay(stateOf(ctx), str(input, 'ReplayName')!), true);

export const listReplays: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const prefix = str(input, 'NamePrefix') ?? '';
  const source = str(input, 'EventSourceArn');
  const state = str(input, 'State');
  const all = [...s.replays.values()].filter((r) => r.name.startsWith(prefix) && (!source || r.sourceArn === source) && (!state || r.state === state))
    .sort((a, b) => a.name.localeCompare(b.name));
  const p = page(all, input);
  return withDefined({ Replays: p.items.map((r) => replayOut(r, false)), NextToken: p.next });
};

export const cancelReplay: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = findReplay(s, str(input, 'ReplayName')!);
  if (r.state !== 'STARTING' && r.state !== 'RUNNING') {
    throw new AwsError('IllegalStatusException', `Replay ${r.name} is not in a valid state for this operation.`, 400);
  }
  r.state = r.state === 'STARTING' ? 'CANCELLED' : 'CANCELLING';
  s.replays.set(r.name, r);
  return { ReplayArn: r.arn, State: r.state };
};
