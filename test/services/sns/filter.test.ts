/** Subscription filter policies through the real SDKs, on message attributes and on the message body. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetSubscriptionAttributesCommand, PublishBatchCommand, PublishCommand, SetSubscriptionAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { useDrydock } from '../../helpers.js';
import { createQueue, createTopic, failure, receiveAll, snsClient, sqsClient, topicWithQueue } from './helpers.js';

const h = useDrydock();

async function bodies(url: string): Promise<string[]> {
  return (await receiveAll(sqsClient(h.dd), url)).map((m) => m.Body!).sort();
}

test('a policy on attributes: strings, numbers, prefixes, anything-but, exists, String.Array', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const policy = {
    store: ['example_corp'],
    price: [{ numeric: ['>', 0, '<=', 100] }],
    event: [{ prefix: 'order-' }, { 'anything-but': ['order-cancelled'] }],
    customer: [{ exists: true }],
  };
  const { topicArn, queue } = await topicWithQueue(sns, sqs, { attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify(policy) } });
  const send = (Message: string, attrs: Record<string, [string, string]>) => sns.send(new PublishCommand({
    TopicArn: topicArn, Message, MessageAttributes: Object.fromEntries(Object.entries(attrs).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }])),
  }));
  const base = { store: ['String', 'example_corp'], price: ['Number', '99.12'], event: ['String', 'order-placed'], customer: ['String', 'x'] } as Record<string, [string, string]>;
  await send('match', base);
  await send('match-array', { ...base, store: ['String.Array', '["other", "example_corp"]'] });
  await send('no-price', { ...base, price: ['Number', '101'] });
  await send('price-as-string', { ...base, price: ['String', '99.12'] });
  await send('wrong-store', { ...base, store: ['String', 'other'] });
  const { customer: _c, ...noCustomer } = base;
  await send('no-customer', noCustomer);
  assert.deepEqual(await bodies(queue.url), ['match', 'match-array']);
});

test('a policy on the message body, nested keys and $or; the scope shows only with a policy', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue, subscriptionArn } = await topicWithQueue(sns, sqs, { attributes: { RawMessageDelivery: 'true' } });
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageBody' }));
  let a = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes!;
  assert.equal(a['FilterPolicyScope'], undefined);
  const policy = { detail: { state: ['running'] }, $or: [{ region: ['eu-west-1'] }, { size: [{ numeric: ['>=', 10] }] }] };
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify(policy) }));
  a = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes!;
  assert.equal(a['FilterPolicyScope'], 'MessageBody');
  const messages = [
    { detail: { state: 'running' }, region: 'eu-west-1' },
    { detail: { state: 'running' }, region: 'us-east-1', size: 12 },
    { detail: { state: 'running' }, region: 'us-east-1', size: 2 },
    { detail: { state: 'stopped' }, region: 'eu-west-1' },
  ];
  for (const m of messages) await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(m) }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'not json' }));
  assert.deepEqual(await bodies(queue.url), [JSON.stringify(messages[0]), JSON.stringify(messages[1])].sort());
  // PublishBatch entries are filtered one by one.
  await sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: messages.map((m, i) => ({ Id: String(i), Message: JSON.stringify(m) })) }));
  assert.equal((await bodies(queue.url)).length, 2);
});

test('invalid policies are refused with AWS\'s wording, per operation', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const q = await createQueue(sqs);
  const sub = await failure(() => sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { FilterPolicy: JSON.stringify({ key: [{ 'wrong-operator': true }] }) } })));
  assert.equal(sub.code, 'InvalidParameter');
  assert.match(sub.message, /^Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type wrong-operator/);
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  const set = (AttributeName: string, value: unknown) => failure(() => sns.send(new SetSubscriptionAttributesCommand({
    SubscriptionArn, AttributeName, AttributeValue: typeof value === 'string' ? value : JSON.stringify(value),
  })));
  assert.equal((await set('FilterPolicy', { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] })).message,
    'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys');
  assert.equal((await set('FilterPolicy', { object: { key: [{ prefix: 'auto-' }] } })).message,
    'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageBody' }));
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ object: { key: [{ prefix: 'auto-' }] } }) }));
  // A nested policy keeps the body scope: switching back to attributes is refused.
  assert.equal((await set('FilterPolicyScope', 'MessageAttributes')).message,
    'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
});
