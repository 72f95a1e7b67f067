/**
 * API keys, usage plans and throttling on the data plane. Order as AWS applies it: the key
 * (from `x-api-key` or the authorizer) must be enabled and on a plan for this API stage
 * (else 403 Forbidden); then the plan's per-key token bucket (per-method overrides first)
 * and the stage's method throttles (else 429 Too Many Requests); then the plan's quota
 * (else 429 Limit Exceeded), counted per UTC day so GetUsage can report it.
 */
import type { ServiceHost } from '../../types.js';
import { dayKey, fullBucket, quotaLimit, takeToken, usedInPeriod, type Bucket } from '../limits.js';
import { apigatewayState, type ThrottleSettings, type UsagePlanRecord } from '../store.js';
import type { Invocation } from './context.js';
import { GatewayFailure } from './failure.js';
import { header } from './request.js';

/** AWS's account-level default: 10,000 requests per second, burst 5,000. */
export const ACCOUNT_RATE = 10000;
export const ACCOUNT_BURST = 5000;

// Buckets are runtime state (AWS does not persist them either); one map per app.
const bucketsOf = new WeakMap<ServiceHost, Map<string, Bucket>>();

function take(inv: Invocation, key: string, rate: number, burst: number): boolean {
  let m = bucketsOf.get(inv.host);
  if (!m) bucketsOf.set(inv.host, (m = new Map()));
  const now = inv.host.clock.nowMs();
  let b = m.get(key);
  if (!b) m.set(key, (b = fullBucket(now, burst)));
  return takeToken(b, now, rate, burst);
}

const throttled = (): GatewayFailure => new GatewayFailure('THROTTLED', 'Too Many Requests');

/** The method-settings key of the request's method: `~1pets~1{id}/GET`. */
function methodKey(inv: Invocation): string {
  return `${inv.match!.resource.path.replace(/\//g, '~1')}/${inv.match!.method.httpMethod}`;
}

/** Stage and account throttles, which apply to every caller of the method. */
export function checkStageThrottle(inv: Invocation): void {
  const settings = inv.stage.methodSettings[methodKey(inv)] ?? inv.stage.methodSettings['*/*'];
  const rate = Math.min(Number(settings?.throttlingRateLimit ?? ACCOUNT_RATE), ACCOUNT_RATE);
  const burst = Math.min(Number(settings?.throttlingBurstLimit ?? ACCOUNT_BURST), ACCOUNT_BURST);
  const scope = `${inv.account}/${inv.region}/${inv.api.id}/${inv.stage.stageName}/${settings ? methodKey(inv) : '*'}`;
  if (!take(inv, `stage/${scope}`, rate, burst)) throw throttled();
}

/** The plan a key uses for this API stage, if any. */
function planFor(plans: Iterable<UsagePlanRecord>, keyId: string, apiId: string, stage: string): UsagePlanRecord | undefined {
  for (const p of plans) if (p.keys.includes(keyId) && p.apiStages.some((s) => s.apiId === apiId && s.stage === stage)) return p;
  return undefined;
}

/** Checks the API key of a method that requires one, then its plan's throttle and quota. */
export function checkApiKey(inv: Invocation): void {
  if (!inv.match!.method.apiKeyRequired) return;
  const forbidden = new GatewayFailure('INVALID_API_KEY', 'Forbidden');
  const value = inv.snapshot.apiKeySource === 'AUTHORIZER'
    ? inv.usageIdentifierKey
    : header(inv.req, 'x-api-key');
  if (!value) throw forbidden;
  const state = apigatewayState(inv.host.stores, inv.account, inv.region);
  const key = [...state.apiKeys.values()].find((k) => k.value === value);
  if (!key || !key.enabled) throw forbidden;
  const plan = planFor(state.usagePlans.values(), key.id, inv.api.id, inv.stage.stageName);
  if (!plan) throw forbidden;
  inv.apiKey = { id: key.id, value: key.value };

  const stage = plan.apiStages.find((s) => s.apiId === inv.api.id && s.stage === inv.stage.stageName)!;
  const methodThrottle: ThrottleSettings | undefined = stage.throttle?.[`${inv.match!.resource.path}/${inv.match!.method.httpMethod}`];
  const t = methodThrottle ?? plan.throttle;
  if (t && (t.rateLimit !== undefined || t.burstLimit !== undefined)) {
    const scope = methodThrottle ? `${inv.match!.resource.path}/${inv.match!.method.httpMethod}` : '*';
    if (!take(inv, `key/${inv.account}/${inv.region}/${plan.id}/${key.id}/${scope}`, t.rateLimit ?? ACCOUNT_RATE, t.burstLimit ?? ACCOUNT_BURST)) throw throttled();
  }

  const usageKey = `${plan.id}/${key.id}`;
  const days = { ...(state.usage.get(usageKey) ?? {}) };
  const now = inv.host.clock.nowMs();
  if (plan.quota && usedInPeriod(days, now, plan.quota.period) >= quotaLimit(plan.quota, plan.createdMs, now)) {
    throw new GatewayFailure('QUOTA_EXCEEDED', 'Limit Exceeded');
  }
  const today = dayKey(now);
  days[today] = (days[today] ?? 0) + 1;
  state.usage.set(usageKey, days);
}
