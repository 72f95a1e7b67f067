// Value matchers: one per element of a field's array in a pattern. Each tests one leaf value
// of the event; a field matches when any of its matchers accepts any of its leaves. String
// operators never accept numbers, booleans or null; `anything-but` accepts every present
// value its inner test does not hit, whatever its type.
import { comparable, inNumericRange } from './numbers.js';
import { ipHex, type HexRange } from './ip.js';
import { wildcardMatches, type Wildcard } from './wildcard.js';

/** A JSON scalar as it appears at a leaf of an event. */
export type Scalar = string | number | boolean | null;

/** One leaf of a flattened event: its value and the array elements that contain it. */
export interface Leaf {
  readonly value: Scalar;
  /** Pairs of (array id, element index) for every array enclosing the value. */
  readonly trail: readonly number[];
  /** Cached IP hex form of a string value (null: not an address). */
  ip?: string | null;
}

/** What a matcher tests, for explanations and indexing. */
export type MatcherKind =
  | 'exact'
  | 'prefix'
  | 'suffix'
  | 'equals-ignore-case'
  | 'wildcard'
  | 'numeric'
  | 'cidr'
  | 'exists'
  | 'anything-but';

/** A compiled test for one leaf value. */
export interface Matcher {
  readonly kind: MatcherKind;
  /** The pattern element as JSON, for explanations. */
  readonly text: string;
  /** Equality key when the matcher is a plain exact value (used by the rule index). */
  readonly key: string | undefined;
  test(leaf: Leaf): boolean;
}

/** The index key of a leaf value, comparable with {@link Matcher.key}. */
export function valueKey(v: Scalar): string {
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'number') return inNumericRange(v) ? `n${comparable(v)}` : `d${v}`;
  return `l${String(v)}`;
}

function leafIp(leaf: Leaf): string | null {
  if (leaf.ip === undefined) leaf.ip = typeof leaf.value === 'string' ? (ipHex(leaf.value) ?? null) : null;
  return leaf.ip;
}

const fold = (s: string) => s.toLowerCase();
const isStr = (l: Leaf): l is Leaf & { value: string } => typeof l.value === 'string';
const make = (kind: MatcherKind, text: string, test: (leaf: Leaf) => boolean, key?: string): Matcher => ({ kind, text, key, test });

/** An exact string (not an IP literal). */
export function exactString(s: string): Matcher {
  return make('exact', JSON.stringify(s), (l) => l.value === s, `s${s}`);
}

/** An exact IP literal: matches every spelling of the same address. */
export function exactIp(text: string, hex: string): Matcher {
  return make('exact', JSON.stringify(text), (l) => isStr(l) && leafIp(l) === hex);
}

/** An exact number: equal as comparable numbers, or as doubles outside the numeric range. */
export function exactNumber(text: string): Matcher {
  const n = Number(text);
  const inRange = inNumericRange(n);
  const cmp = inRange ? comparable(n) : NaN;
  const test = (l: Leaf) => typeof l.value === 'number' && (inRange && inNumericRange(l.value) ? comparable(l.value) === cmp : l.value === n);
  return make('exact', text, test, valueKey(n));
}

/** `null`, `true` or `false`. */
export function exactLiteral(v: null | boolean): Matcher {
  return make('exact', String(v), (l) => l.value === v, valueKey(v));
}

/** `prefix`, optionally with `equals-ignore-case`. */
export function prefix(p: string, ignoreCase: boolean): Matcher {
  const f = fold(p);
  const text = ignoreCase ? `{"prefix":{"equals-ignore-case":${JSON.stringify(p)}}}` : `{"prefix":${JSON.stringify(p)}}`;
  return make('prefix', text, (l) => isStr(l) && (ignoreCase ? fold(l.value).startsWith(f) : l.value.startsWith(p)));
}

/** `suffix`, optionally with `equals-ignore-case`. */
export function suffix(p: string, ignoreCase: boolean): Matcher {
  const f = fold(p);
  const text = ignoreCase ? `{"suffix":{"equals-ignore-case":${JSON.stringify(p)}}}` : `{"suffix":${JSON.stringify(p)}}`;
  return make('suffix', text, (l) => isStr(l) && (ignoreCase ? fold(l.value).endsWith(f) : l.value.endsWith(p)));
}

/** `equals-ignore-case`. */
export function equalsIgnoreCase(p: string): Matcher {
  const f = fold(p);
  return make('equals-ignore-case', `{"equals-ignore-case":${JSON.stringify(p)}}`, (l) => isStr(l) && fold(l.value) === f);
}

/** `wildcard`. */
export function wildcard(w: Wildcard): Matcher {
  return make('wildcard', `{"wildcard":${JSON.stringify(w.source)}}`, (l) => isStr(l) && wildcardMatches(w, l.value));
}

/** `numeric`: a range in comparable space (bounds already converted). */
export function numeric(text: string, lo: number, loOpen: boolean, hi: number, hiOpen: boolean): Matcher {
  const test = (l: Leaf) => {
    if (typeof l.value !== 'number' || !inNumericRange(l.value)) return false;
    const c = comparable(l.value);
    return (loOpen ? c > lo : c >= lo) && (hiOpen ? c < hi : c <= hi);
  };
  return make('numeric', `{"numeric":${text}}`, test);
}

/** `cidr`: an inclusive hex range of one address width. */
export function cidr(text: string, r: HexRange): Matcher {
  const test = (l: Leaf) => {
    const h = isStr(l) ? leafIp(l) : null;
    return h !== null && h.length === r.lo.length && h >= r.lo && h <= r.hi;
  };
  return make('cidr', `{"cidr":${JSON.stringify(text)}}`, test);
}

/** `exists: true`: any present leaf value, null included. */
export const EXISTS: Matcher = make('exists', '{"exists":true}', () => true);

/** `anything-but` with a set of strings or a set of numbers. */
export function anythingBut(text: string, strings: ReadonlySet<string> | undefined, numbers: ReadonlySet<number> | undefined): Matcher {
  const test = (l: Leaf) => {
    const v = l.value;
    if (typeof v === 'string') return !strings?.has(v);
    if (typeof v === 'number' && numbers && inNumericRange(v)) return !numbers.has(comparable(v));
    return true;
  };
  return make('anything-but', `{"anything-but":${text}}`, test);
}

/** The inner operators `anything-but` accepts as an object. */
export type AnythingButOp = 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard';

/** `anything-but` with `prefix`, `suffix`, `equals-ignore-case` or `wildcard` values. */
export function anythingButOp(op: AnythingButOp, values: readonly string[], wildcards: readonly Wildcard[]): Matcher {
  const folded = values.map(fold);
  const hit = (s: string): boolean => {
    switch (op) {
      case 'prefix': return values.some((p) => s.startsWith(p));
      case 'suffix': return values.some((p) => s.endsWith(p));
      case 'equals-ignore-case': { const f = fold(s); return folded.includes(f); }
      default: return wildcards.some((w) => wildcardMatches(w, s));
    }
  };
  const inner = values.length === 1 ? JSON.stringify(values[0]) : JSON.stringify(values);
  return make('anything-but', `{"anything-but":{${JSON.stringify(op)}:${inner}}}`, (l) => !isStr(l) || !hit(l.value));
}
