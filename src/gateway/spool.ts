/**
 * Reading a request body in the HTTP adapter. Small bodies are kept in memory as one Buffer;
 * a body that grows past the spool threshold (or announces a larger Content-Length) is
 * written to a file as it arrives, so a 5 GB upload never sits in memory. It is hashed once,
 * while it arrives: SHA-256 of the bytes as sent (for `x-amz-content-sha256`) here, MD5 and the
 * flexible checksums the request names of the bytes as decoded on a worker thread
 * (spool-digests.ts); an aws-chunked body is unframed on the fly and its chunk hashes
 * kept, so authentication checks the signatures later without reading the file again. The
 * socket is paused while the disk lags behind.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, unlink, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsChunkedDecoder, chunksAreSigned, isAwsChunked, type DecodedChunks } from '../protocols/aws-chunked.js';
import type { SpooledBody } from '../protocols/body-file.js';
import { checksumAlgorithmOf, type ChecksumAlgorithm } from '../protocols/checksums.js';
import { SpoolDigests, type NativeDigest } from './spool-digests.js';
import { STREAMING_PAYLOADS, UNSIGNED_PAYLOAD } from '../protocols/sigv4.js';

/** Bodies above this many bytes go to disk. */
export const SPOOL_THRESHOLD = Number(process.env['DRYDOCK_SPOOL_BYTES'] ?? 8 * 1024 * 1024);
/** Largest body accepted at all: S3's 5 GB single PUT, plus room for aws-chunked framing. */
export const MAX_SPOOLED_BYTES = Number(process.env['DRYDOCK_MAX_BODY_BYTES'] ?? 5 * 1024 ** 3 + 64 * 1024 ** 2);

/** Largest spooled body read back into memory, for operations that do not take their body as a file. */
export const MAX_BUFFERED_BYTES = 1024 ** 3;

/** A spooled request body, with the chunk record of an aws-chunked one for the signature check. */
export interface SpooledRequestBody extends SpooledBody {
  chunks?: DecodedChunks;
}

export type ReadBody =
  | { ok: true; body: Buffer; spooled?: SpooledRequestBody }
  | { ok: false; tooLarge: boolean; error?: unknown };

const EMPTY = Buffer.alloc(0);

/** A folder for spool files: `<data-dir>/spool` (emptied at start), else a temp folder; `close` removes it. */
export function spoolFolder(dataDir: string | undefined): { path: () => string; close: () => void } {
  let dir: string | undefined;
  const path = () => {
    if (dir) return dir;
    if (dataDir) {
      dir = join(dataDir, 'spool');
      // Files left by a process that was killed mid-upload belong to no request now.
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'drydock-spool-'));
    }
    return dir;
  };
  return { path, close: () => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = undefined; } };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The flexible checksums a request names in headers, `x-amz-trailer` or `x-amz-sdk-checksum-algorithm`. */
function namedChecksums(req: IncomingMessage): ChecksumAlgorithm[] {
  const names = new Set<ChecksumAlgorithm>();
  const add = (n: string) => { const a = checksumAlgorithmOf(n.trim()); if (a) names.add(a); };
  for (const k of Object.keys(req.headers)) if (k.startsWith('x-amz-checksum-')) add(k);
  for (const t of (header(req, 'x-amz-trailer') ?? '').split(',')) add(t);
  const sdk = header(req, 'x-amz-sdk-checksum-algorithm');
  if (sdk) add(`x-amz-checksum-${sdk.toLowerCase()}`);
  // Nothing named: S3 gives the object a CRC64NVME, taken here in the same pass.
  return names.size ? [...names] : ['CRC64NVME'];
}

/** Reads `req`'s body into memory or a spool file under `dir()`, then calls `done` once. */
export function readRequestBody(req: IncomingMessage, dir: () => string, done: (r: ReadBody) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let spool: Spool | undefined;
  let finished = false;
  const finish = (r: ReadBody) => { if (!finished) { finished = true; done(r); } };
  const announced = Number(header(req, 'content-length') ?? 0);
  const start = () => {
    try {
      spool = new Spool(req, dir());
    } catch (error) {
      finish({ ok: false, tooLarge: false, error });
      req.resume();
      return;
    }
    for (const c of chunks.splice(0)) spool.feed(c);
  };
  if (announced > SPOOL_THRESHOLD && announced <= MAX_SPOOLED_BYTES) start();
  req.on('data', (c: Buffer) => {
    if (finished) return;
    size += c.length;
    if (size > MAX_SPOOLED_BYTES) {
      spool?.discard();
      spool = undefined;
      chunks.length = 0;
      finish({ ok: false, tooLarge: true });
      return;
    }
    if (spool) spool.feed(c);
    else {
      chunks.push(c);
      if (size > SPOOL_THRESHOLD) start();
    }
  });
  req.on('end', () => {
    if (finished) return;
    if (!spool) {
      finish({ ok: true, body: chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : Buffer.concat(chunks) });
      return;
    }
    spool.close((r) => finish(r));
  });
  req.on('error', (error) => {
    spool?.discard();
    finish({ ok: false, tooLarge: false, error });
  });
}

/** What {@link SpoolDigests} computes for each flexible checksum. */
const DIGEST: Record<ChecksumAlgorithm, NativeDigest> = {
  CRC32: 'crc32', CRC32C: 'crc32c', CRC64NVME: 'crc64nvme', SHA1: 'sha1', SHA256: 'sha256',
};

/**
 * One body on its way to disk. The SHA-256 a signature covers and the chunk hashes of a signed
 * aws-chunked body are taken here as bytes pass; MD5 and the checksums of the decoded bytes by
 * {@link SpoolDigests} on another thread, from the file as it fills. (The CRCs written in
 * JavaScript were taken here too, until a 100 MB upload's CRC64NVME, ~130-250 ms, proved to
 * be what held this thread back most.)
 */
class Spool {
  readonly path: string;
  readonly #req: IncomingMessage;
  readonly #file: WriteStream;
  /** SHA-256 of the bytes as sent, when the signature covers it. */
  readonly #sha256: Hash | undefined;
  readonly #named: ChecksumAlgorithm[];
  readonly #digests: SpoolDigests;
  readonly #decoder: AwsChunkedDecoder | undefined;
  #size = 0;
  #error: unknown;
  #paused = false;

  constructor(req: IncomingMessage, dir: string) {
    this.#req = req;
    this.path = join(dir, randomUUID());
    this.#file = createWriteStream(this.path, { flags: 'wx', highWaterMark: 1 << 20 });
    this.#file.on('error', (e) => { this.#error ??= e; });
    const declared = header(req, 'x-amz-content-sha256');
    // The signature covers a hash of the bytes as sent unless the client says it does not.
    const streaming = declared !== undefined && STREAMING_PAYLOADS.includes(declared);
    this.#sha256 = declared !== UNSIGNED_PAYLOAD && !streaming ? createHash('sha256') : undefined;
    this.#named = namedChecksums(req);
    const native = new Set<NativeDigest>(['md5']);
    for (const a of this.#named) {
      // A signed payload is never unframed, so its SHA-256 is also the SHA256 checksum.
      if (!(a === 'SHA256' && this.#sha256)) native.add(DIGEST[a]);
    }
    this.#digests = new SpoolDigests(this.path, [...native]);
    this.#decoder = isAwsChunked(req.headers) && streaming
      ? new AwsChunkedDecoder((b) => this.#write(b), chunksAreSigned(declared)) : undefined;
  }

  feed(raw: Buffer): void {
    this.#sha256?.update(raw);
    if (this.#decoder) this.#decoder.push(raw);
    else this.#write(raw);
  }

  readonly #onWritten = (e?: Error | null) => { if (!e) this.#digests.written(this.#file.bytesWritten); };

  #write(b: Buffer): void {
    this.#size += b.length;
    // Back-pressure: the socket waits while the file is behind.
    if (!this.#file.write(b, this.#onWritten) && !this.#paused) {
      this.#paused = true;
      this.#req.pause();
      this.#file.once('drain', () => { this.#paused = false; this.#req.resume(); });
    }
  }

  close(done: (r: ReadBody) => void): void {
    const chunks = this.#decoder?.end();
    const failed = (error: unknown) => { this.discard(); done({ ok: false, tooLarge: false, error }); };
    this.#file.end(() => {
      if (this.#error) { failed(this.#error); return; }
      this.#digests.finish(this.#size).then((d) => {
        const sha256 = this.#sha256?.digest();
        const checksums: SpooledBody['checksums'] = {};
        for (const a of this.#named) checksums[a] = (a === 'SHA256' && sha256 ? sha256 : d[DIGEST[a]]!).toString('base64');
        done({
          ok: true, body: EMPTY,
          spooled: {
            kind: 'spooled', path: this.path, size: this.#size, sha256Hex: sha256?.toString('hex'),
            md5: d.md5!, checksums, chunks,
          },
        });
      }, failed);
    });
  }

  discard(): void {
    this.#digests.cancel();
    this.#file.destroy();
    removeSpoolFile(this.path);
  }
}

/** Deletes a spool file if it is still there (S3 moves the ones it keeps). */
export function removeSpoolFile(path: string): void {
  unlink(path, () => { /* already moved or gone */ });
}
