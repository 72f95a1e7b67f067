/** Topic → SQS through the real SDKs: the signed envelope, raw delivery, JSON structures, DLQs, queue policies. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, verify, X509Certificate } from 'node:crypto';
import {
  PublishBatchCommand, PublishCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { DeleteQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { handleSnsUrl } from '../../../src/services/sns/admin-routes.js';
import { stringToSign } from '../../../src/services/sns/signing.js';
import { useDrydock } from '../../helpers.js';
import { createQueue, createTopic, receiveAll, snsClient, sqsClient, topicWithQueue } from './helpers.js';

const h = useDrydock();

/** The certificate SigningCertURL names, fetched from the admin URL handler. */
function certificate(url: string): X509Certificate {
  const u = new URL(url);
  const r = handleSnsUrl(h.dd.app, 'GET', u.pathname, u.searchParams);
  assert.equal(r?.status, 200);
  return new X509Certificate(r!.body);
}

function checkSignature(n: Record<string, string>): boolean {
  const cert = certificate(n['SigningCertURL']!);
  const text = stringToSign({ Type: n['Type']!, Message: n['Message']!, MessageId: n['MessageId']!, Timestamp: n['Timestamp']!, TopicArn: n['TopicArn']!, Subject: n['Subject'] });
  return verify(n['SignatureVersion'] === '2' ? 'sha256' : 'sha1', Buffer.from(text), cert.publicKey, Buffer.from(n['Signature']!, 'base64'));
}

test('a notification arrives in the queue as AWS\'s envelope, signed with a certificate Drydock serves', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue, subscriptionArn } = await topicWithQueue(sns, sqs);
  const before = h.dd.clock.now().toISOString();
  const { MessageId } = await sns.send(new PublishCommand({
    TopicArn: topicArn, Message: 'öä "quoted" message', Subject: 'greetings',
    MessageAttributes: { n: { DataType: 'Number', StringValue: '99.12' }, b: { DataType: 'Binary', BinaryValue: Buffer.from([2, 3, 4]) } },
  }));
  const [m] = await receiveAll(sqs, queue.url);
  assert.equal(m!.Attributes!['SenderId'], 'AIDAIT2UOQQY3AUEKVGXU');
  assert.equal(m!.MessageAttributes, undefined);
  const body = JSON.parse(m!.Body!) as Record<string, string>;
  assert.deepEqual(Object.keys(body), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature',
    'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
  assert.equal(body['Type'], 'Notification');
  assert.equal(body['MessageId'], MessageId);
  assert.equal(body['TopicArn'], topicArn);
  assert.equal(body['Message'], 'öä "quoted" message');
  assert.ok(body['Timestamp']! >= before && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(body['Timestamp']!));
  assert.deepEqual(body['MessageAttributes'], { n: { Type: 'Number', Value: '99.12' }, b: { Type: 'Binary', Value: 'AgME' } });
  assert.equal(body['UnsubscribeURL'], `${h.dd.endpoint}/_drydock/sns/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`);
  assert.match(body['SigningCertURL']!, /\/_drydock\/sns\/SimpleNotificationService-[0-9a-f]{32}\.pem$/);
  assert.equal(body['SignatureVersion'], '1');
  assert.ok(checkSignature(body), 'SHA1withRSA signature verifies against the certificate');
  const cert = certificate(body['SigningCertURL']!);
  assert.match(cert.subject, /CN=sns\.amazonaws\.com/);
  assert.ok(cert.verify(cert.publicKey), 'the certificate is self-signed');
  // A tampered message no longer verifies.
  assert.equal(checkSignature({ ...body, Message: 'other' }), false);
});

test('SignatureVersion 2 signs with SHA256withRSA', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue } = await topicWithQueue(sns, sqs);
  await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'v2' }));
  const body = JSON.parse((await receiveAll(sqs, queue.url))[0]!.Body!) as Record<string, string>;
  assert.equal(body['SignatureVersion'], '2');
  assert.equal('Subject' in body, false);
  assert.ok(checkSignature(body));
});

test('raw delivery: the message itself, attributes as SQS message attributes with AWS\'s MD5', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue } = await topicWithQueue(sns, sqs, { attributes: { RawMessageDelivery: 'true' } });
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'Test msg', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '99.12' } } }));
  const [m] = await receiveAll(sqs, queue.url);
  assert.equal(m!.Body, 'Test msg');
  assert.deepEqual(m!.MessageAttributes, { attr1: { DataType: 'Number', StringValue: '99.12' } });
  assert.equal(m!.MD5OfMessageAttributes, 'd302007e9aa062660afc85fd0a482472');
  assert.equal(m!.MD5OfBody, createHash('md5').update('Test msg').digest('hex'));
});

test('PublishBatch fans each entry out in order; TargetArn publishes like TopicArn', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue } = await topicWithQueue(sns, sqs, { attributes: { RawMessageDelivery: 'true' } });
  const r = await sns.send(new PublishBatchCommand({
    TopicArn: topicArn,
    PublishBatchRequestEntries: [
      { Id: '1', Message: 'Test Message with two attributes', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '99.12' }, attr2: { DataType: 'Number', StringValue: '109.12' } } },
      { Id: '2', Message: 'Test Message with one attribute', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '19.12' } } },
      { Id: '3', Message: 'Test Message without attribute' },
    ],
  }));
  assert.deepEqual(r.Successful!.map((s) => s.Id), ['1', '2', '3']);
  assert.deepEqual(r.Failed, []);
  await sns.send(new PublishCommand({ TargetArn: topicArn, Message: 'by target' }));
  const got = await receiveAll(sqs, queue.url);
  assert.deepEqual(got.map((m) => m.Body).sort(), ['Test Message with one attribute', 'Test Message with two attributes', 'Test Message without attribute', 'by target']);
  const md5s = Object.fromEntries(got.map((m) => [m.Body, m.MD5OfMessageAttributes]));
  assert.equal(md5s['Test Message with two attributes'], '9b720b3af309c1c4b0d395c53b08c502');
  assert.equal(md5s['Test Message with one attribute'], '1f07082409022a373fa2a2601f82b3cb');
});

test('MessageStructure json: each protocol its own message, the rest the default', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue } = await topicWithQueue(sns, sqs);
  await sns.send(new PublishCommand({ TopicArn: topicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'default field', sqs: '{"field": "value"}' }) }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'default field', http: 'for http' }) }));
  const got = (await receiveAll(sqs, queue.url)).map((m) => (JSON.parse(m.Body!) as Record<string, string>)['Message']).sort();
  assert.deepEqual(got, ['default field', '{"field": "value"}']);
});

test('an undeliverable message goes to the subscription\'s dead-letter queue, raw or enveloped', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  for (const raw of ['true', 'false']) {
    const { topicArn, queue, subscriptionArn } = await topicWithQueue(sns, sqs, { attributes: { RawMessageDelivery: raw } });
    const dlq = await createQueue(sqs);
    await sns.send(new SetSubscriptionAttributesCommand({
      SubscriptionArn: subscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
    await sns.send(new PublishCommand({
      TopicArn: topicArn, Message: 'test_dlq_after_sqs_endpoint_deleted',
      MessageAttributes: { attr1: { DataType: 'Number', StringValue: '111' }, attr2: { DataType: 'Binary', BinaryValue: Buffer.from([2, 3, 4]) } },
    }));
    const [m] = await receiveAll(sqs, dlq.url);
    if (raw === 'true') {
      assert.equal(m!.Body, 'test_dlq_after_sqs_endpoint_deleted');
      assert.deepEqual(m!.MessageAttributes!['attr1'], { DataType: 'Number', StringValue: '111' });
      assert.deepEqual(Buffer.from(m!.MessageAttributes!['attr2']!.BinaryValue!), Buffer.from([2, 3, 4]));
    } else {
      const body = JSON.parse(m!.Body!) as Record<string, unknown>;
      assert.equal(body['Message'], 'test_dlq_after_sqs_endpoint_deleted');
      assert.deepEqual(body['MessageAttributes'], { attr1: { Type: 'Number', Value: '111' }, attr2: { Type: 'Binary', Value: 'AgME' } });
    }
  }
});

test('raw delivery of more than ten attributes fails as a client error; enveloped delivery takes them', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const topicArn = await createTopic(sns);
  const rawQueue = await createQueue(sqs);
  const jsonQueue = await createQueue(sqs);
  const raw = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: rawQueue.arn, Attributes: { RawMessageDelivery: 'true' } }));
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: jsonQueue.arn }));
  const attrs = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: String(i) }]));
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'many', MessageAttributes: attrs }));
  assert.equal((await receiveAll(sqs, rawQueue.url)).length, 0);
  const body = JSON.parse((await receiveAll(sqs, jsonQueue.url))[0]!.Body!) as { MessageAttributes: Record<string, unknown> };
  assert.equal(Object.keys(body.MessageAttributes).length, 11);
  // The failure is kept in the delivery log the admin API serves.
  const log = handleSnsUrl(h.dd.app, 'GET', '/_drydock/sns/deliveries', new URLSearchParams());
  const entries = (JSON.parse(log!.body) as { deliveries: Record<string, string>[] }).deliveries;
  const entry = entries.find((e) => e['messageId'] === MessageId && e['subscriptionArn'] === raw.SubscriptionArn);
  assert.equal(entry?.['status'], 'failed');
  assert.match(entry!['reason']!, /at most 10 message attributes/);
});

test('a queue with a policy takes SNS messages only when the policy allows sns.amazonaws.com for the topic', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const { topicArn, queue } = await topicWithQueue(sns, sqs);
  const policy = (sourceArn: string) => JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queue.arn, Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } } }],
  });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { Policy: policy(`${topicArn}-other`) } }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'refused' }));
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { Policy: policy(topicArn) } }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'allowed' }));
  assert.deepEqual((await receiveAll(sqs, queue.url)).map((m) => m.Body && (JSON.parse(m.Body) as { Message: string }).Message), ['allowed']);
});

test('a queue in another account needs a policy that lets the topic send', async () => {
  const sns = snsClient(h.dd);
  const other = sqsClient(h.dd, { accessKeyId: '111111111111' });
  const topicArn = await createTopic(sns);
  const queue = await createQueue(other);
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'no policy' }));
  assert.equal((await receiveAll(other, queue.url)).length, 0);
  await other.send(new SetQueueAttributesCommand({
    QueueUrl: queue.url,
    Attributes: {
      Policy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queue.arn, Condition: { ArnLike: { 'aws:SourceArn': topicArn } } }],
      }),
    },
  }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'with policy' }));
  const got = await receiveAll(other, queue.url);
  assert.equal((JSON.parse(got[0]!.Body!) as { Message: string }).Message, 'with policy');
  const n = await other.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  assert.equal(n.Attributes!['ApproximateNumberOfMessages'], '0');
});
