/**
 * HTTP/S delivery policies: the topic's DeliveryPolicy (under `http`), a subscription's own
 * (normalized the way AWS stores it), the EffectiveDeliveryPolicy both show, and the retry
 * schedule a policy gives — immediate retries, pre-backoff, backoff, post-backoff.
 */
import { parseJsonLikeJackson } from './json-errors.js';

/** A retry policy with every field present. */
export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: string;
}

const DEFAULT_RETRY: RetryPolicy = {
  minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0,
  backoffFunction: 'linear',
};
const DEFAULT_CONTENT_TYPE = { headerContentType: 'text/plain; charset=UTF-8' };
const BACKOFF = new Set(['linear', 'arithmetic', 'geometric', 'exponential']);
/** AWS caps the total retry time of an HTTP/S policy at an hour. */
const MAX_TOTAL_SECONDS = 3600;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A partial retry policy completed with AWS's defaults, in AWS's key order. */
function completeRetry(p: Json | undefined): RetryPolicy {
  const out: RetryPolicy = { ...DEFAULT_RETRY };
  if (p) for (const k of Object.keys(out) as (keyof RetryPolicy)[]) if (p[k] !== undefined) (out as unknown as Json)[k] = p[k];
  return out;
}

/** A problem with a policy; the caller words it as its operation does. */
export class PolicyProblem extends Error {}

function parse(name: string, text: string): Json {
  let doc: unknown;
  try { doc = parseJsonLikeJackson(text); } catch (e) { throw new PolicyProblem(`${name}: ${(e as Error).message}`); }
  if (!isObject(doc)) throw new PolicyProblem(`${name}: must be a JSON object`);
  return doc;
}

function checkRetry(name: string, p: unknown): void {
  if (p === undefined || p === null) return;
  if (!isObject(p)) throw new PolicyProblem(`${name}: healthyRetryPolicy must be a JSON object`);
  const r = completeRetry(p);
  for (const k of ['minDelayTarget', 'maxDelayTarget', 'numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries'] as const) {
    const v = r[k];
    if (!Number.isInteger(v) || v < 0) throw new PolicyProblem(`${name}: ${k} must be a non-negative integer`);
  }
  if (r.minDelayTarget < 1 && r.numRetries > 0) throw new PolicyProblem(`${name}: minDelayTarget must be at least 1`);
  if (r.minDelayTarget > r.maxDelayTarget) throw new PolicyProblem(`${name}: minDelayTarget must be less than or equal to maxDelayTarget`);
  if (r.numRetries > 100) throw new PolicyProblem(`${name}: numRetries must be at most 100`);
  if (r.numNoDelayRetries + r.numMinDelayRetries + r.numMaxDelayRetries > r.numRetries) {
    throw new PolicyProblem(`${name}: numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries`);
  }
  if (!BACKOFF.has(r.backoffFunction)) throw new PolicyProblem(`${name}: backoffFunction must be one of linear, arithmetic, geometric, exponential`);
  const total = retryDelays(r).reduce((a, b) => a + b, 0);
  if (total > MAX_TOTAL_SECONDS) throw new PolicyProblem(`${name}: total retry time must not exceed ${MAX_TOTAL_SECONDS} seconds`);
}

/** Validates a topic's DeliveryPolicy; returns it as given. */
export function checkTopicDeliveryPolicy(text: string): string {
  const doc = parse('DeliveryPolicy', text);
  const http = doc['http'];
  if (http !== undefined) {
    if (!isObject(http)) throw new PolicyProblem('DeliveryPolicy: http must be a JSON object');
    checkRetry('DeliveryPolicy', http['defaultHealthyRetryPolicy']);
  }
  return text;
}

/** Validates a subscription's DeliveryPolicy and returns it as AWS stores it (every member present). */
export function normalizeSubscriptionDeliveryPolicy(text: string): string {
  const doc = parse('DeliveryPolicy', text);
  checkRetry('DeliveryPolicy', doc['healthyRetryPolicy']);
  const healthy = isObject(doc['healthyRetryPolicy']) ? completeRetry(doc['healthyRetryPolicy']) : null;
  return JSON.stringify({
    healthyRetryPolicy: healthy,
    sicklyRetryPolicy: doc['sicklyRetryPolicy'] ?? null,
    throttlePolicy: doc['throttlePolicy'] ?? null,
    requestPolicy: doc['requestPolicy'] ?? null,
    guaranteed: doc['guaranteed'] ?? false,
  });
}

function readJson(text: string | undefined): Json | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch { return undefined; }
}

/** The topic's EffectiveDeliveryPolicy: its DeliveryPolicy over AWS's defaults. */
export function topicEffectivePolicy(topicPolicy: string | undefined): { http: Json } {
  const http = readJson(topicPolicy)?.['http'];
  const h = isObject(http) ? http : {};
  const out: Json = {
    defaultHealthyRetryPolicy: completeRetry(isObject(h['defaultHealthyRetryPolicy']) ? h['defaultHealthyRetryPolicy'] : undefined),
    disableSubscriptionOverrides: h['disableSubscriptionOverrides'] ?? false,
  };
  if (h['defaultSicklyRetryPolicy'] !== undefined) out['defaultSicklyRetryPolicy'] = h['defaultSicklyRetryPolicy'];
  if (h['defaultThrottlePolicy'] !== undefined) out['defaultThrottlePolicy'] = h['defaultThrottlePolicy'];
  out['defaultRequestPolicy'] = isObject(h['defaultRequestPolicy']) ? h['defaultRequestPolicy'] : DEFAULT_CONTENT_TYPE;
  return { http: out };
}

/** What an HTTP/S subscription's deliveries follow. */
export interface EffectiveSubscriptionPolicy {
  healthyRetryPolicy: RetryPolicy;
  sicklyRetryPolicy: unknown;
  throttlePolicy: unknown;
  requestPolicy: { headerContentType?: string };
  guaranteed: boolean;
}

/** A subscription's EffectiveDeliveryPolicy: its own policy, else the topic's defaults. */
export function subscriptionEffectivePolicy(subPolicy: string | undefined, topicPolicy: string | undefined): EffectiveSubscriptionPolicy {
  const t = topicEffectivePolicy(topicPolicy).http;
  const s = t['disableSubscriptionOverrides'] === true ? {} : readJson(subPolicy) ?? {};
  return {
    healthyRetryPolicy: isObject(s['healthyRetryPolicy']) ? completeRetry(s['healthyRetryPolicy']) : t['defaultHealthyRetryPolicy'] as RetryPolicy,
    sicklyRetryPolicy: s['sicklyRetryPolicy'] ?? t['defaultSicklyRetryPolicy'] ?? null,
    throttlePolicy: s['throttlePolicy'] ?? t['defaultThrottlePolicy'] ?? null,
    requestPolicy: (isObject(s['requestPolicy']) ? s['requestPolicy'] : t['defaultRequestPolicy']) as { headerContentType?: string },
    guaranteed: s['guaranteed'] === true,
  };
}

/**
 * Seconds to wait before each retry: the immediate phase (no delay), pre-backoff (at
 * minDelayTarget), backoff (from min towards max by the backoff function), post-backoff (at
 * maxDelayTarget). Without jitter, so tests can advance the clock by exact amounts.
 */
export function retryDelays(p: RetryPolicy): number[] {
  const out: number[] = [];
  const backoff = Math.max(0, p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries);
  for (let i = 0; i < p.numNoDelayRetries; i++) out.push(0);
  for (let i = 0; i < p.numMinDelayRetries; i++) out.push(p.minDelayTarget);
  const span = p.maxDelayTarget - p.minDelayTarget;
  for (let j = 1; j <= backoff; j++) {
    const t = backoff === 1 ? 1 : (j - 1) / (backoff - 1);
    let f: number;
    switch (p.backoffFunction) {
      case 'arithmetic': f = t * t; break;
      case 'geometric': f = t * t * t; break;
      case 'exponential': f = t === 0 ? 0 : 2 ** (10 * (t - 1)); break;
      default: f = t;
    }
    out.push(Math.round(p.minDelayTarget + span * f));
  }
  for (let i = 0; i < p.numMaxDelayRetries; i++) out.push(p.maxDelayTarget);
  return out;
}
