/**
 * The PartiQL subset DynamoDB accepts: SELECT (table or "table"."index"), INSERT … VALUE,
 * UPDATE … SET/REMOVE … WHERE … [RETURNING …] and DELETE … WHERE. WHERE clauses and SET values
 * become the same conditions and update actions the expression language produces, so one
 * evaluator serves both. `?` takes the next parameter.
 */
import type { Comparator, Condition, Operand, Path, UpdateAction } from './ast.js';
import { canonicalNumber } from './decimal.js';
import { DynamoValidation } from './errors.js';
import { typeOf, type AttributeValue, type Item } from './values.js';

export type Statement =
  | { kind: 'select'; table: string; index?: string; projection?: Path[]; where?: Condition }
  | { kind: 'insert'; table: string; item: Item }
  | { kind: 'update'; table: string; actions: UpdateAction[]; where: Condition; returning?: string }
  | { kind: 'delete'; table: string; where: Condition; returning?: string };

interface Tok { kind: 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'eof'; text: string }

const PUNCT = ['<<', '>>', '<>', '!=', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', '+', '-', '?', ':', '*'];

function bad(detail: string): DynamoValidation {
  return new DynamoValidation(`Statement wasn't well formed, can't be processed: ${detail}`);
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= src.length) throw bad('unterminated quoted text');
        if (src[j] === c && src[j + 1] === c) { text += c; j += 2; continue; }
        if (src[j] === c) break;
        text += src[j++];
      }
      out.push({ kind: c === "'" ? 'string' : 'quoted', text });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) { out.push({ kind: 'number', text: num[0] }); i += num[0].length; continue; }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (word) { out.push({ kind: 'word', text: word[0] }); i += word[0].length; continue; }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (!p) throw bad(`Unexpected character: ${c}`);
    out.push({ kind: 'punct', text: p });
    i += p.length;
  }
  out.push({ kind: 'eof', text: '<EOF>' });
  return out;
}

class P {
  #t: Tok[];
  #i = 0;
  #param = 0;

  constructor(src: string, readonly params: AttributeValue[]) { this.#t = lex(src); }

  get peek(): Tok { return this.#t[this.#i]!; }
  next(): Tok { return this.#t[this.#i++]!; }
  is(word: string): boolean { return this.peek.kind === 'word' && this.peek.text.toUpperCase() === word; }
  isP(p: string): boolean { return this.peek.kind === 'punct' && this.peek.text === p; }
  want(word: string): void { if (!this.is(word)) throw bad(`expected ${word} but found ${this.peek.text}`); this.#i++; }
  wantP(p: string): void { if (!this.isP(p)) throw bad(`expected ${p} but found ${this.peek.text}`); this.#i++; }
  end(): void { if (this.peek.kind !== 'eof') throw bad(`Unexpected token ${this.peek.text}`); }
  get paramsUsed(): number { return this.#param; }

  name(): string {
    const t = this.next();
    if (t.kind !== 'word' && t.kind !== 'quoted') throw bad(`Unexpected token ${t.text}`);
    return t.text;
  }

  path(): Path {
    const p: Path = [this.name()];
    for (;;) {
      if (this.isP('.')) { this.next(); p.push(this.name()); continue; }
      if (this.isP('[')) {
        this.next();
        const t = this.next();
        if (t.kind === 'number') p.push(Number(t.text));
        else if (t.kind === 'string') p.push(t.text);
        else throw bad(`Unexpected token ${t.text}`);
        this.wantP(']');
        continue;
      }
      return p;
    }
  }

  literal(): AttributeValue {
    const t = this.next();
    if (t.kind === 'string') return { S: t.text };
    if (t.kind === 'number') return { N: canonicalNumber(t.text) };
    if (t.kind === 'punct' && t.text === '-' && this.peek.kind === 'number') return { N: canonicalNumber(`-${this.next().text}`) };
    if (t.kind === 'punct' && t.text === '?') {
      const v = this.params[this.#param++];
      if (!v) throw new DynamoValidation("Number of parameters in request and statement don't match.");
      return v;
    }
    if (t.kind === 'word' && /^(true|false)$/i.test(t.text)) return { BOOL: t.text.toLowerCase() === 'true' };
    if (t.kind === 'word' && /^null$/i.test(t.text)) return { NULL: true };
    if (t.kind === 'punct' && t.text === '{') {
      const m: Record<string, AttributeValue> = {};
      if (!this.isP('}')) {
        do {
          const k = this.next();
          if (k.kind !== 'string' && k.kind !== 'quoted') throw bad(`Unexpected token ${k.text}`);
          this.wantP(':');
          m[k.text] = this.literal();
        } while (this.isP(',') && this.next());
      }
      this.wantP('}');
      return { M: m };
    }
    if (t.kind === 'punct' && (t.text === '[' || t.text === '<<')) {
      const close = t.text === '[' ? ']' : '>>';
      const list: AttributeValue[] = [];
      if (!this.isP(close)) do list.push(this.literal()); while (this.isP(',') && this.next());
      this.wantP(close);
      if (close === ']') return { L: list };
      const types = new Set(list.map(typeOf));
      if (types.size !== 1 || !['S', 'N', 'B'].includes([...types][0]!)) throw bad('a set holds strings, numbers or binaries of one type');
      const t0 = [...types][0]!;
      return t0 === 'S' ? { SS: list.map((v) => v.S!) } : t0 === 'N' ? { NS: list.map((v) => v.N!) } : { BS: list.map((v) => v.B!) };
    }
    throw bad(`Unexpected token ${t.text}`);
  }

  operand(): Operand {
    const t = this.peek;
    if ((t.kind === 'word' && !/^(true|false|null)$/i.test(t.text)) || t.kind === 'quoted') {
      if (t.kind === 'word' && this.#t[this.#i + 1]?.text === '(' && t.text.toLowerCase() === 'size') {
        this.next(); this.wantP('(');
        const path = this.path();
        this.wantP(')');
        return { kind: 'size', path };
      }
      return { kind: 'path', path: this.path() };
    }
    return { kind: 'value', value: this.literal(), ref: '?' };
  }

  condition(): Condition {
    let l = this.conj();
    while (this.is('OR')) { this.next(); l = { kind: 'or', left: l, right: this.conj() }; }
    return l;
  }

  conj(): Condition {
    let l = this.neg();
    while (this.is('AND')) { this.next(); l = { kind: 'and', left: l, right: this.neg() }; }
    return l;
  }

  neg(): Condition {
    if (this.is('NOT')) { this.next(); return { kind: 'not', arg: this.neg() }; }
    if (this.isP('(')) { this.next(); const c = this.condition(); this.wantP(')'); return c; }
    const t = this.peek;
    const fn = t.kind === 'word' ? t.text.toLowerCase() : '';
    if (['begins_with', 'contains', 'attribute_type', 'attribute_exists', 'attribute_not_exists'].includes(fn) && this.#t[this.#i + 1]?.text === '(') {
      this.next(); this.wantP('(');
      const args = [this.operand()];
      while (this.isP(',')) { this.next(); args.push(this.operand()); }
      this.wantP(')');
      return { kind: 'function', name: fn as 'contains', args };
    }
    const left = this.operand();
    if (this.is('IS')) {
      this.next();
      const not = this.is('NOT') && this.next() !== undefined;
      if (this.is('MISSING')) {
        this.next();
        if (left.kind !== 'path') throw bad('IS MISSING needs an attribute');
        return { kind: 'function', name: not ? 'attribute_exists' : 'attribute_not_exists', args: [left] };
      }
      const type = this.next().text.toUpperCase();
      const map: Record<string, string> = { NULL: 'NULL', STRING: 'S', NUMBER: 'N', BOOLEAN: 'BOOL', MAP: 'M', LIST: 'L', BINARY: 'B' };
      if (!map[type]) throw bad(`Unexpected token ${type}`);
      const c: Condition = { kind: 'function', name: 'attribute_type', args: [left, { kind: 'value', value: { S: map[type]! }, ref: 'IS' }] };
      return not ? { kind: 'not', arg: c } : c;
    }
    if (this.is('BETWEEN')) {
      this.next();
      const low = this.operand();
      this.want('AND');
      return { kind: 'between', arg: left, low, high: this.operand() };
    }
    if (this.is('IN')) {
      this.next();
      const open = this.next().text;
      if (open !== '[' && open !== '(') throw bad(`Unexpected token ${open}`);
      const list = [this.operand()];
      while (this.isP(',')) { this.next(); list.push(this.operand()); }
      this.wantP(open === '[' ? ']' : ')');
      return { kind: 'in', arg: left, list };
    }
    const op = this.next().text;
    if (!['=', '<>', '!=', '<', '<=', '>', '>='].includes(op)) throw bad(`Unexpected token ${op}`);
    return { kind: 'compare', op: (op === '!=' ? '<>' : op) as Comparator, left, right: this.operand() };
  }

  setValue(): Operand {
    const t = this.peek;
    if (t.kind === 'word' && /^(list_append|if_not_exists)$/i.test(t.text) && this.#t[this.#i + 1]?.text === '(') {
      const fn = this.next().text.toLowerCase();
      this.wantP('(');
      const a = this.setValue();
      this.wantP(',');
      const b = this.setValue();
      this.wantP(')');
      if (fn === 'list_append') return { kind: 'list_append', left: a, right: b };
      if (a.kind !== 'path') throw bad('if_not_exists needs an attribute');
      return { kind: 'if_not_exists', path: a.path, fallback: b };
    }
    const left = this.operand();
    if (this.isP('+') || this.isP('-')) {
      const op = this.next().text as '+' | '-';
      return { kind: 'arith', op, left, right: this.operand() };
    }
    return left;
  }

  returning(): string | undefined {
    if (!this.is('RETURNING')) return undefined;
    this.next();
    const which = this.next().text.toUpperCase();
    const when = this.next().text.toUpperCase();
    this.wantP('*');
    if (!['ALL', 'MODIFIED'].includes(which) || !['OLD', 'NEW'].includes(when)) throw bad(`Unexpected token ${which} ${when}`);
    return `${which === 'ALL' ? 'ALL' : 'UPDATED'}_${when}`;
  }
}

/** Parses one statement; `params` fill its `?` placeholders in order. */
export function parseStatement(src: string, params: AttributeValue[] = []): Statement {
  const p = new P(src, params);
  let s: Statement;
  if (p.is('SELECT')) {
    p.next();
    let projection: Path[] | undefined;
    if (p.isP('*')) p.next();
    else { projection = [p.path()]; while (p.isP(',')) { p.next(); projection.push(p.path()); } }
    p.want('FROM');
    const table = p.name();
    let index: string | undefined;
    if (p.isP('.')) { p.next(); index = p.name(); }
    let where: Condition | undefined;
    if (p.is('WHERE')) { p.next(); where = p.condition(); }
    s = { kind: 'select', table, index, projection, where };
  } else if (p.is('INSERT')) {
    p.next(); p.want('INTO');
    const table = p.name();
    p.want('VALUE');
    const v = p.literal();
    if (!v.M) throw bad('INSERT takes one item, written as a map');
    s = { kind: 'insert', table, item: v.M };
  } else if (p.is('UPDATE')) {
    p.next();
    const table = p.name();
    const actions: UpdateAction[] = [];
    while (p.is('SET') || p.is('REMOVE')) {
      const kw = p.next().text.toUpperCase();
      do {
        const path = p.path();
        if (kw === 'REMOVE') actions.push({ kind: 'REMOVE', path });
        else { p.wantP('='); actions.push({ kind: 'SET', path, value: p.setValue() }); }
      } while (p.isP(',') && p.next());
    }
    if (!actions.length) throw bad('UPDATE needs SET or REMOVE');
    p.want('WHERE');
    const where = p.condition();
    s = { kind: 'update', table, actions, where, returning: p.returning() };
  } else if (p.is('DELETE')) {
    p.next(); p.want('FROM');
    const table = p.name();
    p.want('WHERE');
    const where = p.condition();
    s = { kind: 'delete', table, where, returning: p.returning() };
  } else {
    throw bad(`Unexpected token ${p.peek.text}`);
  }
  p.end();
  if (p.paramsUsed !== params.length) throw new DynamoValidation("Number of parameters in request and statement don't match.");
  return s;
}

/**
 * Splits a WHERE clause into equalities on the given key attributes and the rest (ANDed),
 * for statements that must name one item.
 */
export function keyFromWhere(where: Condition, keys: string[]): { key: Item; rest?: Condition } | undefined {
  const parts: Condition[] = [];
  const flat = (c: Condition): void => { if (c.kind === 'and') { flat(c.left); flat(c.right); } else parts.push(c); };
  flat(where);
  const key: Item = {};
  const rest: Condition[] = [];
  for (const c of parts) {
    if (c.kind === 'compare' && c.op === '=' && c.left.kind === 'path' && c.left.path.length === 1 && keys.includes(c.left.path[0] as string)
      && c.right.kind === 'value' && key[c.left.path[0] as string] === undefined) {
      key[c.left.path[0] as string] = c.right.value;
    } else rest.push(c);
  }
  if (!keys.every((k) => key[k] !== undefined)) return undefined;
  return { key, rest: rest.length ? rest.reduce((a, b) => ({ kind: 'and', left: a, right: b })) : undefined };
}
