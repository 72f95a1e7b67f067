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

/**
 * A fixed-size ring per account: no shifting, no growth once full. Slot i holds the input as
 * the gateway gave it, its sequence number and time in typed arrays (no object per record),
 * and the frozen record once someone has read it: recording stays cheap on the request path.
 */
interface Ring {
  inputs: (AuditInput | undefined)[];
  records: (AuditRecord | undefined)[];
  seqs: Float64Array;
  times: Float64Array;
  next: number;
}

/** One slot of a ring, as the readers see it. */
interface Entry { ring: Ring; slot: number }

/** Audit records of the whole app, newest kept, at most `maxPerAccount` per account. */
export class AuditLog {
  #clock: Clock;
  #max: number;
  #seq = 0;
  #byAccount = new Map<string, Ring>();

  constructor(clock: Clock, opts: { maxPerAccount?: number } = {}) {
    this.#clock = clock;
    this.#max = opts.maxPerAccount ?? 10_000;
    if (!Number.isInteger(this.#max) || this.#max < 1) {
      throw new RangeError(`maxPerAccount must be an integer >= 1, got \`${this.#max}\``);
    }
  }

  /** Stores a record, dropping the account's oldest beyond the bound; returns it frozen. */
  record(input: AuditInput): AuditRecord {
    const ring = this.#store(input);
    return materialize({ ring, slot: (ring.next + this.#max - 1) % this.#max });
  }

  /** Like {@link record} without building the record: for the per-request path. */
  note(input: AuditInput, timeMs?: number): void {
    this.#store(input, timeMs);
  }

  /** Puts the input in its account's ring; it sits just before the ring's `next`. */
  #store(input: AuditInput, timeMs?: number): Ring {
    const t = timeMs ?? (input.eventTime !== undefined ? Date.parse(input.eventTime) : this.#clock.nowMs());
    let ring = this.#byAccount.get(input.account);
    if (ring === undefined) this.#byAccount.set(input.account, (ring = this.#newRing()));
    const slot = ring.next;
    if (slot >= ring.seqs.length) grow(ring, this.#max);
    ring.inputs[slot] = input;
    ring.records[slot] = undefined;
    ring.seqs[slot] = ++this.#seq;
    ring.times[slot] = t;
    ring.next = (slot + 1) % this.#max;
    return ring;
  }

  #newRing(): Ring {
    // Typed arrays start small and double up to the bound: a quiet account costs little.
    const n = Math.min(this.#max, 64);
    return { inputs: [], records: [], seqs: new Float64Array(n), times: new Float64Array(n), next: 0 };
  }

  /** Matching records, newest first (by recording order, which survives clock jumps). */
  list(filter: AuditFilter = {}): AuditRecord[] {
    const since = filter.since === undefined ? -Infinity : toMs(filter.since);
    const until = filter.until === undefined ? Infinity : toMs(filter.until);
    const rings = filter.account === undefined ? [...this.#byAccount.values()] : [this.#byAccount.get(filter.account)].filter((r) => r !== undefined);
    const hits: Entry[] = [];
    for (const ring of rings) {
      for (let slot = 0; slot < ring.inputs.length; slot++) {
        const r = ring.inputs[slot];
        if (!r) continue;
        const t = ring.times[slot]!;
        if (t < since || t >= until) continue;
        if (filter.region !== undefined && r.region !== filter.region) continue;
        if (filter.service !== undefined && r.service !== filter.service) continue;
        if (filter.action !== undefined && r.action !== filter.action) continue;
        hits.push({ ring, slot });
      }
    }
    hits.sort((a, b) => b.ring.seqs[b.slot]! - a.ring.seqs[a.slot]!);
    const limit = filter.limit ?? Infinity;
    return hits.slice(0, limit).map(materialize);
  }

  /**
   * The record of one request, if still kept (the newest, should an id repeat). A scan: this is
   * for people and tests looking one up, and it keeps the request path free of an index.
   */
  get(requestId: string): AuditRecord | undefined {
    let best: Entry | undefined;
    for (const ring of this.#byAccount.values()) {
      for (let slot = 0; slot < ring.inputs.length; slot++) {
        if (ring.inputs[slot]?.requestId !== requestId) continue;
        if (!best || ring.seqs[slot]! > best.ring.seqs[best.slot]!) best = { ring, slot };
      }
    }
    return best && materialize(best);
  }

  reset(): void {
    this.#byAccount.clear();
  }
}

function grow(ring: Ring, max: number): void {
  const n = Math.min(max, ring.seqs.length * 2);
  const seqs = new Float64Array(n);
  const times = new Float64Array(n);
  seqs.set(ring.seqs);
  times.set(ring.times);
  ring.seqs = seqs;
  ring.times = times;
}

function materialize({ ring, slot }: Entry): AuditRecord {
  const known = ring.records[slot];
  if (known) return known;
  const input = ring.inputs[slot]!;
  const record: AuditRecord = Object.freeze({
    ...input,
    eventId: input.eventId ?? newEventId(),
    eventTime: input.eventTime ?? new Date(ring.times[slot]!).toISOString(),
    ...(input.resources && { resources: Object.freeze([...input.resources]) as string[] }),
  });
  ring.records[slot] = record;
  return record;
}

function toMs(t: Date | string): number {
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`invalid time \`${String(t)}\`, expected ISO-8601`);
  return ms;
}
