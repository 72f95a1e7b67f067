import { authProblem, EMPTY_SHA256, hmac, MISMATCH_TEXT, sha256Hex, STREAMING_PAYLOADS } from './sigv4.js';
import type { AuthProblem, ParsedAuth } from './sigv4.js';

/**
 * Decodes `aws-chunked` request bodies (S3 uploads whose `x-amz-content-sha256` is one of the
 * STREAMING-* values): strips the chunk framing, verifies the chained chunk signatures and the
 * trailer signature, and returns the trailing headers (the `x-amz-checksum-*` the SDKs send
 * last). Works on a whole buffered body; the gateway buffers bodies.
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
const CRLF = Buffer.from('\r\n');

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
  const signed = contentSha256 === SIGNED || contentSha256 === SIGNED_TRAILER;
  const withTrailer = contentSha256 !== SIGNED;
  if (opts.decodedLength === undefined || opts.decodedLength === '') {
    return fail(authProblem('MissingDecodedContentLength', 'MissingContentLength', 'You must provide the Content-Length HTTP header.', 411));
  }
  const chain = signed ? signer(opts) : undefined;
  // Signed chunks without a verified request to chain from (say, an anonymous upload claiming
  // them) cannot be checked, so they are refused like a bad signature.
  if (signed && !chain) return fail(mismatch());

  const parts: Buffer[] = [];
  let pos = 0;
  let size = -1;
  while (size !== 0) {
    const lineEnd = encoded.indexOf(CRLF, pos);
    // A chunk header is short; a long run without CRLF is not aws-chunked, a short one is cut off.
    if (lineEnd < 0) return encoded.length - pos > MAX_CHUNK_HEADER ? malformed() : incomplete();
    if (lineEnd - pos > MAX_CHUNK_HEADER) return malformed();
    const line = encoded.toString('latin1', pos, lineEnd);
    const m = /^([0-9a-fA-F]{1,15})(?:;(.*))?$/.exec(line);
    if (!m) return malformed();
    size = parseInt(m[1]!, 16);
    const start = lineEnd + 2;
    const data = encoded.subarray(start, start + size);
    if (data.length < size) return incomplete();
    if (chain) {
      const sig = /(?:^|;)chunk-signature=([0-9a-f]{64})$/.exec(m[2] ?? '')?.[1];
      if (!sig) return malformed();
      if (!chain.chunk(data, sig)) return fail(mismatch());
    }
    pos = start + size;
    if (size > 0) {
      parts.push(data);
      if (encoded.length < pos + 2) return incomplete();
      if (encoded[pos] !== 0x0d || encoded[pos + 1] !== 0x0a) return malformed();
      pos += 2;
    }
  }

  const trailers: Record<string, string> = {};
  const order: string[] = [];
  let trailerSignature: string | undefined;
  // Whatever follows the zero chunk is trailer lines. Lines may end in CRLF or a bare LF (some
  // clients write `name:value\n\r\n`); blank lines are padding and the final terminator.
  for (const raw of encoded.toString('latin1', pos).split('\n')) {
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

  // One chunk (the common case for small uploads) is returned without a copy.
  const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (String(body.length) !== String(opts.decodedLength).trim()) {
    return fail(authProblem('DecodedLengthMismatch', 'IncompleteBody', INCOMPLETE, 400));
  }
  return { ok: true, body, trailers };
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
    chunk: (data: Buffer, sig: string) =>
      check(`AWS4-HMAC-SHA256-PAYLOAD\n${prefix}${previous}\n${EMPTY_SHA256}\n${sha256Hex(data)}`, sig),
    trailer: (canonical: string, sig: string) =>
      check(`AWS4-HMAC-SHA256-TRAILER\n${prefix}${previous}\n${sha256Hex(Buffer.from(canonical, 'latin1'))}`, sig),
  };
}

function fail(problem: AuthProblem): ChunkedResult {
  return { ok: false, problem };
}

function mismatch(): AuthProblem {
  return authProblem('ChunkSignatureDoesNotMatch', 'SignatureDoesNotMatch', MISMATCH_TEXT.aws, 403, { message: MISMATCH_TEXT.s3 });
}

// S3 documents no message for broken framing or trailer mismatches; these texts are ours.
function malformed(): ChunkedResult {
  return fail(authProblem('MalformedChunk', 'InvalidRequest', 'Invalid chunked upload body: the aws-chunked framing is malformed.', 400));
}

function incomplete(): ChunkedResult {
  return fail(authProblem('IncompleteBody', 'IncompleteBody', INCOMPLETE, 400));
}
