import { AwsError } from '../core/errors.js';
import { wallClock } from '../core/clock.js';
import { decodeAwsChunked } from '../protocols/aws-chunked.js';
import type { AuthProblem, ParsedAuth } from '../protocols/sigv4.js';
import { parseAuthorization, sha256Hex, verifySignature } from '../protocols/sigv4.js';
import type { RequestContext } from './context.js';
import type { Drydock } from './app.js';

/**
 * SigV4 authentication. The credential scope is read before routing (the router needs its
 * service and region); here the signature is verified against the secret of the access key
 * and the principal is resolved. AWS answers each failure with a different code per service
 * family; the table below holds those differences.
 */

type Family = 's3' | 'query' | 'ec2' | 'json';

const UNKNOWN_KEY: Record<Family, [string, string, number]> = {
  s3: ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403],
  query: ['InvalidClientTokenId', 'The security token included in the request is invalid.', 403],
  ec2: ['AuthFailure', 'AWS was not able to validate the provided access credentials', 401],
  json: ['UnrecognizedClientException', 'The security token included in the request is invalid.', 400],
};

const MISSING_AUTH: Record<Family, [string, string, number]> = {
  s3: ['AccessDenied', 'Access Denied', 403],
  query: ['MissingAuthenticationToken', 'Request is missing Authentication Token', 403],
  ec2: ['AuthFailure', 'AWS was not able to validate the provided access credentials', 401],
  json: ['MissingAuthenticationTokenException', 'Missing Authentication Token', 400],
};

function family(ctx: RequestContext): Family {
  if (ctx.service === 's3') return 's3';
  const p = ctx.protocol?.name;
  if (p === 'ec2Query') return 'ec2';
  if (p === 'awsQuery') return 'query';
  return 'json';
}

function fail(entry: [string, string, number]): AwsError {
  return new AwsError(entry[0], entry[1], entry[2]);
}

/** Code of a signature problem in a service family (JSON services say InvalidSignatureException). */
function problemError(ctx: RequestContext, p: AuthProblem): AwsError {
  const f = family(ctx);
  let code = p.code;
  if (code === 'SignatureDoesNotMatch' && f === 'json' && ctx.service !== 'sqs') code = 'InvalidSignatureException';
  return new AwsError(code, f === 's3' ? p.s3Message ?? p.message : p.message, p.status ?? (f === 'json' ? 400 : 403));
}

/** Reads the SigV4 parameters (header or query) before routing. */
export function readAuth(ctx: RequestContext): ParsedAuth | AuthProblem | undefined {
  return parseAuthorization({ method: ctx.http.method, rawPath: ctx.rawPath, rawQuery: ctx.rawQuery, headers: ctx.http.headers });
}

export function authenticate(ctx: RequestContext, app: Drydock): void {
  const parsed = ctx.signature;
  if (!parsed) throw fail(MISSING_AUTH[family(ctx)]);
  if ('code' in parsed) throw problemError(ctx, parsed);
  ctx.auth = parsed;
  const cred = app.identities.lookup(parsed.accessKeyId);
  if (!cred) throw fail(UNKNOWN_KEY[family(ctx)]);
  const s3 = ctx.service === 's3';
  const declared = ctx.http.headers['x-amz-content-sha256'];
  const payloadHash = typeof declared === 'string' ? declared : parsed.kind === 'presigned' ? 'UNSIGNED-PAYLOAD' : sha256Hex(ctx.http.body);
  const signed = { method: ctx.http.method, rawPath: ctx.rawPath, rawQuery: ctx.rawQuery, headers: ctx.http.headers };
  const result = verifySignature(signed, parsed, cred.secretAccessKey, payloadHash, wallClock(), { s3 });
  if (!result.ok) throw problemError(ctx, result.problem);
  if (typeof declared === 'string' && /^[0-9a-f]{64}$/.test(declared) && declared !== sha256Hex(ctx.http.body)) {
    throw new AwsError('XAmzContentSHA256Mismatch', 'The provided \'x-amz-content-sha256\' header does not match what was computed.', 400);
  }
  if (typeof declared === 'string' && declared.startsWith('STREAMING-')) {
    const decoded = decodeAwsChunked(ctx.http.body, declared, {
      signingKey: result.signingKey, seedSignature: result.seedSignature, auth: parsed,
      decodedLength: ctx.http.headers['x-amz-decoded-content-length'] as string | undefined,
    });
    if (!decoded.ok) throw problemError(ctx, decoded.problem);
    ctx.wire = { ...ctx.wire, body: decoded.body, headers: { ...ctx.wire.headers, ...decoded.trailers } };
  }
  if (cred.expiration && cred.expiration.getTime() <= app.clock.nowMs()) {
    throw new AwsError('ExpiredToken', 'The security token included in the request is expired', 400);
  }
  ctx.accessKeyId = parsed.accessKeyId;
  ctx.principal = cred.principal;
}
