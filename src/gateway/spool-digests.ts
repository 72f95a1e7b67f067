/**
 * Digests of a spool file, taken on a worker thread while the file is still being written.
 * A 100 MB upload needs its MD5 (the ETag), often the SHA-256 its signature covers and a
 * checksum (S3's default CRC64NVME when the client names none): all on the request's thread
 * that was several hundred milliseconds during which the socket was not read. The worker
 * reads each stretch of the file back (from the page cache) once the spool has written it, so
 * receiving and hashing overlap. The spool keeps only the signature's SHA-256 (of the bytes
 * as sent, framing included); the worker takes MD5 and every checksum of the decoded bytes,
 * the JavaScript CRCs (CRC32C, CRC64NVME) included, built from checksums.ts's own source.
 *
 * One worker serves every upload of the process, in arrival order. Should it fail, the files
 * it has not finished are hashed on the request's thread instead: slower, same answers.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { lazyZlib } from '../core/lazy-zlib.js';
import { tableCrcs } from '../protocols/checksums.js';

/** What the worker computes: Node hash names, zlib's `crc32`, and checksums.ts's `crc32c` and `crc64nvme`. */
export type NativeDigest = 'md5' | 'sha1' | 'sha256' | 'crc32' | 'crc32c' | 'crc64nvme';

/** Each requested digest's bytes (a CRC as its big-endian bytes). */
export type Digests = Partial<Record<NativeDigest, Buffer>>;

interface FileHasher { feed(upTo: number): void; finish(): Record<string, Uint8Array>; close(): void }

// Plain CommonJS text, so that the worker starts the same way from the TypeScript sources
// (tests), tsc's output and the bundle, none of which ships a separate worker file. The same
// text builds the fallback hasher on this thread: one implementation.
const HASHER_SOURCE = `
const { createHash, crc32, openSync, readSync, closeSync } = lib;
const crcs = lib.tableCrcs();
const buf = Buffer.allocUnsafeSlow(1 << 20);
function fileHasher(path, algorithms) {
  const hashes = algorithms.map((a) => [a, a === 'crc32' || a in crcs ? crcHash(a) : createHash(a)]);
  let fd, at = 0;
  return {
    feed(upTo) {
      if (fd === undefined) fd = openSync(path, 'r');
      while (at < upTo) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, upTo - at), at);
        if (n === 0) throw new Error('spool file ended at ' + at + ' of ' + upTo + ' bytes');
        const piece = buf.subarray(0, n);
        for (const h of hashes) h[1].update(piece);
        at += n;
      }
    },
    finish() {
      this.close();
      const out = {};
      for (const [a, h] of hashes) out[a] = h.digest();
      return out;
    },
    close() { if (fd !== undefined) closeSync(fd); fd = undefined; },
  };
}
function crcHash(a) {
  if (a === 'crc64nvme') {
    let c;
    return { update(b) { c = crcs.crc64nvme(b, c); }, digest() { return c ?? crcs.crc64nvme(new Uint8Array(0)); } };
  }
  const f = a === 'crc32' ? crc32 : crcs.crc32c;
  let c = 0;
  return {
    update(b) { c = f(b, c); },
    digest() { const out = Buffer.allocUnsafe(4); out.writeUInt32BE(c >>> 0); return out; },
  };
}
`;

// A transpiler that keeps function names (tsx, in the tests) adds `__name` calls to the CRC source.
const WORKER_SOURCE = `
const tableCrcs = ((__name) => (${tableCrcs.toString()}))((f) => f);
const lib = { ...require('node:crypto'), ...require('node:zlib'), ...require('node:fs'), tableCrcs };
${HASHER_SOURCE}
const { parentPort } = require('node:worker_threads');
const jobs = new Map();
parentPort.on('message', (m) => {
  let job = jobs.get(m.id);
  try {
    if (m.cancel) { job?.close(); jobs.delete(m.id); return; }
    if (!job) { job = fileHasher(m.path, m.algorithms); jobs.set(m.id, job); }
    job.feed(m.upTo);
    if (m.end) { jobs.delete(m.id); parentPort.postMessage({ id: m.id, digests: job.finish() }); }
  } catch (e) {
    job?.close();
    jobs.delete(m.id);
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});
`;

type MakeHasher = (path: string, algorithms: readonly NativeDigest[]) => FileHasher;
let madeHasher: MakeHasher | undefined;

/**
 * The hasher built from the same source, for this thread. Built, like the worker, on the first
 * large upload: start-up then loads neither zlib nor worker_threads.
 */
function localHasher(path: string, algorithms: readonly NativeDigest[]): FileHasher {
  madeHasher ??= new Function('lib', `${HASHER_SOURCE}\nreturn fileHasher;`)(
    { createHash, crc32: lazyZlib().crc32, tableCrcs, openSync: fs.openSync, readSync: fs.readSync, closeSync: fs.closeSync },
  ) as MakeHasher;
  return madeHasher(path, algorithms);
}

/** Bytes between progress messages: few messages, yet the worker is never far behind. */
const STEP = 1 << 20;

interface Job {
  path: string;
  algorithms: readonly NativeDigest[];
  /** Set once the worker is gone: the digests are taken here at the end. */
  local: boolean;
  /** The file's final size, once known. */
  size?: number;
  done?: (r: { digests: Digests } | { error: Error }) => void;
}

let worker: Worker | undefined;
let broken = false;
let nextId = 0;
const jobs = new Map<number, Job>();
/** Jobs whose request waits for the worker's answer: while there are any, the worker keeps the process alive. */
let awaited = 0;

function theWorker(): Worker | undefined {
  if (worker || broken) return worker;
  try {
    // No inherited flags: the worker runs plain CommonJS and needs no loader.
    const { Worker: WorkerThread } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    worker = new WorkerThread(WORKER_SOURCE, { eval: true, execArgv: [] });
  } catch {
    broken = true;
    return undefined;
  }
  worker.on('message', (m: { id: number; digests?: Record<string, Uint8Array>; error?: string }) => {
    const job = jobs.get(m.id);
    if (!job?.done) return;
    jobs.delete(m.id);
    if (--awaited === 0) worker?.unref();
    if (m.digests) job.done({ digests: asBuffers(m.digests) });
    else job.done({ error: new Error(m.error) });
  });
  const fail = () => {
    broken = true;
    worker = undefined;
    awaited = 0;
    for (const [id, job] of jobs) {
      job.local = true;
      if (job.done) { jobs.delete(id); job.done(hashHere(job)); }
    }
  };
  worker.on('error', fail);
  worker.on('exit', fail);
  // Last: a 'message' listener refs the worker's port again, which would keep the process alive.
  worker.unref();
  return worker;
}

function asBuffers(d: Record<string, Uint8Array>): Digests {
  const out: Digests = {};
  for (const [k, v] of Object.entries(d)) out[k as NativeDigest] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return out;
}

function hashHere(job: Job): { digests: Digests } | { error: Error } {
  const h = localHasher(job.path, job.algorithms);
  try {
    h.feed(job.size ?? 0);
    return { digests: asBuffers(h.finish()) };
  } catch (e) {
    h.close();
    return { error: e as Error };
  }
}

/**
 * The native digests of a file being written: call {@link written} as bytes reach the file
 * (in order), then {@link finish} once it is closed, or {@link cancel}.
 */
export class SpoolDigests {
  readonly #id = nextId++;
  readonly #job: Job;
  #posted = 0;
  #started = false;

  constructor(path: string, algorithms: readonly NativeDigest[]) {
    this.#job = { path, algorithms, local: !theWorker() };
    if (!this.#job.local) jobs.set(this.#id, this.#job);
  }

  /** The first `upTo` bytes of the file are written. */
  written(upTo: number): void {
    if (this.#job.local || upTo - this.#posted < STEP) return;
    this.#post(upTo, false);
  }

  /** The file is complete at `size` bytes: its digests. */
  finish(size: number): Promise<Digests> {
    return new Promise((resolve, reject) => {
      this.#job.size = size;
      this.#job.done = (r) => ('error' in r ? reject(r.error) : resolve(r.digests));
      if (this.#job.local) { jobs.delete(this.#id); this.#job.done(hashHere(this.#job)); return; }
      if (awaited++ === 0) worker!.ref();
      this.#post(size, true);
    });
  }

  cancel(): void {
    if (jobs.delete(this.#id)) worker?.postMessage({ id: this.#id, cancel: true });
  }

  #post(upTo: number, end: boolean): void {
    this.#posted = upTo;
    // The first message names the file: by then the spool has opened it.
    const job = this.#started ? {} : { path: this.#job.path, algorithms: this.#job.algorithms };
    this.#started = true;
    worker!.postMessage({ id: this.#id, upTo, end, ...job });
  }
}
