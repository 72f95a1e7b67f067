import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutBucketNotificationConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { newBucket, s3Client } from './helpers.js';

const h = useDrydock();
const s3 = () => s3Client(h.dd);
const sqs = () => new SQSClient(sdkConfig(h.dd));

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs().send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
  return { url, arn };
}

async function receive(url: string, wait = 2): Promise<string[]> {
  const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: wait, MaxNumberOfMessages: 10 }));
  return (out.Messages ?? []).map((m) => m.Body!);
}

test('object events reach the configured queue as S3 event records, filtered by prefix', async () => {
  const Bucket = await newBucket(s3());
  const q = await queue('s3-events');
  await s3().send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {
    QueueConfigurations: [{ Id: 'uploads', QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } } }],
  } }));
  const test = JSON.parse((await receive(q.url))[0]!) as { Event: string; Bucket: string };
  assert.deepEqual([test.Event, test.Bucket], ['s3:TestEvent', Bucket]);
  await s3().send(new PutObjectCommand({ Bucket, Key: 'out/skip.txt', Body: 'no' }));
  await s3().send(new PutObjectCommand({ Bucket, Key: 'in/a.txt', Body: 'hello' }));
  const bodies = await receive(q.url);
  assert.equal(bodies.length, 1);
  const rec = (JSON.parse(bodies[0]!) as { Records: { eventName: string; s3: { configurationId: string; object: { key: string; size: number } } }[] }).Records[0]!;
  assert.deepEqual([rec.eventName, rec.s3.configurationId, rec.s3.object.key, rec.s3.object.size], ['ObjectCreated:Put', 'uploads', 'in/a.txt', 5]);
});

test('a queue policy that does not let s3.amazonaws.com send keeps the events out', async () => {
  const Bucket = await newBucket(s3());
  const q = await queue('s3-guarded');
  await sqs().send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: q.arn, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::some-other-bucket' } } }],
  }) } }));
  await s3().send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {
    QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }],
  } }));
  await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
  await h.dd.app.bus.idle();
  assert.deepEqual(await receive(q.url, 0), []);
});
