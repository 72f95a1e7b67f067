/**
 * Choice rules of the JSONPath query language: Variable with a comparison operator (or its
 * `…Path` form), And / Or / Not, and the type tests (IsPresent, IsNull, IsNumeric, …).
 * Comparisons of mismatched types are false, as AWS evaluates them.
 */
import { isObject, runtimeError, type Json, type JsonObject } from './json.js';
import { queryPath, type PathRoots } from './jsonpath.js';

/** Every comparison operator; the `Path` forms compare with another path's value. */
export const COMPARISONS = [
  'StringEquals', 'StringLessThan', 'StringGreaterThan', 'StringLessThanEquals', 'StringGreaterThanEquals', 'StringMatches',
  'NumericEquals', 'NumericLessThan', 'NumericGreaterThan', 'NumericLessThanEquals', 'NumericGreaterThanEquals',
  'BooleanEquals',
  'TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan', 'TimestampLessThanEquals', 'TimestampGreaterThanEquals',
];
export const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];

/** All operator field names a rule may use. */
export const OPERATORS = new Set([
  ...COMPARISONS, ...COMPARISONS.filter((c) => c !== 'StringMatches').map((c) => `${c}Path`), ...TYPE_TESTS,
]);

const operatorOf = new WeakMap<JsonObject, string>();

/** Whether the rule matches. */
export function evaluateRule(rule: JsonObject, roots: PathRoots): boolean {
  if (Array.isArray(rule['And'])) return (rule['And'] as JsonObject[]).every((r) => evaluateRule(r, roots));
  if (Array.isArray(rule['Or'])) return (rule['Or'] as JsonObject[]).some((r) => evaluateRule(r, roots));
  if (isObject(rule['Not'])) return !evaluateRule(rule['Not'], roots);
  const variable = rule['Variable'] as string;
  const got = queryPath(variable, roots);
  let op = operatorOf.get(rule);
  if (op === undefined) { op = Object.keys(rule).find((k) => OPERATORS.has(k))!; operatorOf.set(rule, op); }
  const arg = rule[op]!;
  if (op === 'IsPresent') return got.found === arg;
  if (!got.found) {
    throw runtimeError(`Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  }
  const v = got.value!;
  switch (op) {
    case 'IsNull': return (v === null) === arg;
    case 'IsNumeric': return (typeof v === 'number') === arg;
    case 'IsString': return (typeof v === 'string') === arg;
    case 'IsBoolean': return (typeof v === 'boolean') === arg;
    case 'IsTimestamp': return (typeof v === 'string' && parseTimestamp(v) !== undefined) === arg;
  }
  let other: Json = arg;
  let base = op;
  if (op.endsWith('Path')) {
    base = op.slice(0, -4);
    const o = queryPath(arg as string, roots);
    if (!o.found) throw runtimeError(`Invalid path '${arg as string}': The choice state's condition path references an invalid value.`);
    other = o.value!;
  }
  return compare(base, v, other);
}

function compare(op: string, v: Json, other: Json): boolean {
  if (op.startsWith('String')) {
    if (typeof v !== 'string' || typeof other !== 'string') return false;
    switch (op) {
      case 'StringEquals': return v === other;
      case 'StringLessThan': return v < other;
      case 'StringGreaterThan': return v > other;
      case 'StringLessThanEquals': return v <= other;
      case 'StringGreaterThanEquals': return v >= other;
      case 'StringMatches': return wildcard(other).test(v);
    }
  }
  if (op.startsWith('Numeric')) {
    if (typeof v !== 'number' || typeof other !== 'number') return false;
    switch (op) {
      case 'NumericEquals': return v === other;
      case 'NumericLessThan': return v < other;
      case 'NumericGreaterThan': return v > other;
      case 'NumericLessThanEquals': return v <= other;
      case 'NumericGreaterThanEquals': return v >= other;
    }
  }
  if (op === 'BooleanEquals') return typeof v === 'boolean' && v === other;
  if (op.startsWith('Timestamp')) {
    const a = typeof v === 'string' ? parseTimestamp(v) : undefined;
    const b = typeof other === 'string' ? parseTimestamp(other) : undefined;
    if (a === undefined || b === undefined) return false;
    switch (op) {
      case 'TimestampEquals': return a === b;
      case 'TimestampLessThan': return a < b;
      case 'TimestampGreaterThan': return a > b;
      case 'TimestampLessThanEquals': return a <= b;
      case 'TimestampGreaterThanEquals': return a >= b;
    }
  }
  return false;
}

const wildcards = new Map<string, RegExp>();

// `*` matches any run of characters; `\*` and `\\` are literal.
function wildcard(pattern: string): RegExp {
  let re = wildcards.get(pattern);
  if (re === undefined) {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '\\' && i + 1 < pattern.length) { src += escapeRe(pattern[++i]!); continue; }
      src += c === '*' ? '.*' : escapeRe(c);
    }
    re = new RegExp(`^${src}$`, 's');
    wildcards.set(pattern, re);
  }
  return re;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an RFC 3339 timestamp with a time zone (`2016-03-14T01:59:00Z`), else undefined. */
export function parseTimestamp(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [mo, d, h, mi, se] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
