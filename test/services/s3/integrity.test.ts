import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { GetObjectAttributesCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCommand, CreateMultipartUploadCommand } from '@aws-sdk/client-s3';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { failure, newBucket, s3Client, signedFetch } from './helpers.js';

const h = useDrydock();
const s3 = () => s3Client(h.dd);
const b64md5 = (s: string | Buffer) => createHash('md5').update(s).digest('base64');
const crc32b64 = (b: Buffer) => { const o = Buffer.alloc(4); o.writeUInt32BE(crc32(b)); return o.toString('base64'); };

test('Content-MD5 is verified: a wrong digest is BadDigest, a malformed one InvalidDigest', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'ok', Body: 'test data..', ContentMD5: b64md5('test data..') }));
  const bad = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'test data..', ContentMD5: b64md5('other') })));
  assert.deepEqual([bad.name, bad.status, bad.message, bad.fields['CalculatedDigest'], bad.fields['ExpectedDigest']],
    ['BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', b64md5('test data..'), createHash('md5').update('other').digest('hex')]);
  for (const value of ['__invalid__', '000', 'MTIz', 'dGVzdC1zdHJpbmc=']) {
    const err = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'x', ContentMD5: value })));
    assert.deepEqual([err.name, err.status, err.message, err.fields['Content-MD5']], ['InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', value]);
  }
  assert.equal((await failure(() => s3().send(new HeadObjectCommand({ Bucket, Key: 'bad' })))).status, 404, 'nothing half-written');
  const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp' }));
  const part = await failure(() => s3().send(new UploadPartCommand({ Bucket, Key: 'mp', UploadId, PartNumber: 1, Body: 'abc', ContentMD5: b64md5('xyz') })));
  assert.deepEqual([part.name, part.fields['ExpectedDigest']], ['BadDigest', b64md5('xyz')]);
});

test('x-amz-checksum-* values are verified and returned with x-amz-checksum-mode: ENABLED', async () => {
  const Bucket = await newBucket(s3());
  const body = Buffer.from('test data..');
  const sums = {
    ChecksumCRC32: 'cZWHwQ==', ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
    ChecksumSHA1: createHash('sha1').update(body).digest('base64'), ChecksumCRC64NVME: 'qUVrWYOrIAM=',
  } as const;
  for (const [member, value] of Object.entries(sums)) {
    const put = await s3().send(new PutObjectCommand({ Bucket, Key: member, Body: body, [member]: value }));
    assert.equal((put as unknown as Record<string, unknown>)[member], value);
    const head = await s3().send(new HeadObjectCommand({ Bucket, Key: member, ChecksumMode: 'ENABLED' }));
    assert.deepEqual([(head as unknown as Record<string, unknown>)[member], head.ChecksumType], [value, 'FULL_OBJECT']);
    const plain = await s3().send(new HeadObjectCommand({ Bucket, Key: member }));
    assert.equal((plain as unknown as Record<string, unknown>)[member], undefined);
  }
  const wrong = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'w', Body: body, ChecksumSHA256: createHash('sha256').update('x').digest('base64') })));
  assert.deepEqual([wrong.name, wrong.status, wrong.message], ['BadDigest', 400, 'The SHA256 you specified did not match the calculated checksum.']);
  const malformed = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'w', Body: body, ChecksumCRC32: 'not-a-crc' })));
  assert.deepEqual([malformed.name, malformed.message], ['InvalidRequest', 'Value for x-amz-checksum-crc32 header is invalid.']);
});

test('an upload without any checksum gets S3\'s CRC64NVME, which the SDK verifies on GET', async () => {
  const bare = new S3Client({ ...sdkConfig(h.dd, { forcePathStyle: true }), requestChecksumCalculation: 'WHEN_REQUIRED' });
  const Bucket = await newBucket(bare);
  await bare.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'test data..' }));
  const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'k', ChecksumMode: 'ENABLED' }));
  assert.deepEqual([head.ChecksumCRC64NVME, head.ChecksumType], ['qUVrWYOrIAM=', 'FULL_OBJECT']);
  const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'k', ChecksumMode: 'ENABLED' }));
  assert.equal(await got.Body!.transformToString(), 'test data..');
  const attrs = await s3().send(new GetObjectAttributesCommand({ Bucket, Key: 'k', ObjectAttributes: ['Checksum'] }));
  assert.deepEqual(attrs.Checksum, { ChecksumCRC64NVME: 'qUVrWYOrIAM=', ChecksumType: 'FULL_OBJECT' });
});

test('the SDK\'s default streaming upload (aws-chunked with a CRC32 trailer) stores the decoded bytes', async () => {
  const Bucket = await newBucket(s3());
  const data = randomBytes(300_000);
  const client = s3();
  const sent: Record<string, string>[] = [];
  client.middlewareStack.add((next) => async (args) => {
    sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
    return next(args);
  }, { step: 'finalizeRequest', name: 'captureHeaders' });
  const put = await client.send(new PutObjectCommand({
    Bucket, Key: 'stream', Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), ContentLength: data.length, ContentType: 'application/x-blob',
  }));
  assert.equal(sent[0]!['content-encoding'], 'aws-chunked');
  assert.equal(sent[0]!['x-amz-trailer'], 'x-amz-checksum-crc32');
  assert.equal(put.ChecksumCRC32, crc32b64(data));
  assert.equal(put.ETag, `"${createHash('md5').update(data).digest('hex')}"`);
  const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'stream' }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));
  assert.equal(got.ContentType, 'application/x-blob');
  assert.equal(got.ContentEncoding, undefined, 'aws-chunked is framing, not the object\'s encoding');
  assert.equal(got.ChecksumCRC32, crc32b64(data));
});

test('a wrong checksum in an aws-chunked trailer is BadDigest', async () => {
  const Bucket = await newBucket(s3());
  const payload = Buffer.from('chunked payload');
  const body = `${payload.length.toString(16)}\r\n${payload}\r\n0\r\nx-amz-checksum-crc32:${crc32b64(Buffer.from('else'))}\r\n\r\n`;
  const res = await signedFetch(h.dd, {
    method: 'PUT', path: `/${Bucket}/chunked`, body,
    headers: {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-decoded-content-length': String(payload.length),
    },
  });
  assert.equal(res.status, 400);
  assert.match(res.body, /<Code>BadDigest<\/Code><Message>The CRC32 you specified did not match the calculated checksum.<\/Message>/);
  const good = body.replace(/crc32:.*\r\n\r\n$/, `crc32:${crc32b64(payload)}\r\n\r\n`);
  const ok = await signedFetch(h.dd, {
    method: 'PUT', path: `/${Bucket}/chunked`, body: good,
    headers: {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-decoded-content-length': String(payload.length),
    },
  });
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.headers['x-amz-checksum-crc32'], crc32b64(payload));
  assert.equal(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'chunked' }))).Body!.transformToString(), 'chunked payload');
});
