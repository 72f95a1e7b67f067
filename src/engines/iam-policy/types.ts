/**
 * Public data types of the IAM policy engine: what a request looks like and what a
 * decision says. The engine is pure: everything it needs (including the current time)
 * arrives in an {@link AuthzRequest}.
 */
import type { Policy } from './policy.js';

/** What a document is used as; decides which elements are required or prohibited. */
export type PolicyKind = 'identity' | 'resource' | 'scp' | 'rcp' | 'boundary' | 'session' | 'trust' | 'key';

/** Statement effect. */
export type Effect = 'Allow' | 'Deny';

/** The policy types named in decisions and explanations. */
export type PolicyType = 'identity' | 'scp' | 'rcp' | 'resource' | 'boundary' | 'session' | 'none';

/**
 * A request context value. Arrays are multivalued keys (aws:TagKeys, aws:CalledVia…);
 * `null`, like an empty array, means the key is absent.
 */
export type ContextValue = string | readonly string[] | boolean | number | null;

/**
 * Who is calling. `federated` is a web-identity or SAML provider (matched by a
 * `Federated` principal) and `anonymous` an unsigned caller; both extend the usual types.
 */
export type PrincipalType =
  | 'root'
  | 'user'
  | 'role'
  | 'assumed-role'
  | 'federated-user'
  | 'service'
  | 'federated'
  | 'anonymous';

/** The authenticated caller. */
export interface RequestPrincipal {
  /** ARN (session ARN for assumed roles; service name such as `lambda.amazonaws.com` for services). */
  readonly arn: string;
  /** The 12-digit account the principal belongs to. */
  readonly account: string;
  readonly type: PrincipalType;
  /** aws:userid: `AIDA…` for users, `AROA…:session` for role sessions, the account id for root. */
  readonly userId: string;
  /** Tags of the IAM user or role (aws:PrincipalTag/*). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Session tags; they override same-named principal tags. */
  readonly sessionTags?: Readonly<Record<string, string>>;
  /** aws:PrincipalOrgID. */
  readonly orgId?: string;
  /** aws:PrincipalOrgPaths, such as `o-abc/r-root/ou-prod/`. */
  readonly orgPaths?: readonly string[];
  /**
   * For sessions, what issued them: the role ARN (with its path) for `assumed-role`, the
   * IAM user ARN for `federated-user`. Derived from the session ARN when omitted.
   */
  readonly issuerArn?: string;
  /** S3 canonical user id, matched by a `CanonicalUser` principal. */
  readonly canonicalUserId?: string;
  /** Service-linked roles are outside SCPs and RCPs. */
  readonly serviceLinkedRole?: boolean;
}

/** An SCP or RCP level (root, an OU, the account) and the policies attached to it. */
export interface OrgPolicyLevel {
  readonly level: string;
  readonly policies: readonly Policy[];
}

/** The resource-based policy in play, and the account that owns the resource. */
export interface ResourcePolicyInput {
  readonly policy: Policy;
  readonly resourceAccount: string;
  /**
   * When true (KMS key policies, role trust policies) this policy must allow the request:
   * naming the caller's account delegates to identity policies, but without any matching
   * Allow here identity policies cannot grant access.
   */
  readonly required?: boolean;
}

/** Everything the engine needs to decide one request. */
export interface AuthzRequest {
  readonly principal: RequestPrincipal;
  /** `service:Action`, matched case-insensitively. */
  readonly action: string;
  /** Resource ARNs, or `*` for actions without resource-level permissions. */
  readonly resources: readonly string[];
  /** Request context keys (case-insensitive); they override the keys the engine derives. */
  readonly context: Readonly<Record<string, ContextValue>>;
  readonly identityPolicies: readonly Policy[];
  readonly boundary?: Policy;
  readonly sessionPolicies?: readonly Policy[];
  /** SCP levels from the organization root down to the principal's account. */
  readonly scpLevels?: readonly OrgPolicyLevel[];
  /** RCP levels from the organization root down to the resource's account. */
  readonly rcpLevels?: readonly OrgPolicyLevel[];
  readonly resourcePolicy?: ResourcePolicyInput;
  /** The resource's account when there is no resource policy (decides cross-account). */
  readonly resourceAccount?: string;
  /** The principal's account is the organization's management account: SCPs do not apply. */
  readonly isManagementAccount?: boolean;
  /** The resource's account is the management account: RCPs do not apply. */
  readonly isResourceManagementAccount?: boolean;
  /** The clock's current time (aws:CurrentTime, aws:EpochTime). */
  readonly now: Date;
}

/** One statement that took part in a decision. */
export interface StatementRef {
  readonly policyType: PolicyType;
  readonly effect?: Effect;
  /** The policy's id (or name) as given to {@link parsePolicy}. */
  readonly policyId?: string;
  /** For SCPs and RCPs: the level (root, OU, account) the policy is attached to. */
  readonly level?: string;
  readonly statementSid?: string;
  /** Position in the document's Statement array (0 for a lone statement object); -1 when none. */
  readonly statementIndex: number;
}

/** The outcome of {@link evaluate}, with the reasons that decided it. */
export interface Decision {
  readonly decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /**
   * Allow: one allowing statement per policy type that had to allow. ExplicitDeny: every
   * matching Deny statement. ImplicitDeny: empty (see `missing`).
   */
  readonly reason: readonly StatementRef[];
  /** For ImplicitDeny: the policy type (and SCP/RCP level) in which no statement allowed. */
  readonly missing?: { readonly policyType: PolicyType; readonly level?: string };
  /**
   * AWS's message suffix: `because no identity-based policy allows the s3:GetObject action`,
   * `with an explicit deny in a service control policy`; for Allow, a short explanation.
   */
  readonly message: string;
  /** The resource the decision is about (the first one denied, when several were asked). */
  readonly resource: string;
}
