/**
 * JWT authorizers: the token from the identity source (`Bearer ` optional), its signature
 * checked with the issuer's keys (JWKS from the issuer's OpenID discovery document), `iss`
 * equal to the issuer, `aud` or `client_id` among the audiences, `exp`/`nbf` on Drydock's
 * clock, and the route's scopes against `scope`/`scp`. 401 when the token fails, 403 when
 * its scopes do not cover the route.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { ServiceHost } from '../../types.js';
import type { AuthorizerRecord, RouteRecord } from '../store.js';
import { identityValue, type V2Invocation } from './request.js';

export type AuthOutcome = { ok: true; context: Record<string, unknown> } | { ok: false; status: 401 | 403 | 500 };

const keySets = new WeakMap<ServiceHost, Map<string, ReturnType<typeof createRemoteJWKSet>>>();

async function keysFor(host: ServiceHost, issuer: string): Promise<ReturnType<typeof createRemoteJWKSet>> {
  let m = keySets.get(host);
  if (!m) keySets.set(host, (m = new Map()));
  const known = m.get(issuer);
  if (known) return known;
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`discovery document answered ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: string };
  if (!doc.jwks_uri) throw new Error('discovery document has no jwks_uri');
  const set = createRemoteJWKSet(new URL(doc.jwks_uri));
  m.set(issuer, set);
  return set;
}

function scopesOf(claims: JWTPayload): string[] {
  const s = claims['scope'] ?? claims['scp'];
  if (Array.isArray(s)) return s.map(String);
  return typeof s === 'string' ? s.split(' ').filter(Boolean) : [];
}

export async function jwtAuthorize(inv: V2Invocation, a: AuthorizerRecord, route: RouteRecord): Promise<AuthOutcome> {
  const raw = identityValue(inv, a.IdentitySource?.[0] ?? '$request.header.Authorization');
  if (!raw) return { ok: false, status: 401 };
  const token = raw.replace(/^Bearer\s+/i, '');
  const issuer = a.JwtConfiguration?.Issuer ?? '';
  let claims: JWTPayload;
  try {
    const keys = await keysFor(inv.host, issuer);
    ({ payload: claims } = await jwtVerify(token, keys, { issuer, currentDate: new Date(inv.nowMs) }));
  } catch {
    return { ok: false, status: 401 };
  }
  const audiences = a.JwtConfiguration?.Audience ?? [];
  const aud = ([] as unknown[]).concat(claims.aud ?? [], claims['client_id'] ?? []).map(String);
  if (!aud.some((x) => audiences.includes(x))) return { ok: false, status: 401 };
  const scopes = scopesOf(claims);
  const needed = route.AuthorizationScopes ?? [];
  if (needed.length && !needed.some((s) => scopes.includes(s))) return { ok: false, status: 403 };
  const flat = Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, typeof v === 'string' ? v : Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));
  return { ok: true, context: { jwt: { claims: flat, scopes: scopes.length ? scopes : null } } };
}
