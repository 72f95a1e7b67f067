/**
 * Lambda authorizers (TOKEN and REQUEST) as API Gateway runs them: identity sources read
 * from the request (missing ones answer 401 without calling the function), the validation
 * expression (TOKEN), the function's policy evaluated by the IAM engine against the method
 * ARN, and the result cached per identity for the authorizer's TTL, so a cached policy is
 * applied to every method the same identity calls until it expires (as on AWS).
 */
import { evaluate, parsePolicy, type Decision } from '../../../engines/iam-policy/index.js';
import type { Stores } from '../../../core/store.js';
import type { AuthorizerRecord } from '../store.js';
import { methodArn, requestContextOf, type Invocation } from './context.js';
import { GatewayFailure } from './failure.js';
import { functionOfUri, invokeFunction } from './lambda.js';
import { sourceValue } from './mapping.js';

interface AuthorizerResult {
  principalId: string;
  policy: unknown;
  context: Record<string, unknown>;
  usageIdentifierKey?: string;
}

// Keyed by the app's stores, which handlers (FlushStageAuthorizersCache) and the front door both see.
const caches = new WeakMap<Stores, Map<string, { expiresMs: number; result: AuthorizerResult }>>();

/** Drops the cached results of an API's authorizers (FlushStageAuthorizersCache). */
export function flushAuthorizerCache(stores: Stores, account: string, apiId: string): void {
  const cache = caches.get(stores);
  for (const key of [...(cache?.keys() ?? [])]) if (key.startsWith(`${account}/${apiId}/`)) cache!.delete(key);
}

const unauthorized = (): GatewayFailure => new GatewayFailure('UNAUTHORIZED', 'Unauthorized');
const configError = (): GatewayFailure => new GatewayFailure('AUTHORIZER_CONFIGURATION_ERROR', '');

/** The identity values the sources name, or undefined when one is missing or empty. */
function identity(a: AuthorizerRecord, inv: Invocation): string[] | undefined {
  const sources = (a.identitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const values = sources.map((s) => sourceValue(s, inv));
  return values.every((v) => v !== undefined && v !== '') ? (values as string[]) : undefined;
}

function eventFor(a: AuthorizerRecord, inv: Invocation, values: string[]): Record<string, unknown> {
  if (a.type === 'TOKEN') return { type: 'TOKEN', methodArn: methodArn(inv), authorizationToken: values[0] };
  const r = inv.req;
  return {
    type: 'REQUEST', methodArn: methodArn(inv), resource: inv.match!.resource.path, path: r.path, httpMethod: r.method,
    headers: r.headers, multiValueHeaders: r.multiHeaders, queryStringParameters: r.query, multiValueQueryStringParameters: r.multiQuery,
    pathParameters: inv.match!.pathParameters, stageVariables: inv.stage.variables ?? {}, requestContext: requestContextOf(inv),
  };
}

function readResult(payload: string): AuthorizerResult {
  let o: Record<string, unknown>;
  try { o = JSON.parse(payload) as Record<string, unknown>; } catch { throw configError(); }
  if (!o || typeof o !== 'object' || typeof o['principalId'] !== 'string' || !o['policyDocument']) throw configError();
  const context = (o['context'] ?? {}) as Record<string, unknown>;
  // AWS accepts only strings, numbers and booleans as context values.
  if (Object.values(context).some((v) => !['string', 'number', 'boolean'].includes(typeof v))) throw configError();
  return { principalId: o['principalId'], policy: o['policyDocument'], context, usageIdentifierKey: o['usageIdentifierKey'] as string | undefined };
}

/** Whether the returned policy lets the principal call execute-api:Invoke on the method. */
function decide(result: AuthorizerResult, inv: Invocation): Decision {
  let policy;
  try { policy = parsePolicy(result.policy as object, { kind: 'identity', id: 'authorizer-policy' }); } catch { throw configError(); }
  return evaluate({
    principal: { arn: `arn:aws:iam::${inv.account}:user/authorizer`, account: inv.account, type: 'user', userId: result.principalId },
    action: 'execute-api:Invoke', resources: [methodArn(inv)], context: {}, identityPolicies: [policy], resourceAccount: inv.account,
    now: inv.host.clock.now(),
  });
}

/** Runs the method's authorizer; fills `inv.authorizer` or throws the failure AWS answers. */
export async function authorize(inv: Invocation, a: AuthorizerRecord): Promise<void> {
  if (a.type === 'COGNITO_USER_POOLS') throw configError();
  const values = identity(a, inv);
  if (!values) throw unauthorized();
  if (a.type === 'TOKEN' && a.identityValidationExpression) {
    let ok = false;
    try { ok = new RegExp(`^(?:${a.identityValidationExpression})$`).test(values[0]!); } catch { ok = false; }
    if (!ok) throw unauthorized();
  }
  let cache = caches.get(inv.host.stores);
  if (!cache) caches.set(inv.host.stores, (cache = new Map()));
  const key = `${inv.account}/${inv.api.id}/${a.id}/${values.join('\u0000')}`;
  const now = inv.host.clock.nowMs();
  const hit = cache.get(key);
  let result = hit && hit.expiresMs > now ? hit.result : undefined;
  if (!result) {
    const fn = functionOfUri(a.authorizerUri);
    if (!fn) throw configError();
    let answer;
    try {
      answer = await invokeFunction(inv.host, inv.account, inv.region, fn, JSON.stringify(eventFor(a, inv, values)),
        `arn:aws:execute-api:${inv.region}:${inv.account}:${inv.api.id}/authorizers/${a.id}`, a.authorizerCredentials);
    } catch {
      throw configError();
    }
    if (answer.functionError) {
      let message = '';
      try { message = String((JSON.parse(answer.payload) as { errorMessage?: unknown }).errorMessage ?? ''); } catch { message = ''; }
      if (message === 'Unauthorized') throw unauthorized();
      throw configError();
    }
    result = readResult(answer.payload);
    const ttl = a.authorizerResultTtlInSeconds ?? 300;
    if (ttl > 0) cache.set(key, { expiresMs: now + ttl * 1000, result });
  }
  const d = decide(result, inv);
  if (d.decision !== 'Allow') {
    const explicit = d.decision === 'ExplicitDeny';
    const message = `User is not authorized to access this resource${explicit ? ' with an explicit deny' : ''}`;
    throw new GatewayFailure('ACCESS_DENIED', message, {}, undefined, JSON.stringify({ Message: message }));
  }
  inv.authorizer = { ...result.context, principalId: result.principalId, integrationLatency: 0 };
  inv.usageIdentifierKey = result.usageIdentifierKey;
}
