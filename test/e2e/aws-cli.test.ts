/**
 * End to end with Debian's AWS CLI v2 (2.9, /usr/bin/aws) against an in-process Drydock.
 * The CLI exits 254 when the service answered an error it could parse, 255 for anything
 * else (unparseable response, connection failure), so 254 plus the code on stderr shows the
 * error arrived in the form that service's protocol requires.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDrydock, type RunningDrydock } from '../../src/embedded/index.js';
import { AWS, awsEnv, run, sleep, tempDir, type RunResult } from './helpers.js';

let dd: RunningDrydock;
const home = tempDir('drydock-e2e-awscli-');

before(async () => { dd = await startDrydock(); });
after(async () => { await dd?.stop(); home.remove(); });

function aws(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return run(AWS, ['--endpoint-url', dd.endpoint, ...args], { env: awsEnv(home.path, env) });
}

/** The status line and body botocore logs with `--debug`. */
function wireResponse(stderr: string): { status: number; body: string } {
  const status = /"(?:GET|POST|PUT|HEAD|DELETE) \S+ HTTP\/1\.1" (\d{3})/.exec(stderr);
  const body = /Response body:\nb(['"])([\s\S]*?)\1\n/.exec(stderr);
  assert.ok(status, `no HTTP status in the --debug log:\n${stderr.slice(-3000)}`);
  assert.ok(body, `no response body in the --debug log:\n${stderr.slice(-3000)}`);
  return { status: Number(status[1]), body: body[2]! };
}

/** Asserts the CLI got a NotImplemented the service's parser understood, and returns the wire response. */
function assertNotImplemented(r: RunResult, service: string, operation: string): { status: number; body: string } {
  assert.equal(r.code, 254, `exit code (stderr: ${r.stderr.slice(-2000)})`);
  assert.match(r.stderr, new RegExp(`An error occurred \\(NotImplemented\\) when calling the ${operation} operation(?: \\(reached max retries: \\d+\\))?: .*${service}:${operation}`));
  const wire = wireResponse(r.stderr);
  assert.equal(wire.status, 501);
  return wire;
}

describe('AWS CLI v2', { concurrency: 3 }, () => {
  test('sts get-caller-identity returns the root of account 000000000000', async () => {
    const r = await aws(['sts', 'get-caller-identity', '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const id = JSON.parse(r.stdout) as Record<string, string>;
    assert.equal(id['Account'], '000000000000');
    assert.equal(id['Arn'], 'arn:aws:iam::000000000000:root');
    assert.equal(id['UserId'], '000000000000');
  });

  test('a wrong secret is refused with SignatureDoesNotMatch', async () => {
    const r = await aws(['sts', 'get-caller-identity'], { AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    assert.equal(r.code, 254, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /An error occurred \(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation/);
  });

  // Operations picked because no issue plans them: they stay unimplemented while services land.
  test('an operation without a handler answers NotImplemented (501) as a query ErrorResponse', async () => {
    const r = await aws(['sns', 'get-data-protection-policy', '--resource-arn', 'arn:aws:sns:us-east-1:000000000000:t', '--debug']);
    const { body } = assertNotImplemented(r, 'sns', 'GetDataProtectionPolicy');
    assert.match(body, /^<ErrorResponse[^>]*><Error><Type>\w+<\/Type><Code>NotImplemented<\/Code>/);
    assert.match(body, /<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
  });

  test('s3api get-bucket-analytics-configuration answers NotImplemented in S3\'s <Error> form', async () => {
    const r = await aws(['s3api', 'get-bucket-analytics-configuration', '--bucket', 'b', '--id', 'x', '--debug']);
    const { body } = assertNotImplemented(r, 's3', 'GetBucketAnalyticsConfiguration');
    assert.match(body, /^(<\?xml[^>]*\?>)?<Error><Code>NotImplemented<\/Code><Message>[^<]+<\/Message><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
  });

  test('ec2 describe-fpga-images answers NotImplemented in EC2\'s <Response><Errors> form', async () => {
    const r = await aws(['ec2', 'describe-fpga-images', '--debug']);
    const { body } = assertNotImplemented(r, 'ec2', 'DescribeFpgaImages');
    assert.match(body, /^(<\?xml[^>]*\?>)?<Response><Errors><Error><Code>NotImplemented<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[^<]+<\/RequestID><\/Response>$/);
  });

  test('an expired pre-signed S3 URL (aws s3 presign --expires-in 1) is refused: 403 AccessDenied "Request has expired"', async () => {
    const r = await aws(['s3', 'presign', 's3://drydock-e2e/some/key.txt', '--expires-in', '1']);
    assert.equal(r.code, 0, r.stderr);
    const url = new URL(r.stdout.trim());
    assert.equal(url.searchParams.get('X-Amz-Expires'), '1');
    const signedAt = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(url.searchParams.get('X-Amz-Date') ?? '');
    assert.ok(signedAt, `X-Amz-Date in ${url.href}`);
    const [, y, mo, d, h, mi, s] = signedAt.map(Number) as number[];
    const expires = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + 1000;
    await sleep(Math.max(0, expires + 1100 - Date.now()));

    const res = await fetch(url);
    const body = await res.text();
    assert.equal(res.status, 403, body);
    assert.match(res.headers.get('content-type') ?? '', /xml/);
    // AWS's answer: <Error><Code>AccessDenied</Code><Message>Request has expired</Message>
    // <X-Amz-Expires>1</X-Amz-Expires><Expires>…</Expires><ServerTime>…</ServerTime>…</Error>
    assert.match(body, /<Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    assert.match(body, /<X-Amz-Expires>1<\/X-Amz-Expires>/);
    assert.match(body, new RegExp(`<Expires>${new Date(expires).toISOString().replace('.000', '')}</Expires>`));
    const serverTime = /<ServerTime>([^<]+)<\/ServerTime>/.exec(body);
    assert.ok(serverTime && Date.parse(serverTime[1]!) > expires, `ServerTime after the expiry in ${body}`);
    assert.ok(res.headers.get('x-amz-request-id'), 'S3 names the request in x-amz-request-id');
  });
});
