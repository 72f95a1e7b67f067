// The pattern compiler: reads a pattern token by token exactly as AWS's Ruler does
// (JsonRuleCompiler), so that the first error found, its wording and its location are
// AWS's, and produces the flattened branches the matcher runs: one map of field path to
// field test per `$or` alternative.
import { PatternIssue, type Dialect } from './errors.js';
import { cidrRange, ipHex } from './ip.js';
import { JsonReader, type Token } from './json-reader.js';
import * as M from './matchers.js';
import { comparable, COMPARABLE_MAX, COMPARABLE_MIN, inNumericRange, NUMERIC_RANGE_MESSAGE } from './numbers.js';
import { parseWildcard, TOO_COMPLEX, WILDCARD_COMPLEXITY_LIMIT, wildcardComplexity, type Wildcard } from './wildcard.js';

/** The test for one field path within one branch. */
export interface FieldSpec {
  /** Dotted path (`detail.state`); nested keys and dotted keys compile alike. */
  readonly path: string;
  /** Value matchers; the field matches when any accepts any of its leaves. */
  readonly matchers: readonly M.Matcher[];
  /** `{"exists": false}` was among the values: an absent field matches. */
  readonly absent: boolean;
  /** Wildcard values, for the complexity check. */
  readonly wildcards: readonly Wildcard[];
  /** Identical field tests (in any pattern) share this key, so a rule set tests them once per event. */
  readonly key: string;
}

/** One alternative of the pattern: every field must match. */
export type Branch = ReadonlyMap<string, FieldSpec>;

const OR = '$or';
const RESERVED = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr',
  '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after', 'date-on-or-after',
  'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range', 'ip-address-not-in-range',
]);
const ABSENT = Symbol('absent');
type Value = M.Matcher | typeof ABSENT;
type AbOp = M.AnythingButOp;

/** Compiles pattern text into branches; throws {@link PatternIssue} as Ruler would fail. */
export function compileBranches(source: string, dialect: Dialect): Branch[] {
  return new RuleCompiler(new JsonReader(source), dialect).compile();
}

class RuleCompiler {
  #r: JsonReader;
  #sns: boolean;

  constructor(reader: JsonReader, dialect: Dialect) {
    this.#r = reader;
    this.#sns = dialect === 'sns';
  }

  compile(): Branch[] {
    if (this.#r.next() !== 'START_OBJECT') this.#barf('structure', 'Filter is not an object');
    const rules: Array<Map<string, FieldSpec>> = [];
    this.#object(rules, undefined, false);
    checkComplexity(rules);
    return rules;
  }

  /** Fails at the reader's location; `twice` repeats it, as when Ruler re-wraps its own error. */
  #barf(code: PatternIssue['code'], message: string, twice = false): never {
    const at = this.#r.location();
    throw new PatternIssue(code, message, twice ? [at, at] : [at]);
  }

  #object(rules: Array<Map<string, FieldSpec>>, path: string | undefined, inOr: boolean): void {
    let present = false;
    while (this.#r.next() !== 'END_OBJECT') {
      present = true;
      const name = this.#r.currentName();
      if (name === OR) {
        this.#or(rules, path);
        continue;
      }
      if (inOr && RESERVED.has(name)) this.#barf('or', `${name} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
      const t = this.#r.next();
      const full = path === undefined ? name : `${path}.${name}`;
      if (t === 'START_OBJECT') this.#object(rules, full, inOr);
      else if (t === 'START_ARRAY') this.#field(rules, full);
      else this.#barf('structure', `"${name}" must be an object or an array`);
    }
    if (!present) this.#barf('structure', 'Empty objects are not allowed');
  }

  #or(rules: Array<Map<string, FieldSpec>>, path: string | undefined): void {
    const current = rules.map((m) => new Map(m));
    rules.length = 0;
    if (this.#r.next() !== 'START_ARRAY') this.#barf('or', `It must be an Array followed with ${OR}.`);
    let count = 0;
    for (let t = this.#r.next(); t !== 'END_ARRAY'; t = this.#r.next()) {
      count++;
      if (t !== 'START_OBJECT') this.#barf('or', `Only JSON object is allowed in array of ${OR} relationship.`);
      const fresh = current.length > 0 ? current.map((m) => new Map(m)) : [new Map<string, FieldSpec>()];
      this.#object(fresh, path, true);
      rules.push(...fresh);
    }
    if (count < 2) this.#barf('or', `There must have at least 2 Objects in ${OR} relationship.`);
  }

  #field(rules: Array<Map<string, FieldSpec>>, path: string): void {
    const matchers: M.Matcher[] = [];
    const wildcards: Wildcard[] = [];
    let absent = false;
    let count = 0;
    for (let t = this.#r.next(); t !== 'END_ARRAY'; t = this.#r.next()) {
      count++;
      const v = this.#value(t, wildcards);
      if (v === ABSENT) absent = true;
      else matchers.push(v);
    }
    if (count === 0) this.#barf('structure', 'Empty arrays are not allowed');
    if (rules.length === 0) rules.push(new Map());
    const key = `${path}\u0001${absent ? 1 : 0}\u0001${matchers.map((m) => m.text).join('\u0002')}`;
    const spec: FieldSpec = { path, matchers, absent, wildcards, key };
    for (const rule of rules) rule.set(path, spec);
  }

  #value(t: Token, wildcards: Wildcard[]): Value {
    switch (t) {
      case 'START_OBJECT': return this.#expression(wildcards);
      case 'VALUE_STRING': {
        const s = this.#r.text();
        const hex = ipHex(s);
        return hex === undefined ? M.exactString(s) : M.exactIp(s, hex);
      }
      case 'VALUE_NUMBER': return M.exactNumber(this.#r.text());
      case 'VALUE_NULL': return M.exactLiteral(null);
      case 'VALUE_TRUE': return M.exactLiteral(true);
      case 'VALUE_FALSE': return M.exactLiteral(false);
      default: return this.#barf('match-value', 'Match value must be String, number, true, false, or null');
    }
  }

  #end(): void {
    if (this.#r.next() !== 'END_OBJECT') this.#barf('operator', 'Only one key allowed in match expression');
  }

  #string(code: PatternIssue['code'], what: string): string {
    if (this.#r.next() !== 'VALUE_STRING') this.#barf(code, `${what} match pattern must be a string`);
    return this.#r.text();
  }

  #expression(wildcards: Wildcard[]): Value {
    if (this.#r.next() !== 'FIELD_NAME') this.#barf('operator', 'Match expression name not found');
    const op = this.#r.currentName();
    let m: Value;
    switch (this.#sns && (op === 'exactly' || op === 'wildcard') ? '' : op) {
      case 'exactly': m = M.exactString(this.#string('operator', 'exact')); break;
      case 'prefix': case 'suffix': {
        const t = this.#r.next();
        if (t === 'START_OBJECT' && !this.#sns) return this.#ignoreCaseAffix(op === 'prefix' ? 'prefix' : 'suffix');
        if (t !== 'VALUE_STRING') this.#barf('operator', `${op} match pattern must be a string`);
        m = op === 'prefix' ? M.prefix(this.#r.text(), false) : M.suffix(this.#r.text(), false);
        break;
      }
      case 'equals-ignore-case': m = M.equalsIgnoreCase(this.#string('operator', 'equals-ignore-case')); break;
      case 'numeric': {
        if (this.#r.next() !== 'START_ARRAY') this.#barf('numeric', 'Value of numeric must be an array.');
        m = this.#numeric();
        if (this.#r.next() !== 'END_OBJECT') this.#barf('numeric', 'Too many elements in numeric expression');
        return m;
      }
      case 'anything-but': return this.#anythingBut();
      case 'exists': {
        const t = this.#r.next();
        if (t !== 'VALUE_TRUE' && t !== 'VALUE_FALSE') this.#barf('exists', 'exists match pattern must be either true or false.');
        m = t === 'VALUE_TRUE' ? M.EXISTS : ABSENT;
        break;
      }
      case 'cidr': {
        const text = this.#string('cidr', 'prefix');
        m = M.cidr(text, cidrRange(text));
        break;
      }
      case 'wildcard': {
        const text = this.#string('wildcard', 'wildcard');
        const w = this.#wildcard(text, false);
        wildcards.push(w);
        m = M.wildcard(w);
        break;
      }
      default: return this.#barf('operator', `Unrecognized match type ${op}`);
    }
    this.#end();
    return m;
  }

  #ignoreCaseAffix(op: 'prefix' | 'suffix'): M.Matcher {
    const cap = op === 'prefix' ? 'Prefix' : 'Suffix';
    if (this.#r.next() !== 'FIELD_NAME') this.#barf('operator', `${cap} expression name not found`);
    const inner = this.#r.currentName();
    if (inner !== 'equals-ignore-case') this.#barf('operator', `Unsupported ${op} pattern: ${inner}`);
    const text = this.#string('operator', 'equals-ignore-case');
    this.#end();
    this.#end();
    return op === 'prefix' ? M.prefix(text, true) : M.suffix(text, true);
  }

  #wildcard(text: string, twice: boolean): Wildcard {
    try {
      return parseWildcard(text);
    } catch (e) {
      return this.#barf('wildcard', (e as Error).message, twice);
    }
  }

  #number(): number {
    return Number(this.#r.text());
  }

  #numeric(): M.Matcher {
    const r = this.#r;
    if (r.next() !== 'VALUE_STRING') this.#barf('numeric', `Invalid member in numeric match: ${r.text()}`);
    const op = r.text();
    if (!['=', '<', '<=', '>', '>='].includes(op)) {
      r.next();
      this.#barf('numeric', `Unrecognized numeric range operator: ${op}`);
    }
    if (r.next() !== 'VALUE_NUMBER') this.#barf('numeric', `Value of ${op === '=' ? 'equals' : op} must be numeric`);
    const v = this.#number();
    const vText = r.text();
    let lo = v, loOpen = op === '>', hi = v, hiOpen = op === '<';
    let text = `[${JSON.stringify(op)},${vText}]`;
    const next = r.next();
    if (next !== 'END_ARRAY') {
      if (op !== '>' && op !== '>=') this.#barf('numeric', 'Too many elements in numeric expression');
      if (next !== 'VALUE_STRING') this.#barf('numeric', `Bad value in numeric range: ${r.text()}`);
      const op2 = r.text();
      if (op2 !== '<' && op2 !== '<=') this.#barf('numeric', `Bad numeric range operator: ${op2}`);
      if (r.next() !== 'VALUE_NUMBER') this.#barf('numeric', `Value of ${op2} must be numeric`);
      hi = this.#number();
      hiOpen = op2 === '<';
      text = `[${JSON.stringify(op)},${vText},${JSON.stringify(op2)},${r.text()}]`;
      if (r.next() !== 'END_ARRAY') this.#barf('numeric', 'Too many terms in numeric range expression');
    }
    if (!inNumericRange(lo) || !inNumericRange(hi)) this.#barf('numeric', NUMERIC_RANGE_MESSAGE);
    let cLo = comparable(lo), cHi = comparable(hi);
    if (op === '<' || op === '<=') [cLo, loOpen] = [COMPARABLE_MIN, false];
    if ((op === '>' || op === '>=') && next === 'END_ARRAY') [cHi, hiOpen] = [COMPARABLE_MAX, false];
    else if (op !== '=' && op !== '<' && op !== '<=' && cLo >= cHi) this.#barf('numeric', 'Bottom must be less than top');
    return M.numeric(text, cLo, loOpen, cHi, hiOpen);
  }

  #anythingBut(): M.Matcher {
    const r = this.#r;
    let op: AbOp | undefined;
    let t = r.next();
    if (t === 'START_OBJECT') {
      if (r.next() !== 'FIELD_NAME') this.#barf('anything-but', 'Anything-But expression name not found');
      const inner = r.currentName();
      const allowed = this.#sns ? ['prefix'] : ['equals-ignore-case', 'prefix', 'suffix', 'wildcard'];
      if (!allowed.includes(inner)) this.#barf('anything-but', `Unsupported anything-but pattern: ${inner}`);
      op = inner as AbOp;
      t = r.next();
    }
    if (t !== 'START_ARRAY' && t !== 'VALUE_STRING' && t !== 'VALUE_NUMBER') {
      this.#barf('anything-but', 'Value of anything-but must be an array or single string/number value.');
    }
    const m = op === undefined ? this.#anythingButValues(t) : this.#anythingButOp(op, t);
    if (r.next() !== 'END_OBJECT') this.#barf('anything-but', 'Too many elements in numeric expression');
    if (op !== undefined && r.next() !== 'END_OBJECT') this.#barf('anything-but', 'Too many elements in numeric expression');
    return m;
  }

  #anythingButValues(first: Token): M.Matcher {
    const r = this.#r;
    const strings: string[] = [];
    const numbers: number[] = [];
    const texts: string[] = [];
    const add = (t: Token, list: boolean): void => {
      if (t === 'VALUE_STRING') {
        strings.push(r.text());
        texts.push(JSON.stringify(r.text()));
      } else if (t === 'VALUE_NUMBER') {
        const n = this.#number();
        // A single number out of range escapes Ruler's error wrapping: AWS reports no location.
        if (!inNumericRange(n)) throw new PatternIssue('numeric', NUMERIC_RANGE_MESSAGE, list ? [r.location()] : []);
        numbers.push(comparable(n));
        texts.push(r.text());
      } else {
        this.#barf('anything-but', 'Inside anything but list, start|null|boolean is not supported.', true);
      }
    };
    if (first !== 'START_ARRAY') {
      add(first, false);
    } else {
      for (let t = r.next(); t !== 'END_ARRAY'; t = r.next()) add(t, true);
      if ((strings.length > 0) === (numbers.length > 0)) {
        this.#barf('anything-but', 'Inside anything but list, either all values are number or string, mixed type is not supported');
      }
    }
    const text = first === 'START_ARRAY' ? `[${texts.join(',')}]` : (texts[0] as string);
    return M.anythingBut(text, strings.length > 0 ? new Set(strings) : undefined, numbers.length > 0 ? new Set(numbers) : undefined);
  }

  #anythingButOp(op: AbOp, first: Token): M.Matcher {
    const r = this.#r;
    const values: string[] = [];
    const list = first === 'START_ARRAY';
    const take = (t: Token): void => {
      if (t !== 'VALUE_STRING') {
        const msg = op === 'equals-ignore-case' ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
          : op === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string';
        this.#barf('anything-but', msg, list);
      }
      const s = r.text();
      if ((op === 'prefix' || op === 'suffix') && s === '') this.#barf('anything-but', 'Null prefix/suffix not allowed', list);
      values.push(s);
    };
    if (list) for (let t = r.next(); t !== 'END_ARRAY'; t = r.next()) take(t);
    else take(first);
    const wildcards = op === 'wildcard' ? values.map((v) => this.#wildcard(v, false)) : [];
    return M.anythingButOp(op, [...new Set(values)], wildcards);
  }
}

/** AWS refuses a rule whose wildcards on one field are too non-deterministic. */
function checkComplexity(rules: ReadonlyArray<Map<string, FieldSpec>>): void {
  const byPath = new Map<string, Map<string, Wildcard>>();
  for (const rule of rules) {
    for (const spec of rule.values()) {
      for (const w of spec.wildcards) {
        const ws = byPath.get(spec.path) ?? new Map<string, Wildcard>();
        ws.set(w.source, w);
        byPath.set(spec.path, ws);
      }
    }
  }
  for (const ws of byPath.values()) {
    if (ws.size > 0 && wildcardComplexity([...ws.values()]) > WILDCARD_COMPLEXITY_LIMIT) throw new PatternIssue('too-complex', TOO_COMPLEX);
  }
}
