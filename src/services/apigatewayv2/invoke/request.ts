/** One HTTP API request in flight: where it goes and the ids and views AWS builds from it. */
import { randomUUID } from 'node:crypto';
import type { AppRequest } from '../../../gateway/context.js';
import type { ServiceHost } from '../../types.js';
import type { ApiRecord, Snapshot, StageRecord } from '../store.js';
import type { RouteMatch } from './match.js';

export interface V2Invocation {
  host: ServiceHost;
  account: string;
  region: string;
  api: ApiRecord;
  stage: StageRecord;
  snapshot: Snapshot;
  method: string;
  /** Path after the stage (for `$default`, the whole path). */
  path: string;
  /** The path as received (stage included). */
  rawPath: string;
  rawQuery: string;
  /** Lower-cased header names, values joined by commas. */
  headers: Record<string, string>;
  body: Buffer;
  sourceIp: string;
  requestId: string;
  nowMs: number;
  domainName: string;
  match?: RouteMatch;
  /** requestContext.authorizer as the integration sees it. */
  authorizer?: Record<string, unknown>;
}

export function newInvocation(
  http: AppRequest, host: ServiceHost, where: { account: string; region: string; api: ApiRecord; stage: StageRecord; snapshot: Snapshot },
  path: string, rawPath: string,
): V2Invocation {
  const q = http.url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(http.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return {
    host, ...where, method: http.method.toUpperCase(), path, rawPath, rawQuery: q < 0 ? '' : http.url.slice(q + 1), headers, body: http.body,
    sourceIp: http.sourceIp ?? '127.0.0.1', requestId: randomUUID().replace(/-/g, '').slice(0, 16) + '=', nowMs: host.clock.nowMs(),
    domainName: headers['host'] ?? '',
  };
}

/** Query parameters with repeated names joined by commas, as payload 2.0 carries them. */
export function queryOf(inv: V2Invocation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(inv.rawQuery)) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function routeKeyOf(inv: V2Invocation): string {
  return inv.match?.route.RouteKey ?? '$default';
}

/** `requestContext` of payload 2.0. */
export function requestContext(inv: V2Invocation): Record<string, unknown> {
  return {
    accountId: inv.account, apiId: inv.api.ApiId, ...(inv.authorizer ? { authorizer: inv.authorizer } : {}), domainName: inv.domainName,
    domainPrefix: inv.domainName.split('.')[0], http: { method: inv.method, path: inv.rawPath, protocol: 'HTTP/1.1', sourceIp: inv.sourceIp, userAgent: inv.headers['user-agent'] ?? '' },
    requestId: inv.requestId, routeKey: routeKeyOf(inv), stage: inv.stage.StageName, time: clf(inv.nowMs), timeEpoch: inv.nowMs,
  };
}

/** The execute-api ARN of the route, as Lambda permissions and authorizer policies name it. */
export function routeArn(inv: V2Invocation): string {
  const key = routeKeyOf(inv);
  const tail = key === '$default' ? '$default' : `${inv.method}${inv.path}`;
  return `arn:aws:execute-api:${inv.region}:${inv.account}:${inv.api.ApiId}/${inv.stage.StageName}/${tail}`;
}

/** Reads `$request.header.x`, `$request.querystring.x`, `$context.x`, `$stageVariables.x`. */
export function identityValue(inv: V2Invocation, source: string): string | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^\$request\.header\.(.+)$/.exec(source))) return inv.headers[m[1]!.toLowerCase()];
  if ((m = /^\$request\.querystring\.(.+)$/.exec(source))) return queryOf(inv)[m[1]!];
  if ((m = /^\$stageVariables\.(.+)$/.exec(source))) return inv.stage.StageVariables?.[m[1]!];
  if ((m = /^\$context\.(.+)$/.exec(source))) {
    const v = (requestContext(inv) as Record<string, unknown>)[m[1]!];
    return v === undefined ? undefined : String(v);
  }
  return undefined;
}
