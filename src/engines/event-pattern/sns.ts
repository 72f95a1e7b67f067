// SNS subscription filter policies: the same pattern language, SNS's operator set and
// limits, applied either to the message attributes or to the message body.
import type { Explanation } from './pattern.js';
import { compilePattern, type Pattern } from './pattern.js';
import type { FilterPolicyScope } from './sns-limits.js';

/**
 * One message attribute, in either shape SNS uses: the Publish API's
 * (`DataType`, `StringValue`, `BinaryValue`) or the notification's (`Type`, `Value`).
 */
export interface SnsMessageAttribute {
  readonly DataType?: string;
  readonly StringValue?: string;
  readonly BinaryValue?: unknown;
  readonly Type?: string;
  readonly Value?: string;
}

/** What a filter policy looks at in a published message. */
export interface SnsMessage {
  readonly attributes?: Readonly<Record<string, SnsMessageAttribute>>;
  /** The message body as published (a JSON object text, for body-scoped policies). */
  readonly body?: string;
}

/**
 * The event a policy sees for a set of message attributes, as SNS builds it: `String` (and
 * custom `String.*`) values as strings; `String.Array` values parsed as JSON arrays (an
 * attribute whose value is not a JSON array is left out); `Number` (and `Number.*`) values as
 * numbers; `Binary` attributes left out, as SNS ignores them.
 */
export function snsAttributesToEvent(attributes: Readonly<Record<string, SnsMessageAttribute>>): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(attributes)) {
    const type = attr.DataType ?? attr.Type ?? 'String';
    const raw = attr.StringValue ?? attr.Value;
    if (type.startsWith('Binary') || raw === undefined) continue;
    let value: unknown;
    if (type === 'String.Array') {
      try {
        value = JSON.parse(raw);
      } catch {
        continue;
      }
      if (!Array.isArray(value)) continue;
    } else if (type === 'Number' || type.startsWith('Number.')) {
      value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) continue;
    } else {
      value = raw;
    }
    Object.defineProperty(event, name, { value, enumerable: true, configurable: true, writable: true });
  }
  return event;
}

function bodyEvent(body: string | undefined): object | undefined {
  if (body === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A compiled SNS filter policy bound to its scope. */
export class FilterPolicy {
  /** Where the policy applies. */
  readonly scope: FilterPolicyScope;
  /** The underlying compiled pattern (dialect `sns`). */
  readonly pattern: Pattern;

  /** Use {@link compileFilterPolicy}. */
  constructor(scope: FilterPolicyScope, pattern: Pattern) {
    this.scope = scope;
    this.pattern = pattern;
  }

  /** The event this policy is matched against for a message; undefined when it cannot match. */
  eventOf(message: SnsMessage): object | undefined {
    return this.scope === 'MessageBody' ? bodyEvent(message.body) : snsAttributesToEvent(message.attributes ?? {});
  }

  /** True when SNS would deliver the message to the subscription. */
  matches(message: SnsMessage): boolean {
    const event = this.eventOf(message);
    return event !== undefined && this.pattern.matches(event);
  }

  /** Whether the message passes and why. */
  explain(message: SnsMessage): Explanation {
    const event = this.eventOf(message);
    if (event === undefined) return { matched: false, reason: 'the message body is not a JSON object' };
    return this.pattern.explain(event);
  }
}

/**
 * Validates and compiles an SNS filter policy for a scope, applying SNS's operator set
 * (no `wildcard`; `anything-but` with values or `prefix` only), its limits (five keys, 150
 * combinations, no nesting under `MessageAttributes`, 256 KB) and its wording. Throws
 * `InvalidPatternError` (answer `InvalidParameter`; see `snsErrorMessage` for the
 * per-call prefix).
 */
export function compileFilterPolicy(policy: string | object, scope: FilterPolicyScope = 'MessageAttributes'): FilterPolicy {
  return new FilterPolicy(scope, compilePattern(policy, { dialect: 'sns', scope }));
}
