/**
 * Amazon SNS: standard and FIFO topics, subscriptions to SQS, Lambda (through the delivery
 * port, once Lambda fills it), HTTP/S endpoints (real POSTs, confirmation handshake, retries
 * on the clock) and email/SMS (kept in a delivery log), filter policies on attributes or the
 * body, raw delivery, subscription dead-letter queues, and messages signed with the app's own
 * certificate. Topic policies and tags are offered to the gateway's authorizer.
 *
 * Not implemented (answer NotImplemented): data protection policies
 * (Get/PutDataProtectionPolicy), the SMS account operations (Get/SetSMSAttributes,
 * CheckIfPhoneNumberIsOptedOut, ListPhoneNumbersOptedOut, OptInPhoneNumber,
 * ListOriginationNumbers and the SMS sandbox operations) and mobile push (platform
 * applications and endpoints).
 */
import { parseArn } from '../../core/ids.js';
import type { Handler, ServiceDefinition, ServiceHost } from '../types.js';
import { publish, publishBatch } from './publish.js';
import { addPermission, removePermission } from './permissions.js';
import { findTopic, rememberHost, topicArn } from './store.js';
import {
  confirmSubscription, getSubscriptionAttributes, listSubscriptions, listSubscriptionsByTopic, setSubscriptionAttributes, subscribe,
  unsubscribe,
} from './subscriptions.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { isDefaultPolicy } from './topic-attributes.js';
import { createTopic, deleteTopic, getTopicAttributes, listTopics, setTopicAttributes } from './topics.js';

const CHUNK = 64 * 1024;

/** Bytes of the messages a publish carries: each 64 KB chunk is billed as a request. */
function payloadBytes(operation: string, input: Record<string, unknown>): number {
  const size = (e: Record<string, unknown>): number => (typeof e['Message'] === 'string' ? Buffer.byteLength(e['Message']) : 0);
  if (operation === 'Publish') return size(input);
  if (operation === 'PublishBatch' && Array.isArray(input['PublishBatchRequestEntries'])) {
    return (input['PublishBatchRequestEntries'] as Record<string, unknown>[]).reduce((n, e) => n + size(e), 0);
  }
  return 0;
}

function metered(operation: string, handler: Handler): Handler {
  return async (input, ctx) => {
    try {
      return await handler(input, ctx);
    } finally {
      const arn = typeof input['TopicArn'] === 'string' ? input['TopicArn'] : typeof input['TargetArn'] === 'string' ? input['TargetArn'] : undefined;
      const fifo = arn?.endsWith('.fifo') ?? false;
      ctx.meter.record({
        account: ctx.account, region: ctx.region, service: 'sns', usageType: fifo ? 'Requests-FIFO-Tier1' : 'Requests-Tier1',
        operation, resourceId: arn, quantity: Math.max(1, Math.ceil(payloadBytes(operation, input) / CHUNK)), unit: 'Requests',
      });
    }
  };
}

const HANDLERS: Record<string, Handler> = {
  AddPermission: addPermission,
  ConfirmSubscription: confirmSubscription,
  CreateTopic: createTopic,
  DeleteTopic: deleteTopic,
  GetSubscriptionAttributes: getSubscriptionAttributes,
  GetTopicAttributes: getTopicAttributes,
  ListSubscriptions: listSubscriptions,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  ListTagsForResource: listTagsForResource,
  ListTopics: listTopics,
  Publish: publish,
  PublishBatch: publishBatch,
  RemovePermission: removePermission,
  SetSubscriptionAttributes: setSubscriptionAttributes,
  SetTopicAttributes: setTopicAttributes,
  Subscribe: subscribe,
  TagResource: tagResource,
  Unsubscribe: unsubscribe,
  UntagResource: untagResource,
};

/** The SNS service definition for the registry. */
const sns: ServiceDefinition = {
  name: 'sns',
  handlers: Object.fromEntries(Object.entries(HANDLERS).map(([op, h]) => [op, metered(op, h)])),
  install(host: ServiceHost) {
    rememberHost(host);
    // A topic still on its default policy grants nothing beyond its own account, so it is not
    // offered: the authorizer then keeps its fast path for the account's root.
    host.ports.resourcePolicies.set('sns', (arn) => {
      const found = findTopic(host.stores, arn);
      if (!found || found.topic.arn !== arn || isDefaultPolicy(found.topic)) return undefined;
      return { document: found.topic.attributes['Policy']!, account: found.topic.account };
    });
    host.ports.resourceTags.set('sns', (arn) => {
      const found = findTopic(host.stores, arn);
      return found && found.topic.arn === arn ? { ...found.topic.tags } : undefined;
    });
    // The topic a call touches; subscription calls name no resource, as in AWS's action table.
    host.ports.resourceResolvers.set('sns', (operation, input, account, region) => {
      if (operation === 'CreateTopic' && typeof input['Name'] === 'string') return [{ arn: topicArn(account, region, input['Name']) }];
      for (const member of ['TopicArn', 'TargetArn', 'ResourceArn']) {
        const v = input[member];
        if (typeof v === 'string' && parseArn(v)?.service === 'sns') return [{ arn: v }];
      }
      return [];
    });
  },
};

export default sns;
