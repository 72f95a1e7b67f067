/**
 * The hashing of Signature Version 4: payload hashes, the signing-key chain and signatures,
 * made cheap because every request pays for them (cached keys, HMAC from cached pads).
 */
import { createHmac, hash } from 'node:crypto';

/** Hex SHA-256, the payload hash of a body that carries no `x-amz-content-sha256`. */
export function sha256Hex(data: string | Uint8Array): string {
  // One-shot hashing avoids a Hash object per call (this runs on every request).
  return hash('sha256', data, 'hex');
}

/** HMAC-SHA256 of a latin1 string (every string to sign is ASCII); also used for chunk signatures. */
export function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'latin1').digest();
}

/**
 * The HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`, cached per (secret,
 * date, region, service) in a small LRU: every request needs one and they change once a day.
 * The returned buffer is shared; do not modify it.
 */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  // Most requests repeat the previous caller's scope: compare it before building a cache key.
  const l = lastKey;
  if (l && l.secret === secret && l.date === date && l.region === region && l.service === service) return l.key;
  const id = `${date}\n${region}\n${service}\n${secret}`;
  let key = keyCache.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    // Oldest first out: the keys change once a day, so recency order is not worth keeping.
    if (keyCache.size >= 256) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, key);
  }
  lastKey = { secret, date, region, service, key };
  return key;
}
const keyCache = new Map<string, Buffer>();
let lastKey: { secret: string; date: string; region: string; service: string; key: Buffer } | undefined;

/**
 * Lower-case hex HMAC-SHA256 of a latin1 string under a derived signing key (32 bytes), built
 * from two one-shot hashes over cached key pads (RFC 2104): about half the cost of a
 * `createHmac` object, and this runs on every request.
 */
export function signatureHex(key: Buffer, data: string): string {
  let pads = padCache.get(key);
  if (!pads) {
    if (key.length > 64) return hmac(key, data).toString('hex');
    pads = { inner: Buffer.alloc(64, 0x36), outer: Buffer.alloc(64 + 32, 0x5c) };
    for (let i = 0; i < key.length; i++) { pads.inner[i]! ^= key[i]!; pads.outer[i]! ^= key[i]!; }
    padCache.set(key, pads);
  }
  const n = 64 + data.length;
  if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, 2 * scratch.length));
  pads.inner.copy(scratch, 0);
  scratch.write(data, 64, 'latin1');
  hash('sha256', scratch.subarray(0, n), 'buffer').copy(pads.outer, 64);
  return hash('sha256', pads.outer, 'hex');
}
const padCache = new WeakMap<Buffer, { inner: Buffer; outer: Buffer }>();
let scratch = Buffer.allocUnsafe(1024);
