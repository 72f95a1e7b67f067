import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateMultipartUploadCommand, GetBucketPolicyCommand, GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command,
  ListObjectVersionsCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startDrydock } from '../../../src/embedded/index.js';
import { newBucket, s3Client } from './helpers.js';

test('buckets, object versions, bytes, policies and uploads in progress survive a restart with a data directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-s3-'));
  try {
    let dd = await startDrydock({ dataDir: dir });
    let s3 = s3Client(dd);
    const Bucket = await newBucket(s3, { CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'first', Metadata: { m: '1' } }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: Buffer.from([0, 1, 2, 255]) }));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }] });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp' }));
    await s3.send(new UploadPartCommand({ Bucket, Key: 'mp', UploadId, PartNumber: 1, Body: 'part' }));
    await dd.stop();

    dd = await startDrydock({ dataDir: dir });
    s3 = s3Client(dd);
    const latest = await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    assert.deepEqual([...await latest.Body!.transformToByteArray()], [0, 1, 2, 255]);
    const old = await s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }));
    assert.equal(await old.Body!.transformToString(), 'first');
    assert.deepEqual(old.Metadata, { m: '1' });
    assert.equal((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions!.length, 2);
    assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents!.map((o) => o.Key), ['k']);
    assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, policy);
    assert.deepEqual((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads!.map((u) => u.UploadId), [UploadId]);
    await dd.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after a restart, the first request is already authorized with the bucket policy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-s3-'));
  try {
    let dd = await startDrydock({ dataDir: dir });
    const s3 = s3Client(dd);
    const Bucket = await newBucket(s3);
    const { DeletePublicAccessBlockCommand } = await import('@aws-sdk/client-s3');
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }] }) }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'public.txt', Body: 'public' }));
    await dd.stop();
    dd = await startDrydock({ dataDir: dir });
    const res = await fetch(`${dd.endpoint}/${Bucket}/public.txt`);
    await dd.stop();
    assert.equal(res.status, 200);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
