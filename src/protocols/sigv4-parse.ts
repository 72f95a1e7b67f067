import type { ParsedAuth, AuthProblem, ProblemForm, SignedRequest } from './sigv4.js';
import { ALGORITHM, MAX_EXPIRES, S3_HEADER, S3_QUERY, TEXT, first, formatAmzDate, parseAmzDate, parseHttpDate, problem } from './sigv4.js';

/** Reading SigV4 parameters from the Authorization header or a pre-signed query. */

export function parseHeader(value: string, headers: SignedRequest['headers']): ParsedAuth | AuthProblem {
  return parseUsual(value, headers) ?? parseAny(value, headers);
}

/**
 * The header as every SDK writes it, `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`
 * with an X-Amz-Date header, read without splitting; anything else (or anything wrong) is left
 * to the general reader, which words each problem.
 */
function parseUsual(value: string, headers: SignedRequest['headers']): ParsedAuth | undefined {
  if (!value.startsWith(USUAL_PREFIX)) return undefined;
  const c = USUAL_PREFIX.length;
  const h = value.indexOf(', SignedHeaders=', c);
  if (h < 0) return undefined;
  const sg = value.indexOf(', Signature=', h + 16);
  if (sg < 0) return undefined;
  const credential = value.slice(c, h);
  const signedHeaders = value.slice(h + 16, sg);
  const signature = value.slice(sg + 12);
  if (!credential || !signedHeaders || !signature || /[\s,=]/.test(signature) || /[\s,]/.test(signedHeaders) || /[\s,]/.test(credential)) return undefined;
  const xAmzDate = first(headers['x-amz-date']);
  if (xAmzDate === undefined) return undefined;
  const date = parseAmzDate(xAmzDate);
  if (!date) return undefined;
  const auth = withCredential('header', credential, date, xAmzDate, {
    signedHeaders: signedHeaders.toLowerCase().split(';'), signature, sessionToken: first(headers['x-amz-security-token']),
  });
  return 'code' in auth ? undefined : auth;
}
// Spelled out: sigv4.ts imports this module, so its ALGORITHM is not yet defined at load time.
const USUAL_PREFIX = 'AWS4-HMAC-SHA256 Credential=';

function parseAny(value: string, headers: SignedRequest['headers']): ParsedAuth | AuthProblem {
  const space = value.search(/\s/);
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) {
    const s3 = { code: 'InvalidRequest', message: 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.' };
    if (!algorithm.startsWith('AWS4-')) return problem('MissingAuthenticationToken', 'MissingAuthenticationToken', TEXT.noToken, 403, { ...s3, status: 400 });
    return problem('UnsupportedAlgorithm', 'IncompleteSignature', `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `, 400, s3);
  }
  const params = new Map<string, string>();
  for (const raw of (space < 0 ? '' : value.slice(space + 1)).split(',')) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (part && eq < 0) {
      const message = `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${value}'.`;
      return problem('MalformedAuthorization', 'IncompleteSignature', message, 400, { code: 'AuthorizationHeaderMalformed', message: TEXT.threeParts });
    }
    if (part) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const xAmzDate = first(headers['x-amz-date']);
  const dateValue = xAmzDate ?? first(headers['date']);
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((p) => !params.get(p))
    .map((p) => `Authorization header requires '${p}' parameter. `);
  if (dateValue === undefined) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
  if (missing.length) {
    return problem('MissingParameters', 'IncompleteSignature', `${missing.join('')}Authorization=${value}`, 400,
      dateValue !== undefined || missing.length > 1
        ? { code: 'AuthorizationHeaderMalformed', message: TEXT.threeParts }
        : { code: 'AccessDenied', status: 403, message: TEXT.needDate });
  }
  const date = xAmzDate !== undefined ? parseAmzDate(xAmzDate) : parseHttpDate(dateValue!);
  if (!date) return malformedDate(dateValue!, { code: 'AccessDenied', status: 403, message: TEXT.needDate });
  return withCredential('header', params.get('Credential')!, date, xAmzDate ?? formatAmzDate(date), {
    signedHeaders: params.get('SignedHeaders')!.toLowerCase().split(';'),
    signature: params.get('Signature')!,
    sessionToken: first(headers['x-amz-security-token']),
  });
}

export function parsePresigned(q: Map<string, string>): ParsedAuth | AuthProblem {
  const algorithm = q.get('X-Amz-Algorithm');
  const s3Missing = { code: 'AuthorizationQueryParametersError', message: TEXT.queryParams };
  if (algorithm === undefined) return problem('MissingParameters', 'MissingAuthenticationToken', TEXT.noToken, 403, { ...s3Missing, status: 400 });
  const missing = ['Credential', 'Signature', 'SignedHeaders', 'Date'].filter((p) => !q.get(`X-Amz-${p}`))
    .map((p) => `AWS query-string parameters must include 'X-Amz-${p}'. `);
  if (missing.length) return problem('MissingParameters', 'IncompleteSignature', `${missing.join('')}Re-examine the query-string parameters.`, 400, s3Missing);
  if (algorithm !== ALGORITHM) {
    return problem('UnsupportedAlgorithm', 'MissingAuthenticationToken', TEXT.noToken, 403, {
      code: 'AuthorizationQueryParametersError', status: 400, message: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    });
  }
  const date = parseAmzDate(q.get('X-Amz-Date')!);
  if (!date) {
    return malformedDate(q.get('X-Amz-Date')!, { code: 'AuthorizationQueryParametersError', message: 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"' });
  }
  const expires = q.get('X-Amz-Expires');
  const bad = expires === undefined ? undefined
    : !/^-?\d+$/.test(expires) ? 'X-Amz-Expires should be a number'
      : Number(expires) < 0 ? 'X-Amz-Expires must be non-negative'
        : Number(expires) > MAX_EXPIRES ? 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'
          : undefined;
  if (bad) return problem('MalformedExpires', 'IncompleteSignature', bad, 400, { code: 'AuthorizationQueryParametersError' });
  return withCredential('presigned', q.get('X-Amz-Credential')!, date, q.get('X-Amz-Date')!, {
    signedHeaders: q.get('X-Amz-SignedHeaders')!.toLowerCase().split(';'),
    signature: q.get('X-Amz-Signature')!,
    sessionToken: q.get('X-Amz-Security-Token'),
    expiresSeconds: expires === undefined ? undefined : Number(expires),
  });
}

type AuthRest = Pick<ParsedAuth, 'signedHeaders' | 'signature' | 'sessionToken' | 'expiresSeconds'>;

type Scope = Pick<ParsedAuth, 'accessKeyId' | 'scopeDate' | 'region' | 'service' | 'credentialScope'>;

/**
 * A client sends the same credential on every request of a day: its parts are kept (bounded),
 * so each request does not split it again and the strings are shared, not copied per request.
 */
function scopeOf(credential: string): Scope | undefined {
  let scope = scopes.get(credential);
  if (scope) return scope;
  const parts = credential.split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, scopeDate, region, service] = parts as [string, string, string, string];
  scope = { accessKeyId, scopeDate, region, service, credentialScope: parts.slice(1).join('/') };
  if (scopes.size >= 1024) scopes.clear();
  scopes.set(credential, scope);
  return scope;
}
const scopes = new Map<string, Scope>();

function withCredential(
  kind: ParsedAuth['kind'], credential: string, date: Date, amzDate: string, rest: AuthRest,
): ParsedAuth | AuthProblem {
  const scope = scopeOf(credential);
  if (!scope) {
    const message = `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`;
    return problem('MalformedCredential', 'IncompleteSignature', message, 400, {
      code: kind === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError',
      message: `${kind === 'header' ? S3_HEADER : S3_QUERY}the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    });
  }
  const { accessKeyId, scopeDate, region, service, credentialScope } = scope;
  const auth: ParsedAuth = {
    kind, accessKeyId, date, amzDate, scopeDate, region, service,
    credentialScope, signedHeaders: rest.signedHeaders, signature: rest.signature,
  };
  if (rest.sessionToken !== undefined) auth.sessionToken = rest.sessionToken;
  if (rest.expiresSeconds !== undefined) auth.expiresSeconds = rest.expiresSeconds;
  return auth;
}

function malformedDate(got: string, s3: Partial<ProblemForm>): AuthProblem {
  const message = `Date must be in ISO-8601 'basic format'. Got '${got}'. See http://en.wikipedia.org/wiki/ISO_8601`;
  return problem('MalformedDate', 'IncompleteSignature', message, 400, s3);
}
