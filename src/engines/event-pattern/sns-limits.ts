// SNS's own checks on a filter policy, made before the rule compiler sees it, in the order
// SNS makes them: key count, then structure (empty arrays, leaves that are neither object
// nor array, nesting under the attribute scope), then the combination count.
import { PatternIssue } from './errors.js';
import { JsonReader, readJsonValue, type JsonValue } from './json-reader.js';

/** Where an SNS filter policy applies. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** SNS's documented filter policy limits. */
export const SNS_FILTER_POLICY_LIMITS = {
  /** Top-level keys (for a nested policy, only parent keys count). */
  maxKeys: 5,
  /** Product of the value counts (see {@link countCombinations}). */
  maxCombinations: 150,
  /** Size of the policy JSON, in UTF-8 bytes. */
  maxBytes: 256 * 1024,
} as const;

type Obj = { readonly entries: ReadonlyArray<readonly [string, JsonValue]> };
const utf8 = new TextEncoder();
const utf8Bytes = (s: string) => utf8.encode(s).length;
const isObj = (v: JsonValue): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the policy JSON; SNS words syntax errors as `failed to parse JSON.` */
function parse(text: string): JsonValue {
  try {
    return readJsonValue(new JsonReader(text));
  } catch (e) {
    if (e instanceof PatternIssue) throw new PatternIssue('json', `failed to parse JSON. ${e.message}`);
    throw e;
  }
}

/**
 * SNS's combination count: values multiply, each weighted by its nesting depth (so in a
 * body policy `{"a": {"b": ["x", "y"]}}` counts 2 × 2 = 4); the alternatives of `$or` add.
 * Throws on the structural errors SNS reports while counting.
 */
export function countCombinations(policy: Obj, scope: FilterPolicyScope, depth = 1, start = 1): number {
  let combinations = start;
  for (const [key, value] of policy.entries) {
    if (isObj(value)) {
      combinations = countCombinations(value, scope, depth + 1, combinations);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new PatternIssue('structure', 'Empty arrays are not allowed');
      if (key === '$or') {
        let sum = 0;
        for (const alt of value) sum += isObj(alt) ? countCombinations(alt, scope, depth, combinations) : combinations;
        combinations = sum;
      } else {
        combinations *= value.length * depth;
      }
    } else {
      throw new PatternIssue('structure', `"${key}" must be an object or an array`);
    }
  }
  if (scope === 'MessageAttributes' && depth > 1) {
    throw new PatternIssue('nested', 'Filter policy scope MessageAttributes does not support nested filter policy');
  }
  return combinations;
}

/**
 * Applies SNS's limits to policy text. Returns true for an empty policy (`{}`), which SNS
 * accepts and which lets every message through.
 */
export function checkSnsLimits(text: string, scope: FilterPolicyScope): boolean {
  if (utf8Bytes(text) > SNS_FILTER_POLICY_LIMITS.maxBytes) throw new PatternIssue('too-long', 'Filter policy is too long');
  const policy = parse(text);
  if (!isObj(policy)) throw new PatternIssue('structure', 'Filter is not an object');
  if (policy.entries.length === 0) return true;
  if (new Set(policy.entries.map(([k]) => k)).size > SNS_FILTER_POLICY_LIMITS.maxKeys) {
    throw new PatternIssue('too-many-keys', 'Filter policy can not have more than 5 keys');
  }
  if (countCombinations(policy, scope) > SNS_FILTER_POLICY_LIMITS.maxCombinations) {
    throw new PatternIssue('too-complex', 'Filter policy is too complex');
  }
  return false;
}
