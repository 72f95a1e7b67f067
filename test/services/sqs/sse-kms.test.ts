import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';

const h = useDrydock();
const sqs = () => new SQSClient(sdkConfig(h.dd));

async function user(name: string, kmsActions: string[], keyArn: string): Promise<SQSClient> {
  const iam = new IAMClient(sdkConfig(h.dd));
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/AmazonSQSFullAccess' }));
  if (kmsActions.length) {
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'kms', PolicyDocument: JSON.stringify({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: kmsActions, Resource: keyArn }],
    }) }));
  }
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return new SQSClient(sdkConfig(h.dd, { credentials: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! } }));
}

test('an SSE-KMS queue asks KMS as the caller: senders need GenerateDataKey, receivers Decrypt', async () => {
  const key = (await new KMSClient(sdkConfig(h.dd)).send(new CreateKeyCommand({}))).KeyMetadata!;
  const QueueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: 'sealed', Attributes: { KmsMasterKeyId: key.Arn! } }))).QueueUrl!;
  const outsider = await user('outsider', [], key.Arn!);
  const sendDenied = await failure(() => outsider.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })));
  assert.deepEqual([sendDenied.name, sendDenied.code, sendDenied.status], ['KmsAccessDenied', 'KMS.AccessDeniedException', 400]);
  assert.match(sendDenied.message, /kms:GenerateDataKey/);
  const producer = await user('producer', ['kms:GenerateDataKey'], key.Arn!);
  await producer.send(new SendMessageCommand({ QueueUrl, MessageBody: 'secret' }));
  const batch = await producer.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'b1' }] }));
  assert.equal(batch.Successful?.length, 1);
  const recvDenied = await failure(() => producer.send(new ReceiveMessageCommand({ QueueUrl })));
  assert.equal(recvDenied.code, 'KMS.AccessDeniedException');
  assert.match(recvDenied.message, /kms:Decrypt/);
  const consumer = await user('consumer', ['kms:Decrypt'], key.Arn!);
  const got = await consumer.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), ['b1', 'secret']);
});

test('a queue whose key is disabled or missing refuses sends with the KMS error', async () => {
  const kms = new KMSClient(sdkConfig(h.dd));
  const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  const QueueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: 'disabled-key', Attributes: { KmsMasterKeyId: key.KeyId! } }))).QueueUrl!;
  await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
  assert.equal((await failure(() => sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })))).code, 'KMS.DisabledException');
  const ghost = (await sqs().send(new CreateQueueCommand({ QueueName: 'ghost-key', Attributes: { KmsMasterKeyId: 'alias/nothing-here' } }))).QueueUrl!;
  assert.equal((await failure(() => sqs().send(new SendMessageCommand({ QueueUrl: ghost, MessageBody: 'x' })))).code, 'KMS.NotFoundException');
});
