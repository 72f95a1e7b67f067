/**
 * PutEvents: AWS's request limits (1-10 entries, 256 KB in total, measured as AWS measures),
 * per-entry errors, and the envelope EventBridge builds (`version`, `id`, `time` from the
 * clock unless given, the caller's account and region). Accepted events are routed after
 * the call returns, as AWS does.
 */
import { randomUUID } from 'node:crypto';
import { parseArn } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { stateOf, type In } from './common.js';
import { constraintErrors, validation } from './errors.js';
import { eventTime, route } from './router.js';
import type { EventEnvelope } from './store.js';

/** AWS's limit on the summed size of a request's entries. */
export const MAX_REQUEST_BYTES = 256 * 1024;
const MAX_ENTRIES = 10;

/** An entry's size as AWS counts it: 14 bytes for Time, UTF-8 bytes of the rest. */
export function entrySize(e: In): number {
  const b = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  let n = (e['Time'] !== undefined ? 14 : 0) + b(e['Source']) + b(e['DetailType']) + b(e['Detail']);
  for (const r of (e['Resources'] as unknown[] | undefined) ?? []) n += b(r);
  return n;
}

/** How the service's Java front end prints the entries in its length error. */
function javaList(entries: In[]): string {
  const v = (x: unknown) => (x === undefined ? 'null' : x instanceof Date ? x.toISOString() : Array.isArray(x) ? `[${x.join(', ')}]` : String(x));
  return `[${entries.map((e) => `PutEventsRequestEntry(time=${v(e['Time'])}, source=${v(e['Source'])}, resources=${v(e['Resources'])}, detailType=${v(e['DetailType'])}, detail=${v(e['Detail'])}, eventBusName=${v(e['EventBusName'])}, traceHeader=${v(e['TraceHeader'])}, kmsKeyIdentifier=null, internalMetadata=null)`).join(', ')}]`;
}

class EntryError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function entryEvent(e: In, account: string, region: string, nowMs: number): EventEnvelope {
  const required = (member: string, name: string) => {
    if (typeof e[member] !== 'string' || e[member] === '') throw new EntryError('InvalidArgument', `Parameter ${name} is not valid. Reason: ${name} is a required argument.`);
    return e[member] as string;
  };
  const source = required('Source', 'Source');
  const detailType = required('DetailType', 'DetailType');
  const detailText = required('Detail', 'Detail');
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    throw new EntryError('MalformedDetail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new EntryError('MalformedDetail', 'Detail is malformed.');
  if (source.toLowerCase().startsWith('aws.')) throw new EntryError('NotAuthorizedForSourceException', 'Not authorized for the source.');
  const time = e['Time'] instanceof Date && !Number.isNaN(e['Time'].getTime()) ? e['Time'].getTime() : nowMs;
  return {
    version: '0', id: randomUUID(), 'detail-type': detailType, source, account, time: eventTime(time), region,
    resources: ((e['Resources'] as string[] | undefined) ?? []).slice(), detail,
  };
}

/** The bus an entry names: `{account, region, name}` (an ARN may name another account's or region's bus). */
export function entryBus(given: unknown, account: string, region: string): { account: string; region: string; name: string } {
  if (typeof given !== 'string' || given === '') return { account, region, name: 'default' };
  if (!given.startsWith('arn:')) return { account, region, name: given };
  const a = parseArn(given);
  if (!a || !a.resource.startsWith('event-bus/')) throw validation(`Parameter ${given} is not valid. Reason: Provided Arn is not in correct format.`);
  return { account: a.account, region: a.region, name: a.resource.slice('event-bus/'.length) };
}

export const putEvents: Handler = async (input, ctx) => {
  const entries = (input['Entries'] as In[] | undefined) ?? [];
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    const bound = entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
    throw constraintErrors([`Value '${javaList(entries)}' at 'entries' failed to satisfy constraint: Member must have length ${bound}`]);
  }
  if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_REQUEST_BYTES) throw validation('Total size of the entries in the request is over the limit.');
  const now = ctx.clock.nowMs();
  stateOf(ctx);
  const out: In[] = [];
  const accepted: Array<[ReturnType<typeof entryBus>, EventEnvelope]> = [];
  let failed = 0;
  for (const e of entries) {
    try {
      const bus = entryBus(e['EventBusName'], ctx.account, ctx.region);
      const event = entryEvent(e, ctx.account, ctx.region, now);
      accepted.push([bus, event]);
      out.push({ EventId: event.id });
    } catch (err) {
      if (!(err instanceof EntryError)) throw err;
      failed++;
      out.push({ ErrorCode: err.code, ErrorMessage: err.message });
    }
  }
  // Delivered before the call answers (first attempts only; retries run on the clock), so a
  // receive right after PutEvents sees the message, as it nearly always does on AWS.
  for (const [bus, event] of accepted) await route(ctx, bus, event, now);
  ctx.meter.record({
    account: ctx.account, region: ctx.region, service: 'events', usageType: 'Event-64K-Chunks', operation: 'PutEvents',
    quantity: entries.reduce((n, e) => n + Math.max(1, Math.ceil(entrySize(e) / 65536)), 0), unit: 'Count',
  });
  return { FailedEntryCount: failed, Entries: out };
};
