/**
 * Temporary credentials: made here, registered with the app's {@link Identities} so the
 * gateway accepts (and, once expired, refuses) them, and kept in the `sts` store so they
 * survive a restart when a data directory is in use.
 *
 * Access key ids carry their account the way AWS's do (GetAccessKeyInfo decodes it): after
 * the four-letter prefix, 16 base32 characters hold 10 bytes whose first 48 bits are the
 * account id shifted left by 7, over random low bits.
 */
import { randomBytes } from '../../core/random.js';
import type { Clock } from '../../core/clock.js';
import type { Identities, Principal } from '../../core/identity.js';
import { secretAccessKey } from '../../core/ids.js';
import type { Stores } from '../../core/store.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCOUNT_MASK = 0x7fffffffff80n;

/** An access key id such as `ASIA…` whose bits encode `account`. */
export function accessKeyIdFor(prefix: string, account: string): string {
  const bytes = randomBytes(10);
  const head = (BigInt(account) << 7n) | BigInt(bytes[5]! & 0x7f);
  for (let i = 0; i < 6; i++) bytes[i] = Number((head >> BigInt(8 * (5 - i))) & 0xffn);
  let bits = 0;
  let value = 0;
  let out = prefix;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** The account an AWS-style access key id encodes, or undefined when it has no such form. */
export function accountOfAccessKey(id: string): string | undefined {
  if (!/^[A-Z]{4}[A-Z2-7]{16}$/.test(id)) return undefined;
  let head = 0n;
  let bits = 0;
  for (const c of id.slice(4, 14)) {
    head = (head << 5n) | BigInt(BASE32.indexOf(c));
    bits += 5;
  }
  // 10 characters = 50 bits; the first 48 are the 6 bytes that hold the account.
  head >>= BigInt(bits - 48);
  return String((head & ACCOUNT_MASK) >> 7n).padStart(12, '0');
}

/** A credential as stored; the expiration is ISO text so it persists as plain data. */
interface StoredSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
  principal: Principal;
}

/** The Credentials member of every STS answer. */
export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

interface StsState {
  sessions: import('../../core/store.js').Collection<StoredSession>;
}

function stateOf(stores: Stores): StsState {
  return stores.global('sts', (c) => ({ sessions: c.collection<StoredSession>('sessions') }));
}

/** What issuing needs: the app's clock, stores and identities (a ServiceContext has them). */
export interface IssueDeps {
  clock: Clock;
  stores: Stores;
  identities: Identities;
}

/**
 * Issues credentials for `principal`, valid for `durationSeconds` on the clock. AWS
 * reports expirations to the second, so the clock's milliseconds are dropped.
 */
export function issueCredentials(deps: IssueDeps, principal: Principal, durationSeconds: number): IssuedCredentials {
  const now = Math.floor(deps.clock.nowMs() / 1000) * 1000;
  const expiration = new Date(now + durationSeconds * 1000);
  const rec: StoredSession = {
    accessKeyId: accessKeyIdFor('ASIA', principal.account),
    secretAccessKey: secretAccessKey(),
    sessionToken: sessionToken(),
    expiration: expiration.toISOString(),
    principal,
  };
  const { sessions } = stateOf(deps.stores);
  sessions.set(rec.accessKeyId, rec);
  deps.identities.register({ ...rec, expiration });
  // Amortized sweep: one pass over the store every 64 sessions issued.
  if (sessions.size % 64 === 0) pruneExpired(deps);
  return { AccessKeyId: rec.accessKeyId, SecretAccessKey: rec.secretAccessKey, SessionToken: rec.sessionToken, Expiration: expiration };
}

/**
 * Registers the stored sessions again (after a restart). Expired ones stay known for a day,
 * so they are refused with ExpiredToken, as AWS does, rather than as unknown keys.
 */
export function restoreSessions(deps: IssueDeps): void {
  pruneExpired(deps);
  for (const [id, rec] of stateOf(deps.stores).sessions) {
    if (deps.identities.lookup(id) === undefined) deps.identities.register({ ...rec, expiration: new Date(rec.expiration) });
  }
}

const FORGET_AFTER_MS = 24 * 3600 * 1000;

function pruneExpired(deps: IssueDeps): void {
  const cutoff = deps.clock.nowMs() - FORGET_AFTER_MS;
  const { sessions } = stateOf(deps.stores);
  for (const [id, rec] of [...sessions]) {
    if (Date.parse(rec.expiration) > cutoff) continue;
    sessions.delete(id);
    deps.identities.remove(id);
  }
}

// AWS session tokens are long opaque base64; clients only pass them back.
function sessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${randomBytes(264).toString('base64')}`;
}
