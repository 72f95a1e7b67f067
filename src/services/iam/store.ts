/**
 * IAM state of one account, as plain data in the account's collections (IAM is global:
 * region `''`). Names of users, groups, roles, policies and instance profiles are unique
 * per account regardless of case, so collections are keyed by the lower-cased name and
 * each record keeps the name as created. Times are ISO strings; handlers answer Dates.
 */
import { randomBytes } from 'node:crypto';
import type { Collection, Stores } from '../../core/store.js';

/** A tag as IAM lists it. */
export interface Tag {
  Key: string;
  Value: string;
}

/** What users, groups and roles share: inline and attached policies. */
export interface PolicyHolder {
  name: string;
  id: string;
  path: string;
  createDate: string;
  /** Inline policy name → document text as given. */
  inline: Record<string, string>;
  /** Attached managed policy ARNs, in attachment order. */
  attached: string[];
}

/** An IAM user. */
export interface UserRec extends PolicyHolder {
  tags: Tag[];
  boundary?: string;
  /** Group names (as created) the user belongs to, in joining order. */
  groups: string[];
  passwordLastUsed?: string;
  login?: { createDate: string; passwordResetRequired: boolean; password: string };
}

/** An IAM group (its members are found from the users). */
export type GroupRec = PolicyHolder;

/** An IAM role. */
export interface RoleRec extends PolicyHolder {
  trust: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
  boundary?: string;
  lastUsed?: { date: string; region: string };
  /** The service of a service-linked role. */
  linkedService?: string;
}

/** One version of a customer managed policy. */
export interface PolicyVersionRec {
  id: string;
  document: string;
  createDate: string;
}

/** A customer managed policy and its versions. */
export interface PolicyRec {
  name: string;
  id: string;
  path: string;
  arn: string;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersion: string;
  nextVersion: number;
  versions: PolicyVersionRec[];
  tags: Tag[];
}

/** An instance profile. */
export interface InstanceProfileRec {
  name: string;
  id: string;
  path: string;
  createDate: string;
  /** Role names, as created. */
  roles: string[];
  tags: Tag[];
}

/** An access key; `user` is `''` for keys of the root user. */
export interface AccessKeyRec {
  id: string;
  secret: string;
  /** The user's name as created. */
  user: string;
  status: 'Active' | 'Inactive';
  createDate: string;
  lastUsed?: { date: string; service: string; region: string };
}

/** An OpenID Connect provider, keyed by ARN. */
export interface OidcRec {
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: string;
  tags: Tag[];
}

/** A SAML provider, keyed by ARN; `validUntil` is `''` when the metadata states none. */
export interface SamlRec {
  arn: string;
  name: string;
  metadata: string;
  createDate: string;
  validUntil: string;
  uuid: string;
  tags: Tag[];
}

/** A service-specific credential (CodeCommit, Keyspaces, Bedrock). */
export interface ServiceCredentialRec {
  id: string;
  user: string;
  serviceName: string;
  serviceUserName: string;
  password: string;
  status: 'Active' | 'Inactive';
  createDate: string;
}

/** A virtual MFA device, keyed by serial number. */
export interface MfaRec {
  serial: string;
  name: string;
  path: string;
  /** The TOTP seed, base32. */
  seed: string;
  createDate: string;
  /** The user it is enabled for, and when. */
  user?: string;
  enableDate?: string;
  tags: Tag[];
}

/** An SSH public key of a user. */
export interface SshKeyRec {
  id: string;
  user: string;
  body: string;
  fingerprint: string;
  status: 'Active' | 'Inactive';
  uploadDate: string;
}

/** An X.509 signing certificate. */
export interface SigningCertRec {
  id: string;
  /** The user's name, or `''` for the root user's own certificates. */
  user: string;
  body: string;
  status: 'Active' | 'Inactive';
  uploadDate: string;
}

/** A server certificate (the private key is not kept). */
export interface ServerCertRec {
  name: string;
  id: string;
  path: string;
  body: string;
  chain?: string;
  uploadDate: string;
  expiration: string;
  tags: Tag[];
}

/** Account-level settings: aliases, password policy, STS preferences, deletion tasks. */
export interface AccountSettings {
  /** When the account was first seen (GetUser of the root user). */
  created?: string;
  aliases?: string[];
  passwordPolicy?: Record<string, unknown>;
  globalEndpointTokenVersion?: string;
  /** The last credential report: CSV text and when it was made. */
  report?: { csv: string; generated: string };
}

/** The IAM state of one account. */
export interface IamState {
  account: string;
  users: Collection<UserRec>;
  groups: Collection<GroupRec>;
  roles: Collection<RoleRec>;
  policies: Collection<PolicyRec>;
  instanceProfiles: Collection<InstanceProfileRec>;
  accessKeys: Collection<AccessKeyRec>;
  oidc: Collection<OidcRec>;
  saml: Collection<SamlRec>;
  serviceCredentials: Collection<ServiceCredentialRec>;
  mfaDevices: Collection<MfaRec>;
  sshKeys: Collection<SshKeyRec>;
  signingCerts: Collection<SigningCertRec>;
  serverCerts: Collection<ServerCertRec>;
  settings: Collection<AccountSettings>;
  /** Service-linked role deletion tasks: task id → status. */
  deletions: Collection<{ status: string }>;
}

/** The IAM state of `account`, made on first use. */
export function iamState(stores: Stores, account: string): IamState {
  return stores.scope('iam', account, '', (c) => ({
    account,
    users: c.collection<UserRec>('users'),
    groups: c.collection<GroupRec>('groups'),
    roles: c.collection<RoleRec>('roles'),
    policies: c.collection<PolicyRec>('policies'),
    instanceProfiles: c.collection<InstanceProfileRec>('instance-profiles'),
    accessKeys: c.collection<AccessKeyRec>('access-keys'),
    oidc: c.collection<OidcRec>('oidc-providers'),
    saml: c.collection<SamlRec>('saml-providers'),
    serviceCredentials: c.collection<ServiceCredentialRec>('service-credentials'),
    mfaDevices: c.collection<MfaRec>('mfa-devices'),
    sshKeys: c.collection<SshKeyRec>('ssh-keys'),
    signingCerts: c.collection<SigningCertRec>('signing-certificates'),
    serverCerts: c.collection<ServerCertRec>('server-certificates'),
    settings: c.collection<AccountSettings>('settings'),
    deletions: c.collection<{ status: string }>('slr-deletions'),
  }));
}

/** The collection key of a name: IAM names are unique regardless of case. */
export function key(name: string): string {
  return name.toLowerCase();
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * A unique id as IAM issues them: a four-letter prefix naming the kind (AIDA user, AGPA
 * group, AROA role, ANPA policy, AIPA instance profile, ACCA service credential) and 17
 * characters, 21 in all.
 */
export function uniqueId(prefix: string): string {
  let out = prefix;
  for (const b of randomBytes(17)) out += ID_ALPHABET[b & 31];
  return out;
}

/** ARN of an IAM entity: `arn:aws:iam::<account>:<kind><path><name>`. */
export function entityArn(account: string, kind: 'user' | 'group' | 'role' | 'policy' | 'instance-profile', path: string, name: string): string {
  return `arn:aws:iam::${account}:${kind}${path}${name}`;
}

/** The ISO text of a Date, as records keep times. */
export function iso(d: Date): string {
  return d.toISOString();
}
