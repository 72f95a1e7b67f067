import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectAttributesCommand, GetObjectCommand,
  HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, PutObjectCommand, UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { useDrydock } from '../../helpers.js';
import { failure, newBucket, s3Client } from './helpers.js';

const h = useDrydock();
const s3 = () => s3Client(h.dd);
const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest();

/** The multipart ETag S3 gives: MD5 of the concatenated part MD5s, then `-N`. */
function multipartEtag(parts: Buffer[]): string {
  return `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-${parts.length}"`;
}

test('a multipart upload is created, filled, listed and completed with the AWS ETag form', async () => {
  const Bucket = await newBucket(s3());
  const Key = 'big/object.bin';
  const created = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'application/x-test', Metadata: { m: '1' } }));
  assert.equal(created.Bucket, Bucket);
  assert.equal(created.Key, Key);
  const UploadId = created.UploadId!;
  const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), Buffer.from('tail')];
  const etags: string[] = [];
  for (const [i, Body] of parts.entries()) {
    const out = await s3().send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
    assert.equal(out.ETag, `"${md5(Body).toString('hex')}"`);
    etags.push(out.ETag!);
  }
  const listed = await s3().send(new ListPartsCommand({ Bucket, Key, UploadId }));
  assert.deepEqual(listed.Parts!.map((p) => [p.PartNumber, p.ETag, p.Size]), parts.map((b, i) => [i + 1, etags[i], b.length]));
  assert.equal(listed.StorageClass, 'STANDARD');
  const paged = await s3().send(new ListPartsCommand({ Bucket, Key, UploadId, MaxParts: 2 }));
  assert.deepEqual([paged.Parts!.length, paged.IsTruncated, paged.NextPartNumberMarker], [2, true, '2']);
  const uploads = await s3().send(new ListMultipartUploadsCommand({ Bucket }));
  assert.deepEqual(uploads.Uploads!.map((u) => [u.Key, u.UploadId]), [[Key, UploadId]]);
  const done = await s3().send(new CompleteMultipartUploadCommand({
    Bucket, Key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
  assert.equal(done.ETag, multipartEtag(parts));
  assert.equal(done.Key, Key);
  assert.equal(done.Bucket, Bucket);
  const got = await s3().send(new GetObjectCommand({ Bucket, Key }));
  const body = Buffer.from(await got.Body!.transformToByteArray());
  assert.ok(body.equals(Buffer.concat(parts)));
  assert.equal(got.ContentType, 'application/x-test');
  assert.deepEqual(got.Metadata, { m: '1' });
  const part2 = await s3().send(new GetObjectCommand({ Bucket, Key, PartNumber: 2 }));
  assert.deepEqual([part2.PartsCount, part2.ContentLength, part2.ContentRange], [3, 5 * MiB, `bytes ${5 * MiB}-${10 * MiB - 1}/${10 * MiB + 4}`]);
  const attrs = await s3().send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ['ObjectParts', 'ObjectSize'] }));
  assert.deepEqual([attrs.ObjectParts?.TotalPartsCount, attrs.ObjectSize], [3, 10 * MiB + 4]);
  const after = await failure(() => s3().send(new ListPartsCommand({ Bucket, Key, UploadId })));
  assert.deepEqual([after.name, after.status, after.fields['UploadId']], ['NoSuchUpload', 404, UploadId]);
  assert.equal((await s3().send(new ListMultipartUploadsCommand({ Bucket }))).Uploads, undefined);
});

test('part rules: numbers 1-10000, 5 MiB minimum except the last, ascending order, matching ETags', async () => {
  const Bucket = await newBucket(s3());
  const Key = 'k';
  const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key }));
  for (const PartNumber of [0, 10001]) {
    const err = await failure(() => s3().send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: 'x' })));
    assert.deepEqual([err.name, err.message, err.fields['ArgumentName'], err.fields['ArgumentValue']],
      ['InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(PartNumber)]);
  }
  const p1 = await s3().send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'data' }));
  const p2 = await s3().send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: 'data' }));
  const complete = (Parts: { ETag?: string; PartNumber: number }[]) =>
    failure(() => s3().send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } })));
  const small = await complete([{ ETag: p1.ETag, PartNumber: 1 }, { ETag: p2.ETag, PartNumber: 2 }]);
  assert.deepEqual([small.name, small.status, small.message, small.fields['PartNumber'], small.fields['ProposedSize'], small.fields['MinSizeAllowed']],
    ['EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', '1', '4', '5242880']);
  const order = await complete([{ ETag: p2.ETag, PartNumber: 2 }, { ETag: p1.ETag, PartNumber: 1 }]);
  assert.deepEqual([order.name, order.message], ['InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.']);
  const wrongTag = await complete([{ ETag: '"d41d8cd98f00b204e9800998ecf8427e"', PartNumber: 1 }]);
  assert.deepEqual([wrongTag.name, wrongTag.fields['PartNumber'], wrongTag.fields['ETag']], ['InvalidPart', '1', 'd41d8cd98f00b204e9800998ecf8427e']);
  const missing = await complete([{ ETag: p1.ETag, PartNumber: 3 }]);
  assert.equal(missing.name, 'InvalidPart');
  // One small part is fine: it is the last.
  const ok = await s3().send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ ETag: p2.ETag, PartNumber: 2 }] } }));
  assert.equal(ok.ETag, multipartEtag([Buffer.from('data')]));
  const unknown = await failure(() => s3().send(new UploadPartCommand({ Bucket, Key, UploadId: 'nope', PartNumber: 1, Body: 'x' })));
  assert.deepEqual([unknown.name, unknown.status], ['NoSuchUpload', 404]);
});

test('AbortMultipartUpload drops the upload and its parts', async () => {
  const Bucket = await newBucket(s3());
  const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));
  await s3().send(new UploadPartCommand({ Bucket, Key: 'k', UploadId, PartNumber: 1, Body: 'x' }));
  const out = await s3().send(new AbortMultipartUploadCommand({ Bucket, Key: 'k', UploadId }));
  assert.equal(out.$metadata.httpStatusCode, 204);
  assert.equal((await failure(() => s3().send(new ListPartsCommand({ Bucket, Key: 'k', UploadId })))).name, 'NoSuchUpload');
  assert.equal((await failure(() => s3().send(new AbortMultipartUploadCommand({ Bucket, Key: 'k', UploadId })))).name, 'NoSuchUpload');
});

test('UploadPartCopy copies a range of another object into a part', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'src', Body: '0123456789' }));
  const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'dst' }));
  const part = await s3().send(new UploadPartCopyCommand({ Bucket, Key: 'dst', UploadId, PartNumber: 1, CopySource: `${Bucket}/src`, CopySourceRange: 'bytes=2-5' }));
  assert.equal(part.CopyPartResult!.ETag, `"${md5(Buffer.from('2345')).toString('hex')}"`);
  await s3().send(new CompleteMultipartUploadCommand({ Bucket, Key: 'dst', UploadId, MultipartUpload: { Parts: [{ ETag: part.CopyPartResult!.ETag, PartNumber: 1 }] } }));
  assert.equal(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'dst' }))).Body!.transformToString(), '2345');
  const { UploadId: u2 } = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'dst2' }));
  const bad = await failure(() => s3().send(new UploadPartCopyCommand({ Bucket, Key: 'dst2', UploadId: u2, PartNumber: 1, CopySource: `${Bucket}/src`, CopySourceRange: '0-8' })));
  assert.deepEqual([bad.name, bad.fields['ArgumentName']], ['InvalidArgument', 'x-amz-copy-source-range']);
  const past = await failure(() => s3().send(new UploadPartCopyCommand({ Bucket, Key: 'dst2', UploadId: u2, PartNumber: 1, CopySource: `${Bucket}/src`, CopySourceRange: 'bytes=0-100' })));
  assert.deepEqual([past.name, past.message], ['InvalidArgument', 'Range specified is not valid for source object of size: 10']);
});

test('composite checksums: parts carry the upload algorithm, the object gets <checksum of checksums>-N', async () => {
  const Bucket = await newBucket(s3());
  const Key = 'sums';
  const created = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'SHA256' }));
  assert.deepEqual([created.ChecksumAlgorithm, created.ChecksumType], ['SHA256', 'COMPOSITE']);
  const UploadId = created.UploadId!;
  const parts = [randomBytes(5 * MiB), Buffer.from('last part')];
  const done: { ETag?: string; PartNumber: number; ChecksumSHA256?: string }[] = [];
  for (const [i, Body] of parts.entries()) {
    const out = await s3().send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'SHA256' }));
    assert.equal(out.ChecksumSHA256, createHash('sha256').update(Body).digest('base64'));
    done.push({ ETag: out.ETag, PartNumber: i + 1, ChecksumSHA256: out.ChecksumSHA256 });
  }
  const noSums = await failure(() => s3().send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: done.map(({ ETag, PartNumber }) => ({ ETag, PartNumber })) } })));
  assert.equal(noSums.message, 'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.');
  const out = await s3().send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: done } }));
  const composite = createHash('sha256').update(Buffer.concat(done.map((p) => Buffer.from(p.ChecksumSHA256!, 'base64')))).digest('base64');
  assert.deepEqual([out.ChecksumSHA256, out.ChecksumType], [`${composite}-2`, 'COMPOSITE']);
  const head = await s3().send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
  assert.equal(head.ChecksumSHA256, `${composite}-2`);
  const bad = await failure(() => s3().send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'COMPOSITE' })));
  assert.deepEqual([bad.name, bad.message], ['InvalidRequest', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.']);
});

test('lib-storage Upload sends a stream in parts and the object reads back whole', async () => {
  const Bucket = await newBucket(s3());
  const data = randomBytes(12 * MiB + 123);
  const upload = new Upload({ client: s3(), params: { Bucket, Key: 'streamed.bin', Body: Readable.from([data.subarray(0, 7 * MiB), data.subarray(7 * MiB)]) }, partSize: 5 * MiB, queueSize: 2 });
  const out = await upload.done();
  assert.match(out.ETag!, /^"[0-9a-f]{32}-3"$/);
  const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'streamed.bin' }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));
  // A small body goes up in one PutObject.
  const small = await new Upload({ client: s3(), params: { Bucket, Key: 'small.txt', Body: 'tiny' } }).done();
  assert.match(small.ETag!, /^"[0-9a-f]{32}"$/);
});

test('conditional completes: If-None-Match refuses an existing key, a key changed meanwhile is a conflict', async () => {
  const Bucket = await newBucket(s3());
  const Key = 'k';
  await s3().send(new PutObjectCommand({ Bucket, Key, Body: 'exists' }));
  const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const part = await s3().send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'new' }));
  const Parts = [{ ETag: part.ETag, PartNumber: 1 }];
  const exists = await failure(() => s3().send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, IfNoneMatch: '*', MultipartUpload: { Parts } })));
  assert.deepEqual([exists.name, exists.status, exists.fields['Condition']], ['PreconditionFailed', 412, 'If-None-Match']);
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  await s3().send(new DeleteObjectCommand({ Bucket, Key }));
  const conflict = await failure(() => s3().send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, IfNoneMatch: '*', MultipartUpload: { Parts } })));
  assert.deepEqual([conflict.name, conflict.status, conflict.fields['Condition'], conflict.fields['Key']], ['ConditionalRequestConflict', 409, 'If-None-Match', Key]);
});
