import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CopyObjectCommand, DeleteBucketPolicyCommand, DeletePublicAccessBlockCommand, GetBucketAclCommand, GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand, GetObjectAclCommand, GetObjectCommand, GetPublicAccessBlockCommand, PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand, PutPublicAccessBlockCommand, GetBucketOwnershipControlsCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { useDrydock } from '../../helpers.js';
import { failure, newBucket, s3Client } from './helpers.js';

const h = useDrydock();
const s3 = (opts: Parameters<typeof s3Client>[1] = {}) => s3Client(h.dd, opts);

const policy = (Bucket: string, statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Resource: `arn:aws:s3:::${Bucket}/*`, ...statement }] });
const publicRead = (Bucket: string) => policy(Bucket, { Effect: 'Allow', Principal: '*', Action: 's3:GetObject' });

test('bucket policies are validated with S3\'s messages, stored and read back', async () => {
  const Bucket = await newBucket(s3());
  const none = await failure(() => s3().send(new GetBucketPolicyCommand({ Bucket })));
  assert.deepEqual([none.name, none.status, none.message, none.fields['BucketName']], ['NoSuchBucketPolicy', 404, 'The bucket policy does not exist', Bucket]);
  const cases: [string, string][] = [
    ['not json', "Policies must be valid JSON and the first byte must be '{'"],
    ['{}', 'Missing required field Statement'],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }] }), 'Missing required field Principal'],
    [policy(Bucket, { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage' }), 'Policy has invalid action'],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::some-other-bucket/*' }] }), 'Policy has invalid resource'],
  ];
  for (const [Policy, message] of cases) {
    const err = await failure(() => s3().send(new PutBucketPolicyCommand({ Bucket, Policy })));
    assert.deepEqual([err.name, err.status, err.message], ['MalformedPolicy', 400, message], Policy);
  }
  const own = policy(Bucket, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject' });
  await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: own }));
  assert.equal((await s3().send(new GetBucketPolicyCommand({ Bucket }))).Policy, own);
  assert.equal((await s3().send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic, false);
  await s3().send(new DeleteBucketPolicyCommand({ Bucket }));
  assert.equal((await failure(() => s3().send(new GetBucketPolicyCommand({ Bucket })))).name, 'NoSuchBucketPolicy');
});

test('an empty policy body is MalformedPolicy', async () => {
  const Bucket = await newBucket(s3());
  const err = await failure(() => s3().send(new PutBucketPolicyCommand({ Bucket, Policy: '' })));
  assert.deepEqual([err.name, err.message], ['MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'"]);
});

test('Block Public Access is on for new buckets and refuses a public policy until lifted', async () => {
  const Bucket = await newBucket(s3());
  const pab = await s3().send(new GetPublicAccessBlockCommand({ Bucket }));
  assert.deepEqual(pab.PublicAccessBlockConfiguration, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  const refused = await failure(() => s3().send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead(Bucket) })));
  assert.deepEqual([refused.name, refused.status], ['AccessDenied', 403]);
  assert.match(refused.message, /because public policies are blocked by the BlockPublicPolicy block public access setting\.$/);
  // A wildcard principal tied to one source account is not public.
  await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(Bucket, { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }) }));
  await s3().send(new DeletePublicAccessBlockCommand({ Bucket }));
  const gone = await failure(() => s3().send(new GetPublicAccessBlockCommand({ Bucket })));
  assert.deepEqual([gone.name, gone.status, gone.message], ['NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found']);
  await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead(Bucket) }));
  assert.equal((await s3().send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic, true);
});

test('anonymous GET works under a public-read policy and is AccessDenied without it', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'site/index.html', Body: '<h1>hi</h1>', ContentType: 'text/html' }));
  const url = `${h.dd.endpoint}/${Bucket}/site/index.html`;
  const denied = await fetch(url);
  assert.equal(denied.status, 403);
  assert.match(await denied.text(), /<Code>AccessDenied<\/Code>/);
  await s3().send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
  await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead(Bucket) }));
  const ok = await fetch(url);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-type'), 'text/html');
  assert.equal(await ok.text(), '<h1>hi</h1>');
  // Reading is all the policy allows: anonymous listing and writing stay denied.
  assert.equal((await fetch(`${h.dd.endpoint}/${Bucket}`)).status, 403);
  assert.equal((await fetch(url, { method: 'PUT', body: 'defaced' })).status, 403);
  // RestrictPublicBuckets takes the public statements out of play again.
  await s3().send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
  assert.equal((await fetch(url)).status, 403);
});

test('another account needs the bucket policy; an explicit Deny binds the owner too', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'shared.txt', Body: 'shared' }));
  const other = s3({ accessKeyId: '444455556666' });
  const denied = await failure(() => other.send(new GetObjectCommand({ Bucket, Key: 'shared.txt' })));
  assert.deepEqual([denied.name, denied.status], ['AccessDenied', 403]);
  await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(Bucket, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 's3:GetObject' }) }));
  assert.equal(await (await other.send(new GetObjectCommand({ Bucket, Key: 'shared.txt' }))).Body!.transformToString(), 'shared');
  const put = await failure(() => other.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'x' })));
  assert.equal(put.name, 'AccessDenied');
  await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(Bucket, { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject' }) }));
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  const del = await failure(() => s3().send(new DeleteObjectCommand({ Bucket, Key: 'shared.txt' })));
  assert.deepEqual([del.name, del.status], ['AccessDenied', 403]);
  const expected = await failure(() => s3().send(new GetObjectCommand({ Bucket, Key: 'shared.txt', ExpectedBucketOwner: '999999999999' })));
  assert.equal(expected.name, 'AccessDenied');
});

test('CopyObject also needs read access to the source', async () => {
  const source = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket: source, Key: 'secret', Body: 'secret' }));
  const other = s3({ accessKeyId: '777788889999' });
  const theirs = await newBucket(other);
  const err = await failure(() => other.send(new CopyObjectCommand({ Bucket: theirs, Key: 'stolen', CopySource: `${source}/secret` })));
  assert.deepEqual([err.name, err.status], ['AccessDenied', 403]);
});

test('a pre-signed PUT URL lets a third party upload that one object and nothing else', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'private.txt', Body: 'private' }));
  const putUrl = await getSignedUrl(s3(), new PutObjectCommand({ Bucket, Key: 'uploads/photo.jpg' }), { expiresIn: 300 });
  assert.match(putUrl, /X-Amz-Signature=/);
  const up = await fetch(putUrl, { method: 'PUT', body: 'jpeg bytes' });
  assert.equal(up.status, 200, await up.clone().text());
  assert.match(up.headers.get('etag')!, /^"[0-9a-f]{32}"$/);
  assert.equal(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'uploads/photo.jpg' }))).Body!.transformToString(), 'jpeg bytes');
  // The same signature does not cover another method, key, or an added header.
  assert.equal((await fetch(putUrl)).status, 403);
  const otherKey = putUrl.replace('uploads/photo.jpg', 'private.txt');
  const overwrite = await fetch(otherKey, { method: 'PUT', body: 'pwned' });
  assert.equal(overwrite.status, 403);
  assert.match(await overwrite.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  const copy = await fetch(putUrl, { method: 'PUT', headers: { 'x-amz-copy-source': `${Bucket}/private.txt` } });
  assert.equal(copy.status, 403);
  assert.equal(await (await s3().send(new GetObjectCommand({ Bucket, Key: 'private.txt' }))).Body!.transformToString(), 'private');
});

test('a pre-signed GET URL reads the object; an expired one is 403 "Request has expired"', async () => {
  const Bucket = await newBucket(s3());
  await s3().send(new PutObjectCommand({ Bucket, Key: 'report.csv', Body: 'a,b\n1,2\n' }));
  const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket, Key: 'report.csv' }), { expiresIn: 60 });
  const ok = await fetch(url);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'a,b\n1,2\n');
  const old = await getSignedUrl(s3(), new GetObjectCommand({ Bucket, Key: 'report.csv' }), { expiresIn: 60, signingDate: new Date(Date.now() - 3600_000) });
  const expired = await fetch(old);
  assert.equal(expired.status, 403);
  const body = await expired.text();
  assert.match(body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  assert.match(body, /<X-Amz-Expires>60<\/X-Amz-Expires>/);
  const tampered = url.replace(/X-Amz-Signature=([0-9a-f])/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
  assert.equal((await fetch(tampered)).status, 403);
});

test('ACLs: disabled under BucketOwnerEnforced; with ObjectWriter a public-read object is readable anonymously', async () => {
  const Bucket = await newBucket(s3());
  assert.deepEqual((await s3().send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules, [{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  const acl = await s3().send(new GetBucketAclCommand({ Bucket }));
  assert.equal(acl.Grants!.length, 1);
  assert.deepEqual([acl.Grants![0]!.Permission, acl.Grants![0]!.Grantee?.Type, acl.Grants![0]!.Grantee?.ID], ['FULL_CONTROL', 'CanonicalUser', acl.Owner!.ID]);
  const enforced = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ACL: 'public-read' })));
  assert.deepEqual([enforced.name, enforced.message], ['AccessControlListNotSupported', 'The bucket does not allow ACLs']);
  await s3().send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
  const blocked = await failure(() => s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ACL: 'public-read' })));
  assert.equal(blocked.name, 'AccessDenied', 'BlockPublicAcls');
  await s3().send(new DeletePublicAccessBlockCommand({ Bucket }));
  await s3().send(new PutObjectCommand({ Bucket, Key: 'open.txt', Body: 'open', ACL: 'public-read' }));
  await s3().send(new PutObjectCommand({ Bucket, Key: 'closed.txt', Body: 'closed' }));
  const objectAcl = await s3().send(new GetObjectAclCommand({ Bucket, Key: 'open.txt' }));
  assert.deepEqual(objectAcl.Grants!.map((g) => [g.Grantee?.Type, g.Grantee?.URI, g.Permission]),
    [['CanonicalUser', undefined, 'FULL_CONTROL'], ['Group', 'http://acs.amazonaws.com/groups/global/AllUsers', 'READ']]);
  assert.equal((await fetch(`${h.dd.endpoint}/${Bucket}/open.txt`)).status, 200);
  assert.equal((await fetch(`${h.dd.endpoint}/${Bucket}/closed.txt`)).status, 403);
  await s3().send(new PutObjectAclCommand({ Bucket, Key: 'open.txt', ACL: 'private' }));
  assert.equal((await fetch(`${h.dd.endpoint}/${Bucket}/open.txt`)).status, 403);
  const badCanned = await failure(() => s3().send(new PutObjectAclCommand({ Bucket, Key: 'open.txt', ACL: 'fake-acl' as 'private' })));
  assert.deepEqual([badCanned.name, badCanned.fields['ArgumentName'], badCanned.fields['ArgumentValue']], ['InvalidArgument', 'x-amz-acl', 'fake-acl']);
});
