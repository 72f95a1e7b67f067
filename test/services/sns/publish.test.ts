/** Publish and PublishBatch input checks through the real SDK, with the codes and texts AWS answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PublishBatchCommand, PublishCommand, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { useDrydock } from '../../helpers.js';
import { createTopic, failure, receiveAll, snsClient, sqsClient, topicWithQueue } from './helpers.js';

const h = useDrydock();

test('message attributes are checked as AWS checks them, in Publish and in PublishBatch alike', async () => {
  const sns = snsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const cases: [string, MessageAttributeValue, string, string?][] = [
    ['attr1', { DataType: 'String' }, "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'."],
    ['attr1', { DataType: 'String', StringValue: '' }, "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'."],
    ['attr1', { DataType: 'Binary' }, "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'Binary'."],
    ['attr1', { DataType: 'String', BinaryValue: Buffer.from('x') }, "The message attribute 'attr1' with type 'String' must use field 'String'."],
    ['attr1', { DataType: 'Number', BinaryValue: Buffer.from('x') }, "The message attribute 'attr1' with type 'Number' must use field 'String'."],
    ['attr1', { DataType: 'Binary', StringValue: 'x' }, "The message attribute 'attr1' with type 'Binary' must use field 'Binary'."],
    ['attr1', { DataType: 'Stringprefixed', StringValue: 'x' }, "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."],
    ['a'.repeat(256), { DataType: 'String', StringValue: 'x' }, 'Length of message attribute name must be less than 256 bytes.'],
    ['invalid^name', { DataType: 'String', StringValue: 'x' }, "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots."],
    ['.name', { DataType: 'String', StringValue: 'x' }, "Invalid message attribute name starting with character '.' was found."],
    ['name.', { DataType: 'String', StringValue: 'x' }, "Invalid message attribute name ending with character '.' was found."],
    ['na..me', { DataType: 'String', StringValue: 'x' }, "Message attribute name can not have successive '.' character."],
    ['n', { DataType: 'Number', StringValue: 'abc' }, "Could not cast message attribute 'n' value to number."],
  ];
  for (const [name, value, message] of cases) {
    const one = await failure(() => sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageAttributes: { [name]: value } })));
    assert.deepEqual([one.code, one.message, one.status], ['ParameterValueInvalid', message, 400], message);
    const batch = await failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: '1', Message: 'm', MessageAttributes: { [name]: value } }] })));
    assert.deepEqual([batch.code, batch.message], ['ParameterValueInvalid', message], `batch: ${message}`);
  }
  // Custom type suffixes are fine, and so are String.Array values that are JSON arrays.
  await sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageAttributes: {
    a: { DataType: 'String.custom', StringValue: 'x' }, b: { DataType: 'Number.float', StringValue: '1.5e3' }, c: { DataType: 'String.Array', StringValue: '["x", 1, true, null]' },
  } }));
});

test('a missing DataType is a validation error naming the member AWS names', async () => {
  const sns = snsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const attrs = { attr1: { StringValue: 'x' } as MessageAttributeValue };
  const one = await failure(() => sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageAttributes: attrs })));
  assert.deepEqual([one.code, one.message], ['ValidationError',
    "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null"]);
  const batch = await failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: '1', Message: 'm', MessageAttributes: attrs }] })));
  assert.equal(batch.message,
    "1 validation error detected: Value null at 'publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null");
});

test('message, subject, structure and target checks', async () => {
  const sns = snsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const expect = async (input: Record<string, unknown>, message: string) => {
    const e = await failure(() => sns.send(new PublishCommand({ TopicArn, Message: 'm', ...input })));
    assert.deepEqual([e.code, e.message], ['InvalidParameter', message], message);
  };
  await expect({ Message: '' }, 'Invalid parameter: Empty message');
  await expect({ Subject: '' }, 'Invalid parameter: Subject');
  await expect({ Subject: 'line\nbreak' }, 'Invalid parameter: Subject');
  await expect({ MessageStructure: 'json', Message: '{"sqs": "x"}' }, 'Invalid parameter: Message Structure - No default entry in JSON message body');
  await expect({ MessageStructure: 'json', Message: '{"default": 1}' }, 'Invalid parameter: Message Structure - No default entry in JSON message body');
  await expect({ MessageStructure: 'json', Message: 'not json' }, 'Invalid parameter: Message Structure - JSON message body failed to parse');
  await expect({ TopicArn: '', }, 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1');
  await expect({ TopicArn: 'arn:aws', }, 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 2');
  await expect({ TopicArn: undefined, TargetArn: 'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/0000' },
    'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified');
  await expect({ TopicArn: undefined, PhoneNumber: '+1a234' }, 'Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to');
  // Duplicate keys in a JSON structure are accepted (the last one wins), as AWS accepts them.
  await sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: '{"default": "a", "default": "b"}' }));
  await sns.send(new PublishCommand({ PhoneNumber: '+15551234567', Message: 'sms' }));
});

test('PublishBatch: request-level errors in AWS\'s words, per-entry failures for bad entries', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn: TopicArn, queue } = await topicWithQueue(sns, sqs, { attributes: { RawMessageDelivery: 'true' } });
  const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `m${i}`, Message: `message ${i}` }));
  const tooMany = await failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries(11) })));
  assert.deepEqual([tooMany.code, tooMany.message], ['TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.']);
  const same = await failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: '1', Message: 'a' }, { Id: '1', Message: 'b' }] })));
  assert.deepEqual([same.code, same.message], ['BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.']);
  const dot = await failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'message.id', Message: 'a' }] })));
  assert.deepEqual([dot.code, dot.message], ['InvalidBatchEntryId', 'The Id of a batch entry in the batch request contains an impermissible character: message.id']);
  const long = await failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a'.repeat(81), Message: 'a' }] })));
  assert.equal(long.message, `The Id of a batch entry in the batch request is too long: ${'a'.repeat(81)}`);
  const empty = await failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [] })));
  assert.equal(empty.code, 'EmptyBatchRequest');
  const big = await failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: '1', Message: 'x'.repeat(200_000) }, { Id: '2', Message: 'x'.repeat(70_000) }] })));
  assert.deepEqual([big.code, big.message], ['BatchRequestTooLong', 'The length of all the messages put together is more than the limit.']);
  const json = await failure(() => sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: '1', Message: '{"x": "y"}', MessageStructure: 'json' }] })));
  assert.equal(json.message, 'Invalid parameter: Message Structure - No default entry in JSON message body');
  const missing = await failure(() => sns.send(new PublishBatchCommand({ TopicArn: `${TopicArn}-gone`, PublishBatchRequestEntries: entries(1) })));
  assert.deepEqual([missing.code, missing.status], ['NotFound', 404]);

  const r = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [
    { Id: 'ok', Message: 'fine' }, { Id: 'empty', Message: '' }, { Id: 'subject', Message: 'x', Subject: '' }, { Id: 'a'.repeat(80), Message: 'also fine' },
  ] }));
  assert.deepEqual(r.Successful!.map((s) => s.Id), ['ok', 'a'.repeat(80)]);
  assert.deepEqual(r.Failed, [
    { Id: 'empty', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true },
    { Id: 'subject', Code: 'InvalidParameter', Message: 'Invalid parameter: Subject', SenderFault: true },
  ]);
  assert.deepEqual((await receiveAll(sqs, queue.url)).map((m) => m.Body).sort(), ['also fine', 'fine']);
});
