/**
 * JSONPath as Step Functions reads it (Jayway semantics): `$`, `.name`, `['name']`, `[n]`,
 * `[*]`, `[a:b]`, `..name`, unions and `[?(@.x < 1)]` filters. Paths that start with `$$` read
 * the context object, `$name` a variable. A *reference path* (ResultPath, Choice Variable, the
 * `*Path` fields) may only name one node. Compiled paths are cached: a workflow evaluates the
 * same few paths on every state.
 */
import { isObject, jsonEquals, type Json } from './json.js';

type Segment =
  | { k: 'prop'; name: string }
  | { k: 'index'; i: number }
  | { k: 'wild' }
  | { k: 'slice'; start?: number; end?: number; step: number }
  | { k: 'desc'; name: string | undefined }
  | { k: 'union'; items: (string | number)[] }
  | { k: 'filter'; test: (node: Json, root: Json) => boolean };

/** A compiled path: which root it reads and its steps. */
export interface CompiledPath {
  text: string;
  root: 'input' | 'context' | 'variable';
  variable?: string;
  segments: Segment[];
  /** True when the path names at most one node (no wildcard, slice, filter, descent or union). */
  definite: boolean;
}

/** A path that does not parse. */
export class JsonPathSyntaxError extends Error {}

const cache = new Map<string, CompiledPath>();

export function compilePath(text: string): CompiledPath {
  let c = cache.get(text);
  if (c === undefined) {
    c = parse(text);
    if (cache.size > 5000) cache.clear();
    cache.set(text, c);
  }
  return c;
}

/** Whether `text` is a syntactically valid path (optionally: a reference path). */
export function isValidPath(text: string, reference = false): boolean {
  try {
    const p = compilePath(text);
    return !reference || p.definite;
  } catch {
    return false;
  }
}

/** Roots a path can read. */
export interface PathRoots {
  input: Json;
  context?: Json;
  variables?: ReadonlyMap<string, Json>;
}

/**
 * The value at `path`. A definite path answers `{ found, value }`; an indefinite one the
 * array of its matches (always found, possibly empty), as Jayway returns them.
 */
export function queryPath(text: string, roots: PathRoots): { found: boolean; value: Json | undefined; missingAt?: string } {
  const p = compilePath(text);
  let base: Json | undefined;
  if (p.root === 'input') base = roots.input;
  else if (p.root === 'context') base = roots.context ?? {};
  else {
    if (!roots.variables?.has(p.variable!)) return { found: false, value: undefined, missingAt: `$${p.variable}` };
    base = roots.variables.get(p.variable!);
  }
  if (p.definite) {
    let node: Json | undefined = base;
    for (let i = 0; i < p.segments.length; i++) {
      const s = p.segments[i] as { k: 'prop'; name: string } | { k: 'index'; i: number };
      if (s.k === 'prop') {
        if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, s.name)) return { found: false, value: undefined, missingAt: bracketed(p, i) };
        node = node[s.name];
      } else {
        if (!Array.isArray(node)) return { found: false, value: undefined, missingAt: bracketed(p, i) };
        const idx = s.i < 0 ? node.length + s.i : s.i;
        if (idx < 0 || idx >= node.length) return { found: false, value: undefined, missingAt: bracketed(p, i) };
        node = node[idx];
      }
    }
    return { found: true, value: node };
  }
  let nodes: Json[] = [base as Json];
  for (const s of p.segments) nodes = step(nodes, s, base as Json);
  return { found: true, value: nodes };
}

/** `$['a']['b']` form of a path up to segment `upto`, as AWS prints it in messages. */
function bracketed(p: CompiledPath, upto: number): string {
  let out = p.root === 'context' ? '$$' : p.root === 'variable' ? `$${p.variable}` : '$';
  for (let i = 0; i <= upto && i < p.segments.length; i++) {
    const s = p.segments[i]!;
    out += s.k === 'prop' ? `['${s.name}']` : s.k === 'index' ? `[${s.i}]` : '';
  }
  return out;
}

/** The whole path in bracket form (for "No results for path" messages). */
export function bracketForm(text: string): string {
  const p = compilePath(text);
  return bracketed(p, p.segments.length - 1);
}

/**
 * `value` placed at reference path `text` inside `target`, copying only the objects on the
 * way (the input is never mutated). Missing objects on the way are created; `undefined` when
 * a node on the way is not an object.
 */
export function setPath(target: Json, text: string, value: Json): Json | undefined {
  const p = compilePath(text);
  if (p.root !== 'input' || !p.definite) return undefined;
  return setAt(target, p.segments, 0, value);
}

function setAt(node: Json | undefined, segs: Segment[], i: number, value: Json): Json | undefined {
  if (i === segs.length) return value;
  const s = segs[i]!;
  if (s.k === 'prop') {
    const base = node === undefined ? {} : node;
    if (!isObject(base)) return undefined;
    const inner = setAt(base[s.name], segs, i + 1, value);
    if (inner === undefined) return undefined;
    return { ...base, [s.name]: inner };
  }
  if (s.k === 'index' && Array.isArray(node) && s.i >= 0 && s.i < node.length) {
    const inner = setAt(node[s.i], segs, i + 1, value);
    if (inner === undefined) return undefined;
    const copy = node.slice();
    copy[s.i] = inner;
    return copy;
  }
  return undefined;
}

function step(nodes: Json[], s: Segment, root: Json): Json[] {
  const out: Json[] = [];
  for (const n of nodes) {
    switch (s.k) {
      case 'prop':
        if (isObject(n) && Object.prototype.hasOwnProperty.call(n, s.name)) out.push(n[s.name]!);
        break;
      case 'index':
        if (Array.isArray(n)) {
          const idx = s.i < 0 ? n.length + s.i : s.i;
          if (idx >= 0 && idx < n.length) out.push(n[idx]!);
        }
        break;
      case 'wild':
        if (Array.isArray(n)) out.push(...n);
        else if (isObject(n)) out.push(...Object.values(n));
        break;
      case 'slice':
        if (Array.isArray(n)) out.push(...sliceOf(n, s));
        break;
      case 'union':
        for (const it of s.items) {
          if (typeof it === 'number' && Array.isArray(n)) { const v = n[it < 0 ? n.length + it : it]; if (v !== undefined) out.push(v); }
          else if (typeof it === 'string' && isObject(n) && it in n) out.push(n[it]!);
        }
        break;
      case 'filter': {
        const children = Array.isArray(n) ? n : isObject(n) ? Object.values(n) : [];
        for (const c of children) if (s.test(c, root)) out.push(c);
        break;
      }
      case 'desc':
        descend(n, s.name, out);
        break;
    }
  }
  return out;
}

function sliceOf(arr: Json[], s: { start?: number; end?: number; step: number }): Json[] {
  const len = arr.length;
  const norm = (v: number) => (v < 0 ? Math.max(0, len + v) : Math.min(v, len));
  const start = s.start === undefined ? 0 : norm(s.start);
  const end = s.end === undefined ? len : norm(s.end);
  const out: Json[] = [];
  for (let i = start; i < end; i += Math.max(1, s.step)) out.push(arr[i]!);
  return out;
}

function descend(n: Json, name: string | undefined, out: Json[]): void {
  if (isObject(n)) {
    for (const [k, v] of Object.entries(n)) {
      if (name === undefined || k === name) out.push(v);
      descend(v, name, out);
    }
  } else if (Array.isArray(n)) {
    for (const v of n) {
      if (name === undefined) out.push(v);
      descend(v, name, out);
    }
  }
}

// ---- parsing ----

function parse(text: string): CompiledPath {
  if (typeof text !== 'string' || !text.startsWith('$')) throw new JsonPathSyntaxError(`path must start with $: ${text}`);
  let i = 1;
  let root: CompiledPath['root'] = 'input';
  let variable: string | undefined;
  if (text[1] === '$') { root = 'context'; i = 2; }
  else if (/[A-Za-z_]/.test(text[1] ?? '')) {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(1))!;
    root = 'variable';
    variable = m[0];
    i = 1 + m[0].length;
  }
  const segments: Segment[] = [];
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      if (text[i + 1] === '.') {
        i += 2;
        if (text[i] === '*') { segments.push({ k: 'desc', name: undefined }); i++; continue; }
        const m = /^[^.[\]\s]+/.exec(text.slice(i));
        if (!m) throw new JsonPathSyntaxError(`bad path: ${text}`);
        segments.push({ k: 'desc', name: m[0] });
        i += m[0].length;
        continue;
      }
      i++;
      if (text[i] === '*') { segments.push({ k: 'wild' }); i++; continue; }
      const m = /^[^.[\]\s]+/.exec(text.slice(i));
      if (!m) throw new JsonPathSyntaxError(`bad path: ${text}`);
      segments.push({ k: 'prop', name: m[0] });
      i += m[0].length;
    } else if (c === '[') {
      const close = findClose(text, i);
      segments.push(bracket(text.slice(i + 1, close).trim(), text));
      i = close + 1;
    } else {
      throw new JsonPathSyntaxError(`bad path: ${text}`);
    }
  }
  const definite = segments.every((s) => s.k === 'prop' || s.k === 'index');
  return { text, root, variable, segments, definite };
}

function findClose(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = open; j < text.length; j++) {
    const ch = text[j];
    if (quote) { if (ch === '\\') j++; else if (ch === quote) quote = undefined; continue; }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return j;
  }
  throw new JsonPathSyntaxError(`unclosed bracket: ${text}`);
}

function unquote(s: string): string | undefined {
  const m = /^(['"])(.*)\1$/s.exec(s);
  return m ? m[2]!.replace(/\\(.)/g, '$1') : undefined;
}

function bracket(inner: string, text: string): Segment {
  if (inner === '*') return { k: 'wild' };
  if (inner.startsWith('?')) return { k: 'filter', test: compileFilter(inner.slice(1).trim(), text) };
  const parts = splitTop(inner, ',');
  if (parts.length > 1) {
    return { k: 'union', items: parts.map((p) => { const q = unquote(p.trim()); if (q !== undefined) return q; const n = Number(p); if (!Number.isInteger(n)) throw new JsonPathSyntaxError(text); return n; }) };
  }
  const q = unquote(inner);
  if (q !== undefined) return { k: 'prop', name: q };
  if (/^-?\d+$/.test(inner)) return { k: 'index', i: Number(inner) };
  const sl = /^(-?\d*):(-?\d*)(?::(\d*))?$/.exec(inner);
  if (sl) {
    return {
      k: 'slice',
      start: sl[1] ? Number(sl[1]) : undefined,
      end: sl[2] ? Number(sl[2]) : undefined,
      step: sl[3] ? Number(sl[3]) : 1,
    };
  }
  throw new JsonPathSyntaxError(`bad path: ${text}`);
}

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let j = 0; j < s.length; j++) {
    const ch = s[j];
    if (quote) { if (ch === '\\') j++; else if (ch === quote) quote = undefined; continue; }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && s.startsWith(sep, j)) { out.push(s.slice(start, j)); start = j + sep.length; j += sep.length - 1; }
  }
  out.push(s.slice(start));
  return out;
}

// Filters: `(@.a < 3 && @.b == 'x')`, `(@.flag)`, with `@` the candidate and `$` the root.
function compileFilter(expr: string, text: string): (node: Json, root: Json) => boolean {
  const body = expr.startsWith('(') && expr.endsWith(')') ? expr.slice(1, -1).trim() : expr;
  const ors = splitTop(body, '||');
  if (ors.length > 1) {
    const fs = ors.map((o) => compileFilter(o.trim(), text));
    return (n, r) => fs.some((f) => f(n, r));
  }
  const ands = splitTop(body, '&&');
  if (ands.length > 1) {
    const fs = ands.map((a) => compileFilter(a.trim(), text));
    return (n, r) => fs.every((f) => f(n, r));
  }
  const m = /^(.+?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(body);
  if (!m) {
    const operand = compileOperand(body, text);
    return (n, r) => operand(n, r) !== undefined;
  }
  const left = compileOperand(m[1]!.trim(), text);
  const right = compileOperand(m[3]!.trim(), text);
  const op = m[2]!;
  return (n, r) => compare(left(n, r), op, right(n, r));
}

function compileOperand(s: string, text: string): (node: Json, root: Json) => Json | undefined {
  if (s.startsWith('@') || s.startsWith('$')) {
    const path = compilePath(s.startsWith('@') ? `$${s.slice(1)}` : s);
    const rel = s.startsWith('@');
    return (n, r) => {
      const got = queryPath(path.text, { input: rel ? n : r });
      return got.found ? got.value : undefined;
    };
  }
  const q = unquote(s);
  if (q !== undefined) return () => q;
  try {
    const v = JSON.parse(s) as Json;
    return () => v;
  } catch {
    throw new JsonPathSyntaxError(`bad filter in ${text}`);
  }
}

function compare(a: Json | undefined, op: string, b: Json | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  switch (op) {
    case '==': return jsonEquals(a, b);
    case '!=': return !jsonEquals(a, b);
  }
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}
