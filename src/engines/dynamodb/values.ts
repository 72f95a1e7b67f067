/**
 * Attribute values: validation with AWS's messages, number canonicalization, ordering and
 * equality as DynamoDB defines them (strings and binaries by unsigned bytes, numbers by exact
 * value, sets unordered), and the item size as AWS bills and limits it.
 */
import { canonicalNumber, compareNumberText, significantDigitsOfText } from './decimal.js';
import { DynamoValidation } from './errors.js';

/** One attribute value, as the API carries it (exactly one member set). */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: Uint8Array;
  SS?: string[];
  NS?: string[];
  BS?: Uint8Array[];
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}

export type Item = Record<string, AttributeValue>;

export type TypeName = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';
export const TYPE_NAMES: TypeName[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

/** The one type a (valid) value carries. */
export function typeOf(v: AttributeValue): TypeName {
  for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return k as TypeName;
  throw new DynamoValidation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
}

/** DynamoDB allows 32 levels of nesting in one attribute. */
const MAX_DEPTH = 32;

/**
 * Checks a value and rewrites its numbers to canonical form in place (AWS answers `1.50` as
 * `1.5`). `setsDistinct` reports duplicates in sets as AWS does.
 */
export function checkValue(v: AttributeValue, depth = 0): void {
  if (v === null || typeof v !== 'object') throw new DynamoValidation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  let count = 0;
  for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) count++;
  if (count === 0) throw new DynamoValidation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (count > 1) throw new DynamoValidation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  if (depth > MAX_DEPTH) throw new DynamoValidation('Nesting Levels have exceeded supported limits: Nesting levels have exceeded the maximum supported depth of 32 levels');
  if (v.N !== undefined) v.N = canonicalNumber(v.N);
  else if (v.NULL !== undefined && v.NULL !== true) throw new DynamoValidation('One or more parameter values were invalid: Null attribute value types must have the value of true');
  else if (v.SS !== undefined) checkSet(v.SS, 'An string set  may not be empty', (s) => s);
  else if (v.NS !== undefined) {
    v.NS = v.NS.map(canonicalNumber);
    checkSet(v.NS, 'An number set  may not be empty', (s) => s);
  } else if (v.BS !== undefined) checkSet(v.BS, 'Binary sets should not be empty', (b) => Buffer.from(b).toString('base64'));
  else if (v.M !== undefined) for (const k in v.M) checkValue(v.M[k]!, depth + 1);
  else if (v.L !== undefined) for (const e of v.L) checkValue(e, depth + 1);
}

function checkSet<T>(set: T[], emptyMessage: string, key: (e: T) => string): void {
  if (set.length === 0) throw new DynamoValidation(`One or more parameter values were invalid: ${emptyMessage}`);
  const seen = new Set<string>();
  for (const e of set) {
    const k = key(e);
    if (seen.has(k)) {
      const shown = set.map((x) => (x instanceof Uint8Array ? Buffer.from(x).toString('base64') : String(x)));
      throw new DynamoValidation(`One or more parameter values were invalid: Input collection [${shown.join(', ')}] contains duplicates.`);
    }
    seen.add(k);
  }
}

/** Validates every attribute of an item (in place, canonicalizing numbers). */
export function checkItem(item: Item): void {
  for (const k in item) checkValue(item[k]!);
}

/** Compares UTF-8 strings by their bytes, which is code point order (JS `<` compares UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above U+FFFF, which sort after U+E000–FFFF.
    const sx = x >= 0xd800 && x <= 0xdfff ? x + 0x2000 : x >= 0xe000 ? x - 0x800 : x;
    const sy = y >= 0xd800 && y <= 0xdfff ? y + 0x2000 : y >= 0xe000 ? y - 0x800 : y;
    return sx < sy ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/**
 * Orders two scalar values of the same type (S, N or B); `undefined` when they are not
 * comparable (different types or non-scalars), which makes a comparison false.
 */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  if (a.S !== undefined && b.S !== undefined) return compareStrings(a.S, b.S);
  if (a.N !== undefined && b.N !== undefined) return compareNumberText(a.N, b.N);
  if (a.B !== undefined && b.B !== undefined) return compareBytes(a.B, b.B);
  return undefined;
}

/** Deep equality: numbers by value, sets regardless of order. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  switch (t) {
    case 'S': return a.S === b.S;
    case 'N': return compareNumberText(a.N!, b.N!) === 0;
    case 'B': return compareBytes(a.B!, b.B!) === 0;
    case 'BOOL': return a.BOOL === b.BOOL;
    case 'NULL': return true;
    case 'SS': return sameSet(a.SS!, b.SS!, (x) => x);
    case 'NS': return sameSet(a.NS!, b.NS!, canonicalNumber);
    case 'BS': return sameSet(a.BS!, b.BS!, (x) => Buffer.from(x).toString('base64'));
    case 'L': return a.L!.length === b.L!.length && a.L!.every((e, i) => valuesEqual(e, b.L![i]!));
    case 'M': {
      const ka = Object.keys(a.M!);
      if (ka.length !== Object.keys(b.M!).length) return false;
      return ka.every((k) => b.M![k] !== undefined && valuesEqual(a.M![k]!, b.M![k]!));
    }
  }
}

function sameSet<T>(a: T[], b: T[], key: (e: T) => string): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a.map(key));
  return b.every((e) => s.has(key(e)));
}

/** A string that identifies a key value (S, N or B) for maps and indexes. */
export function keyToken(v: AttributeValue): string {
  if (v.S !== undefined) return `s${v.S}`;
  if (v.N !== undefined) return `n${v.N}`;
  return `b${Buffer.from(v.B!).toString('base64')}`;
}

function utf8Length(s: string): number {
  // Fast path for ASCII, which most attribute names and values are.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s);
  return s.length;
}

/** The size of a value as AWS counts it (without the attribute name). */
export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8Length(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS !== undefined) return v.SS.reduce((n, s) => n + utf8Length(s), 0);
  if (v.NS !== undefined) return v.NS.reduce((n, s) => n + numberSize(s), 0);
  if (v.BS !== undefined) return v.BS.reduce((n, b) => n + b.byteLength, 0);
  // Lists and maps: 3 bytes of overhead plus 1 byte per element.
  if (v.L !== undefined) return v.L.reduce((n, e) => n + 1 + valueSize(e), 3);
  if (v.M !== undefined) {
    let n = 3;
    for (const k in v.M) n += 1 + utf8Length(k) + valueSize(v.M[k]!);
    return n;
  }
  return 0;
}

/** Numbers take one byte per two significant digits plus one (AWS's approximation). */
function numberSize(n: string): number {
  return Math.ceil(significantDigitsOfText(n) / 2) + 1 + (n.startsWith('-') ? 1 : 0);
}

/** The item size: attribute name lengths plus value sizes, in bytes. */
export function itemSize(item: Item): number {
  let n = 0;
  for (const k in item) n += utf8Length(k) + valueSize(item[k]!);
  return n;
}

/** Deep copy, so stored items never alias what a request or a response holds. */
export function cloneValue(v: AttributeValue): AttributeValue {
  if (v.M !== undefined) {
    const m: Record<string, AttributeValue> = {};
    for (const k in v.M) m[k] = cloneValue(v.M[k]!);
    return { M: m };
  }
  if (v.L !== undefined) return { L: v.L.map(cloneValue) };
  if (v.SS !== undefined) return { SS: [...v.SS] };
  if (v.NS !== undefined) return { NS: [...v.NS] };
  if (v.BS !== undefined) return { BS: [...v.BS] };
  return { ...v };
}

export function cloneItem(item: Item): Item {
  const out: Item = {};
  for (const k in item) out[k] = cloneValue(item[k]!);
  return out;
}

/** How AWS prints a value inside some messages, e.g. `{N:5}` or `{S:abc}`. */
export function showValue(v: AttributeValue): string {
  const t = typeOf(v);
  const x = (v as Record<string, unknown>)[t];
  return `{${t}:${x instanceof Uint8Array ? Buffer.from(x).toString('base64') : Array.isArray(x) ? `[${x.join(', ')}]` : String(x)}}`;
}
