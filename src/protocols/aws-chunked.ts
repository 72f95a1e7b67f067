import { createHash, type Hash } from 'node:crypto';
import { authProblem, EMPTY_SHA256, hmac, MISMATCH_TEXT, sha256Hex, STREAMING_PAYLOADS } from './sigv4.js';
import type { AuthProblem, ParsedAuth } from './sigv4.js';

/**
 * Decodes `aws-chunked` request bodies (S3 uploads whose `x-amz-content-sha256` is one of the
 * STREAMING-* values): strips the chunk framing, verifies the chained chunk signatures and the
 * trailer signature, and returns the trailing headers (the `x-amz-checksum-*` the SDKs send
 * last). Works on a whole body or piece by piece as it streams to disk ({@link AwsChunkedDecoder}).
 *
 * Wire form: `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n`, repeated, then a zero-size
 * chunk, then optional `name:value\r\n` trailer lines and a final `\r\n`.
 */

/** What verifySignature hands over for signed chunks, plus the request's own auth. */
export interface ChunkedOptions {
  /** From a successful verifySignature; required for the signed STREAMING modes. */
  signingKey?: Buffer;
  seedSignature?: string;
  /** The parsed request auth: its amzDate and credential scope enter every chunk signature. */
  auth?: Pick<ParsedAuth, 'amzDate' | 'credentialScope'>;
  /** The `x-amz-decoded-content-length` header. S3 requires it on a framed body. */
  decodedLength?: string | number;
  /** The `x-amz-trailer` header: the trailers the client promised to send. */
  trailer?: string;
}

export type ChunkedResult =
  | { ok: true; body: Buffer; trailers: Record<string, string> }
  | { ok: false; problem: AuthProblem };

const SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';
const MAX_CHUNK_HEADER = 4096;

/** Whether a request carries an aws-chunked body that {@link decodeAwsChunked} must unwrap. */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const sha = headers['x-amz-content-sha256'];
  const encoding = headers['content-encoding'];
  return (typeof sha === 'string' && STREAMING_PAYLOADS.includes(sha))
    || (typeof encoding === 'string' && encoding.split(',').some((e) => e.trim() === 'aws-chunked'));
}

/** `Content-Encoding` without `aws-chunked`, as S3 stores it; undefined when nothing is left. */
export function withoutAwsChunked(contentEncoding: string | undefined): string | undefined {
  const rest = contentEncoding?.split(',').map((e) => e.trim()).filter((e) => e && e !== 'aws-chunked');
  return rest?.length ? rest.join(',') : undefined;
}

/**
 * Unwraps an aws-chunked body. `contentSha256` is the request's `x-amz-content-sha256`; the two
 * signed modes need `signingKey`, `seedSignature` and `auth`. Refusals: a wrong chunk or trailer
 * signature is SignatureDoesNotMatch, broken framing InvalidRequest, a body that stops early
 * IncompleteBody, a missing decoded length MissingContentLength.
 */
export function decodeAwsChunked(encoded: Buffer, contentSha256: string, opts: ChunkedOptions = {}): ChunkedResult {
  const parts: Buffer[] = [];
  const decoder = new AwsChunkedDecoder((b) => parts.push(b), isSigned(contentSha256));
  decoder.push(encoded);
  const checked = verifyAwsChunked(decoder.end(), contentSha256, opts);
  if (!checked.ok) return checked;
  // One chunk (the common case for small uploads) is returned without a copy.
  return { ok: true, body: parts.length === 1 ? parts[0]! : Buffer.concat(parts), trailers: checked.trailers };
}

function isSigned(contentSha256: string): boolean {
  return contentSha256 === SIGNED || contentSha256 === SIGNED_TRAILER;
}

/** What a decoder saw: each chunk's hash and signature, the trailer text, the decoded size, a framing fault. */
export interface DecodedChunks {
  chunks: { sha256Hex: string; signature?: string }[];
  trailerText: string;
  size: number;
  fault?: 'malformed' | 'incomplete';
}

/** Whether the request's `x-amz-content-sha256` asks for signed chunks (their hashes must be kept). */
export function chunksAreSigned(contentSha256: string | undefined): boolean {
  return contentSha256 !== undefined && isSigned(contentSha256);
}

const MAX_TRAILER = 16 * 1024;

/**
 * Strips aws-chunked framing from a body fed piece by piece (as it arrives over the socket),
 * handing decoded bytes to `onData` and keeping what {@link verifyAwsChunked} needs to check
 * the signatures afterwards: the SHA-256 of each chunk (signed modes) and the trailer lines.
 * After a framing fault the rest is ignored.
 */
export class AwsChunkedDecoder {
  #state: 'header' | 'data' | 'crlf' | 'trailer' | 'done' = 'header';
  #line = '';
  #left = 0;
  #crlf = 0;
  #hash: Hash | undefined;
  #signature: string | undefined;
  readonly #out: DecodedChunks = { chunks: [], trailerText: '', size: 0 };

  constructor(private readonly onData: (b: Buffer) => void, private readonly hashChunks: boolean) {}

  push(buf: Buffer): void {
    let pos = 0;
    while (pos < buf.length && this.#state !== 'done') {
      if (this.#state === 'header') pos = this.#header(buf, pos);
      else if (this.#state === 'data') {
        const n = Math.min(this.#left, buf.length - pos);
        const piece = buf.subarray(pos, pos + n);
        this.#hash?.update(piece);
        this.onData(piece);
        this.#out.size += n;
        this.#left -= n;
        pos += n;
        if (this.#left === 0) this.#endChunk(false);
      } else if (this.#state === 'crlf') {
        if (buf[pos] !== (this.#crlf === 0 ? 0x0d : 0x0a)) return this.#fault('malformed');
        pos++;
        if (++this.#crlf === 2) this.#state = 'header';
      } else {
        this.#out.trailerText += buf.toString('latin1', pos);
        if (this.#out.trailerText.length > MAX_TRAILER) return this.#fault('malformed');
        pos = buf.length;
      }
    }
  }

  /** The record of the whole body, once the request has ended. */
  end(): DecodedChunks {
    if (this.#state === 'header' || this.#state === 'data' || this.#state === 'crlf') this.#out.fault ??= 'incomplete';
    this.#state = 'done';
    return this.#out;
  }

  #header(buf: Buffer, pos: number): number {
    const lf = buf.indexOf(0x0a, pos);
    const take = lf < 0 ? buf.length : lf + 1;
    this.#line += buf.toString('latin1', pos, take);
    // A chunk header is short; a long run without CRLF is not aws-chunked.
    if (this.#line.length > MAX_CHUNK_HEADER + 2) { this.#fault('malformed'); return buf.length; }
    if (lf < 0) return take;
    const line = this.#line;
    this.#line = '';
    const m = line.endsWith('\r\n') ? /^([0-9a-fA-F]{1,15})(?:;(.*))?$/.exec(line.slice(0, -2)) : null;
    if (!m) { this.#fault('malformed'); return buf.length; }
    this.#left = parseInt(m[1]!, 16);
    this.#signature = /(?:^|;)chunk-signature=([0-9a-f]{64})$/.exec(m[2] ?? '')?.[1];
    this.#hash = this.hashChunks ? createHash('sha256') : undefined;
    if (this.#left === 0) this.#endChunk(true);
    else this.#state = 'data';
    return take;
  }

  #endChunk(last: boolean): void {
    this.#out.chunks.push({ sha256Hex: this.#hash ? this.#hash.digest('hex') : '', signature: this.#signature });
    this.#hash = undefined;
    this.#crlf = 0;
    this.#state = last ? 'trailer' : 'crlf';
  }

  #fault(kind: 'malformed' | 'incomplete'): void {
    this.#out.fault ??= kind;
    this.#state = 'done';
  }
}

/**
 * Checks what a decoder saw, in S3's order: chunk signatures (each chained on the previous),
 * then framing, then the trailer lines and their signature, then the decoded length.
 */
export function verifyAwsChunked(d: DecodedChunks, contentSha256: string, opts: ChunkedOptions = {}):
  { ok: true; trailers: Record<string, string> } | { ok: false; problem: AuthProblem } {
  const signed = isSigned(contentSha256);
  const withTrailer = contentSha256 !== SIGNED;
  if (opts.decodedLength === undefined || opts.decodedLength === '') {
    return fail(authProblem('MissingDecodedContentLength', 'MissingContentLength', 'You must provide the Content-Length HTTP header.', 411));
  }
  const chain = signed ? signer(opts) : undefined;
  // Signed chunks without a verified request to chain from (say, an anonymous upload claiming
  // them) cannot be checked, so they are refused like a bad signature.
  if (signed && !chain) return fail(mismatch());
  if (chain) {
    for (const c of d.chunks) {
      if (!c.signature) return malformed();
      if (!chain.chunk(c.sha256Hex, c.signature)) return fail(mismatch());
    }
  }
  if (d.fault) return d.fault === 'malformed' ? malformed() : incomplete();

  const trailers: Record<string, string> = {};
  const order: string[] = [];
  let trailerSignature: string | undefined;
  // Whatever follows the zero chunk is trailer lines. Lines may end in CRLF or a bare LF (some
  // clients write `name:value\n\r\n`); blank lines are padding and the final terminator.
  for (const raw of d.trailerText.split('\n')) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!text) continue;
    const colon = text.indexOf(':');
    if (!withTrailer || colon <= 0) return malformed();
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === TRAILER_SIGNATURE) trailerSignature = value;
    else if (!(name in trailers)) { trailers[name] = value; order.push(name); }
  }
  if (chain && contentSha256 === SIGNED_TRAILER && order.length) {
    if (!trailerSignature) return malformed();
    const canonical = order.map((n) => `${n}:${trailers[n]}\n`).join('');
    if (!chain.trailer(canonical, trailerSignature)) return fail(mismatch());
  }

  const promised = (opts.trailer ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const unpromised = order.filter((n) => !promised.includes(n));
  const missing = promised.filter((n) => !(n in trailers));
  if (unpromised.length || missing.length) {
    const message = missing.length
      ? `The trailer ${missing[0]} named in x-amz-trailer was not sent.`
      : `The trailer ${unpromised[0]} was sent but not named in x-amz-trailer.`;
    return fail(authProblem('TrailerMismatch', 'InvalidRequest', message, 400));
  }
  if (String(d.size) !== String(opts.decodedLength).trim()) {
    return fail(authProblem('DecodedLengthMismatch', 'IncompleteBody', INCOMPLETE, 400));
  }
  return { ok: true, trailers };
}

const INCOMPLETE = 'You did not provide the number of bytes specified by the Content-Length HTTP header.';

/** The signature chain: each chunk signs the previous signature; the trailer signs the last. */
function signer(opts: ChunkedOptions) {
  const { signingKey, seedSignature, auth } = opts;
  if (!signingKey || !seedSignature || !auth) return undefined;
  const prefix = `${auth.amzDate}\n${auth.credentialScope}\n`;
  let previous = seedSignature;
  const check = (stringToSign: string, provided: string): boolean => {
    const expected = hmac(signingKey, stringToSign).toString('hex');
    if (expected !== provided) return false;
    previous = provided;
    return true;
  };
  return {
    chunk: (dataSha256Hex: string, sig: string) =>
      check(`AWS4-HMAC-SHA256-PAYLOAD\n${prefix}${previous}\n${EMPTY_SHA256}\n${dataSha256Hex}`, sig),
    trailer: (canonical: string, sig: string) =>
      check(`AWS4-HMAC-SHA256-TRAILER\n${prefix}${previous}\n${sha256Hex(Buffer.from(canonical, 'latin1'))}`, sig),
  };
}

function fail(problem: AuthProblem): { ok: false; problem: AuthProblem } {
  return { ok: false, problem };
}

function mismatch(): AuthProblem {
  return authProblem('ChunkSignatureDoesNotMatch', 'SignatureDoesNotMatch', MISMATCH_TEXT.aws, 403, { message: MISMATCH_TEXT.s3 });
}

// S3 documents no message for broken framing or trailer mismatches; these texts are ours.
function malformed(): { ok: false; problem: AuthProblem } {
  return fail(authProblem('MalformedChunk', 'InvalidRequest', 'Invalid chunked upload body: the aws-chunked framing is malformed.', 400));
}

function incomplete(): { ok: false; problem: AuthProblem } {
  return fail(authProblem('IncompleteBody', 'IncompleteBody', INCOMPLETE, 400));
}
