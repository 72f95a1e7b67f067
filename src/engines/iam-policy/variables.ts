/**
 * Policy values as templates: literal text, the `*` and `?` wildcards, and policy
 * variables (`${aws:username}`, `${aws:PrincipalTag/Project, 'none'}`, `${*}`, `${?}`, `${$}`).
 *
 * Values are tokenized once when a policy is parsed, so that a variable's substituted
 * text is always literal: a user named `a*` does not become a wildcard.
 */

/** One piece of a policy value. */
export type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'star' }
  | { readonly kind: 'one' }
  | { readonly kind: 'var'; readonly key: string; readonly name: string; readonly fallback?: string };

/** A tokenized policy value. */
export interface Template {
  readonly raw: string;
  readonly parts: readonly Part[];
  readonly hasVars: boolean;
  readonly hasWildcards: boolean;
  /** The value's text when it has neither variables nor wildcards. */
  readonly literal: string | undefined;
}

/** Looks up a single-valued context key (lowercase) for variable substitution. */
export type VarLookup = (key: string) => string | undefined;

const STAR: Part = { kind: 'star' };
const ONE: Part = { kind: 'one' };

interface VarToken {
  readonly part: Part;
  readonly end: number;
}

// Reads `${...}` starting at `start` (which points at `$`); undefined when malformed, in
// which case the characters are kept as literal text, as IAM does with unknown syntax.
function readVariable(raw: string, start: number): VarToken | undefined {
  for (const [token, text] of [['${*}', '*'], ['${?}', '?'], ['${$}', '$']] as const) {
    if (raw.startsWith(token, start)) return { part: { kind: 'text', text }, end: start + 4 };
  }
  let i = start + 2;
  while (i < raw.length && raw[i] !== ',' && raw[i] !== '}') i++;
  if (i >= raw.length) return undefined;
  const name = raw.slice(start + 2, i).trim();
  if (name === '' || /\s/.test(name)) return undefined;
  const key = name.toLowerCase();
  if (raw[i] === '}') return { part: { kind: 'var', key, name }, end: i + 1 };
  i++;
  while (raw[i] === ' ') i++;
  if (raw[i] !== "'") return undefined;
  let fallback = '';
  for (i++; i < raw.length; i++) {
    if (raw[i] !== "'") {
      fallback += raw[i];
    } else if (raw[i + 1] === "'") {
      fallback += "'";
      i++;
    } else {
      break;
    }
  }
  if (i >= raw.length) return undefined;
  i++;
  while (raw[i] === ' ') i++;
  if (raw[i] !== '}') return undefined;
  return { part: { kind: 'var', key, name, fallback }, end: i + 1 };
}

/**
 * Tokenizes a policy value. `variables` is false for 2008-10-17 policies, where `${...}`
 * is plain text; `wildcards` is false for operators that compare literally.
 */
export function parseTemplate(raw: string, opts: { variables: boolean; wildcards: boolean }): Template {
  const parts: Part[] = [];
  let text = '';
  let hasVars = false;
  let hasWildcards = false;
  const flush = (): void => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < raw.length; ) {
    const c = raw[i] as string;
    if (opts.variables && c === '$' && raw[i + 1] === '{') {
      const token = readVariable(raw, i);
      if (token !== undefined) {
        if (token.part.kind === 'text') {
          text += token.part.text;
        } else {
          flush();
          parts.push(token.part);
          hasVars = true;
        }
        i = token.end;
        continue;
      }
    }
    if (opts.wildcards && (c === '*' || c === '?')) {
      flush();
      parts.push(c === '*' ? STAR : ONE);
      hasWildcards = true;
    } else {
      text += c;
    }
    i++;
  }
  flush();
  const literal = hasVars || hasWildcards ? undefined : partsText(parts);
  return { raw, parts, hasVars, hasWildcards, literal };
}

/**
 * Replaces variables by their values (or defaults). Returns undefined when a variable has
 * no single value and no default: AWS then treats the value as unresolvable.
 */
export function resolveParts(t: Template, lookup: VarLookup): readonly Part[] | undefined {
  if (!t.hasVars) return t.parts;
  const out: Part[] = [];
  for (const p of t.parts) {
    if (p.kind !== 'var') {
      out.push(p);
      continue;
    }
    const value = lookup(p.key) ?? p.fallback;
    if (value === undefined) return undefined;
    out.push({ kind: 'text', text: value });
  }
  return out;
}

/** Resolves a wildcard-free template to its text, or undefined when unresolvable. */
export function resolveText(t: Template, lookup: VarLookup): string | undefined {
  if (t.literal !== undefined) return t.literal;
  const parts = resolveParts(t, lookup);
  return parts === undefined ? undefined : partsText(parts);
}

function partsText(parts: readonly Part[]): string {
  let s = '';
  for (const p of parts) s += p.kind === 'text' ? p.text : p.kind === 'star' ? '*' : p.kind === 'one' ? '?' : '';
  return s;
}

/** The context keys a template refers to, as written in the policy. */
export function templateKeys(t: Template): string[] {
  return t.parts.flatMap((p) => (p.kind === 'var' ? [p.name] : []));
}

/**
 * A string that changes whenever the values the templates' variables resolve to change;
 * matchers use it to reuse what they built for the previous request with the same values.
 */
export function variableSignature(templates: readonly Template[], lookup: VarLookup): string {
  let sig = '';
  for (const t of templates) {
    if (!t.hasVars) continue;
    for (const p of t.parts) {
      if (p.kind !== 'var') continue;
      const v = lookup(p.key);
      sig += v === undefined ? '\u0001' : `${v}\u0000`;
    }
  }
  return sig;
}
