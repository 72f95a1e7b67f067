/**
 * Subscription filter policies, decided by the shared event-pattern engine in its SNS
 * dialect: validation with AWS's wording, and matching on the message attributes or on the
 * message body (the one the subscription's protocol gets) parsed as JSON. Compiled policies
 * are cached by text and scope.
 */
import { compileFilterPolicy, InvalidPatternError, type FilterPolicy } from '../../engines/event-pattern/index.js';
import { messageFor, type PublishedMessage } from './envelope.js';
import type { SubscriptionRecord } from './store.js';

/** Where a policy applies. */
export type FilterScope = 'MessageAttributes' | 'MessageBody';

/**
 * A policy SNS refuses. `message` is AWS's text after `Invalid parameter: ` (usually
 * `FilterPolicy: …`), so Subscribe can put `Attributes Reason: ` in front.
 */
export class FilterPolicyProblem extends Error {}

const cache = new Map<string, FilterPolicy>();

/** Validates and compiles a policy (cached); throws {@link FilterPolicyProblem}. */
export function compileFilter(policy: string, scope: FilterScope): FilterPolicy {
  const key = `${scope}\n${policy}`;
  let p = cache.get(key);
  if (!p) {
    try {
      p = compileFilterPolicy(policy, scope);
    } catch (e) {
      if (e instanceof InvalidPatternError) throw new FilterPolicyProblem(e.message.replace(/^Invalid parameter: /, ''));
      throw e;
    }
    if (cache.size > 2000) cache.clear();
    cache.set(key, p);
  }
  return p;
}

/** Whether a subscription's filter policy (if any) lets the message through. */
export function subscriptionMatches(sub: SubscriptionRecord, m: PublishedMessage): boolean {
  const policy = sub.attributes['FilterPolicy'];
  if (!policy) return true;
  const scope: FilterScope = sub.attributes['FilterPolicyScope'] === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';
  let compiled: FilterPolicy;
  try { compiled = compileFilter(policy, scope); } catch { return false; }
  return compiled.matches({ attributes: m.attributes ?? {}, body: messageFor(m, sub.protocol) });
}
