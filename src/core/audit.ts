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
 * The string fields of a record, stored as numbers into one shared table of distinct strings:
 * regions, actions, principals and user agents repeat across requests, so a ring of 10,000
 * records holds a few hundred strings, not 10,000 objects for the garbage collector to trace.
 */
const INTERNED = ['region', 'service', 'eventSource', 'action', 'principalArn', 'accessKeyId', 'sourceIp', 'userAgent'] as const;
type Interned = (typeof INTERNED)[number];
/** Past this many distinct strings, a new one is kept with its record instead (user agents can vary without end). */
const MAX_INTERNED = 50_000;
const ABSENT = -1;

/**
 * A fixed-size ring per account, column by column: interned string indexes, the request id's
 * 128 bits when it is a UUID, sequence number and time in typed arrays. What does not fit a
 * column (resources, errors, odd ids, strings past the table's bound) waits in `extras`,
 * which only failing or unusual requests use. Recording allocates nothing that lives on.
 */
interface Ring {
  columns: Record<Interned, Int32Array>;
  /** The request id as four 32-bit words; `hasUuid[slot]` 0 when the id is not a UUID. */
  ids: Uint32Array;
  hasUuid: Uint8Array;
  readOnly: Int8Array;
  seqs: Float64Array;
  times: Float64Array;
  extras: Map<number, Partial<AuditInput>>;
  records: Map<number, AuditRecord>;
  size: number;
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
  #strings: string[] = [];
  #index = new Map<string, number>();

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
    return this.#materialize({ ring, slot: (ring.next + this.#max - 1) % this.#max });
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
    ring.records.delete(slot);
    let extra: Partial<AuditInput> | undefined;
    for (const field of INTERNED) {
      const v = input[field];
      const i = v === undefined ? ABSENT : this.#intern(v);
      if (i === undefined) (extra ??= {})[field] = v;
      ring.columns[field][slot] = i ?? ABSENT;
    }
    const uuid = writeUuid(ring.ids, slot, input.requestId);
    ring.hasUuid[slot] = uuid ? 1 : 0;
    if (!uuid) (extra ??= {}).requestId = input.requestId;
    // CloudTrail's event id is its own; the gateway passes the request id, other callers get a fresh one.
    if (input.eventId !== input.requestId) (extra ??= {}).eventId = input.eventId ?? newEventId();
    if (input.eventTime !== undefined) (extra ??= {}).eventTime = input.eventTime;
    if (input.resources) (extra ??= {}).resources = [...input.resources];
    if (input.errorCode !== undefined) (extra ??= {}).errorCode = input.errorCode;
    if (input.errorMessage !== undefined) (extra ??= {}).errorMessage = input.errorMessage;
    if (extra) ring.extras.set(slot, extra);
    else ring.extras.delete(slot);
    ring.readOnly[slot] = input.readOnly === undefined ? ABSENT : input.readOnly ? 1 : 0;
    ring.seqs[slot] = ++this.#seq;
    ring.times[slot] = t;
    ring.size = Math.max(ring.size, slot + 1);
    ring.next = (slot + 1) % this.#max;
    return ring;
  }

  /** The string's index in the shared table, or undefined once the table is full. */
  #intern(s: string): number | undefined {
    const known = this.#index.get(s);
    if (known !== undefined) return known;
    if (this.#strings.length >= MAX_INTERNED) return undefined;
    this.#index.set(s, this.#strings.length);
    this.#strings.push(s);
    return this.#strings.length - 1;
  }

  #newRing(): Ring {
    // Columns start small and double up to the bound: a quiet account costs little.
    const n = Math.min(this.#max, 64);
    const columns = Object.fromEntries(INTERNED.map((f) => [f, new Int32Array(n)])) as Record<Interned, Int32Array>;
    return {
      columns, ids: new Uint32Array(n * 4), hasUuid: new Uint8Array(n), readOnly: new Int8Array(n),
      seqs: new Float64Array(n), times: new Float64Array(n), extras: new Map(), records: new Map(), size: 0, next: 0,
    };
  }

  #field(ring: Ring, slot: number, field: Interned): string | undefined {
    const i = ring.columns[field][slot]!;
    return i === ABSENT ? (ring.extras.get(slot)?.[field] as string | undefined) : this.#strings[i];
  }

  #requestId(ring: Ring, slot: number): string {
    return ring.hasUuid[slot] ? readUuid(ring.ids, slot) : ring.extras.get(slot)!.requestId!;
  }

  /** Matching records, newest first (by recording order, which survives clock jumps). */
  list(filter: AuditFilter = {}): AuditRecord[] {
    const since = filter.since === undefined ? -Infinity : toMs(filter.since);
    const until = filter.until === undefined ? Infinity : toMs(filter.until);
    const rings = filter.account === undefined ? [...this.#byAccount.values()] : [this.#byAccount.get(filter.account)].filter((r) => r !== undefined);
    const hits: Entry[] = [];
    for (const ring of rings) {
      for (let slot = 0; slot < ring.size; slot++) {
        const t = ring.times[slot]!;
        if (t < since || t >= until) continue;
        if (filter.region !== undefined && this.#field(ring, slot, 'region') !== filter.region) continue;
        if (filter.service !== undefined && this.#field(ring, slot, 'service') !== filter.service) continue;
        if (filter.action !== undefined && this.#field(ring, slot, 'action') !== filter.action) continue;
        hits.push({ ring, slot });
      }
    }
    hits.sort((a, b) => b.ring.seqs[b.slot]! - a.ring.seqs[a.slot]!);
    const limit = filter.limit ?? Infinity;
    return hits.slice(0, limit).map((e) => this.#materialize(e));
  }

  /**
   * The record of one request, if still kept (the newest, should an id repeat). A scan over the
   * id columns: this is for people and tests looking one up, and keeps the request path free of an index.
   */
  get(requestId: string): AuditRecord | undefined {
    const want = new Uint32Array(4);
    const uuid = writeUuid(want, 0, requestId);
    let best: Entry | undefined;
    for (const ring of this.#byAccount.values()) {
      for (let slot = 0; slot < ring.size; slot++) {
        const same = uuid
          ? ring.hasUuid[slot] === 1 && ring.ids[slot * 4] === want[0] && ring.ids[slot * 4 + 1] === want[1]
            && ring.ids[slot * 4 + 2] === want[2] && ring.ids[slot * 4 + 3] === want[3]
          : ring.hasUuid[slot] === 0 && ring.extras.get(slot)?.requestId === requestId;
        if (!same) continue;
        if (!best || ring.seqs[slot]! > best.ring.seqs[best.slot]!) best = { ring, slot };
      }
    }
    return best && this.#materialize(best);
  }

  reset(): void {
    this.#byAccount.clear();
  }

  /** The frozen record of a slot, built once when first read. */
  #materialize({ ring, slot }: Entry): AuditRecord {
    const known = ring.records.get(slot);
    if (known) return known;
    const extra = ring.extras.get(slot);
    const account = [...this.#byAccount].find(([, r]) => r === ring)![0];
    const requestId = this.#requestId(ring, slot);
    const record: Record<string, unknown> = { account };
    for (const field of INTERNED) {
      const v = this.#field(ring, slot, field);
      if (v !== undefined) record[field] = v;
    }
    Object.assign(record, {
      requestId,
      eventId: extra?.eventId ?? requestId,
      eventTime: extra?.eventTime ?? new Date(ring.times[slot]!).toISOString(),
    });
    if (ring.readOnly[slot] !== ABSENT) record['readOnly'] = ring.readOnly[slot] === 1;
    if (extra?.resources) record['resources'] = Object.freeze([...extra.resources]);
    if (extra?.errorCode !== undefined) record['errorCode'] = extra.errorCode;
    if (extra?.errorMessage !== undefined) record['errorMessage'] = extra.errorMessage;
    const frozen = Object.freeze(record) as unknown as AuditRecord;
    ring.records.set(slot, frozen);
    return frozen;
  }
}

function grow(ring: Ring, max: number): void {
  const n = Math.min(max, ring.seqs.length * 2);
  const wider = <T extends Int32Array | Uint32Array | Uint8Array | Int8Array | Float64Array>(a: T, per = 1): T => {
    const b = new (a.constructor as new (n: number) => T)(n * per);
    b.set(a);
    return b;
  };
  for (const field of INTERNED) ring.columns[field] = wider(ring.columns[field]);
  ring.ids = wider(ring.ids, 4);
  ring.hasUuid = wider(ring.hasUuid);
  ring.readOnly = wider(ring.readOnly);
  ring.seqs = wider(ring.seqs);
  ring.times = wider(ring.times);
}

/**
 * A lower-case UUID's 32 hex digits into four words at `slot`, read digit by digit (this runs
 * per request); false, with nothing meaningful written, when `id` is not such a UUID.
 */
function writeUuid(words: Uint32Array, slot: number, id: string): boolean {
  if (id.length !== 36) return false;
  let at = 0;
  for (let w = 0; w < 4; w++) {
    let v = 0;
    for (let d = 0; d < 8; d++) {
      if (at === 8 || at === 13 || at === 18 || at === 23) {
        if (id.charCodeAt(at) !== 45) return false;
        at++;
      }
      const c = id.charCodeAt(at++);
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (digit < 0) return false;
      v = v * 16 + digit;
    }
    words[slot * 4 + w] = v;
  }
  return true;
}

function readUuid(words: Uint32Array, slot: number): string {
  let hex = '';
  for (let w = 0; w < 4; w++) hex += words[slot * 4 + w]!.toString(16).padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function toMs(t: Date | string): number {
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`invalid time \`${String(t)}\`, expected ISO-8601`);
  return ms;
}
