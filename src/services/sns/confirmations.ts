/**
 * The confirmation handshake: tokens, the SubscriptionConfirmation an HTTP/S endpoint is sent
 * (email confirmations go to the delivery log), ConfirmSubscription by token, and
 * Unsubscribe — which sends HTTP/S endpoints an UnsubscribeConfirmation whose token restores
 * the subscription. Shared by the API handlers and the credential-free URLs in messages.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArn } from '../../core/ids.js';
import { confirmationMessage, subscribeUrl } from './envelope.js';
import { invalidParameter, invalidParameterRaw } from './errors.js';
import { deliverHttp } from './http.js';
import {
  dropSubscription, findSubscription, logDelivery, saveSubscription, snsState,
  type SnsEnv, type SnsState, type SubscriptionRecord, type TopicRecord,
} from './store.js';

/** Tokens stay valid three days, as AWS's do. */
const TOKEN_TTL_MS = 3 * 86_400_000;
const TOKEN = /^[0-9a-f]{64,512}$/;

function newToken(state: SnsState, topic: TopicRecord, sub: SubscriptionRecord, now: number, restore?: SubscriptionRecord): string {
  const token = randomBytes(128).toString('hex');
  state.tokens.set(token, {
    token, topicArn: topic.arn, subscriptionArn: sub.arn, expiresMs: now + TOKEN_TTL_MS, ...(restore ? { restore } : {}),
  });
  return token;
}

function signatureVersion(topic: TopicRecord): '1' | '2' {
  return topic.attributes['SignatureVersion'] === '2' ? '2' : '1';
}

/** Sends (or re-sends) a pending subscription its confirmation request. */
export function requestConfirmation(env: SnsEnv, state: SnsState, topic: TopicRecord, sub: SubscriptionRecord): void {
  const now = env.clock.nowMs();
  const token = newToken(state, topic, sub, now);
  const messageId = randomUUID();
  const body = confirmationMessage(env, 'SubscriptionConfirmation', {
    messageId, topicArn: topic.arn, subscriptionArn: sub.arn, token, timestamp: new Date(now).toISOString(), signatureVersion: signatureVersion(topic),
  });
  if (sub.protocol === 'http' || sub.protocol === 'https') {
    deliverHttp(env, topic, sub, { type: 'SubscriptionConfirmation', messageId, body, contentType: 'text/plain; charset=UTF-8' }, () => {});
    return;
  }
  const text = sub.protocol === 'email'
    ? `You have chosen to subscribe to the topic: ${topic.arn}\nTo confirm this subscription, visit: ${subscribeUrl(env.endpoint, topic.arn, token)}`
    : body;
  logDelivery(state, {
    id: randomUUID(), atMs: now, topicArn: topic.arn, subscriptionArn: sub.arn, protocol: sub.protocol, endpoint: sub.endpoint,
    messageId, status: 'recorded', body: text,
  });
}

/**
 * ConfirmSubscription: the token must be one this topic issued and not expired. A token from
 * an UnsubscribeConfirmation brings the subscription back. Answers the subscription ARN.
 */
export function confirm(env: SnsEnv & { region: string }, topicArnValue: unknown, tokenValue: unknown, authenticate: unknown): string {
  const arn = typeof topicArnValue === 'string' ? topicArnValue : '';
  const p = parseArn(arn);
  if (!p || p.service !== 'sns' || p.resource.includes(':') || p.region !== env.region) throw invalidParameterRaw('Invalid parameter: Topic');
  const token = typeof tokenValue === 'string' ? tokenValue : '';
  if (!TOKEN.test(token)) throw invalidParameterRaw('Invalid token');
  const state = snsState(env.stores, p.account, p.region);
  const topic = state.topics.get(p.resource);
  const rec = state.tokens.get(token);
  if (!topic || !rec || rec.topicArn !== arn || rec.expiresMs <= env.clock.nowMs()) throw invalidParameter('Token');
  let sub = state.subscriptions.get(rec.subscriptionArn);
  if (!sub && rec.restore) sub = { ...rec.restore };
  if (!sub) throw invalidParameter('Token');
  if (sub.pending || !state.subscriptions.has(sub.arn)) {
    sub.pending = false;
    sub.authenticated = String(authenticate).toLowerCase() === 'true';
    saveSubscription(state, sub);
  }
  return sub.arn;
}

/** Checks a SubscriptionArn as Unsubscribe does: present, ARN-shaped, `<topic ARN>:<uuid>`. */
export function checkSubscriptionArn(v: unknown): string {
  const s = typeof v === 'string' ? v : '';
  if (s === '') throw invalidParameter('SubscriptionArn', 'no value for required parameter');
  const n = s.split(':').length;
  if (n < 6) throw invalidParameter('SubscriptionArn', `An ARN must have at least 6 elements, not ${n}`);
  if (!/^arn:[^:]+:sns:[^:]*:[^:]*:[^:]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s)) {
    throw invalidParameter('SubscriptionId');
  }
  return s;
}

/**
 * Unsubscribe: removes the subscription (an unknown one is not an error). An HTTP/S endpoint
 * is told with an UnsubscribeConfirmation it can use to restore the subscription.
 */
export function unsubscribeArn(env: SnsEnv, arn: string): void {
  const found = findSubscription(env.stores, arn);
  if (!found) return;
  const { state, sub } = found;
  const topic = state.topics.get(parseArn(sub.topicArn)?.resource ?? '');
  dropSubscription(state, sub);
  if (!topic || sub.pending || (sub.protocol !== 'http' && sub.protocol !== 'https')) return;
  const now = env.clock.nowMs();
  const token = newToken(state, topic, sub, now, sub);
  const messageId = randomUUID();
  const body = confirmationMessage(env, 'UnsubscribeConfirmation', {
    messageId, topicArn: topic.arn, subscriptionArn: sub.arn, token, timestamp: new Date(now).toISOString(), signatureVersion: signatureVersion(topic),
  });
  deliverHttp(env, topic, sub, { type: 'UnsubscribeConfirmation', messageId, body, contentType: 'text/plain; charset=UTF-8' }, () => {});
}
