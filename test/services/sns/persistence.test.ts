/** SNS state in a data directory survives a restart: topics, subscriptions, FIFO deduplication, the signing key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListTagsForResourceCommand, PublishCommand, TagResourceCommand,
} from '@aws-sdk/client-sns';
import { startDrydock } from '../../../src/embedded/index.js';
import { signingMaterial } from '../../../src/services/sns/signing.js';
import { receiveAll, snsClient, sqsClient, topicWithQueue } from './helpers.js';

test('topics, subscriptions, deduplication records and the signing certificate survive a restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-sns-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let dd = await startDrydock({ dataDir: dir });
  let sns = snsClient(dd);
  let sqs = sqsClient(dd);
  const { topicArn, queue, subscriptionArn } = await topicWithQueue(sns, sqs, { fifo: true, attributes: { RawMessageDelivery: 'true' } });
  await sns.send(new TagResourceCommand({ ResourceArn: topicArn, Tags: [{ Key: 'team', Value: 'x' }] }));
  const first = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'once', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
  const cert = signingMaterial(dd.app.stores, dd.clock).certificatePem;
  await dd.stop();

  dd = await startDrydock({ dataDir: dir });
  t.after(() => dd.stop());
  sns = snsClient(dd);
  sqs = sqsClient(dd);
  assert.equal(signingMaterial(dd.app.stores, dd.clock).certificatePem, cert);
  const a = (await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes!;
  assert.deepEqual([a['FifoTopic'], a['SubscriptionsConfirmed']], ['true', '1']);
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: topicArn }))).Tags, [{ Key: 'team', Value: 'x' }]);
  const s = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes!;
  assert.equal(s['RawMessageDelivery'], 'true');
  const dup = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'twice', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
  assert.equal(dup.MessageId, first.MessageId, 'the deduplication window survived the restart');
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'after', MessageGroupId: 'g', MessageDeduplicationId: 'e' }));
  const url = `${dd.endpoint}/${queue.url.split('/').slice(-2).join('/')}`;
  assert.deepEqual((await receiveAll(sqs, url)).map((m) => m.Body), ['once', 'after']);
});
