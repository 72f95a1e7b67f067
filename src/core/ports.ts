import type { Principal } from './identity.js';

/**
 * Typed ports between services: a service never imports another, so what the gateway and
 * other services need from IAM and Organizations is declared here and filled in by those
 * services when they load.
 */

/** A policy document as the owning service stores it. `document` is the JSON text. */
export interface StoredPolicy {
  /** Stable id for explanations: a managed policy ARN, or `<entity ARN>/inline/<name>`. */
  id: string;
  name: string;
  document: string;
}

export interface IamRoleInfo {
  arn: string;
  roleId: string;
  name: string;
  path: string;
  account: string;
  trustPolicy: string;
  maxSessionDuration: number;
  tags: Record<string, string>;
  permissionsBoundaryArn?: string;
}

export interface IamUserInfo {
  arn: string;
  userId: string;
  name: string;
  path: string;
  account: string;
  tags: Record<string, string>;
}

/** What the rest of Drydock reads from IAM. */
export interface IamDirectory {
  /** Identity-based policies of a principal (a user's own and its groups'; a session's role's) and its boundary. */
  policiesFor(principal: Principal): { identity: StoredPolicy[]; boundary?: StoredPolicy };
  role(account: string, roleName: string): IamRoleInfo | undefined;
  user(account: string, userName: string): IamUserInfo | undefined;
  /** A managed policy's default version, AWS managed (`arn:aws:iam::aws:policy/…`) or customer managed. */
  managedPolicy(arn: string): StoredPolicy | undefined;
  /** Tags of a principal's user or role (aws:PrincipalTag/*). */
  principalTags(principal: Principal): Record<string, string>;
  /** GetAccessKeyLastUsed data, recorded by the gateway for IAM users' keys. */
  recordAccessKeyUse?(account: string, accessKeyId: string, service: string, region: string, when: Date): void;
  /** RoleLastUsed, recorded by STS when a role is assumed. */
  recordRoleUse?(account: string, roleName: string, region: string, when: Date): void;
  /** Checks a TOTP code of a virtual MFA device (STS TokenCode). */
  checkMfaCode?(account: string, serialNumber: string, code: string, now: Date): boolean;
  /**
   * Creates a role on another service's behalf (Organizations makes
   * `OrganizationAccountAccessRole` in each new account). Idempotent: an existing role of
   * that name is left as it is and returned.
   */
  createRole?(account: string, role: IamRoleSpec): IamRoleInfo;
  /** ARNs of the roles in an instance profile (by name), or undefined when there is no such profile. */
  instanceProfileRoles?(account: string, profileName: string): string[] | undefined;
  /** The account's IAM OIDC identity provider for an issuer URL (with or without `https://`). */
  oidcProvider?(account: string, issuerUrl: string): IamOidcProviderInfo | undefined;
}

/** What {@link IamDirectory.createRole} makes. */
export interface IamRoleSpec {
  name: string;
  /** Trust policy document, JSON text. */
  trustPolicy: string;
  managedPolicyArns?: string[];
  description?: string;
}

export interface IamOidcProviderInfo {
  /** `arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com` */
  arn: string;
  /** The issuer without `https://`, as IAM stores it. */
  url: string;
  clientIds: string[];
  thumbprints: string[];
}

export interface OrgPolicyLevel {
  /** `r-xxxx`, `ou-xxxx-yyyy` or the account id. */
  level: string;
  policies: StoredPolicy[];
}

export interface OrgAccountInfo {
  orgId: string;
  managementAccount: string;
  /** aws:PrincipalOrgPaths form: `o-abc/r-root/ou-1/ou-2/`. */
  orgPath: string;
  /** From the root down to the account; every level must allow. Empty when SCPs are not enabled. */
  scpLevels: OrgPolicyLevel[];
  rcpLevels: OrgPolicyLevel[];
}

/** What the rest of Drydock reads from Organizations. */
export interface OrgDirectory {
  /** The organization an account belongs to, or undefined for a standalone account. */
  accountInfo(account: string): OrgAccountInfo | undefined;
}

/** A resource's own policy (bucket, queue, topic, key policy, trust policy, …) and owner. */
export interface ResourcePolicyInfo {
  document: string;
  /** The account that owns the resource. */
  account: string;
  /** KMS key policies and trust policies: the policy must allow; naming the account delegates to IAM. */
  required?: boolean;
  /** How to read the document (trust policies have no Resource element). */
  kind?: 'resource' | 'key' | 'trust';
  id?: string;
}

/** Looks up the policy of a resource ARN in the service that owns it. */
export type ResourcePolicyLookup = (arn: string) => ResourcePolicyInfo | undefined;

/** Looks up the tags of a resource ARN (aws:ResourceTag/*) in the service that owns it. */
export type ResourceTagLookup = (arn: string) => Record<string, string> | undefined;

/** One resource a call touches, as the service that owns it names it. */
export interface ResourceRef {
  arn: string;
  /** The IAM action for this resource when it differs from the call's (KMS ReEncryptFrom/To). */
  action?: string;
  /** The grant operation a grant may allow on it (KMS); absent when only policies can. */
  grantOperation?: string;
  encryptionContext?: Record<string, string>;
  /** Condition keys that hold for this resource only (`iam:PassedToService` of a passed role). */
  context?: Record<string, string>;
}

/**
 * Resources of a call, for services whose ARNs need their state to work out (a KMS alias or a
 * ciphertext names a key). An empty list: the call names no resource (`*`).
 */
export type ResourceResolver = (operation: string, input: Record<string, unknown>, account: string, region: string) => ResourceRef[];

/** Whether a grant (KMS) lets the caller perform `operation` on `arn`. */
export type GrantCheck = (
  arn: string, principal: { arn: string; issuerArn?: string; account?: string }, operation: string, encryptionContext?: Record<string, string>,
) => { grantId: string; name?: string } | undefined;

/** A message handed from one service to another (SNS → SQS, EventBridge → SQS, S3 events …). */
export interface DeliveryMessage {
  body: string;
  /** SQS-style message attributes: `{ DataType, StringValue?, BinaryValue? }`. */
  attributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** The principal (service or role ARN) delivering, for the target's resource policy. */
  sourceArn?: string;
  /** The service principal delivering, e.g. `sns.amazonaws.com`. */
  servicePrincipal?: string;
}

/** Delivers to a target ARN of the service that owns it; rejects with an AwsError-like reason. */
export type Deliver = (targetArn: string, message: DeliveryMessage) => Promise<void>;

/** The ports of one app; each is set by its service when that service loads. */
export class Ports {
  iam?: IamDirectory;
  org?: OrgDirectory;
  /** IAM and STS have restored the keys and sessions they issued (with a data directory). */
  credentialsRestored = false;
  /** Per IAM service prefix (`s3`, `sqs`, `kms`, …). */
  readonly resourcePolicies = new Map<string, ResourcePolicyLookup>();
  readonly resourceTags = new Map<string, ResourceTagLookup>();
  readonly resourceResolvers = new Map<string, ResourceResolver>();
  readonly grants = new Map<string, GrantCheck>();
  /** Per target service prefix (`sqs`, `lambda`, `sns`, `events`…). */
  readonly deliver = new Map<string, Deliver>();
}
