import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AwsError } from '../core/errors.js';

/**
 * Server-side AWS Signature Version 4: reads the `Authorization` header or a pre-signed query,
 * rebuilds the canonical request exactly as the SDKs do, and answers every refusal with the code
 * and text AWS uses. Each problem carries two forms: the one most services speak (`code`,
 * `message`) and S3's own (`s3`), because S3 words every auth error differently.
 */

/** A request as it came off the wire. Header keys lower-case, values as Node gives them (latin1). */
export interface SignedRequest {
  method: string;
  /** Exactly as on the wire, still percent-encoded, without the query. */
  rawPath: string;
  /** As on the wire, without the `?`. */
  rawQuery: string;
  /** `IncomingMessage.headers` (or `headersDistinct`, which keeps repeated headers apart). */
  headers: Record<string, string | string[] | undefined>;
}

/** What the credential scope and signature parameters say, before anything is verified. */
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

/** A refusal: the common AWS wording at the top level, S3's under `s3`. Never thrown. */
export interface AuthProblem extends ProblemForm {
  kind: AuthProblemKind;
  s3: ProblemForm;
  /** For logs: what we signed when the signature did not match. */
  debug?: { canonicalRequest: string; stringToSign: string };
}

export type VerifyResult =
  | { ok: true; signingKey: Buffer; seedSignature: string; amzDate: string; credentialScope: string }
  | { ok: false; problem: AuthProblem };

export interface VerifyOptions {
  /** S3 rules: path signed as sent, X-Amz-Expires required, S3's wording. */
  s3?: boolean;
  /** When set, a credential scoped elsewhere is refused with AWS's scope message. */
  expectedRegion?: string;
  expectedService?: string;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** The `x-amz-content-sha256` values that announce an aws-chunked body. */
export const STREAMING_PAYLOADS: readonly string[] = [
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
];

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60_000;
const MAX_EXPIRES = 604_800;
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const S3_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const S3_HEADER = 'The authorization header is malformed; ';
const S3_QUERY = 'Error parsing the X-Amz-Credential parameter; ';

/** Hex SHA-256, the payload hash of a body that carries no `x-amz-content-sha256`. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Reads SigV4 auth from the Authorization header or the pre-signed query. Cheap: no hashing,
 * the query is only scanned when it names X-Amz- parameters. `undefined` means no SigV4 at all.
 */
export function parseAuthorization(req: SignedRequest): ParsedAuth | AuthProblem | undefined {
  const header = first(req.headers['authorization'])?.trim();
  const query = req.rawQuery.includes('X-Amz-') ? presignParams(req.rawQuery) : undefined;
  if (header) {
    if (!query) return parseHeader(header, req.headers);
    return problem('MultipleAuthMechanisms', 'SignatureDoesNotMatch', MISMATCH, 403, {
      code: 'InvalidArgument', status: 400,
      message: 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    });
  }
  return query ? parsePresigned(query) : undefined;
}

/** Type guard for the union `parseAuthorization` returns. */
export function isAuthProblem(v: ParsedAuth | AuthProblem): v is AuthProblem {
  return 'code' in v;
}

/**
 * The payload hash a header-signed request was signed with: its `x-amz-content-sha256` when
 * present (a hex value must match the body), else the body's own SHA-256.
 */
export function payloadHashFor(req: SignedRequest, body: Uint8Array):
  { ok: true; payloadHash: string } | { ok: false; problem: AuthProblem } {
  const declared = first(req.headers['x-amz-content-sha256']);
  if (declared === undefined) return { ok: true, payloadHash: sha256Hex(body) };
  if (declared === UNSIGNED_PAYLOAD || STREAMING_PAYLOADS.includes(declared)) return { ok: true, payloadHash: declared };
  if (!/^[0-9a-fA-F]{64}$/.test(declared)) {
    return { ok: false, problem: problem('InvalidContentSha256', 'SignatureDoesNotMatch', MISMATCH, 403, {
      code: 'InvalidArgument', status: 400, fields: { ArgumentName: 'x-amz-content-sha256', ArgumentValue: declared },
      message: `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, ${STREAMING_PAYLOADS.join(', ')} or a valid sha256 value.`,
    }) };
  }
  const actual = sha256Hex(body);
  if (declared.toLowerCase() === actual) return { ok: true, payloadHash: declared };
  return { ok: false, problem: problem('ContentSha256Mismatch', 'SignatureDoesNotMatch', MISMATCH, 403, {
    code: 'XAmzContentSHA256Mismatch', status: 400,
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    fields: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: actual },
  }) };
}

/**
 * Verifies a parsed request against the secret key, in AWS's order: time, Host signed, credential
 * scope, signature (S3 pre-signed URLs: signature before expiry, as S3 does). `payloadHash` is
 * what {@link payloadHashFor} gives; pre-signed requests try UNSIGNED-PAYLOAD first. `now` is
 * the emulator's clock. The signing key and seed signature feed aws-chunked chunk verification.
 */
export function verifySignature(
  req: SignedRequest, auth: ParsedAuth, secretAccessKey: string, payloadHash: string, now: Date,
  opts: VerifyOptions = {},
): VerifyResult {
  const s3 = opts.s3 === true;
  const presigned = auth.kind === 'presigned';
  const early = (presigned && s3 ? s3PresignChecks(req, auth) : timeProblem(auth, now, s3))
    ?? hostProblem(auth) ?? scopeProblem(auth, opts, s3);
  if (early) return { ok: false, problem: early };
  if (s3 && !presigned && first(req.headers['x-amz-content-sha256']) === undefined) {
    const message = 'Missing required header for this request: x-amz-content-sha256';
    return { ok: false, problem: problem('MissingContentSha256', 'InvalidRequest', message, 400) };
  }

  const key = deriveSigningKey(secretAccessKey, auth.scopeDate, auth.region, auth.service);
  const headers = canonicalHeaderBlock(req.headers, auth.signedHeaders) + '\n' + auth.signedHeaders.join(';');
  const payloads = presigned ? presignPayloads(req, payloadHash) : [payloadHash];
  const build = (uri: string, query: string, payload: string): [string, string] => {
    const canonical = `${req.method}\n${uri}\n${query}\n${headers}\n${payload}`;
    const stringToSign = `${ALGORITHM}\n${auth.amzDate}\n${auth.credentialScope}\n${sha256Bytes(canonical)}`;
    return [canonical, stringToSign];
  };
  const matches = (stringToSign: string) => sameHex(hmac(key, stringToSign).toString('hex'), auth.signature);

  const primary = build(canonicalUri(req.rawPath, s3), canonicalQuery(req.rawQuery, presigned, false), payloads[0]!);
  let ok = matches(primary[1]);
  if (!ok) {
    // Clients disagree on the corners (path normalization, '+' in queries, pre-signed payload
    // hash); AWS accepts each client's form, so try the others, but only after a miss.
    const queries = [canonicalQuery(req.rawQuery, presigned, false)];
    if (req.rawQuery.includes('+')) queries.push(canonicalQuery(req.rawQuery, presigned, true));
    outer: for (const uri of uriCandidates(req.rawPath, s3)) {
      for (const query of queries) {
        for (const payload of payloads) {
          if (matches(build(uri, query, payload)[1])) { ok = true; break outer; }
        }
      }
    }
  }
  if (!ok) return { ok: false, problem: mismatch(auth, primary[0], primary[1]) };
  if (presigned && s3) {
    const expiry = presignExpiry(auth, now, true);
    if (expiry) return { ok: false, problem: expiry };
  }
  return { ok: true, signingKey: key, seedSignature: auth.signature, amzDate: auth.amzDate, credentialScope: auth.credentialScope };
}

/** The AWS error for a problem, in S3's wording when `s3`. */
export function toAwsError(p: AuthProblem, s3: boolean): AwsError {
  const f = s3 ? p.s3 : p;
  return new AwsError(f.code, f.message, f.status, { fields: f.fields });
}

/** Builds an AuthProblem; the S3 form defaults to the common one. Shared with aws-chunked. */
export function authProblem(
  kind: AuthProblemKind, code: string, message: string, status: number, s3?: Partial<ProblemForm>,
): AuthProblem {
  return { kind, code, message, status, s3: { code, message, status, ...s3 } };
}
const problem = authProblem;

/**
 * HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`. Cached per (secret,
 * date, region, service) in a small LRU: every request needs one and they change once a day.
 * The returned buffer is shared; do not modify it.
 */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}\n${region}\n${service}\n${secret}`;
  const hit = keyCache.get(id);
  if (hit) {
    keyCache.delete(id);
    keyCache.set(id, hit);
    return hit;
  }
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  keyCache.set(id, key);
  if (keyCache.size > KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
  return key;
}
const KEY_CACHE_SIZE = 256;
const keyCache = new Map<string, Buffer>();

/** HMAC-SHA256, exported for chunk and trailer signatures. */
export function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'latin1').digest();
}

// ---- parsing -------------------------------------------------------------------------------

function parseHeader(value: string, headers: SignedRequest['headers']): ParsedAuth | AuthProblem {
  const space = value.search(/\s/);
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) return unsupported(algorithm);
  const params = new Map<string, string>();
  for (const raw of (space < 0 ? '' : value.slice(space + 1)).split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      const message = `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${value}'.`;
      return problem('MalformedAuthorization', 'IncompleteSignature', message, 400, {
        code: 'AuthorizationHeaderMalformed', message: `${S3_HEADER}the authorization header requires three components: Credential, SignedHeaders, and Signature.`,
      });
    }
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const xAmzDate = first(headers['x-amz-date']);
  const dateHeader = xAmzDate ?? first(headers['date']);
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((p) => !params.get(p))
    .map((p) => `Authorization header requires '${p}' parameter. `);
  if (dateHeader === undefined) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
  if (missing.length) {
    return problem('MissingParameters', 'IncompleteSignature', `${missing.join('')}Authorization=${value}`, 400,
      dateHeader !== undefined || missing.length > 1
        ? { code: 'AuthorizationHeaderMalformed', message: `${S3_HEADER}the authorization header requires three components: Credential, SignedHeaders, and Signature.` }
        : { code: 'AccessDenied', status: 403, message: 'AWS authentication requires a valid Date or x-amz-date header' });
  }
  const date = xAmzDate !== undefined ? parseAmzDate(xAmzDate) : parseHttpDate(dateHeader!);
  if (!date) {
    return malformedDate(dateHeader!, { code: 'AccessDenied', status: 403, message: 'AWS authentication requires a valid Date or x-amz-date header' });
  }
  return withCredential('header', params.get('Credential')!, date, {
    signedHeaders: params.get('SignedHeaders')!.toLowerCase().split(';'),
    signature: params.get('Signature')!,
    sessionToken: first(headers['x-amz-security-token']),
  });
}

function parsePresigned(q: Map<string, string>): ParsedAuth | AuthProblem {
  const algorithm = q.get('X-Amz-Algorithm');
  const s3Missing = {
    code: 'AuthorizationQueryParametersError',
    message: 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
  };
  if (algorithm === undefined) return problem('MissingParameters', 'MissingAuthenticationToken', 'Request is missing Authentication Token', 403, s3Missing);
  const missing = ['Credential', 'Signature', 'SignedHeaders', 'Date'].filter((p) => !q.get(`X-Amz-${p}`))
    .map((p) => `AWS query-string parameters must include 'X-Amz-${p}'. `);
  if (missing.length) return problem('MissingParameters', 'IncompleteSignature', `${missing.join('')}Re-examine the query-string parameters.`, 400, s3Missing);
  if (algorithm !== ALGORITHM) {
    return problem('UnsupportedAlgorithm', 'MissingAuthenticationToken', 'Request is missing Authentication Token', 403, {
      code: 'AuthorizationQueryParametersError', status: 400, message: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    });
  }
  const rawDate = q.get('X-Amz-Date')!;
  const date = parseAmzDate(rawDate);
  if (!date) {
    return malformedDate(rawDate, { code: 'AuthorizationQueryParametersError', message: 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"' });
  }
  const expires = q.get('X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (expires !== undefined) {
    const bad = !/^-?\d+$/.test(expires) ? 'X-Amz-Expires should be a number'
      : Number(expires) < 0 ? 'X-Amz-Expires must be non-negative'
        : Number(expires) > MAX_EXPIRES ? 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'
          : undefined;
    if (bad) return problem('MalformedExpires', 'IncompleteSignature', bad, 400, { code: 'AuthorizationQueryParametersError' });
    expiresSeconds = Number(expires);
  }
  return withCredential('presigned', q.get('X-Amz-Credential')!, date, {
    signedHeaders: q.get('X-Amz-SignedHeaders')!.toLowerCase().split(';'),
    signature: q.get('X-Amz-Signature')!,
    sessionToken: q.get('X-Amz-Security-Token'),
    expiresSeconds,
  });
}

type AuthRest = Pick<ParsedAuth, 'signedHeaders' | 'signature' | 'sessionToken' | 'expiresSeconds'>;

function withCredential(kind: ParsedAuth['kind'], credential: string, date: Date, rest: AuthRest): ParsedAuth | AuthProblem {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    const message = `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`;
    return problem('MalformedCredential', 'IncompleteSignature', message, 400, {
      code: kind === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError',
      message: `${kind === 'header' ? S3_HEADER : S3_QUERY}the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    });
  }
  const [accessKeyId, scopeDate, region, service] = parts as [string, string, string, string, string];
  const auth: ParsedAuth = {
    kind, accessKeyId, date, amzDate: formatAmzDate(date), scopeDate, region, service,
    credentialScope: parts.slice(1).join('/'), signedHeaders: rest.signedHeaders, signature: rest.signature,
  };
  if (rest.sessionToken !== undefined) auth.sessionToken = rest.sessionToken;
  if (rest.expiresSeconds !== undefined) auth.expiresSeconds = rest.expiresSeconds;
  return auth;
}

function unsupported(algorithm: string): AuthProblem {
  const s3 = { code: 'InvalidRequest', status: 400, message: 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.' };
  if (!algorithm.startsWith('AWS4-')) return problem('MissingAuthenticationToken', 'MissingAuthenticationToken', 'Request is missing Authentication Token', 403, s3);
  return problem('UnsupportedAlgorithm', 'IncompleteSignature', `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `, 400, s3);
}

function malformedDate(got: string, s3: Partial<ProblemForm>): AuthProblem {
  const message = `Date must be in ISO-8601 'basic format'. Got '${got}'. See http://en.wikipedia.org/wiki/ISO_8601`;
  return problem('MalformedDate', 'IncompleteSignature', message, 400, s3);
}

// ---- checks --------------------------------------------------------------------------------

function timeProblem(auth: ParsedAuth, now: Date, s3: boolean): AuthProblem | undefined {
  if (auth.expiresSeconds !== undefined) return presignExpiry(auth, now, s3);
  const skew = now.getTime() - auth.date.getTime();
  if (Math.abs(skew) <= MAX_SKEW_MS) return undefined;
  const s3Form = {
    code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.',
    fields: { RequestTime: auth.amzDate, ServerTime: isoSeconds(now), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS) },
  };
  return skew > 0
    ? problem('RequestExpired', 'SignatureDoesNotMatch', expiredMessage(auth, now, MAX_SKEW_MS / 1000), 403, s3Form)
    : problem('RequestNotYetValid', 'SignatureDoesNotMatch', `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + MAX_SKEW_MS))} (${formatAmzDate(now)} + 15 min.)`, 403, s3Form);
}

function presignExpiry(auth: ParsedAuth, now: Date, s3: boolean): AuthProblem | undefined {
  const signed = auth.date.getTime();
  if (signed - now.getTime() > MAX_SKEW_MS) {
    const message = `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + MAX_SKEW_MS))} (${formatAmzDate(now)} + 15 min.)`;
    return problem('RequestNotYetValid', 'SignatureDoesNotMatch', message, 403, { code: 'AccessDenied', message: 'Request is not valid yet' });
  }
  const expires = auth.expiresSeconds;
  if (expires === undefined) return s3 ? undefined : timeProblem({ ...auth, kind: 'header' }, now, false);
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

/** S3 pre-signed URLs: X-Amz-Expires required, every x-amz-* header signed, not from the future. */
function s3PresignChecks(req: SignedRequest, auth: ParsedAuth): AuthProblem | undefined {
  if (auth.expiresSeconds === undefined) {
    return problem('MissingParameters', 'AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.', 400);
  }
  const unsigned = Object.keys(req.headers)
    .filter((h) => h.startsWith('x-amz-') && h !== 'x-amz-content-sha256' && !auth.signedHeaders.includes(h));
  if (!unsigned.length) return undefined;
  const p = problem('HeadersNotSigned', 'AccessDenied', 'There were headers present in the request which were not signed', 403);
  p.fields = p.s3.fields = { HeadersNotSigned: unsigned.join(', ') };
  return p;
}

function hostProblem(auth: ParsedAuth): AuthProblem | undefined {
  if (auth.signedHeaders.includes('host') || auth.signedHeaders.includes(':authority')) return undefined;
  const message = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
  return problem('HostNotSigned', 'SignatureDoesNotMatch', message, 403, { code: 'AccessDenied', message: 'There were headers present in the request which were not signed', fields: { HeadersNotSigned: 'host' } });
}

function scopeProblem(auth: ParsedAuth, opts: VerifyOptions, s3: boolean): AuthProblem | undefined {
  const [, , , terminator] = auth.credentialScope.split('/');
  const httpDate = auth.amzDate.slice(0, 8);
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
  if (auth.scopeDate !== httpDate) {
    faults.push([`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${httpDate}', from '${auth.amzDate}'. `,
      `Invalid credential date "${auth.scopeDate}". This date is not the same as X-Amz-Date: "${httpDate}".`]);
  }
  if (!faults.length) return undefined;
  const [, s3Text, fields] = faults[0]!;
  const header = auth.kind === 'header';
  return problem('ScopeMismatch', 'SignatureDoesNotMatch', faults.map((f) => f[0]).join(''), 403, {
    code: header ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError', status: 400,
    message: (header ? S3_HEADER : S3_QUERY) + s3Text, ...(fields ? { fields } : {}),
  });
  void s3;
}

function mismatch(auth: ParsedAuth, canonicalRequest: string, stringToSign: string): AuthProblem {
  const p = problem('SignatureDoesNotMatch', 'SignatureDoesNotMatch', MISMATCH, 403, { message: S3_MISMATCH });
  p.s3.fields = {
    AWSAccessKeyId: auth.accessKeyId, StringToSign: stringToSign, SignatureProvided: auth.signature,
    StringToSignBytes: spacedHex(stringToSign), CanonicalRequest: canonicalRequest, CanonicalRequestBytes: spacedHex(canonicalRequest),
  };
  p.debug = { canonicalRequest, stringToSign };
  return p;
}

/** Pre-signed payload hash: the one named in the URL or header, else UNSIGNED-PAYLOAD; then the
 * body's hash, which is what the JavaScript SDK signs when it presigns a non-S3 request. */
function presignPayloads(req: SignedRequest, payloadHash: string): string[] {
  const named = presignParams(req.rawQuery)?.get('X-Amz-Content-Sha256') ?? first(req.headers['x-amz-content-sha256']);
  const primary = named ?? UNSIGNED_PAYLOAD;
  return primary === payloadHash ? [primary] : [primary, payloadHash];
}

// ---- canonical form ------------------------------------------------------------------------

/** S3 signs the path as sent. Other services encode it once more, after dropping empty and dot
 * segments as the JavaScript SDK and botocore do. */
function canonicalUri(rawPath: string, s3: boolean): string {
  const path = rawPath || '/';
  if (s3) return path;
  return uriEncode(/\/\/|\/\.\.?(\/|$)/.test(path) ? normalizePath(path, true) : path, true);
}

/** Every canonical path some client signs: normalized (JS, Python), only dot segments removed
 * (Java), untouched (Go). */
function uriCandidates(rawPath: string, s3: boolean): string[] {
  const path = rawPath || '/';
  if (s3) return [path];
  const all = [normalizePath(path, true), normalizePath(path, false), path].map((p) => uriEncode(p, true));
  return [...new Set(all)];
}

function normalizePath(path: string, dropEmpty: boolean): string {
  const out: string[] = [];
  const segments = path.split('/');
  segments.forEach((seg, i) => {
    if (seg === '..') out.pop();
    else if (seg !== '.' && (seg !== '' || (!dropEmpty && i > 0 && i < segments.length - 1))) out.push(seg);
  });
  const lead = path.startsWith('/') ? '/' : '';
  return lead + out.join('/') + (out.length && /(^|\/)(\.\.?)?$/.test(path) && path.endsWith('/') ? '/' : '');
}

function canonicalHeaderBlock(headers: SignedRequest['headers'], names: string[]): string {
  let out = '';
  for (const name of names) {
    const v = headers[name];
    const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
    out += `${name}:${values.map((x) => x.replace(/[ \t]+/g, ' ').replace(/^ | $/g, '')).join(',')}\n`;
  }
  return out;
}

/** Sorted by encoded key then value; every component decoded and re-encoded the AWS way. */
function canonicalQuery(rawQuery: string, presigned: boolean, plusAsSpace: boolean): string {
  if (!rawQuery) return '';
  const pairs: string[] = [];
  for (const [k, v] of splitQuery(rawQuery)) {
    const key = canonicalComponent(k, plusAsSpace);
    if (presigned && key === 'X-Amz-Signature') continue;
    pairs.push(`${key}=${canonicalComponent(v, plusAsSpace)}`);
  }
  // '=' (0x3D) sorts above every encoded key character except '~' (0x7E), so whole pairs sort
  // as (key, value) whenever keys contain no '~'; compare the parts explicitly to be exact.
  return pairs.sort(comparePairs).join('&');
}

function comparePairs(a: string, b: string): number {
  const [ka, va] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
  const [kb, vb] = [b.slice(0, b.indexOf('=')), b.slice(b.indexOf('=') + 1)];
  return ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0;
}

function splitQuery(rawQuery: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return out;
}

/** Decoded pre-signing parameters (first value of each), or undefined when none are present. */
function presignParams(rawQuery: string): Map<string, string> | undefined {
  const q = new Map<string, string>();
  for (const [k, v] of splitQuery(rawQuery)) {
    const key = percentDecode(k, false).toString('utf8');
    if (key.startsWith('X-Amz-') && !q.has(key)) q.set(key, percentDecode(v, false).toString('utf8'));
  }
  return q.has('X-Amz-Algorithm') || q.has('X-Amz-Credential') || q.has('X-Amz-Signature') ? q : undefined;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
const HEX = Array.from({ length: 256 }, (_, i) => `%${i.toString(16).toUpperCase().padStart(2, '0')}`);

function canonicalComponent(s: string, plusAsSpace: boolean): string {
  return UNRESERVED.test(s) ? s : encodeBytes(percentDecode(s, plusAsSpace), false);
}

/** Percent-encodes every byte outside RFC 3986's unreserved set (and '/' when `keepSlash`). */
function uriEncode(s: string, keepSlash: boolean): string {
  return (keepSlash ? UNRESERVED_PATH : UNRESERVED).test(s) ? s : encodeBytes(toBytes(s), keepSlash);
}

function encodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (const b of bytes) {
    const unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
      || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e || (keepSlash && b === 0x2f);
    out += unreserved ? String.fromCharCode(b) : HEX[b];
  }
  return out;
}

/** Node hands over URLs and headers as latin1 (one char per byte); wider strings are UTF-8. */
function toBytes(s: string): Buffer {
  return Buffer.from(s, /[^\u0000-\u00ff]/.test(s) ? 'utf8' : 'latin1');
}

/** Decodes %XX escapes to bytes; a '%' not followed by two hex digits stays literal. */
function percentDecode(s: string, plusAsSpace: boolean): Buffer {
  const src = toBytes(s);
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 0x25 && i + 2 < src.length + 0 && isHex(src[i + 1]!) && isHex(src[i + 2]!)) {
      out[n++] = parseInt(String.fromCharCode(src[i + 1]!, src[i + 2]!), 16);
      i += 2;
    } else out[n++] = c === 0x2b && plusAsSpace ? 0x20 : c;
  }
  return out.subarray(0, n);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

// ---- small helpers -------------------------------------------------------------------------

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** `YYYYMMDDTHHMMSSZ` to a Date, rejecting impossible dates such as February 30th. */
function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return formatAmzDate(date) === s ? date : undefined;
}

function parseHttpDate(s: string): Date | undefined {
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function formatAmzDate(d: Date): string {
  return isoSeconds(d).replace(/[-:]/g, '');
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sha256Bytes(canonical: string): string {
  // Every character of a canonical request built from Node's latin1 strings is one wire byte.
  return createHash('sha256').update(canonical, /[^\u0000-\u00ff]/.test(canonical) ? 'utf8' : 'latin1').digest('hex');
}

function sameHex(expected: string, provided: string): boolean {
  return expected.length === provided.length && timingSafeEqual(Buffer.from(expected), Buffer.from(provided));
}

function spacedHex(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
