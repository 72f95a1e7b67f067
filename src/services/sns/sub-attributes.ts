/**
 * Subscription attributes: which ones Subscribe and SetSubscriptionAttributes accept, AWS's
 * checks on each (raw delivery per protocol, filter policies and their scope, the
 * subscription's dead-letter queue, HTTP/S delivery policies), and what
 * GetSubscriptionAttributes shows.
 */
import { parseArn } from '../../core/ids.js';
import { PolicyProblem, normalizeSubscriptionDeliveryPolicy, subscriptionEffectivePolicy } from './delivery-policy.js';
import { compileFilter, FilterPolicyProblem, type FilterScope } from './filter.js';
import { parseJsonLikeJackson } from './json-errors.js';
import type { SubscriptionRecord, TopicRecord } from './store.js';

/** A problem with an attribute, worded without the operation's prefix (Subscribe adds `Attributes Reason:`). */
export class SubAttrProblem extends Error {}

const SETTABLE = new Set(['RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy', 'DeliveryPolicy',
  'SubscriptionRoleArn', 'ReplayPolicy']);
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);
const SCOPES = ['MessageAttributes', 'MessageBody'];

/** Whether `name` is a subscription attribute a caller may set. */
export function isSettableSubscriptionAttribute(name: string): boolean {
  return SETTABLE.has(name);
}

/** What the checks need to know about the subscription. */
export interface SubAttrContext {
  protocol: string;
  topic: TopicRecord;
  /** The attributes the subscription has (or will have), for checks that combine two of them. */
  current: Record<string, string>;
}

function filterCheck(policy: string, scope: FilterScope): void {
  try {
    compileFilter(policy, scope);
  } catch (e) {
    if (e instanceof FilterPolicyProblem) throw new SubAttrProblem(e.message);
    throw e;
  }
}

/** Checks one attribute and returns the value to store (`undefined`: remove it). */
export async function checkSubscriptionAttribute(name: string, value: string, c: SubAttrContext): Promise<string | undefined> {
  switch (name) {
    case 'RawMessageDelivery': {
      if (!RAW_PROTOCOLS.has(c.protocol)) throw new SubAttrProblem(`Delivery protocol [${c.protocol}] does not support raw message delivery.`);
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw new SubAttrProblem(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      return v;
    }
    case 'FilterPolicyScope': {
      if (!SCOPES.includes(value)) throw new SubAttrProblem(`FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      const policy = c.current['FilterPolicy'];
      if (policy) filterCheck(policy, value as FilterScope);
      return value;
    }
    case 'FilterPolicy': {
      if (value === '') return undefined;
      filterCheck(value, c.current['FilterPolicyScope'] === 'MessageBody' ? 'MessageBody' : 'MessageAttributes');
      return value;
    }
    case 'RedrivePolicy': {
      if (value === '') return undefined;
      let doc: unknown;
      try { doc = parseJsonLikeJackson(value); } catch (e) { throw new SubAttrProblem(`RedrivePolicy: ${(e as Error).message}`); }
      const arn = doc && typeof doc === 'object' ? (doc as Record<string, unknown>)['deadLetterTargetArn'] : undefined;
      const p = typeof arn === 'string' ? parseArn(arn) : undefined;
      if (!p || p.service !== 'sqs' || !p.account || !p.region) throw new SubAttrProblem('RedrivePolicy: deadLetterTargetArn is an invalid arn');
      if (c.topic.fifo && !p.resource.endsWith('.fifo')) {
        throw new SubAttrProblem('RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
      }
      return JSON.stringify({ deadLetterTargetArn: arn });
    }
    case 'DeliveryPolicy': {
      if (value === '') return undefined;
      if (c.protocol !== 'http' && c.protocol !== 'https') {
        throw new SubAttrProblem(`DeliveryPolicy: Delivery protocol [${c.protocol}] does not support delivery policies.`);
      }
      try { return normalizeSubscriptionDeliveryPolicy(value); } catch (e) {
        if (e instanceof PolicyProblem) throw new SubAttrProblem(e.message);
        throw e;
      }
    }
    case 'SubscriptionRoleArn':
      if (c.protocol !== 'firehose') throw new SubAttrProblem('SubscriptionRoleArn: only Firehose subscriptions take a role.');
      return value;
    default:
      return value;
  }
}

/** Every attribute GetSubscriptionAttributes shows. */
export function subscriptionAttributes(s: SubscriptionRecord, topic: TopicRecord | undefined): Record<string, string> {
  const out: Record<string, string> = {
    ConfirmationWasAuthenticated: String(s.authenticated),
    Endpoint: s.endpoint,
    Owner: s.owner,
    PendingConfirmation: String(s.pending),
    Protocol: s.protocol,
    RawMessageDelivery: 'false',
    SubscriptionArn: s.arn,
    SubscriptionPrincipal: s.principal,
    TopicArn: s.topicArn,
  };
  for (const [k, v] of Object.entries(s.attributes)) if (k !== 'FilterPolicyScope') out[k] = v;
  // The scope shows only alongside a policy (a scope set alone waits for one).
  if (s.attributes['FilterPolicy']) out['FilterPolicyScope'] = s.attributes['FilterPolicyScope'] ?? 'MessageAttributes';
  if (s.protocol === 'http' || s.protocol === 'https') {
    out['EffectiveDeliveryPolicy'] = JSON.stringify(subscriptionEffectivePolicy(s.attributes['DeliveryPolicy'], topic?.attributes['DeliveryPolicy']));
  }
  return out;
}
