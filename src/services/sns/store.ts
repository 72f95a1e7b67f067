/**
 * SNS state of one account × region: topics, their subscriptions, FIFO deduplication records,
 * confirmation tokens and a log of deliveries that have no live receiver in Drydock (email,
 * SMS, undeliverable messages), as plain data in collections so a data directory keeps them.
 */
import type { Clock } from '../../core/clock.js';
import type { Meter } from '../../core/meter.js';
import type { Ports } from '../../core/ports.js';
import type { Collection, Stores } from '../../core/store.js';
import { parseArn, partitionOf } from '../../core/ids.js';
import { invalidParameter, topicNotFound } from './errors.js';

/** What SNS code needs from a request context (a handler's ctx, or the admin URL handler). */
export interface SnsEnv {
  stores: Stores;
  clock: Clock;
  meter: Meter;
  ports: Ports;
  /** Where clients reach Drydock: the base of SigningCertURL, SubscribeURL and UnsubscribeURL. */
  endpoint: string;
}

/** A topic as stored. */
export interface TopicRecord {
  name: string;
  account: string;
  region: string;
  arn: string;
  fifo: boolean;
  /** Attributes as set (GetTopicAttributes adds the defaults, the counts and the effective delivery policy). */
  attributes: Record<string, string>;
  /** Tags in the order they were added. */
  tags: Record<string, string>;
  createdMs: number;
  /** FIFO: publish counter behind SequenceNumber. */
  seq: number;
  /** SubscriptionsDeleted. */
  deleted: number;
}

/** A subscription as stored, in the scope of its topic. */
export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  /** The subscriber's account. */
  owner: string;
  /** SubscriptionPrincipal: who subscribed. */
  principal: string;
  /** Settable attributes as set (RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, DeliveryPolicy, …). */
  attributes: Record<string, string>;
  pending: boolean;
  authenticated: boolean;
  createdMs: number;
}

/** A FIFO deduplication record, alive for five minutes of clock time from the first publish. */
export interface DedupRecord {
  topic: string;
  key: string;
  expiresMs: number;
  messageId: string;
  sequenceNumber: string;
}

/** A confirmation token: confirms a pending subscription, or restores an unsubscribed one. */
export interface TokenRecord {
  token: string;
  topicArn: string;
  subscriptionArn: string;
  expiresMs: number;
  /** For UnsubscribeConfirmation tokens: the subscription as it was. */
  restore?: SubscriptionRecord;
}

/** A message handed to an endpoint Drydock cannot reach (email, SMS, …) or not delivered at all. */
export interface DeliveryLogEntry {
  id: string;
  atMs: number;
  topicArn: string;
  subscriptionArn?: string;
  protocol: string;
  endpoint: string;
  messageId: string;
  status: 'recorded' | 'failed' | 'dead-lettered';
  body: string;
  reason?: string;
}

/** The SNS state of one account × region. */
export interface SnsState {
  account: string;
  region: string;
  topics: Collection<TopicRecord>;
  subscriptions: Collection<SubscriptionRecord>;
  dedup: Collection<DedupRecord>;
  tokens: Collection<TokenRecord>;
  deliveries: Collection<DeliveryLogEntry>;
  /** Not persisted: topic ARN → its subscription ARNs, built on first use. */
  byTopic?: Map<string, Set<string>>;
}

/** The state of `account` × `region`, made on first use. */
export function snsState(stores: Stores, account: string, region: string): SnsState {
  return stores.scope('sns', account, region, (c) => ({
    account, region,
    topics: c.collection<TopicRecord>('topics'),
    subscriptions: c.collection<SubscriptionRecord>('subscriptions'),
    dedup: c.collection<DedupRecord>('dedup'),
    tokens: c.collection<TokenRecord>('tokens'),
    deliveries: c.collection<DeliveryLogEntry>('deliveries'),
  }));
}

/** `arn:aws:sns:<region>:<account>:<name>`. */
export function topicArn(account: string, region: string, name: string): string {
  return `arn:${partitionOf(region)}:sns:${region}:${account}:${name}`;
}

/**
 * Checks the form AWS checks first: at least six `:`-separated elements
 * (`Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1`).
 */
export function checkArnShape(param: string, v: unknown): string {
  const s = typeof v === 'string' ? v : '';
  const n = s.split(':').length;
  if (n < 6) throw invalidParameter(param, `An ARN must have at least 6 elements, not ${n}`);
  return s;
}

/** Where a topic ARN points, or an InvalidParameter naming `param` when it is not an SNS topic of this region. */
export function topicWhere(param: string, v: unknown, region: string): { account: string; region: string; name: string } {
  const s = checkArnShape(param, v);
  const p = parseArn(s);
  if (!p || p.service !== 'sns' || p.resource.includes(':')) throw invalidParameter(param);
  if (p.region !== region) throw invalidParameter(param);
  return { account: p.account, region: p.region, name: p.resource };
}

/** The topic a TopicArn names in the caller's region, or the error AWS answers. */
export function requireTopic(env: { stores: Stores; region: string }, v: unknown, param = 'TopicArn'): { state: SnsState; topic: TopicRecord } {
  const w = topicWhere(param, v, env.region);
  const state = snsState(env.stores, w.account, w.region);
  const topic = state.topics.get(w.name);
  if (!topic) throw topicNotFound();
  return { state, topic };
}

/** The topic of an ARN in any region, or undefined. */
export function findTopic(stores: Stores, arn: string): { state: SnsState; topic: TopicRecord } | undefined {
  const p = parseArn(arn);
  if (!p || p.service !== 'sns' || !p.account || !p.region) return undefined;
  const state = snsState(stores, p.account, p.region);
  const topic = state.topics.get(p.resource);
  return topic ? { state, topic } : undefined;
}

/** The subscription of an ARN (`<topic ARN>:<id>`), wherever its topic lives. */
export function findSubscription(stores: Stores, arn: string): { state: SnsState; sub: SubscriptionRecord } | undefined {
  const p = parseArn(arn);
  if (!p || p.service !== 'sns' || !p.account || !p.region) return undefined;
  const state = snsState(stores, p.account, p.region);
  const sub = state.subscriptions.get(arn);
  return sub ? { state, sub } : undefined;
}

function index(state: SnsState): Map<string, Set<string>> {
  if (!state.byTopic) {
    state.byTopic = new Map();
    for (const s of state.subscriptions.values()) addToIndex(state.byTopic, s);
  }
  return state.byTopic;
}

function addToIndex(idx: Map<string, Set<string>>, s: SubscriptionRecord): void {
  let set = idx.get(s.topicArn);
  if (!set) idx.set(s.topicArn, (set = new Set()));
  set.add(s.arn);
}

/** The subscriptions of a topic, in the order they were made. */
export function subscriptionsOf(state: SnsState, topicArnValue: string): SubscriptionRecord[] {
  const out: SubscriptionRecord[] = [];
  for (const arn of index(state).get(topicArnValue) ?? []) {
    const s = state.subscriptions.get(arn);
    if (s) out.push(s);
  }
  return out;
}

/** Stores a new or changed subscription. */
export function saveSubscription(state: SnsState, s: SubscriptionRecord): void {
  state.subscriptions.set(s.arn, s);
  addToIndex(index(state), s);
}

/** Removes a subscription; counts it in its topic's SubscriptionsDeleted. */
export function dropSubscription(state: SnsState, s: SubscriptionRecord): void {
  state.subscriptions.delete(s.arn);
  index(state).get(s.topicArn)?.delete(s.arn);
  const topic = state.topics.get(parseArn(s.topicArn)?.resource ?? '');
  if (topic && topic.arn === s.topicArn) {
    topic.deleted += 1;
    state.topics.set(topic.name, topic);
  }
}

/** Persists a changed topic. */
export function saveTopic(state: SnsState, t: TopicRecord): void {
  state.topics.set(t.name, t);
}

/** The most entries the delivery log keeps per account × region; older ones are dropped. */
const LOG_LIMIT = 1000;

/** Appends to the delivery log, dropping the oldest entries past the limit. */
export function logDelivery(state: SnsState, e: DeliveryLogEntry): void {
  state.deliveries.set(e.id, e);
  if (state.deliveries.size <= LOG_LIMIT) return;
  for (const k of state.deliveries.keys()) {
    state.deliveries.delete(k);
    if (state.deliveries.size <= LOG_LIMIT) break;
  }
}

const hosts = new WeakMap<Ports, { service(name: string): Promise<unknown> }>();

/** Remembers the app SNS was installed into, so deliveries can load the services they need. */
export function rememberHost(host: { ports: Ports; service(name: string): Promise<unknown> }): void {
  hosts.set(host.ports, host);
}

/** Loads a service into the app of these ports (so it fills its delivery port), if it exists. */
export async function loadService(ports: Ports, name: string): Promise<void> {
  await hosts.get(ports)?.service(name);
}
