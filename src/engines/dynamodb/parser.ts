/**
 * Recursive-descent parser for DynamoDB's expressions. Precedence follows AWS: comparisons,
 * BETWEEN and IN bind tightest, then NOT, AND, OR. Placeholders are resolved while parsing so
 * a missing `#name` or `:value` fails with AWS's message, and the ones used are recorded.
 */
import type { Comparator, Condition, ConditionFunction, Operand, Path, Placeholders, UpdateAction } from './ast.js';
import { showPath } from './ast.js';
import { invalidExpression } from './errors.js';
import { syntaxError, tokenize, type Token } from './lexer.js';
import { RESERVED_WORDS } from './reserved-words.js';
import { typeOf, type AttributeValue } from './values.js';

const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);
const ARITY: Record<string, number> = {
  attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2, size: 1, if_not_exists: 2, list_append: 2,
};
/** Only 300 operators or functions per expression (AWS limit). */
const MAX_OPERATORS = 300;

class Parser {
  #tokens: Token[];
  #i = 0;
  #operators = 0;

  constructor(readonly src: string, readonly kind: string, readonly ph: Placeholders) {
    this.#tokens = tokenize(src, kind);
  }

  get peek(): Token { return this.#tokens[this.#i]!; }

  next(): Token { return this.#tokens[this.#i++]!; }

  fail(): never { throw syntaxError(this.kind, this.src, this.#tokens, this.#i); }

  isWord(word: string, t = this.peek): boolean {
    return t.kind === 'name' && t.text.toUpperCase() === word;
  }

  isPunct(p: string): boolean {
    return this.peek.kind === 'punct' && this.peek.text === p;
  }

  expect(p: string): void {
    if (!this.isPunct(p)) this.fail();
    this.#i++;
  }

  end(): void {
    if (this.peek.kind !== 'eof') this.fail();
  }

  count(): void {
    if (++this.#operators > MAX_OPERATORS) {
      throw invalidExpression(this.kind, `The expression contains too many operators; operator count: ${this.#operators}`);
    }
  }

  // ---- paths and operands ----

  path(): Path {
    const path: Path = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) { this.#i++; path.push(this.pathName()); continue; }
      if (this.isPunct('[')) {
        this.#i++;
        const t = this.next();
        if (t.kind !== 'index') { this.#i--; this.fail(); }
        this.expect(']');
        path.push(Number(t.text));
        continue;
      }
      return path;
    }
  }

  pathName(): string {
    const t = this.next();
    if (t.kind === 'attrName') {
      const v = this.ph.names?.[t.text];
      if (v === undefined) throw invalidExpression(this.kind, `An expression attribute name used in the document path is not defined; attribute name: ${t.text}`);
      this.ph.usedNames.add(t.text);
      return v;
    }
    if (t.kind !== 'name') { this.#i--; this.fail(); }
    if (RESERVED_WORDS.has(t.text.toUpperCase())) throw invalidExpression(this.kind, `Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
    return t.text;
  }

  value(t: Token): AttributeValue {
    const v = this.ph.values?.[t.text];
    if (v === undefined) throw invalidExpression(this.kind, `An expression attribute value used in expression is not defined; attribute value: ${t.text}`);
    this.ph.usedValues.add(t.text);
    return v;
  }

  /** A function call's name and raw operand list; the caller checks what the function allows. */
  call(): { name: string; args: Operand[] } {
    const nameTok = this.next();
    const name = nameTok.text;
    this.expect('(');
    this.count();
    const args: Operand[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.operand(true));
        if (this.isPunct(',')) { this.#i++; continue; }
        break;
      }
    }
    this.expect(')');
    if (!(name in ARITY)) throw invalidExpression(this.kind, `Invalid function name; function: ${name}`);
    if (args.length !== ARITY[name]) {
      throw invalidExpression(this.kind, `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    }
    return { name, args };
  }

  /** An operand; `update` allows the update-only functions and arithmetic. */
  operand(update = false): Operand {
    const t = this.peek;
    if (t.kind === 'attrValue') { this.#i++; return { kind: 'value', value: this.value(t), ref: t.text }; }
    if (t.kind === 'name' && this.#tokens[this.#i + 1]?.text === '(') {
      const { name, args } = this.call();
      if (name === 'size') return { kind: 'size', path: this.requirePath(name, args[0]!) };
      if (name === 'if_not_exists' || name === 'list_append') {
        if (this.kind !== 'UpdateExpression') throw invalidExpression(this.kind, `The function is not allowed in a ${this.kindWords()} expression; function: ${name}`);
        if (name === 'if_not_exists') return { kind: 'if_not_exists', path: this.requirePath(name, args[0]!), fallback: args[1]! };
        return { kind: 'list_append', left: args[0]!, right: args[1]! };
      }
      throw invalidExpression(this.kind, `The function is not allowed to be used this way in an expression; function: ${name}`);
    }
    if (t.kind === 'name' || t.kind === 'attrName') return { kind: 'path', path: this.path() };
    if (update && this.isPunct('(')) this.fail();
    return this.fail();
  }

  kindWords(): string {
    return this.kind.replace(/Expression$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  }

  requirePath(fn: string, op: Operand): Path {
    if (op.kind !== 'path') throw invalidExpression(this.kind, `Operator or function requires a document path; operator or function: ${fn}`);
    return op.path;
  }

  // ---- conditions ----

  condition(): Condition {
    let left = this.conjunction();
    while (this.isWord('OR')) { this.#i++; this.count(); left = { kind: 'or', left, right: this.conjunction() }; }
    return left;
  }

  conjunction(): Condition {
    let left = this.negation();
    while (this.isWord('AND')) { this.#i++; this.count(); left = { kind: 'and', left, right: this.negation() }; }
    return left;
  }

  negation(): Condition {
    if (this.isWord('NOT')) { this.#i++; this.count(); return { kind: 'not', arg: this.negation() }; }
    return this.predicate();
  }

  predicate(): Condition {
    if (this.isPunct('(')) {
      this.#i++;
      const c = this.condition();
      this.expect(')');
      return c;
    }
    const t = this.peek;
    if (t.kind === 'name' && this.#tokens[this.#i + 1]?.text === '(' && CONDITION_FUNCTIONS.has(t.text)) {
      const { name, args } = this.call();
      if (name !== 'contains' && name !== 'begins_with') this.requirePath(name, args[0]!);
      return { kind: 'function', name: name as ConditionFunction, args };
    }
    const left = this.operand();
    if (this.peek.kind === 'punct' && COMPARATORS.has(this.peek.text)) {
      const op = this.next().text as Comparator;
      this.count();
      return { kind: 'compare', op, left, right: this.operand() };
    }
    if (this.isWord('BETWEEN')) {
      this.#i++;
      this.count();
      const low = this.operand();
      if (!this.isWord('AND')) this.fail();
      this.#i++;
      return { kind: 'between', arg: left, low, high: this.operand() };
    }
    if (this.isWord('IN')) {
      this.#i++;
      this.count();
      this.expect('(');
      const list = [this.operand()];
      while (this.isPunct(',')) { this.#i++; list.push(this.operand()); }
      this.expect(')');
      if (list.length > 100) throw invalidExpression(this.kind, `The expression contains too many operands for the IN operator; operand count: ${list.length}`);
      return { kind: 'in', arg: left, list };
    }
    if (left.kind === 'size') throw invalidExpression(this.kind, 'The function is not allowed to be used this way in an expression; function: size');
    return this.fail();
  }

  // ---- updates ----

  update(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    const seen = new Set<string>();
    do {
      const t = this.next();
      const clause = t.text.toUpperCase();
      if (t.kind !== 'name' || !['SET', 'REMOVE', 'ADD', 'DELETE'].includes(clause)) { this.#i--; this.fail(); }
      if (seen.has(clause)) throw invalidExpression(this.kind, `The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      do {
        actions.push(this.updateAction(clause as UpdateAction['kind']));
        if (!this.isPunct(',')) break;
        this.#i++;
      } while (true);
    } while (this.peek.kind !== 'eof');
    return actions;
  }

  updateAction(clause: UpdateAction['kind']): UpdateAction {
    const path = this.path();
    this.count();
    if (clause === 'REMOVE') return { kind: 'REMOVE', path };
    if (clause === 'SET') {
      this.expect('=');
      let value = this.operand(true);
      if (this.isPunct('+') || this.isPunct('-')) {
        const op = this.next().text as '+' | '-';
        this.count();
        value = { kind: 'arith', op, left: value, right: this.operand(true) };
      }
      return { kind: 'SET', path, value };
    }
    const t = this.next();
    if (t.kind !== 'attrValue') { this.#i--; this.fail(); }
    const value = this.value(t);
    const type = typeOf(value);
    const allowed = clause === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
    if (!allowed.includes(type)) {
      throw invalidExpression(this.kind, `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${TYPE_WORDS[type]}`);
    }
    return { kind: clause, path, value };
  }
}

const TYPE_WORDS: Record<string, string> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', SS: 'STRING SET', NS: 'NUMBER SET', BS: 'BINARY SET', M: 'MAP', L: 'LIST', NULL: 'NULL', BOOL: 'BOOLEAN',
};

/** Parses a condition (ConditionExpression, FilterExpression, KeyConditionExpression). */
export function parseCondition(src: string, kind: string, ph: Placeholders): Condition {
  const p = new Parser(src, kind, ph);
  if (p.peek.kind === 'eof') throw invalidExpression(kind, 'The expression can not be empty;');
  const c = p.condition();
  p.end();
  return c;
}

/** Parses an UpdateExpression into its actions, refusing overlapping or conflicting paths. */
export function parseUpdate(src: string, ph: Placeholders): UpdateAction[] {
  const kind = 'UpdateExpression';
  const p = new Parser(src, kind, ph);
  if (p.peek.kind === 'eof') throw invalidExpression(kind, 'The expression can not be empty;');
  const actions = p.update();
  checkOverlaps(actions.map((a) => a.path), kind);
  return actions;
}

/** Parses a ProjectionExpression into its paths. */
export function parseProjection(src: string, ph: Placeholders): Path[] {
  const kind = 'ProjectionExpression';
  const p = new Parser(src, kind, ph);
  if (p.peek.kind === 'eof') throw invalidExpression(kind, 'The expression can not be empty;');
  const paths = [p.path()];
  while (p.isPunct(',')) { p.next(); paths.push(p.path()); }
  p.end();
  checkOverlaps(paths, kind);
  return paths;
}

function checkOverlaps(paths: Path[], kind: string): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i]!;
      const b = paths[j]!;
      const n = Math.min(a.length, b.length);
      let k = 0;
      while (k < n && a[k] === b[k]) k++;
      if (k === n) {
        throw invalidExpression(kind, `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${showPath(a)}, path two: ${showPath(b)}`);
      }
      if (typeof a[k] !== typeof b[k]) {
        throw invalidExpression(kind, `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${showPath(a)}, path two: ${showPath(b)}`);
      }
    }
  }
}
