/** Dead-letter queues through the real SDK: redrive on maxReceiveCount, policies, message move tasks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelMessageMoveTaskCommand, GetQueueAttributesCommand, ListDeadLetterSourceQueuesCommand, ListMessageMoveTasksCommand,
  ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand, StartMessageMoveTaskCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { useDrydock } from '../../helpers.js';
import { createFifo, createQueue, failure, sqsClient } from './helpers.js';

const h = useDrydock();

async function arnOf(c: SQSClient, url: string): Promise<string> {
  return (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
}

async function withDlq(c: SQSClient, maxReceiveCount = 1): Promise<{ src: string; dlq: string; srcArn: string; dlqArn: string }> {
  const dlq = await createQueue(c);
  const dlqArn = await arnOf(c, dlq);
  const src = await createQueue(c, { Attributes: { VisibilityTimeout: '10', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) } });
  return { src, dlq, srcArn: await arnOf(c, src), dlqArn };
}

test('a message moves to the DLQ on the receive that would exceed maxReceiveCount, keeping id and attributes', async () => {
  const c = sqsClient(h.dd);
  const { src, dlq, srcArn } = await withDlq(c);
  await c.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'message-1',
    MessageAttributes: { MyAttribute: { DataType: 'String', StringValue: 'foobar' } },
    MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' } } }));
  await c.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'message-2' }));
  const first = (await c.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10, AttributeNames: ['All'], MessageAttributeNames: ['All'] }))).Messages!;
  assert.deepEqual(first.map((m) => [m.Body, m.Attributes!['ApproximateReceiveCount']]), [['message-1', '1'], ['message-2', '1']]);
  h.dd.clock.advance(11);
  assert.equal((await c.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }))).Messages, undefined);
  const moved = (await c.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, AttributeNames: ['All'], MessageAttributeNames: ['All'] }))).Messages!;
  assert.deepEqual(moved.map((m) => m.MessageId), first.map((m) => m.MessageId));
  const m1 = moved[0]!;
  assert.equal(m1.MD5OfBody, '3d6b824fd8c1520e9a047d21fee6fb1f');
  assert.equal(m1.MD5OfMessageAttributes, 'adb59cd4678ea5a855436b949cd07ab6');
  assert.deepEqual(m1.MessageAttributes, { MyAttribute: { DataType: 'String', StringValue: 'foobar' } });
  assert.equal(m1.Attributes!['ApproximateReceiveCount'], '2');
  assert.equal(m1.Attributes!['DeadLetterQueueSourceArn'], srcArn);
  assert.equal(m1.Attributes!['SentTimestamp'], first[0]!.Attributes!['SentTimestamp']);
  assert.equal(m1.Attributes!['AWSTraceHeader'], 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
  assert.deepEqual((await c.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls, [src]);
});

test('RedrivePolicy is checked as AWS checks it, and an empty value removes it', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const fifo = await createFifo(c);
  const fifoArn = await arnOf(c, fifo);
  const set = (v: string) => failure(() => c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: v } })));
  const notMap = await set(' ');
  assert.deepEqual([notMap.name, notMap.message], ['InvalidAttributeValue', 'Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.']);
  const cases: [unknown, string][] = [
    [{}, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.'],
    [{ maxReceiveCount: 5 }, 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.'],
    [{ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:x', maxReceiveCount: 4023 }, 'Invalid value for maxReceiveCount: 4023, valid values are from 1 to 1000 both inclusive.'],
    [{ deadLetterTargetArn: 'arn:aws:sns:us-east-1:000000000000:MyTopic', maxReceiveCount: 5 }, 'Only SQS queues are valid resources for deadLetterTargetArn.'],
    [{ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:MyUnknownQueue', maxReceiveCount: 5 }, 'Dead letter target does not exist.'],
    [{ deadLetterTargetArn: fifoArn, maxReceiveCount: 5 }, 'Dead-letter queue must be same type of queue as the source..'],
  ];
  for (const [doc, reason] of cases) {
    const v = JSON.stringify(doc);
    const e = await set(v);
    assert.deepEqual([e.code, e.message], ['InvalidParameterValue', `Value ${v} for parameter RedrivePolicy is invalid. Reason: ${reason}`]);
  }
  const dlqArn = await arnOf(c, await createQueue(c));
  await c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '3' }) } }));
  const got = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }))).Attributes;
  assert.deepEqual(got, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) });
  await c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: '' } }));
  assert.equal((await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }))).Attributes, undefined);
});

test('RedriveAllowPolicy: validated, and enforced when a queue names the DLQ', async () => {
  const c = sqsClient(h.dd);
  const dlq = await createQueue(c);
  const dlqArn = await arnOf(c, dlq);
  const setAllow = (v: string) => c.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: v } }));
  const bad = await failure(() => setAllow('badjson'));
  assert.deepEqual([bad.name, bad.message], ['InvalidAttributeValue',
    "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format."]);
  const noArns = await failure(() => setAllow('{"redrivePermission":"byQueue"}'));
  assert.equal(noArns.message, 'Value {"redrivePermission":"byQueue"} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can\'t create the redrive allow policy. When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.');
  const allowed = await createQueue(c);
  const allowedArn = await arnOf(c, allowed);
  await setAllow(JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [allowedArn] }));
  const policy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 });
  await c.send(new SetQueueAttributesCommand({ QueueUrl: allowed, Attributes: { RedrivePolicy: policy } }));
  const other = await createQueue(c);
  const e = await failure(() => c.send(new SetQueueAttributesCommand({ QueueUrl: other, Attributes: { RedrivePolicy: policy } })));
  assert.equal(e.code, 'InvalidParameterValue');
  await setAllow('{"redrivePermission":"denyAll"}');
  await assert.rejects(c.send(new SetQueueAttributesCommand({ QueueUrl: other, Attributes: { RedrivePolicy: policy } })), { name: 'InvalidParameterValue' });
});

test('StartMessageMoveTask redrives DLQ messages back to their source queues', async () => {
  const c = sqsClient(h.dd);
  const { src, dlq, dlqArn } = await withDlq(c);
  for (const b of ['one', 'two']) await c.send(new SendMessageCommand({ QueueUrl: src, MessageBody: b }));
  await c.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }));
  h.dd.clock.advance(11);
  await c.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }));
  const { TaskHandle } = await c.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
  assert.ok(TaskHandle);
  const list = (await c.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results!;
  assert.equal(list.length, 1);
  assert.deepEqual({ ...list[0], StartedTimestamp: undefined }, {
    Status: 'COMPLETED', SourceArn: dlqArn, ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 2, StartedTimestamp: undefined,
  });
  assert.ok(Math.abs(list[0]!.StartedTimestamp! - h.dd.clock.nowMs()) < 2000);
  const back = (await c.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10, AttributeNames: ['All'] }))).Messages!;
  assert.deepEqual(back.map((m) => [m.Body, m.Attributes!['ApproximateReceiveCount']]), [['one', '1'], ['two', '1']]);
  assert.equal((await c.send(new ReceiveMessageCommand({ QueueUrl: dlq }))).Messages, undefined);
});

test('a move task with MaxNumberOfMessagesPerSecond runs on the clock and can be cancelled', async () => {
  const c = sqsClient(h.dd);
  const { src, dlqArn } = await withDlq(c);
  const dest = await createQueue(c);
  const destArn = await arnOf(c, dest);
  for (let i = 0; i < 10; i++) await c.send(new SendMessageCommand({ QueueUrl: src, MessageBody: `m${i}` }));
  for (let i = 0; i < 2; i++) {
    await c.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }));
    h.dd.clock.advance(11);
  }
  const { TaskHandle } = await c.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 }));
  const again = await failure(() => c.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })));
  assert.equal(again.message, 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
  h.dd.clock.advance(1);
  const running = (await c.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results![0]!;
  assert.deepEqual([running.Status, running.ApproximateNumberOfMessagesMoved, running.ApproximateNumberOfMessagesToMove, running.MaxNumberOfMessagesPerSecond,
    running.DestinationArn, running.TaskHandle], ['RUNNING', 2, 10, 1, destArn, TaskHandle]);
  const cancel = await c.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  assert.equal(cancel.ApproximateNumberOfMessagesMoved, 2);
  h.dd.clock.advance(10);
  const after = (await c.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results![0]!;
  assert.deepEqual([after.Status, after.ApproximateNumberOfMessagesMoved, after.TaskHandle], ['CANCELLED', 2, undefined]);
  assert.equal((await c.send(new ReceiveMessageCommand({ QueueUrl: dest, MaxNumberOfMessages: 10 }))).Messages?.length, 2);
});

test('move task errors: source must exist and be a DLQ, destination must exist, handles must be valid', async () => {
  const c = sqsClient(h.dd);
  const plainArn = await arnOf(c, await createQueue(c));
  const notDlq = await failure(() => c.send(new StartMessageMoveTaskCommand({ SourceArn: plainArn })));
  assert.deepEqual([notDlq.code, notDlq.message], ['InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.']);
  const missing = await failure(() => c.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:nope' })));
  assert.deepEqual([missing.name, missing.status, missing.message], ['ResourceNotFoundException', 404,
    "The resource that you specified for the SourceArn parameter doesn't exist."]);
  const { dlqArn } = await withDlq(c);
  const dest = await failure(() => c.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: 'arn:aws:sqs:us-east-1:000000000000:nope' })));
  assert.equal(dest.message, "The resource that you specified for the DestinationArn parameter doesn't exist.");
  const handle = await failure(() => c.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'not-a-handle' })));
  assert.deepEqual([handle.code, handle.message], ['InvalidParameterValue', 'Value for parameter TaskHandle is invalid.']);
  const unknownTask = Buffer.from(JSON.stringify({ taskId: 'x', sourceArn: dlqArn })).toString('base64');
  const task = await failure(() => c.send(new CancelMessageMoveTaskCommand({ TaskHandle: unknownTask })));
  assert.deepEqual([task.name, task.message], ['ResourceNotFoundException', 'Task does not exist.']);
});
