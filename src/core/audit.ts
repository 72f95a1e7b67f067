/**
 * The audit log: one record per request, the raw material for CloudTrail (LookupEvents,
 * trails delivered to S3) and for the console's request view. Bounded per account so a
 * long-running emulator does not grow without limit.
 */
import type { Clock } from './clock.js';
import { requestId as newEventId } from './ids.js';

/** One audited request, with CloudTrail's fields. */
export interface AuditRecord {
  eventId: string;
  /** Clock time of the request, ISO-8601. */
  eventTime: string;
  account: string;
  region: string;
  service: string;
  /** e.g. `sts.amazonaws.com`. */
  eventSource: string;
  /** The operation, e.g. `GetCallerIdentity`. */
  action: string;
  principalArn: string;
  accessKeyId?: string;
  sourceIp: string;
  userAgent?: string;
  /** ARNs of the resources the request touched. */
  resources?: string[];
  errorCode?: string;
  errorMessage?: string;
  requestId: string;
  readOnly?: boolean;
}

/** What the gateway passes to {@link AuditLog.record}; id and time are filled in when absent. */
export type AuditInput = Omit<AuditRecord, 'eventId' | 'eventTime'> & Partial<Pick<AuditRecord, 'eventId' | 'eventTime'>>;

/** Which records {@link AuditLog.list} returns; `since` inclusive, `until` exclusive. */
export interface AuditFilter {
  account?: string;
  region?: string;
  service?: string;
  action?: string;
  since?: Date | string;
  until?: Date | string;
  limit?: number;
}

interface Entry {
  seq: number;
  timeMs: number;
  input: AuditInput;
  /** Built on first read: recording stays cheap on the request path. */
  record?: AuditRecord;
}

/** A fixed-size ring per account: no shifting, no growth once full. */
interface Ring {
  items: (Entry | undefined)[];
  next: number;
}

/** Audit records of the whole app, newest kept, at most `maxPerAccount` per account. */
export class AuditLog {
  #clock: Clock;
  #max: number;
  #seq = 0;
  #byAccount = new Map<string, Ring>();
  #byRequestId = new Map<string, Entry>();

  constructor(clock: Clock, opts: { maxPerAccount?: number } = {}) {
    this.#clock = clock;
    this.#max = opts.maxPerAccount ?? 10_000;
    if (!Number.isInteger(this.#max) || this.#max < 1) {
      throw new RangeError(`maxPerAccount must be an integer >= 1, got \`${this.#max}\``);
    }
  }

  /** Stores a record, dropping the account's oldest beyond the bound; returns it frozen. */
  record(input: AuditInput): AuditRecord {
    const entry = this.#store(input);
    return materialize(entry);
  }

  /** Like {@link record} without building the record: for the per-request path. */
  note(input: AuditInput, timeMs?: number): void {
    this.#store(input, timeMs);
  }

  #store(input: AuditInput, timeMs?: number): Entry {
    const t = timeMs ?? (input.eventTime !== undefined ? Date.parse(input.eventTime) : this.#clock.nowMs());
    const entry: Entry = { seq: ++this.#seq, timeMs: t, input };
    let ring = this.#byAccount.get(input.account);
    if (ring === undefined) this.#byAccount.set(input.account, (ring = { items: [], next: 0 }));
    const old = ring.items[ring.next];
    if (old && this.#byRequestId.get(old.input.requestId) === old) this.#byRequestId.delete(old.input.requestId);
    ring.items[ring.next] = entry;
    ring.next = (ring.next + 1) % this.#max;
    this.#byRequestId.set(input.requestId, entry);
    return entry;
  }

  /** Matching records, newest first (by recording order, which survives clock jumps). */
  list(filter: AuditFilter = {}): AuditRecord[] {
    const since = filter.since === undefined ? -Infinity : toMs(filter.since);
    const until = filter.until === undefined ? Infinity : toMs(filter.until);
    const rings = filter.account === undefined ? [...this.#byAccount.values()] : [this.#byAccount.get(filter.account)].filter((r) => r !== undefined);
    const hits: Entry[] = [];
    for (const ring of rings) {
      for (const e of ring.items) {
        if (!e) continue;
        const r = e.input;
        if (e.timeMs < since || e.timeMs >= until) continue;
        if (filter.region !== undefined && r.region !== filter.region) continue;
        if (filter.service !== undefined && r.service !== filter.service) continue;
        if (filter.action !== undefined && r.action !== filter.action) continue;
        hits.push(e);
      }
    }
    hits.sort((a, b) => b.seq - a.seq);
    const limit = filter.limit ?? Infinity;
    return hits.slice(0, limit).map(materialize);
  }

  /** The record of one request, if still kept. */
  get(requestId: string): AuditRecord | undefined {
    const e = this.#byRequestId.get(requestId);
    return e && materialize(e);
  }

  reset(): void {
    this.#byAccount.clear();
    this.#byRequestId.clear();
  }
}

function materialize(e: Entry): AuditRecord {
  if (e.record) return e.record;
  const input = e.input;
  e.record = Object.freeze({
    ...input,
    eventId: input.eventId ?? newEventId(),
    eventTime: input.eventTime ?? new Date(e.timeMs).toISOString(),
    ...(input.resources && { resources: Object.freeze([...input.resources]) as string[] }),
  });
  return e.record;
}

function toMs(t: Date | string): number {
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`invalid time \`${String(t)}\`, expected ISO-8601`);
  return ms;
}
