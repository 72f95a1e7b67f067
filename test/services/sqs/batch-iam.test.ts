import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';

const h = useDrydock();

test('batch calls are authorized as their single actions: sqs:SendMessage covers SendMessageBatch', async () => {
  const iam = new IAMClient(sdkConfig(h.dd));
  const QueueUrl = (await new SQSClient(sdkConfig(h.dd)).send(new CreateQueueCommand({ QueueName: 'batches' }))).QueueUrl!;
  await iam.send(new CreateUserCommand({ UserName: 'batcher' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'batcher', PolicyName: 'p', PolicyDocument: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'], Resource: '*' }],
  }) }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'batcher' }))).AccessKey!;
  const sqs = new SQSClient(sdkConfig(h.dd, { credentials: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! } }));
  const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x' }] }));
  assert.equal(sent.Successful?.length, 1);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  const denied = await failure(() => sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', ReceiptHandle: got.Messages![0]!.ReceiptHandle! }] })));
  assert.match(denied.message, /sqs:DeleteMessage on resource/);
});
