/** Subscriptions through the real SDK: protocols, endpoints, attributes, idempotency, listing, unsubscribing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListSubscriptionsCommand, PublishCommand, SetSubscriptionAttributesCommand,
  SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { handleSnsUrl } from '../../../src/services/sns/admin-routes.js';
import { useDrydock } from '../../helpers.js';
import { createQueue, createTopic, failure, snsClient, sqsClient } from './helpers.js';

const h = useDrydock();

test('an SQS subscription is confirmed at once and shows AWS\'s attributes', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const q = await createQueue(sqs);
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  assert.match(SubscriptionArn!, new RegExp(`^${TopicArn}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`));
  const a = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
  assert.deepEqual(a, {
    ConfirmationWasAuthenticated: 'true', Endpoint: q.arn, Owner: '000000000000', PendingConfirmation: 'false', Protocol: 'sqs', RawMessageDelivery: 'true',
    SubscriptionArn, SubscriptionPrincipal: 'arn:aws:iam::000000000000:root', TopicArn,
  });
});

test('Subscribe checks the protocol and the endpoint', async () => {
  const sns = snsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const expect = async (Protocol: string, Endpoint: string | undefined, code: string, message: string) => {
    const e = await failure(() => sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint })));
    assert.deepEqual([e.code, e.message], [code, message], `${Protocol} ${Endpoint}`);
  };
  await expect('test-protocol', 'x', 'InvalidParameter', 'Invalid parameter: Amazon SNS does not support this protocol string: test-protocol');
  await expect('sqs', 'http://localhost:4566/000000000000/queue', 'InvalidParameter', 'Invalid parameter: SQS endpoint ARN');
  await expect('sqs', undefined, 'InvalidParameter', 'Invalid parameter: SQS endpoint ARN');
  for (const n of ['+15--551234567', 'NAA+15551234567', '+15551234567.', '/+15551234567', 'invalid-number']) {
    await expect('sms', n, 'InvalidParameter', `Invalid SMS endpoint: ${n}`);
  }
  const missing = await failure(() => sns.send(new SubscribeCommand({ TopicArn: `${TopicArn}-gone`, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q' })));
  assert.deepEqual([missing.code, missing.message, missing.status], ['NotFound', 'Topic does not exist', 404]);
  const shape = await failure(() => sns.send(new SubscribeCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000', Protocol: 'sqs', Endpoint: 'x' })));
  assert.equal(shape.message, 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 5');
  // A queue that does not exist yet may be subscribed; SMS is confirmed at once.
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:not-yet' }));
  const sms = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+123123123' }));
  const a = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sms.SubscriptionArn }))).Attributes!;
  assert.deepEqual([a['PendingConfirmation'], a['RawMessageDelivery']], ['false', 'false']);
});

test('subscription attributes: checks in Subscribe and SetSubscriptionAttributes wording', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const q = await createQueue(sqs);
  const wrong = await failure(() => sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'wrongvalue' } })));
  assert.equal(wrong.message, 'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.');
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  const set = (AttributeName: string, AttributeValue: string) => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
  const expect = async (name: string, value: string, message: string) => {
    const e = await failure(() => set(name, value));
    assert.deepEqual([e.code, e.message], ['InvalidParameter', message], message);
  };
  await expect('FakeAttribute', 'x', 'Invalid parameter: AttributeName');
  await expect('RawMessageDelivery', 'test-ValUe', 'Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.');
  await expect('RawMessageDelivery', '', 'Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.');
  await expect('RedrivePolicy', JSON.stringify({ deadLetterTargetArn: 'fake-arn' }), 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
  const source = 'REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)';
  await expect('RedrivePolicy', '{invalid json}',
    `Invalid parameter: RedrivePolicy: failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name\n at [Source: ${source}; line: 1, column: 2]`);
  await expect('FilterPolicyScope', 'RandomValue', 'Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes');
  await expect('DeliveryPolicy', '{}', 'Invalid parameter: DeliveryPolicy: Delivery protocol [sqs] does not support delivery policies.');
  await set('FilterPolicy', JSON.stringify({ attr1: [{ numeric: ['>', 0, '<=', 100] }] }));
  const a = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
  assert.deepEqual([JSON.parse(a['FilterPolicy']!), a['FilterPolicyScope']], [{ attr1: [{ numeric: ['>', 0, '<=', 100] }] }, 'MessageAttributes']);
  const missing = await failure(() => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: `${TopicArn}:00000000-0000-0000-0000-000000000000`, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' })));
  assert.deepEqual([missing.code, missing.message, missing.status], ['NotFound', 'Subscription does not exist', 404]);
  const lambda = await failure(() => sns.send(new SubscribeCommand({
    TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:f', Attributes: { RawMessageDelivery: 'true' },
  })));
  assert.equal(lambda.message, 'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.');
});

test('Subscribe is idempotent for the same endpoint unless the attributes differ', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const q = await createQueue(sqs);
  const first = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  for (const Attributes of [{ RawMessageDelivery: 'true' }, undefined, {}] as (Record<string, string> | undefined)[]) {
    const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes }));
    assert.equal(again.SubscriptionArn, first.SubscriptionArn);
  }
  const diff = await failure(() => sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'false' } })));
  assert.equal(diff.message, 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
});

test('email subscriptions wait for confirmation; the confirmation request and messages go to the delivery log', async () => {
  const sns = snsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const r = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'someone@example.com' }));
  assert.equal(r.SubscriptionArn, 'pending confirmation');
  const log = () => (JSON.parse(handleSnsUrl(h.dd.app, 'GET', '/_drydock/sns/deliveries', new URLSearchParams())!.body) as { deliveries: Record<string, string>[] })
    .deliveries.filter((d) => d['topicArn'] === TopicArn);
  const [request] = log();
  assert.equal(request!['endpoint'], 'someone@example.com');
  const url = /visit: (\S+)/.exec(request!['body']!)![1]!;
  const u = new URL(url);
  assert.equal(handleSnsUrl(h.dd.app, 'GET', u.pathname, u.searchParams)!.status, 200);
  await sns.send(new PublishCommand({ TopicArn, Message: 'hello by mail', Subject: 'Hi' }));
  const last = log().pop()!;
  assert.deepEqual([last['protocol'], last['status'], last['body']], ['email', 'recorded', 'Subject: Hi\n\nhello by mail']);
});

test('listing pages by 100; pending subscriptions show as PendingConfirmation', async () => {
  const sns = snsClient(h.dd, { accessKeyId: '333333333333' });
  const TopicArn = await createTopic(sns);
  for (let i = 0; i < 101; i++) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: `+1555000${String(i).padStart(4, '0')}` }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'p@example.com' }));
  const page1 = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
  assert.equal(page1.Subscriptions!.length, 100);
  const page2 = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn, NextToken: page1.NextToken }));
  assert.equal(page2.Subscriptions!.length, 2);
  assert.equal(page2.NextToken, undefined);
  assert.deepEqual(page2.Subscriptions![1], { SubscriptionArn: 'PendingConfirmation', Owner: '333333333333', Protocol: 'email', Endpoint: 'p@example.com', TopicArn });
  const all = await sns.send(new ListSubscriptionsCommand({ NextToken: page1.NextToken }));
  assert.equal(all.Subscriptions!.length, 2);
});

test('Unsubscribe: idempotent, with AWS\'s errors for malformed ARNs', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const q = await createQueue(sqs);
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
  await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
  const gone = await failure(() => sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })));
  assert.deepEqual([gone.code, gone.message], ['NotFound', 'Subscription does not exist']);
  const expect = async (arn: string, message: string) => {
    const e = await failure(() => sns.send(new UnsubscribeCommand({ SubscriptionArn: arn })));
    assert.deepEqual([e.code, e.message], ['InvalidParameter', message]);
  };
  await expect('randomstring', 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1');
  await expect('arn:aws:sns:us-east-1:000000000000', 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 5');
  await expect(`${TopicArn}:not-a-uuid`, 'Invalid parameter: SubscriptionId');
  await expect('', 'Invalid parameter: SubscriptionArn Reason: no value for required parameter');
  const a = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
  assert.equal(a['SubscriptionsDeleted'], '1');
});
