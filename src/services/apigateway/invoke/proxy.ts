/**
 * Lambda proxy integration (v1): the exact event API Gateway sends, and reading the function's
 * answer (`statusCode`, `headers`, `multiValueHeaders`, `body`, `isBase64Encoded`). An answer
 * of another shape is AWS's 502 "Internal server error".
 */
import type { AppResponse } from '../../../gateway/context.js';
import { requestContextOf, type Invocation } from './context.js';
import { GatewayFailure } from './failure.js';
import { header } from './request.js';

function orNull<T extends object>(o: T): T | null {
  return Object.keys(o).length ? o : null;
}

/** Whether the body travels base64-encoded: its content type is one of the API's binary media types. */
export function isBinary(binaryMediaTypes: string[], contentType: string | undefined): boolean {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return binaryMediaTypes.some((t) => {
    const [a, b] = t.toLowerCase().split('/');
    const [x, y] = ct.split('/');
    return (a === '*' || a === x) && (b === '*' || b === y);
  });
}

export function proxyEvent(inv: Invocation): Record<string, unknown> {
  const r = inv.req;
  const binary = isBinary(inv.snapshot.binaryMediaTypes, header(r, 'content-type'));
  return {
    resource: inv.match!.resource.path, path: r.path, httpMethod: r.method,
    headers: orNull(r.headers), multiValueHeaders: orNull(r.multiHeaders),
    queryStringParameters: orNull(r.query), multiValueQueryStringParameters: orNull(r.multiQuery),
    pathParameters: orNull(inv.match!.pathParameters), stageVariables: inv.stage.variables && Object.keys(inv.stage.variables).length ? inv.stage.variables : null,
    requestContext: requestContextOf(inv),
    body: r.body.length ? r.body.toString(binary ? 'base64' : 'utf8') : null,
    isBase64Encoded: binary,
  };
}

function badGateway(): GatewayFailure {
  return new GatewayFailure('DEFAULT_5XX', 'Internal server error', {}, '502');
}

/** The HTTP response a proxy function's answer stands for. */
export function proxyResponse(payload: string, functionError: string | undefined): AppResponse {
  let out: unknown;
  try { out = JSON.parse(payload); } catch { out = undefined; }
  if (functionError || !out || typeof out !== 'object' || Array.isArray(out)) throw badGateway();
  const o = out as Record<string, unknown>;
  const allowed = ['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded', 'cookies'];
  if (Object.keys(o).some((k) => !allowed.includes(k))) throw badGateway();
  const status = o['statusCode'] === undefined ? 200 : Number(o['statusCode']);
  if (!Number.isInteger(status) || status < 100 || status > 599) throw badGateway();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((o['multiValueHeaders'] ?? {}) as Record<string, unknown[]>)) headers[k.toLowerCase()] = (v ?? []).map(String).join(',');
  for (const [k, v] of Object.entries((o['headers'] ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
  headers['content-type'] ??= 'application/json';
  const body = o['body'] === undefined || o['body'] === null ? '' : typeof o['body'] === 'string' ? o['body'] : JSON.stringify(o['body']);
  return { status, headers, body: o['isBase64Encoded'] === true ? Buffer.from(body, 'base64') : body };
}
