/**
 * A parsed, compiled policy. Compile once (on create/attach) and evaluate many times:
 * patterns are pre-split, regexes built, and statements indexed by service prefix so a
 * request only looks at statements that can name its action.
 */
import { MalformedPolicyError, PolicyIssue } from './errors.js';
import { compileStatement, type CompiledStatement } from './statement.js';
import type { PolicyKind } from './types.js';
import { validateDocument, type PolicyVersion, type ValidatedDocument } from './validate.js';

/** The statements that may apply to one service, split by effect, in document order. */
export interface Candidates {
  readonly allow: readonly CompiledStatement[];
  readonly deny: readonly CompiledStatement[];
}

/** Options for {@link parsePolicy}. */
export interface ParseOptions {
  /** What the document is used as; decides the Principal/Resource rules and the error wording. */
  readonly kind: PolicyKind;
  /** An identifier for explanations (policy ARN, `inline:role/Name/PolicyName`, SCP id…). */
  readonly id?: string;
  /** A display name for explanations. */
  readonly name?: string;
}

/** A validated, compiled policy document. Immutable; safe to share between requests. */
export class Policy {
  readonly kind: PolicyKind;
  /** The id given at parse time, else the document's own `Id`. */
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly version: PolicyVersion;
  /** The document as parsed from JSON. */
  readonly document: unknown;
  readonly statements: readonly CompiledStatement[];
  readonly #byService = new Map<string, CompiledStatement[]>();
  readonly #anyService: CompiledStatement[] = [];
  readonly #candidates = new Map<string, Candidates>();

  /** Use {@link parsePolicy}; the constructor is for the parser. */
  constructor(document: unknown, opts: ParseOptions) {
    let validated: ValidatedDocument;
    try {
      validated = validateDocument(document, opts.kind);
      this.statements = validated.statements.map((s) => compileStatement(s, validated.version === '2012-10-17'));
    } catch (err) {
      if (err instanceof PolicyIssue) throw new MalformedPolicyError(opts.kind, err);
      throw err;
    }
    this.kind = opts.kind;
    this.id = opts.id ?? validated.id;
    this.name = opts.name;
    this.version = validated.version;
    this.document = document;
    for (const st of this.statements) {
      const services = st.notAction ? undefined : st.actions.services;
      if (services === undefined) {
        this.#anyService.push(st);
        continue;
      }
      for (const svc of services) {
        const list = this.#byService.get(svc) ?? [];
        list.push(st);
        this.#byService.set(svc, list);
      }
    }
  }

  /** The statements that can match an action of `service` (lowercase), by effect. */
  candidates(service: string): Candidates {
    let c = this.#candidates.get(service);
    if (c === undefined) {
      const own = this.#byService.get(service) ?? [];
      const all = own.length === 0 ? this.#anyService : [...own, ...this.#anyService].sort((a, b) => a.index - b.index);
      c = { allow: all.filter((s) => s.effect === 'Allow'), deny: all.filter((s) => s.effect === 'Deny') };
      // Bounded by the number of distinct service prefixes a policy is asked about.
      if (this.#candidates.size < 1024) this.#candidates.set(service, c);
    }
    return c;
  }

  /** Every context key the policy's conditions read, as written (for GetContextKeysFor*). */
  contextKeys(): string[] {
    // The first spelling wins, as keys are case-insensitive.
    const keys = new Map<string, string>();
    const add = (k: string): void => {
      if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k);
    };
    for (const st of this.statements) {
      for (const c of st.conditions) c.contextKeys().forEach(add);
      for (const r of st.resources ?? []) {
        for (const p of r.template.parts) if (p.kind === 'var') add(p.name);
      }
    }
    return [...keys.values()];
  }
}

/**
 * Parses and validates a policy document as IAM (or S3, Organizations, KMS) would, and
 * compiles it for evaluation.
 *
 * @throws {MalformedPolicyError} with AWS's message for the policy kind.
 */
export function parsePolicy(json: string | object, opts: ParseOptions): Policy {
  let document: unknown = json;
  if (typeof json === 'string') {
    try {
      document = JSON.parse(json);
    } catch {
      throw new MalformedPolicyError(opts.kind, new PolicyIssue('json', 'the policy is not valid json'));
    }
  }
  return new Policy(document, opts);
}

/** Every context key the given policies read, deduplicated case-insensitively (GetContextKeysFor*Policy). */
export function getContextKeys(policies: readonly Policy[]): string[] {
  const keys = new Map<string, string>();
  for (const p of policies) {
    for (const k of p.contextKeys()) if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k);
  }
  return [...keys.values()];
}
