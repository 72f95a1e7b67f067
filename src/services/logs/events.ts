/** Log events: PutLogEvents (AWS's acceptance window and order rule), GetLogEvents, FilterLogEvents. */
import type { ServiceContext } from '../types.js';
import { badToken, invalidParameter, validation } from './errors.js';
import { compileFilterPattern, FilterPatternError } from './filter-pattern.js';
import { groupOf, streamOf } from './groups.js';
import { append, eventsOf, streamsOf, type GroupRecord, type LogEvent, type LogsState, type StreamRecord } from './store.js';

type In = Record<string, unknown>;

const DAY = 86_400_000;
const MAX_BATCH_BYTES = 1_048_576;

/** The first timestamp a group still keeps, by its retention (0: kept forever). */
export function retainedFrom(group: GroupRecord, nowMs: number): number {
  return group.retentionDays === undefined ? 0 : nowMs - group.retentionDays * DAY;
}

export function putLogEvents(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  const stream = streamOf(state, group.name, String(input['logStreamName'] ?? ''));
  const events = (input['logEvents'] as { timestamp: number; message: string }[] | undefined) ?? [];
  if (events.length < 1) throw validation('[]', 'logEvents', 'Member must have length greater than or equal to 1');
  if (events.length > 10_000) throw validation(`[${events.length} events]`, 'logEvents', 'Member must have length less than or equal to 10000');
  let bytes = 0;
  for (let i = 0; i < events.length; i++) {
    bytes += Buffer.byteLength(events[i]!.message) + 26;
    if (i > 0 && events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
  if (bytes > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  if (events[events.length - 1]!.timestamp - events[0]!.timestamp > DAY) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
  const now = ctx.clock.nowMs();
  const tooOld = now - 14 * DAY;
  const tooNew = now + 2 * 3_600_000;
  const expired = retainedFrom(group, now);
  const rejected: In = {};
  const accepted: LogEvent[] = [];
  events.forEach((e, i) => {
    if (e.timestamp > tooNew) { rejected['tooNewLogEventStartIndex'] ??= i; return; }
    if (e.timestamp < expired) { rejected['expiredLogEventEndIndex'] = i; return; }
    if (e.timestamp < tooOld) { rejected['tooOldLogEventEndIndex'] = i; return; }
    accepted.push({ timestamp: e.timestamp, message: e.message, ingestionTime: now });
  });
  append(state, stream, accepted);
  const out: In = { nextSequenceToken: String(stream.count).padStart(56, '0') };
  if (Object.keys(rejected).length > 0) out['rejectedLogEventsInfo'] = rejected;
  return out;
}

function visible(state: LogsState, group: GroupRecord, s: StreamRecord, input: In, nowMs: number): LogEvent[] {
  const from = Math.max(retainedFrom(group, nowMs), (input['startTime'] as number | undefined) ?? 0);
  const to = (input['endTime'] as number | undefined) ?? Infinity;
  return eventsOf(state, s).filter((e) => e.timestamp >= from && e.timestamp < to).sort((a, b) => a.timestamp - b.timestamp);
}

function checkLimit(input: In): number {
  const limit = (input['limit'] as number | undefined) ?? 10_000;
  if (limit < 1) throw validation(String(limit), 'limit', 'Member must have value greater than or equal to 1');
  if (limit > 10_000) throw validation(String(limit), 'limit', 'Member must have value less than or equal to 10000');
  return limit;
}

export function getLogEvents(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  const stream = streamOf(state, group.name, String(input['logStreamName'] ?? ''));
  const all = visible(state, group, stream, input, ctx.clock.nowMs());
  const limit = checkLimit(input);
  const token = input['nextToken'] as string | undefined;
  let start: number;
  let end: number;
  if (token !== undefined) {
    const m = /^([fb])\/(\d+)$/.exec(token);
    if (!m) throw badToken();
    const at = Math.min(Number(m[2]), all.length);
    [start, end] = m[1] === 'f' ? [at, Math.min(all.length, at + limit)] : [Math.max(0, at - limit), at];
  } else if (input['startFromHead'] === true) {
    [start, end] = [0, Math.min(all.length, limit)];
  } else {
    [start, end] = [Math.max(0, all.length - limit), all.length];
  }
  return {
    events: all.slice(start, end).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: `f/${String(end).padStart(56, '0')}`,
    nextBackwardToken: `b/${String(start).padStart(56, '0')}`,
  };
}

export function filterLogEvents(input: In, ctx: ServiceContext): In {
  const { state, group } = groupOf(ctx, input);
  const names = input['logStreamNames'] as string[] | undefined;
  const prefix = input['logStreamNamePrefix'] as string | undefined;
  if (names !== undefined && prefix !== undefined) {
    throw invalidParameter('Cannot specify both logStreamNames and logStreamNamePrefix.');
  }
  const pattern = String(input['filterPattern'] ?? '');
  if (pattern.length > 1024) throw validation(pattern, 'filterPattern', 'Member must have length less than or equal to 1024');
  let matches: (m: string) => boolean;
  try {
    matches = compileFilterPattern(pattern);
  } catch (e) {
    if (e instanceof FilterPatternError) throw invalidParameter(e.message);
    throw e;
  }
  const limit = checkLimit(input);
  const now = ctx.clock.nowMs();
  const streams = streamsOf(state, group.name)
    .filter((s) => (names === undefined || names.includes(s.name)) && (prefix === undefined || s.name.startsWith(prefix)));
  const hits: { stream: string; e: LogEvent; id: string }[] = [];
  for (const s of streams) {
    visible(state, group, s, input, now).forEach((e, i) => {
      if (matches(e.message)) hits.push({ stream: s.name, e, id: `${e.timestamp}-${s.name}-${i}` });
    });
  }
  hits.sort((a, b) => a.e.timestamp - b.e.timestamp || (a.id < b.id ? -1 : 1));
  const token = input['nextToken'] as string | undefined;
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw badToken();
  }
  const page = hits.slice(start, start + limit);
  const out: In = {
    events: page.map((h) => ({ logStreamName: h.stream, timestamp: h.e.timestamp, message: h.e.message, ingestionTime: h.e.ingestionTime, eventId: eventId(h.id) })),
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
  };
  if (start + limit < hits.length) out['nextToken'] = Buffer.from(String(start + limit)).toString('base64url');
  return out;
}

/** A 56-digit event id, as CloudWatch shows them, stable for an event. */
function eventId(key: string): string {
  let h = 0n;
  for (const c of key) h = (h * 131n + BigInt(c.charCodeAt(0))) % 10n ** 56n;
  return h.toString().padStart(56, '0');
}
