/**
 * `node:zlib`, loaded on first use. Importing it costs a few milliseconds of start-up (it pulls
 * in streams and its native binding), and most modules that need it (session-policy packing,
 * encoded authorization messages, CRC checksums) need it for some requests only.
 */
import { createRequire } from 'node:module';

type Zlib = typeof import('node:zlib');
let zlib: Zlib | undefined;

export function lazyZlib(): Zlib {
  return (zlib ??= createRequire(import.meta.url)('node:zlib') as Zlib);
}
