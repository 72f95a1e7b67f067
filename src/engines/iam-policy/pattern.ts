/**
 * Wildcard and ARN matching over tokenized policy values.
 *
 * Static patterns are compiled once, at parse time, into the cheapest test that fits
 * (equality, prefix, suffix, or an anchored regex). Patterns with variables are resolved
 * per request; their regexes are cached by source, so a steady workload builds none.
 */
import { parseTemplate, resolveParts, variableSignature, type Part, type Template, type VarLookup } from './variables.js';

/** A compiled string test. */
export type StringTest = (s: string) => boolean;

const ALWAYS: StringTest = () => true;
const REGEX_CACHE = new Map<string, RegExp>();
const REGEX_CACHE_MAX = 10_000;

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function cachedRegex(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let re = REGEX_CACHE.get(key);
  if (re === undefined) {
    // A bounded cache: clearing is crude but keeps memory flat under adversarial input.
    if (REGEX_CACHE.size >= REGEX_CACHE_MAX) REGEX_CACHE.clear();
    re = new RegExp(source, flags);
    REGEX_CACHE.set(key, re);
  }
  return re;
}

/**
 * Compiles wildcard parts (text, `*`, `?`; no variables) into a test. `*` matches any run
 * of characters, including none; `?` matches exactly one character.
 */
export function compileGlob(parts: readonly Part[], ignoreCase: boolean): StringTest {
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const [first, second] = parts;
  if (parts.length === 0) return (s) => s === '';
  if (parts.length === 1 && first?.kind === 'star') return ALWAYS;
  if (parts.length === 1 && first?.kind === 'text') {
    const t = fold(first.text);
    return ignoreCase ? (s) => s.toLowerCase() === t : (s) => s === t;
  }
  if (parts.length === 2 && first?.kind === 'text' && second?.kind === 'star') {
    const t = fold(first.text);
    return ignoreCase ? (s) => s.toLowerCase().startsWith(t) : (s) => s.startsWith(t);
  }
  if (parts.length === 2 && first?.kind === 'star' && second?.kind === 'text') {
    const t = fold(second.text);
    return ignoreCase ? (s) => s.toLowerCase().endsWith(t) : (s) => s.endsWith(t);
  }
  let source = '^';
  for (const p of parts) {
    source += p.kind === 'text' ? escapeRegex(p.text) : p.kind === 'star' ? '.*' : p.kind === 'one' ? '.' : '';
  }
  const re = cachedRegex(`${source}$`, ignoreCase ? 'is' : 's');
  return (s) => re.test(s);
}

/** A wildcard pattern over a whole string, possibly with variables. */
export class GlobPattern {
  readonly template: Template;
  readonly #ignoreCase: boolean;
  readonly #static: StringTest | undefined;
  // Requests from one principal resolve variables the same way: keep the last build.
  #lastSignature: string | undefined;
  #lastTest: StringTest | undefined;

  constructor(template: Template, ignoreCase = false) {
    this.template = template;
    this.#ignoreCase = ignoreCase;
    this.#static = template.hasVars ? undefined : compileGlob(template.parts, ignoreCase);
  }

  /** True/false, or undefined when a variable cannot be resolved. */
  test(value: string, lookup: VarLookup): boolean | undefined {
    if (this.#static !== undefined) return this.#static(value);
    const sig = variableSignature([this.template], lookup);
    if (sig !== this.#lastSignature) {
      const parts = resolveParts(this.template, lookup);
      this.#lastTest = parts === undefined ? undefined : compileGlob(parts, this.#ignoreCase);
      this.#lastSignature = sig;
    }
    return this.#lastTest === undefined ? undefined : this.#lastTest(value);
  }
}

/** Splits an ARN into its six segments; the last keeps any further colons. */
export function splitArn(value: string): string[] | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const out: string[] = [];
  let from = 0;
  for (let n = 0; n < 5; n++) {
    const at = value.indexOf(':', from);
    if (at < 0) return undefined;
    out.push(value.slice(from, at));
    from = at + 1;
  }
  out.push(value.slice(from));
  return out;
}

function splitParts(parts: readonly Part[]): Part[][] {
  const segments: Part[][] = [[]];
  for (const p of parts) {
    if (p.kind !== 'text') {
      (segments[segments.length - 1] as Part[]).push(p);
      continue;
    }
    const pieces = p.text.split(':');
    pieces.forEach((piece, i) => {
      if (i > 0) {
        if (segments.length < 6) {
          segments.push([]);
        } else {
          // Colons past the fifth belong to the resource segment, as text.
          (segments[5] as Part[]).push({ kind: 'text', text: ':' });
        }
      }
      if (piece !== '') (segments[segments.length - 1] as Part[]).push({ kind: 'text', text: piece });
    });
  }
  return segments;
}

function segmentTemplate(parts: Part[]): Template {
  return {
    raw: '',
    parts,
    hasVars: parts.some((p) => p.kind === 'var'),
    hasWildcards: parts.some((p) => p.kind === 'star' || p.kind === 'one'),
    literal: undefined,
  };
}

/**
 * A Resource, NotResource or Arn* condition pattern. ARNs are compared segment by
 * segment, so a wildcard never spans a colon except inside the final resource segment;
 * anything that is not a six-segment ARN (such as `*`) is compared as a whole string.
 */
export class ArnPattern {
  readonly raw: string;
  readonly template: Template;
  readonly #whole: GlobPattern;
  readonly #segments: GlobPattern[] | undefined;
  /** True when the pattern is exactly `*`, which matches everything. */
  readonly matchesAll: boolean;

  constructor(raw: string, variables: boolean) {
    this.raw = raw;
    this.template = parseTemplate(raw, { variables, wildcards: true });
    this.#whole = new GlobPattern(this.template);
    const segs = splitParts(this.template.parts);
    const first = segs[0]?.[0];
    const isArn = segs.length === 6 && segs[0]?.length === 1 && first?.kind === 'text' && first.text === 'arn';
    this.#segments = isArn ? segs.map((s) => new GlobPattern(segmentTemplate(s))) : undefined;
    this.matchesAll = this.template.parts.length === 1 && this.template.parts[0]?.kind === 'star';
  }

  /**
   * Tests a value, given its ARN segments when it is an ARN. Returns undefined when a
   * variable in the pattern cannot be resolved.
   */
  test(value: string, segments: readonly string[] | undefined, lookup: VarLookup): boolean | undefined {
    if (this.matchesAll) return true;
    if (this.#segments === undefined || segments === undefined) return this.#whole.test(value, lookup);
    let unresolved = false;
    for (let i = 0; i < 6; i++) {
      const r = (this.#segments[i] as GlobPattern).test(segments[i] as string, lookup);
      if (r === false) return false;
      if (r === undefined) unresolved = true;
    }
    return unresolved ? undefined : true;
  }
}
