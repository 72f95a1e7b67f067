// Compiling a pattern once and matching events against it.
import { compileBranches, type Branch } from './compile.js';
import { InvalidPatternError, PatternIssue, type Dialect } from './errors.js';
import { explainBranch, matchBranch, type BranchVerdict, type FieldCache } from './evaluate.js';
import { FlatEvent, pathPrefixes } from './flatten.js';
import { NUMERIC_LIMIT } from './numbers.js';
import { checkSnsLimits, type FilterPolicyScope } from './sns-limits.js';
import { WILDCARD_COMPLEXITY_LIMIT } from './wildcard.js';

/** EventBridge's pattern limits. */
export const EVENTBRIDGE_PATTERN_LIMITS = {
  /** Default `Event pattern size` quota, in characters (adjustable). */
  defaultMaxLength: 2048,
  /** The API's hard maximum for `EventPattern`, in characters. */
  maxLength: 4096,
  /** See {@link WILDCARD_COMPLEXITY_LIMIT}. */
  wildcardComplexity: WILDCARD_COMPLEXITY_LIMIT,
  /** Numeric matching works on numbers in [-numeric, numeric], to six decimal places. */
  numeric: NUMERIC_LIMIT,
} as const;

/** How to compile a pattern. */
export interface CompileOptions {
  /** Whose rules and wording apply; default `eventbridge`. */
  readonly dialect?: Dialect;
  /** SNS only: where the filter policy applies; default `MessageAttributes`. */
  readonly scope?: FilterPolicyScope;
  /**
   * EventBridge only: the pattern-size quota in characters (the account's quota, 2048 by
   * default, at most 4096). Not checked when omitted.
   */
  readonly maxLength?: number;
}

/** Whether an event matched, and why (or which field stopped it). */
export interface Explanation {
  readonly matched: boolean;
  /** Lowercase sentence; field names in backticks. */
  readonly reason: string;
  /** The field that failed (for a non-match) when one field is to blame. */
  readonly field?: string;
  /** Index of the `$or` alternative reported (the one that matched, or came closest). */
  readonly branch?: number;
}

/**
 * A compiled, immutable pattern. Create with {@link compilePattern}; match as many events as
 * needed. Safe to share: matching keeps no state between calls.
 */
export class Pattern {
  /** The dialect it was validated under. */
  readonly dialect: Dialect;
  /** The pattern JSON text as compiled. */
  readonly source: string;
  /** One map of field tests per `$or` alternative (one for a pattern without `$or`). */
  readonly branches: readonly Branch[];
  /** Every field path the pattern tests. */
  readonly paths: readonly string[];
  readonly #wanted: ReadonlySet<string>;

  /** Use {@link compilePattern}; this wraps already-compiled branches. */
  constructor(dialect: Dialect, source: string, branches: readonly Branch[]) {
    this.dialect = dialect;
    this.source = source;
    this.branches = branches;
    this.paths = [...new Set(branches.flatMap((b) => [...b.keys()]))];
    this.#wanted = pathPrefixes(this.paths);
  }

  /** Path prefixes an event must be flattened along to be matched by this pattern. */
  get wanted(): ReadonlySet<string> {
    return this.#wanted;
  }

  /** True when the event (a JSON object) matches; a non-object never matches. */
  matches(event: unknown): boolean {
    const flat = FlatEvent.from(event, this.#wanted);
    return flat !== undefined && this.matchesFlat(flat);
  }

  /** Matches an already flattened event (flattened along at least {@link wanted}). */
  matchesFlat(flat: FlatEvent, cache?: FieldCache): boolean {
    // `$or` alternatives usually repeat the fields outside the `$or`: test those once.
    const memo = cache ?? (this.branches.length > 1 ? new Map() : undefined);
    for (const b of this.branches) if (matchBranch(b, flat, memo)) return true;
    return false;
  }

  /** Whether the event matches and why: the matching alternative, or the field that failed. */
  explain(event: unknown): Explanation {
    const flat = FlatEvent.from(event, this.#wanted);
    if (flat === undefined) return { matched: false, reason: 'the event is not a JSON object' };
    let best: { v: BranchVerdict; i: number } | undefined;
    for (let i = 0; i < this.branches.length; i++) {
      const v = explainBranch(this.branches[i] as Branch, flat);
      if (v.matched) return this.#verdict(v, i);
      if (best === undefined || v.satisfied > best.v.satisfied) best = { v, i };
    }
    return best === undefined ? { matched: false, reason: 'the pattern has no alternatives' } : this.#verdict(best.v, best.i);
  }

  #verdict(v: BranchVerdict, i: number): Explanation {
    const n = this.branches.length;
    const reason = n > 1 ? `$or alternative ${i + 1} of ${n}: ${v.reason}` : v.reason;
    return { matched: v.matched, reason, ...(v.field === undefined ? {} : { field: v.field }), ...(n > 1 ? { branch: i } : {}) };
  }
}

/**
 * Validates a pattern as AWS does and compiles it into a matcher, once. Throws
 * {@link InvalidPatternError} with AWS's message for the dialect (`Event pattern is not
 * valid. Reason: …` with Jackson's location for EventBridge; `Invalid parameter:
 * FilterPolicy: …` for SNS, whose own limits then also apply).
 */
export function compilePattern(json: string | object, opts: CompileOptions = {}): Pattern {
  const dialect = opts.dialect ?? 'eventbridge';
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  try {
    if (dialect === 'sns') {
      if (checkSnsLimits(text, opts.scope ?? 'MessageAttributes')) return new Pattern(dialect, text, [new Map()]);
    } else if (opts.maxLength !== undefined && text.length > opts.maxLength) {
      throw new PatternIssue(
        'too-long',
        `1 validation error detected: Value '${text}' at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to ${opts.maxLength}`,
      );
    }
    return new Pattern(dialect, text, compileBranches(text, dialect));
  } catch (e) {
    if (e instanceof PatternIssue) throw new InvalidPatternError(dialect, e, text);
    throw e;
  }
}
