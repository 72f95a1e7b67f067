/** FIFO queues through the real SDK: groups, ordering, locking, deduplication on the clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand,
  SetQueueAttributesCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { useDrydock } from '../../helpers.js';
import { createFifo, failure, sqsClient } from './helpers.js';

const h = useDrydock();

async function sendAll(c: SQSClient, url: string, msgs: [string, string][]): Promise<void> {
  for (const [group, body] of msgs) await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: group }));
}

async function bodies(c: SQSClient, url: string, max: number, visibility?: number): Promise<string[]> {
  const r = await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: max, VisibilityTimeout: visibility }));
  return (r.Messages ?? []).map((m) => m.Body!);
}

test('sending to a FIFO queue: group id required, deduplication id or content-based, no per-message delay', async () => {
  const c = sqsClient(h.dd);
  const url = await createFifo(c);
  const noGroup = await failure(() => c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm', MessageDeduplicationId: 'd' })));
  assert.deepEqual(noGroup, { name: 'MissingParameter', code: 'MissingParameter', status: 400, message: 'The request must contain the parameter MessageGroupId.' });
  const noDedup = await failure(() => c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm', MessageGroupId: 'g' })));
  assert.deepEqual([noDedup.code, noDedup.message], ['InvalidParameterValue',
    'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly']);
  const cbd = await createFifo(c, { ContentBasedDeduplication: 'true' });
  const delay = await failure(() => c.send(new SendMessageCommand({ QueueUrl: cbd, MessageBody: 'message-1', MessageGroupId: '1', DelaySeconds: 2 })));
  assert.equal(delay.message, 'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.');
  const ok = await c.send(new SendMessageCommand({ QueueUrl: cbd, MessageBody: 'message-1', MessageGroupId: '1', DelaySeconds: 0 }));
  assert.match(ok.SequenceNumber!, /^\d{20}$/);
  const batchNoGroup = await failure(() => c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: '1', MessageBody: 'x', MessageDeduplicationId: 'd' }] })));
  assert.deepEqual([batchNoGroup.code, batchNoGroup.message], ['InvalidParameterValue', 'The request must contain the parameter MessageGroupId.']);
  const batchNoDedup = await failure(() => c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: '1', MessageBody: 'x', MessageGroupId: 'g' }] })));
  assert.equal(batchNoDedup.message, 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
});

test('messages of a group arrive in order, groups one after another', async () => {
  const c = sqsClient(h.dd);
  const url = await createFifo(c, { ContentBasedDeduplication: 'true' });
  await sendAll(c, url, [['group-1', 'g1-m1'], ['group-2', 'g2-m1'], ['group-1', 'g1-m2'], ['group-1', 'g1-m3']]);
  assert.deepEqual(await bodies(c, url, 10), ['g1-m1', 'g1-m2', 'g1-m3', 'g2-m1']);
});

test('a group is locked while a message of it is in flight', async () => {
  const c = sqsClient(h.dd);
  const url = await createFifo(c, { ContentBasedDeduplication: 'true', VisibilityTimeout: '1' });
  await sendAll(c, url, [['group-1', 'g1-m1'], ['group-1', 'g1-m2'], ['group-1', 'g1-m3'], ['group-1', 'g1-m4'], ['group-2', 'g2-m1'], ['group-3', 'g3-m1']]);
  assert.deepEqual(await bodies(c, url, 2), ['g1-m1', 'g1-m2']);
  assert.deepEqual(await bodies(c, url, 1), ['g2-m1']);
  h.dd.clock.advance(2);
  assert.deepEqual(await bodies(c, url, 10, 0), ['g3-m1', 'g1-m1', 'g1-m2', 'g1-m3', 'g1-m4', 'g2-m1']);
});

test('visibility 0 leaves a group open; ending one message\'s visibility frees only the head of its group', async () => {
  const c = sqsClient(h.dd);
  const url = await createFifo(c, { ContentBasedDeduplication: 'true' });
  await sendAll(c, url, [['group-1', 'g1-m1'], ['group-2', 'g2-m1'], ['group-2', 'g2-m2'], ['group-3', 'g3-m1'], ['group-1', 'g1-m2']]);
  assert.deepEqual(await bodies(c, url, 3, 0), ['g1-m1', 'g1-m2', 'g2-m1']);
  assert.deepEqual(await bodies(c, url, 10, 0), ['g3-m1', 'g1-m1', 'g1-m2', 'g2-m1', 'g2-m2']);

  const q2 = await createFifo(c, { ContentBasedDeduplication: 'true' });
  await sendAll(c, q2, [['group-1', 'g1-m1'], ['group-1', 'g1-m2'], ['group-2', 'g2-m1']]);
  const r = await c.send(new ReceiveMessageCommand({ QueueUrl: q2, MaxNumberOfMessages: 2 }));
  assert.deepEqual(r.Messages!.map((m) => m.Body), ['g1-m1', 'g1-m2']);
  await c.send(new ChangeMessageVisibilityCommand({ QueueUrl: q2, ReceiptHandle: r.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }));
  assert.deepEqual(await bodies(c, q2, 3), ['g2-m1', 'g1-m1']);
});

test('deleting part of a group\'s in-flight messages keeps the group locked', async () => {
  const c = sqsClient(h.dd);
  const url = await createFifo(c, { ContentBasedDeduplication: 'true' });
  await sendAll(c, url, [['group-1', 'g1-m1'], ['group-2', 'g2-m1'], ['group-1', 'g1-m2'], ['group-2', 'g2-m2'], ['group-1', 'g1-m3'], ['group-3', 'g3-m1']]);
  const r = await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2 }));
  await c.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: r.Messages![0]!.ReceiptHandle }));
  assert.deepEqual(await bodies(c, url, 10), ['g2-m1', 'g2-m2', 'g3-m1']);
  await c.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: r.Messages![1]!.ReceiptHandle }));
  assert.deepEqual(await bodies(c, url, 10), ['g1-m3']);
});

test('a deduplication id suppresses duplicates for five minutes of clock time, even after delete', async () => {
  const c = sqsClient(h.dd);
  const url = await createFifo(c);
  const send = (body: string) => c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: 'dedup-1' }));
  const first = await send('Test message 1');
  const dup = await send('another message');
  assert.equal(dup.MessageId, first.MessageId);
  assert.equal(dup.SequenceNumber, first.SequenceNumber);
  assert.equal(dup.MD5OfMessageBody, '80d402c39512ac39d7e8e79e2cfa935e');
  const r = await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  assert.deepEqual(r.Messages!.map((m) => m.Body), ['Test message 1']);
  await c.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: r.Messages![0]!.ReceiptHandle }));
  h.dd.clock.advance(299);
  await send('again');
  assert.deepEqual(await bodies(c, url, 10), []);
  h.dd.clock.advance(1);
  const fresh = await send('after the window');
  assert.notEqual(fresh.MessageId, first.MessageId);
  assert.ok(BigInt(fresh.SequenceNumber!) > BigInt(first.SequenceNumber!));
  assert.deepEqual(await bodies(c, url, 10), ['after the window']);
});

test('content-based deduplication uses the SHA-256 of the body as MessageDeduplicationId', async () => {
  const c = sqsClient(h.dd);
  const url = await createFifo(c, { ContentBasedDeduplication: 'true' });
  const a = await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"foo": "bar"}', MessageGroupId: 'g1' }));
  const b = await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"foo": "bar"}', MessageGroupId: 'g2' }));
  assert.equal(b.MessageId, a.MessageId, 'the default scope is the whole queue');
  const r = await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, AttributeNames: ['All'] }));
  assert.equal(r.Messages!.length, 1);
  const attrs = r.Messages![0]!.Attributes!;
  assert.deepEqual(Object.keys(attrs).sort(), ['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'MessageDeduplicationId',
    'MessageGroupId', 'SenderId', 'SentTimestamp', 'SequenceNumber']);
  assert.equal(attrs['MessageDeduplicationId'], createHash('sha256').update('{"foo": "bar"}').digest('hex'));
  assert.equal(attrs['MessageGroupId'], 'g1');
  assert.equal(attrs['SequenceNumber'], a.SequenceNumber);
});

test('high throughput: deduplication per message group, as fixed when the queue was created', async () => {
  const c = sqsClient(h.dd);
  const ht = await createFifo(c, { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
  const send = (url: string, group: string, body: string) =>
    c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: 'same' }));
  await send(ht, 'g1', 'Test1');
  await send(ht, 'g2', 'Test2');
  assert.deepEqual(await bodies(c, ht, 10), ['Test1', 'Test2']);
  const regular = await createFifo(c);
  await send(regular, 'g1', 'Test1');
  await c.send(new SetQueueAttributesCommand({ QueueUrl: regular, Attributes: { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' } }));
  await send(regular, 'g2', 'Test2');
  assert.deepEqual(await bodies(c, regular, 10), ['Test1']);
});

test('FIFO receipt handles expire with the visibility timeout; an extended one still deletes', async () => {
  const c = sqsClient(h.dd);
  const url = await createFifo(c, { ContentBasedDeduplication: 'true', VisibilityTimeout: '10' });
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'foobar', MessageGroupId: 'g' }));
  const m = (await c.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0]!;
  h.dd.clock.advance(11);
  const e = await failure(() => c.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle })));
  assert.deepEqual([e.code, e.message], ['InvalidParameterValue',
    `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`]);
  const again = (await c.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0]!;
  h.dd.clock.advance(5);
  await c.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 30 }));
  h.dd.clock.advance(20);
  await c.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle }));
  assert.deepEqual(await bodies(c, url, 10), []);
});

test('a FIFO queue delays by its DelaySeconds attribute', async () => {
  const c = sqsClient(h.dd);
  const url = await createFifo(c, { ContentBasedDeduplication: 'true', DelaySeconds: '5' });
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'message-1', MessageGroupId: '1', DelaySeconds: 0 }));
  assert.deepEqual(await bodies(c, url, 1), []);
  h.dd.clock.advance(5);
  assert.deepEqual(await bodies(c, url, 1), ['message-1']);
});
