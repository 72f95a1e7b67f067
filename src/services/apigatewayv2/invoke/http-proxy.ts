/** HTTP proxy integrations of HTTP APIs: the request forwarded to the URI, path variables filled in. */
import type { AppResponse } from '../../../gateway/context.js';
import type { IntegrationRecord } from '../store.js';
import type { V2Invocation } from './request.js';

const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect', 'upgrade', 'content-encoding']);

export async function proxyHttp(inv: V2Invocation, i: IntegrationRecord): Promise<AppResponse> {
  const params = inv.match?.pathParameters ?? {};
  const url = new URL((i.IntegrationUri ?? '').replace(/\{([^}]+?)\+?\}/g, (_, n: string) => params[n] ?? ''));
  for (const [k, v] of new URLSearchParams(inv.rawQuery)) url.searchParams.append(k, v);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(inv.headers)) if (!HOP.has(k)) headers[k] = v;
  const method = !i.IntegrationMethod || i.IntegrationMethod === 'ANY' ? inv.method : i.IntegrationMethod;
  let res: Response;
  try {
    res = await fetch(url, {
      method, headers, body: ['GET', 'HEAD'].includes(method) ? undefined : new Uint8Array(inv.body), redirect: 'manual', signal: AbortSignal.timeout(i.TimeoutInMillis),
    });
  } catch (e) {
    const timeout = (e as Error).name === 'TimeoutError';
    return { status: timeout ? 504 : 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: timeout ? 'Service Unavailable' : 'Internal Server Error' }) };
  }
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => { if (!HOP.has(k)) out[k] = v; });
  return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
}
