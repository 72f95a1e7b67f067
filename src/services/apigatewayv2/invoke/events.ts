/**
 * Lambda proxy payloads of HTTP APIs: format 2.0 (and 1.0, the REST API shape with
 * `version`), and reading a function's answer into an HTTP response, including 2.0's rule
 * that JSON without `statusCode` is a 200 with that JSON as the body.
 */
import type { AppResponse } from '../../../gateway/context.js';
import { queryOf, requestContext, routeKeyOf, type V2Invocation } from './request.js';

const TEXT = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|.*\+(json|xml))/i;

function nonEmpty<T extends object>(o: T): T | undefined {
  return Object.keys(o).length ? o : undefined;
}

/** Body encoding: HTTP APIs base64-encode anything that is not text. */
function bodyOf(inv: V2Invocation): { body?: string; isBase64Encoded: boolean } {
  if (!inv.body.length) return { isBase64Encoded: false };
  const binary = !TEXT.test(inv.headers['content-type'] ?? 'text/plain');
  return { body: inv.body.toString(binary ? 'base64' : 'utf8'), isBase64Encoded: binary };
}

export function eventV2(inv: V2Invocation): Record<string, unknown> {
  const headers = { ...inv.headers };
  const cookies = headers['cookie']?.split(/;\s*/).filter(Boolean);
  delete headers['cookie'];
  const { body, isBase64Encoded } = bodyOf(inv);
  return JSON.parse(JSON.stringify({
    version: '2.0', routeKey: routeKeyOf(inv), rawPath: inv.rawPath, rawQueryString: inv.rawQuery, cookies, headers,
    queryStringParameters: nonEmpty(queryOf(inv)), requestContext: requestContext(inv), body,
    pathParameters: nonEmpty(inv.match?.pathParameters ?? {}), isBase64Encoded, stageVariables: inv.stage.StageVariables,
  })) as Record<string, unknown>;
}

export function eventV1(inv: V2Invocation): Record<string, unknown> {
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(inv.rawQuery)) (multiQuery[k] ??= []).push(v);
  const { body, isBase64Encoded } = bodyOf(inv);
  const ctx = requestContext(inv);
  return {
    version: '1.0', resource: routeKeyOf(inv) === '$default' ? '$default' : routeKeyOf(inv).split(' ')[1], path: inv.rawPath, httpMethod: inv.method,
    headers: inv.headers, multiValueHeaders: Object.fromEntries(Object.entries(inv.headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: nonEmpty(queryOf(inv)) ?? null, multiValueQueryStringParameters: nonEmpty(multiQuery) ?? null,
    requestContext: { ...ctx, httpMethod: inv.method, path: inv.rawPath, protocol: 'HTTP/1.1', resourcePath: routeKeyOf(inv), identity: { sourceIp: inv.sourceIp, userAgent: inv.headers['user-agent'] ?? null } },
    pathParameters: nonEmpty(inv.match?.pathParameters ?? {}) ?? null, stageVariables: inv.stage.StageVariables ?? null, body: body ?? null, isBase64Encoded,
  };
}

export const internalError = (): AppResponse => ({ status: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"Internal Server Error"}' });

/** A function's answer as HTTP. */
export function lambdaResponse(payload: string, functionError: string | undefined, format: string): AppResponse {
  if (functionError) return internalError();
  let out: unknown;
  try { out = JSON.parse(payload); } catch { return format === '2.0' ? { status: 200, headers: { 'content-type': 'application/json' }, body: payload } : internalError(); }
  const o = out && typeof out === 'object' && !Array.isArray(out) ? out as Record<string, unknown> : undefined;
  if (!o || (format === '2.0' && o['statusCode'] === undefined)) {
    if (format !== '2.0') return internalError();
    return { status: 200, headers: { 'content-type': 'application/json' }, body: payload };
  }
  const status = Number(o['statusCode'] ?? 200);
  if (!Number.isInteger(status) || status < 100 || status > 599) return internalError();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((o['multiValueHeaders'] ?? {}) as Record<string, unknown[]>)) headers[k.toLowerCase()] = (v ?? []).map(String).join(',');
  for (const [k, v] of Object.entries((o['headers'] ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
  if (Array.isArray(o['cookies']) && o['cookies'].length) headers['set-cookie'] = o['cookies'].map(String).join(', ');
  headers['content-type'] ??= 'application/json';
  const raw = o['body'] === undefined || o['body'] === null ? '' : typeof o['body'] === 'string' ? o['body'] : JSON.stringify(o['body']);
  return { status, headers, body: o['isBase64Encoded'] === true ? Buffer.from(raw, 'base64') : raw };
}
