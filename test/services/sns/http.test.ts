/** HTTP/S subscriptions against a local node:http server: the handshake, notifications, retries on the clock. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify, X509Certificate } from 'node:crypto';
import {
  ConfirmSubscriptionCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand,
  SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { handleSnsUrl } from '../../../src/services/sns/admin-routes.js';
import { stringToSign } from '../../../src/services/sns/signing.js';
import { useDrydock } from '../../helpers.js';
import { createQueue, createTopic, failure, receiveAll, snsClient, sqsClient } from './helpers.js';

const h = useDrydock();

interface Received { path: string; headers: IncomingHttpHeaders; body: string }

let server: Server;
let base: string;
const received: Received[] = [];
/** Status to answer per path (default 200). */
const answers = new Map<string, number>();

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = answers.get(req.url ?? '') ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Waits (in real time) until the endpoint at `path` has received `n` requests. */
async function waitFor(path: string, n: number): Promise<Received[]> {
  for (let i = 0; i < 200; i++) {
    const got = received.filter((r) => r.path === path);
    if (got.length >= n) return got;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`expected ${n} requests to ${path}, got ${received.filter((r) => r.path === path).length}`);
}

function verifies(m: Record<string, string>): boolean {
  const u = new URL(m['SigningCertURL']!);
  const cert = new X509Certificate(handleSnsUrl(h.dd.app, 'GET', u.pathname, u.searchParams)!.body);
  const text = stringToSign({
    Type: m['Type']!, Message: m['Message']!, MessageId: m['MessageId']!, Timestamp: m['Timestamp']!, TopicArn: m['TopicArn']!,
    Subject: m['Subject'], SubscribeURL: m['SubscribeURL'], Token: m['Token'],
  });
  return verify('sha1', Buffer.from(text), cert.publicKey, Buffer.from(m['Signature']!, 'base64'));
}

test('subscribe → SubscriptionConfirmation POST → ConfirmSubscription → notification POST', async () => {
  const sns = snsClient(h.dd);
  const topicArn = await createTopic(sns);
  const path = '/sns-endpoint-1';
  const sub = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `${base}${path}` }));
  assert.equal(sub.SubscriptionArn, 'pending confirmation');
  const [confirmation] = await waitFor(path, 1);
  assert.equal(confirmation!.headers['content-type'], 'text/plain; charset=UTF-8');
  assert.equal(confirmation!.headers['user-agent'], 'Amazon Simple Notification Service Agent');
  assert.equal(confirmation!.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
  assert.equal(confirmation!.headers['x-amz-sns-topic-arn'], topicArn);
  assert.equal(confirmation!.headers['x-amz-sns-subscription-arn'], undefined);
  const c = JSON.parse(confirmation!.body) as Record<string, string>;
  assert.deepEqual(Object.keys(c), ['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']);
  assert.equal(c['Message'], `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
  assert.equal(c['SubscribeURL'], `${h.dd.endpoint}/_drydock/sns/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${c['Token']}`);
  assert.equal(confirmation!.headers['x-amz-sns-message-id'], c['MessageId']);
  assert.ok(verifies(c), 'the confirmation is signed');
  const pending = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  assert.equal(pending.Subscriptions![0]!.SubscriptionArn, 'PendingConfirmation');
  assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes!['SubscriptionsPending'], '1');

  const confirmed = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: c['Token'] }));
  assert.match(confirmed.SubscriptionArn!, new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
  const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: confirmed.SubscriptionArn }))).Attributes!;
  assert.equal(attrs['PendingConfirmation'], 'false');
  assert.equal(attrs['ConfirmationWasAuthenticated'], 'false');
  assert.ok(attrs['EffectiveDeliveryPolicy']);

  const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'test_external_http_endpoint', Subject: 'hi' }));
  const [, notification] = await waitFor(path, 2);
  assert.equal(notification!.headers['x-amz-sns-message-type'], 'Notification');
  assert.equal(notification!.headers['x-amz-sns-subscription-arn'], confirmed.SubscriptionArn);
  assert.equal(notification!.headers['x-amz-sns-message-id'], MessageId);
  const n = JSON.parse(notification!.body) as Record<string, string>;
  assert.equal(n['Message'], 'test_external_http_endpoint');
  assert.equal(n['Subject'], 'hi');
  assert.ok(verifies(n));

  // Unsubscribing tells the endpoint, with a token that would restore the subscription.
  await sns.send(new UnsubscribeCommand({ SubscriptionArn: confirmed.SubscriptionArn }));
  const [, , bye] = await waitFor(path, 3);
  const u = JSON.parse(bye!.body) as Record<string, string>;
  assert.equal(u['Type'], 'UnsubscribeConfirmation');
  assert.equal(u['Message'], `You have chosen to deactivate subscription ${confirmed.SubscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`);
  assert.ok(verifies(u));
  assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions!.length, 0);
  const url = new URL(u['SubscribeURL']!);
  const restored = handleSnsUrl(h.dd.app, 'GET', url.pathname, url.searchParams)!;
  assert.equal(restored.status, 200);
  assert.match(restored.body, new RegExp(`<SubscriptionArn>${confirmed.SubscriptionArn}</SubscriptionArn>`));
  assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions![0]!.SubscriptionArn, confirmed.SubscriptionArn);
});

test('the SubscribeURL and UnsubscribeURL work without credentials; tokens are checked', async () => {
  const sns = snsClient(h.dd);
  const topicArn = await createTopic(sns);
  const path = '/sns-endpoint-2';
  const sub = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `${base}${path}`, ReturnSubscriptionArn: true }));
  assert.match(sub.SubscriptionArn!, /^arn:aws:sns:/);
  const c = JSON.parse((await waitFor(path, 1))[0]!.body) as Record<string, string>;
  const bad = await failure(() => sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: 'ab'.repeat(64) })));
  assert.deepEqual([bad.code, bad.message], ['InvalidParameter', 'Invalid parameter: Token']);
  const malformed = await failure(() => sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: 'not-a-token' })));
  assert.deepEqual([malformed.code, malformed.message], ['InvalidParameter', 'Invalid token']);
  const otherRegion = await failure(() => sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn.replace('us-east-1', 'eu-west-1'), Token: c['Token'] })));
  assert.equal(otherRegion.message, 'Invalid parameter: Topic');
  const url = new URL(c['SubscribeURL']!);
  const ok = handleSnsUrl(h.dd.app, 'GET', url.pathname, url.searchParams)!;
  assert.match(ok.body, /<ConfirmSubscriptionResponse/);
  const again = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: c['Token'] }));
  assert.equal(again.SubscriptionArn, sub.SubscriptionArn);
  const off = handleSnsUrl(h.dd.app, 'GET', '/_drydock/sns/', new URLSearchParams({ Action: 'Unsubscribe', SubscriptionArn: sub.SubscriptionArn! }))!;
  assert.match(off.body, /<UnsubscribeResponse/);
  const gone = await failure(() => sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn })));
  assert.deepEqual([gone.code, gone.message, gone.status], ['NotFound', 'Subscription does not exist', 404]);
});

test('server errors are retried by the delivery policy on the clock; a 4xx goes to the dead-letter queue', async () => {
  const sns = snsClient(h.dd);
  const sqs = sqsClient(h.dd);
  const topicArn = await createTopic(sns);
  const path = '/flaky';
  const sub = await sns.send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: 'http', Endpoint: `${base}${path}`, ReturnSubscriptionArn: true,
    Attributes: { DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 5, numRetries: 2 } }) },
  }));
  const c = JSON.parse((await waitFor(path, 1))[0]!.body) as Record<string, string>;
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: c['Token'] }));
  const dlq = await createQueue(sqs);
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: dlq.arn }) }));
  answers.set(path, 503);
  h.dd.clock.freeze(true);
  try {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'retry me' }));
    await waitFor(path, 2);
    // The endpoint has the attempt; let SNS read its 503 and set the retry (5 s from then) before the clock moves.
    await new Promise((r) => setTimeout(r, 100));
    h.dd.clock.advance(4);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(received.filter((r) => r.path === path).length, 2, 'no retry before the delay');
    answers.set(path, 200);
    h.dd.clock.advance(1);
    const got = await waitFor(path, 3);
    assert.equal((JSON.parse(got[2]!.body) as Record<string, string>)['Message'], 'retry me');
    assert.equal((await receiveAll(sqs, dlq.url)).length, 0);

    answers.set(path, 404);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'refused' }));
    await waitFor(path, 4);
    const [dead] = await receiveAll(sqs, dlq.url, 1);
    assert.equal((JSON.parse(dead!.Body!) as Record<string, string>)['Message'], 'refused');
    assert.equal(received.filter((r) => r.path === path).length, 4, 'a client error is not retried');
  } finally {
    h.dd.clock.freeze(false);
    answers.delete(path);
  }
});

test('raw HTTP delivery and the content type of the delivery policy', async () => {
  const sns = snsClient(h.dd);
  const topicArn = await createTopic(sns, {
    Attributes: { DeliveryPolicy: JSON.stringify({ http: { defaultRequestPolicy: { headerContentType: 'application/json' } } }) },
  });
  const path = '/raw';
  const sub = await sns.send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: 'http', Endpoint: `${base}${path}`, ReturnSubscriptionArn: true, Attributes: { RawMessageDelivery: 'true' },
  }));
  const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes!;
  assert.equal(attrs['ConfirmationWasAuthenticated'], 'false');
  assert.equal(attrs['PendingConfirmation'], 'true');
  assert.deepEqual(JSON.parse(attrs['EffectiveDeliveryPolicy']!), {
    healthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    sicklyRetryPolicy: null, throttlePolicy: null, requestPolicy: { headerContentType: 'application/json' }, guaranteed: false,
  });
  const c = JSON.parse((await waitFor(path, 1))[0]!.body) as Record<string, string>;
  assert.equal((await waitFor(path, 1))[0]!.headers['content-type'], 'text/plain; charset=UTF-8');
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: c['Token'], AuthenticateOnUnsubscribe: 'true' }));
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{"raw": true}' }));
  const [, n] = await waitFor(path, 2);
  assert.equal(n!.body, '{"raw": true}');
  assert.equal(n!.headers['content-type'], 'application/json');
  assert.equal(n!.headers['x-amz-sns-rawdelivery'], 'true');
  const after = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes!;
  assert.equal(after['ConfirmationWasAuthenticated'], 'true');
});
