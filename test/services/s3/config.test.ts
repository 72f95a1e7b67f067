import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteBucketCorsCommand, DeleteBucketEncryptionCommand, DeleteBucketLifecycleCommand, DeleteObjectCommand, GetBucketCorsCommand,
  GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketNotificationConfigurationCommand, GetObjectCommand,
  HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutBucketCorsCommand, PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand,
  PutObjectTaggingCommand, CopyObjectCommand,
} from '@aws-sdk/client-s3';
import { corsHeaders, corsPreflight, type S3EventBridgeEvent, type S3NotificationEvent } from '../../../src/services/s3/index.js';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { failure, newBucket, s3Client } from './helpers.js';

const h = useDrydock();
const s3 = () => s3Client(h.dd);

test('CORS rules are validated, stored, and answer preflights and Origin requests', async () => {
  const Bucket = await newBucket(s3());
  assert.equal((await failure(() => s3().send(new GetBucketCorsCommand({ Bucket })))).name, 'NoSuchCORSConfiguration');
  const bad = await failure(() => s3().send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['MYMETHOD'], AllowedOrigins: ['*'] }] } })));
  assert.deepEqual([bad.name, bad.message], ['InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD']);
  const CORSRules = [{ AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://*.example.com'], AllowedHeaders: ['x-amz-*', 'content-type'], MaxAgeSeconds: 3000, ExposeHeaders: ['ETag'] }];
  await s3().send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules } }));
  assert.deepEqual((await s3().send(new GetBucketCorsCommand({ Bucket }))).CORSRules, CORSRules);
  const stores = h.dd.app.stores;
  const ok = corsPreflight(stores, { bucket: Bucket, key: 'k', origin: 'https://app.example.com', method: 'PUT', requestHeaders: 'Content-Type, X-Amz-Date' });
  assert.deepEqual(ok, { ok: true, headers: {
    'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-methods': 'GET, PUT', 'access-control-allow-credentials': 'true',
    'access-control-max-age': '3000', 'access-control-expose-headers': 'ETag', 'access-control-allow-headers': 'content-type, x-amz-date',
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  } });
  const denied = corsPreflight(stores, { bucket: Bucket, key: 'k', origin: 'https://evil.test', method: 'PUT' });
  assert.ok(!denied.ok && denied.error.code === 'AccessForbidden' && denied.error.status === 403 && denied.error.fields['ResourceType'] === 'OBJECT');
  const noOrigin = corsPreflight(stores, { bucket: Bucket });
  assert.ok(!noOrigin.ok && noOrigin.error.code === 'BadRequest' && noOrigin.error.message === 'Insufficient information. Origin request header needed.');
  assert.equal(corsHeaders(stores, Bucket, 'https://app.example.com', 'GET')?.['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(corsHeaders(stores, Bucket, 'https://app.example.com', 'DELETE'), undefined);
  await s3().send(new DeleteBucketCorsCommand({ Bucket }));
  const off = corsPreflight(stores, { bucket: Bucket, origin: 'https://app.example.com', method: 'GET' });
  assert.ok(!off.ok && off.error.message === 'CORSResponse: CORS is not enabled for this bucket.');
});

test('an OPTIONS preflight over HTTP is answered', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } }));
  const res = await fetch(`${h.dd.endpoint}/${Bucket}/k`, { method: 'OPTIONS', headers: { origin: 'https://a.test', 'access-control-request-method': 'GET' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
});

test('default encryption is SSE-S3; SSE-KMS records the key on the object', async () => {
  const Bucket = await newBucket(s3());
  assert.deepEqual((await s3().send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules,
    [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
  const key = await new KMSClient(sdkConfig(h.dd)).send(new CreateKeyCommand({}));
  const kms = await s3().send(new PutObjectCommand({ Bucket, Key: 'kms', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.KeyMetadata!.KeyId }));
  assert.deepEqual([kms.ServerSideEncryption, kms.SSEKMSKeyId], ['aws:kms', key.KeyMetadata!.Arn]);
  assert.notEqual(kms.ETag, '"9dd4e461268c8034f5c8564e155c67a6"', 'an SSE-KMS ETag is not the MD5 of the data');
  const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'kms' }));
  assert.deepEqual([head.ServerSideEncryption, head.SSEKMSKeyId], ['aws:kms', kms.SSEKMSKeyId]);
  await s3().send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] } }));
  const byDefault = await s3().send(new PutObjectCommand({ Bucket, Key: 'default', Body: 'x' }));
  assert.equal(byDefault.ServerSideEncryption, 'aws:kms');
  assert.match(byDefault.SSEKMSKeyId!, /^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
  assert.equal(byDefault.BucketKeyEnabled, true);
  const bad = await failure(() => s3().send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'k' } }] } })));
  assert.deepEqual([bad.name, bad.message], ['InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse']);
  await s3().send(new DeleteBucketEncryptionCommand({ Bucket }));
  assert.equal((await s3().send(new PutObjectCommand({ Bucket, Key: 'after', Body: 'x' }))).ServerSideEncryption, 'AES256');
});

test('lifecycle rules expire objects when the Drydock clock passes their date', async () => {
  const Bucket = await newBucket(s3());
  assert.equal((await failure(() => s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).name, 'NoSuchLifecycleConfiguration');
  await s3().send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [
    { ID: 'tmp-1-day', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
    { ID: 'stale-uploads', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
  ] } }));
  const conf = await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
  assert.deepEqual(conf.Rules!.map((r) => r.ID), ['tmp-1-day', 'stale-uploads']);
  assert.equal(conf.TransitionDefaultMinimumObjectSize, 'all_storage_classes_128K');
  const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'tmp/scratch', Body: 'x' }));
  assert.match(put.Expiration!, /^expiry-date="\w{3}, \d{2} \w{3} \d{4} 00:00:00 GMT", rule-id="tmp-1-day"$/);
  await s3().send(new PutObjectCommand({ Bucket, Key: 'keep/me', Body: 'x' }));
  h.dd.clock.advance(2 * 86400 + 3600);
  const left = await s3().send(new ListObjectsV2Command({ Bucket }));
  assert.deepEqual(left.Contents?.map((o) => o.Key), ['keep/me']);
  const bad = await failure(() => s3().send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [
    { ID: 'x', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2030-01-01T10:00:00Z') } }] } })));
  assert.deepEqual([bad.name, bad.message, bad.fields['ArgumentName']], ['InvalidArgument', "'Date' must be at midnight GMT", 'Date']);
  await s3().send(new DeleteBucketLifecycleCommand({ Bucket }));
  assert.equal((await failure(() => s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).name, 'NoSuchLifecycleConfiguration');
});

test('lifecycle on a versioned bucket adds a delete marker, then expires noncurrent versions', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3().send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [
    { ID: 'all', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 }, NoncurrentVersionExpiration: { NoncurrentDays: 3 } }] } }));
  await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
  h.dd.clock.advance(2 * 86400 + 3600);
  const after = await s3().send(new ListObjectVersionsCommand({ Bucket }));
  assert.deepEqual([after.Versions?.length, after.DeleteMarkers?.length], [1, 1]);
  h.dd.clock.advance(4 * 86400);
  const later = await s3().send(new ListObjectVersionsCommand({ Bucket }));
  assert.deepEqual([later.Versions, later.DeleteMarkers?.length], [undefined, 1]);
});

test('event notifications are published on the bus with the AWS event JSON', async () => {
  const Bucket = await newBucket(s3());
  const seen: S3NotificationEvent[] = [];
  const bridged: S3EventBridgeEvent[] = [];
  const off = h.dd.app.bus.subscribe('s3:notification', (e) => { if (e.bucket === Bucket) seen.push(e); });
  const off2 = h.dd.app.bus.subscribe('s3:eventbridge', (e) => { if (e.resources[0] === `arn:aws:s3:::${Bucket}`) bridged.push(e); });
  try {
    const QueueArn = 'arn:aws:sqs:us-east-1:000000000000:uploads';
    await s3().send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {
      QueueConfigurations: [{ Id: 'images', QueueArn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'img/' }, { Name: 'suffix', Value: '.jpg' }] } } }],
      TopicConfigurations: [{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:tags', Events: ['s3:ObjectTagging:*'] }],
      EventBridgeConfiguration: {},
    } }));
    const conf = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    assert.equal(conf.QueueConfigurations![0]!.QueueArn, QueueArn);
    assert.ok(conf.TopicConfigurations![0]!.Id, 'an id is generated');
    assert.deepEqual(conf.EventBridgeConfiguration, {});
    await h.dd.app.bus.idle();
    assert.deepEqual(seen.map((e) => JSON.parse(e.message).Event), ['s3:TestEvent', 's3:TestEvent']);
    seen.length = 0;
    const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'img/a b.jpg', Body: 'jpeg' }));
    await s3().send(new PutObjectCommand({ Bucket, Key: 'img/skip.png', Body: 'png' }));
    await s3().send(new CopyObjectCommand({ Bucket, Key: 'img/copy.jpg', CopySource: `${Bucket}/img/a b.jpg` }));
    await s3().send(new PutObjectTaggingCommand({ Bucket, Key: 'img/skip.png', Tagging: { TagSet: [{ Key: 't', Value: '1' }] } }));
    await s3().send(new DeleteObjectCommand({ Bucket, Key: 'img/a b.jpg' }));
    await h.dd.app.bus.idle();
    assert.deepEqual(seen.map((e) => [e.eventName, e.destination.type]), [
      ['ObjectCreated:Put', 'sqs'], ['ObjectCreated:Copy', 'sqs'], ['ObjectTagging:Put', 'sns'], ['ObjectRemoved:Delete', 'sqs']]);
    const record = JSON.parse(seen[0]!.message).Records[0];
    assert.deepEqual({ ...record, eventTime: undefined, responseElements: undefined }, {
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventTime: undefined, eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: '000000000000' }, requestParameters: { sourceIPAddress: '127.0.0.1' }, responseElements: undefined,
      s3: {
        s3SchemaVersion: '1.0', configurationId: 'images',
        bucket: { name: Bucket, ownerIdentity: { principalId: '000000000000' }, arn: `arn:aws:s3:::${Bucket}` },
        object: { key: 'img/a+b.jpg', size: 4, eTag: put.ETag!.replace(/"/g, ''), sequencer: record.s3.object.sequencer },
      },
    });
    assert.match(record.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual([seen[0]!.account, seen[0]!.region, seen[0]!.destination.arn], ['000000000000', 'us-east-1', QueueArn]);
    assert.deepEqual(bridged.map((e) => e.detailType), ['Object Created', 'Object Created', 'Object Created', 'Object Tags Added', 'Object Deleted']);
    assert.deepEqual(bridged[0]!.detail['object'], { key: 'img/a b.jpg', size: 4, etag: put.ETag!.replace(/"/g, ''), sequencer: (bridged[0]!.detail['object'] as { sequencer: string }).sequencer });
    assert.equal(bridged[0]!.detail['reason'], 'PutObject');
    const bad = await failure(() => s3().send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {
      QueueConfigurations: [{ QueueArn: 'invalid-queue', Events: ['s3:ObjectCreated:*'] }] } })));
    assert.deepEqual([bad.name, bad.message, bad.fields['ArgumentName'], bad.fields['ArgumentValue']], ['InvalidArgument', 'The ARN could not be parsed', 'Queue', 'invalid-queue']);
  } finally {
    off();
    off2();
  }
});

test('requests and storage are metered', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: Buffer.alloc(1024 * 1024) }));
  await s3().send(new GetObjectCommand({ Bucket, Key: 'k' }));
  await s3().send(new HeadObjectCommand({ Bucket, Key: 'k' }));
  const usage = h.dd.app.meter.usage({ service: 's3', resourceId: Bucket });
  const sum = (type: string) => usage.filter((r) => r.usageType === type).reduce((a, r) => a + r.quantity, 0);
  assert.equal(sum('Requests-Tier1'), 2, 'CreateBucket and PutObject');
  assert.equal(sum('Requests-Tier2'), 2, 'GetObject and HeadObject');
  h.dd.clock.advance(2 * 3600);
  const stored = h.dd.app.meter.usage({ service: 's3', resourceId: Bucket, usageType: 'TimedStorage-ByteHrs' });
  const gbMonths = stored.reduce((a, r) => a + r.quantity, 0);
  assert.ok(stored.every((r) => r.unit === 'GB-Mo' && r.operation === 'StandardStorage'));
  // 1 MiB for between one and two hours, by when in the hour it was stored: storage is
  // flushed to the meter at each clock hour. In GB-months: hours / (1024 × hours in the month).
  assert.ok(gbMonths > 0.9 / 1024 / 744 && gbMonths < 2.5 / 1024 / 672, String(gbMonths));
});

test('a cross-origin GET gets the CORS headers its bucket grants', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://app.test'] }] } }));
  await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
  const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket, Key: 'k' }), { expiresIn: 60 });
  const allowed = await fetch(url, { headers: { origin: 'https://app.test' } });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.test');
  const other = await fetch(url, { headers: { origin: 'https://evil.test' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});
