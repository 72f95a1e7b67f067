/**
 * Lambda authorizers of HTTP APIs: payload 2.0 (or 1.0) REQUEST events, simple responses
 * (`isAuthorized`) or IAM policies (evaluated by the IAM engine against the route ARN),
 * results cached per identity for the TTL. Missing identity: 401; refused: 403.
 */
import { evaluate, parsePolicy } from '../../../engines/iam-policy/index.js';
import type { Stores } from '../../../core/store.js';
import type { AuthorizerRecord } from '../store.js';
import { eventV1 } from './events.js';
import type { AuthOutcome } from './jwt.js';
import { callFunction, functionArnOf } from './lambda.js';
import { identityValue, queryOf, requestContext, routeArn, routeKeyOf, type V2Invocation } from './request.js';

// Keyed by the app's stores, which the front door and ResetAuthorizersCache both see.
const caches = new WeakMap<Stores, Map<string, { expiresMs: number; outcome: AuthOutcome }>>();

/** Drops an API's cached authorizer results (ResetAuthorizersCache). */
export function resetAuthorizerCache(stores: Stores, account: string, apiId: string): void {
  const cache = caches.get(stores);
  for (const key of [...(cache?.keys() ?? [])]) if (key.startsWith(`${account}/${apiId}/`)) cache!.delete(key);
}

function eventFor(inv: V2Invocation, a: AuthorizerRecord, identity: string[]): Record<string, unknown> {
  if (a.AuthorizerPayloadFormatVersion === '1.0') return { ...eventV1(inv), type: 'REQUEST', methodArn: routeArn(inv), identitySource: identity.join(',') };
  return JSON.parse(JSON.stringify({
    version: '2.0', type: 'REQUEST', routeArn: routeArn(inv), identitySource: identity, routeKey: routeKeyOf(inv), rawPath: inv.rawPath,
    rawQueryString: inv.rawQuery, headers: inv.headers, queryStringParameters: queryOf(inv), requestContext: requestContext(inv),
    pathParameters: inv.match?.pathParameters, stageVariables: inv.stage.StageVariables,
  })) as Record<string, unknown>;
}

function outcomeOf(inv: V2Invocation, a: AuthorizerRecord, payload: string): AuthOutcome {
  let o: Record<string, unknown>;
  try { o = JSON.parse(payload) as Record<string, unknown>; } catch { return { ok: false, status: 500 }; }
  if (a.EnableSimpleResponses) {
    if (typeof o['isAuthorized'] !== 'boolean') return { ok: false, status: 500 };
    return o['isAuthorized'] ? { ok: true, context: { lambda: o['context'] ?? {} } } : { ok: false, status: 403 };
  }
  let allowed = false;
  try {
    const policy = parsePolicy(o['policyDocument'] as object, { kind: 'identity', id: 'authorizer-policy' });
    allowed = evaluate({
      principal: { arn: `arn:aws:iam::${inv.account}:user/authorizer`, account: inv.account, type: 'user', userId: String(o['principalId'] ?? '') },
      action: 'execute-api:Invoke', resources: [routeArn(inv)], context: {}, identityPolicies: [policy], resourceAccount: inv.account, now: new Date(inv.nowMs),
    }).decision === 'Allow';
  } catch {
    return { ok: false, status: 500 };
  }
  return allowed ? { ok: true, context: { lambda: { ...(o['context'] as object ?? {}), principalId: o['principalId'] } } } : { ok: false, status: 403 };
}

export async function lambdaAuthorize(inv: V2Invocation, a: AuthorizerRecord): Promise<AuthOutcome> {
  const identity = (a.IdentitySource ?? []).map((s) => identityValue(inv, s));
  if (identity.some((v) => v === undefined || v === '')) return { ok: false, status: 401 };
  const ttl = a.AuthorizerResultTtlInSeconds ?? 0;
  let cache = caches.get(inv.host.stores);
  if (!cache) caches.set(inv.host.stores, (cache = new Map()));
  const key = `${inv.account}/${inv.api.ApiId}/${a.AuthorizerId}/${identity.join('\u0000')}`;
  const hit = cache.get(key);
  if (ttl > 0 && hit && hit.expiresMs > inv.nowMs) return hit.outcome;
  const fn = functionArnOf(a.AuthorizerUri);
  if (!fn) return { ok: false, status: 500 };
  let outcome: AuthOutcome;
  try {
    const answer = await callFunction(inv, fn, eventFor(inv, a, identity as string[]),
      `arn:aws:execute-api:${inv.region}:${inv.account}:${inv.api.ApiId}/authorizers/${a.AuthorizerId}`, a.AuthorizerCredentialsArn);
    outcome = answer.functionError ? { ok: false, status: 500 } : outcomeOf(inv, a, answer.payload);
  } catch {
    outcome = { ok: false, status: 500 };
  }
  if (ttl > 0 && (outcome.ok || outcome.status !== 500)) cache.set(key, { expiresMs: inv.nowMs + ttl * 1000, outcome });
  return outcome;
}
