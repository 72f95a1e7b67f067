// AWS cron expressions: six fields `minutes hours day-of-month month day-of-week year`, as
// EventBridge rules and EventBridge Scheduler read them. Day-of-month or day-of-week must be
// `?` (not both given); `L`, `W` and `#` as AWS documents them; day-of-week 1-7 is SUN-SAT.

/** Why an expression was refused (our words; services answer with their own message). */
export class CronSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronSyntaxError';
  }
}

/** A day-of-month or day-of-week rule beyond a plain set of values. */
type DaySpec =
  | { kind: 'any' }
  | { kind: 'set'; values: Set<number> }
  /** `L` (last day), `L-3` (third-to-last), `15W` (weekday nearest the 15th), `LW`. */
  | { kind: 'last'; offset: number }
  | { kind: 'weekday'; day: number }
  | { kind: 'last-weekday' }
  /** Day of week: `6L` last Friday; `6#3` third Friday. */
  | { kind: 'last-dow'; dow: number }
  | { kind: 'nth-dow'; dow: number; nth: number };

/** A parsed cron expression. */
export interface Cron {
  readonly text: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number> | undefined;
  readonly dom: DaySpec;
  readonly dow: DaySpec;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function num(s: string, lo: number, hi: number, names: string[] | undefined, field: string): number {
  const named = names?.indexOf(s.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + 1 : /^\d+$/.test(s) ? Number(s) : NaN;
  if (!(n >= lo && n <= hi)) throw new CronSyntaxError(`${field}: \`${s}\` is not in ${lo}-${hi}`);
  return n;
}

/** `*`, `a`, `a-b`, `a/step`, `*\/step`, `a-b/step`, comma-separated. */
function values(text: string, lo: number, hi: number, field: string, names?: string[]): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^([^/]+?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronSyntaxError(`${field}: \`${part}\` is not a value, range or step`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new CronSyntaxError(`${field}: step must be at least 1`);
    let from: number;
    let to: number;
    if (m[1] === '*') [from, to] = [lo, hi];
    else if (m[1]!.includes('-')) {
      const [a, b, extra] = m[1]!.split('-');
      if (extra !== undefined || a === undefined || b === undefined) throw new CronSyntaxError(`${field}: \`${part}\` is not a range`);
      [from, to] = [num(a, lo, hi, names, field), num(b, lo, hi, names, field)];
    } else {
      from = num(m[1]!, lo, hi, names, field);
      to = m[2] === undefined ? from : hi;
    }
    // AWS ranges may wrap (FRI-MON, 22-2).
    const span = to >= from ? to - from : to + (hi - lo + 1) - from;
    for (let k = 0; k <= span; k += step) out.add(((from - lo + k) % (hi - lo + 1)) + lo);
  }
  return out;
}

function domSpec(text: string): DaySpec {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last', offset: 0 };
  if (text === 'LW') return { kind: 'last-weekday' };
  let m = /^L-(\d+)$/.exec(text);
  if (m) return { kind: 'last', offset: num(m[1]!, 1, 30, undefined, 'day-of-month') };
  m = /^(\d+)W$/.exec(text);
  if (m) return { kind: 'weekday', day: num(m[1]!, 1, 31, undefined, 'day-of-month') };
  return { kind: 'set', values: values(text, 1, 31, 'day-of-month') };
}

function dowSpec(text: string): DaySpec {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'set', values: new Set([7]) };
  let m = /^(\w+)L$/.exec(text);
  if (m) return { kind: 'last-dow', dow: num(m[1]!, 1, 7, DAYS, 'day-of-week') };
  m = /^(\w+)#(\d)$/.exec(text);
  if (m) return { kind: 'nth-dow', dow: num(m[1]!, 1, 7, DAYS, 'day-of-week'), nth: num(m[2]!, 1, 5, undefined, 'day-of-week') };
  return { kind: 'set', values: values(text, 1, 7, 'day-of-week', DAYS) };
}

/** Parses the six fields inside `cron(…)`. Throws {@link CronSyntaxError}. */
export function parseCron(body: string): Cron {
  const f = body.trim().split(/\s+/);
  if (f.length !== 6) throw new CronSyntaxError(`a cron expression has 6 fields, got ${f.length}`);
  const [mi, h, dom, mo, dow, y] = f as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new CronSyntaxError('exactly one of day-of-month and day-of-week must be `?`');
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return {
    text: body,
    minutes: sorted(values(mi, 0, 59, 'minutes')),
    hours: sorted(values(h, 0, 23, 'hours')),
    months: values(mo, 1, 12, 'month', MONTHS),
    years: y === '*' ? undefined : values(y, 1970, 2199, 'year'),
    dom: domSpec(dom),
    dow: dowSpec(dow),
  };
}

const DAY_MS = 86_400_000;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether the (UTC-encoded) calendar day matches the day-of-month and day-of-week rules. */
function dayMatches(c: Cron, y: number, mo: number, d: number): boolean {
  const last = daysIn(y, mo);
  const dow = new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 1;
  const weekdayNear = (target: number) => {
    const t = Math.min(target, last);
    const wd = new Date(Date.UTC(y, mo - 1, t)).getUTCDay();
    if (wd === 6) return t === 1 ? 3 : t - 1;
    if (wd === 0) return t === last ? t - 2 : t + 1;
    return t;
  };
  const spec = c.dom.kind !== 'any' ? c.dom : c.dow;
  switch (spec.kind) {
    case 'any': return true;
    case 'set': return spec.values.has(c.dom.kind !== 'any' ? d : dow);
    case 'last': return d === last - spec.offset;
    case 'weekday': return d === weekdayNear(spec.day);
    case 'last-weekday': return d === weekdayNear(last);
    case 'last-dow': return dow === spec.dow && d + 7 > last;
    case 'nth-dow': return dow === spec.dow && Math.ceil(d / 7) === spec.nth;
  }
}

/**
 * The first fire time strictly after `afterMs`, in epoch ms, with the fields read as wall
 * time in `wall` (a function from a UTC-encoded wall time to an instant; identity for UTC).
 * Undefined when the expression never fires again (a year list in the past).
 */
export function nextCron(c: Cron, afterMs: number, toWall: (ms: number) => number, toInstant: (wall: number) => number): number | undefined {
  const startWall = toWall(afterMs);
  let day = Math.floor(startWall / DAY_MS) * DAY_MS;
  const lastYear = c.years ? Math.max(...c.years) : Infinity;
  // Ten years of days bound the search (a `29 FEB` on a Monday recurs within that).
  for (let i = 0; i < 3700; i++, day += DAY_MS) {
    const date = new Date(day);
    const y = date.getUTCFullYear();
    if (y > lastYear) return undefined;
    const mo = date.getUTCMonth() + 1;
    if ((c.years && !c.years.has(y)) || !c.months.has(mo) || !dayMatches(c, y, mo, date.getUTCDate())) continue;
    for (const h of c.hours) {
      for (const m of c.minutes) {
        const at = toInstant(day + h * 3_600_000 + m * 60_000);
        if (at > afterMs) return at;
      }
    }
  }
  return undefined;
}
