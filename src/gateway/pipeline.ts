import { AwsError, asAwsError, notImplemented } from '../core/errors.js';
import { DEFAULT_REGION, isRegionLike } from '../core/account.js';
import { loadModel, modelIndex } from '../protocols/model.js';
import { protocolFor } from '../protocols/protocols.js';
import { isModelledSigningName, routeRequest } from '../protocols/router.js';
import { queryParams } from '../protocols/xml-protocols.js';
import type { FaultEffect } from '../core/faults.js';
import type { ServiceContext, ServiceDefinition } from '../services/types.js';
import { authenticate, readAuth } from './authenticate.js';
import { authorize } from './authorize.js';
import { isAuthProblem } from '../protocols/sigv4.js';
import type { RequestContext } from './context.js';
import type { OperationMatch, WireResponse } from '../protocols/protocol.js';
import { SerdeError } from '../protocols/values.js';
import type { Drydock } from './app.js';

/**
 * The request pipeline, in order. Each step reads and fills the shared context; a step that
 * throws an AwsError ends the request with that error, serialized in the service's protocol.
 * A step that has nothing to wait for returns nothing (not a promise), so the runner does not
 * spend a microtask on it: most requests pass most steps synchronously.
 */
export type Step = (ctx: RequestContext, app: Drydock) => void | Promise<void>;

/** Runs steps in order until one fails or answers; the error lands on the context. */
export function runSteps(steps: readonly (readonly [string, Step])[], ctx: RequestContext, app: Drydock): void | Promise<void> {
  for (let i = 0; i < steps.length; i++) {
    if (ctx.response) return;
    let r: void | Promise<void>;
    try {
      r = steps[i]![1](ctx, app);
    } catch (e) {
      ctx.error = asAwsError(e);
      return;
    }
    if (r) return r.then(() => runSteps(steps.slice(i + 1), ctx, app), (e: unknown) => { ctx.error = asAwsError(e); });
  }
}

export const PIPELINE: readonly [string, Step][] = [
  ['route', route],
  ['cors-preflight', corsPreflight],
  ['authenticate', authenticate],
  ['account-region', accountRegion],
  ['parse', parse],
  ['authorize', authorize],
  ['faults', faults],
  ['dispatch', dispatch],
];

/** The steps an in-process call runs: it is already routed, authenticated and parsed. */
export const INTERNAL: readonly [string, Step][] = [
  ['authorize', authorize],
  ['faults', faults],
  ['dispatch', dispatch],
];

/** What an in-process call keeps of the closing steps: it has no wire to serialize to. */
export const AUDITED: readonly [string, Step][] = [['audit', audit]];

/** Steps that always run after the others, also for a request that failed. */
export const FINALLY: readonly [string, Step][] = [
  ['serialize', serialize],
  ['cors-headers', corsHeaders],
  ['audit', audit],
];

function route(ctx: RequestContext): void {
  const signature = (ctx.signature = readAuth(ctx));
  const scope = signature && !isAuthProblem(signature) ? { service: signature.service, region: signature.region } : undefined;
  if (scope && !isModelledSigningName(scope.service)) {
    throw new AwsError('UnknownService', `drydock does not model the AWS service signed as \`${scope.service}\``, 400);
  }
  const wire = ctx.wire;
  const r = routeRequest({
    method: ctx.http.method, path: ctx.rawPath, headers: ctx.http.headers, scope,
    // Read only when neither target, scope nor host names the service: a form body is parsed once, later.
    query: () => String(ctx.http.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? queryParams(wire) : wire.query,
  });
  ctx.service = r.service;
  if (r.region && isRegionLike(r.region)) ctx.region = r.region;
  // The wire request is this request's own (newRequestContext made it): updated in place.
  wire.path = r.path;
  wire.bucket = r.bucket;
  ctx.model = loadModel(r.service);
  ctx.protocol = protocolFor(ctx.model, wire);
}

/**
 * A browser's CORS preflight to S3 is unsigned and has no operation in the model: the bucket's
 * CORS configuration answers it directly.
 */
function corsPreflight(ctx: RequestContext, app: Drydock): void | Promise<void> {
  const bucket = ctx.wire.bucket;
  if (ctx.http.method !== 'OPTIONS' || ctx.service !== 's3' || bucket === undefined) return;
  return answerPreflight(ctx, app, bucket);
}

async function answerPreflight(ctx: RequestContext, app: Drydock, bucket: string): Promise<void> {
  await app.service('s3');
  const s3 = await import('../services/s3/index.js');
  const h = (name: string) => { const v = ctx.http.headers[name]; return Array.isArray(v) ? v[0] : v; };
  let key: string | undefined;
  try { key = decodeURIComponent(ctx.wire.path.slice(1)) || undefined; } catch { key = ctx.wire.path.slice(1); }
  const answer = s3.corsPreflight(app.stores, {
    bucket, key, origin: h('origin'), method: h('access-control-request-method'),
    requestHeaders: h('access-control-request-headers'),
  });
  if (!answer.ok) throw answer.error;
  ctx.response = { status: 200, headers: answer.headers, body: '' };
}

function accountRegion(ctx: RequestContext): void {
  ctx.account = ctx.principal!.account;
  ctx.region ||= DEFAULT_REGION;
}

/** Reading the path can fail on bad percent-encoding: that is the client's error, not ours. */
function matchOperation(ctx: RequestContext): OperationMatch | undefined {
  try {
    return ctx.protocol!.match(ctx.model!, ctx.wire);
  } catch (e) {
    if (!(e instanceof SerdeError)) throw e;
    throw ctx.service === 's3'
      ? new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400)
      : new AwsError(ctx.model!.protocol.startsWith('rest') ? 'ValidationException' : 'InvalidParameterValue', e.message, 400);
  }
}

function parse(ctx: RequestContext): void {
  const match = matchOperation(ctx);
  if (!match) {
    const what = ctx.model!.protocol.startsWith('rest') ? `${ctx.http.method} ${ctx.rawPath}` : 'the requested action';
    throw new AwsError(ctx.model!.protocol.startsWith('rest') ? 'UnknownOperationException' : 'InvalidAction',
      `${ctx.model!.sdkId} has no operation for ${what}`, 404);
  }
  ctx.match = match;
  ctx.input = ctx.protocol!.parse(ctx.model!, match, ctx.wire);
}

function faults(ctx: RequestContext, app: Drydock): void | Promise<void> {
  const effect = app.faults.check({ service: ctx.service!, region: ctx.region, operation: ctx.match?.name });
  if (!effect) return;
  if (effect.latencyMs) return new Promise<void>((r) => setTimeout(r, effect.latencyMs)).then(() => applyFault(ctx, effect));
  applyFault(ctx, effect);
}

function applyFault(ctx: RequestContext, effect: FaultEffect): void {
  if (effect.unavailable) {
    throw new AwsError('ServiceUnavailable', `${ctx.model!.endpointPrefix}.${ctx.region}.amazonaws.com is unreachable: ${effect.unavailable.reason}`, 503);
  }
  if (effect.error) throw new AwsError(effect.error.code, effect.error.message, effect.error.status);
}

function dispatch(ctx: RequestContext, app: Drydock): void | Promise<void> {
  // Installed services are at hand without a promise; the first call of one loads it.
  const def = app.installedService(ctx.service!);
  return def === undefined ? app.service(ctx.service!).then((d) => invoke(ctx, app, d)) : invoke(ctx, app, def);
}

function invoke(ctx: RequestContext, app: Drydock, def: ServiceDefinition | null | undefined): void | Promise<void> {
  const operation = ctx.match!.name;
  const handler = def?.handlers[operation];
  if (!handler) throw notImplemented(ctx.service!, operation);
  const sc: ServiceContext = {
    requestId: ctx.requestId, service: ctx.service!, operation, account: ctx.account, region: ctx.region,
    principal: ctx.principal!, accessKeyId: ctx.accessKeyId, sourceIp: ctx.http.sourceIp ?? '127.0.0.1',
    endpoint: app.endpoint, clock: app.clock, stores: app.stores, meter: app.meter, bus: app.bus,
    faults: app.faults, identities: app.identities, ports: app.ports,
    call: (c) => app.call(c.principal ? Object.assign({}, c, { principal: c.principal, region: c.region ?? sc.region })
      : { principal: sc.principal, accessKeyId: sc.accessKeyId, sourceIp: sc.sourceIp, ...c, region: c.region ?? sc.region }),
  };
  const out = handler(ctx.input ?? {}, sc);
  if (isPromise(out)) return out.then((o) => { ctx.output = o ?? {}; });
  ctx.output = out ?? {};
}

function serialize(ctx: RequestContext, app: Drydock): void {
  if (ctx.response && !ctx.error) return;
  const rc = { requestId: ctx.requestId, method: ctx.http.method };
  if (ctx.error || !ctx.output) {
    const err = ctx.error ?? new AwsError('InternalFailure', 'the request produced no result', 500);
    ctx.response = ctx.model && ctx.protocol
      ? ctx.protocol.serializeError(ctx.model, err, rc)
      : app.fallbackError(err, rc);
    return;
  }
  ctx.response = ctx.protocol!.serialize(ctx.model!, ctx.match!.name, ctx.output, rc);
}

/** S3 answers a browser's cross-origin request with the headers its bucket's CORS rules grant. */
function corsHeaders(ctx: RequestContext, app: Drydock): void | Promise<void> {
  const origin = ctx.http.headers['origin'];
  const { bucket } = ctx.wire;
  const response = ctx.response;
  if (ctx.service !== 's3' || typeof origin !== 'string' || !bucket || !response || ctx.http.method === 'OPTIONS') return;
  return addCorsHeaders(ctx, app, { origin, bucket, response });
}

async function addCorsHeaders(ctx: RequestContext, app: Drydock, a: { origin: string; bucket: string; response: WireResponse }): Promise<void> {
  const s3 = await import('../services/s3/index.js');
  const extra = s3.corsHeaders(app.stores, a.bucket, a.origin, ctx.http.method);
  if (extra) ctx.response = Object.assign({}, a.response, { headers: Object.assign({}, a.response.headers, extra) });
}

function audit(ctx: RequestContext, app: Drydock): void {
  app.audit.note({
    eventId: ctx.requestId,
    account: ctx.account,
    region: ctx.region,
    service: ctx.service ?? 'unknown',
    eventSource: eventSource(ctx.model?.endpointPrefix ?? ctx.service ?? 'unknown'),
    action: kept(ctx.match?.name ?? 'Unknown'),
    principalArn: ctx.principal?.arn ?? 'anonymous',
    accessKeyId: ctx.accessKeyId,
    sourceIp: ctx.http.sourceIp ?? '127.0.0.1',
    userAgent: kept(String(ctx.http.headers['user-agent'] ?? '')),
    errorCode: ctx.error?.code,
    errorMessage: ctx.error?.message,
    requestId: ctx.requestId,
  }, ctx.receivedAt.getTime());
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | undefined)?.then === 'function';
}

/**
 * One shared copy of a string that repeats across requests (operation names, user agents): the
 * audit ring keeps thousands of records, and a copy per record is work for the GC.
 */
function kept(s: string): string {
  const known = KEPT.get(s);
  if (known !== undefined) return known;
  if (KEPT.size >= 4096) KEPT.clear();
  KEPT.set(s, s);
  return s;
}
const KEPT = new Map<string, string>();

/** `sqs.amazonaws.com`: one string per service, not one per audited request. */
function eventSource(prefix: string): string {
  let s = EVENT_SOURCES.get(prefix);
  if (s === undefined) EVENT_SOURCES.set(prefix, (s = `${prefix}.amazonaws.com`));
  return s;
}
const EVENT_SOURCES = new Map<string, string>();

/** Names of every registered model, for the health endpoint. */
export function registeredServices(): string[] {
  return Object.keys(modelIndex());
}
