import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, DeleteObjectTaggingCommand, GetObjectAttributesCommand, GetObjectCommand,
  GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { useDrydock } from '../../helpers.js';
import { failure, newBucket, s3Client, signedFetch } from './helpers.js';

const h = useDrydock();
const s3 = (opts: Parameters<typeof s3Client>[1] = {}) => s3Client(h.dd, opts);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

test('PutObject stores bytes, content headers and user metadata; GetObject and HeadObject return them', async () => {
  const Bucket = await newBucket(s3());
  const put = await s3().send(new PutObjectCommand({
    Bucket, Key: 'docs/readme.txt', Body: 'hello world', ContentType: 'text/plain', ContentLanguage: 'en-US', CacheControl: 'max-age=60',
    ContentDisposition: 'attachment; filename="r.txt"', Metadata: { Owner: 'alice', 'x-thing': 'v 1' },
  }));
  assert.equal(put.ETag, `"${md5('hello world')}"`);
  assert.equal(put.ServerSideEncryption, 'AES256');
  assert.equal(put.VersionId, undefined);
  const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'docs/readme.txt' }));
  assert.equal(await got.Body!.transformToString(), 'hello world');
  assert.equal(got.ContentType, 'text/plain');
  assert.equal(got.ContentLanguage, 'en-US');
  assert.equal(got.CacheControl, 'max-age=60');
  assert.equal(got.ContentDisposition, 'attachment; filename="r.txt"');
  assert.deepEqual(got.Metadata, { owner: 'alice', 'x-thing': 'v 1' });
  assert.equal(got.ETag, put.ETag);
  assert.equal(got.ContentLength, 11);
  assert.equal(got.AcceptRanges, 'bytes');
  assert.ok(got.LastModified instanceof Date);
  const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'docs/readme.txt' }));
  assert.equal(head.ContentLength, 11);
  assert.equal(head.ETag, put.ETag);
  assert.deepEqual(head.Metadata, { owner: 'alice', 'x-thing': 'v 1' });
  assert.equal(head.StorageClass, undefined);
});

test('keys keep unusual characters and an object without Content-Type is binary/octet-stream', async () => {
  const Bucket = await newBucket(s3());
  for (const Key of ['a b/c+d.txt', 'test%percent', 'emoji/😀/x', 'trailing/', 'x?y=z&w']) {
    const raw = await signedFetch(h.dd, { method: 'PUT', path: `/${Bucket}/${Key.split('/').map(encodeURIComponent).join('/')}`, body: Key });
    assert.equal(raw.status, 200, `${Key}: ${raw.body}`);
    const got = await s3().send(new GetObjectCommand({ Bucket, Key }));
    assert.equal(await got.Body!.transformToString(), Key);
    assert.equal(got.ContentType, 'binary/octet-stream');
  }
  const long = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'k'.repeat(1025), Body: 'x' })));
  assert.deepEqual([long.name, long.status, long.message], ['KeyTooLongError', 400, 'Your key is too long']);
});

test('reading a missing key or bucket answers NoSuchKey / NoSuchBucket (404; HEAD has no body)', async () => {
  const Bucket = await newBucket(s3());
  const get = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'missing' })));
  assert.deepEqual([get.name, get.status, get.message, get.fields['Key']], ['NoSuchKey', 404, 'The specified key does not exist.', 'missing']);
  const head = await failure(() => s3().send(new HeadObjectCommand({ Bucket, Key: 'missing' })));
  assert.deepEqual([head.name, head.status], ['NotFound', 404]);
  const nb = await failure(() => s3().send(new GetObjectCommand({ Bucket: 'no-such-bucket-anywhere', Key: 'k' })));
  assert.deepEqual([nb.name, nb.status, nb.fields['BucketName']], ['NoSuchBucket', 404, 'no-such-bucket-anywhere']);
});

test('byte ranges: first-last, open-ended, suffix, clipped, ignored and unsatisfiable', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'digits', Body: '0123456789' }));
  const read = async (Range: string) => {
    const r = await s3().send(new GetObjectCommand({ Bucket, Key: 'digits', Range }));
    return [await r.Body!.transformToString(), r.ContentRange, r.ContentLength];
  };
  assert.deepEqual(await read('bytes=0-8'), ['012345678', 'bytes 0-8/10', 9]);
  assert.deepEqual(await read('bytes=1-1'), ['1', 'bytes 1-1/10', 1]);
  assert.deepEqual(await read('bytes=1-'), ['123456789', 'bytes 1-9/10', 9]);
  assert.deepEqual(await read('bytes=-2'), ['89', 'bytes 8-9/10', 2]);
  assert.deepEqual(await read('bytes=5-100'), ['56789', 'bytes 5-9/10', 5]);
  assert.deepEqual(await read('bytes=-15'), ['0123456789', 'bytes 0-9/10', 10]);
  // S3 ignores a Range it cannot use and serves the whole object.
  assert.deepEqual(await read('bytes=1-0'), ['0123456789', undefined, 10]);
  const bad = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=1024-4096' })));
  assert.deepEqual([bad.name, bad.status, bad.message, bad.fields['RangeRequested'], bad.fields['ActualObjectSize']],
    ['InvalidRange', 416, 'The requested range is not satisfiable', 'bytes=1024-4096', '10']);
});

test('a ranged GET answers 206 Partial Content', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'digits', Body: '0123456789' }));
  const r = await s3().send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=0-1' }));
  assert.equal(r.$metadata.httpStatusCode, 206);
});

test('read preconditions: If-Match / If-Unmodified-Since fail with 412, If-None-Match / If-Modified-Since with 304', async () => {
  const Bucket = await newBucket(s3());
  const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'data' }));
  const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'k' }));
  const lm = head.LastModified!;
  const before = new Date(lm.getTime() - 3600_000);
  const future = new Date(lm.getTime() + 86400_000 * 365);
  const ifMatch = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'k', IfMatch: '"nope"' })));
  assert.deepEqual([ifMatch.name, ifMatch.status, ifMatch.message, ifMatch.fields['Condition']],
    ['PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', 'If-Match']);
  const unmod = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'k', IfUnmodifiedSince: before })));
  assert.deepEqual([unmod.status, unmod.fields['Condition']], [412, 'If-Unmodified-Since']);
  const none = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'k', IfNoneMatch: put.ETag })));
  assert.equal(none.status, 304);
  const unquoted = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'k', IfNoneMatch: put.ETag!.replace(/"/g, '') })));
  assert.equal(unquoted.status, 304);
  const since = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'k', IfModifiedSince: lm })));
  assert.equal(since.status, 304);
  const headMatch = await failure(() => s3().send(new HeadObjectCommand({ Bucket, Key: 'k', IfMatch: '"nope"' })));
  assert.equal(headMatch.status, 412);
  // Conditions that hold, and a future If-Modified-Since (ignored), serve the object.
  for (const cond of [{ IfMatch: put.ETag }, { IfUnmodifiedSince: lm }, { IfModifiedSince: future }, { IfNoneMatch: '"other"' }, { IfModifiedSince: before }]) {
    const ok = await s3().send(new GetObjectCommand({ Bucket, Key: 'k', ...cond }));
    assert.equal(await ok.Body!.transformToString(), 'data', JSON.stringify(cond));
  }
});

test('conditional writes: If-None-Match: * refuses to overwrite, If-Match needs the current ETag', async () => {
  const Bucket = await newBucket(s3());
  const first = await s3().send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'v1', IfNoneMatch: '*' }));
  const again = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'v2', IfNoneMatch: '*' })));
  assert.deepEqual([again.name, again.status, again.fields['Condition']], ['PreconditionFailed', 412, 'If-None-Match']);
  const wrong = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'v2', IfMatch: '"abc"' })));
  assert.deepEqual([wrong.status, wrong.fields['Condition']], [412, 'If-Match']);
  await s3().send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'v2', IfMatch: first.ETag }));
  const missing = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'absent', Body: 'x', IfMatch: first.ETag })));
  assert.deepEqual([missing.name, missing.status], ['NoSuchKey', 404]);
  const badValue = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'x', IfNoneMatch: '"etag"' })));
  assert.deepEqual([badValue.name, badValue.status, badValue.fields['Header']], ['NotImplemented', 501, 'If-None-Match']);
  const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'once' }));
  assert.equal(await got.Body!.transformToString(), 'v2');
});

test('DeleteObject is idempotent; DeleteObjects reports each key, quietly when asked', async () => {
  const Bucket = await newBucket(s3());
  for (const Key of ['a', 'b', 'c']) await s3().send(new PutObjectCommand({ Bucket, Key, Body: Key }));
  const del = await s3().send(new DeleteObjectCommand({ Bucket, Key: 'a' }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await s3().send(new DeleteObjectCommand({ Bucket, Key: 'a' }));
  const many = await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'b' }, { Key: 'nope' }] } }));
  assert.deepEqual(many.Deleted, [{ Key: 'b' }, { Key: 'nope' }]);
  assert.equal(many.Errors, undefined);
  const quiet = await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'c' }], Quiet: true } }));
  assert.equal(quiet.Deleted, undefined);
  const list = await s3().send(new ListObjectsV2Command({ Bucket }));
  assert.equal(list.KeyCount, 0);
  const bad = await failure(() => s3().send(new DeleteObjectCommand({ Bucket, Key: 'a', VersionId: 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD' })));
  assert.deepEqual([bad.name, bad.message, bad.fields['ArgumentName']], ['InvalidArgument', 'Invalid version id specified', 'versionId']);
});

test('CopyObject copies metadata by default and replaces it with MetadataDirective REPLACE', async () => {
  const Bucket = await newBucket(s3());
  const dest = await newBucket(s3());
  const src = await s3().send(new PutObjectCommand({ Bucket, Key: 'src', Body: '{"a":1}', ContentType: 'application/json', Metadata: { k: 'v' }, Tagging: 't=1' }));
  const copy = await s3().send(new CopyObjectCommand({ Bucket: dest, Key: 'copy', CopySource: `${Bucket}/src` }));
  assert.equal(copy.CopyObjectResult!.ETag, src.ETag);
  assert.ok(copy.CopyObjectResult!.LastModified instanceof Date);
  const copied = await s3().send(new HeadObjectCommand({ Bucket: dest, Key: 'copy' }));
  assert.equal(copied.ContentType, 'application/json');
  assert.deepEqual(copied.Metadata, { k: 'v' });
  assert.deepEqual((await s3().send(new GetObjectTaggingCommand({ Bucket: dest, Key: 'copy' }))).TagSet, [{ Key: 't', Value: '1' }]);
  await s3().send(new CopyObjectCommand({ Bucket: dest, Key: 'replaced', CopySource: `${Bucket}/src`, MetadataDirective: 'REPLACE', Metadata: { other: 'x' } }));
  const replaced = await s3().send(new HeadObjectCommand({ Bucket: dest, Key: 'replaced' }));
  assert.equal(replaced.ContentType, 'binary/octet-stream');
  assert.deepEqual(replaced.Metadata, { other: 'x' });
  // In place without a change is refused; with REPLACE it is a metadata update.
  const self = await failure(() => s3().send(new CopyObjectCommand({ Bucket, Key: 'src', CopySource: `${Bucket}/src` })));
  assert.equal(self.name, 'InvalidRequest');
  assert.match(self.message, /^This copy request is illegal because it is trying to copy an object to itself/);
  await s3().send(new CopyObjectCommand({ Bucket, Key: 'src', CopySource: `${Bucket}/src`, MetadataDirective: 'REPLACE', Metadata: { n: '2' } }));
  assert.deepEqual((await s3().send(new HeadObjectCommand({ Bucket, Key: 'src' }))).Metadata, { n: '2' });
  const nokey = await failure(() => s3().send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${Bucket}/missing` })));
  assert.deepEqual([nokey.name, nokey.status], ['NoSuchKey', 404]);
  const nobucket = await failure(() => s3().send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: 'no-such-bucket-here/k' })));
  assert.equal(nobucket.name, 'NoSuchBucket');
  const cond = await failure(() => s3().send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${Bucket}/src`, CopySourceIfMatch: '"nope"' })));
  assert.deepEqual([cond.status, cond.fields['Condition']], [412, 'x-amz-copy-source-If-Match']);
});

test('object tags: x-amz-tagging on upload, Put/Get/DeleteObjectTagging, TagCount on GET', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', Tagging: 'a=1&b=two%20words' }));
  assert.deepEqual((await s3().send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two words' }]);
  assert.equal((await s3().send(new GetObjectCommand({ Bucket, Key: 'k' }))).TagCount, 2);
  await s3().send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'only', Value: 'one' }] } }));
  assert.deepEqual((await s3().send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, [{ Key: 'only', Value: 'one' }]);
  await s3().send(new DeleteObjectTaggingCommand({ Bucket, Key: 'k' }));
  assert.deepEqual((await s3().send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, []);
  const dup = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'k2', Body: 'x', Tagging: 'a=1&a=2' })));
  assert.deepEqual([dup.name, dup.fields['ArgumentName'], dup.fields['ArgumentValue']], ['InvalidArgument', 'x-amz-tagging', 'a=1&a=2']);
  const sys = await failure(() => s3().send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'aws:x', Value: '1' }] } })));
  assert.deepEqual([sys.name, sys.message], ['InvalidTag', 'Your TagKey cannot be prefixed with aws:']);
  const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  assert.equal((await failure(() => s3().send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: eleven } })))).name, 'InvalidTag');
  const missing = await failure(() => s3().send(new GetObjectTaggingCommand({ Bucket, Key: 'nope' })));
  assert.equal(missing.name, 'NoSuchKey');
});

test('storage classes are kept and reported; archived objects need a restore before GET', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'ia', Body: 'x', StorageClass: 'STANDARD_IA' }));
  assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'ia' }))).StorageClass, 'STANDARD_IA');
  assert.equal((await s3().send(new ListObjectsV2Command({ Bucket }))).Contents![0]!.StorageClass, 'STANDARD_IA');
  await s3().send(new PutObjectCommand({ Bucket, Key: 'cold', Body: 'x', StorageClass: 'GLACIER' }));
  const cold = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'cold' })));
  assert.deepEqual([cold.name, cold.status, cold.message, cold.fields['StorageClass']],
    ['InvalidObjectState', 403, "The operation is not valid for the object's storage class", 'GLACIER']);
  assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'cold' }))).StorageClass, 'GLACIER');
  const bad = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', StorageClass: 'OUTPOSTS' })));
  assert.deepEqual([bad.name, bad.fields['StorageClassRequested']], ['InvalidStorageClass', 'OUTPOSTS']);
});

test('GetObjectAttributes returns the requested attributes', async () => {
  const Bucket = await newBucket(s3());
  const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'attributes', ChecksumAlgorithm: 'SHA256' }));
  const attrs = await s3().send(new GetObjectAttributesCommand({ Bucket, Key: 'k', ObjectAttributes: ['ETag', 'Checksum', 'ObjectSize', 'StorageClass'] }));
  assert.equal(attrs.ETag, put.ETag!.replace(/"/g, ''));
  assert.equal(attrs.ObjectSize, 10);
  assert.equal(attrs.StorageClass, 'STANDARD');
  assert.deepEqual(attrs.Checksum, { ChecksumSHA256: createHash('sha256').update('attributes').digest('base64'), ChecksumType: 'FULL_OBJECT' });
});

test('user metadata over 2 KB is refused', async () => {
  const Bucket = await newBucket(s3());
  const err = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', Metadata: { big: 'x'.repeat(2100) } })));
  assert.deepEqual([err.name, err.status], ['MetadataTooLarge', 400]);
});
