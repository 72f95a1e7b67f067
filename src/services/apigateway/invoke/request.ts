/**
 * An invoke-URL request as the data plane sees it: which API and stage it names (either URL
 * form), the resource path, single- and multi-value query and headers, and the ids AWS puts
 * in `$context`.
 */
import { randomUUID } from 'node:crypto';
import type { AppRequest } from '../../../gateway/context.js';
import type { ServiceHost } from '../../types.js';
import { apigatewayState, type RestApiRecord } from '../store.js';

export interface InvokeRequest {
  method: string;
  /** Path below the stage, e.g. `/pets/1` (still percent-encoded). */
  path: string;
  rawQuery: string;
  query: Record<string, string>;
  multiQuery: Record<string, string[]>;
  /** Header names as the client sent them (Node lower-cases them). */
  headers: Record<string, string>;
  multiHeaders: Record<string, string[]>;
  body: Buffer;
  sourceIp: string;
  requestId: string;
  extendedRequestId: string;
  nowMs: number;
  /** `<id>.execute-api.<region>.amazonaws.com` style host as received, or Drydock's. */
  domainName: string;
}

export interface Addressed {
  apiId: string;
  /** First path segment after the API (the stage name for REST APIs). */
  stage: string;
  /** The rest of the path, starting with `/`. */
  rest: string;
  /** The full path after the API id (HTTP APIs with a `$default` stage have no stage segment). */
  full: string;
}

/** Reads API id, stage and path from `/restapis/<id>/<stage>/_user_request_/<path>` or `<id>.execute-api.<…>/<stage>/<path>`. */
export function addressOf(http: AppRequest): Addressed | undefined {
  const q = http.url.indexOf('?');
  const path = q < 0 ? http.url : http.url.slice(0, q);
  const m = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/.exec(path);
  if (m) return { apiId: m[1]!, stage: decodeURIComponent(m[2]!), rest: m[3] ?? '/', full: `/${m[2]}${m[3] ?? ''}` };
  const host = String(http.headers['host'] ?? '').toLowerCase();
  const h = /^([a-z0-9]+)\.execute-api\./.exec(host);
  if (!h) return undefined;
  const s = /^\/([^/]*)(\/.*)?$/.exec(path);
  return { apiId: h[1]!, stage: decodeURIComponent(s?.[1] ?? ''), rest: s?.[2] ?? '/', full: path || '/' };
}

/** The account and region whose state holds REST API `apiId`. */
export function findRestApi(host: ServiceHost, apiId: string): { account: string; region: string; api: RestApiRecord } | undefined {
  for (const { account, region } of host.stores.accountsRegions('apigateway')) {
    const api = apigatewayState(host.stores, account, region).restApis.get(apiId);
    if (api) return { account, region, api };
  }
  return undefined;
}

function single(v: string | string[] | undefined): string {
  return Array.isArray(v) ? v.join(',') : v ?? '';
}

export function invokeRequest(http: AppRequest, path: string, nowMs: number): InvokeRequest {
  const q = http.url.indexOf('?');
  const rawQuery = q < 0 ? '' : http.url.slice(q + 1);
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const headers: Record<string, string> = {};
  const multiHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(http.headers)) {
    if (v === undefined) continue;
    headers[k] = single(v);
    multiHeaders[k] = Array.isArray(v) ? v : [v];
  }
  return {
    method: http.method.toUpperCase(), path, rawQuery, query, multiQuery, headers, multiHeaders, body: http.body,
    sourceIp: http.sourceIp ?? '127.0.0.1', requestId: randomUUID(), extendedRequestId: randomUUID().replace(/-/g, '').slice(0, 16) + '=',
    nowMs, domainName: single(http.headers['host']),
  };
}

/** Case-insensitive header lookup. */
export function header(req: InvokeRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
