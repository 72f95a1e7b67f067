/**
 * Usage metering: services record what is billable (requests, GB-seconds, GB-months stored,
 * GB transferred, hours), and the billing engine later prices the hourly totals into Cost
 * and Usage Report line items. Time comes from the {@link Clock}, so advancing the clock
 * moves usage into later hours exactly as real time would.
 */
import type { Clock } from './clock.js';

/** One usage event as a service reports it. */
export interface UsageRecord {
  account: string;
  region: string;
  service: string;
  /** The AWS usage type, e.g. `USE1-Requests-Tier1` or `TimedStorage-ByteHrs`. */
  usageType: string;
  operation?: string;
  resourceId?: string;
  quantity: number;
  /** e.g. `Requests`, `GB-Seconds`, `GB-Mo`, `Hrs`. */
  unit: string;
}

/**
 * Usage summed over one clock hour for one account × region × service × usage type ×
 * operation × resource × unit. `operation` and `resourceId` are `''` when not given, as
 * in a CUR file.
 */
export interface UsageRow {
  /** Start of the hour, ISO-8601. */
  hourStart: string;
  account: string;
  region: string;
  service: string;
  usageType: string;
  operation: string;
  resourceId: string;
  unit: string;
  quantity: number;
  /** How many records were summed into this row. */
  records: number;
}

/** Which rows {@link Meter.usage} returns; `from`/`to` bound `hourStart` (from inclusive, to exclusive). */
export interface UsageFilter {
  account?: string;
  region?: string;
  service?: string;
  usageType?: string;
  operation?: string;
  resourceId?: string;
  from?: Date | string;
  to?: Date | string;
}

const HOUR_MS = 3_600_000;

/** Hourly usage totals for the whole app, in memory. */
export class Meter {
  #clock: Clock;
  #rows = new Map<string, UsageRow>();
  #last: { hourMs: number; row: UsageRow } | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Adds `quantity` to the current clock hour's row for this usage. */
  record(r: UsageRecord): void {
    if (!Number.isFinite(r.quantity) || r.quantity < 0) {
      throw new RangeError(`usage quantity must be a finite number >= 0, got \`${r.quantity}\``);
    }
    const hourMs = Math.floor(this.#clock.nowMs() / HOUR_MS) * HOUR_MS;
    const operation = r.operation ?? '';
    const resourceId = r.resourceId ?? '';
    // Calls come in runs (the same operation on the same resource): the last row is checked
    // field by field before a key is built.
    const last = this.#last;
    if (last !== undefined && last.hourMs === hourMs && last.row.account === r.account && last.row.region === r.region
      && last.row.service === r.service && last.row.usageType === r.usageType && last.row.operation === operation
      && last.row.resourceId === resourceId && last.row.unit === r.unit) {
      last.row.quantity += r.quantity;
      last.row.records += 1;
      return;
    }
    // The unit is part of the key: a service reporting two units for one usage type is a
    // bug, but summing bytes into GB would hide it on the bill.
    // Joined with a control character no name contains: services record on every request,
    // and a JSON array per call cost a third of a DynamoDB GetItem's own time.
    const key = `${hourMs}\u0001${r.account}\u0001${r.region}\u0001${r.service}\u0001${r.usageType}\u0001${operation}\u0001${resourceId}\u0001${r.unit}`;
    const row = this.#rows.get(key);
    if (row !== undefined) {
      row.quantity += r.quantity;
      row.records += 1;
      this.#last = { hourMs, row };
      return;
    }
    const fresh: UsageRow = {
      hourStart: new Date(hourMs).toISOString(),
      account: r.account,
      region: r.region,
      service: r.service,
      usageType: r.usageType,
      operation,
      resourceId,
      unit: r.unit,
      quantity: r.quantity,
      records: 1,
    };
    this.#rows.set(key, fresh);
    this.#last = { hourMs, row: fresh };
  }

  /** Aggregated rows matching `filter`, by hour then in first-recorded order; copies. */
  usage(filter: UsageFilter = {}): UsageRow[] {
    const from = filter.from === undefined ? -Infinity : toMs(filter.from);
    const to = filter.to === undefined ? Infinity : toMs(filter.to);
    const out: UsageRow[] = [];
    for (const row of this.#rows.values()) {
      const t = Date.parse(row.hourStart);
      if (t < from || t >= to) continue;
      if (filter.account !== undefined && row.account !== filter.account) continue;
      if (filter.region !== undefined && row.region !== filter.region) continue;
      if (filter.service !== undefined && row.service !== filter.service) continue;
      if (filter.usageType !== undefined && row.usageType !== filter.usageType) continue;
      if (filter.operation !== undefined && row.operation !== filter.operation) continue;
      if (filter.resourceId !== undefined && row.resourceId !== filter.resourceId) continue;
      out.push({ ...row });
    }
    // Stable sort: rows of one hour keep the order they were first recorded in.
    return out.sort((a, b) => a.hourStart.localeCompare(b.hourStart));
  }

  reset(): void {
    this.#rows.clear();
    this.#last = undefined;
  }
}

function toMs(t: Date | string): number {
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`invalid time \`${String(t)}\`, expected ISO-8601`);
  return ms;
}
