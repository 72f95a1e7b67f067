/**
 * Subscriptions: Subscribe (protocol and endpoint rules, idempotency, who is confirmed at once
 * and who must confirm), ConfirmSubscription, Unsubscribe, the List operations with paging and
 * Get/SetSubscriptionAttributes.
 */
import { randomUUID } from 'node:crypto';
import { parseArn } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { checkSubscriptionArn, confirm, requestConfirmation, unsubscribeArn } from './confirmations.js';
import { invalidParameter, invalidParameterRaw, subscriptionNotFound } from './errors.js';
import { page } from './paging.js';
import {
  checkArnShape, findSubscription, requireTopic, saveSubscription, snsState, subscriptionsOf, type SubscriptionRecord, type TopicRecord,
} from './store.js';
import {
  checkSubscriptionAttribute, isSettableSubscriptionAttribute, SubAttrProblem, subscriptionAttributes,
} from './sub-attributes.js';
import { maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE } from './topic-attributes.js';

const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);
/** Confirmed at once: AWS endpoints the subscriber owns, and SMS. */
const AUTO_CONFIRMED = new Set(['sqs', 'lambda', 'sms', 'application', 'firehose']);
/** Large-message topics (MaximumMessageSize above 256 KiB) deliver to these only, 100 subscriptions at most. */
const LARGE_MESSAGE_PROTOCOLS = new Set(['sqs', 'lambda', 'firehose']);

/** A phone number SNS accepts: optional `+`, digits with single spaces or hyphens between them. */
function isPhoneNumber(s: string): boolean {
  if (!/^\+?\d+(?:[ -]\d+)*$/.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 4 && digits <= 15;
}

function checkEndpoint(protocol: string, endpoint: string, topic: TopicRecord): void {
  switch (protocol) {
    case 'sqs': {
      const p = parseArn(endpoint);
      if (!p || p.service !== 'sqs' || !p.account || !p.region || p.resource.includes(':')) throw invalidParameter('SQS endpoint ARN');
      if (p.resource.endsWith('.fifo') && !topic.fifo) {
        throw invalidParameterRaw('Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
      }
      return;
    }
    case 'lambda': {
      const p = parseArn(endpoint);
      if (!p || p.service !== 'lambda' || !p.resource.startsWith('function:')) throw invalidParameter('Lambda endpoint ARN');
      return;
    }
    case 'http':
    case 'https':
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw invalidParameter('Endpoint must match the specified protocol');
      try { new URL(endpoint); } catch { throw invalidParameter('Endpoint', 'not a valid URL'); }
      return;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalidParameter('Email address');
      return;
    case 'sms':
      if (!isPhoneNumber(endpoint)) throw invalidParameterRaw(`Invalid SMS endpoint: ${endpoint}`);
      return;
    default:
      if (!endpoint) throw invalidParameter('Endpoint');
  }
}

function attributesOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x ?? '');
  return out;
}

/** Checks attributes given to Subscribe (scope before policy) and returns what to store. */
async function checkAttributes(given: Record<string, string>, protocol: string, topic: TopicRecord): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const names = Object.keys(given).sort((a, b) => Number(b === 'FilterPolicyScope') - Number(a === 'FilterPolicyScope'));
  for (const name of names) {
    if (!isSettableSubscriptionAttribute(name)) throw invalidParameter('Attributes', `Unknown attribute ${name}`);
    try {
      const v = await checkSubscriptionAttribute(name, given[name]!, { protocol, topic, current: { ...given, ...out } });
      if (v !== undefined) out[name] = v;
    } catch (e) {
      if (e instanceof SubAttrProblem) throw invalidParameter('Attributes', e.message);
      throw e;
    }
  }
  return out;
}

/** Subscribe: SQS, Lambda and SMS subscriptions are confirmed at once; HTTP/S and email must confirm. */
export const subscribe: Handler = async (input, ctx) => {
  const { state, topic } = requireTopic(ctx, input['TopicArn']);
  const protocol = typeof input['Protocol'] === 'string' ? input['Protocol'].toLowerCase() : '';
  if (!PROTOCOLS.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${String(input['Protocol'] ?? '')}`);
  if (topic.fifo && protocol !== 'sqs') throw invalidParameter(`Invalid protocol type: ${protocol}`);
  const endpoint = typeof input['Endpoint'] === 'string' ? input['Endpoint'] : '';
  checkEndpoint(protocol, endpoint, topic);
  const large = maxMessageSize(topic) > DEFAULT_MAX_MESSAGE_SIZE;
  if (large && !LARGE_MESSAGE_PROTOCOLS.has(protocol)) {
    throw invalidParameter('Protocol', `topics with MaximumMessageSize above ${DEFAULT_MAX_MESSAGE_SIZE} bytes support SQS, Lambda and Firehose subscriptions only`);
  }
  const given = attributesOf(input['Attributes']);
  const attributes = await checkAttributes(given, protocol, topic);
  const returnArn = input['ReturnSubscriptionArn'] === true;
  const existing = subscriptionsOf(state, topic.arn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (existing) {
    const shown = subscriptionAttributes(existing, topic);
    if (Object.entries(attributes).some(([k, v]) => shown[k] !== v)) {
      throw invalidParameter('Attributes', 'Subscription already exists with different attributes');
    }
    if (existing.pending) {
      requestConfirmation(ctx, state, topic, existing);
      return { SubscriptionArn: returnArn ? existing.arn : 'pending confirmation' };
    }
    return { SubscriptionArn: existing.arn };
  }
  if (large && subscriptionsOf(state, topic.arn).length >= 100) {
    throw invalidParameter('Protocol', 'topics with MaximumMessageSize above 262144 bytes take at most 100 subscriptions');
  }
  const confirmed = AUTO_CONFIRMED.has(protocol);
  const sub: SubscriptionRecord = {
    arn: `${topic.arn}:${randomUUID()}`, topicArn: topic.arn, protocol, endpoint, owner: ctx.account, principal: ctx.principal.arn,
    attributes, pending: !confirmed, authenticated: confirmed, createdMs: ctx.clock.nowMs(),
  };
  saveSubscription(state, sub);
  if (!confirmed) {
    requestConfirmation(ctx, state, topic, sub);
    return { SubscriptionArn: returnArn ? sub.arn : 'pending confirmation' };
  }
  return { SubscriptionArn: sub.arn };
};

/** ConfirmSubscription by the token the endpoint received. */
export const confirmSubscription: Handler = (input, ctx) => ({
  SubscriptionArn: confirm(ctx, input['TopicArn'], input['Token'], input['AuthenticateOnUnsubscribe']),
});

/** Unsubscribe: idempotent; malformed ARNs are refused. */
export const unsubscribe: Handler = (input, ctx) => {
  unsubscribeArn(ctx, checkSubscriptionArn(input['SubscriptionArn']));
  return {};
};

function listed(s: SubscriptionRecord): Record<string, string> {
  return { SubscriptionArn: s.pending ? 'PendingConfirmation' : s.arn, Owner: s.owner, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn };
}

/** ListSubscriptions: the subscriptions of the caller's topics in this region, 100 a page. */
export const listSubscriptions: Handler = (input, ctx) => {
  const state = snsState(ctx.stores, ctx.account, ctx.region);
  const { items, next } = page([...state.subscriptions.values()], input['NextToken'], 100);
  return { Subscriptions: items.map(listed), ...(next ? { NextToken: next } : {}) };
};

/** ListSubscriptionsByTopic: 100 a page. */
export const listSubscriptionsByTopic: Handler = (input, ctx) => {
  const { state, topic } = requireTopic(ctx, input['TopicArn']);
  const { items, next } = page(subscriptionsOf(state, topic.arn), input['NextToken'], 100);
  return { Subscriptions: items.map(listed), ...(next ? { NextToken: next } : {}) };
};

function requireSubscription(arn: unknown, stores: Parameters<typeof findSubscription>[0]): NonNullable<ReturnType<typeof findSubscription>> {
  const s = checkArnShape('SubscriptionArn', arn);
  const found = findSubscription(stores, s);
  if (!found) throw subscriptionNotFound();
  return found;
}

/** GetSubscriptionAttributes: every attribute, EffectiveDeliveryPolicy for HTTP/S. */
export const getSubscriptionAttributes: Handler = (input, ctx) => {
  const { state, sub } = requireSubscription(input['SubscriptionArn'], ctx.stores);
  return { Attributes: subscriptionAttributes(sub, state.topics.get(parseArn(sub.topicArn)?.resource ?? '')) };
};

/** SetSubscriptionAttributes: one attribute; an empty policy removes it. */
export const setSubscriptionAttributes: Handler = async (input, ctx) => {
  const { state, sub } = requireSubscription(input['SubscriptionArn'], ctx.stores);
  const name = typeof input['AttributeName'] === 'string' ? input['AttributeName'] : '';
  if (!isSettableSubscriptionAttribute(name)) throw invalidParameter('AttributeName');
  const topic = state.topics.get(parseArn(sub.topicArn)?.resource ?? '');
  if (!topic) throw subscriptionNotFound();
  const value = typeof input['AttributeValue'] === 'string' ? input['AttributeValue'] : '';
  let stored: string | undefined;
  try {
    stored = await checkSubscriptionAttribute(name, value, { protocol: sub.protocol, topic, current: sub.attributes });
  } catch (e) {
    if (e instanceof SubAttrProblem) throw invalidParameterRaw(`Invalid parameter: ${e.message}`);
    throw e;
  }
  if (stored === undefined) delete sub.attributes[name];
  else sub.attributes[name] = stored;
  saveSubscription(state, sub);
  return {};
};
