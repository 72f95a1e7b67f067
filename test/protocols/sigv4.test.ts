// SigV4 verification held to the real signers: @smithy/signature-v4 (what every AWS SDK for
// JavaScript client runs) and requests captured from the real S3, SQS and STS clients. Every
// refusal is checked for the kind the gateway maps and for AWS's own message text.

import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { S3Client, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  deriveSigningKey, isAuthProblem, parseAuthorization, payloadHashFor, toAwsError, verifySignature,
  type AuthProblem, type ParsedAuth, type SignedRequest, type VerifyOptions,
} from '../../src/protocols/sigv4.js';
import { NodeSha256 } from '../support/node-sha256.js';

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const WHEN = new Date('2024-01-01T00:00:00Z');


type Query = Record<string, string | string[] | null>;
interface Spec { method?: string; path: string; query?: Query; headers?: Record<string, string>; body?: string; service?: string; s3?: boolean; applyChecksum?: boolean }

function signer(service: string, s3: boolean, applyChecksum = true): SignatureV4 {
  return new SignatureV4({ service, region: 'us-east-1', credentials: CREDS, sha256: NodeSha256, uriEscapePath: !s3, applyChecksum });
}

function request(spec: Spec) {
  return {
    method: spec.method ?? 'GET', protocol: 'http:', hostname: 'localhost', port: 4566, path: spec.path,
    query: spec.query ?? {}, headers: { host: 'localhost:4566', ...spec.headers }, body: spec.body,
  };
}

/** The smithy HttpRequest as Node's server would see it: lower-case keys, latin1 values. */
function wire(r: { method: string; path: string; query?: Query; headers: Record<string, string> }): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = Buffer.from(v, 'utf8').toString('latin1').trim();
  return { method: r.method, rawPath: r.path, rawQuery: queryString(r.query ?? {}), headers };
}

/** What @smithy/querystring-builder writes: escapeUri of keys and values. */
function queryString(q: Query): string {
  const esc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.keys(q).sort().flatMap((k) => {
    const v = q[k];
    return v === null || v === undefined ? [esc(k)] : (Array.isArray(v) ? v : [v]).map((x) => `${esc(k)}=${esc(x)}`);
  }).join('&');
}

async function signHeader(spec: Spec): Promise<SignedRequest> {
  const s = signer(spec.service ?? 'sqs', spec.s3 ?? false, spec.applyChecksum);
  return wire(await s.sign(request(spec), { signingDate: WHEN }) as never);
}

async function presign(spec: Spec, expiresIn = 3600): Promise<SignedRequest> {
  const s = signer(spec.service ?? 's3', spec.s3 ?? true);
  return wire(await s.presign(request(spec), { signingDate: WHEN, expiresIn }) as never);
}

function parsed(req: SignedRequest): ParsedAuth {
  const p = parseAuthorization(req);
  assert.ok(p && !isAuthProblem(p), `expected auth, got ${JSON.stringify(p)}`);
  return p;
}

function verify(req: SignedRequest, body = '', opts: VerifyOptions = {}, now = WHEN, secret = CREDS.secretAccessKey) {
  const auth = parseAuthorization(req);
  if (!auth) return { ok: false as const, problem: undefined };
  if (isAuthProblem(auth)) return { ok: false as const, problem: auth };
  const hash = payloadHashFor(req, Buffer.from(body));
  if (!hash.ok) return { ok: false as const, problem: hash.problem };
  return verifySignature(req, auth, secret, hash.payloadHash, now, opts);
}

function refused(result: ReturnType<typeof verify>, kind: string): AuthProblem {
  assert.equal(result.ok, false, `expected ${kind}, but the request verified`);
  const problem = (result as { problem: AuthProblem }).problem;
  assert.equal(problem?.kind, kind, problem?.message);
  return problem;
}

const at = (iso: string) => new Date(iso);

// ---- valid requests ---------------------------------------------------------------------------

test('a header-signed JSON request verifies, and yields the signing key and seed', async () => {
  const body = '{"QueueUrl":"http://localhost:4566/000000000000/q","MessageBody":"hi  there"}';
  const req = await signHeader({ method: 'POST', path: '/', body, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' } });
  const result = verify(req, body);
  assert.ok(result.ok, JSON.stringify(result));
  const auth = parsed(req);
  assert.deepEqual([auth.kind, auth.accessKeyId, auth.region, auth.service, auth.scopeDate, auth.amzDate],
    ['header', 'AKIDEXAMPLE', 'us-east-1', 'sqs', '20240101', '20240101T000000Z']);
  assert.equal(result.seedSignature, auth.signature);
  const manual = ['20240101', 'us-east-1', 'sqs', 'aws4_request']
    .reduce<Buffer>((k, part) => createHmac('sha256', k).update(part).digest(), Buffer.from(`AWS4${CREDS.secretAccessKey}`));
  assert.deepEqual(result.signingKey, manual);
  assert.equal(deriveSigningKey(CREDS.secretAccessKey, '20240101', 'us-east-1', 'sqs'), result.signingKey, 'cached');
});

test('a request from a client that sends no x-amz-content-sha256 verifies against the body hash', async () => {
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const req = await signHeader({ method: 'POST', path: '/', body, service: 'sts', applyChecksum: false, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(req.headers['x-amz-content-sha256'], undefined);
  assert.ok(verify(req, body).ok);
});

test('S3 signs the path as sent; other services encode it once more', async () => {
  const path = '/bucket/a%20b/c%2Bd~e%21%2A(x)';
  const s3 = await signHeader({ path, s3: true, service: 's3', query: { 'list-type': '2', prefix: 'a b+c/ü' } });
  assert.ok(verify(s3, '', { s3: true }).ok);
  const lambda = await signHeader({ path: '/2015-03-31/functions/my%3Afn/invocations', service: 'lambda', method: 'POST', body: '{}' });
  assert.ok(verify(lambda, '{}').ok);
  // Signed the S3 way, checked the other way (and vice versa): different canonical paths.
  refused(verify(s3, '', { s3: false }), 'SignatureDoesNotMatch');
  refused(verify(lambda, '{}', { s3: true }), 'SignatureDoesNotMatch');
});

test('every path form a client signs for a non-S3 service verifies', async () => {
  const raw = '/a//b/./c/../d%3A/';
  // JavaScript SDK and botocore: empty and dot segments dropped, then encoded once more.
  assert.ok(verify(await signHeader({ path: raw, service: 'execute-api' })).ok);
  // Go SDK v2: no normalization, only the second encoding. Signed as such and sent raw.
  const goStyle = await signHeader({ path: raw.replace(/%/g, '%25'), service: 'execute-api', s3: true });
  assert.ok(verify({ ...goStyle, rawPath: raw }).ok);
  // Java SDK v2: dot segments removed, empty segments kept.
  const javaStyle = await signHeader({ path: '/a//b/d%253A/', service: 'execute-api', s3: true });
  assert.ok(verify({ ...javaStyle, rawPath: raw }).ok);
});

test("a client that writes a space as '+' in the query still verifies", async () => {
  const req = await signHeader({ path: '/', query: { Action: 'ListQueues', QueueNamePrefix: 'a b' } });
  assert.match(req.rawQuery, /a%20b/);
  assert.ok(verify({ ...req, rawQuery: req.rawQuery.replace('%20', '+') }).ok);
  // A literal '+' stays a plus.
  const plus = await signHeader({ path: '/', query: { QueueNamePrefix: 'a+b' } });
  assert.ok(verify({ ...plus, rawQuery: plus.rawQuery.replace('%2B', '+') }).ok);
});

test('header values are trimmed, inner runs of spaces collapsed, repeated headers joined with commas', async () => {
  const req = await signHeader({ path: '/', headers: { 'x-amz-meta-a': 'one   two\tthree', 'x-amz-meta-b': 'x,y' } });
  assert.ok(verify({ ...req, headers: { ...req.headers, 'x-amz-meta-a': 'one two three' } }).ok);
  assert.ok(verify({ ...req, headers: { ...req.headers, 'x-amz-meta-b': ['x', ' y'] } }).ok);
});

test('a non-ASCII header value is compared as the bytes Node received', async () => {
  const req = await signHeader({ path: '/', headers: { 'x-amz-meta-name': 'Zoë — ✓' } });
  assert.ok(verify(req).ok);
});

test('pre-signed URLs verify: S3 with UNSIGNED-PAYLOAD, STS with the body hash the JS SDK signs', async () => {
  const s3 = await presign({ path: '/bucket/some%20key', query: { versionId: 'v1' }, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  assert.match(s3.rawQuery, /X-Amz-Signature=/);
  const auth = parsed(s3);
  assert.deepEqual([auth.kind, auth.expiresSeconds, auth.signedHeaders], ['presigned', 3600, ['host']]);
  assert.ok(verify(s3, '', { s3: true }).ok);
  const s3NoHeader = await presign({ path: '/bucket/k', s3: true });
  assert.ok(verify(s3NoHeader, '', { s3: true }).ok);
  const sts = await presign({ path: '/', service: 'sts', s3: false, query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } }, 60);
  assert.ok(verify(sts).ok);
});

test('a session token is read from the header or the query', async () => {
  const s = new SignatureV4({ service: 's3', region: 'eu-west-1', sha256: NodeSha256, uriEscapePath: false, credentials: { ...CREDS, sessionToken: 'FwoG+tok/en=' } });
  const url = wire(await s.presign(request({ path: '/b/k' }), { signingDate: WHEN }) as never);
  assert.equal(parsed(url).sessionToken, 'FwoG+tok/en=');
  assert.ok(verify(url, '', { s3: true }).ok);
  const hdr = wire(await s.sign(request({ path: '/b/k' }), { signingDate: WHEN }) as never);
  assert.equal(parsed(hdr).sessionToken, 'FwoG+tok/en=');
  assert.ok(verify(hdr, '', { s3: true }).ok);
});

// ---- the real clients -------------------------------------------------------------------------

async function capture(send: (handler: object) => Promise<unknown>) {
  let seen: { method: string; path: string; query?: Query; headers: Record<string, string>; body?: unknown } | undefined;
  const handler = { handle: async (req: typeof seen) => { seen = req; throw new Error('captured'); } };
  await send(handler).catch((e: Error) => { if (e.message !== 'captured') throw e; });
  assert.ok(seen);
  const b = seen.body as string | Uint8Array | undefined;
  return { req: wire(seen), body: typeof b === 'string' ? b : b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString() : '' };
}
const clientConfig = (requestHandler: object) => ({ region: 'eu-central-1', endpoint: 'http://localhost:4566', credentials: CREDS, requestHandler });
const nowOf = (req: SignedRequest) => parsed(req).date;

test('requests captured from the S3, SQS and STS clients verify', async () => {
  const s3 = (h: object) => new S3Client({ ...clientConfig(h), forcePathStyle: true });
  const cases = [
    { s3: true, ...await capture((h) => s3(h).send(new PutObjectCommand({ Bucket: 'b', Key: 'dir/a b+c~!*(\')é.txt', Body: 'hello', Metadata: { note: 'two  spaces' } }))) },
    { s3: true, ...await capture((h) => s3(h).send(new GetObjectCommand({ Bucket: 'b', Key: 'k', Range: 'bytes=0-1', VersionId: 'v/1+2' }))) },
    { s3: true, ...await capture((h) => s3(h).send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'a b/', Delimiter: '/', StartAfter: 'x=y&z' }))) },
    { s3: false, ...await capture((h) => new SQSClient(clientConfig(h)).send(new SendMessageCommand({ QueueUrl: 'http://localhost:4566/000000000000/q', MessageBody: 'ü €' }))) },
    { s3: false, ...await capture((h) => new STSClient(clientConfig(h)).send(new GetCallerIdentityCommand({}))) },
  ];
  for (const c of cases) {
    const result = verify(c.req, c.body, { s3: c.s3 }, nowOf(c.req));
    assert.ok(result.ok, `${c.req.method} ${c.req.rawPath}?${c.req.rawQuery}: ${JSON.stringify(result)}`);
    assert.equal(parsed(c.req).region, 'eu-central-1');
  }
});

// ---- tampering --------------------------------------------------------------------------------

/** Every single-character change of `s`, to a character no escape or case rule can excuse. */
function* tampered(s: string): Generator<string> {
  for (let i = 0; i < s.length; i++) yield s.slice(0, i) + (s[i] === 'z' ? 'y' : 'z') + s.slice(i + 1);
}

test('any changed byte of path, query, a signed header, the body, the secret or the signature is refused', async () => {
  for (const s3 of [false, true]) {
    const body = 'payload-bytes';
    const spec = { method: 'PUT', path: '/bucket/key%20one/two', query: { tagging: '', 'x-id': 'Put' }, headers: { 'x-amz-meta-colour': 'blue' }, body, s3, service: s3 ? 's3' : 'sqs' };
    const opts = { s3 };
    for (const applyChecksum of [true, false]) {
      const req = await signHeader({ ...spec, applyChecksum: applyChecksum || s3 });
      assert.ok(verify(req, body, opts).ok);
      for (const rawPath of tampered(req.rawPath)) refused(verify({ ...req, rawPath }, body, opts), 'SignatureDoesNotMatch');
      for (const rawQuery of tampered(req.rawQuery)) refused(verify({ ...req, rawQuery }, body, opts), 'SignatureDoesNotMatch');
      for (const v of tampered('blue')) refused(verify({ ...req, headers: { ...req.headers, 'x-amz-meta-colour': v } }, body, opts), 'SignatureDoesNotMatch');
      refused(verify({ ...req, method: 'POST' }, body, opts), 'SignatureDoesNotMatch');
      for (const b of tampered(body)) {
        refused(verify(req, b, opts), applyChecksum || s3 ? 'ContentSha256Mismatch' : 'SignatureDoesNotMatch');
      }
      refused(verify(req, body, opts, WHEN, CREDS.secretAccessKey.replace('w', 'W')), 'SignatureDoesNotMatch');
      const sig = parsed(req).signature;
      for (const t of tampered(sig)) {
        refused(verify({ ...req, headers: { ...req.headers, authorization: String(req.headers['authorization']).replace(sig, t) } }, body, opts), 'SignatureDoesNotMatch');
      }
    }
  }
});

test('a tampered pre-signed URL is refused', async () => {
  const req = await presign({ path: '/bucket/k', query: { 'response-content-type': 'text/plain' } });
  for (const rawPath of tampered(req.rawPath)) refused(verify({ ...req, rawPath }, '', { s3: true }), 'SignatureDoesNotMatch');
  // Depending on the byte, a changed query is a bad signature, a malformed parameter or no
  // longer a pre-signed URL at all; it never verifies.
  for (const q of tampered(req.rawQuery)) assert.equal(verify({ ...req, rawQuery: q }, '', { s3: true }).ok, false, q);
});

// ---- time -------------------------------------------------------------------------------------

test('a header-signed request more than 15 minutes old or early is refused in AWS words', async () => {
  const req = await signHeader({ path: '/' });
  assert.ok(verify(req, '', {}, at('2024-01-01T00:15:00Z')).ok, 'exactly 15 minutes is fine');
  assert.ok(verify(req, '', {}, at('2023-12-31T23:45:00Z')).ok);
  const late = refused(verify(req, '', {}, at('2024-01-01T00:25:00Z')), 'RequestExpired');
  assert.equal(late.code, 'SignatureDoesNotMatch');
  assert.equal(late.message, 'Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z (20240101T002500Z - 15 min.)');
  assert.deepEqual([late.s3.code, late.s3.message, late.s3.status], ['RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403]);
  assert.deepEqual(late.s3.fields, { RequestTime: '20240101T000000Z', ServerTime: '2024-01-01T00:25:00Z', MaxAllowedSkewMilliseconds: '900000' });
  const early = refused(verify(req, '', {}, at('2023-12-31T23:40:00Z')), 'RequestNotYetValid');
  assert.equal(early.message, 'Signature not yet current: 20240101T000000Z is still later than 20231231T235500Z (20231231T234000Z + 15 min.)');
});

test('an expired pre-signed URL is refused; one within X-Amz-Expires passes even hours later', async () => {
  const req = await presign({ path: '/bucket/k' }, 7200);
  assert.ok(verify(req, '', { s3: true }, at('2024-01-01T02:00:00Z')).ok);
  const s3 = refused(verify(req, '', { s3: true }, at('2024-01-01T02:00:01Z')), 'PresignExpired');
  assert.deepEqual([s3.s3.code, s3.s3.message, s3.s3.status], ['AccessDenied', 'Request has expired', 403]);
  assert.deepEqual(s3.s3.fields, { 'X-Amz-Expires': '7200', Expires: '2024-01-01T02:00:00Z', ServerTime: '2024-01-01T02:00:01Z' });
  assert.equal(s3.message, 'Signature expired: 20240101T000000Z is now earlier than 20240101T000001Z (20240101T020001Z - 120 min.)');
  const sts = await presign({ path: '/', service: 'sts', s3: false, query: { Action: 'GetCallerIdentity' } }, 90);
  assert.equal(refused(verify(sts, '', {}, at('2024-01-01T00:01:31Z')), 'PresignExpired').message,
    'Signature expired: 20240101T000000Z is now earlier than 20240101T000001Z (20240101T000131Z - 90 sec.)');
  const early = refused(verify(req, '', { s3: true }, at('2023-12-31T23:44:59Z')), 'RequestNotYetValid');
  assert.deepEqual([early.s3.code, early.s3.message], ['AccessDenied', 'Request is not valid yet']);
  // Checked only once the signature holds, as S3 does.
  refused(verify({ ...req, rawPath: '/bucket/other' }, '', { s3: true }, at('2024-01-01T03:00:00Z')), 'SignatureDoesNotMatch');
});

test('X-Amz-Expires beyond a week, negative or not a number is refused', async () => {
  const req = await presign({ path: '/bucket/k' }, 604800);
  assert.ok(verify(req, '', { s3: true }).ok);
  for (const [value, message] of [
    ['604801', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'],
    ['-1', 'X-Amz-Expires must be non-negative'],
    ['soon', 'X-Amz-Expires should be a number'],
  ] as const) {
    const p = refused(verify({ ...req, rawQuery: req.rawQuery.replace('X-Amz-Expires=604800', `X-Amz-Expires=${value}`) }, '', { s3: true }), 'MalformedExpires');
    assert.deepEqual([p.s3.code, p.s3.message, p.s3.status], ['AuthorizationQueryParametersError', message, 400]);
  }
});

// ---- malformed authorization --------------------------------------------------------------------

function withAuth(value: string, headers: Record<string, string> = { 'x-amz-date': '20240101T000000Z' }): SignedRequest {
  return { method: 'GET', rawPath: '/', rawQuery: '', headers: { host: 'localhost', authorization: value, ...headers } };
}
const CRED = 'Credential=AKID/20240101/us-east-1/sqs/aws4_request';

test('no SigV4 at all is undefined; another scheme or algorithm is refused, never thrown', () => {
  assert.equal(parseAuthorization({ method: 'GET', rawPath: '/', rawQuery: 'X-Amz-Foo=1&a=b', headers: {} }), undefined);
  const v2 = parseAuthorization(withAuth('AWS AKID:c2lnbmF0dXJl')) as AuthProblem;
  assert.deepEqual([v2.kind, v2.code, v2.s3.code, v2.s3.message], ['MissingAuthenticationToken', 'MissingAuthenticationToken', 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.']);
  const v4a = parseAuthorization(withAuth(`AWS4-ECDSA-P256-SHA256 ${CRED}`)) as AuthProblem;
  assert.deepEqual([v4a.kind, v4a.message], ['UnsupportedAlgorithm', "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now). "]);
});

test('missing Authorization parts are IncompleteSignature with AWS message form', () => {
  const value = `AWS4-HMAC-SHA256 ${CRED}, SignedHeaders=host;x-amz-date`;
  const p = parseAuthorization(withAuth(value)) as AuthProblem;
  assert.deepEqual([p.kind, p.code, p.status], ['MissingParameters', 'IncompleteSignature', 400]);
  assert.equal(p.message, `Authorization header requires 'Signature' parameter. Authorization=${value}`);
  assert.equal(p.s3.message, 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  const all = parseAuthorization(withAuth('AWS4-HMAC-SHA256', {})) as AuthProblem;
  assert.equal(all.message, "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256");
  const noDate = parseAuthorization(withAuth(`${value}, Signature=abc`, {})) as AuthProblem;
  assert.deepEqual([noDate.s3.code, noDate.s3.message], ['AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header']);
});

test('a malformed pair, credential or date is IncompleteSignature', () => {
  const noEq = parseAuthorization(withAuth(`AWS4-HMAC-SHA256 ${CRED}, SignedHeaders, Signature=abc`)) as AuthProblem;
  assert.equal(noEq.message, `'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 ${CRED}, SignedHeaders, Signature=abc'.`);
  const four = parseAuthorization(withAuth('AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sqs, SignedHeaders=host, Signature=abc')) as AuthProblem;
  assert.deepEqual([four.kind, four.message], ['MalformedCredential', "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20240101/us-east-1/sqs'"]);
  assert.equal(four.s3.message, 'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  const date = parseAuthorization(withAuth(`AWS4-HMAC-SHA256 ${CRED}, SignedHeaders=host, Signature=abc`, { 'x-amz-date': '2024-01-01T00:00:00Z' })) as AuthProblem;
  assert.deepEqual([date.kind, date.message], ['MalformedDate', "Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"]);
  assert.equal((parseAuthorization(withAuth(`AWS4-HMAC-SHA256 ${CRED}, SignedHeaders=host, Signature=abc`, { 'x-amz-date': '20240230T000000Z' })) as AuthProblem).kind, 'MalformedDate');
  const http = parseAuthorization(withAuth(`AWS4-HMAC-SHA256 ${CRED}, SignedHeaders=host;date, Signature=abc`, { date: 'Mon, 01 Jan 2024 00:00:00 GMT' })) as ParsedAuth;
  assert.equal(http.amzDate, '20240101T000000Z');
});

test('pre-signed parameters: missing ones, another algorithm, a bad date', () => {
  const q = (s: string) => parseAuthorization({ method: 'GET', rawPath: '/b/k', rawQuery: s, headers: { host: 'h' } }) as AuthProblem;
  const missing = q('X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request');
  assert.equal(missing.message, "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.");
  assert.equal(missing.s3.message, 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  const full = 'X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00';
  assert.equal(q(`X-Amz-Algorithm=AWS4-HMAC-SHA1&${full}`).s3.message, 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  assert.equal(q(`X-Amz-Algorithm=AWS4-HMAC-SHA256&${full.replace('20240101T000000Z', '20240101')}`).s3.message, 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const both = parseAuthorization({ method: 'GET', rawPath: '/', rawQuery: `X-Amz-Algorithm=AWS4-HMAC-SHA256&${full}`, headers: { authorization: `AWS4-HMAC-SHA256 ${CRED}` } }) as AuthProblem;
  assert.deepEqual([both.kind, both.s3.code], ['MultipleAuthMechanisms', 'InvalidArgument']);
  // S3 needs X-Amz-Expires; other services do not.
  const noExpires = { method: 'GET', rawPath: '/b/k', rawQuery: `X-Amz-Algorithm=AWS4-HMAC-SHA256&${full}`, headers: { host: 'h' } };
  const auth = parsed(noExpires);
  const p = verifySignature(noExpires, auth, 'x', 'UNSIGNED-PAYLOAD', WHEN, { s3: true });
  assert.equal(!p.ok && p.problem.kind, 'MissingParameters');
});

// ---- scope and signed headers -------------------------------------------------------------------

test('a credential scope that disagrees with the request is refused with every reason', async () => {
  const req = await signHeader({ path: '/' });
  const value = String(req.headers['authorization']);
  const odd = { ...req, headers: { ...req.headers, authorization: value.replace('/us-east-1/sqs/aws4_request', '/us-east-1/sqs/aws4_requestx'), 'x-amz-date': '20240102T000000Z' } };
  const p = refused(verify(odd, '', { expectedRegion: 'eu-west-1', expectedService: 'sns' }, at('2024-01-02T00:00:00Z')), 'ScopeMismatch');
  assert.equal(p.message, "Credential should be scoped to a valid region, not 'us-east-1'. Credential should be scoped to correct service: 'sns'. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requestx'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20240102', from '20240102T000000Z'. ");
  assert.deepEqual([p.s3.code, p.s3.message, p.s3.fields], ['AuthorizationHeaderMalformed', "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'", { Region: 'eu-west-1' }]);
  const dateOnly = refused(verify({ ...req, headers: { ...req.headers, 'x-amz-date': '20240102T000000Z' } }, '', { s3: true }, at('2024-01-02T00:00:00Z')), 'ScopeMismatch');
  assert.equal(dateOnly.s3.message, 'The authorization header is malformed; Invalid credential date "20240101". This date is not the same as X-Amz-Date: "20240102".');
  assert.ok(verify(req, '', { expectedRegion: 'us-east-1', expectedService: 'sqs' }).ok);
  const url = await presign({ path: '/b/k' });
  const region = refused(verify(url, '', { s3: true, expectedRegion: 'eu-west-1' }), 'ScopeMismatch');
  assert.deepEqual([region.s3.code, region.s3.message], ['AuthorizationQueryParametersError', "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-west-1'"]);
});

test('Host must be signed; S3 pre-signed URLs must sign every x-amz-* header; S3 needs x-amz-content-sha256', async () => {
  const s = signer('sqs', false);
  const noHost = wire(await s.sign(request({ path: '/' }), { signingDate: WHEN, unsignableHeaders: new Set(['host']) }) as never);
  assert.equal(refused(verify(noHost), 'HostNotSigned').message, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  const url = await presign({ path: '/b/k' });
  const extra = refused(verify({ ...url, headers: { ...url.headers, 'x-amz-server-side-encryption': 'AES256' } }, '', { s3: true }), 'HeadersNotSigned');
  assert.deepEqual([extra.s3.code, extra.s3.fields], ['AccessDenied', { HeadersNotSigned: 'x-amz-server-side-encryption' }]);
  const plain = await signHeader({ path: '/b/k', s3: true, service: 's3', applyChecksum: false });
  assert.equal(refused(verify(plain, '', { s3: true }), 'MissingContentSha256').message, 'Missing required header for this request: x-amz-content-sha256');
});

test('problems carry both wordings and become AwsErrors in the right one', async () => {
  const req = await signHeader({ path: '/', s3: true, service: 's3' });
  const p = refused(verify(req, '', { s3: true }, WHEN, 'wrong'), 'SignatureDoesNotMatch');
  assert.equal(p.message, 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  assert.equal(p.s3.message, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  assert.equal(p.s3.fields?.['AWSAccessKeyId'], 'AKIDEXAMPLE');
  assert.ok(p.s3.fields?.['CanonicalRequest']?.startsWith('GET\n/\n\nhost:localhost:4566\n'));
  assert.ok(p.s3.fields?.['StringToSignBytes']?.startsWith('41 57 53 34 2d'));
  const e = toAwsError(p, true);
  assert.deepEqual([e.code, e.status, e.message], ['SignatureDoesNotMatch', 403, p.s3.message]);
  assert.equal(toAwsError(p, false).message, p.message);
  const bad = payloadHashFor({ ...req, headers: { 'x-amz-content-sha256': 'nope' } }, Buffer.alloc(0));
  assert.equal(!bad.ok && bad.problem.s3.code, 'InvalidArgument');
});
