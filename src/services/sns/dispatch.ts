/**
 * Fan-out of a published message to the topic's confirmed subscriptions: the filter policy
 * decides who gets it, then each protocol its own way — SQS and Lambda through the delivery
 * ports their services fill (in order, before Publish answers, so a receive right after a
 * publish sees the message), HTTP/S by real POSTs in the background, email and SMS into the
 * delivery log. A message a subscription cannot take goes to its dead-letter queue.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryMessage } from '../../core/ports.js';
import { lambdaEvent, messageFor, notificationEnvelope, type PublishedMessage } from './envelope.js';
import { subscriptionMatches } from './filter.js';
import { deliverHttp } from './http.js';
import { sqsAttributes } from './message-attributes.js';
import { loadService, logDelivery, snsState, subscriptionsOf, type SnsEnv, type SnsState, type SubscriptionRecord, type TopicRecord } from './store.js';

/** SQS takes at most ten message attributes; raw deliveries with more fail as client errors. */
const SQS_MAX_ATTRIBUTES = 10;

const USAGE: Record<string, string> = {
  sqs: 'SQS', lambda: 'LAMBDA', http: 'HTTP', https: 'HTTP', email: 'SMTP', 'email-json': 'SMTP', sms: 'SMS',
  application: 'APPLICATION', firehose: 'FIREHOSE',
};

function meterDelivery(env: SnsEnv, topic: TopicRecord, protocol: string): void {
  env.meter.record({
    account: topic.account, region: topic.region, service: 'sns', usageType: `DeliveryAttempts-${USAGE[protocol] ?? 'OTHER'}`,
    operation: 'Notification', resourceId: topic.arn, quantity: 1, unit: 'Count',
  });
}

function raw(sub: SubscriptionRecord): boolean {
  return sub.attributes['RawMessageDelivery'] === 'true';
}

/** The message an SQS queue (a subscription's, or its dead-letter queue) gets. */
function sqsMessage(env: SnsEnv, topic: TopicRecord, sub: SubscriptionRecord, m: PublishedMessage): DeliveryMessage {
  const out: DeliveryMessage = raw(sub)
    ? { body: messageFor(m, sub.protocol), attributes: sqsAttributes(m.attributes) }
    : { body: notificationEnvelope(env, m, sub.arn, sub.protocol) };
  if (out.attributes === undefined) delete out.attributes;
  out.sourceArn = topic.arn;
  out.servicePrincipal = 'sns.amazonaws.com';
  if (m.groupId !== undefined) out.messageGroupId = m.groupId;
  if (topic.fifo && m.dedupId !== undefined) out.messageDeduplicationId = m.dedupId;
  return out;
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * A delivery that failed for good: to the subscription's dead-letter queue when it has one
 * (in the form the subscription would have received), else into the log as failed.
 */
async function failed(env: SnsEnv, state: SnsState, topic: TopicRecord, sub: SubscriptionRecord, m: PublishedMessage, reason: string): Promise<void> {
  const entry = {
    id: randomUUID(), atMs: env.clock.nowMs(), topicArn: topic.arn, subscriptionArn: sub.arn, protocol: sub.protocol,
    endpoint: sub.endpoint, messageId: m.messageId, body: messageFor(m, sub.protocol), reason,
  };
  const policy = sub.attributes['RedrivePolicy'];
  const dlq = policy ? (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn : undefined;
  if (dlq) await loadService(env.ports, 'sqs');
  const deliver = env.ports.deliver.get('sqs');
  if (dlq && deliver) {
    try {
      await deliver(dlq, sqsMessage(env, topic, sub, m));
      logDelivery(state, { ...entry, status: 'dead-lettered', reason: `${reason}; moved to ${dlq}` });
      return;
    } catch (e) {
      logDelivery(state, { ...entry, status: 'failed', reason: `${reason}; dead-letter queue ${dlq} refused it: ${reasonOf(e)}` });
      return;
    }
  }
  logDelivery(state, { ...entry, status: 'failed' });
}

async function deliverOne(env: SnsEnv, state: SnsState, topic: TopicRecord, sub: SubscriptionRecord, m: PublishedMessage): Promise<void> {
  meterDelivery(env, topic, sub.protocol);
  if (sub.protocol === 'sqs' || sub.protocol === 'lambda') await loadService(env.ports, sub.protocol);
  switch (sub.protocol) {
    case 'sqs': {
      const deliver = env.ports.deliver.get('sqs');
      if (!deliver) return failed(env, state, topic, sub, m, 'SQS is not loaded');
      if (raw(sub) && Object.keys(m.attributes ?? {}).length > SQS_MAX_ATTRIBUTES) {
        return failed(env, state, topic, sub, m, `raw delivery to SQS takes at most ${SQS_MAX_ATTRIBUTES} message attributes`);
      }
      try { await deliver(sub.endpoint, sqsMessage(env, topic, sub, m)); } catch (e) { await failed(env, state, topic, sub, m, reasonOf(e)); }
      return;
    }
    case 'lambda': {
      const deliver = env.ports.deliver.get('lambda');
      if (!deliver) return failed(env, state, topic, sub, m, 'Lambda is not available in this Drydock');
      const message: DeliveryMessage = { body: lambdaEvent(env, m, sub.arn), sourceArn: topic.arn, servicePrincipal: 'sns.amazonaws.com' };
      try { await deliver(sub.endpoint, message); } catch (e) { await failed(env, state, topic, sub, m, reasonOf(e)); }
      return;
    }
    case 'http':
    case 'https': {
      const body = raw(sub) ? messageFor(m, sub.protocol) : notificationEnvelope(env, m, sub.arn, sub.protocol);
      deliverHttp(env, topic, sub, { type: 'Notification', messageId: m.messageId, body, raw: raw(sub) }, (r) => {
        // The state object may have been replaced by a reset; write to the live one.
        if (!r.ok) void failed(env, snsState(env.stores, state.account, state.region), topic, sub, m, r.reason);
      });
      return;
    }
    default: {
      // Email, SMS, mobile push and Firehose have no receiver here: the message is kept in the log.
      const body = sub.protocol === 'email-json' ? notificationEnvelope(env, m, sub.arn, sub.protocol)
        : sub.protocol === 'email' && m.subject !== undefined ? `Subject: ${m.subject}\n\n${messageFor(m, sub.protocol)}`
          : messageFor(m, sub.protocol);
      logDelivery(state, {
        id: randomUUID(), atMs: env.clock.nowMs(), topicArn: topic.arn, subscriptionArn: sub.arn, protocol: sub.protocol,
        endpoint: sub.endpoint, messageId: m.messageId, status: 'recorded', body,
      });
    }
  }
}

/** Delivers a published message to every confirmed subscription its filter policy lets through. */
export async function fanOut(env: SnsEnv, state: SnsState, topic: TopicRecord, m: PublishedMessage): Promise<void> {
  for (const sub of subscriptionsOf(state, topic.arn)) {
    if (sub.pending) continue;
    if (!subscriptionMatches(sub, m)) continue;
    await deliverOne(env, state, topic, sub, m);
  }
}
