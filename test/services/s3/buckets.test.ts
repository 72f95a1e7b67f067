import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketCommand, DeleteBucketTaggingCommand, GetBucketLocationCommand, GetBucketTaggingCommand, HeadBucketCommand,
  ListBucketsCommand, PutBucketTaggingCommand, PutObjectCommand, type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { useDrydock } from '../../helpers.js';
import { bucketName, failure, newBucket, s3Client, signedFetch } from './helpers.js';

const h = useDrydock();
const s3 = (opts: Parameters<typeof s3Client>[1] = {}) => s3Client(h.dd, opts);

test('a bucket is created in us-east-1 without a LocationConstraint and answers HeadBucket with its region', async () => {
  const Bucket = bucketName();
  const out = await s3().send(new CreateBucketCommand({ Bucket }));
  assert.equal(out.Location, `/${Bucket}`);
  assert.equal(out.BucketArn, `arn:aws:s3:::${Bucket}`);
  const head = await s3().send(new HeadBucketCommand({ Bucket }));
  assert.equal(head.BucketRegion, 'us-east-1');
  assert.equal(head.$metadata.httpStatusCode, 200);
  const loc = await s3().send(new GetBucketLocationCommand({ Bucket }));
  assert.equal(loc.LocationConstraint, undefined);
});

test('buckets in other regions need their own region as LocationConstraint', async () => {
  const eu = s3({ region: 'eu-west-1' });
  const Bucket = bucketName();
  const out = await eu.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  assert.match(out.Location!, new RegExp(`^http://${Bucket}\\.s3\\.localhost:\\d+/$`));
  assert.equal((await eu.send(new HeadBucketCommand({ Bucket }))).BucketRegion, 'eu-west-1');
  assert.equal((await eu.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint, 'eu-west-1');

  // The SDK fills LocationConstraint from the client region, so this one is sent by hand.
  const none = await signedFetch(h.dd, { method: 'PUT', path: `/${bucketName()}`, region: 'eu-west-1' });
  assert.equal(none.status, 400);
  assert.match(none.body, /<Code>IllegalLocationConstraintException<\/Code><Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.<\/Message>/);
  const other = await failure(() => eu.send(new CreateBucketCommand({ Bucket: bucketName(), CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })));
  assert.equal(other.message, 'The us-west-2 location constraint is incompatible for the region specific endpoint this request was sent to.');
  const east = await failure(() => eu.send(new CreateBucketCommand({ Bucket: bucketName(), CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as BucketLocationConstraint } })));
  assert.equal(east.name, 'IllegalLocationConstraintException');
});

test('the us-east-1 endpoint refuses us-east-1 and unknown constraints but places buckets in other regions', async () => {
  for (const LocationConstraint of ['us-east-1', 'foo'] as const) {
    const err = await failure(() => s3().send(new CreateBucketCommand({ Bucket: bucketName(), CreateBucketConfiguration: { LocationConstraint: LocationConstraint as BucketLocationConstraint } })));
    assert.deepEqual([err.name, err.status, err.message, err.fields['LocationConstraint']],
      ['InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', LocationConstraint]);
  }
  const Bucket = await newBucket(s3(), { CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } });
  assert.equal((await s3().send(new HeadBucketCommand({ Bucket }))).BucketRegion, 'ap-southeast-2');
});

test('bucket names follow S3 naming rules', async () => {
  for (const Bucket of ['UPPER', 'ab', 'a'.repeat(64), 'bad..dots', '192.168.1.1', '-start', 'end-', 'xn--punycode', 'under_score', 'x-s3alias']) {
    const err = await failure(() => s3().send(new CreateBucketCommand({ Bucket })));
    assert.deepEqual([err.name, err.status, err.message], ['InvalidBucketName', 400, 'The specified bucket is not valid.'], Bucket);
  }
  await newBucket(s3(), { Bucket: `${bucketName('dots')}.example.com` });
});

test('the bucket namespace is global: owned by you versus owned by another account', async () => {
  const eu = s3({ region: 'eu-west-1' });
  const Bucket = await newBucket(eu, { CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
  const mine = await failure(() => eu.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
  assert.deepEqual([mine.name, mine.status, mine.message, mine.fields['BucketName']],
    ['BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', Bucket]);
  const other = s3({ accessKeyId: '111111111111', region: 'eu-west-1' });
  const theirs = await failure(() => other.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
  assert.deepEqual([theirs.name, theirs.status], ['BucketAlreadyExists', 409]);
  assert.match(theirs.message, /^The requested bucket name is not available/);
  // In us-east-1, creating one's own bucket again succeeds.
  const east = await newBucket(s3());
  await s3().send(new CreateBucketCommand({ Bucket: east }));
});

test('ListBuckets lists the caller\'s buckets only, with prefix, region filter and pagination', async () => {
  const account = '222233334444';
  const mine = s3({ accessKeyId: account });
  const names = [await newBucket(mine, { Bucket: bucketName('lb-a') }), await newBucket(mine, { Bucket: bucketName('lb-b') }),
    await newBucket(mine, { Bucket: bucketName('lb-c'), CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } })].sort();
  const all = await mine.send(new ListBucketsCommand({}));
  assert.deepEqual(all.Buckets!.map((b) => b.Name), names);
  assert.match(all.Owner!.ID!, /^[0-9a-f]{64}$/);
  assert.ok(all.Buckets!.every((b) => b.CreationDate instanceof Date && b.BucketArn === `arn:aws:s3:::${b.Name}`));
  const eu = await mine.send(new ListBucketsCommand({ BucketRegion: 'eu-central-1' }));
  assert.deepEqual(eu.Buckets!.map((b) => [b.Name, b.BucketRegion]), [[names.find((n) => n.startsWith('lb-c'))!, 'eu-central-1']]);
  const prefixed = await mine.send(new ListBucketsCommand({ Prefix: 'lb-a' }));
  assert.deepEqual(prefixed.Buckets!.map((b) => b.Name), [names[0]]);
  const page1 = await mine.send(new ListBucketsCommand({ MaxBuckets: 2 }));
  assert.equal(page1.Buckets!.length, 2);
  assert.ok(page1.ContinuationToken);
  const page2 = await mine.send(new ListBucketsCommand({ MaxBuckets: 2, ContinuationToken: page1.ContinuationToken }));
  assert.deepEqual(page2.Buckets!.map((b) => b.Name), [names[2]]);
  assert.equal(page2.ContinuationToken, undefined);
  const bad = await failure(() => mine.send(new ListBucketsCommand({ BucketRegion: 'eu-east-1' })));
  assert.deepEqual([bad.name, bad.message, bad.fields['ArgumentName']], ['InvalidArgument', 'Argument value eu-east-1 is not a valid AWS Region', 'bucket-region']);
});

test('DeleteBucket refuses a bucket with objects, then deletes it; missing buckets are NoSuchBucket', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
  const full = await failure(() => s3().send(new DeleteBucketCommand({ Bucket })));
  assert.deepEqual([full.name, full.status, full.message, full.fields['BucketName']],
    ['BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', Bucket]);
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  await s3().send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
  const del = await s3().send(new DeleteBucketCommand({ Bucket }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  const gone = await failure(() => s3().send(new GetBucketLocationCommand({ Bucket })));
  assert.deepEqual([gone.name, gone.status, gone.message, gone.fields['BucketName']], ['NoSuchBucket', 404, 'The specified bucket does not exist', Bucket]);
  const head = await failure(() => s3().send(new HeadBucketCommand({ Bucket })));
  assert.deepEqual([head.name, head.status], ['NotFound', 404]);
  // The name is free again, for any account.
  await newBucket(s3({ accessKeyId: '555566667777' }), { Bucket });
});

test('a virtual-host-style client reaches the same buckets as a path-style one', async () => {
  const vhost = s3({ pathStyle: false });
  const Bucket = await newBucket(vhost);
  await vhost.send(new PutObjectCommand({ Bucket, Key: 'dir/file.txt', Body: 'via vhost' }));
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'dir/file.txt' }));
  assert.equal(await got.Body!.transformToString(), 'via vhost');
  assert.equal((await vhost.send(new HeadBucketCommand({ Bucket }))).BucketRegion, 'us-east-1');
});

test('bucket tags are put, read, replaced and deleted; a bucket without tags has no TagSet', async () => {
  const Bucket = await newBucket(s3());
  const none = await failure(() => s3().send(new GetBucketTaggingCommand({ Bucket })));
  assert.deepEqual([none.name, none.status, none.message], ['NoSuchTagSet', 404, 'The TagSet does not exist']);
  await s3().send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'data' }, { Key: 'env', Value: '' }] } }));
  assert.deepEqual((await s3().send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [{ Key: 'team', Value: 'data' }, { Key: 'env', Value: '' }]);
  const dup = await failure(() => s3().send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })));
  assert.deepEqual([dup.name, dup.message, dup.fields['TagKey']], ['InvalidTag', 'Cannot provide multiple Tags with the same key', 'a']);
  const sys = await failure(() => s3().send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'aws:x', Value: '1' }] } })));
  assert.deepEqual([sys.name, sys.message], ['InvalidTag', 'System tags cannot be added/updated by requester']);
  await s3().send(new DeleteBucketTaggingCommand({ Bucket }));
  assert.equal((await failure(() => s3().send(new GetBucketTaggingCommand({ Bucket })))).name, 'NoSuchTagSet');
});
