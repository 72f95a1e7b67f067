// Schedule expressions as EventBridge rules (`rate`, `cron`) and EventBridge Scheduler
// (`rate`, `cron`, `at`, with a time zone) accept them, and their fire times.
import { CronSyntaxError, nextCron, parseCron, type Cron } from './cron.js';
import { isTimeZone, wallToInstant, zoneOffsetMs } from './tz.js';

/** A parsed schedule expression. */
export type Schedule =
  | { kind: 'rate'; text: string; periodMs: number; value: number; unit: 'minute' | 'hour' | 'day' }
  | { kind: 'cron'; text: string; cron: Cron }
  /** `at(2026-01-01T10:00:00)`: a wall time, read in the schedule's time zone. */
  | { kind: 'at'; text: string; wallMs: number };

/** Which forms a caller accepts: rules take rate and cron; Scheduler also takes at. */
export interface ParseOptions {
  allowAt?: boolean;
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Parses `rate(5 minutes)`, `cron(0 12 * * ? *)` or (with `allowAt`) `at(yyyy-mm-ddThh:mm:ss)`.
 * Throws {@link CronSyntaxError} saying what is wrong. A rate of 1 takes the singular unit
 * and any other value the plural, as AWS requires.
 */
export function parseSchedule(text: string, opts: ParseOptions = {}): Schedule {
  const m = /^(rate|cron|at)\((.*)\)$/s.exec(text);
  if (!m) throw new CronSyntaxError('a schedule expression is `rate(…)`, `cron(…)` or `at(…)`');
  const [, kind, body] = m as unknown as [string, string, string];
  if (kind === 'cron') return { kind: 'cron', text, cron: parseCron(body) };
  if (kind === 'at') {
    const at = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
    if (!opts.allowAt || !at) throw new CronSyntaxError('`at(…)` takes yyyy-mm-ddThh:mm:ss');
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const wallMs = Date.UTC(y, mo - 1, d, h, mi, s);
    if (new Date(wallMs).getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw new CronSyntaxError(`\`${body}\` is not a date and time`);
    return { kind: 'at', text, wallMs };
  }
  const r = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!r) throw new CronSyntaxError('`rate(…)` takes a positive whole number and a unit: minute(s), hour(s) or day(s)');
  const value = Number(r[1]);
  const plural = r[2]!.endsWith('s');
  if (value < 1) throw new CronSyntaxError('the rate value must be at least 1');
  if ((value === 1) === plural) throw new CronSyntaxError(value === 1 ? 'a rate of 1 takes the singular unit' : 'a rate above 1 takes the plural unit');
  const unit = (plural ? r[2]!.slice(0, -1) : r[2]) as 'minute' | 'hour' | 'day';
  return { kind: 'rate', text, value, unit, periodMs: value * UNIT_MS[unit] };
}

/** Where a schedule's fire times are counted from. */
export interface FireOptions {
  /** IANA time zone for `cron` and `at` (default `UTC`). */
  timeZone?: string;
  /** A rate's first fire is one period after this instant (its creation, or its start date). */
  anchorMs?: number;
}

/**
 * The first fire time strictly after `afterMs` (epoch ms), or undefined when there is none
 * (an `at` in the past, a cron whose years are over). Rates fire every period from the anchor.
 */
export function nextFire(s: Schedule, afterMs: number, opts: FireOptions = {}): number | undefined {
  const zone = opts.timeZone ?? 'UTC';
  switch (s.kind) {
    case 'rate': {
      const anchor = opts.anchorMs ?? afterMs;
      if (afterMs < anchor) return anchor + s.periodMs;
      return anchor + (Math.floor((afterMs - anchor) / s.periodMs) + 1) * s.periodMs;
    }
    case 'at': {
      const at = wallToInstant(zone, s.wallMs);
      return at > afterMs ? at : undefined;
    }
    case 'cron':
      return nextCron(s.cron, afterMs, (ms) => ms + zoneOffsetMs(zone, ms), (wall) => wallToInstant(zone, wall));
  }
}

export { isTimeZone };
