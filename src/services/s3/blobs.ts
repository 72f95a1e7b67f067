/**
 * Large object bodies as files. An object or part above {@link BLOB_THRESHOLD} is kept as a
 * file in the blob folder (`<data-dir>/s3-blobs`, or a temp folder removed when the app closes)
 * and its store entry holds only a {@link BlobRef}; small ones stay Buffers in the store. A
 * spooled upload becomes a blob by rename, fsynced first when there is a data directory so
 * an acknowledged write survives a crash. Reads stream from the file; checksums and MD5 of a
 * file are taken in one pass over it.
 */
import { createHash, hash as digestOnce, randomUUID } from 'node:crypto';
import {
  closeSync, copyFileSync, fsyncSync, linkSync, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync, unlinkSync, writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stores } from '../../core/store.js';
import { isSpooledBody, type SpooledBody } from '../../protocols/body-file.js';
import { checksum, checksumHasher, type ChecksumAlgorithm } from '../../protocols/checksums.js';

/** Bodies larger than this are kept as files. */
export const BLOB_THRESHOLD = 8 * 1024 * 1024;
const PIECE = 1 << 20;

/** A body kept as a file in the blob folder: the file's name and its size. */
export interface BlobRef { blob: string; size: number }

/** What a data or part entry holds. */
export type StoredBytes = Buffer | BlobRef;

/**
 * Bytes on their way in: a Buffer, or a file. An `owned` file (a spooled upload, a temporary
 * file) may be moved into place; another (a copy source's blob) is copied.
 */
export type Bytes = Buffer | FileBytes;

export interface FileBytes {
  kind: 'file';
  path: string;
  size: number;
  owned: boolean;
  /** Digests already taken (a spooled upload's, taken as it arrived). */
  md5?: Buffer;
  checksums?: Partial<Record<ChecksumAlgorithm, string>>;
}

export function isBlob(v: unknown): v is BlobRef {
  return typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && typeof (v as BlobRef).blob === 'string';
}

/** An upload's spooled body as bytes this service may move. */
export function spooledBytes(b: SpooledBody): FileBytes {
  return { kind: 'file', path: b.path, size: b.size, owned: true, md5: b.md5, checksums: b.checksums };
}

export function sizeOf(b: Bytes | StoredBytes): number {
  return Buffer.isBuffer(b) ? b.length : b.size;
}

const folders = new WeakMap<Stores, string>();

/** The blob folder of an app's stores, made on first use. */
export function blobFolder(stores: Stores): string {
  let dir = folders.get(stores);
  if (!dir) {
    const dataDir = stores.dataDir;
    if (dataDir) {
      dir = join(dataDir, 's3-blobs');
      mkdirSync(dir, { recursive: true });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'drydock-s3-'));
    }
    folders.set(stores, dir);
  }
  return dir;
}

/** Removes the temp blob folder of an app without a data directory (its objects die with it). */
export function closeBlobFolder(stores: Stores): void {
  const dir = folders.get(stores);
  folders.delete(stores);
  if (dir && !stores.dataDir) rmSync(dir, { recursive: true, force: true });
}

export function blobPath(stores: Stores, ref: BlobRef): string {
  return join(blobFolder(stores), ref.blob);
}

/** A fresh file name in the blob folder, for bytes about to be written. */
export function newBlobFile(stores: Stores): string {
  return join(blobFolder(stores), randomUUID());
}

/** Deletes a blob's file (an overwritten, deleted or expired version, an aborted part). */
export function removeBlob(stores: Stores, ref: BlobRef): void {
  rmSync(blobPath(stores, ref), { force: true });
}

function durable(stores: Stores, path: string): void {
  if (!stores.persistent) return;
  const fd = openSync(path, 'r+');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/**
 * Keeps bytes: a Buffer up to the threshold stays in the store; a file (or a large Buffer)
 * becomes a blob, moved into place when owned, else copied.
 */
export function keepBytes(stores: Stores, b: Bytes): StoredBytes {
  if (Buffer.isBuffer(b)) {
    if (b.length <= BLOB_THRESHOLD) return b;
    const path = newBlobFile(stores);
    writeFileBytes(path, [b]);
    durable(stores, path);
    return { blob: path.slice(blobFolder(stores).length + 1), size: b.length };
  }
  const name = randomUUID();
  const dest = join(blobFolder(stores), name);
  if (b.owned) {
    try {
      renameSync(b.path, dest);
    } catch (e) {
      // A spool folder on another file system: copy, then drop the original.
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      copyFileSync(b.path, dest);
      unlinkSync(b.path);
    }
  } else {
    shareFile(b.path, dest);
  }
  durable(stores, dest);
  return { blob: name, size: b.size };
}

/**
 * A copy of a blob (CopyObject, a whole UploadPartCopy) as a second name for the same file:
 * blob files are never written after they are made, only replaced or removed, so sharing one
 * is as good as copying it and costs nothing for a large object. Copies where links cannot go.
 */
function shareFile(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function writeFileBytes(path: string, pieces: Buffer[]): void {
  const fd = openSync(path, 'wx');
  try { for (const p of pieces) writeSync(fd, p); } finally { closeSync(fd); }
}

/** Calls `fn` with successive pieces of `size` bytes of a file from `start` (one pass, 1 MiB at a time). */
export function scanFile(path: string, fn: (piece: Buffer) => void, start = 0, size?: number): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(PIECE);
    let pos = start;
    let left = size ?? Number.MAX_SAFE_INTEGER;
    while (left > 0) {
      const n = readSync(fd, buf, 0, Math.min(PIECE, left), pos);
      if (n === 0) break;
      fn(buf.subarray(0, n));
      pos += n;
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
}

/** The MD5 of some bytes (taken on arrival for a spooled upload). */
export function md5Of(b: Bytes): Buffer {
  // One call into OpenSSL for a body in memory: a Hash object costs more than a small body's MD5.
  if (Buffer.isBuffer(b)) return digestOnce('md5', b, 'buffer') as unknown as Buffer;
  if (b.md5) return b.md5;
  const h = createHash('md5');
  scanFile(b.path, (p) => h.update(p));
  return h.digest();
}

/** A flexible checksum of some bytes (taken on arrival for a spooled upload that named it). */
export function checksumOf(b: Bytes, algorithm: ChecksumAlgorithm): string {
  if (Buffer.isBuffer(b)) return checksum(algorithm, b);
  const known = b.checksums?.[algorithm];
  if (known !== undefined) return known;
  const h = checksumHasher(algorithm);
  scanFile(b.path, (p) => h.update(p));
  return h.digest();
}

/** Stored bytes as input bytes (a blob is read in place, never moved). */
export function storedAsBytes(stores: Stores, s: StoredBytes): Bytes {
  return isBlob(s) ? { kind: 'file', path: blobPath(stores, s), size: s.size, owned: false } : s;
}

/**
 * Writes pieces of several sources into one new file in the blob folder (a completed multipart
 * upload, a ranged part copy), feeding every piece to `onPiece` on the way: one pass.
 */
export function concatBytes(stores: Stores, sources: { bytes: Bytes; start?: number; size?: number }[], onPiece?: (p: Buffer) => void): FileBytes {
  const path = newBlobFile(stores);
  const fd = openSync(path, 'wx');
  let size = 0;
  try {
    const put = (p: Buffer) => { onPiece?.(p); writeSync(fd, p); size += p.length; };
    for (const s of sources) {
      const start = s.start ?? 0;
      if (Buffer.isBuffer(s.bytes)) put(s.bytes.subarray(start, s.size === undefined ? undefined : start + s.size));
      else scanFile(s.bytes.path, put, start, s.size);
    }
  } catch (e) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw e;
  }
  closeSync(fd);
  return { kind: 'file', path, size, owned: true };
}

/** Bytes in memory (small sources only: the caller checks the size). */
export function bytesInMemory(b: Bytes): Buffer {
  if (Buffer.isBuffer(b)) return b;
  const parts: Buffer[] = [];
  scanFile(b.path, (p) => parts.push(Buffer.from(p)));
  return Buffer.concat(parts);
}

/** The `Body` of an upload: a Buffer, or the file the gateway spooled a large body to. */
export function uploadBody(input: Record<string, unknown>): Bytes {
  const b = input['Body'];
  if (isSpooledBody(b)) return spooledBytes(b);
  return (b as Buffer | undefined) ?? Buffer.alloc(0);
}
