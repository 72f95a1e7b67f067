/** FIFO topics through the real SDKs: ordering into FIFO queues, deduplication on the clock, the FIFO rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  GetTopicAttributesCommand, PublishBatchCommand, PublishCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { useDrydock } from '../../helpers.js';
import { createFifoTopic, createQueue, createTopic, failure, receiveAll, snsClient, sqsClient, topicWithQueue } from './helpers.js';

const h = useDrydock();

test('a FIFO topic delivers to a FIFO queue in order, with group, deduplication id and sequence numbers', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue } = await topicWithQueue(sns, sqs, { fifo: true, topicAttributes: { ContentBasedDeduplication: 'true' } });
  const seqs: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: `m${i}`, MessageGroupId: 'g1' }));
    assert.match(r.SequenceNumber!, /^\d{20}$/);
    seqs.push(r.SequenceNumber!);
  }
  assert.deepEqual([...seqs].sort(), seqs, 'sequence numbers increase');
  const got = await receiveAll(sqs, queue.url);
  const bodies = got.map((m) => JSON.parse(m.Body!) as Record<string, string>);
  assert.deepEqual(bodies.map((b) => b['Message']), ['m0', 'm1', 'm2', 'm3', 'm4']);
  // FIFO topics send their envelope unsigned, with the topic's sequence number.
  assert.deepEqual(Object.keys(bodies[0]!), ['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL']);
  assert.deepEqual(bodies.map((b) => b['SequenceNumber']), seqs);
  assert.equal(got[0]!.Attributes!['MessageGroupId'], 'g1');
  assert.equal(got[0]!.Attributes!['MessageDeduplicationId'], createHash('sha256').update('m0').digest('hex'));
});

test('deduplication: a repeat within five minutes of clock time answers the first message and delivers nothing', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue } = await topicWithQueue(sns, sqs, { fifo: true, attributes: { RawMessageDelivery: 'true' } });
  const first = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'Test', MessageGroupId: 'g', MessageDeduplicationId: 'd-1' }));
  const again = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'Test', MessageGroupId: 'g', MessageDeduplicationId: 'd-1' }));
  assert.equal(again.MessageId, first.MessageId);
  assert.equal(again.SequenceNumber, first.SequenceNumber);
  const got = await receiveAll(sqs, queue.url);
  assert.deepEqual(got.map((m) => [m.Body, m.Attributes!['MessageDeduplicationId']]), [['Test', 'd-1']]);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: got[0]!.ReceiptHandle! }));
  // Past the window the topic takes it again; the queue's own window has passed too.
  h.dd.clock.advance(301);
  const later = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'Test', MessageGroupId: 'g', MessageDeduplicationId: 'd-1' }));
  assert.notEqual(later.MessageId, first.MessageId);
  assert.equal((await receiveAll(sqs, queue.url)).length, 1);
});

test('PublishBatch to a FIFO topic: entries in order, a republished batch is deduplicated', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue } = await topicWithQueue(sns, sqs, { fifo: true, topicAttributes: { ContentBasedDeduplication: 'true' }, attributes: { RawMessageDelivery: 'true' } });
  const entries = ['one', 'two', 'three'].map((m, i) => ({ Id: String(i + 1), Message: m, MessageGroupId: 'complexMessageGroupId' }));
  const first = await sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
  const again = await sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
  assert.deepEqual(again.Successful, first.Successful);
  assert.ok(first.Successful!.every((s) => /^\d{20}$/.test(s.SequenceNumber!)));
  assert.deepEqual((await receiveAll(sqs, queue.url)).map((m) => m.Body), ['one', 'two', 'three']);
});

test('FifoThroughputScope=MessageGroup deduplicates per message group', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue } = await topicWithQueue(sns, sqs, { fifo: true, topicAttributes: { FifoThroughputScope: 'MessageGroup' } });
  const a = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'a', MessageGroupId: 'g1', MessageDeduplicationId: 'same' }));
  const b = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'b', MessageGroupId: 'g2', MessageDeduplicationId: 'same' }));
  const c = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'c', MessageGroupId: 'g1', MessageDeduplicationId: 'same' }));
  assert.notEqual(b.MessageId, a.MessageId);
  assert.equal(c.MessageId, a.MessageId);
  // The queue deduplicates across its groups (it is not in high-throughput mode), so it keeps one.
  assert.equal((await receiveAll(sqs, queue.url)).length, 1);
  const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes!;
  assert.equal(attrs['FifoThroughputScope'], 'MessageGroup');
});

test('a FIFO topic may feed a standard queue; a standard topic may not feed a FIFO queue', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const fifoTopic = await createFifoTopic(sns, { ContentBasedDeduplication: 'true' });
  const standardQueue = await createQueue(sqs);
  await sns.send(new SubscribeCommand({ TopicArn: fifoTopic, Protocol: 'sqs', Endpoint: standardQueue.arn }));
  await sns.send(new PublishCommand({ TopicArn: fifoTopic, Message: 'Test', MessageGroupId: 'g' }));
  const [m] = await receiveAll(sqs, standardQueue.url);
  assert.equal((JSON.parse(m!.Body!) as Record<string, string>)['Message'], 'Test');
  const standardTopic = await createTopic(sns);
  const fifoQueue = await createQueue(sqs, true);
  const e = await failure(() => sns.send(new SubscribeCommand({ TopicArn: standardTopic, Protocol: 'sqs', Endpoint: fifoQueue.arn })));
  assert.deepEqual(e, { name: 'InvalidParameterException', code: 'InvalidParameter', status: 400,
    message: 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics' });
  const http = await failure(() => sns.send(new SubscribeCommand({ TopicArn: fifoTopic, Protocol: 'sms', Endpoint: '+15551234567' })));
  assert.equal(http.message, 'Invalid parameter: Invalid protocol type: sms');
});

test('the FIFO publishing rules, in AWS\'s words', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, subscriptionArn } = await topicWithQueue(sns, sqs, { fifo: true });
  const noGroup = await failure(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', MessageDeduplicationId: 'd' })));
  assert.equal(noGroup.message, 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
  const noDedup = await failure(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', MessageGroupId: 'g' })));
  assert.equal(noDedup.message, 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  const batch = await failure(() => sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: '1', Message: 'x' }] })));
  assert.equal(batch.message, 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
  const standard = await createTopic(sns);
  const dedupOnStandard = await failure(() => sns.send(new PublishCommand({ TopicArn: standard, Message: 'x', MessageDeduplicationId: 'd' })));
  assert.equal(dedupOnStandard.message, 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
  const cbdOnStandard = await failure(() => sns.send(new SetTopicAttributesCommand({ TopicArn: standard, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'true' })));
  assert.equal(cbdOnStandard.code, 'InvalidParameter');
  const dlq = await createQueue(sqs);
  const dlqType = await failure(() => sns.send(new SetSubscriptionAttributesCommand({
    SubscriptionArn: subscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
  })));
  assert.equal(dlqType.message, 'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
});
