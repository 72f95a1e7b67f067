/**
 * Function URLs: the config operations, and the front door that answers
 * `<url-id>.lambda-url.<region>.<domain>` with the function, in payload format 2.0. Auth type
 * NONE is honoured as AWS does: the function's policy must grant `lambda:InvokeFunctionUrl`
 * to `*`; AWS_IAM wants a SigV4 signature and IAM's consent (identity or function policy). The same front door serves code downloads (GetFunction's Code.Location) and
 * invocation statistics (`stats.ts`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppRequest, AppResponse } from '../../gateway/context.js';
import type { ServiceContext, ServiceHost } from '../types.js';
import { lastModified } from './config.js';
import { conflict, notFound, validation } from './errors.js';
import { execute } from './execute.js';
import { page } from './functions.js';
import { resolve, versionOf } from './resolve.js';
import { functionStats } from './stats.js';
import { functionArn, lambdaState, type FunctionRecord, type LambdaState, type UrlConfig } from './store.js';

type In = Record<string, unknown>;

export function urlOf(endpoint: string, region: string, urlId: string): string {
  const e = new URL(endpoint);
  return `${e.protocol}//${urlId}.lambda-url.${region}.localhost.localstack.cloud${e.port ? `:${e.port}` : ''}/`;
}

function show(ctx: ServiceContext, state: LambdaState, fn: FunctionRecord, q: string, u: UrlConfig): In {
  const out: In = {
    FunctionUrl: urlOf(ctx.endpoint, state.region, u.urlId), FunctionArn: functionArn(state.account, state.region, fn.name, q || undefined),
    AuthType: u.authType, CreationTime: lastModified(u.createdMs), LastModifiedTime: lastModified(u.lastModifiedMs), InvokeMode: u.invokeMode,
  };
  if (u.cors) out['Cors'] = u.cors;
  return out;
}

function checkAuth(input: In): void {
  const t = input['AuthType'];
  if (t !== undefined && t !== 'NONE' && t !== 'AWS_IAM') throw validation(String(t), 'authType', 'Member must satisfy enum value set: [NONE, AWS_IAM]');
  const m = input['InvokeMode'];
  if (m !== undefined && m !== 'BUFFERED' && m !== 'RESPONSE_STREAM') throw validation(String(m), 'invokeMode', 'Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]');
}

function target(ctx: ServiceContext, input: In) {
  const r = resolve(ctx, input);
  if (r.ref.qualifier !== undefined && r.alias === undefined && r.ref.qualifier !== '$LATEST') {
    throw validation(r.ref.qualifier, 'qualifier', 'Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)');
  }
  return { ...r, q: r.ref.qualifier === '$LATEST' ? '' : r.ref.qualifier ?? '' };
}

export function createFunctionUrlConfig(input: In, ctx: ServiceContext): In {
  checkAuth(input);
  const r = target(ctx, input);
  if (r.fn.urls[r.q]) throw conflict(`Failed to create function url config for [functionArn = ${functionArn(r.state.account, r.state.region, r.fn.name, r.q || undefined)}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
  const now = ctx.clock.nowMs();
  const u: UrlConfig = {
    urlId: randomBytes(16).toString('hex'), authType: String(input['AuthType'] ?? 'AWS_IAM'), invokeMode: String(input['InvokeMode'] ?? 'BUFFERED'),
    createdMs: now, lastModifiedMs: now,
  };
  if (input['Cors'] !== undefined) u.cors = input['Cors'] as Record<string, unknown>;
  r.fn.urls[r.q] = u;
  r.state.functions.set(r.fn.name, r.fn);
  const out = show(ctx, r.state, r.fn, r.q, u);
  delete out['LastModifiedTime'];
  return out;
}

function existing(ctx: ServiceContext, input: In) {
  const r = target(ctx, input);
  const u = r.fn.urls[r.q];
  if (!u) throw notFound('The resource you requested does not exist.');
  return { ...r, u };
}

export function getFunctionUrlConfig(input: In, ctx: ServiceContext): In {
  const r = existing(ctx, input);
  return show(ctx, r.state, r.fn, r.q, r.u);
}

export function updateFunctionUrlConfig(input: In, ctx: ServiceContext): In {
  checkAuth(input);
  const r = existing(ctx, input);
  if (input['AuthType'] !== undefined) r.u.authType = String(input['AuthType']);
  if (input['InvokeMode'] !== undefined) r.u.invokeMode = String(input['InvokeMode']);
  if (input['Cors'] !== undefined) r.u.cors = input['Cors'] as Record<string, unknown>;
  r.u.lastModifiedMs = ctx.clock.nowMs();
  r.state.functions.set(r.fn.name, r.fn);
  return show(ctx, r.state, r.fn, r.q, r.u);
}

export function deleteFunctionUrlConfig(input: In, ctx: ServiceContext): In {
  const r = existing(ctx, input);
  delete r.fn.urls[r.q];
  r.state.functions.set(r.fn.name, r.fn);
  return {};
}

export function listFunctionUrlConfigs(input: In, ctx: ServiceContext): In {
  const r = target(ctx, { FunctionName: input['FunctionName'] });
  const rows = Object.entries(r.fn.urls).map(([q, u]) => show(ctx, r.state, r.fn, q, u));
  return page(rows, input, 'FunctionUrlConfigs');
}

function reply(status: number, body: string | Buffer, headers: Record<string, string> = {}): AppResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

function header(h: AppRequest['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Whether the function's policy lets anyone call a NONE-auth URL. */
function publicAllowed(fn: FunctionRecord, q: string): boolean {
  return (fn.policies[q] ?? []).some((s) => s.Principal === '*' && (s.Action === 'lambda:InvokeFunctionUrl' || s.Action === 'lambda:*' || s.Action === '*'));
}

/** The front door for `<id>.lambda-url.…` hosts (and `code.lambda-url.…` downloads). */
export async function frontDoor(http: AppRequest, host: ServiceHost): Promise<AppResponse | undefined> {
  const hostname = (header(http.headers, 'host') ?? '').toLowerCase();
  const m = /^([a-z0-9]+)\.lambda-url\.([a-z0-9-]+)\./.exec(hostname);
  if (!m) return undefined;
  const [, id, region] = m;
  if (id === 'code') {
    const c = /^\/(\d{12})\/([0-9a-f]{64})$/.exec(http.url);
    const bytes = c ? lambdaState(host.stores, c[1]!, region!).code.get(c[2]!) : undefined;
    return bytes ? { status: 200, headers: { 'content-type': 'application/zip' }, body: Buffer.from(bytes) } : reply(404, '{"Message":"Not Found"}');
  }
  if (id === 'stats') {
    const [path, query = ''] = http.url.split('?', 2);
    const c = /^\/(\d{12})\/([a-zA-Z0-9-_]{1,64})$/.exec(path ?? '');
    if (!c) return reply(404, '{"Message":"Not Found"}');
    const since = Number(new URLSearchParams(query).get('since') ?? 0);
    return reply(200, JSON.stringify(functionStats(host, c[1]!, region!, c[2]!, since)));
  }
  for (const { account } of host.stores.accountsRegions('lambda')) {
    const state = lambdaState(host.stores, account, region!);
    for (const fn of state.functions.values()) {
      for (const [q, u] of Object.entries(fn.urls)) if (u.urlId === id) return invokeUrl(http, host, state, fn, q, u);
    }
  }
  return reply(404, '{"Message":null}');
}

const FORBIDDEN = (): AppResponse => reply(403, '{"Message":"Forbidden"}', { 'x-amzn-errortype': 'AccessDeniedException' });

/**
 * AWS_IAM: the request is SigV4-signed for `lambda` and the signer may `lambda:InvokeFunctionUrl`
 * (identity policy or function policy, with `lambda:FunctionUrlAuthType`). What the event's
 * `requestContext.authorizer.iam` tells the function about the caller, or the refusal.
 */
async function iamCaller(http: AppRequest, host: ServiceHost, state: LambdaState, fn: FunctionRecord, q: string): Promise<In | AppResponse> {
  const auth = await host.authorizeRequest(http, {
    service: 'lambda', action: 'lambda:InvokeFunctionUrl', resource: functionArn(state.account, state.region, fn.name, q || undefined),
    context: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' },
  });
  if (!auth.ok) return auth.reason === 'signature' ? reply(403, JSON.stringify({ message: auth.message }), { 'x-amzn-errortype': auth.code }) : FORBIDDEN();
  const p = auth.principal;
  const accessKey = /Credential=([^/]+)/.exec(header(http.headers, 'authorization') ?? '')?.[1] ?? new URLSearchParams(http.url.split('?')[1] ?? '').get('X-Amz-Credential')?.split('/')[0];
  return { accessKey, accountId: p.account, callerId: p.userId, cognitoIdentity: null, principalOrgId: null, userArn: p.arn, userId: p.userId };
}

async function invokeUrl(http: AppRequest, host: ServiceHost, state: LambdaState, fn: FunctionRecord, q: string, u: UrlConfig): Promise<AppResponse> {
  let iam: In | undefined;
  if (u.authType === 'AWS_IAM') {
    const caller = await iamCaller(http, host, state, fn, q);
    if ('status' in caller && 'body' in caller) return caller as AppResponse;
    iam = caller;
  } else if (!publicAllowed(fn, q)) return FORBIDDEN();
  const found = versionOf(fn, q || undefined);
  if (!found) return reply(404, '{"Message":null}');
  const [path, query = ''] = http.url.split(/\?(.*)/s, 2);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(http.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const text = http.body.length > 0 && /^(application\/(json|.*\+json|x-www-form-urlencoded)|text\/)/.test(headers['content-type'] ?? 'text/');
  const qs = new URLSearchParams(query);
  const now = host.clock.now();
  const event: In = {
    version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: query, headers,
    requestContext: {
      accountId: iam ? iam['accountId'] : 'anonymous', apiId: u.urlId, ...(iam ? { authorizer: { iam } } : {}), domainName: headers['host'], domainPrefix: u.urlId,
      http: { method: http.method, path, protocol: 'HTTP/1.1', sourceIp: http.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(), routeKey: '$default', stage: '$default', time: now.toISOString(), timeEpoch: now.getTime(),
    },
    isBase64Encoded: !text && http.body.length > 0,
  };
  if (query !== '') event['queryStringParameters'] = Object.fromEntries([...qs.keys()].map((k) => [k, qs.getAll(k).join(',')]));
  if (headers['cookie']) event['cookies'] = headers['cookie'].split(/;\s*/);
  if (http.body.length > 0) event['body'] = text ? http.body.toString('utf8') : http.body.toString('base64');
  let ran;
  try {
    ran = await execute(host, state, fn, found.cfg, Buffer.from(JSON.stringify(event)), q ? { qualifier: q } : {});
  } catch {
    return reply(429, '{"Message":"Rate Exceeded."}');
  }
  if (ran.functionError !== undefined) return reply(502, '{"Message":"Internal Server Error"}');
  return shape(ran.payload, u);
}

/** The HTTP response a 2.0 payload describes (an object without statusCode is the JSON body). */
function shape(payload: Buffer, u: UrlConfig): AppResponse {
  const cors: Record<string, string> = {};
  const origins = (u.cors?.['AllowOrigins'] as string[] | undefined) ?? [];
  if (origins.length > 0) cors['access-control-allow-origin'] = origins.join(',');
  let out: unknown;
  try { out = JSON.parse(payload.toString('utf8')); } catch { return reply(200, payload, cors); }
  if (out === null || typeof out !== 'object' || !('statusCode' in out)) return reply(200, payload, cors);
  const r = out as { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean; cookies?: string[] };
  const headers: Record<string, string> = { 'content-type': 'application/json', ...cors };
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (r.cookies?.length) headers['set-cookie'] = r.cookies.join(', ');
  const body = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
  return { status: r.statusCode, headers, body };
}
