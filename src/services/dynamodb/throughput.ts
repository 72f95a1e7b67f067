/**
 * Provisioned capacity: each provisioned table has a read and a write token bucket refilled
 * at its provisioned rate on the clock, holding up to five minutes of unused capacity (AWS's
 * burst capacity). A call that finds its bucket empty is throttled as AWS throttles it.
 * On-demand tables are not throttled.
 */
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { dynamoState, type TableRecord } from './store.js';

const BURST_SECONDS = 300;

interface Bucket { tokens: number; atMs: number; rate: number }

function bucket(buckets: Map<string, Bucket>, t: TableRecord, kind: 'read' | 'write', nowMs: number): Bucket | undefined {
  const rate = kind === 'read' ? t.provisioned?.read : t.provisioned?.write;
  if (t.billingMode !== 'PROVISIONED' || !rate) return undefined;
  const id = `${t.arn}\u0000${t.generation}\u0000${kind}`;
  let b = buckets.get(id);
  if (!b || b.rate !== rate) {
    b = { tokens: rate * BURST_SECONDS, atMs: nowMs, rate };
    buckets.set(id, b);
  }
  b.tokens = Math.min(rate * BURST_SECONDS, b.tokens + ((nowMs - b.atMs) / 1000) * rate);
  b.atMs = nowMs;
  return b;
}

export function throughputExceeded(): AwsError {
  return new AwsError('ProvisionedThroughputExceededException',
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.', 400);
}

/** Takes `units` from the table's bucket; false (nothing taken) when it holds too few. On-demand tables always give. */
export function takeCapacity(ctx: Pick<ServiceContext, 'clock' | 'stores'>, t: TableRecord, kind: 'read' | 'write', units: number): boolean {
  if (t.billingMode !== 'PROVISIONED') return true;
  const b = bucket(dynamoState(ctx.stores, t.account, t.region).buckets, t, kind, ctx.clock.nowMs());
  if (!b) return true;
  if (b.tokens < units) return false;
  b.tokens -= units;
  return true;
}

/** Takes `units` from the table's bucket or throws ProvisionedThroughputExceededException. */
export function throttle(ctx: Pick<ServiceContext, 'clock' | 'stores'>, t: TableRecord, kind: 'read' | 'write', units: number): void {
  if (!takeCapacity(ctx, t, kind, units)) throw throughputExceeded();
}
