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

/** An `AWS` principal value, pre-parsed so matching only compares strings. */
type AwsEntry =
  | { readonly kind: 'account'; readonly account: string }
  | { readonly kind: 'unique-id'; readonly id: string }
  | { readonly kind: 'arn'; readonly arn: string; readonly entity: string | undefined };

// `account/type/name` of an IAM user or role ARN, ignoring its path: names are unique in
// an account whatever the path, and session ARNs do not carry the role's path.
function entityKey(arn: string): string | undefined {
  const m = IAM_ENTITY_RE.exec(arn);
  return m === null ? undefined : `${m[1]}/${m[2]}/${m[3]}`;
}

function awsEntry(v: string): AwsEntry {
  if (ACCOUNT_RE.test(v)) return { kind: 'account', account: v };
  const root = ROOT_RE.exec(v);
  if (root !== null) return { kind: 'account', account: root[1] as string };
  if (UNIQUE_ID_RE.test(v)) return { kind: 'unique-id', id: v };
  return { kind: 'arn', arn: v, entity: entityKey(v) };
}

const ISSUER_KEYS = new WeakMap<RequestPrincipal, string | null>();

function issuerKey(p: RequestPrincipal): string | undefined {
  let key = ISSUER_KEYS.get(p);
  if (key === undefined) {
    const issuer = issuerArnOf(p);
    key = (issuer === undefined ? undefined : entityKey(issuer)) ?? null;
    ISSUER_KEYS.set(p, key);
  }
  return key ?? undefined;
}

/** A compiled principal element. */
export class PrincipalSet {
  /** `"*"` or `{"AWS": "*"}`: everyone. */
  readonly everyone: boolean;
  readonly #aws: readonly AwsEntry[];
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
    this.#aws = aws.filter((v) => v !== '*').map(awsEntry);
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

function matchAws(e: AwsEntry, p: RequestPrincipal): PrincipalMatch | undefined {
  switch (e.kind) {
    case 'account':
      if (e.account !== p.account) return undefined;
      return p.type === 'root' ? 'direct' : 'account';
    case 'unique-id': {
      const colon = p.userId.indexOf(':');
      if ((colon < 0 ? p.userId : p.userId.slice(0, colon)) !== e.id) return undefined;
      return p.type === 'assumed-role' ? 'issuer' : 'direct';
    }
    case 'arn': {
      if (e.arn === p.arn) return 'direct';
      if (e.entity === undefined || (p.type !== 'assumed-role' && p.issuerArn === undefined)) return undefined;
      if (e.arn === p.issuerArn || e.entity === issuerKey(p)) return 'issuer';
      return undefined;
    }
  }
}
