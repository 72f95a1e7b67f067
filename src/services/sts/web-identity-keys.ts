/**
 * Where the signing keys of web identity tokens come from. AWS fetches an OIDC provider's
 * JWKS from the internet; Drydock must work offline, so it knows keys in two ways:
 *
 * 1. keys registered for an issuer with {@link registerWebIdentityKeys} (the admin API or a
 *    test can call it), kept in the `sts` store;
 * 2. an issuer on the loopback interface (`http://localhost:…`, `http://127.0.0.1:…`), such
 *    as a mock identity provider a test starts, is asked for its
 *    `/.well-known/openid-configuration` and the `jwks_uri` it names, as AWS would.
 *
 * For any other issuer no key is known and the token's signature is not checked (its
 * issuer, audience and expiry still are): a documented limitation.
 */
import {
  compactVerify,
  importJWK,
  type CompactJWSHeaderParameters,
  type JWK,
} from 'jose';
import type { Stores } from '../../core/store.js';

/** A JSON Web Key Set: `{ keys: [...] }`. */
export interface Jwks {
  keys: JWK[];
}

function stateOf(stores: Stores): { jwks: import('../../core/store.js').Collection<Jwks> } {
  return stores.global('sts-web-identity', (c) => ({ jwks: c.collection<Jwks>('jwks') }));
}

/** `https://Issuer/path/` → `issuer/path`, the form IAM stores provider URLs in. */
export function normalizeIssuer(iss: string): string {
  return iss.replace(/^https?:\/\//i, '').replace(/\/+$/, '').toLowerCase();
}

/** Registers (replaces) the signing keys Drydock trusts for tokens from `issuer`. */
export function registerWebIdentityKeys(stores: Stores, issuer: string, jwks: Jwks): void {
  if (!Array.isArray(jwks?.keys)) throw new TypeError('a jwks must be an object with a `keys` array');
  stateOf(stores).jwks.set(normalizeIssuer(issuer), { keys: jwks.keys });
}

const LOOPBACK = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i;
const FETCH_TIMEOUT_MS = 2000;

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!res.ok) throw new Error(`\`${url}\` answered ${res.status}`);
  return res.json();
}

/**
 * The keys known for an issuer, or undefined when none can be known (signature unchecked).
 *
 * @throws when a loopback issuer cannot be reached or serves no usable JWKS.
 */
export async function keysFor(stores: Stores, iss: string): Promise<Jwks | undefined> {
  const registered = stateOf(stores).jwks.get(normalizeIssuer(iss));
  if (registered !== undefined) return registered;
  if (!LOOPBACK.test(iss)) return undefined;
  const config = (await fetchJson(`${iss.replace(/\/+$/, '')}/.well-known/openid-configuration`)) as { jwks_uri?: unknown };
  if (typeof config?.jwks_uri !== 'string' || !LOOPBACK.test(config.jwks_uri)) {
    throw new Error('the issuer names no loopback `jwks_uri`');
  }
  const jwks = (await fetchJson(config.jwks_uri)) as Jwks;
  if (!Array.isArray(jwks?.keys)) throw new Error('the jwks has no `keys` array');
  return jwks;
}

const KTY: Record<string, string> = { HS: 'oct', RS: 'RSA', PS: 'RSA', ES: 'EC', Ed: 'OKP' };

/** True when one of the keys verifies the token's signature (HS*, RS*, PS*, ES*, EdDSA). */
export async function signatureValid(token: string, header: CompactJWSHeaderParameters, jwks: Jwks): Promise<boolean> {
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === 'none') return false;
  const kty = KTY[alg.slice(0, 2)];
  const candidates = jwks.keys.filter(
    (k) => k.kty === kty && (header.kid === undefined || k.kid === undefined || k.kid === header.kid) && (k.alg === undefined || k.alg === alg),
  );
  for (const jwk of candidates) {
    try {
      await compactVerify(token, await importJWK(jwk, alg));
      return true;
    } catch {
      // Try the next key.
    }
  }
  return false;
}
