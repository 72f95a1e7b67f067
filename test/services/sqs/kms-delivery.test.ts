/** AWS services delivering to SSE-KMS queues need the key policy to let their service principal use the key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { createQueue, createTopic, receiveAll, snsClient, sqsClient } from '../sns/helpers.js';

const h = useDrydock();
const ACCOUNT = '000000000000';

/** A topic with a queue subscribed (raw delivery), the queue sealed with `keyId`. */
async function sealedSubscription(keyId: string) {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const topicArn = await createTopic(sns);
  const queue = await createQueue(sqs, false, { KmsMasterKeyId: keyId });
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const publish = async (Message: string) => { await sns.send(new PublishCommand({ TopicArn: topicArn, Message })); };
  return { sqs, queue, topicArn, publish };
}

function keyPolicy(extra: unknown[] = []): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'owner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }, ...extra],
  });
}

test('SNS cannot deliver to a queue under a key whose policy leaves sns.amazonaws.com out, and can once it is let in', async () => {
  const kms = new KMSClient(sdkConfig(h.dd));
  const key = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy() }))).KeyMetadata!;
  const { sqs, queue, topicArn, publish } = await sealedSubscription(key.Arn!);
  await publish('refused');
  assert.deepEqual(await receiveAll(sqs, queue.url), [], 'the delivery failed at KMS: nothing reached the queue');

  await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId!, PolicyName: 'default', Policy: keyPolicy([{
    Sid: 'sns', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*',
    Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
  }]) }));
  await publish('accepted');
  assert.deepEqual((await receiveAll(sqs, queue.url)).map((m) => m.Body), ['accepted']);
});

test('the key policy condition on aws:SourceArn is honoured: another topic is still refused', async () => {
  const kms = new KMSClient(sdkConfig(h.dd));
  const key = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy([{
    Sid: 'sns', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*',
    Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:some-other-topic` } },
  }]) }))).KeyMetadata!;
  const { sqs, queue, publish } = await sealedSubscription(key.Arn!);
  await publish('refused');
  assert.deepEqual(await receiveAll(sqs, queue.url), []);
});

test('the AWS managed key alias/aws/sqs never lets SNS in, as on AWS; a queue without SSE-KMS takes the same delivery', async () => {
  const { sqs, queue, publish } = await sealedSubscription('alias/aws/sqs');
  await publish('refused');
  assert.deepEqual(await receiveAll(sqs, queue.url), []);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { KmsMasterKeyId: '' } }));
  await publish('plain');
  assert.deepEqual((await receiveAll(sqs, queue.url)).map((m) => m.Body), ['plain']);
});
