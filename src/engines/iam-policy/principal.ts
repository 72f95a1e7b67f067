/**
 * The Principal and NotPrincipal elements: validation and matching.
 *
 * Matching says not only whether a statement names the caller but how, because AWS's
 * same-account rule depends on it: naming the user or the role session grants directly,
 * naming the role grants through the role (still capped by boundary and session policy),
 * and naming the account delegates to the account's identity policies.
 */
import { issuerArnOf } from './context.js';
import { PolicyIssue } from './errors.js';
import type { RequestPrincipal } from './types.js';

/** How a statement's principal element matched the caller. */
export type PrincipalMatch = 'direct' | 'issuer' | 'account';

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
type PrincipalTypeName = (typeof PRINCIPAL_TYPES)[number];

const ACCOUNT_RE = /^\d{12}$/;
const ROOT_RE = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const IAM_ENTITY_RE = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/;
const STS_SESSION_RE = /^arn:aws[a-z-]*:sts::(\d{12}):(assumed-role\/[^/]+\/.+|federated-user\/.+)$/;
// Unique ids (AIDA…, AROA…) appear in place of ARNs once the entity is deleted.
const UNIQUE_ID_RE = /^A[A-Z0-9]{15,127}$/;

/** A compiled principal element. */
export class PrincipalSet {
  /** `"*"` or `{"AWS": "*"}`: everyone. */
  readonly everyone: boolean;
  readonly #aws: readonly string[];
  readonly #services: ReadonlySet<string>;
  readonly #federated: ReadonlySet<string>;
  readonly #canonical: ReadonlySet<string>;

  constructor(element: unknown) {
    if (element === '*') {
      this.everyone = true;
      [this.#aws, this.#services, this.#federated, this.#canonical] = [[], new Set(), new Set(), new Set()];
      return;
    }
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      throw new PolicyIssue('syntax', 'principal must be `"*"` or an object keyed by principal type');
    }
    const byType = new Map<PrincipalTypeName, string[]>();
    for (const [type, raw] of Object.entries(element)) {
      if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
        throw new PolicyIssue('principal-invalid', `unknown principal type \`${type}\``, {
          principalType: type,
          value: String(raw),
        });
      }
      const values = typeof raw === 'string' ? [raw] : raw;
      if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
        throw new PolicyIssue('syntax', `principal \`${type}\` must be a string or a non-empty list of strings`);
      }
      byType.set(type as PrincipalTypeName, values as string[]);
    }
    const aws = byType.get('AWS') ?? [];
    for (const v of aws) validateAws(v);
    for (const [type, values] of byType) {
      for (const v of values) {
        if (v.trim() === '') throw new PolicyIssue('principal-invalid', `empty \`${type}\` principal`, { principalType: type, value: v });
      }
    }
    this.everyone = aws.includes('*');
    this.#aws = aws;
    this.#services = new Set((byType.get('Service') ?? []).map((s) => s.toLowerCase()));
    this.#federated = new Set(byType.get('Federated') ?? []);
    this.#canonical = new Set(byType.get('CanonicalUser') ?? []);
  }

  /** How this element names the caller, or undefined when it does not. */
  match(p: RequestPrincipal): PrincipalMatch | undefined {
    if (this.everyone) return 'direct';
    switch (p.type) {
      case 'service':
        return this.#services.has(p.arn.toLowerCase()) ? 'direct' : undefined;
      case 'federated':
        return this.#federated.has(p.arn) ? 'direct' : undefined;
      case 'anonymous':
        return undefined;
      default:
        break;
    }
    if (p.canonicalUserId !== undefined && this.#canonical.has(p.canonicalUserId)) return 'direct';
    let best: PrincipalMatch | undefined;
    for (const v of this.#aws) {
      const m = matchAws(v, p);
      if (m === 'direct') return m;
      if (m === 'issuer' || (m === 'account' && best === undefined)) best = m;
    }
    return best;
  }

  /**
   * For NotPrincipal: true when the listed principals exclude the caller. AWS checks the
   * caller's account as well as the caller, so both must be listed (root needs only the
   * account); a service or federated caller needs only itself.
   */
  excludes(p: RequestPrincipal): boolean {
    if (this.everyone) return true;
    if (p.type === 'service' || p.type === 'federated' || p.type === 'anonymous') return this.match(p) !== undefined;
    let self = false;
    let account = false;
    for (const v of this.#aws) {
      const m = matchAws(v, p);
      if (m === 'direct' || m === 'issuer') self = true;
      if (m === 'account') account = true;
    }
    if (p.type === 'root') return account || self;
    return self && account;
  }
}

function validateAws(v: string): void {
  if (v === '*' || ACCOUNT_RE.test(v) || ROOT_RE.test(v) || IAM_ENTITY_RE.test(v) || STS_SESSION_RE.test(v) || UNIQUE_ID_RE.test(v)) {
    return;
  }
  throw new PolicyIssue('principal-invalid', `invalid aws principal \`${v}\``, { principalType: 'AWS', value: v });
}

function accountOf(v: string): string | undefined {
  if (ACCOUNT_RE.test(v)) return v;
  return ROOT_RE.exec(v)?.[1];
}

function matchAws(v: string, p: RequestPrincipal): PrincipalMatch | undefined {
  const account = accountOf(v);
  if (account !== undefined) {
    if (account !== p.account) return undefined;
    return p.type === 'root' ? 'direct' : 'account';
  }
  if (v === p.arn) return 'direct';
  if (UNIQUE_ID_RE.test(v)) {
    const id = p.userId.split(':')[0];
    if (id !== v) return undefined;
    return p.type === 'assumed-role' ? 'issuer' : 'direct';
  }
  const issuer = issuerArnOf(p);
  if (issuer === undefined) return undefined;
  if (v === issuer) return 'issuer';
  // Role names are unique in an account whatever their path, so compare account and name.
  const want = IAM_ENTITY_RE.exec(v);
  const have = IAM_ENTITY_RE.exec(issuer);
  if (want !== null && have !== null && want[1] === have[1] && want[2] === have[2] && want[3] === have[3]) return 'issuer';
  return undefined;
}
