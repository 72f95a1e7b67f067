/**
 * The arithmetic of usage plans, pure: token buckets for rate/burst and quota periods on the
 * UTC calendar (DAY from midnight, WEEK from Sunday, MONTH from the 1st). A quota's `offset`
 * is, as AWS documents it, the number of requests subtracted from the limit in the period
 * in which the plan was created.
 */

/** A token bucket: `burst` tokens at most, refilled at `rate` per second. */
export interface Bucket {
  tokens: number;
  atMs: number;
}

/** Takes one token at `nowMs` if there is one; refills first. Returns whether it was taken. */
export function takeToken(bucket: Bucket, nowMs: number, rate: number, burst: number): boolean {
  const capacity = Math.max(burst, 0);
  const elapsed = Math.max(0, nowMs - bucket.atMs) / 1000;
  bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * rate);
  bucket.atMs = nowMs;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** A full bucket, as a new key or method starts with. */
export function fullBucket(nowMs: number, burst: number): Bucket {
  return { tokens: Math.max(burst, 0), atMs: nowMs };
}

/** `YYYY-MM-DD` of a time, in UTC. */
export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first UTC day (`YYYY-MM-DD`) of the quota period that contains `ms`. */
export function periodStart(ms: number, period: string): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  if (period === 'WEEK') {
    return dayKey(Date.UTC(y, m, day - d.getUTCDay()));
  }
  if (period === 'MONTH') return dayKey(Date.UTC(y, m, 1));
  return dayKey(Date.UTC(y, m, day));
}

/** Requests used in the period that contains `ms`, from per-day counts. */
export function usedInPeriod(days: Record<string, number>, ms: number, period: string): number {
  const from = periodStart(ms, period);
  const to = dayKey(ms);
  let n = 0;
  for (const [d, c] of Object.entries(days)) if (d >= from && d <= to) n += c;
  return n;
}

/** What the quota allows in the period containing `ms`: the limit, less `offset` in the plan's first period. */
export function quotaLimit(quota: { limit: number; offset?: number; period: string }, createdMs: number, ms: number): number {
  const first = periodStart(ms, quota.period) === periodStart(createdMs, quota.period);
  return Math.max(0, quota.limit - (first ? quota.offset ?? 0 : 0));
}
