import { createHash } from 'node:crypto';
import { lazyZlib } from '../core/lazy-zlib.js';

/**
 * The flexible checksums S3 accepts and returns (`x-amz-checksum-*`), and Content-MD5.
 *
 * Every value is base64 of the big-endian digest, exactly as the SDKs send it. CRC32 uses
 * zlib's native implementation; CRC32C and CRC64NVME are small table-driven loops because
 * Node has neither and the SDK's own implementations are not a dependency of ours.
 */

/** zlib's CRC32, with zlib loaded on first use (start-up does not need it). */
function crc32(data: Uint8Array, previous?: number): number {
  return lazyZlib().crc32(data, previous);
}

/** The checksum algorithms S3 names in `x-amz-sdk-checksum-algorithm` and `x-amz-checksum-*`. */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';

/** All algorithms, in the order S3 documents them. */
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** A refused checksum, with the code, status and text S3 answers. */
export interface ChecksumProblem { code: string; message: string; status: number }

/** Base64 of the big-endian digest of `data`, the form of an `x-amz-checksum-*` header value. */
export function checksum(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  switch (algorithm) {
    case 'CRC32': return uint32Base64(crc32(data));
    case 'CRC32C': return uint32Base64(crc32c(data));
    case 'CRC64NVME': return crc64nvme(data).toString('base64');
    case 'SHA1': return createHash('sha1').update(data).digest('base64');
    case 'SHA256': return createHash('sha256').update(data).digest('base64');
  }
}

/** A checksum fed piece by piece: bodies that stream to disk are summed as they arrive. */
export interface ChecksumHasher { update(data: Uint8Array): void; digest(): string }

/** A running {@link checksum}: `digest()` equals `checksum(algorithm, all the pieces)`. */
export function checksumHasher(algorithm: ChecksumAlgorithm): ChecksumHasher {
  if (algorithm === 'SHA1' || algorithm === 'SHA256') {
    const h = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
    return { update: (d) => { h.update(d); }, digest: () => h.digest('base64') };
  }
  if (algorithm === 'CRC64NVME') {
    let v: Buffer | undefined;
    return { update: (d) => { v = crc64nvme(d, v); }, digest: () => (v ?? crc64nvme(new Uint8Array(0))).toString('base64') };
  }
  const f = algorithm === 'CRC32' ? crc32 : crc32c;
  let c = 0;
  return { update: (d) => { c = f(d, c); }, digest: () => uint32Base64(c) };
}

/** Base64 MD5 of `data`, the form of a `Content-MD5` header. */
export function md5Base64(data: Uint8Array): string {
  return createHash('md5').update(data).digest('base64');
}

/** `x-amz-checksum-crc32` for `CRC32`, and so on. */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The algorithm an `x-amz-checksum-*` header (or trailer) name stands for, if S3 knows it. */
export function checksumAlgorithmOf(headerName: string): ChecksumAlgorithm | undefined {
  const name = headerName.toLowerCase();
  return CHECKSUM_ALGORITHMS.find((a) => checksumHeaderName(a) === name);
}

/**
 * Holds `data` to a client-sent checksum. A value that cannot be a digest of this algorithm is
 * S3's InvalidRequest; a well-formed value that differs is BadDigest.
 */
export function verifyChecksum(
  algorithm: ChecksumAlgorithm, expected: string, data: Uint8Array | (() => string),
): ChecksumProblem | undefined {
  if (!isBase64Of(expected, DIGEST_BYTES[algorithm])) {
    const message = `Value for ${checksumHeaderName(algorithm)} header is invalid.`;
    return { code: 'InvalidRequest', message, status: 400 };
  }
  // A function gives the actual value of bytes that are not in memory (a body on disk).
  if ((typeof data === 'function' ? data() : checksum(algorithm, data)) === expected) return undefined;
  return { code: 'BadDigest', message: `The ${algorithm} you specified did not match the calculated checksum.`, status: 400 };
}

/** Holds `data` to a `Content-MD5` header, with S3's InvalidDigest and BadDigest answers. */
export function verifyContentMd5(expected: string, data: Uint8Array): ChecksumProblem | undefined {
  if (!isBase64Of(expected, 16)) {
    return { code: 'InvalidDigest', message: 'The Content-MD5 you specified was invalid.', status: 400 };
  }
  if (md5Base64(data) === expected) return undefined;
  return { code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.', status: 400 };
}

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

function isBase64Of(value: string, bytes: number): boolean {
  // Canonical base64 only: a re-encoding must give back exactly what was sent.
  return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && Buffer.from(value, 'base64').toString('base64') === value
    && Buffer.byteLength(value, 'base64') === bytes;
}

function uint32Base64(n: number): string {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(n >>> 0);
  return out.toString('base64');
}

/** The table-driven CRCs: `crc32c(data, previous)` and `crc64nvme(data, previous)`. */
export interface TableCrcs {
  crc32c(data: Uint8Array, previous?: number): number;
  crc64nvme(data: Uint8Array, previous?: Buffer): Buffer;
}

/**
 * Builds CRC32C and CRC64NVME. It refers to nothing outside itself (globals only) because the
 * hashing worker of large uploads (gateway/spool-digests.ts) rebuilds it from its source text:
 * one implementation on both threads, with no worker file to ship.
 */
export function tableCrcs(): TableCrcs {
  // Reflected CRC tables, built once. CRC32C: Castagnoli polynomial 0x1EDC6F41 (reflected
  // 0x82F63B78). CRC64NVME: polynomial 0xAD93D23594C93659 (reflected 0x9A6C9329AC4BC9B5), kept as
  // two 32-bit halves so the hot loop stays in small integers instead of BigInt.
  const CRC32C_TABLE = new Uint32Array(256);
  const CRC64_HI = new Uint32Array(256);
  const CRC64_LO = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    CRC32C_TABLE[i] = c >>> 0;
    let w = BigInt(i);
    for (let k = 0; k < 8; k++) w = w & 1n ? 0x9a6c9329ac4bc9b5n ^ (w >> 1n) : w >> 1n;
    CRC64_HI[i] = Number(w >> 32n);
    CRC64_LO[i] = Number(w & 0xffffffffn);
  }

  function crc32c(data: Uint8Array, previous = 0): number {
    let c = (previous ^ 0xffffffff) >>> 0;
    const T = C32_SLICE;
    const end8 = data.length - (data.length % 8);
    let i = 0;
    // Eight bytes at a time through the slicing tables, as CRC64NVME below (about 3x the byte loop).
    while (LITTLE_ENDIAN && end8 - i >= 64) {
      const { w, n } = wordsAt(data, i, end8);
      const words = n >>> 2;
      for (let j = 0; j < words; j += 2) {
        const a = c ^ w[j]!;
        const b = w[j + 1]!;
        c = T[1792 + (a & 0xff)]! ^ T[1536 + ((a >>> 8) & 0xff)]! ^ T[1280 + ((a >>> 16) & 0xff)]! ^ T[1024 + (a >>> 24)]!
          ^ T[768 + (b & 0xff)]! ^ T[512 + ((b >>> 8) & 0xff)]! ^ T[256 + ((b >>> 16) & 0xff)]! ^ T[b >>> 24]!;
      }
      i += n;
    }
    for (; i < data.length; i++) c = CRC32C_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  /**
   * Slicing-by-8 tables: `SLICE_*[k * 256 + n]` is the CRC of byte n followed by k zero bytes,
   * so eight input bytes fold in with eight lookups. Halves as 32-bit words: no BigInt per byte.
   */
  const SLICE_HI = new Uint32Array(8 * 256);
  const SLICE_LO = new Uint32Array(8 * 256);
  SLICE_HI.set(CRC64_HI);
  SLICE_LO.set(CRC64_LO);
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const ph = SLICE_HI[(k - 1) * 256 + n]!;
      const pl = SLICE_LO[(k - 1) * 256 + n]!;
      const t = pl & 0xff;
      SLICE_LO[k * 256 + n] = ((pl >>> 8) | (ph << 24)) ^ CRC64_LO[t]!;
      SLICE_HI[k * 256 + n] = (ph >>> 8) ^ CRC64_HI[t]!;
    }
  }

  /** CRC32C's slicing-by-8 tables, built the same way (one 32-bit word per entry). */
  const C32_SLICE = new Uint32Array(8 * 256);
  C32_SLICE.set(CRC32C_TABLE);
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = C32_SLICE[(k - 1) * 256 + n]!;
      C32_SLICE[k * 256 + n] = (prev >>> 8) ^ CRC32C_TABLE[prev & 0xff]!;
    }
  }

  const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

  // Word reads need 4-byte alignment; request body pieces start anywhere in a socket buffer, so
  // unaligned input is copied here first (a copy costs far less than the byte-wise loop).
  const SCRATCH = new Uint8Array(1 << 16);
  const SCRATCH_WORDS = new Int32Array(SCRATCH.buffer);

  /** The next `n` bytes of `data` from `i` (up to `end`) as little-endian words, in place when aligned. */
  function wordsAt(data: Uint8Array, i: number, end: number): { w: Int32Array; n: number } {
    if (((data.byteOffset + i) & 3) === 0) return { w: new Int32Array(data.buffer, data.byteOffset + i, (end - i) >>> 2), n: end - i };
    const n = Math.min(SCRATCH.length, end - i);
    SCRATCH.set(data.subarray(i, i + n));
    return { w: SCRATCH_WORDS, n };
  }

  /**
   * CRC64NVME's slicing-by-8 loop as WebAssembly, where it runs on 64-bit words: about twice
   * the JavaScript loop below (100 MB in ~70 ms instead of ~130). The module is assembled here,
   * byte by byte, on first use; without WebAssembly the JavaScript loop serves.
   */
  let wasm: ((data: Uint8Array, state: bigint) => bigint) | null | undefined;
  function wasmCrc64(): typeof wasm {
    const uleb = (n: number): number[] => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
    // Locals: the data pointer and length (i32), the running state, the current word (i64).
    const [P, N, C, W] = [0, 1, 2, 3];
    // Table k (2 KB of i64 at k * 2048) takes byte 7 - k of the word.
    const lookups: number[] = [];
    for (let j = 0; j < 8; j++) {
      lookups.push(0x20, W);
      if (j) lookups.push(0x42, 8 * j, 0x88); // i64.shr_u by 8j
      if (j < 7) lookups.push(0x42, 0xff, 0x01, 0x83); // i64.and 255
      lookups.push(0xa7, 0x41, 3, 0x74, 0x29, 3, ...uleb((7 - j) * 2048)); // i64.load the entry
      if (j) lookups.push(0x85); // i64.xor
    }
    const code = [
      // while (n >= 8) { w = c ^ load64(p); c = lookups(w); p += 8; n -= 8 }
      0x02, 0x40, 0x03, 0x40, 0x20, N, 0x41, 8, 0x49, 0x0d, 1,
      0x20, C, 0x20, P, 0x29, 0, 0, 0x85, 0x21, W, ...lookups, 0x21, C,
      0x20, P, 0x41, 8, 0x6a, 0x21, P, 0x20, N, 0x41, 8, 0x6b, 0x21, N, 0x0c, 0, 0x0b, 0x0b,
      // while (n) { c = T0[(c ^ load8(p)) & 255] ^ (c >> 8); p++; n-- }
      0x02, 0x40, 0x03, 0x40, 0x20, N, 0x45, 0x0d, 1,
      0x20, C, 0x20, P, 0x31, 0, 0, 0x85, 0x42, 0xff, 0x01, 0x83, 0xa7, 0x41, 3, 0x74, 0x29, 3, 0,
      0x20, C, 0x42, 8, 0x88, 0x85, 0x21, C,
      0x20, P, 0x41, 1, 0x6a, 0x21, P, 0x20, N, 0x41, 1, 0x6b, 0x21, N, 0x0c, 0, 0x0b, 0x0b,
      0x20, C, 0x0b,
    ];
    const body = [1, 1, 0x7e, ...code];
    const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
    const PAGES = 17;
    const bytes = new Uint8Array([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7e, 1, 0x7e]), // (i32, i32, i64) -> i64
      ...section(3, [1, 0]),
      ...section(5, [1, 0, PAGES]),
      ...section(7, [2, 3, 0x63, 0x72, 0x63, 0, 0, 3, 0x6d, 0x65, 0x6d, 2, 0]), // "crc", "mem"
      ...section(10, [1, ...uleb(body.length), ...body]),
    ]);
    try {
      const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      const crc = exports['crc'] as (p: number, n: number, c: bigint) => bigint;
      const buffer = (exports['mem'] as WebAssembly.Memory).buffer;
      const tables = new BigUint64Array(buffer, 0, 2048);
      for (let i = 0; i < 2048; i++) tables[i] = (BigInt(SLICE_HI[i]!) << 32n) | BigInt(SLICE_LO[i]!);
      const mem = new Uint8Array(buffer);
      const at = 16384;
      const max = PAGES * 65536 - at;
      return (data, state) => {
        for (let i = 0; i < data.length; i += max) {
          const piece = data.subarray(i, i + max);
          mem.set(piece, at);
          state = crc(at, piece.length, state);
        }
        return state;
      };
    } catch {
      return null;
    }
  }

  function crc64nvme(data: Uint8Array, previous?: Buffer): Buffer {
    if (wasm === undefined) wasm = wasmCrc64();
    if (wasm) {
      const ones = 0xffffffffffffffffn;
      const state = wasm(data, previous ? previous.readBigUInt64BE(0) ^ ones : ones);
      const out = Buffer.allocUnsafe(8);
      out.writeBigUInt64BE(BigInt.asUintN(64, state) ^ ones);
      return out;
    }
    return crc64nvmeJs(data, previous);
  }

  function crc64nvmeJs(data: Uint8Array, previous?: Buffer): Buffer {
    // Continuing from a previous value undoes its final inversion, as zlib's crc32(data, value) does.
    let hi = previous ? (previous.readUInt32BE(0) ^ 0xffffffff) >>> 0 : 0xffffffff;
    let lo = previous ? (previous.readUInt32BE(4) ^ 0xffffffff) >>> 0 : 0xffffffff;
    const H = SLICE_HI;
    const L = SLICE_LO;
    const end8 = data.length - (data.length % 8);
    let i = 0;
    // On a little-endian machine, input is read a word at a time (about twice as fast).
    while (LITTLE_ENDIAN && end8 - i >= 64) {
      const { w, n } = wordsAt(data, i, end8);
      const words = n >>> 2;
      for (let j = 0; j < words; j += 2) {
        const a = lo ^ w[j]!;
        const b = hi ^ w[j + 1]!;
        const i7 = 1792 + (a & 0xff), i6 = 1536 + ((a >>> 8) & 0xff), i5 = 1280 + ((a >>> 16) & 0xff), i4 = 1024 + (a >>> 24);
        const i3 = 768 + (b & 0xff), i2 = 512 + ((b >>> 8) & 0xff), i1 = 256 + ((b >>> 16) & 0xff), i0 = b >>> 24;
        lo = L[i7]! ^ L[i6]! ^ L[i5]! ^ L[i4]! ^ L[i3]! ^ L[i2]! ^ L[i1]! ^ L[i0]!;
        hi = H[i7]! ^ H[i6]! ^ H[i5]! ^ H[i4]! ^ H[i3]! ^ H[i2]! ^ H[i1]! ^ H[i0]!;
      }
      i += n;
    }
    for (; i < end8; i += 8) {
      const a = lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
      const b = hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24));
      const i7 = 1792 + (a & 0xff), i6 = 1536 + ((a >>> 8) & 0xff), i5 = 1280 + ((a >>> 16) & 0xff), i4 = 1024 + (a >>> 24);
      const i3 = 768 + (b & 0xff), i2 = 512 + ((b >>> 8) & 0xff), i1 = 256 + ((b >>> 16) & 0xff), i0 = b >>> 24;
      lo = L[i7]! ^ L[i6]! ^ L[i5]! ^ L[i4]! ^ L[i3]! ^ L[i2]! ^ L[i1]! ^ L[i0]!;
      hi = H[i7]! ^ H[i6]! ^ H[i5]! ^ H[i4]! ^ H[i3]! ^ H[i2]! ^ H[i1]! ^ H[i0]!;
    }
    for (; i < data.length; i++) {
      const t = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[t]!;
      hi = (hi >>> 8) ^ CRC64_HI[t]!;
    }
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }
  return { crc32c, crc64nvme };
}

// Built on first use: the tables cost about a millisecond, which start-up need not pay.
let crcs: TableCrcs | undefined;
function crc32c(data: Uint8Array, previous?: number): number {
  return (crcs ??= tableCrcs()).crc32c(data, previous);
}
function crc64nvme(data: Uint8Array, previous?: Buffer): Buffer {
  return (crcs ??= tableCrcs()).crc64nvme(data, previous);
}
