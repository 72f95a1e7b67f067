/**
 * Cryptographically random bytes, drawn from a pool refilled 64 KiB at a time.
 *
 * Each call into OpenSSL's generator costs a fixed ~13 µs on this kind of machine whatever its
 * size (12 bytes or 4 KiB), which made a fresh AES-GCM IV the largest single cost of a KMS
 * Encrypt. The bytes are the same CSPRNG output node:crypto gives, handed out once each; Node's
 * own `randomUUID` buffers the same way.
 */
import { randomBytes as osRandomBytes } from 'node:crypto';

const POOL_BYTES = 64 * 1024;
/** Larger requests go straight to the generator: pooling them would save nothing. */
const MAX_POOLED = 1024;

let pool = Buffer.alloc(0);
let offset = 0;

/** `n` random bytes in a Buffer of the caller's own (a copy, never shared with the pool). */
export function randomBytes(n: number): Buffer {
  if (n > MAX_POOLED) return osRandomBytes(n);
  return randomFill(Buffer.allocUnsafe(n));
}

/** Fills `target` (at most 1 KiB) with random bytes and returns it: no allocation. */
export function randomFill<T extends Uint8Array>(target: T): T {
  const n = target.length;
  if (n > MAX_POOLED) throw new RangeError(`randomFill takes at most ${MAX_POOLED} bytes, got ${n}`);
  if (offset + n > pool.length) {
    pool = osRandomBytes(POOL_BYTES);
    offset = 0;
  }
  pool.copy(target, 0, offset, offset + n);
  // Handed out once: zero what was taken so the pool never holds bytes someone now owns.
  pool.fill(0, offset, offset + n);
  offset += n;
  return target;
}
