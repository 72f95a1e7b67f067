/**
 * Organizations state. An organization is shared by all its accounts, so it lives in the
 * app-wide store (`stores.global('organizations')`), one plain record per organization
 * keyed by its id, with an index from every member account to its organization and the
 * invitations (handshakes), which concern accounts outside the organization, kept apart.
 */
import { randomInt } from 'node:crypto';
import { randomHex } from '../../core/ids.js';
import type { Collection, Stores } from '../../core/store.js';

/** The policy types AWS Organizations knows; SCP, RCP and tag policies have behaviour here. */
export const POLICY_TYPES = [
  'SERVICE_CONTROL_POLICY',
  'RESOURCE_CONTROL_POLICY',
  'TAG_POLICY',
  'BACKUP_POLICY',
  'AISERVICES_OPT_OUT_POLICY',
  'CHATBOT_POLICY',
  'DECLARATIVE_POLICY_EC2',
  'SECURITYHUB_POLICY',
] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

export const SCP: PolicyType = 'SERVICE_CONTROL_POLICY';
export const RCP: PolicyType = 'RESOURCE_CONTROL_POLICY';

export interface OrgAccount {
  id: string;
  name: string;
  email: string;
  state: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';
  joinedMethod: 'CREATED' | 'INVITED';
  joinedAt: string;
  parentId: string;
  tags: Record<string, string>;
  /** The access role still to be made in IAM (IAM was not loaded when the account was made). */
  pendingRole?: string;
}

export interface OrgUnit {
  id: string;
  name: string;
  parentId: string;
  tags: Record<string, string>;
}

export interface OrgPolicy {
  id: string;
  name: string;
  description: string;
  type: PolicyType;
  content: string;
  tags: Record<string, string>;
  awsManaged?: boolean;
}

export interface CreateAccountStatusRecord {
  id: string;
  accountName: string;
  state: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  requestedAt: string;
  completedAt?: string;
  accountId?: string;
  failureReason?: string;
}

export interface DelegatedAdmin {
  account: string;
  enabledAt: string;
  /** Service principal → date it was delegated. */
  services: Record<string, string>;
}

export interface OrgRecord {
  id: string;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  managementAccount: string;
  managementEmail: string;
  rootId: string;
  rootTags: Record<string, string>;
  enabledTypes: PolicyType[];
  accounts: Record<string, OrgAccount>;
  ous: Record<string, OrgUnit>;
  policies: Record<string, OrgPolicy>;
  /** Target id (root, OU, account) → attached policy ids, in attachment order. */
  attachments: Record<string, string[]>;
  createStatuses: Record<string, CreateAccountStatusRecord>;
  delegated: Record<string, DelegatedAdmin>;
  serviceAccess: Record<string, string>;
  /** Bumped on every change, so readers can cache what they derive. */
  version: number;
}

export interface HandshakeRecord {
  id: string;
  orgId: string;
  managementAccount: string;
  action: 'INVITE';
  target: { Id: string; Type: 'ACCOUNT' | 'EMAIL' | 'ORGANIZATION' };
  state: 'REQUESTED' | 'OPEN' | 'CANCELED' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED';
  requestedAt: string;
  expiresAt: string;
  notes?: string;
}

const FULL_ACCESS = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
const RCP_FULL_ACCESS = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

/** The AWS managed policies every organization has; attached by default when their type is enabled. */
export const AWS_MANAGED: Readonly<Record<string, OrgPolicy>> = {
  'p-FullAWSAccess': {
    id: 'p-FullAWSAccess', name: 'FullAWSAccess', description: 'Allows access to every operation',
    type: SCP, content: FULL_ACCESS, tags: {}, awsManaged: true,
  },
  'p-RCPFullAWSAccess': {
    id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', description: 'Allows access to every operation',
    type: RCP, content: RCP_FULL_ACCESS, tags: {}, awsManaged: true,
  },
};

/** The managed policy attached to every target when a type is enabled, if the type has one. */
export function defaultPolicyOf(type: PolicyType): string | undefined {
  if (type === SCP) return 'p-FullAWSAccess';
  if (type === RCP) return 'p-RCPFullAWSAccess';
  return undefined;
}

/** Typed access to the organizations store; ask for it per request (see {@link Stores.scope}). */
export class OrgStore {
  readonly #orgs: Collection<OrgRecord>;
  readonly #index: Collection<string>;
  readonly #handshakes: Collection<HandshakeRecord>;

  private constructor(c: { orgs: Collection<OrgRecord>; index: Collection<string>; handshakes: Collection<HandshakeRecord> }) {
    this.#orgs = c.orgs;
    this.#index = c.index;
    this.#handshakes = c.handshakes;
  }

  static of(stores: Stores): OrgStore {
    return stores.global('organizations', (c) => new OrgStore({
      orgs: c.collection<OrgRecord>('orgs'),
      index: c.collection<string>('account-index'),
      handshakes: c.collection<HandshakeRecord>('handshakes'),
    }));
  }

  /** The organization an account belongs to. */
  orgOf(account: string): OrgRecord | undefined {
    const id = this.#index.get(account);
    return id === undefined ? undefined : this.#orgs.get(id);
  }

  /** Writes an organization back (every change must end here) and indexes its accounts. */
  save(org: OrgRecord): void {
    org.version++;
    this.#orgs.set(org.id, org);
    for (const id of Object.keys(org.accounts)) if (this.#index.get(id) !== org.id) this.#index.set(id, org.id);
  }

  /** Forgets that an account belongs to an organization (it left or was removed). */
  unindex(account: string): void {
    this.#index.delete(account);
  }

  delete(org: OrgRecord): void {
    for (const id of Object.keys(org.accounts)) this.#index.delete(id);
    this.#orgs.delete(org.id);
  }

  /** True when any organization has the account: new account ids must be fresh. */
  knownAccount(account: string): boolean {
    return this.#index.has(account);
  }

  handshake(id: string): HandshakeRecord | undefined {
    return this.#handshakes.get(id);
  }

  saveHandshake(h: HandshakeRecord): void {
    this.#handshakes.set(h.id, h);
  }

  handshakes(): HandshakeRecord[] {
    return [...this.#handshakes.values()];
  }
}

/** Ids shaped like AWS's. */
export const newId = {
  org: () => `o-${randomHex(10)}`,
  root: () => `r-${randomHex(4)}`,
  ou: (rootId: string) => `ou-${rootId.slice(2)}-${randomHex(8)}`,
  policy: () => `p-${randomHex(8)}`,
  createAccountStatus: () => `car-${randomHex(32)}`,
  handshake: () => `h-${randomHex(10)}`,
  /** A fresh 12-digit account id (never one of the all-zero kind Drydock uses by default). */
  account: (taken: (id: string) => boolean) => {
    for (;;) {
      const id = `${randomInt(1, 10)}${String(randomInt(0, 1e11)).padStart(11, '0')}`;
      if (!taken(id)) return id;
    }
  },
};

/** ARNs of organization entities; all live under the management account. */
export const arns = {
  org: (o: OrgRecord) => `arn:aws:organizations::${o.managementAccount}:organization/${o.id}`,
  root: (o: OrgRecord) => `arn:aws:organizations::${o.managementAccount}:root/${o.id}/${o.rootId}`,
  ou: (o: OrgRecord, id: string) => `arn:aws:organizations::${o.managementAccount}:ou/${o.id}/${id}`,
  account: (o: OrgRecord, id: string) => `arn:aws:organizations::${o.managementAccount}:account/${o.id}/${id}`,
  policy: (o: OrgRecord, p: OrgPolicy) =>
    p.awsManaged === true
      ? `arn:aws:organizations::aws:policy/${p.type.toLowerCase()}/${p.id}`
      : `arn:aws:organizations::${o.managementAccount}:policy/${o.id}/${p.type.toLowerCase()}/${p.id}`,
  handshake: (h: HandshakeRecord) => `arn:aws:organizations::${h.managementAccount}:handshake/${h.orgId}/${h.action.toLowerCase()}/${h.id}`,
};
