import { createHash, hash } from 'node:crypto';
import { AwsError } from '../core/errors.js';
import { parseHeader, parsePresigned } from './sigv4-parse.js';
import { deriveSigningKey, hmac, sha256Hex, signatureHex } from './sigv4-crypto.js';
import { canonicalHeaders, canonicalQuery, canonicalUri, decode, presignParams, splitQuery, uriCandidates } from './sigv4-canonical.js';

/**
 * Server-side AWS Signature Version 4: reads the `Authorization` header or a pre-signed query,
 * rebuilds the canonical request exactly as the SDKs do, and answers every refusal with the code
 * and text AWS uses. Each problem carries two wordings: the one most services speak (`code`,
 * `message`) and S3's own (`s3`), because S3 words every auth error differently.
 */

/** A request as it came off the wire. Header keys lower-case, values as Node gives them (latin1). */
export interface SignedRequest {
  method: string;
  /** Exactly as on the wire, still percent-encoded, without the query. */
  rawPath: string;
  /** As on the wire, without the `?`. */
  rawQuery: string;
  /** `IncomingMessage.headers`, or `headersDistinct`, which keeps repeated headers apart. */
  headers: Record<string, string | string[] | undefined>;
}

/** What the signature parameters say, before anything is verified. */
export interface ParsedAuth {
  kind: 'header' | 'presigned';
  accessKeyId: string;
  /** The request time, from X-Amz-Date (header or query) or the Date header. */
  date: Date;
  /** The request time in ISO-8601 basic form, as it enters the string to sign. */
  amzDate: string;
  scopeDate: string;
  region: string;
  service: string;
  /** `date/region/service/terminator` exactly as the client sent it. */
  credentialScope: string;
  signedHeaders: string[];
  signature: string;
  sessionToken?: string;
  expiresSeconds?: number;
}

/** One wording of a refusal: AWS error code, HTTP status, message, extra error members. */
export interface ProblemForm { code: string; message: string; status: number; fields?: Record<string, string> }

/** Stable names for every refusal, for the gateway to map onto each service's own error code. */
export type AuthProblemKind =
  | 'MissingAuthenticationToken' | 'UnsupportedAlgorithm' | 'MalformedAuthorization' | 'MissingParameters'
  | 'MalformedCredential' | 'MalformedDate' | 'MalformedExpires' | 'MultipleAuthMechanisms' | 'HostNotSigned'
  | 'HeadersNotSigned' | 'MissingContentSha256' | 'InvalidContentSha256' | 'ContentSha256Mismatch'
  | 'ScopeMismatch' | 'RequestExpired' | 'RequestNotYetValid' | 'PresignExpired' | 'SignatureDoesNotMatch'
  | 'ChunkSignatureDoesNotMatch' | 'MalformedChunk' | 'IncompleteBody' | 'MissingDecodedContentLength'
  | 'DecodedLengthMismatch' | 'TrailerMismatch';

/** A refusal: the common AWS wording at the top level, S3's under `s3`. Returned, never thrown. */
export interface AuthProblem extends ProblemForm {
  kind: AuthProblemKind;
  s3: ProblemForm;
  /** For logs: what we signed when the signature did not match. */
  debug?: { canonicalRequest: string; stringToSign: string };
}

/** A verified request yields what chunk signatures of an aws-chunked body are checked with. */
export type VerifyResult =
  | { ok: true; signingKey: Buffer; seedSignature: string; amzDate: string; credentialScope: string }
  | { ok: false; problem: AuthProblem };

export interface VerifyOptions {
  /** S3 rules: path signed as sent, X-Amz-Expires required, x-amz-content-sha256 required. */
  s3?: boolean;
  /** When set, a credential scoped elsewhere is refused with AWS's scope message. */
  expectedRegion?: string;
  expectedService?: string;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** The `x-amz-content-sha256` values that announce an aws-chunked body. */
export const STREAMING_PAYLOADS: readonly string[] = [
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
];

export const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60_000;
export const MAX_EXPIRES = 604_800;
export const S3_HEADER = 'The authorization header is malformed; ';
export const S3_QUERY = 'Error parsing the X-Amz-Credential parameter; ';
/** SignatureDoesNotMatch in the common wording and in S3's, also used for chunk signatures. */
export const MISMATCH_TEXT = {
  aws: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  s3: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
} as const;
/** AWS's texts that more than one refusal uses. */
export const TEXT = {
  mismatch: MISMATCH_TEXT.aws,
  s3Mismatch: MISMATCH_TEXT.s3,
  noToken: 'Request is missing Authentication Token',
  threeParts: `${S3_HEADER}the authorization header requires three components: Credential, SignedHeaders, and Signature.`,
  needDate: 'AWS authentication requires a valid Date or x-amz-date header',
  queryParams: 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
  notSigned: 'There were headers present in the request which were not signed',
};

export { deriveSigningKey, hmac, sha256Hex, signatureHex };

/** Builds an AuthProblem whose S3 wording defaults to the common one. Shared with aws-chunked. */
export function authProblem(
  kind: AuthProblemKind, code: string, message: string, status: number, s3?: Partial<ProblemForm>,
): AuthProblem {
  return { kind, code, message, status, s3: { code, message, status, ...s3 } };
}
export const problem = authProblem;

/** The AwsError for a problem, in S3's wording when `s3`. */
export function toAwsError(p: AuthProblem, s3: boolean): AwsError {
  const f = s3 ? p.s3 : p;
  return new AwsError(f.code, f.message, f.status, { fields: f.fields });
}

/** Tells the two halves of what `parseAuthorization` returns apart. */
export function isAuthProblem(v: ParsedAuth | AuthProblem): v is AuthProblem {
  return 'code' in v;
}

/**
 * Reads SigV4 auth from the Authorization header or the pre-signed query. Cheap enough to run
 * before routing: no hashing, and the query is only scanned when it names X-Amz- parameters.
 * `undefined` means the request carries no SigV4 auth at all.
 */
export function parseAuthorization(req: SignedRequest): ParsedAuth | AuthProblem | undefined {
  const header = first(req.headers['authorization'])?.trim();
  const query = req.rawQuery.includes('X-Amz-') ? presignParams(req.rawQuery) : undefined;
  if (header && query) {
    return problem('MultipleAuthMechanisms', 'SignatureDoesNotMatch', TEXT.mismatch, 403, {
      code: 'InvalidArgument', status: 400,
      message: 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    });
  }
  if (header) return parseHeader(header, req.headers);
  return query ? parsePresigned(query) : undefined;
}

/**
 * The payload hash a request was signed with: its `x-amz-content-sha256` when present (a hex
 * value must match the body, as S3 checks), else the body's own SHA-256.
 */
export function payloadHashFor(req: SignedRequest, body: Uint8Array, bodySha256Hex?: string):
  { ok: true; payloadHash: string } | { ok: false; problem: AuthProblem } {
  const declared = first(req.headers['x-amz-content-sha256']);
  // A body spooled to disk was hashed as it arrived: `bodySha256Hex` saves reading it again.
  if (declared === undefined) return { ok: true, payloadHash: bodySha256Hex ?? sha256Hex(body) };
  if (declared === UNSIGNED_PAYLOAD || STREAMING_PAYLOADS.includes(declared)) return { ok: true, payloadHash: declared };
  if (!/^[0-9a-fA-F]{64}$/.test(declared)) {
    return { ok: false, problem: problem('InvalidContentSha256', 'SignatureDoesNotMatch', TEXT.mismatch, 403, {
      code: 'InvalidArgument', status: 400, fields: { ArgumentName: 'x-amz-content-sha256', ArgumentValue: declared },
      message: `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, ${STREAMING_PAYLOADS.join(', ')} or a valid sha256 value.`,
    }) };
  }
  const actual = bodySha256Hex ?? sha256Hex(body);
  if (declared.toLowerCase() === actual) return { ok: true, payloadHash: declared };
  return { ok: false, problem: problem('ContentSha256Mismatch', 'SignatureDoesNotMatch', TEXT.mismatch, 403, {
    code: 'XAmzContentSHA256Mismatch', status: 400,
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    fields: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: actual },
  }) };
}

/**
 * Verifies a parsed request with the secret key, checking in AWS's order: time, Host signed,
 * credential scope, signature (S3 pre-signed URLs: expiry after the signature, as S3 does).
 * `payloadHash` is what {@link payloadHashFor} gives; `now` is the emulator's clock.
 */
export function verifySignature(
  req: SignedRequest, auth: ParsedAuth, secretAccessKey: string, payloadHash: string, now: Date,
  opts: VerifyOptions = {},
): VerifyResult {
  const s3 = opts.s3 === true;
  const presigned = auth.kind === 'presigned';
  const early = (s3 && presigned ? s3PresignProblem(req, auth) : timeProblem(auth, now))
    ?? hostProblem(auth) ?? scopeProblem(auth, opts);
  if (early) return { ok: false, problem: early };
  if (s3 && !presigned && first(req.headers['x-amz-content-sha256']) === undefined) {
    const message = 'Missing required header for this request: x-amz-content-sha256';
    return { ok: false, problem: problem('MissingContentSha256', 'InvalidRequest', message, 400) };
  }

  const key = deriveSigningKey(secretAccessKey, auth.scopeDate, auth.region, auth.service);
  const headers = `${canonicalHeaders(req.headers, auth.signedHeaders)}\n${auth.signedHeaders.join(';')}`;
  const payloads = presigned ? presignPayloads(req, payloadHash) : [payloadHash];
  const stringToSign = (canonical: string) =>
    `${ALGORITHM}\n${auth.amzDate}\n${auth.credentialScope}\n${sha256Wire(canonical)}`;
  const matches = (canonical: string) => sameHex(signatureHex(key, stringToSign(canonical)), auth.signature);

  const query = canonicalQuery(req.rawQuery, presigned, false);
  const primary = `${req.method}\n${canonicalUri(req.rawPath, s3)}\n${query}\n${headers}\n${payloads[0]}`;
  if (!matches(primary) && !alternatives(req, s3, presigned, headers, payloads).some(matches)) {
    return { ok: false, problem: mismatch(auth, primary, stringToSign(primary)) };
  }
  const late = s3 && presigned ? expiryProblem(auth, now) : undefined;
  if (late) return { ok: false, problem: late };
  return { ok: true, signingKey: key, seedSignature: auth.signature, amzDate: auth.amzDate, credentialScope: auth.credentialScope };
}

/**
 * Clients disagree in the corners (path normalization, '+' for space in queries, the payload
 * hash of a pre-signed URL) and AWS accepts each client's form, so after a miss every
 * combination is tried: at most a dozen canonical requests, and only for failing requests.
 */
function alternatives(req: SignedRequest, s3: boolean, presigned: boolean, headers: string, payloads: string[]): string[] {
  const queries = [canonicalQuery(req.rawQuery, presigned, false)];
  if (req.rawQuery.includes('+')) queries.push(canonicalQuery(req.rawQuery, presigned, true));
  return uriCandidates(req.rawPath, s3).flatMap((uri) => queries.flatMap((query) =>
    payloads.map((payload) => `${req.method}\n${uri}\n${query}\n${headers}\n${payload}`)));
}

// ---- checks -----------------------------------------------------------------------------------

/** Header auth, and pre-signed URLs without X-Amz-Expires: within 15 minutes of now. */
function timeProblem(auth: ParsedAuth, now: Date): AuthProblem | undefined {
  if (auth.expiresSeconds !== undefined) return expiryProblem(auth, now);
  const skew = now.getTime() - auth.date.getTime();
  if (Math.abs(skew) <= MAX_SKEW_MS) return undefined;
  const s3 = {
    code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.',
    fields: { RequestTime: auth.amzDate, ServerTime: isoSeconds(now), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS) },
  };
  return skew > 0
    ? problem('RequestExpired', 'SignatureDoesNotMatch', expiredMessage(auth, now, MAX_SKEW_MS / 1000), 403, s3)
    : problem('RequestNotYetValid', 'SignatureDoesNotMatch', notYetMessage(auth, now), 403, s3);
}

/** Pre-signed URLs with X-Amz-Expires: not from the future, not past date + expires. */
function expiryProblem(auth: ParsedAuth, now: Date): AuthProblem | undefined {
  const signed = auth.date.getTime();
  const expires = auth.expiresSeconds ?? 0;
  if (signed - now.getTime() > MAX_SKEW_MS) {
    return problem('RequestNotYetValid', 'SignatureDoesNotMatch', notYetMessage(auth, now), 403, { code: 'AccessDenied', message: 'Request is not valid yet' });
  }
  if (now.getTime() <= signed + expires * 1000) return undefined;
  return problem('PresignExpired', 'SignatureDoesNotMatch', expiredMessage(auth, now, expires), 403, {
    code: 'AccessDenied', message: 'Request has expired',
    fields: { 'X-Amz-Expires': String(expires), Expires: isoSeconds(new Date(signed + expires * 1000)), ServerTime: isoSeconds(now) },
  });
}

function expiredMessage(auth: ParsedAuth, now: Date, seconds: number): string {
  const window = seconds % 60 === 0 ? `${seconds / 60} min.` : `${seconds} sec.`;
  const limit = formatAmzDate(new Date(now.getTime() - seconds * 1000));
  return `Signature expired: ${auth.amzDate} is now earlier than ${limit} (${formatAmzDate(now)} - ${window})`;
}

function notYetMessage(auth: ParsedAuth, now: Date): string {
  const limit = formatAmzDate(new Date(now.getTime() + MAX_SKEW_MS));
  return `Signature not yet current: ${auth.amzDate} is still later than ${limit} (${formatAmzDate(now)} + 15 min.)`;
}

/** S3 pre-signed URLs need X-Amz-Expires, and every x-amz-* header sent must be signed. */
function s3PresignProblem(req: SignedRequest, auth: ParsedAuth): AuthProblem | undefined {
  if (auth.expiresSeconds === undefined) return problem('MissingParameters', 'AuthorizationQueryParametersError', TEXT.queryParams, 400);
  const unsigned = Object.keys(req.headers)
    .filter((h) => h.startsWith('x-amz-') && h !== 'x-amz-content-sha256' && !auth.signedHeaders.includes(h));
  if (!unsigned.length) return undefined;
  const fields = { HeadersNotSigned: unsigned.join(', ') };
  return { ...problem('HeadersNotSigned', 'AccessDenied', TEXT.notSigned, 403, { fields }), fields };
}

function hostProblem(auth: ParsedAuth): AuthProblem | undefined {
  if (auth.signedHeaders.includes('host') || auth.signedHeaders.includes(':authority')) return undefined;
  const message = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
  return problem('HostNotSigned', 'SignatureDoesNotMatch', message, 403, { code: 'AccessDenied', message: TEXT.notSigned, fields: { HeadersNotSigned: 'host' } });
}

/** Every scope fault in one message, as AWS lists them; S3 names only the first. */
function scopeProblem(auth: ParsedAuth, opts: VerifyOptions): AuthProblem | undefined {
  // The common case, checked without allocating: a well-formed scope and no expectations.
  if (opts.expectedRegion === undefined && opts.expectedService === undefined && auth.credentialScope.endsWith('/aws4_request')
    && auth.amzDate.startsWith(auth.scopeDate) && auth.scopeDate.length === 8) return undefined;
  const terminator = auth.credentialScope.split('/')[3];
  const day = auth.amzDate.slice(0, 8);
  const faults: Array<[string, string, Record<string, string>?]> = [];
  if (opts.expectedRegion !== undefined && auth.region !== opts.expectedRegion) {
    faults.push([`Credential should be scoped to a valid region, not '${auth.region}'. `,
      `the region '${auth.region}' is wrong; expecting '${opts.expectedRegion}'`, { Region: opts.expectedRegion }]);
  }
  if (opts.expectedService !== undefined && auth.service !== opts.expectedService) {
    faults.push([`Credential should be scoped to correct service: '${opts.expectedService}'. `,
      `incorrect service "${auth.service}". This endpoint belongs to "${opts.expectedService}".`]);
  }
  if (terminator !== 'aws4_request') {
    faults.push([`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
      `incorrect terminal "${terminator}". This endpoint uses "aws4_request".`]);
  }
  if (auth.scopeDate !== day) {
    faults.push([`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${day}', from '${auth.amzDate}'. `,
      `Invalid credential date "${auth.scopeDate}". This date is not the same as X-Amz-Date: "${day}".`]);
  }
  if (!faults.length) return undefined;
  const [, s3Text, fields] = faults[0]!;
  const header = auth.kind === 'header';
  return problem('ScopeMismatch', 'SignatureDoesNotMatch', faults.map((f) => f[0]).join(''), 403, {
    code: header ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError', status: 400,
    message: (header ? S3_HEADER : S3_QUERY) + s3Text, ...(fields ? { fields } : {}),
  });
}

function mismatch(auth: ParsedAuth, canonicalRequest: string, stringToSign: string): AuthProblem {
  return {
    ...problem('SignatureDoesNotMatch', 'SignatureDoesNotMatch', TEXT.mismatch, 403, {
      message: TEXT.s3Mismatch,
      fields: {
        AWSAccessKeyId: auth.accessKeyId, StringToSign: stringToSign, SignatureProvided: auth.signature,
        StringToSignBytes: spacedHex(stringToSign), CanonicalRequest: canonicalRequest, CanonicalRequestBytes: spacedHex(canonicalRequest),
      },
    }),
    debug: { canonicalRequest, stringToSign },
  };
}

/** A pre-signed URL's payload hash: the one it names (query or header), else UNSIGNED-PAYLOAD;
 * then the body's hash, which the JavaScript SDK signs when it presigns a non-S3 request. */
function presignPayloads(req: SignedRequest, payloadHash: string): string[] {
  const named = splitQuery(req.rawQuery).find(([k]) => k.toLowerCase() === 'x-amz-content-sha256')?.[1];
  const primary = (named && decode(named)) ?? first(req.headers['x-amz-content-sha256']) ?? UNSIGNED_PAYLOAD;
  return primary === payloadHash ? [primary] : [primary, payloadHash];
}

// ---- small helpers ----------------------------------------------------------------------------

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** `YYYYMMDDTHHMMSSZ` to a Date, refusing impossible dates such as February 30th. */
export function parseAmzDate(s: string): Date | undefined {
  // Requests arriving in the same second carry the same date: remember the last one read.
  if (s === lastAmzDate.text) return lastAmzDate.ms === undefined ? undefined : new Date(lastAmzDate.ms);
  const d = readAmzDate(s);
  lastAmzDate = { text: s, ms: d?.getTime() };
  return d;
}
let lastAmzDate: { text: string; ms: number | undefined } = { text: '', ms: undefined };

function readAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  // Date.UTC rolls impossible fields over (Feb 30 -> Mar 1); a round trip of the day shows it.
  return date.getUTCDate() === d && date.getUTCMonth() === mo - 1 && h < 24 && mi < 60 && se < 60 ? date : undefined;
}

export function parseHttpDate(s: string): Date | undefined {
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

export function formatAmzDate(d: Date): string {
  return isoSeconds(d).replace(/[-:]/g, '');
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Every character of a canonical request built from Node's latin1 strings is one wire byte. */
function sha256Wire(canonical: string): string {
  // ASCII (the usual case) is the same bytes in UTF-8, which the one-shot hash reads strings as;
  // a UTF-8 length equal to the string's length says so without a regex pass.
  if (Buffer.byteLength(canonical, 'utf8') === canonical.length) return hash('sha256', canonical, 'hex');
  return createHash('sha256').update(canonical, /[^\u0000-\u00ff]/.test(canonical) ? 'utf8' : 'latin1').digest('hex');
}

/** Constant-time comparison of our hex signature with the one provided (any characters). */
function sameHex(expected: string, provided: string): boolean {
  if (expected.length !== provided.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ provided.charCodeAt(i);
  return diff === 0;
}

function spacedHex(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
