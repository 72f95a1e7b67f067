/** SQS state in a data directory survives a restart: queues, messages in every state, FIFO deduplication. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteMessageCommand, GetQueueAttributesCommand, ListQueueTagsCommand, ReceiveMessageCommand, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { startDrydock } from '../../../src/embedded/index.js';
import { createFifo, createQueue, sqsClient } from './helpers.js';

test('queues, in-flight and delayed messages, receipt handles and dedup records survive a restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-sqs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let dd = await startDrydock({ dataDir: dir });
  let c = sqsClient(dd);
  const url = await createQueue(c, { tags: { team: 'x' } });
  const fifo = await createFifo(c);
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'in-flight', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } } }));
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'delayed', DelaySeconds: 900 }));
  const m = (await c.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 3600 }))).Messages![0]!;
  const first = await c.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'once', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
  await dd.stop();

  dd = await startDrydock({ dataDir: dir });
  t.after(() => dd.stop());
  c = sqsClient(dd);
  // The endpoint (port) changed; the queue is found by account and name.
  const url2 = `${dd.endpoint}/${url.split('/').slice(-2).join('/')}`;
  const fifo2 = `${dd.endpoint}/${fifo.split('/').slice(-2).join('/')}`;
  const a = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url2, AttributeNames: ['All'] }))).Attributes!;
  assert.deepEqual([a['ApproximateNumberOfMessages'], a['ApproximateNumberOfMessagesNotVisible'], a['ApproximateNumberOfMessagesDelayed']], ['0', '1', '1']);
  assert.deepEqual((await c.send(new ListQueueTagsCommand({ QueueUrl: url2 }))).Tags, { team: 'x' });
  const dup = await c.send(new SendMessageCommand({ QueueUrl: fifo2, MessageBody: 'twice', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
  assert.equal(dup.MessageId, first.MessageId, 'the deduplication window survived the restart');
  const r = await c.send(new ReceiveMessageCommand({ QueueUrl: fifo2, MaxNumberOfMessages: 10 }));
  assert.deepEqual(r.Messages?.map((x) => x.Body), ['once']);
  dd.clock.advance(3600);
  const both = (await c.send(new ReceiveMessageCommand({ QueueUrl: url2, MessageAttributeNames: ['All'], AttributeNames: ['All'], MaxNumberOfMessages: 10 }))).Messages!;
  assert.deepEqual(both.map((x) => x.Body).sort(), ['delayed', 'in-flight']);
  const again = both.find((x) => x.MessageId === m.MessageId)!;
  assert.equal(again.Attributes!['ApproximateReceiveCount'], '2');
  assert.deepEqual([...again.MessageAttributes!['b']!.BinaryValue!], [1, 2, 3]);
  await c.send(new DeleteMessageCommand({ QueueUrl: url2, ReceiptHandle: m.ReceiptHandle }));
});
