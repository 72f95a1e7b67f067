/** Batch operations through the real SDK: request-level limits and per-entry results. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
  SendMessageBatchCommand, SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { useDrydock } from '../../helpers.js';
import { createQueue, failure, sqsClient } from './helpers.js';

const h = useDrydock();

test('SendMessageBatch sends up to ten messages and answers MD5s per entry', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const r = await c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [
    { Id: '1', MessageBody: 'message-1', MessageAttributes: { k: { DataType: 'String', StringValue: 'x' } } },
    { Id: '2', MessageBody: 'a', DelaySeconds: 5 },
  ] }));
  assert.equal(r.Failed, undefined);
  assert.deepEqual(r.Successful?.map((s) => [s.Id, s.MD5OfMessageBody, s.MD5OfMessageAttributes]), [
    ['1', '3d6b824fd8c1520e9a047d21fee6fb1f', 'a45daa70926828a2f0a1db3418e6feb4'],
    ['2', '0cc175b9c0f1b6a831c399e269772661', undefined],
  ]);
  const a = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }))).Attributes;
  assert.deepEqual(a, { ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesDelayed: '1' });
});

test('batch requests: empty, more than ten, bad or repeated ids fail as a whole', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const empty = await failure(() => c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })));
  assert.deepEqual(empty, { name: 'EmptyBatchRequest', code: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400,
    message: 'There should be at least one SendMessageBatchRequestEntry in the request.' });
  const twenty = Array.from({ length: 20 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x', ReceiptHandle: 'h', VisibilityTimeout: 1 }));
  for (const send of [
    () => c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: twenty })),
    () => c.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: twenty })),
    () => c.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: twenty })),
  ]) {
    const e = await failure(send);
    assert.deepEqual(e, { name: 'TooManyEntriesInBatchRequest', code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400,
      message: 'Maximum number of entries per request are 10. You have sent 20.' });
  }
  for (const id of ['', 'invalid:id', 'testLongId'.repeat(10)]) {
    const e = await failure(() => c.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: id, ReceiptHandle: 'h' }] })));
    assert.deepEqual([e.name, e.code, e.message], ['InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.'], id);
  }
  const dup = await failure(() => c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'same', MessageBody: 'a' }, { Id: 'same', MessageBody: 'b' }] })));
  assert.deepEqual([dup.name, dup.code, dup.message], ['BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'Id same repeated.']);
  assert.equal((await c.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined, 'nothing was half-sent');
});

test('a batch over 1 MiB in total is refused with BatchRequestTooLong', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const attrs = { k: { DataType: 'String', StringValue: 'x' } };
  const e = await failure(() => c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [
    { Id: '1', MessageBody: 'a'.repeat(1_048_576 - 8), MessageAttributes: attrs }, { Id: '2', MessageBody: 'a' },
  ] })));
  assert.deepEqual(e, { name: 'BatchRequestTooLong', code: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400,
    message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.' });
});

test('entry problems fail only that entry, with SenderFault and the query error code', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  await c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MaximumMessageSize: '1024' } }));
  const r = await c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [
    { Id: 'big', MessageBody: 'a'.repeat(1025) },
    { Id: 'ok', MessageBody: 'fine' },
    { Id: 'ctl', MessageBody: '\u0001' },
    { Id: 'empty', MessageBody: '' },
    { Id: 'dedup', MessageBody: 'x', MessageDeduplicationId: 'd' },
  ] }));
  assert.deepEqual(r.Successful?.map((s) => s.Id), ['ok']);
  assert.deepEqual(r.Failed, [
    { Id: 'big', SenderFault: true, Code: 'InvalidParameterValue', Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.' },
    { Id: 'ctl', SenderFault: true, Code: 'InvalidMessageContents',
      Message: 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF' },
    { Id: 'empty', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter SendMessageBatchRequestEntry.4.MessageBody.' },
    { Id: 'dedup', SenderFault: true, Code: 'InvalidParameterValue', Message: 'The request include parameter that is not valid for this queue type' },
  ]);
});

test('DeleteMessageBatch and ChangeMessageVisibilityBatch answer per entry', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  await c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: ['1', '2', '3'].map((i) => ({ Id: i, MessageBody: `m${i}` })) }));
  const msgs = (await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
  assert.equal(msgs.length, 3);
  const vis = await c.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: [
    { Id: 'a', ReceiptHandle: msgs[0]!.ReceiptHandle, VisibilityTimeout: 0 },
    { Id: 'b', ReceiptHandle: 'dummy', VisibilityTimeout: 0 },
  ] }));
  assert.deepEqual(vis.Successful, [{ Id: 'a' }]);
  assert.deepEqual(vis.Failed, [{ Id: 'b', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "dummy" is not a valid receipt handle.' }]);
  const del = await c.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [
    { Id: 'x', ReceiptHandle: msgs[1]!.ReceiptHandle },
    { Id: 'y', ReceiptHandle: 'dummy-receiptHandle' },
    { Id: 'z', ReceiptHandle: msgs[2]!.ReceiptHandle },
  ] }));
  assert.deepEqual(del.Successful, [{ Id: 'x' }, { Id: 'z' }]);
  assert.deepEqual(del.Failed?.map((f) => [f.Id, f.Code]), [['y', 'ReceiptHandleIsInvalid']]);
  const left = (await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
  assert.deepEqual(left.map((m) => m.Body), [msgs[0]!.Body]);
});
