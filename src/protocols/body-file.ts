/**
 * Bodies too large to hold in memory. A request body above the gateway's spool threshold is
 * written to a file as it arrives (hashed on the way); an operation whose payload member is a
 * blob (S3 PutObject, UploadPart) receives that file as the member's value instead of a
 * Buffer. A response payload may likewise be a {@link StreamBody}: the HTTP adapter pipes it.
 */
import { createReadStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ChecksumAlgorithm } from './checksums.js';
import type { ServiceModel } from './model.js';
import { shapeOf } from './model.js';

/** A request body on disk: its decoded bytes (aws-chunked framing already removed) and their digests. */
export interface SpooledBody {
  readonly kind: 'spooled';
  readonly path: string;
  readonly size: number;
  /** Hex SHA-256 of the bytes as sent (framing included), when the signature needs it. */
  readonly sha256Hex?: string;
  /** MD5 of the decoded bytes (S3's ETag and Content-MD5). */
  readonly md5: Buffer;
  /** Base64 flexible checksums of the decoded bytes, for the algorithms the request named. */
  readonly checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/** A response body read from somewhere on demand: `size` bytes from `open()`. */
export interface StreamBody {
  readonly kind: 'stream';
  readonly size: number;
  open(): Readable;
}

export function isSpooledBody(v: unknown): v is SpooledBody {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'spooled';
}

export function isStreamBody(v: unknown): v is StreamBody {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'stream';
}

/** `size` bytes of a file from `start`, optionally passed through a transform (a decipher). */
export function fileSlice(path: string, start: number, size: number, through?: (r: Readable) => Readable): StreamBody {
  return {
    kind: 'stream', size,
    open: () => {
      // createReadStream's `end` is inclusive; an empty slice reads nothing.
      const r = createReadStream(path, size > 0 ? { start, end: start + size - 1, highWaterMark: 1 << 20 } : { start: 0, end: -1 });
      return through ? through(r) : r;
    },
  };
}

/** The whole of a stream body in memory, for callers that need bytes (in-process calls). */
export async function streamToBuffer(body: StreamBody): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body.open()) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** A spooled body read back into memory. */
export function readSpooled(body: SpooledBody): Buffer {
  return readFileSync(body.path);
}

/** Whether an operation's input binds the whole body to a blob member (the file can be handed over as is). */
export function takesBlobPayload(model: ServiceModel, operation: string): boolean {
  const op = model.operations[operation];
  if (!op) return false;
  for (const m of Object.values(shapeOf(model, op.input).members ?? {})) {
    if (m.traits?.httpPayload) return shapeOf(model, m.target).type === 'blob';
  }
  return false;
}
