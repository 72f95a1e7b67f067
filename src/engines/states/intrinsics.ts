/**
 * The intrinsic functions of the JSONPath query language (`States.Format(...)` and the rest),
 * parsed once per expression and evaluated against the state's input, context and variables.
 * Failures raise `States.IntrinsicFailure` as AWS does at run time; a malformed call is a
 * definition error found by the validator through {@link parseIntrinsic}.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isObject, jsonEquals, runtimeError, StatesError, toText, type Json } from './json.js';
import { queryPath, type PathRoots } from './jsonpath.js';

type Arg =
  | { k: 'lit'; v: Json }
  | { k: 'path'; path: string }
  | { k: 'call'; fn: string; args: Arg[] };

/** A call that does not parse or names an unknown function. */
export class IntrinsicSyntaxError extends Error {}

export const INTRINSICS = new Set([
  'States.Format', 'States.StringToJson', 'States.JsonToString', 'States.Array', 'States.ArrayPartition',
  'States.ArrayContains', 'States.ArrayRange', 'States.ArrayGetItem', 'States.ArrayLength', 'States.ArrayUnique',
  'States.Base64Encode', 'States.Base64Decode', 'States.Hash', 'States.JsonMerge', 'States.MathRandom',
  'States.MathAdd', 'States.StringSplit', 'States.UUID',
]);

const cache = new Map<string, Arg>();

/** Whether a `.$` value is an intrinsic call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return text.startsWith('States.');
}

export function parseIntrinsic(text: string): Arg {
  let a = cache.get(text);
  if (a === undefined) {
    const p = new Parser(text);
    a = p.call();
    p.ws();
    if (p.i !== text.length) throw new IntrinsicSyntaxError(`unexpected text after the call in ${text}`);
    cache.set(text, a);
  }
  return a;
}

/** Evaluates an intrinsic call; `random` lets tests and replays be deterministic. */
export function evaluateIntrinsic(text: string, roots: PathRoots, random: () => number = Math.random): Json {
  return run(parseIntrinsic(text), roots, random);
}

function run(a: Arg, roots: PathRoots, random: () => number): Json {
  if (a.k === 'lit') return a.v;
  if (a.k === 'path') {
    const got = queryPath(a.path, roots);
    if (!got.found) throw runtimeError(`The JsonPath argument for the field '${a.path}' could not be found in the input '${toText(roots.input)}'`);
    return got.value!;
  }
  const args = a.args.map((x) => run(x, roots, random));
  return apply(a.fn, args, random);
}

function fail(fn: string, why: string): never {
  throw new StatesError('States.IntrinsicFailure', `Invalid arguments in ${fn}: ${why}`);
}

function arity(fn: string, args: Json[], min: number, max = min): void {
  if (args.length < min || args.length > max) fail(fn, `expected ${min === max ? min : `${min} to ${max}`} arguments but got ${args.length}`);
}

function arr(fn: string, v: Json): Json[] {
  if (!Array.isArray(v)) fail(fn, `expected an array but got ${toText(v)}`);
  return v;
}

function int(fn: string, v: Json): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(fn, `expected an integer but got ${toText(v)}`);
  return v;
}

function str(fn: string, v: Json): string {
  if (typeof v !== 'string') fail(fn, `expected a string but got ${toText(v)}`);
  return v;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function apply(fn: string, args: Json[], random: () => number): Json {
  switch (fn) {
    case 'States.Format': {
      if (args.length < 1) fail(fn, 'expected a format string');
      const tpl = str(fn, args[0]!);
      let n = 1;
      let out = '';
      for (let i = 0; i < tpl.length; i++) {
        const c = tpl[i];
        if (c === '\\' && i + 1 < tpl.length) { out += tpl[++i]; continue; }
        if (c === '{' && tpl[i + 1] === '}') {
          if (n >= args.length) fail(fn, 'the number of arguments does not match the number of placeholders');
          const v = args[n++]!;
          out += typeof v === 'string' ? v : toText(v);
          i++;
          continue;
        }
        out += c;
      }
      if (n !== args.length) fail(fn, 'the number of arguments does not match the number of placeholders');
      return out;
    }
    case 'States.StringToJson': {
      arity(fn, args, 1);
      try { return JSON.parse(str(fn, args[0]!)) as Json; } catch { return fail(fn, 'the string is not valid JSON'); }
    }
    case 'States.JsonToString': arity(fn, args, 1); return toText(args[0]);
    case 'States.Array': return args;
    case 'States.ArrayPartition': {
      arity(fn, args, 2);
      const a = arr(fn, args[0]!);
      const size = int(fn, args[1]!);
      if (size <= 0) fail(fn, 'the chunk size must be greater than 0');
      const out: Json[] = [];
      for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
      return out;
    }
    case 'States.ArrayContains': arity(fn, args, 2); return arr(fn, args[0]!).some((x) => jsonEquals(x, args[1]));
    case 'States.ArrayRange': {
      arity(fn, args, 3);
      const [s, e, st] = [int(fn, args[0]!), int(fn, args[1]!), int(fn, args[2]!)];
      if (st === 0) fail(fn, 'the step must not be 0');
      const out: number[] = [];
      for (let v = s; st > 0 ? v <= e : v >= e; v += st) {
        out.push(v);
        if (out.length > 1000) fail(fn, 'the array would have more than 1000 items');
      }
      return out;
    }
    case 'States.ArrayGetItem': {
      arity(fn, args, 2);
      const a = arr(fn, args[0]!);
      const i = int(fn, args[1]!);
      if (i < 0 || i >= a.length) fail(fn, `index ${i} is out of bounds`);
      return a[i]!;
    }
    case 'States.ArrayLength': arity(fn, args, 1); return arr(fn, args[0]!).length;
    case 'States.ArrayUnique': {
      arity(fn, args, 1);
      const out: Json[] = [];
      for (const x of arr(fn, args[0]!)) if (!out.some((y) => jsonEquals(x, y))) out.push(x);
      return out;
    }
    case 'States.Base64Encode': {
      arity(fn, args, 1);
      const s = str(fn, args[0]!);
      if (s.length > 10000) fail(fn, 'the input is longer than 10000 characters');
      return Buffer.from(s, 'utf8').toString('base64');
    }
    case 'States.Base64Decode': {
      arity(fn, args, 1);
      const s = str(fn, args[0]!);
      if (s.length > 10000) fail(fn, 'the input is longer than 10000 characters');
      return Buffer.from(s, 'base64').toString('utf8');
    }
    case 'States.Hash': {
      arity(fn, args, 2);
      const alg = HASHES[str(fn, args[1]!)];
      if (alg === undefined) fail(fn, `the algorithm must be one of ${Object.keys(HASHES).join(', ')}`);
      const data = typeof args[0] === 'string' ? args[0] : toText(args[0]);
      if (data.length > 10000) fail(fn, 'the input is longer than 10000 characters');
      return createHash(alg).update(data, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      arity(fn, args, 3);
      if (!isObject(args[0]) || !isObject(args[1])) fail(fn, 'both inputs must be JSON objects');
      if (args[2] !== false) fail(fn, 'deep merge is not supported; the third argument must be false');
      return { ...args[0], ...args[1] };
    }
    case 'States.MathRandom': {
      arity(fn, args, 2, 3);
      const lo = int(fn, args[0]!);
      const hi = int(fn, args[1]!);
      const r = args.length === 3 ? seeded(int(fn, args[2]!)) : random();
      return lo + Math.floor(r * (hi - lo));
    }
    case 'States.MathAdd': {
      arity(fn, args, 2);
      return int(fn, args[0]!) + int(fn, args[1]!);
    }
    case 'States.StringSplit': {
      arity(fn, args, 2);
      const s = str(fn, args[0]!);
      const delims = str(fn, args[1]!);
      if (delims === '') return [s];
      const parts: string[] = [];
      let cur = '';
      for (const ch of s) {
        if (delims.includes(ch)) { if (cur !== '') parts.push(cur); cur = ''; } else cur += ch;
      }
      if (cur !== '') parts.push(cur);
      return parts;
    }
    case 'States.UUID': arity(fn, args, 0); return randomUUID();
  }
  throw new IntrinsicSyntaxError(`unknown intrinsic ${fn}`);
}

// A small deterministic generator so a seeded MathRandom repeats its answer.
function seeded(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  call(): Arg {
    this.ws();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.s.slice(this.i));
    if (!m) throw new IntrinsicSyntaxError(`expected an intrinsic function in ${this.s}`);
    if (!INTRINSICS.has(m[0])) throw new IntrinsicSyntaxError(`unknown intrinsic function ${m[0]}`);
    this.i += m[0].length;
    this.ws();
    if (this.s[this.i] !== '(') throw new IntrinsicSyntaxError(`expected ( after ${m[0]}`);
    this.i++;
    const args: Arg[] = [];
    this.ws();
    if (this.s[this.i] === ')') { this.i++; return { k: 'call', fn: m[0], args }; }
    for (;;) {
      args.push(this.arg());
      this.ws();
      const c = this.s[this.i++];
      if (c === ')') break;
      if (c !== ',') throw new IntrinsicSyntaxError(`expected , or ) in ${this.s}`);
    }
    return { k: 'call', fn: m[0], args };
  }

  arg(): Arg {
    this.ws();
    const rest = this.s.slice(this.i);
    if (rest.startsWith("'")) {
      let out = '';
      let j = this.i + 1;
      for (; j < this.s.length && this.s[j] !== "'"; j++) {
        // Keep `\{` / `\}` escaped for States.Format; unescape quotes and backslashes.
        if (this.s[j] === '\\' && j + 1 < this.s.length) {
          const nx = this.s[j + 1]!;
          out += nx === '{' || nx === '}' ? `\\${nx}` : nx;
          j++;
        } else out += this.s[j];
      }
      if (j >= this.s.length) throw new IntrinsicSyntaxError(`unterminated string in ${this.s}`);
      this.i = j + 1;
      return { k: 'lit', v: out };
    }
    if (rest.startsWith('States.')) return this.call();
    if (rest.startsWith('$')) {
      let j = this.i;
      let depth = 0;
      let quote: string | undefined;
      for (; j < this.s.length; j++) {
        const c = this.s[j];
        if (quote) { if (c === quote) quote = undefined; continue; }
        if (c === "'" || c === '"') quote = c;
        else if (c === '[' || c === '(') depth++;
        else if (c === ']' || c === ')') { if (depth === 0) break; depth--; }
        else if ((c === ',' || c === ' ') && depth === 0) break;
      }
      const path = this.s.slice(this.i, j);
      this.i = j;
      return { k: 'path', path };
    }
    const lit = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(rest);
    if (lit) {
      this.i += lit[0].length;
      return { k: 'lit', v: JSON.parse(lit[0]) as Json };
    }
    throw new IntrinsicSyntaxError(`unexpected argument in ${this.s}`);
  }
}
