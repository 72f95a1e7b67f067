/**
 * End to end with Debian's boto3 1.26 (/usr/bin/python3) against an in-process Drydock.
 * fixtures/boto3_e2e.py runs every call once (boto3's import is the slow part) and prints
 * what it saw as JSON; the tests below judge it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDrydock, type RunningDrydock } from '../../src/embedded/index.js';
import { FIXTURES, PYTHON, awsEnv, run, sleep, tempDir } from './helpers.js';

interface SeenError { code: string | null; message?: string; status?: number; requestId?: string }
interface Seen {
  boto3: string;
  identity: { UserId: string; Account: string; Arn: string };
  identityRequestId: string;
  wrongSecret: SeenError;
  notImplemented: SeenError;
  snsProtocol: string;
  presign: { generatedAtMs: number; v4Expiring: string; v4Valid: string; defaultExpiring: string; defaultValid: string };
}

let dd: RunningDrydock;
let seen: Seen;
const home = tempDir('drydock-e2e-boto3-');

before(async () => {
  dd = await startDrydock();
  // No AWS_* credentials in the environment: the script passes test/test itself.
  const env = awsEnv(home.path);
  delete env['AWS_ACCESS_KEY_ID'];
  delete env['AWS_SECRET_ACCESS_KEY'];
  const r = await run(PYTHON, [join(FIXTURES, 'boto3_e2e.py'), dd.endpoint], { env });
  assert.equal(r.code, 0, `boto3_e2e.py failed:\n${r.stderr}`);
  seen = JSON.parse(r.stdout) as Seen;
});
after(async () => { await dd?.stop(); home.remove(); });

test('boto3 is the Debian 1.26 line', () => {
  assert.match(seen.boto3, /^1\.26\./);
});

test('sts.get_caller_identity() returns the root of account 000000000000', () => {
  assert.deepEqual(seen.identity, { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  assert.match(seen.identityRequestId, /^[0-9a-f-]{36}$/);
});

test('a wrong secret raises ClientError SignatureDoesNotMatch (403)', () => {
  assert.equal(seen.wrongSecret.code, 'SignatureDoesNotMatch', JSON.stringify(seen.wrongSecret));
  assert.equal(seen.wrongSecret.status, 403);
});

test('an operation without a handler raises NotImplemented with HTTP 501, naming it', () => {
  assert.equal(seen.notImplemented.code, 'NotImplemented', JSON.stringify(seen.notImplemented));
  assert.equal(seen.notImplemented.status, 501);
  assert.match(seen.notImplemented.message ?? '', /sns:GetDataProtectionPolicy/);
  assert.match(seen.notImplemented.requestId ?? '', /^[0-9a-f-]{36}$/);
});

test('sns (query protocol in boto3 1.26) speaks query', () => {
  assert.equal(seen.snsProtocol, 'query');
});

/** Waits until an `X-Amz-Expires=1` URL is surely past its expiry (by ≥ 1 s of real time). */
async function waitPastExpiry(url: URL): Promise<number> {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(url.searchParams.get('X-Amz-Date') ?? '');
  assert.ok(m, `X-Amz-Date in ${url.href}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const expires = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + Number(url.searchParams.get('X-Amz-Expires')) * 1000;
  await sleep(Math.max(0, expires + 1100 - Date.now()));
  return expires;
}

/** A pre-signed GET of a missing object that got past authentication: S3 answers about the object. */
function assertAuthenticated(status: number, body: string): void {
  assert.ok([404, 501].includes(status), `${status} ${body}`);
  assert.match(body, /<Error><Code>(NoSuchBucket|NoSuchKey|NotImplemented)<\/Code>/);
}

test('a SigV4 pre-signed GET within its lifetime passes authentication', async () => {
  const res = await fetch(seen.presign.v4Valid);
  assertAuthenticated(res.status, await res.text());
});

test('boto3\'s default (SigV2) pre-signed GET within its lifetime passes authentication', async () => {
  const url = new URL(seen.presign.defaultValid);
  assert.ok(url.searchParams.get('Signature') && url.searchParams.get('AWSAccessKeyId'), `a SigV2 URL: ${url.href}`);
  const res = await fetch(url);
  assertAuthenticated(res.status, await res.text());
  url.searchParams.set('Signature', 'AAAA' + url.searchParams.get('Signature')!.slice(4));
  const tampered = await fetch(url);
  assert.equal(tampered.status, 403);
  assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
});

test('a SigV4 pre-signed URL with ExpiresIn=1, fetched 2 s later: 403 AccessDenied "Request has expired"', async () => {
  const url = new URL(seen.presign.v4Expiring);
  assert.equal(url.searchParams.get('X-Amz-Expires'), '1');
  const expires = await waitPastExpiry(url);
  const res = await fetch(url);
  const body = await res.text();
  assert.equal(res.status, 403, body);
  assert.match(res.headers.get('content-type') ?? '', /xml/);
  assert.match(body, /<Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  assert.match(body, /<X-Amz-Expires>1<\/X-Amz-Expires>/);
  assert.match(body, new RegExp(`<Expires>${new Date(expires).toISOString().replace('.000', '')}</Expires>`));
});

// boto3 1.26 pre-signs S3 URLs with query-string SigV2 (AWSAccessKeyId/Signature/Expires)
// unless `signature_version='s3v4'` is configured; S3 (and Drydock) still accept it.
test('boto3\'s default (SigV2) pre-signed URL, expired, is refused: 403 AccessDenied "Request has expired"', async () => {
  const url = new URL(seen.presign.defaultExpiring);
  assert.ok(url.searchParams.get('Signature') && url.searchParams.get('AWSAccessKeyId'), `a SigV2 URL: ${url.href}`);
  await sleep(Math.max(0, Number(url.searchParams.get('Expires')) * 1000 + 1100 - Date.now()));
  const res = await fetch(url);
  const body = await res.text();
  assert.equal(res.status, 403, body);
  assert.match(body, /<Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
});
