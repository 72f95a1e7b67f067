/** Lambda subscriptions: confirmed at once, delivered through the `lambda` delivery port when Lambda fills it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetSubscriptionAttributesCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import type { DeliveryMessage } from '../../../src/core/ports.js';
import { useDrydock } from '../../helpers.js';
import { createQueue, createTopic, receiveAll, snsClient, sqsClient } from './helpers.js';

const h = useDrydock();
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:handler';

test('without Lambda the message is undeliverable and goes to the dead-letter queue', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const dlq = await createQueue(sqs);
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({
    TopicArn, Protocol: 'lambda', Endpoint: FUNCTION, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
  }));
  const a = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
  assert.deepEqual([a['PendingConfirmation'], a['ConfirmationWasAuthenticated'], JSON.parse(a['RedrivePolicy']!)], ['false', 'true', { deadLetterTargetArn: dlq.arn }]);
  h.dd.app.ports.deliver.delete('lambda');
  await sns.send(new PublishCommand({ TopicArn, Message: 'test_redrive_policy', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '1' } } }));
  const [m] = await receiveAll(sqs, dlq.url);
  const body = JSON.parse(m!.Body!) as Record<string, unknown>;
  assert.equal(body['Message'], 'test_redrive_policy');
  assert.deepEqual(body['MessageAttributes'], { attr1: { Type: 'Number', Value: '1' } });
});

test('with a Lambda delivery port the function gets the SNS event', async () => {
  const sns = snsClient(h.dd);
  const TopicArn = await createTopic(sns);
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: FUNCTION }));
  const got: [string, DeliveryMessage][] = [];
  h.dd.app.ports.deliver.set('lambda', async (arn, message) => { got.push([arn, message]); });
  try {
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'Hello world.', Subject: '[Subject] Test subject' }));
    assert.equal(got.length, 1);
    const [arn, message] = got[0]!;
    assert.equal(arn, FUNCTION);
    assert.deepEqual([message.sourceArn, message.servicePrincipal], [TopicArn, 'sns.amazonaws.com']);
    const event = JSON.parse(message.body) as { Records: Record<string, unknown>[] };
    const record = event.Records[0]!;
    assert.deepEqual([record['EventSource'], record['EventVersion'], record['EventSubscriptionArn']], ['aws:sns', '1.0', SubscriptionArn]);
    const s = record['Sns'] as Record<string, unknown>;
    assert.deepEqual(Object.keys(s), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature',
      'SigningCertUrl', 'UnsubscribeUrl', 'MessageAttributes']);
    assert.deepEqual([s['MessageId'], s['Message'], s['Subject'], s['MessageAttributes']], [MessageId, 'Hello world.', '[Subject] Test subject', {}]);
  } finally {
    h.dd.app.ports.deliver.delete('lambda');
  }
});
