/**
 * DynamoDB numbers: exact decimals of up to 38 significant digits with magnitudes from 1E-130
 * to below 1E+126, as AWS stores them. A number is a BigInt coefficient times a power of ten,
 * never a float, so `0.1 + 0.2` is exactly `0.3` and counters of 38 digits stay exact.
 */
import { DynamoValidation } from './errors.js';

/** value = coef × 10^exp; `coef` has no trailing zeros (zero is 0n × 10^0). */
export interface Decimal {
  coef: bigint;
  exp: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_DIGITS = 38;

/** Reads a number as AWS accepts it; throws AWS's validation message otherwise. */
export function parseDecimal(text: string): Decimal {
  const m = NUMBER.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '') || text.trim() === '') {
    throw new DynamoValidation(`The parameter cannot be converted to a numeric value: ${text}`);
  }
  const intPart = m[2]!;
  const frac = m[3] ?? '';
  const digits = (intPart + frac).replace(/^0+/, '');
  const exp = Number(m[4] ?? '0') - frac.length;
  if (digits === '') return { coef: 0n, exp: 0 };
  const d = normalize({ coef: BigInt(digits) * (m[1] === '-' ? -1n : 1n), exp });
  checkRange(d);
  return d;
}

/** Strips trailing zeros of the coefficient so equal values have one representation. */
function normalize(d: Decimal): Decimal {
  if (d.coef === 0n) return { coef: 0n, exp: 0 };
  let { coef, exp } = d;
  while (coef % 10n === 0n) { coef /= 10n; exp++; }
  return { coef, exp };
}

function digitCount(coef: bigint): number {
  return (coef < 0n ? -coef : coef).toString().length;
}

/** Significant digits of a normalized decimal (what the item size counts). */
export function significantDigits(d: Decimal): number {
  return d.coef === 0n ? 1 : digitCount(d.coef);
}

function checkRange(d: Decimal): void {
  if (d.coef === 0n) return;
  const n = digitCount(d.coef);
  if (n > MAX_DIGITS) throw new DynamoValidation('Attempting to store more than 38 significant digits in a Number');
  const magnitude = n - 1 + d.exp;
  if (magnitude > 125) throw new DynamoValidation('Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (magnitude < -130) throw new DynamoValidation('Number underflow. Attempting to store a number with magnitude smaller than supported range');
}

/** The canonical text AWS answers with: plain notation, no trailing zeros, no `+`, no `-0`. */
export function formatDecimal(d: Decimal): string {
  if (d.coef === 0n) return '0';
  const neg = d.coef < 0n;
  const digits = (neg ? -d.coef : d.coef).toString();
  let out: string;
  if (d.exp >= 0) out = digits + '0'.repeat(d.exp);
  else if (-d.exp < digits.length) out = `${digits.slice(0, digits.length + d.exp)}.${digits.slice(digits.length + d.exp)}`;
  else out = `0.${'0'.repeat(-d.exp - digits.length)}${digits}`;
  return neg ? `-${out}` : out;
}

/** The canonical form of a number's text (validating it). */
const PLAIN_INTEGER = /^(?:0|-?[1-9]\d{0,37})$/;

export function canonicalNumber(text: string): string {
  // Most numbers are plain integers already in canonical form: no need to parse them.
  if (PLAIN_INTEGER.test(text)) return text;
  return formatDecimal(parseDecimal(text));
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

/** Exact sum; AWS refuses results beyond 38 digits or the range rather than rounding them. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  const d = normalize({ coef: x + y, exp });
  checkRange(d);
  return d;
}

export function negateDecimal(a: Decimal): Decimal {
  return { coef: -a.coef, exp: a.exp };
}

/** -1, 0 or 1. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  if (a.coef === 0n || b.coef === 0n || (a.coef < 0n) !== (b.coef < 0n)) {
    return a.coef === b.coef ? 0 : sign(a.coef) - sign(b.coef) > 0 ? 1 : -1;
  }
  // Same sign, both non-zero: compare magnitudes first to avoid huge alignments.
  const ma = digitCount(a.coef) + a.exp;
  const mb = digitCount(b.coef) + b.exp;
  const neg = a.coef < 0n;
  if (ma !== mb) return (ma > mb) !== neg ? 1 : -1;
  const [x, y] = align(a, b);
  return x === y ? 0 : x > y ? 1 : -1;
}

function sign(x: bigint): number {
  return x === 0n ? 0 : x > 0n ? 1 : -1;
}

/**
 * Where the integer part of a canonical number's text ends (the `.` or the end), or -1 when
 * the text is not canonical. Canonical is what {@link formatDecimal} writes (plus `-0`):
 * `-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?`. A scan, not a regex: it runs on every sort-key
 * comparison and every item size, and allocates nothing.
 */
function canonicalIntEnd(s: string): number {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const first = s.charCodeAt(i);
  if (first === 48) i++;
  else if (first >= 49 && first <= 57) {
    i++;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
  } else return -1;
  if (i === n) return i;
  if (s.charCodeAt(i) !== 46 || i + 1 === n || s.charCodeAt(n - 1) === 48) return -1;
  for (let j = i + 1; j < n; j++) if (!isDigit(s.charCodeAt(j))) return -1;
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Orders the digit runs a[from, to) and b[from2, to2) as text (shorter first on a common prefix). */
function compareRuns(a: string, from: number, to: number, b: string, from2: number, to2: number): number {
  const n = Math.min(to - from, to2 - from2);
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(from + k);
    const y = b.charCodeAt(from2 + k);
    if (x !== y) return x < y ? -1 : 1;
  }
  const la = to - from;
  const lb = to2 - from2;
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/**
 * Compares two numbers given as text. Stored numbers are canonical, which makes this a string
 * comparison (integer part by length then digits, fraction by digits) without BigInt: it
 * runs on every sort-key comparison.
 */
export function compareNumberText(a: string, b: string): number {
  if (a === b) return 0;
  const ea = canonicalIntEnd(a);
  const eb = canonicalIntEnd(b);
  if (ea < 0 || eb < 0) return compareDecimal(parseDecimal(a), parseDecimal(b));
  const neg = a.charCodeAt(0) === 45;
  if (neg !== (b.charCodeAt(0) === 45)) return neg ? -1 : 1;
  const s = neg ? 1 : 0;
  // Integer parts have no leading zeros: the longer is the larger; equal lengths compare by digits.
  let c = ea !== eb ? (ea < eb ? -1 : 1) : compareRuns(a, s, ea, b, s, eb);
  if (c === 0) c = compareRuns(a, Math.min(ea + 1, a.length), a.length, b, Math.min(eb + 1, b.length), b.length);
  return neg ? -c : c;
}

/** Significant digits of a canonical number's text (falls back to parsing otherwise). */
export function significantDigitsOfText(n: string): number {
  const e = canonicalIntEnd(n);
  if (e < 0) return significantDigits(parseDecimal(n));
  const s = n.charCodeAt(0) === 45 ? 1 : 0;
  if (n.charCodeAt(s) === 48) {
    if (e === n.length) return 1;
    // 0.00xyz: the fraction's leading zeros do not count (canonical text has no trailing ones).
    let i = e + 1;
    while (n.charCodeAt(i) === 48) i++;
    return n.length - i;
  }
  // A fraction ends in a non-zero digit, so every digit counts; an integer's trailing zeros do not.
  if (e < n.length) return n.length - s - 1;
  let end = n.length;
  while (end > s + 1 && n.charCodeAt(end - 1) === 48) end--;
  return end - s;
}
