import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { useDrydock } from '../../helpers.js';
import { ebClient, receiveJson, ruleToQueue, sqsClient, uniqueName } from './helpers.js';

describe('EventBridge receives AWS service events', () => {
  const drydock = useDrydock();

  it('puts S3 object events of a bucket with EventBridge enabled on the default bus', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const s3 = new S3Client({ ...drydock.config(), forcePathStyle: true });
    const bucket = uniqueName('bkt');
    const { queue } = await ruleToQueue(eb, sqs, { pattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [bucket] } } } });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.txt', Body: 'hello' }));
    await drydock.dd.app.bus.idle();
    const [event] = await receiveJson(sqs, queue.url);
    assert.equal(event!['source'], 'aws.s3');
    assert.deepEqual(event!['resources'], [`arn:aws:s3:::${bucket}`]);
    assert.deepEqual((event!['detail'] as { object: { key: string; size: number } }).object.key, 'a/b.txt');
    assert.equal(event!['account'], '000000000000');
  });

  it('takes events from other services through the events delivery port (Lambda destinations, Scheduler)', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const source = uniqueName('lambda');
    const { queue } = await ruleToQueue(eb, sqs, { pattern: { source: [source] } });
    const deliver = drydock.dd.app.ports.deliver.get('events')!;
    await deliver('arn:aws:events:us-east-1:000000000000:event-bus/default', {
      body: JSON.stringify({ Source: source, DetailType: 'Lambda Function Invocation Result - Success', Detail: JSON.stringify({ ok: 1 }) }),
      sourceArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    });
    const [event] = await receiveJson(sqs, queue.url);
    assert.deepEqual([event!['detail-type'], event!['detail'], event!['account']], ['Lambda Function Invocation Result - Success', { ok: 1 }, '000000000000']);
  });
});
