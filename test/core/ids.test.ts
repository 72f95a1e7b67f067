import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  accessKeyId,
  arn,
  awsId,
  isAccountId,
  parseArn,
  partitionOf,
  randomHex,
  requestId,
  secretAccessKey,
} from '../../src/core/ids.js';

test('requestId is a v4 UUID and unique, across many pool refills', () => {
  const seen = new Set<string>();
  // 16 bytes each: 10,000 ids draw from the 64 KiB pool about two and a half times.
  for (let i = 0; i < 10_000; i++) {
    const a = requestId();
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(a);
  }
  assert.equal(seen.size, 10_000);
});

test('pooled random bytes are handed out once and look uniform', async () => {
  const { randomBytes, randomFill } = await import('../../src/core/random.js');
  const a = randomBytes(32);
  const b = randomBytes(32);
  assert.equal(a.length, 32);
  assert.notDeepEqual(a, b);
  // A caller's buffer is its own: changing it does not change what comes next.
  a.fill(0);
  assert.notDeepEqual(randomBytes(32), Buffer.alloc(32));
  assert.equal(randomBytes(5000).length, 5000);
  assert.throws(() => randomFill(new Uint8Array(2048)), RangeError);
  // 256 KiB of bytes: every byte value appears, none wildly more often than the others.
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < 256; i++) for (const x of randomBytes(1024)) counts[x]!++;
  assert.ok(Math.min(...counts) > 700 && Math.max(...counts) < 1350, `${Math.min(...counts)}..${Math.max(...counts)}`);
});

test('randomHex gives exactly n hex characters, odd lengths included', () => {
  for (const n of [0, 1, 7, 8, 17, 64]) assert.match(randomHex(n), new RegExp(`^[0-9a-f]{${n}}$`));
  assert.throws(() => randomHex(-1), RangeError);
});

test('awsId looks like an EC2 id', () => {
  assert.match(awsId('vpc'), /^vpc-[0-9a-f]{17}$/);
  assert.match(awsId('i', 8), /^i-[0-9a-f]{8}$/);
});

test('accessKeyId is 20 upper-case base32 characters with the prefix', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const k = accessKeyId();
    assert.match(k, /^AKIA[A-Z2-7]{16}$/);
    ids.add(k);
  }
  assert.equal(ids.size, 200);
  assert.match(accessKeyId('ASIA'), /^ASIA[A-Z2-7]{16}$/);
});

test('secretAccessKey is 40 base64 characters', () => {
  for (let i = 0; i < 50; i++) assert.match(secretAccessKey(), /^[A-Za-z0-9+/]{40}$/);
});

test('arn builds with defaults and parseArn splits, keeping colons in the resource', () => {
  assert.equal(arn({ service: 's3', resource: 'my-bucket' }), 'arn:aws:s3:::my-bucket');
  const fn = arn({ service: 'lambda', region: 'eu-west-1', account: '123456789012', resource: 'function:f:1' });
  assert.equal(fn, 'arn:aws:lambda:eu-west-1:123456789012:function:f:1');
  assert.deepEqual(parseArn(fn), {
    partition: 'aws',
    service: 'lambda',
    region: 'eu-west-1',
    account: '123456789012',
    resource: 'function:f:1',
  });
  assert.deepEqual(parseArn('arn:aws-cn:iam::123456789012:role/a/b'), {
    partition: 'aws-cn',
    service: 'iam',
    region: '',
    account: '123456789012',
    resource: 'role/a/b',
  });
});

test('parseArn rejects what is not an ARN', () => {
  for (const s of ['', 'arn:aws:s3', 'arn:aws:s3:::', 'urn:aws:s3:::b', 'arn::s3:::b', 'arn:aws::::x']) {
    assert.equal(parseArn(s), undefined, s);
  }
});

test('property: parseArn inverts arn', () => {
  const part = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
  fc.assert(
    fc.property(
      part,
      part,
      fc.stringMatching(/^[a-z0-9-]{0,12}$/),
      fc.stringMatching(/^\d{0,12}$/),
      fc.stringMatching(/^[\w/:.*-]{1,40}$/),
      (partition, service, region, account, resource) => {
        const p = { partition, service, region, account, resource };
        assert.deepEqual(parseArn(arn(p)), p);
      },
    ),
  );
});

test('isAccountId accepts exactly 12 digits', () => {
  assert.equal(isAccountId('000000000000'), true);
  assert.equal(isAccountId('12345678901'), false);
  assert.equal(isAccountId('1234567890123'), false);
  assert.equal(isAccountId('12345678901a'), false);
});

test('partitionOf maps regions to partitions', () => {
  assert.equal(partitionOf('us-east-1'), 'aws');
  assert.equal(partitionOf('cn-north-1'), 'aws-cn');
  assert.equal(partitionOf('us-gov-west-1'), 'aws-us-gov');
});
