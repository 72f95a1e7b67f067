/**
 * Stage throttling of HTTP APIs: a token bucket per stage and route, from the route's
 * settings, else the stage's default route settings, capped by the account's 10,000 rps /
 * 5,000 burst. Over the limit: 429 {"message":"Too Many Requests"}.
 */
import type { Stores } from '../../../core/store.js';
import type { V2Invocation } from './request.js';

const ACCOUNT_RATE = 10000;
const ACCOUNT_BURST = 5000;

interface Bucket { tokens: number; atMs: number }

// Runtime state, as on AWS: not persisted; one map per app.
const buckets = new WeakMap<Stores, Map<string, Bucket>>();

/** Whether the request may pass; takes a token when it does. */
export function admit(inv: V2Invocation): boolean {
  const key = inv.match?.route.RouteKey ?? '$default';
  const settings = inv.stage.RouteSettings?.[key] ?? inv.stage.DefaultRouteSettings;
  const rate = Math.min(settings?.ThrottlingRateLimit ?? ACCOUNT_RATE, ACCOUNT_RATE);
  const burst = Math.min(settings?.ThrottlingBurstLimit ?? ACCOUNT_BURST, ACCOUNT_BURST);
  let m = buckets.get(inv.host.stores);
  if (!m) buckets.set(inv.host.stores, (m = new Map()));
  const id = `${inv.account}/${inv.region}/${inv.api.ApiId}/${inv.stage.StageName}/${inv.stage.RouteSettings?.[key] ? key : '*'}`;
  const b = m.get(id) ?? { tokens: burst, atMs: inv.nowMs };
  b.tokens = Math.min(burst, b.tokens + (Math.max(0, inv.nowMs - b.atMs) / 1000) * rate);
  b.atMs = inv.nowMs;
  m.set(id, b);
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}
