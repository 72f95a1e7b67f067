/**
 * Condition operators: parsing an operator name (with `ForAllValues:`/`ForAnyValue:` and
 * `IfExists`), compiling its values once, and testing it against a request context.
 *
 * Semantics, from AWS's documentation:
 * - values listed for one key are OR'ed; keys and operators in a block are AND'ed;
 * - a missing key makes a positive operator false and a negated one (`StringNotEquals`,
 *   `NotIpAddress`, `ArnNotLike`…) true; `…IfExists` makes any operator true;
 * - `ForAllValues:` is true when every request value matches (and when there are none);
 *   `ForAnyValue:` when at least one does (false when there are none);
 * - a negated operator under a set qualifier negates per value.
 */
import type { RequestContext } from './context.js';
import { PolicyIssue } from './errors.js';
import { ArnPattern, GlobPattern, splitArn } from './pattern.js';
import { cidrContains, parseCidr, parseDate, parseNumber, type Cidr } from './scalars.js';
import { parseTemplate, resolveText, templateKeys, variableSignature, type Template } from './variables.js';

type Base = 'string' | 'stringIgnoreCase' | 'stringLike' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';
type Cmp = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

interface OperatorInfo {
  readonly base: Base;
  readonly cmp: Cmp;
  readonly negated: boolean;
}

const op = (base: Base, cmp: Cmp = 'eq', negated = false): OperatorInfo => ({ base, cmp, negated });

const OPERATORS: Readonly<Record<string, OperatorInfo>> = {
  StringEquals: op('string'),
  StringNotEquals: op('string', 'eq', true),
  StringEqualsIgnoreCase: op('stringIgnoreCase'),
  StringNotEqualsIgnoreCase: op('stringIgnoreCase', 'eq', true),
  StringLike: op('stringLike'),
  StringNotLike: op('stringLike', 'eq', true),
  NumericEquals: op('numeric'),
  NumericNotEquals: op('numeric', 'eq', true),
  NumericLessThan: op('numeric', 'lt'),
  NumericLessThanEquals: op('numeric', 'lte'),
  NumericGreaterThan: op('numeric', 'gt'),
  NumericGreaterThanEquals: op('numeric', 'gte'),
  DateEquals: op('date'),
  DateNotEquals: op('date', 'eq', true),
  DateLessThan: op('date', 'lt'),
  DateLessThanEquals: op('date', 'lte'),
  DateGreaterThan: op('date', 'gt'),
  DateGreaterThanEquals: op('date', 'gte'),
  Bool: op('bool'),
  BinaryEquals: op('binary'),
  IpAddress: op('ip'),
  NotIpAddress: op('ip', 'eq', true),
  ArnEquals: op('arn'),
  ArnLike: op('arn'),
  ArnNotEquals: op('arn', 'eq', true),
  ArnNotLike: op('arn', 'eq', true),
  Null: op('null'),
};

/** A parsed operator name. */
export interface ParsedOperator {
  readonly name: string;
  readonly info: OperatorInfo;
  readonly set: 'all' | 'any' | undefined;
  readonly ifExists: boolean;
}

/** Parses `ForAnyValue:StringLikeIfExists` and friends; undefined when unknown. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: ParsedOperator['set'];
  if (rest.startsWith('ForAllValues:')) [set, rest] = ['all', rest.slice(13)];
  else if (rest.startsWith('ForAnyValue:')) [set, rest] = ['any', rest.slice(12)];
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -8);
  const info = Object.hasOwn(OPERATORS, rest) ? OPERATORS[rest] : undefined;
  if (info === undefined || (ifExists && info.base === 'null')) return undefined;
  return { name, info, set, ifExists };
}

function compare(cmp: Cmp, a: number, b: number): boolean {
  switch (cmp) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
  }
}

const base64 = (s: string): string => Buffer.from(s, 'base64').toString('base64');

/** Tests one request value against the (resolved) policy values of a condition. */
type ValueTest = (value: string, rc: RequestContext) => boolean;

/** One operator applied to one key, with its values compiled. */
export class Condition {
  readonly operator: ParsedOperator;
  /** The key as written in the policy. */
  readonly keyName: string;
  readonly #key: string;
  readonly #templates: Template[] = [];
  readonly #globs: GlobPattern[] = [];
  readonly #arns: ArnPattern[] = [];
  readonly #numbers: number[] = [];
  readonly #cidrs: Cidr[] = [];
  readonly #nullWanted: boolean[] = [];
  readonly #static: ValueTest | undefined;
  readonly #dynamic: readonly Template[];
  #lastSignature: string | undefined;
  #lastTest: ValueTest | undefined;

  constructor(operator: ParsedOperator, key: string, raws: readonly string[], variables: boolean) {
    this.operator = operator;
    this.keyName = key;
    this.#key = key.toLowerCase();
    const { base } = operator.info;
    for (const raw of raws) {
      if (base === 'stringLike') this.#globs.push(new GlobPattern(parseTemplate(raw, { variables, wildcards: true })));
      else if (base === 'arn') this.#arns.push(new ArnPattern(raw, variables));
      else if (base === 'numeric') this.#numbers.push(parseNumber(raw));
      else if (base === 'date') this.#numbers.push(dateValue(raw));
      else if (base === 'ip') {
        // An unparsable block matches nothing rather than failing the whole policy.
        const cidr = parseCidr(raw);
        if (cidr !== undefined) this.#cidrs.push(cidr);
      }
      else if (base === 'null') this.#nullWanted.push(raw.toLowerCase() === 'true');
      else this.#templates.push(parseTemplate(raw, { variables: variables && base !== 'binary', wildcards: false }));
    }
    const all = [...this.#templates, ...this.#globs.map((g) => g.template), ...this.#arns.map((a) => a.template)];
    this.#dynamic = all.filter((t) => t.hasVars);
    this.#static = this.#dynamic.length > 0 ? undefined : this.#test(() => undefined);
  }

  /** Context keys this condition reads, including those inside policy variables. */
  contextKeys(): string[] {
    const vars = [...this.#templates, ...this.#globs.map((g) => g.template), ...this.#arns.map((a) => a.template)];
    return [this.keyName, ...vars.flatMap(templateKeys)];
  }

  /** Evaluates the condition against a request context. */
  evaluate(rc: RequestContext): boolean {
    const values = rc.values(this.#key);
    const { info, set, ifExists } = this.operator;
    if (info.base === 'null') return this.#nullWanted.includes(values === undefined);
    if (values === undefined) return ifExists || set === 'all' || (set === undefined && info.negated);
    const test = this.#static ?? this.#resolved(rc);
    if (test === undefined) return false;
    if (set === undefined) {
      let hit = false;
      for (const v of values) if (test(v, rc)) hit = true;
      return info.negated ? !hit : hit;
    }
    // Set qualifiers apply the (possibly negated) operator to each request value.
    for (const v of values) {
      const ok = test(v, rc) !== info.negated;
      if (set === 'all' && !ok) return false;
      if (set === 'any' && ok) return true;
    }
    return set === 'all';
  }

  // The value test for policy values with variables, rebuilt only when their values change.
  #resolved(rc: RequestContext): ValueTest | undefined {
    const sig = variableSignature(this.#dynamic, rc.lookup);
    if (sig !== this.#lastSignature) {
      this.#lastTest = this.#test(rc.lookup);
      this.#lastSignature = sig;
    }
    return this.#lastTest;
  }

  // Builds the value test; undefined when every policy value has an unresolvable variable.
  // Tests read variables through the request they are called with, never a captured one.
  #test(lookup: (k: string) => string | undefined): ValueTest | undefined {
    const { base, cmp } = this.operator.info;
    switch (base) {
      case 'string':
      case 'stringIgnoreCase':
      case 'bool':
      case 'binary': {
        const fold = base === 'string' ? (s: string): string => s : base === 'binary' ? base64 : (s: string): string => s.toLowerCase();
        const wanted = new Set<string>();
        for (const t of this.#templates) {
          const text = resolveText(t, lookup);
          if (text !== undefined) wanted.add(fold(text));
        }
        if (wanted.size === 0) return undefined;
        if (wanted.size === 1 && base === 'string') {
          const only = [...wanted][0];
          return (v) => v === only;
        }
        return (v) => wanted.has(fold(v));
      }
      case 'stringLike': {
        const globs = this.#globs;
        if (!globs.some((g) => g.test('', lookup) !== undefined)) return undefined;
        return (v, rc) => globs.some((g) => g.test(v, rc.lookup) === true);
      }
      case 'arn': {
        const arns = this.#arns;
        if (!arns.some((a) => a.test('', undefined, lookup) !== undefined)) return undefined;
        return (v, rc) => {
          const segs = splitArn(v);
          return arns.some((a) => a.test(v, segs, rc.lookup) === true);
        };
      }
      case 'numeric': {
        const nums = this.#numbers;
        return (v) => {
          const n = parseNumber(v);
          return nums.some((x) => compare(cmp, n, x));
        };
      }
      case 'date': {
        const dates = this.#numbers;
        return (v, rc) => {
          const ms = rc.dateOf(v);
          return dates.some((x) => compare(cmp, ms, x));
        };
      }
      case 'ip': {
        const cidrs = this.#cidrs;
        return (v, rc) => {
          const ip = rc.ipOf(v);
          return ip !== undefined && cidrs.some((c) => cidrContains(c, ip));
        };
      }
      case 'null':
        return undefined;
    }
  }
}

function dateValue(raw: string): number {
  const ms = parseDate(raw);
  if (Number.isNaN(ms)) throw new PolicyIssue('legacy-parsing', `date condition value \`${raw}\` is neither iso 8601 nor epoch seconds`);
  return ms;
}
