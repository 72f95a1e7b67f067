import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CronSyntaxError, nextFire, parseSchedule, wallToInstant } from '../../../src/engines/cron/index.js';

/** The first `n` fire times after `from`, as ISO strings. */
function fires(expr: string, from: string, n: number, timeZone = 'UTC', anchor?: string): string[] {
  const s = parseSchedule(expr, { allowAt: true });
  const out: string[] = [];
  let t = Date.parse(from);
  for (let i = 0; i < n; i++) {
    const next = nextFire(s, t, { timeZone, anchorMs: anchor ? Date.parse(anchor) : Date.parse(from) });
    if (next === undefined) break;
    out.push(new Date(next).toISOString().replace('.000Z', 'Z'));
    t = next;
  }
  return out;
}

const CASES: Array<[expr: string, from: string, tz: string, expected: string[]]> = [
  ['cron(0 10 * * ? *)', '2026-03-28T12:00:00Z', 'UTC', ['2026-03-29T10:00:00Z', '2026-03-30T10:00:00Z']],
  ['cron(0/15 * * * ? *)', '2026-01-01T00:07:00Z', 'UTC', ['2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z']],
  ['cron(0 18 ? * MON-FRI *)', '2026-03-27T19:00:00Z', 'UTC', ['2026-03-30T18:00:00Z', '2026-03-31T18:00:00Z']],
  ['cron(15 10 ? * 6L 2026-2027)', '2026-03-28T00:00:00Z', 'UTC', ['2026-04-24T10:15:00Z', '2026-05-29T10:15:00Z']],
  ['cron(0 2 ? * SAT#3 *)', '2026-03-28T00:00:00Z', 'UTC', ['2026-04-18T02:00:00Z', '2026-05-16T02:00:00Z']],
  ['cron(0 8 L * ? *)', '2026-02-01T00:00:00Z', 'UTC', ['2026-02-28T08:00:00Z', '2026-03-31T08:00:00Z']],
  // The weekday nearest the 15th: Sunday 2026-03-15 → Monday the 16th; Saturday 2026-08-15 → Friday the 14th.
  ['cron(0 8 15W * ? *)', '2026-03-01T00:00:00Z', 'UTC', ['2026-03-16T08:00:00Z', '2026-04-15T08:00:00Z']],
  ['cron(0 8 15W 8 ? *)', '2026-03-01T00:00:00Z', 'UTC', ['2026-08-14T08:00:00Z', '2027-08-16T08:00:00Z']],
  ['cron(0 22-2 ? * SUN *)', '2026-03-28T00:00:00Z', 'UTC', ['2026-03-29T00:00:00Z', '2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z', '2026-03-29T22:00:00Z']],
  ['cron(0 9 * * ? *)', '2026-06-01T00:00:00Z', 'America/New_York', ['2026-06-01T13:00:00Z', '2026-06-02T13:00:00Z']],
  // 02:30 does not exist in Paris on 2026-03-29 (clocks jump 02:00 → 03:00): it runs at 03:30 local.
  ['cron(30 2 * * ? *)', '2026-03-28T12:00:00Z', 'Europe/Paris', ['2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z']],
  ['cron(0 12 1 1 ? 2020)', '2026-01-01T00:00:00Z', 'UTC', []],
  ['rate(5 minutes)', '2026-01-01T00:00:00Z', 'UTC', ['2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z']],
  ['rate(1 day)', '2026-01-01T06:00:00Z', 'UTC', ['2026-01-02T06:00:00Z']],
  // 02:30 happens twice in Paris on 2026-10-25: the first (summer time) one is taken.
  ['at(2026-10-25T02:30:00)', '2026-10-01T00:00:00Z', 'Europe/Paris', ['2026-10-25T00:30:00Z']],
  ['at(2020-01-01T00:00:00)', '2026-01-01T00:00:00Z', 'UTC', []],
];

const INVALID = [
  'cron(INVALID)', 'cron(0 dummy ? * MON-FRI *)', 'cron(7 20 * * NOT *)', 'cron(71 8 1 * ? *)', 'cron(0 1 * * * *)', 'cron(0 1 ? * ? *)',
  'cron()', 'rate(1 minutes)', 'rate(2 minute)', 'rate(0 minutes)', 'rate(10 seconds)', 'rate( 10 minutes )', 'rate(-1 hours)',
  'at(2026-02-30T00:00:00)', 'at(2026-01-01T00:00:00Z)', 'every(5 minutes)',
];

describe('cron engine', () => {
  for (const [expr, from, tz, expected] of CASES) {
    it(`${expr} in ${tz} after ${from}`, () => assert.deepEqual(fires(expr, from, expected.length || 1, tz), expected));
  }

  it('refuses what AWS refuses, saying why', () => {
    for (const bad of INVALID) assert.throws(() => parseSchedule(bad, { allowAt: true }), CronSyntaxError, bad);
    assert.throws(() => parseSchedule('at(2030-01-01T00:00:00)'), /at\(/);
  });

  it('counts rates from their anchor, not from the query time', () => {
    assert.deepEqual(fires('rate(10 minutes)', '2026-01-01T00:07:00Z', 2, 'UTC', '2026-01-01T00:00:00Z'), ['2026-01-01T00:10:00Z', '2026-01-01T00:20:00Z']);
  });

  it('maps wall times to instants across daylight-saving changes', () => {
    assert.equal(new Date(wallToInstant('Europe/Paris', Date.UTC(2026, 6, 1, 12))).toISOString(), '2026-07-01T10:00:00.000Z');
    assert.equal(new Date(wallToInstant('Europe/Paris', Date.UTC(2026, 0, 1, 12))).toISOString(), '2026-01-01T11:00:00.000Z');
  });
});
