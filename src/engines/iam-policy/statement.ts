/**
 * Compiled statements and how one statement is matched against a request: action first
 * (cheapest, and pre-filtered by service), then resource, principal and conditions.
 */
import { Condition, parseOperator } from './conditions.js';
import type { RequestContext } from './context.js';
import { PolicyIssue } from './errors.js';
import { ArnPattern, compileGlob, splitArn, type StringTest } from './pattern.js';
import { PrincipalSet, type PrincipalMatch } from './principal.js';
import type { Effect, RequestPrincipal } from './types.js';
import { parseTemplate } from './variables.js';

/** A statement after validation, with every list normalized to an array of strings. */
export interface RawStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly principal?: unknown;
  readonly notPrincipal?: unknown;
  readonly condition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/**
 * The actions of a statement, matched case-insensitively. Wildcard patterns are bucketed
 * by their service prefix (always literal, validation sees to that), so a statement
 * listing hundreds of `svc:Describe*` patterns tries only those of the request's service.
 */
export class ActionSet {
  /** Lowercase service prefixes named, or undefined when any service may match (`*`). */
  readonly services: ReadonlySet<string> | undefined;
  readonly #all: boolean;
  readonly #exact: ReadonlySet<string>;
  readonly #globs: ReadonlyMap<string, readonly StringTest[]>;

  constructor(actions: readonly string[]) {
    const exact = new Set<string>();
    const globs = new Map<string, StringTest[]>();
    const services = new Set<string>();
    let all = false;
    for (const a of actions) {
      const lower = a.toLowerCase();
      if (lower === '*') {
        all = true;
        continue;
      }
      const service = lower.slice(0, lower.indexOf(':'));
      services.add(service);
      const t = parseTemplate(lower, { variables: false, wildcards: true });
      if (!t.hasWildcards) {
        exact.add(lower);
        continue;
      }
      const list = globs.get(service) ?? [];
      list.push(compileGlob(t.parts, false));
      globs.set(service, list);
    }
    this.#all = all;
    this.#exact = exact;
    this.#globs = globs;
    this.services = all ? undefined : services;
  }

  /** Tests a lowercase `service:action`, given its lowercase service prefix. */
  test(action: string, service: string): boolean {
    if (this.#all || this.#exact.has(action)) return true;
    const globs = this.#globs.get(service);
    if (globs !== undefined) for (const g of globs) if (g(action)) return true;
    return false;
  }
}

/** A statement ready for evaluation. */
export interface CompiledStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  readonly actions: ActionSet;
  readonly notAction: boolean;
  /** Undefined in trust policies, which have no Resource element. */
  readonly resources: readonly ArnPattern[] | undefined;
  readonly notResource: boolean;
  readonly principals: PrincipalSet | undefined;
  readonly notPrincipal: boolean;
  readonly conditions: readonly Condition[];
}

/** Compiles a validated statement; throws {@link PolicyIssue} for bad principals and dates. */
export function compileStatement(raw: RawStatement, variables: boolean): CompiledStatement {
  const conditions: Condition[] = [];
  for (const [opName, block] of Object.entries(raw.condition ?? {})) {
    const operator = parseOperator(opName);
    if (operator === undefined) throw new PolicyIssue('condition-invalid', `unknown condition operator \`${opName}\``);
    for (const [key, values] of Object.entries(block)) conditions.push(new Condition(operator, key, values, variables));
  }
  const resourceList = raw.resource ?? raw.notResource;
  const principal = raw.principal ?? raw.notPrincipal;
  return {
    index: raw.index,
    sid: raw.sid,
    effect: raw.effect,
    actions: new ActionSet(raw.action ?? raw.notAction ?? []),
    notAction: raw.notAction !== undefined,
    resources: resourceList?.map((r) => new ArnPattern(r, variables)),
    notResource: raw.notResource !== undefined,
    principals: principal === undefined ? undefined : new PrincipalSet(principal),
    notPrincipal: raw.notPrincipal !== undefined,
    conditions,
  };
}

/** The request as statements see it, prepared once per resource. */
export class MatchInput {
  /** Lowercase `service:action`. */
  readonly action: string;
  /** Its lowercase service prefix. */
  readonly service: string;
  readonly resource: string;
  readonly principal: RequestPrincipal;
  readonly rc: RequestContext;
  #segments: readonly string[] | undefined | null = null;

  constructor(action: string, service: string, resource: string, principal: RequestPrincipal, rc: RequestContext) {
    this.action = action;
    this.service = service;
    this.resource = resource;
    this.principal = principal;
    this.rc = rc;
  }

  /** The resource's ARN segments, split on first use (many requests never need them). */
  get resourceSegments(): readonly string[] | undefined {
    if (this.#segments === null) this.#segments = splitArn(this.resource);
    return this.#segments;
  }
}

/**
 * Whether a statement applies to the request; for statements with a principal element,
 * how it named the caller. Statements without one (identity policies, SCPs) answer `direct`.
 */
export function matchStatement(st: CompiledStatement, input: MatchInput): PrincipalMatch | undefined {
  if (st.actions.test(input.action, input.service) === st.notAction) return undefined;
  if (st.resources !== undefined && !matchResources(st, input)) return undefined;
  let how: PrincipalMatch | undefined = 'direct';
  if (st.principals !== undefined) {
    how = st.notPrincipal ? (st.principals.excludes(input.principal) ? undefined : 'direct') : st.principals.match(input.principal);
    if (how === undefined) return undefined;
  }
  for (const c of st.conditions) if (!c.evaluate(input.rc)) return undefined;
  return how;
}

function matchResources(st: CompiledStatement, input: MatchInput): boolean {
  let resolved = false;
  for (const pattern of st.resources ?? []) {
    const r = pattern.test(input.resource, input.resourceSegments, input.rc.lookup);
    if (r === true) return !st.notResource;
    if (r === false) resolved = true;
  }
  // A NotResource list whose every entry failed to resolve makes the statement void.
  return st.notResource && resolved;
}
