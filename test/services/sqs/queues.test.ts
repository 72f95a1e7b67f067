/** SQS queues through the real SDK (JSON dialect): naming, URLs, attributes, tags, permissions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddPermissionCommand, CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand,
  ListQueuesCommand, ListQueueTagsCommand, PurgeQueueCommand, ReceiveMessageCommand, RemovePermissionCommand,
  SendMessageCommand, SetQueueAttributesCommand, TagQueueCommand, UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { useDrydock } from '../../helpers.js';
import { createFifo, createQueue, failure, sqsClient, uniqueName } from './helpers.js';

const h = useDrydock();

test('CreateQueue answers <endpoint>/<account>/<name>, and GetQueueUrl finds it', async () => {
  const c = sqsClient(h.dd);
  const name = uniqueName();
  const { QueueUrl } = await c.send(new CreateQueueCommand({ QueueName: name }));
  assert.equal(QueueUrl, `${h.dd.endpoint}/000000000000/${name}`);
  assert.equal((await c.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl, QueueUrl);
  const e = await failure(() => c.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })));
  assert.deepEqual(e, { name: 'QueueDoesNotExist', code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.', status: 400 });
});

test('a queue is found by URLs of both forms and of any host, by account and name', async () => {
  const c = sqsClient(h.dd);
  const name = uniqueName();
  await c.send(new CreateQueueCommand({ QueueName: name }));
  const port = new URL(h.dd.endpoint).port;
  for (const url of [
    `http://localhost:${port}/000000000000/${name}`,
    `http://sqs.us-east-1.localhost.localstack.cloud:${port}/000000000000/${name}`,
    `https://sqs.us-east-1.amazonaws.com/000000000000/${name}`,
  ]) {
    const a = await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    assert.equal(a.Attributes?.['QueueArn'], `arn:aws:sqs:us-east-1:000000000000:${name}`, url);
  }
});

test('a queue of another account is addressed by its URL, and GetQueueUrl takes QueueOwnerAWSAccountId', async () => {
  const other = sqsClient(h.dd, { accessKeyId: '111111111111' });
  const name = uniqueName();
  const { QueueUrl } = await other.send(new CreateQueueCommand({ QueueName: name }));
  assert.equal(QueueUrl, `${h.dd.endpoint}/111111111111/${name}`);
  const c = sqsClient(h.dd);
  assert.equal((await c.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: '111111111111' }))).QueueUrl, QueueUrl);
  await assert.rejects(c.send(new GetQueueUrlCommand({ QueueName: name })), { name: 'QueueDoesNotExist' });
  // As on AWS, the owner grants the other account access in the queue policy.
  await other.send(new AddPermissionCommand({ QueueUrl, Label: 'send', AWSAccountIds: ['000000000000'], Actions: ['SendMessage'] }));
  await c.send(new SendMessageCommand({ QueueUrl, MessageBody: 'cross-account' }));
  const r = await other.send(new ReceiveMessageCommand({ QueueUrl }));
  assert.equal(r.Messages?.[0]?.Body, 'cross-account');
});

test('queue names: 80 characters of alphanumerics, - and _; .fifo only for FIFO queues', async () => {
  const c = sqsClient(h.dd);
  const nameError = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';
  await c.send(new CreateQueueCommand({ QueueName: 'a'.repeat(80) }));
  for (const bad of ['a'.repeat(81), 'in.fo', 'sp ace', 'plain.fifo']) {
    const e = await failure(() => c.send(new CreateQueueCommand({ QueueName: bad })));
    assert.deepEqual([e.code, e.message], ['InvalidParameterValue', nameError], bad);
  }
  await c.send(new CreateQueueCommand({ QueueName: `${'b'.repeat(75)}.fifo`, Attributes: { FifoQueue: 'true' } }));
  const long = await failure(() => c.send(new CreateQueueCommand({ QueueName: `${'b'.repeat(76)}.fifo`, Attributes: { FifoQueue: 'true' } })));
  assert.equal(long.message, nameError);
  const notFifo = await failure(() => c.send(new CreateQueueCommand({ QueueName: 'example', Attributes: { FifoQueue: 'true' } })));
  assert.deepEqual([notFifo.name, notFifo.message], ['InvalidAttributeName', 'Unknown Attribute FifoQueue.']);
});

test('a new queue has AWS defaults; FIFO queues add their four attributes', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const a = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
  const now = Math.floor(h.dd.clock.nowMs() / 1000);
  assert.ok(Math.abs(Number(a['CreatedTimestamp']) - now) <= 2);
  assert.equal(a['LastModifiedTimestamp'], a['CreatedTimestamp']);
  delete a['CreatedTimestamp'];
  delete a['LastModifiedTimestamp'];
  assert.deepEqual(a, {
    ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '0', ApproximateNumberOfMessagesNotVisible: '0',
    DelaySeconds: '0', MaximumMessageSize: '1048576', MessageRetentionPeriod: '345600',
    QueueArn: `arn:aws:sqs:us-east-1:000000000000:${url.split('/').pop()}`, ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true', VisibilityTimeout: '30',
  });
  const f = await createFifo(c);
  const fa = (await c.send(new GetQueueAttributesCommand({ QueueUrl: f, AttributeNames: ['All'] }))).Attributes!;
  assert.deepEqual([fa['FifoQueue'], fa['ContentBasedDeduplication'], fa['DeduplicationScope'], fa['FifoThroughputLimit']],
    ['true', 'false', 'queue', 'perQueue']);
  const none = await c.send(new GetQueueAttributesCommand({ QueueUrl: url }));
  assert.equal(none.Attributes, undefined);
  const unknown = await failure(() => c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as 'All'] })));
  assert.deepEqual([unknown.name, unknown.message], ['InvalidAttributeName', 'Unknown Attribute Colour.']);
});

test('attribute values outside AWS ranges are refused with InvalidAttributeValue', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const cases: [string, string][] = [
    ['VisibilityTimeout', '43201'], ['VisibilityTimeout', '-1'], ['MessageRetentionPeriod', '59'], ['MessageRetentionPeriod', '1209601'],
    ['MaximumMessageSize', '1023'], ['MaximumMessageSize', '1048577'], ['DelaySeconds', '901'], ['ReceiveMessageWaitTimeSeconds', '21'],
    ['DelaySeconds', ' 6'], ['DelaySeconds', '1.5'], ['KmsDataKeyReusePeriodSeconds', '59'], ['Policy', 'not json'],
  ];
  for (const [k, v] of cases) {
    const e = await failure(() => c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [k]: v } })));
    assert.deepEqual([e.name, e.message, e.status], ['InvalidAttributeValue', `Invalid value for the parameter ${k}.`, 400], `${k}=${v}`);
  }
  for (const [k, v] of [['VisibilityTimeout', '43200'], ['MessageRetentionPeriod', '60'], ['MaximumMessageSize', '1024'], ['DelaySeconds', '900']]) {
    await c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [k!]: v! } }));
  }
  const a = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'DelaySeconds'] }))).Attributes;
  assert.deepEqual(a, { VisibilityTimeout: '43200', DelaySeconds: '900' });
  const ro = await failure(() => c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { QueueArn: 'x' } })));
  assert.deepEqual([ro.name, ro.message], ['InvalidAttributeName', 'Unknown Attribute QueueArn.']);
});

test('FIFO-only attributes on a standard queue, and changing the queue type, are refused as AWS does', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const msgs = [];
  for (const attrs of [{ FifoQueue: 'true' }, { ContentBasedDeduplication: 'true' }, { DeduplicationScope: 'queue' }, { FifoThroughputLimit: 'perQueue' }]) {
    msgs.push((await failure(() => c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attrs })))).message);
  }
  assert.deepEqual(msgs, ['Unknown Attribute FifoQueue.', 'Unknown Attribute ContentBasedDeduplication.',
    'You can specify the DeduplicationScope only when FifoQueue is set to true.',
    'You can specify the FifoThroughputLimit only when FifoQueue is set to true.']);
  const f = await createFifo(c);
  const e = await failure(() => c.send(new SetQueueAttributesCommand({ QueueUrl: f, Attributes: { FifoQueue: 'false' } })));
  assert.deepEqual([e.name, e.message], ['InvalidAttributeValue', 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.']);
});

test('CreateQueue is idempotent for equal attributes and answers QueueAlreadyExists for different ones', async () => {
  const c = sqsClient(h.dd);
  const name = uniqueName();
  const url = await createQueue(c, { QueueName: name, Attributes: { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '1' } });
  assert.equal(await createQueue(c, { QueueName: name }), url);
  assert.equal(await createQueue(c, { QueueName: name, Attributes: { DelaySeconds: '1' } }), url);
  const e = await failure(() => c.send(new CreateQueueCommand({ QueueName: name, Attributes: { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '2' } })));
  assert.deepEqual(e, { name: 'QueueNameExists', code: 'QueueAlreadyExists', status: 400,
    message: 'A queue already exists with the same name and a different value for attribute DelaySeconds' });
  await c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '2' } }));
  assert.equal(await createQueue(c, { QueueName: name, Attributes: { DelaySeconds: '2' } }), url);
  const fname = `${uniqueName()}.fifo`;
  await createQueue(c, { QueueName: fname, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } });
  const fe = await failure(() => createQueue(c, { QueueName: fname, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false' } }));
  assert.equal(fe.message, 'A queue already exists with the same name and a different value for attribute ContentBasedDeduplication');
});

test('SSE: KMS and SQS-managed encryption are exclusive; a KMS key turns SqsManagedSseEnabled off', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const both = await failure(() => c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'true' } })));
  assert.deepEqual([both.name, both.message], ['InvalidAttributeName',
    'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.']);
  await c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' } }));
  const names = ['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled'] as unknown as 'All'[];
  assert.deepEqual((await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }))).Attributes,
    { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000', SqsManagedSseEnabled: 'false' });
  await c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: '' } }));
  assert.deepEqual((await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }))).Attributes, { SqsManagedSseEnabled: 'false' });
});

test('ListQueues filters by prefix and pages with MaxResults/NextToken', async () => {
  const c = sqsClient(h.dd, { region: 'eu-west-3' });
  const prefix = uniqueName('list');
  const urls = [];
  for (let i = 0; i < 5; i++) urls.push(await createQueue(c, { QueueName: `${prefix}-${i}` }));
  await createQueue(c, { QueueName: uniqueName('other') });
  assert.deepEqual((await c.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls, urls);
  const first = await c.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
  assert.deepEqual(first.QueueUrls, urls.slice(0, 2));
  assert.ok(first.NextToken);
  const second = await c.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken }));
  const third = await c.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: second.NextToken }));
  assert.deepEqual([...second.QueueUrls!, ...third.QueueUrls!], urls.slice(2));
  assert.equal(third.NextToken, undefined);
  assert.equal((await c.send(new ListQueuesCommand({ QueueNamePrefix: 'zzz-none' }))).QueueUrls, undefined);
  const e = await failure(() => c.send(new ListQueuesCommand({ MaxResults: 1001 })));
  assert.equal(e.code, 'InvalidParameterValue');
});

test('tags: at creation, TagQueue overwrites, UntagQueue ignores unknown keys, empty tags are omitted', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c, { tags: { team: 'a' } });
  await c.send(new TagQueueCommand({ QueueUrl: url, Tags: { tag1: 'value1', tag2: 'value2', tag3: '', team: 'b' } }));
  assert.deepEqual((await c.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { team: 'b', tag1: 'value1', tag2: 'value2', tag3: '' });
  await c.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['tag1', 'tag3', 'nope'] }));
  assert.deepEqual((await c.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { team: 'b', tag2: 'value2' });
  await c.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['team', 'tag2'] }));
  assert.equal((await c.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, undefined);
});

test('AddPermission and RemovePermission edit the queue Policy as AWS writes it', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const arn = `arn:aws:sqs:us-east-1:000000000000:${url.split('/').pop()}`;
  await c.send(new AddPermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission', AWSAccountIds: ['668614515564', '111111111111'], Actions: ['ReceiveMessage'] }));
  const policy = async (): Promise<unknown> => {
    const p = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }))).Attributes?.['Policy'];
    return p === undefined ? undefined : JSON.parse(p);
  };
  assert.deepEqual(await policy(), {
    Version: '2008-10-17', Id: `${arn}/SQSDefaultPolicy`,
    Statement: [{ Sid: 'crossaccountpermission', Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::668614515564:root', 'arn:aws:iam::111111111111:root'] }, Action: 'SQS:ReceiveMessage', Resource: arn }],
  });
  const dup = await failure(() => c.send(new AddPermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission', AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] })));
  assert.deepEqual([dup.code, dup.message], ['InvalidParameterValue', 'Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.']);
  await c.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission' }));
  assert.equal(await policy(), undefined);
  const missing = await failure(() => c.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission' })));
  assert.equal(missing.message, "Value crossaccountpermission for parameter Label is invalid. Reason: can't find label.");
});

test('DeleteQueue removes the queue; its name is reusable after 60 s of clock time', async () => {
  const c = sqsClient(h.dd);
  const name = uniqueName();
  const url = await createQueue(c, { QueueName: name });
  await c.send(new DeleteQueueCommand({ QueueUrl: url }));
  await assert.rejects(c.send(new GetQueueAttributesCommand({ QueueUrl: url })), { name: 'QueueDoesNotExist' });
  const e = await failure(() => c.send(new CreateQueueCommand({ QueueName: name })));
  assert.deepEqual([e.name, e.message], ['QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.']);
  h.dd.clock.advance(61);
  assert.equal(await createQueue(c, { QueueName: name }), url);
});

test('PurgeQueue empties the queue and is allowed once per 60 s (PurgeQueueInProgress, 403)', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
  await c.send(new PurgeQueueCommand({ QueueUrl: url }));
  assert.equal((await c.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
  const e = await failure(() => c.send(new PurgeQueueCommand({ QueueUrl: url })));
  assert.deepEqual(e, { name: 'PurgeQueueInProgress', code: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403,
    message: `Only one PurgeQueue operation on ${url.split('/').pop()} is allowed every 60 seconds.` });
  h.dd.clock.advance(60);
  await c.send(new PurgeQueueCommand({ QueueUrl: url }));
});
