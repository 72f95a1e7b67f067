/**
 * Delivering to an API destination: an HTTP request to its endpoint with the connection's
 * authorization (Basic, an API key header, or an OAuth client-credentials token fetched from
 * the authorization endpoint and cached), the connection's and target's HTTP parameters, at
 * most InvocationRateLimitPerSecond requests per second of clock time. 429 and 5xx answers are
 * retried (as AWS does); other 4xx answers are not.
 */
import { AwsError } from '../../core/errors.js';
import { parseArn } from '../../core/ids.js';
import type { ServiceHost } from '../types.js';
import { eventsState, type ApiDestinationRecord, type ConnectionRecord, type EventsState, type Target } from './store.js';

/** Connection parameters are `[{Key, Value}]` lists; a target's HttpParameters are maps. */
type Params = { Key?: string; Value?: string }[] | Record<string, string> | undefined;
interface HttpParameters { HeaderParameters?: Params; QueryStringParameters?: Params; BodyParameters?: Params }

const TIMEOUT_MS = 5000;
const buckets = new WeakMap<ServiceHost, Map<string, { second: number; used: number }>>();
const tokens = new WeakMap<ServiceHost, Map<string, { token: string; untilMs: number }>>();

/** Takes one request of the destination's per-second allowance, or throws a throttling error. */
function takeToken(host: ServiceHost, d: ApiDestinationRecord): void {
  let m = buckets.get(host);
  if (!m) buckets.set(host, (m = new Map()));
  const second = Math.floor(host.clock.nowMs() / 1000);
  const b = m.get(d.arn);
  if (!b || b.second !== second) m.set(d.arn, { second, used: 1 });
  else if (b.used >= d.rateLimit) throw new AwsError('ThrottlingException', `API destination ${d.name} is over its rate of ${d.rateLimit} per second`, 429);
  else b.used++;
}

function apply(params: Params, to: (k: string, v: string) => void): void {
  if (Array.isArray(params)) for (const p of params) { if (p.Key !== undefined) to(p.Key, p.Value ?? ''); }
  else for (const [k, v] of Object.entries(params ?? {})) to(k, v);
}

async function oauthToken(host: ServiceHost, c: ConnectionRecord): Promise<string> {
  let m = tokens.get(host);
  if (!m) tokens.set(host, (m = new Map()));
  const hit = m.get(c.arn);
  if (hit && hit.untilMs > host.clock.nowMs()) return hit.token;
  const o = c.authParameters['OAuthParameters'] as { AuthorizationEndpoint: string; HttpMethod?: string; ClientParameters?: { ClientID?: string; ClientSecret?: string }; OAuthHttpParameters?: HttpParameters };
  const url = new URL(o.AuthorizationEndpoint);
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${o.ClientParameters?.ClientID ?? ''}:${o.ClientParameters?.ClientSecret ?? ''}`).toString('base64')}`,
  };
  apply(o.OAuthHttpParameters?.HeaderParameters, (k, v) => { headers[k.toLowerCase()] = v; });
  apply(o.OAuthHttpParameters?.QueryStringParameters, (k, v) => url.searchParams.set(k, v));
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  apply(o.OAuthHttpParameters?.BodyParameters, (k, v) => form.set(k, v));
  const method = o.HttpMethod ?? 'POST';
  if (method !== 'GET') headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(url, { method, headers, body: method === 'GET' ? undefined : form.toString(), signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
  if (!res.ok || !body.access_token) throw new AwsError('AuthorizationFailure', `OAuth token request to ${url.origin} failed with HTTP ${res.status}`, res.status >= 500 ? 503 : 400);
  m.set(c.arn, { token: body.access_token, untilMs: host.clock.nowMs() + (body.expires_in ?? 3600) * 1000 });
  return body.access_token;
}

function findByArn<T extends { arn: string }>(items: Iterable<T>, arn: string): T | undefined {
  for (const x of items) if (x.arn === arn) return x;
  return undefined;
}

/** Sends `body` to the API destination a target names. */
export async function sendToApiDestination(host: ServiceHost, target: Target, body: string): Promise<void> {
  const a = parseArn(target.Arn)!;
  const s: EventsState = eventsState(host.stores, a.account, a.region);
  const d = findByArn(s.destinations.values(), target.Arn);
  if (!d) throw new AwsError('ResourceNotFoundException', `API destination ${target.Arn} does not exist.`, 400);
  const c = findByArn(s.connections.values(), d.connectionArn);
  if (!c || c.state !== 'AUTHORIZED') throw new AwsError('AuthorizationFailure', `Connection ${d.connectionArn} is not authorized.`, 400);
  takeToken(host, d);
  const http = (target['HttpParameters'] ?? {}) as HttpParameters & { PathParameterValues?: string[] };
  let endpoint = d.endpoint;
  for (const v of http.PathParameterValues ?? []) endpoint = endpoint.replace('*', encodeURIComponent(v));
  const url = new URL(endpoint);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Amazon/EventBridge/ApiDestinations' };
  const invocation = c.authParameters['InvocationHttpParameters'] as HttpParameters | undefined;
  for (const p of [invocation, http]) {
    apply(p?.HeaderParameters, (k, v) => { headers[k.toLowerCase()] = v; });
    apply(p?.QueryStringParameters, (k, v) => url.searchParams.set(k, v));
  }
  const basic = c.authParameters['BasicAuthParameters'] as { Username?: string; Password?: string } | undefined;
  const key = c.authParameters['ApiKeyAuthParameters'] as { ApiKeyName?: string; ApiKeyValue?: string } | undefined;
  if (c.authorizationType === 'BASIC' && basic) headers['authorization'] = `Basic ${Buffer.from(`${basic.Username ?? ''}:${basic.Password ?? ''}`).toString('base64')}`;
  if (c.authorizationType === 'API_KEY' && key?.ApiKeyName) headers[key.ApiKeyName.toLowerCase()] = key.ApiKeyValue ?? '';
  if (c.authorizationType === 'OAUTH_CLIENT_CREDENTIALS') headers['authorization'] = `Bearer ${await oauthToken(host, c)}`;
  const send = !['GET', 'HEAD'].includes(d.httpMethod);
  let res: Response;
  try {
    res = await fetch(url, { method: d.httpMethod, headers, body: send ? body : undefined, signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.arrayBuffer();
  } catch (e) {
    throw new AwsError('ServiceUnavailable', `API destination ${d.name} could not be reached: ${e instanceof Error ? e.message : String(e)}`, 503);
  }
  if (res.status === 429 || res.status >= 500) throw new AwsError(res.status === 429 ? 'ThrottlingException' : 'ServiceUnavailable', `API destination ${d.name} answered HTTP ${res.status}`, res.status === 429 ? 429 : 503);
  if (res.status >= 400) throw new AwsError('SdkClientException', `API destination ${d.name} answered HTTP ${res.status}`, 400);
}
