/**
 * S3 end to end with Debian's AWS CLI v2 (2.9, /usr/bin/aws): the high-level `aws s3`
 * commands (which use multipart uploads for large files) and a few `aws s3api` calls.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDrydock, type RunningDrydock } from '../../src/embedded/index.js';
import { AWS, awsEnv, run, tempDir, type RunResult } from './helpers.js';

let dd: RunningDrydock;
const home = tempDir('drydock-e2e-s3cli-');
const files = tempDir('drydock-e2e-s3files-');

before(async () => { dd = await startDrydock(); });
after(async () => { await dd?.stop(); home.remove(); files.remove(); });

function aws(args: string[]): Promise<RunResult> {
  return run(AWS, ['--endpoint-url', dd.endpoint, ...args], { env: awsEnv(home.path), timeoutMs: 60_000 });
}

describe('AWS CLI v2 with S3', () => {
  const bucket = `cli-${randomBytes(4).toString('hex')}`;

  test('s3 mb, cp up (single and multipart), ls, cp down, rm, rb', async () => {
    assert.equal((await aws(['s3', 'mb', `s3://${bucket}`])).code, 0);
    const small = join(files.path, 'small.txt');
    writeFileSync(small, 'hello from the cli\n');
    const big = join(files.path, 'big.bin');
    const bigData = randomBytes(20 * 1024 * 1024 + 17);
    writeFileSync(big, bigData);
    for (const [file, key] of [[small, 'docs/small.txt'], [big, 'data/big.bin']] as const) {
      const up = await aws(['s3', 'cp', file, `s3://${bucket}/${key}`]);
      assert.equal(up.code, 0, up.stderr);
    }
    const ls = await aws(['s3', 'ls', `s3://${bucket}/`, '--recursive']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /\s19 docs\/small\.txt/);
    assert.match(ls.stdout, new RegExp(`\\s${bigData.length} data/big\\.bin`));
    const top = await aws(['s3', 'ls', `s3://${bucket}/`]);
    assert.match(top.stdout, /PRE data\/\n/);
    assert.match(top.stdout, /PRE docs\/\n/);
    const back = join(files.path, 'back.bin');
    const down = await aws(['s3', 'cp', `s3://${bucket}/data/big.bin`, back]);
    assert.equal(down.code, 0, down.stderr);
    assert.ok(readFileSync(back).equals(bigData));
    const head = await aws(['s3api', 'head-object', '--bucket', bucket, '--key', 'data/big.bin', '--output', 'json']);
    assert.match(JSON.parse(head.stdout).ETag, /^"[0-9a-f]{32}-\d+"$/, 'uploaded in parts');
    assert.equal((await aws(['s3', 'rm', `s3://${bucket}/`, '--recursive'])).code, 0);
    const rb = await aws(['s3', 'rb', `s3://${bucket}`]);
    assert.equal(rb.code, 0, rb.stderr);
  });

  test('s3api put-object of a 12 MB file (spooled to disk by Drydock), ranged and whole get-object', async () => {
    const b = `cli-${randomBytes(4).toString('hex')}`;
    assert.equal((await aws(['s3api', 'create-bucket', '--bucket', b])).code, 0);
    const file = join(files.path, 'twelve.bin');
    const data = randomBytes(12 * 1024 * 1024 + 5);
    writeFileSync(file, data);
    const put = await aws(['s3api', 'put-object', '--bucket', b, '--key', 'big', '--body', file, '--output', 'json']);
    assert.equal(put.code, 0, put.stderr);
    assert.equal(JSON.parse(put.stdout).ETag, `"${createHash('md5').update(data).digest('hex')}"`);
    const part = join(files.path, 'part.bin');
    const ranged = await aws(['s3api', 'get-object', '--bucket', b, '--key', 'big', '--range', 'bytes=10000000-10000099', part, '--output', 'json']);
    assert.equal(ranged.code, 0, ranged.stderr);
    assert.equal(JSON.parse(ranged.stdout).ContentRange, `bytes 10000000-10000099/${data.length}`);
    assert.ok(readFileSync(part).equals(data.subarray(10_000_000, 10_000_100)));
    const whole = join(files.path, 'whole.bin');
    assert.equal((await aws(['s3api', 'get-object', '--bucket', b, '--key', 'big', whole])).code, 0);
    assert.ok(readFileSync(whole).equals(data));
  });

  test('s3api put-object --content-md5 is verified', async () => {
    const b = `cli-${randomBytes(4).toString('hex')}`;
    assert.equal((await aws(['s3api', 'create-bucket', '--bucket', b])).code, 0);
    const file = join(files.path, 'md5.txt');
    writeFileSync(file, 'checked body');
    const md5 = createHash('md5').update('checked body').digest('base64');
    const ok = await aws(['s3api', 'put-object', '--bucket', b, '--key', 'k', '--body', file, '--content-md5', md5, '--output', 'json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).ETag, `"${createHash('md5').update('checked body').digest('hex')}"`);
    const bad = await aws(['s3api', 'put-object', '--bucket', b, '--key', 'k2', '--body', file, '--content-md5', createHash('md5').update('other').digest('base64')]);
    assert.equal(bad.code, 254);
    assert.match(bad.stderr, /An error occurred \(BadDigest\) when calling the PutObject operation(?: \(reached max retries: \d+\))?: The Content-MD5 you specified did not match what we received\./);
    const missing = await aws(['s3api', 'get-object', '--bucket', b, '--key', 'k2', join(files.path, 'none')]);
    assert.equal(missing.code, 254);
    assert.match(missing.stderr, /NoSuchKey/);
  });

  test('s3api list-objects-v2 in another region', async () => {
    const b = `cli-${randomBytes(4).toString('hex')}`;
    const created = await aws(['s3api', 'create-bucket', '--bucket', b, '--create-bucket-configuration', 'LocationConstraint=eu-west-1', '--region', 'eu-west-1']);
    assert.equal(created.code, 0, created.stderr);
    const file = join(files.path, 'l.txt');
    writeFileSync(file, 'x');
    for (const key of ['a/1', 'a/2', 'b']) assert.equal((await aws(['s3api', 'put-object', '--bucket', b, '--key', key, '--body', file, '--region', 'eu-west-1'])).code, 0);
    const list = await aws(['s3api', 'list-objects-v2', '--bucket', b, '--delimiter', '/', '--region', 'eu-west-1', '--output', 'json']);
    assert.equal(list.code, 0, list.stderr);
    const out = JSON.parse(list.stdout) as { Contents: { Key: string }[]; CommonPrefixes: { Prefix: string }[] };
    assert.deepEqual(out.Contents.map((c) => c.Key), ['b']);
    assert.deepEqual(out.CommonPrefixes.map((c) => c.Prefix), ['a/']);
  });

  // botocore reads the text of the root element; Drydock nests a second <LocationConstraint> in it.
  test('s3api get-bucket-location', async () => {
    const b = `cli-${randomBytes(4).toString('hex')}`;
    assert.equal((await aws(['s3api', 'create-bucket', '--bucket', b, '--create-bucket-configuration', 'LocationConstraint=eu-west-1', '--region', 'eu-west-1'])).code, 0);
    const loc = await aws(['s3api', 'get-bucket-location', '--bucket', b, '--region', 'eu-west-1', '--output', 'json']);
    assert.equal(loc.code, 0, loc.stderr);
    assert.equal(JSON.parse(loc.stdout).LocationConstraint, 'eu-west-1');
  });
});
