/** Standard-queue messaging through the real SDK: MD5s, attributes, visibility, delays, retention, long polling. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
  SendMessageCommand, SetQueueAttributesCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { useDrydock } from '../../helpers.js';
import { createQueue, failure, sqsClient } from './helpers.js';

const h = useDrydock();

const attrs = {
  General: { DataType: 'String', StringValue: 'Kenobi' },
  Hello: { DataType: 'String', StringValue: 'There' },
  'Help.Me': { DataType: 'String', StringValue: 'Me' },
};

async function counts(c: SQSClient, url: string): Promise<[string, string, string]> {
  const a = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
  return [a['ApproximateNumberOfMessages']!, a['ApproximateNumberOfMessagesNotVisible']!, a['ApproximateNumberOfMessagesDelayed']!];
}

test('SendMessage answers the MD5s AWS computes for body, message attributes and system attributes', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const r = await c.send(new SendMessageCommand({
    QueueUrl: url, MessageBody: 'msg', MessageAttributes: attrs,
    MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'some-trace-id' } },
  }));
  assert.equal(r.MD5OfMessageBody, '6e2baaf3b97dbeef01c0043275f9a0e7');
  assert.equal(r.MD5OfMessageAttributes, '4c360f3fdafd970e05fae2f149d997f5');
  assert.equal(r.MD5OfMessageSystemAttributes, 'fdce4f2818803f2f73becc09a54792c0');
  assert.match(r.MessageId!, /^[0-9a-f-]{36}$/);
  assert.equal(r.SequenceNumber, undefined);
  const bin = await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'test', MessageAttributes: {
    attr1: { DataType: 'Binary', BinaryValue: Buffer.from('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01') } } }));
  assert.equal(bin.MD5OfMessageAttributes, '8cbe4db156db8a94db8b801b7addb984');
});

test('ReceiveMessage filters message attributes by name, prefix or All, with the MD5 of what it returns', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'msg', MessageAttributes: attrs }));
  const cases: [string[], string[], string | undefined][] = [
    [[], [], undefined],
    [['All'], ['General', 'Hello', 'Help.Me'], '4c360f3fdafd970e05fae2f149d997f5'],
    [['.*'], ['General', 'Hello', 'Help.Me'], '4c360f3fdafd970e05fae2f149d997f5'],
    [['General', 'Hello'], ['General', 'Hello'], 'fca026605781cb4126a1e9044df24232'],
    [['Hello', 'Nope'], ['Hello'], 'a311262e065454b75da111d535b8dacd'],
    [['He.*'], ['Hello', 'Help.Me'], '83fee93c1bcd8b9a5a923ffacdc636c7'],
    [['Nope'], [], undefined],
  ];
  for (const [names, expected, md5] of cases) {
    const m = (await c.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: names, VisibilityTimeout: 0 }))).Messages![0]!;
    assert.deepEqual(Object.keys(m.MessageAttributes ?? {}).sort(), expected, names.join(','));
    assert.equal(m.MD5OfMessageAttributes, md5, names.join(','));
    assert.equal(m.MD5OfBody, '6e2baaf3b97dbeef01c0043275f9a0e7');
  }
});

test('system attributes: All, or one by name; SenderId is the caller, timestamps come from the clock', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const before = h.dd.clock.nowMs();
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'msg',
    MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' } } }));
  h.dd.clock.advance(10);
  const m = (await c.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['All'], VisibilityTimeout: 0 }))).Messages![0]!;
  const a = m.Attributes!;
  assert.deepEqual(Object.keys(a).sort(), ['AWSTraceHeader', 'ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
  assert.equal(a['SenderId'], '000000000000');
  assert.equal(a['ApproximateReceiveCount'], '1');
  assert.equal(a['AWSTraceHeader'], 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
  const sent = Number(a['SentTimestamp']);
  assert.ok(sent >= before && sent < before + 2000);
  assert.ok(Number(a['ApproximateFirstReceiveTimestamp']) >= sent + 10_000);
  const one = (await c.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['SenderId'] }))).Messages![0]!;
  assert.deepEqual(one.Attributes, { SenderId: '000000000000' });
});

test('a received message is invisible for the visibility timeout, then returns with a higher receive count', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'vis' }));
  const first = (await c.send(new ReceiveMessageCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Messages![0]!;
  assert.deepEqual(await counts(c, url), ['0', '1', '0']);
  h.dd.clock.advance(29);
  assert.equal((await c.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
  h.dd.clock.advance(2);
  assert.deepEqual(await counts(c, url), ['1', '0', '0']);
  const second = (await c.send(new ReceiveMessageCommand({ QueueUrl: url, AttributeNames: ['All'], VisibilityTimeout: 5 }))).Messages![0]!;
  assert.equal(second.MessageId, first.MessageId);
  assert.notEqual(second.ReceiptHandle, first.ReceiptHandle);
  assert.equal(second.Attributes!['ApproximateReceiveCount'], '2');
  assert.equal(second.Attributes!['ApproximateFirstReceiveTimestamp'], first.Attributes!['ApproximateFirstReceiveTimestamp']);
  h.dd.clock.advance(6);
  // On a standard queue an older receipt handle still deletes the message.
  await c.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle }));
  assert.deepEqual(await counts(c, url), ['0', '0', '0']);
  await c.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle }));
});

test('ChangeMessageVisibility extends or ends the timeout; bad and stale handles get AWS errors', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c, { Attributes: { VisibilityTimeout: '2' } });
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'cv' }));
  const m = (await c.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0]!;
  await c.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 60 }));
  h.dd.clock.advance(30);
  assert.equal((await c.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
  await c.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
  const again = (await c.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0]!;
  const stale = await failure(() => c.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 10 })));
  assert.deepEqual([stale.code, stale.message], ['InvalidParameterValue',
    `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`]);
  const tooLong = await failure(() => c.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 43_201 })));
  assert.equal(tooLong.code, 'InvalidParameterValue');
  h.dd.clock.advance(1);
  const total = await failure(() => c.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 43_200 })));
  assert.equal(total.message, 'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds].');
  const bad = await failure(() => c.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: 'INVALID', VisibilityTimeout: 60 })));
  assert.deepEqual(bad, { name: 'ReceiptHandleIsInvalid', code: 'ReceiptHandleIsInvalid', status: 404,
    message: 'The input receipt handle "INVALID" is not a valid receipt handle.' });
  await assert.rejects(c.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'INVALID' })), { name: 'ReceiptHandleIsInvalid' });
});

test('ReceiveMessage parameter ranges answer InvalidParameterValue with AWS messages', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const cases: [Record<string, number>, string][] = [
    [{ MaxNumberOfMessages: 11 }, 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.'],
    [{ MaxNumberOfMessages: 0 }, 'Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.'],
    [{ WaitTimeSeconds: 21 }, 'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.'],
    [{ WaitTimeSeconds: -1 }, 'Value -1 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.'],
    [{ VisibilityTimeout: 43201 }, 'Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.'],
  ];
  for (const [params, message] of cases) {
    const e = await failure(() => c.send(new ReceiveMessageCommand({ QueueUrl: url, ...params })));
    assert.deepEqual([e.name, e.code, e.message, e.status], ['InvalidParameterValue', 'InvalidParameterValue', message, 400]);
  }
});

test('bad message input: empty body, invalid characters, oversize, attribute mistakes', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c);
  const send = (input: Record<string, unknown>) => failure(() => c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', ...input })));
  const empty = await send({ MessageBody: '' });
  assert.deepEqual([empty.name, empty.message], ['MissingParameter', 'The request must contain the parameter MessageBody.']);
  const chars = await send({ MessageBody: 'bad \u0001' });
  assert.equal(chars.name, 'InvalidMessageContents');
  const attr = (v: Record<string, unknown>) => send({ MessageAttributes: v });
  assert.equal((await attr({ ErrorDetails: { DataType: 'String', StringValue: '' } })).message,
    "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.");
  assert.equal((await attr({ 'AWS.x': { DataType: 'String', StringValue: 'v' } })).message,
    "You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.");
  assert.equal((await attr({ n: { DataType: 'Number', StringValue: 'world' } })).message, "Can't cast the value of message (user) attribute 'n' to a number.");
  assert.equal((await attr({ t: { DataType: 'Text', StringValue: 'v' } })).message,
    "The type of message (user) attribute 't' is invalid. You must use only the following supported type prefixes: Binary, Number, String.");
  const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
  assert.equal((await attr(eleven)).message, 'Number of message attributes [11] exceeds the allowed maximum [10].');
  const big = await send({ MessageBody: 'a'.repeat(1_048_576 - 7), MessageAttributes: { k: { DataType: 'String', StringValue: 'x' } } });
  assert.deepEqual([big.code, big.message], ['InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.']);
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a'.repeat(1_048_576 - 8), MessageAttributes: { k: { DataType: 'String', StringValue: 'x' } } }));
  await c.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MaximumMessageSize: '1024' } }));
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a'.repeat(1024) }));
  assert.equal((await send({ MessageBody: 'a'.repeat(1025) })).message, 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
  const dedup = await send({ MessageDeduplicationId: 'd' });
  assert.equal(dedup.message, 'The request include parameter MessageDeduplicationId which is not valid for this queue type');
  const group = await send({ MessageGroupId: 'group 123' });
  assert.equal(group.message, 'Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  const delay = await send({ DelaySeconds: 901 });
  assert.equal(delay.message, 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.');
});

test('delay queues and per-message DelaySeconds hold messages back on the clock', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c, { Attributes: { DelaySeconds: '10' } });
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'queue-delay' }));
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'own-delay', DelaySeconds: 60 }));
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'no-delay', DelaySeconds: 0 }));
  assert.deepEqual(await counts(c, url), ['1', '0', '2']);
  const body = async (): Promise<string[]> =>
    ((await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 3600 }))).Messages ?? []).map((m) => m.Body!);
  assert.deepEqual(await body(), ['no-delay']);
  h.dd.clock.advance(10);
  assert.deepEqual(await body(), ['queue-delay']);
  h.dd.clock.advance(50);
  assert.deepEqual(await body(), ['own-delay']);
});

test('messages older than MessageRetentionPeriod disappear on the clock', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c, { Attributes: { MessageRetentionPeriod: '60' } });
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old' }));
  h.dd.clock.advance(30);
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'young' }));
  h.dd.clock.advance(31);
  assert.deepEqual(await counts(c, url), ['1', '0', '0']);
  const r = await c.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  assert.deepEqual(r.Messages?.map((m) => m.Body), ['young']);
});

test('long polling: a receive with WaitTimeSeconds=5 returns as soon as another client sends', async () => {
  const c = sqsClient(h.dd);
  const producer = sqsClient(h.dd);
  const url = await createQueue(c);
  const started = Date.now();
  const waiting = c.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
  setTimeout(() => void producer.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' })), 200);
  const r = await waiting;
  assert.equal(r.Messages?.[0]?.Body, 'wake up');
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test('long polling is measured on the clock: it ends empty when the wait passes, or when a delay ends', async () => {
  const c = sqsClient(h.dd);
  const url = await createQueue(c, { Attributes: { ReceiveMessageWaitTimeSeconds: '20' } });
  const empty = c.send(new ReceiveMessageCommand({ QueueUrl: url }));
  await new Promise((r) => setTimeout(r, 100));
  h.dd.clock.advance(20);
  assert.equal((await empty).Messages, undefined);
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 8 }));
  const waiting = c.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
  await new Promise((r) => setTimeout(r, 100));
  h.dd.clock.advance(8);
  assert.equal((await waiting).Messages?.[0]?.Body, 'later');
});

test('each call is metered as Requests, payloads per 64 KB chunk', async () => {
  const c = sqsClient(h.dd, { region: 'ap-south-1' });
  const url = await createQueue(c);
  await c.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a'.repeat(200 * 1024) }));
  await c.send(new ReceiveMessageCommand({ QueueUrl: url }));
  const rows = h.dd.app.meter.usage({ service: 'sqs', region: 'ap-south-1' });
  const by = Object.fromEntries(rows.map((r) => [r.operation, r]));
  assert.equal(by['CreateQueue']?.quantity, 1);
  assert.equal(by['SendMessage']?.quantity, 4);
  assert.equal(by['ReceiveMessage']?.quantity, 4);
  assert.equal(by['SendMessage']?.usageType, 'Requests-Tier1');
  assert.equal(by['SendMessage']?.unit, 'Requests');
  assert.equal(by['SendMessage']?.resourceId, `arn:aws:sqs:ap-south-1:000000000000:${url.split('/').pop()}`);
});
