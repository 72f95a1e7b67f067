import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteObjectCommand, ListObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand,
  paginateListObjectsV2, type S3Client,
} from '@aws-sdk/client-s3';
import { useDrydock } from '../../helpers.js';
import { failure, newBucket, s3Client, signedFetch } from './helpers.js';

const h = useDrydock();
const s3 = () => s3Client(h.dd);

const KEYS = ['folder/aSubfolder/subFile1', 'folder/aSubfolder/subFile2', 'folder/file1', 'folder/file2', 'other.txt', 'zeta/x'];

async function filled(c: S3Client, keys = KEYS): Promise<string> {
  const Bucket = await newBucket(c);
  for (const Key of keys) await c.send(new PutObjectCommand({ Bucket, Key, Body: 'hello world' }));
  return Bucket;
}

test('ListObjectsV2 lists keys in UTF-8 order with sizes, ETags and checksum algorithms', async () => {
  const Bucket = await filled(s3(), ['b', 'a', 'é', 'Z', '😀', '\uffff', 'a/b']);
  const out = await s3().send(new ListObjectsV2Command({ Bucket }));
  // UTF-8 byte order: ASCII, then U+00E9, then U+FFFF, then the emoji (4-byte UTF-8).
  assert.deepEqual(out.Contents!.map((o) => o.Key), ['Z', 'a', 'a/b', 'b', 'é', '\uffff', '😀']);
  assert.equal(out.KeyCount, 7);
  assert.equal(out.IsTruncated, false);
  assert.equal(out.MaxKeys, 1000);
  const first = out.Contents![0]!;
  assert.deepEqual([first.Size, first.ETag, first.StorageClass, first.ChecksumAlgorithm, first.ChecksumType, first.Owner],
    [11, '"5eb63bbbe01eeed093cb22bb8f5acdc3"', 'STANDARD', ['CRC32'], 'FULL_OBJECT', undefined]);
  const owned = await s3().send(new ListObjectsV2Command({ Bucket, FetchOwner: true, MaxKeys: 1 }));
  assert.match(owned.Contents![0]!.Owner!.ID!, /^[0-9a-f]{64}$/);
});

test('prefix and delimiter roll keys up into CommonPrefixes', async () => {
  const Bucket = await filled(s3());
  const top = await s3().send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
  assert.deepEqual(top.CommonPrefixes!.map((p) => p.Prefix), ['folder/', 'zeta/']);
  assert.deepEqual(top.Contents!.map((o) => o.Key), ['other.txt']);
  assert.equal(top.KeyCount, 3);
  const inner = await s3().send(new ListObjectsV2Command({ Bucket, Prefix: 'folder/', Delimiter: '/' }));
  assert.deepEqual(inner.CommonPrefixes!.map((p) => p.Prefix), ['folder/aSubfolder/']);
  assert.deepEqual(inner.Contents!.map((o) => o.Key), ['folder/file1', 'folder/file2']);
  assert.equal(inner.Prefix, 'folder/');
  assert.equal(inner.Delimiter, '/');
  const none = await s3().send(new ListObjectsV2Command({ Bucket, Prefix: 'nothing/' }));
  assert.deepEqual([none.KeyCount, none.Contents, none.CommonPrefixes], [0, undefined, undefined]);
});

test('ListObjectsV2 pages with continuation tokens across common prefixes, and StartAfter', async () => {
  const Bucket = await filled(s3());
  const p1 = await s3().send(new ListObjectsV2Command({ Bucket, Prefix: 'folder/', Delimiter: '/', MaxKeys: 1 }));
  assert.deepEqual([p1.CommonPrefixes?.map((p) => p.Prefix), p1.IsTruncated, p1.KeyCount], [['folder/aSubfolder/'], true, 1]);
  const p2 = await s3().send(new ListObjectsV2Command({ Bucket, Prefix: 'folder/', Delimiter: '/', MaxKeys: 1, ContinuationToken: p1.NextContinuationToken }));
  assert.deepEqual([p2.Contents?.map((o) => o.Key), p2.IsTruncated, p2.ContinuationToken], [['folder/file1'], true, p1.NextContinuationToken]);
  const p3 = await s3().send(new ListObjectsV2Command({ Bucket, Prefix: 'folder/', Delimiter: '/', MaxKeys: 1, ContinuationToken: p2.NextContinuationToken }));
  assert.deepEqual([p3.Contents?.map((o) => o.Key), p3.IsTruncated, p3.NextContinuationToken], [['folder/file2'], false, undefined]);
  const after = await s3().send(new ListObjectsV2Command({ Bucket, StartAfter: 'folder/file2' }));
  assert.deepEqual(after.Contents!.map((o) => o.Key), ['other.txt', 'zeta/x']);
  assert.equal(after.StartAfter, 'folder/file2');
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3(), pageSize: 2 }, { Bucket })) keys.push(...(page.Contents ?? []).map((o) => o.Key!));
  assert.deepEqual(keys, KEYS);
  const bad = await failure(() => s3().send(new ListObjectsV2Command({ Bucket, ContinuationToken: 'garbage' })));
  assert.deepEqual([bad.name, bad.message, bad.fields['ArgumentName']], ['InvalidArgument', 'The continuation token provided is incorrect', 'continuation-token']);
});

test('more than 1000 keys are listed 1000 at a time', async () => {
  const c = s3();
  const Bucket = await newBucket(c);
  const keys = Array.from({ length: 1005 }, (_, i) => `k${String(i).padStart(5, '0')}`);
  for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((Key) => c.send(new PutObjectCommand({ Bucket, Key, Body: '' }))));
  const page = await c.send(new ListObjectsV2Command({ Bucket, MaxKeys: 5000 }));
  assert.deepEqual([page.KeyCount, page.MaxKeys, page.IsTruncated], [1000, 1000, true]);
  const rest = await c.send(new ListObjectsV2Command({ Bucket, ContinuationToken: page.NextContinuationToken }));
  assert.deepEqual(rest.Contents!.map((o) => o.Key), keys.slice(1000));
});

test('ListObjects (V1) uses markers; NextMarker only comes with a delimiter', async () => {
  const Bucket = await filled(s3());
  const p1 = await s3().send(new ListObjectsCommand({ Bucket, Prefix: 'folder/', Delimiter: '/', MaxKeys: 1 }));
  assert.deepEqual([p1.CommonPrefixes?.map((p) => p.Prefix), p1.NextMarker, p1.IsTruncated, p1.Marker], [['folder/aSubfolder/'], 'folder/aSubfolder/', true, '']);
  const p2 = await s3().send(new ListObjectsCommand({ Bucket, Prefix: 'folder/', Delimiter: '/', MaxKeys: 1, Marker: p1.NextMarker }));
  assert.deepEqual([p2.Contents?.map((o) => o.Key), p2.NextMarker], [['folder/file1'], 'folder/file1']);
  // A marker inside a common prefix skips that prefix entirely.
  const inside = await s3().send(new ListObjectsCommand({ Bucket, Prefix: 'folder/', Delimiter: '/', MaxKeys: 1, Marker: 'folder/aSubfolder/subFile1' }));
  assert.deepEqual(inside.Contents?.map((o) => o.Key), ['folder/file1']);
  const plain = await s3().send(new ListObjectsCommand({ Bucket, MaxKeys: 2 }));
  assert.deepEqual([plain.Contents?.map((o) => o.Key), plain.IsTruncated, plain.NextMarker], [KEYS.slice(0, 2), true, undefined]);
  assert.match(plain.Contents![0]!.Owner!.ID!, /^[0-9a-f]{64}$/);
});

test('encoding-type=url percent-encodes keys, prefixes and delimiters; other values are refused', async () => {
  const Bucket = await filled(s3(), ['a b/c&d', 'a b/e%f', 'plain']);
  const raw = await signedFetch(h.dd, { method: 'GET', path: `/${Bucket}`, query: { 'list-type': '2', 'encoding-type': 'url', delimiter: '/' } });
  assert.equal(raw.status, 200);
  assert.match(raw.body, /<CommonPrefixes><Prefix>a%20b\/<\/Prefix><\/CommonPrefixes>/);
  assert.match(raw.body, /<EncodingType>url<\/EncodingType>/);
  assert.match(raw.body, /<Delimiter>\/<\/Delimiter>/);
  const keys = await signedFetch(h.dd, { method: 'GET', path: `/${Bucket}`, query: { 'list-type': '2', 'encoding-type': 'url', prefix: 'a b/' } });
  assert.match(keys.body, /<Key>a%20b\/c%26d<\/Key>/);
  assert.match(keys.body, /<Key>a%20b\/e%25f<\/Key>/);
  const bad = await failure(() => s3().send(new ListObjectsV2Command({ Bucket, EncodingType: 'value' as 'url' })));
  assert.deepEqual([bad.name, bad.message, bad.fields['ArgumentName'], bad.fields['ArgumentValue']],
    ['InvalidArgument', 'Invalid Encoding Method specified in Request', 'encoding-type', 'value']);
});

test('ListObjectVersions lists versions and delete markers newest first, with key and version markers', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const ids: Record<string, string[]> = { a: [], b: [] };
  for (const Key of ['a', 'b']) {
    for (let i = 0; i < 2; i++) ids[Key]!.unshift((await s3().send(new PutObjectCommand({ Bucket, Key, Body: `${Key}${i}` }))).VersionId!);
  }
  const marker = (await s3().send(new DeleteObjectCommand({ Bucket, Key: 'b' }))).VersionId!;
  const all = await s3().send(new ListObjectVersionsCommand({ Bucket }));
  assert.deepEqual(all.Versions!.map((v) => [v.Key, v.VersionId, v.IsLatest]), [['a', ids['a']![0], true], ['a', ids['a']![1], false], ['b', ids['b']![0], false], ['b', ids['b']![1], false]]);
  assert.deepEqual(all.DeleteMarkers!.map((m) => [m.Key, m.VersionId, m.IsLatest]), [['b', marker, true]]);
  assert.equal(all.KeyMarker, '');
  assert.equal(all.VersionIdMarker, '');
  const p1 = await s3().send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 3 }));
  assert.deepEqual([p1.IsTruncated, p1.NextKeyMarker, p1.NextVersionIdMarker], [true, 'b', marker]);
  const p2 = await s3().send(new ListObjectVersionsCommand({ Bucket, KeyMarker: p1.NextKeyMarker, VersionIdMarker: p1.NextVersionIdMarker }));
  assert.deepEqual(p2.Versions!.map((v) => v.VersionId), ids['b']);
  assert.equal(p2.IsTruncated, false);
  const afterKey = await s3().send(new ListObjectVersionsCommand({ Bucket, KeyMarker: 'a' }));
  assert.deepEqual(afterKey.Versions!.map((v) => v.Key), ['b', 'b']);
  const bad = await failure(() => s3().send(new ListObjectVersionsCommand({ Bucket, VersionIdMarker: marker })));
  assert.deepEqual([bad.name, bad.message], ['InvalidArgument', 'A version-id marker cannot be specified without a key marker.']);
});
