import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CopyObjectCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketVersioningCommand, GetObjectCommand,
  GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { useDrydock } from '../../helpers.js';
import { failure, newBucket, s3Client } from './helpers.js';

const h = useDrydock();
const s3 = () => s3Client(h.dd);

async function versionedBucket(): Promise<string> {
  const Bucket = await newBucket(s3());
  await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  return Bucket;
}

test('PutBucketVersioning / GetBucketVersioning: never set, Enabled, Suspended, and refusals', async () => {
  const Bucket = await newBucket(s3());
  const before = await s3().send(new GetBucketVersioningCommand({ Bucket }));
  assert.equal(before.Status, undefined);
  await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  assert.equal((await s3().send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled');
  await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
  assert.equal((await s3().send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Suspended');
  const bad = await failure(() => s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'enabled' as 'Enabled' } })));
  assert.deepEqual([bad.name, bad.status], ['MalformedXML', 400]);
  const empty = await failure(() => s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: {} })));
  assert.deepEqual([empty.name, empty.message], ['IllegalVersioningConfigurationException', 'The Versioning element must be specified']);
});

test('each write makes a version; GetObject reads any version; x-amz-version-id is reported', async () => {
  const Bucket = await versionedBucket();
  const v1 = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
  const v2 = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }));
  assert.match(v1.VersionId!, /^[A-Za-z0-9._]{32}$/);
  assert.notEqual(v1.VersionId, v2.VersionId);
  const latest = await s3().send(new GetObjectCommand({ Bucket, Key: 'k' }));
  assert.equal(await latest.Body!.transformToString(), 'two');
  assert.equal(latest.VersionId, v2.VersionId);
  const old = await s3().send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }));
  assert.equal(await old.Body!.transformToString(), 'one');
  assert.equal(old.VersionId, v1.VersionId);
  assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }))).ContentLength, 3);
  // Tags are per version.
  await s3().send(new PutObjectTaggingCommand({ Bucket, Key: 'k', VersionId: v1.VersionId, Tagging: { TagSet: [{ Key: 'old', Value: 'yes' }] } }));
  assert.deepEqual((await s3().send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, []);
  const tagged = await s3().send(new GetObjectTaggingCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }));
  assert.deepEqual([tagged.TagSet, tagged.VersionId], [[{ Key: 'old', Value: 'yes' }], v1.VersionId]);
});

test('a delete without a version id adds a delete marker; deleting versions removes them for good', async () => {
  const Bucket = await versionedBucket();
  const v1 = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'data' }));
  const marker = await s3().send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
  assert.equal(marker.DeleteMarker, true);
  assert.match(marker.VersionId!, /^[A-Za-z0-9._]{32}$/);
  const gone = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'k' })));
  assert.deepEqual([gone.name, gone.status], ['NoSuchKey', 404]);
  assert.equal(gone.headers?.['x-amz-delete-marker'], 'true');
  const atMarker = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: marker.VersionId })));
  assert.deepEqual([atMarker.name, atMarker.status, atMarker.fields['Method'], atMarker.fields['ResourceType']], ['MethodNotAllowed', 405, 'GET', 'DeleteMarker']);
  const tagsOnMarker = await failure(() => s3().send(new GetObjectTaggingCommand({ Bucket, Key: 'k' })));
  assert.equal(tagsOnMarker.name, 'MethodNotAllowed');
  // The old version is still there, and listings see it.
  assert.equal(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }))).Body!.transformToString(), 'data');
  assert.equal((await s3().send(new ListObjectsV2Command({ Bucket }))).KeyCount, 0);
  const versions = await s3().send(new ListObjectVersionsCommand({ Bucket }));
  assert.deepEqual(versions.DeleteMarkers!.map((m) => [m.Key, m.VersionId, m.IsLatest]), [['k', marker.VersionId, true]]);
  assert.deepEqual(versions.Versions!.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size]), [['k', v1.VersionId, false, 4]]);
  // A versioned bucket with versions or markers cannot be deleted.
  const full = await failure(() => s3().send(new DeleteBucketCommand({ Bucket })));
  assert.equal(full.message, 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.');
  const removeMarker = await s3().send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: marker.VersionId }));
  assert.deepEqual([removeMarker.DeleteMarker, removeMarker.VersionId], [true, marker.VersionId]);
  assert.equal(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'k' }))).Body!.transformToString(), 'data');
  await s3().send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }));
  const noVersion = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId })));
  assert.deepEqual([noVersion.name, noVersion.status, noVersion.fields['VersionId']], ['NoSuchVersion', 404, v1.VersionId]);
  await s3().send(new DeleteBucketCommand({ Bucket }));
});

test('DeleteObjects in a versioned bucket reports markers and per-key version errors', async () => {
  const Bucket = await versionedBucket();
  const v1 = await s3().send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'x' }));
  const out = await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'a' }, { Key: 'a', VersionId: v1.VersionId }, { Key: 'b', VersionId: 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD' }] } }));
  assert.equal(out.Deleted!.length, 2);
  assert.equal(out.Deleted![0]!.DeleteMarker, true);
  assert.match(out.Deleted![0]!.DeleteMarkerVersionId!, /^[A-Za-z0-9._]{32}$/);
  assert.deepEqual(out.Deleted![1], { Key: 'a', VersionId: v1.VersionId });
  assert.deepEqual(out.Errors, [{ Key: 'b', VersionId: 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD', Code: 'NoSuchVersion', Message: 'The specified version does not exist.' }]);
});

test('objects written before versioning keep the null version; Suspended writes replace it', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'pre' }));
  await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'k' }));
  assert.equal(head.VersionId, 'null');
  const v2 = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'versioned' }));
  await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
  const suspended = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'suspended' }));
  assert.equal(suspended.VersionId, 'null');
  const versions = (await s3().send(new ListObjectVersionsCommand({ Bucket }))).Versions!;
  assert.deepEqual(versions.map((v) => [v.VersionId, v.IsLatest, v.Size]), [['null', true, 9], [v2.VersionId, false, 9]]);
  assert.equal(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: 'null' }))).Body!.transformToString(), 'suspended');
});

test('CopyObject can copy an old version and reports both version ids', async () => {
  const Bucket = await versionedBucket();
  const v1 = await s3().send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'first' }));
  await s3().send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'second' }));
  const copy = await s3().send(new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src?versionId=${v1.VersionId}` }));
  assert.equal(copy.CopySourceVersionId, v1.VersionId);
  assert.match(copy.VersionId!, /^[A-Za-z0-9._]{32}$/);
  assert.equal(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'dst' }))).Body!.transformToString(), 'first');
  const marker = await s3().send(new DeleteObjectCommand({ Bucket, Key: 'src' }));
  const fromMarker = await failure(() => s3().send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${Bucket}/src?versionId=${marker.VersionId}` })));
  assert.deepEqual([fromMarker.name, fromMarker.message], ['InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.']);
});
