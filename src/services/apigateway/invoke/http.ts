/** Real HTTP requests to an integration's backend, with its timeout. */
import type { IntegrationRecord } from '../store.js';
import type { Invocation } from './context.js';
import { GatewayFailure } from './failure.js';
import type { MappedRequest } from './mapping.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  raw: Buffer | string;
}

/** Headers a proxy must not forward as they are (hop-by-hop, or about this connection). */
const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect', 'upgrade']);

function fill(uri: string, path: Record<string, string>): string {
  return uri.replace(/\{([^}]+?)\+?\}/g, (_, name: string) => path[name] ?? path[`${name}+`] ?? '');
}

/** Sends the mapped request; a proxy forwards the client's headers and query too. */
export async function sendHttp(integration: IntegrationRecord, inv: Invocation, req: MappedRequest, proxy = false): Promise<HttpAnswer> {
  const url = new URL(fill(integration.uri ?? '', req.path));
  const query = proxy ? { ...inv.req.multiQuery } : {};
  for (const [k, vs] of Object.entries(query)) for (const v of vs) url.searchParams.append(k, v);
  for (const [k, v] of Object.entries(req.query)) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (proxy) {
    for (const [k, v] of Object.entries(inv.req.headers)) if (!HOP.has(k.toLowerCase())) headers[k] = v;
  } else {
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, req.headers);
  const method = (integration.httpMethod === 'ANY' ? inv.req.method : integration.httpMethod ?? 'GET').toUpperCase();
  let res: Response;
  try {
    res = await fetch(url, {
      method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(req.body),
      signal: AbortSignal.timeout(integration.timeoutInMillis), redirect: 'manual',
    });
  } catch (e) {
    if ((e as Error).name === 'TimeoutError') throw new GatewayFailure('INTEGRATION_TIMEOUT', 'Endpoint request timed out');
    throw new GatewayFailure('INTEGRATION_FAILURE', 'Internal server error', {}, '500');
  }
  const raw = Buffer.from(await res.arrayBuffer());
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => { if (!HOP.has(k) && k !== 'content-encoding') out[k] = v; });
  return { status: res.status, headers: out, body: raw.toString(), raw };
}
