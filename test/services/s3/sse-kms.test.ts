import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, GetObjectCommand, PutBucketEncryptionCommand,
  PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { failure, newBucket, s3Client } from './helpers.js';

const h = useDrydock();
const s3 = () => s3Client(h.dd);
const kms = () => new KMSClient(sdkConfig(h.dd));
const text = async (b: { Body?: { transformToString(): Promise<string> } }) => b.Body!.transformToString();

test('SSE-KMS seals objects with a KMS data key: readable while the key is usable, not when it is disabled', async () => {
  const Bucket = await newBucket(s3());
  const key = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'secret.txt', Body: 'attack at dawn', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.KeyId }));
  assert.deepEqual([put.ServerSideEncryption, put.SSEKMSKeyId], ['aws:kms', key.Arn]);
  const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'secret.txt', Range: 'bytes=7-8' }));
  assert.equal(await text(got), 'at');
  assert.equal(got.SSEKMSKeyId, key.Arn);
  await kms().send(new DisableKeyCommand({ KeyId: key.KeyId }));
  const refused = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'secret.txt' })));
  assert.equal(refused.name, 'KMS.DisabledException');
  await kms().send(new EnableKeyCommand({ KeyId: key.KeyId }));
  assert.equal(await text(await s3().send(new GetObjectCommand({ Bucket, Key: 'secret.txt' }))), 'attack at dawn');
});

test('a bucket default of aws:kms without a key uses the account\'s aws/s3 managed key; copies and multipart uploads are sealed too', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }));
  const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'managed' }));
  const managed = (await kms().send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
  assert.equal(managed.KeyManager, 'AWS');
  assert.equal(put.SSEKMSKeyId, managed.Arn);
  await s3().send(new CopyObjectCommand({ Bucket, Key: 'plain', CopySource: `${Bucket}/a`, ServerSideEncryption: 'AES256' }));
  assert.equal(await text(await s3().send(new GetObjectCommand({ Bucket, Key: 'plain' }))), 'managed');
  const up = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'big' }));
  const part1 = Buffer.alloc(5 * 1024 * 1024, 'a');
  const p1 = await s3().send(new UploadPartCommand({ Bucket, Key: 'big', UploadId: up.UploadId, PartNumber: 1, Body: part1 }));
  const p2 = await s3().send(new UploadPartCommand({ Bucket, Key: 'big', UploadId: up.UploadId, PartNumber: 2, Body: 'tail' }));
  const done = await s3().send(new CompleteMultipartUploadCommand({
    Bucket, Key: 'big', UploadId: up.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
  }));
  assert.equal(done.SSEKMSKeyId, managed.Arn);
  const tail = await s3().send(new GetObjectCommand({ Bucket, Key: 'big', Range: `bytes=${part1.length}-` }));
  assert.equal(await text(tail), 'tail');
});

test('KMS decides with the S3 caller\'s permissions: without kms:Decrypt a user can write but not read', async () => {
  const iam = new IAMClient(sdkConfig(h.dd));
  await iam.send(new CreateUserCommand({ UserName: 'writer' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'writer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
  const keys = (await iam.send(new CreateAccessKeyCommand({ UserName: 'writer' }))).AccessKey!;
  const Bucket = await newBucket(s3());
  const key = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const asWriter = new S3Client(sdkConfig(h.dd, { forcePathStyle: true, credentials: { accessKeyId: keys.AccessKeyId!, secretAccessKey: keys.SecretAccessKey! } }));
  const noKms = await failure(() => asWriter.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'y', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn })));
  assert.equal(noKms.name, 'AccessDenied');
  assert.match(noKms.message, /kms:GenerateDataKey/);
  await iam.send(new PutUserPolicyCommand({
    UserName: 'writer', PolicyName: 'encrypt-only',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: key.Arn }] }),
  }));
  await asWriter.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'y', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn }));
  const denied = await failure(() => asWriter.send(new GetObjectCommand({ Bucket, Key: 'x' })));
  assert.deepEqual([denied.name, denied.status], ['AccessDenied', 403]);
  assert.match(denied.message, /kms:Decrypt/);
  assert.equal(await text(await s3().send(new GetObjectCommand({ Bucket, Key: 'x' }))), 'y');
});
