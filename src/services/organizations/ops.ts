/**
 * The organization's structure as operations on the store: create the organization, OUs
 * and accounts, move and remove accounts. Callable without HTTP (the landing zone uses
 * them); each validates as AWS does and throws AWS's errors.
 */
import type { Clock } from '../../core/clock.js';
import type { IamDirectory } from '../../core/ports.js';
import { errors } from './errors.js';
import { attachDefaults } from './policy-ops.js';
import {
  newId,
  SCP,
  type CreateAccountStatusRecord,
  type OrgAccount,
  type OrgRecord,
  type OrgStore,
  type OrgUnit,
} from './store.js';

/** What the operations need: the store, the clock, and IAM to make account access roles. */
export interface OrgEnv {
  store: OrgStore;
  clock: Clock;
  iam?: IamDirectory;
}

export const MAX_OU_DEPTH = 5;
export const MAX_OUS = 1000;
// AWS's default quota is 10 accounts and is raised on request; Drydock starts high.
export const MAX_ACCOUNTS = 1000;
export const DEFAULT_ACCESS_ROLE = 'OrganizationAccountAccessRole';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/** What a target id is in this organization. */
export function targetKind(org: OrgRecord, id: string): 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT' | undefined {
  if (id === org.rootId) return 'ROOT';
  if (org.ous[id] !== undefined) return 'ORGANIZATIONAL_UNIT';
  if (org.accounts[id] !== undefined) return 'ACCOUNT';
  return undefined;
}

/** The parent of an OU or account. */
export function parentOf(org: OrgRecord, id: string): string | undefined {
  return org.ous[id]?.parentId ?? org.accounts[id]?.parentId;
}

/** The containers from the root down to `id` inclusive (`id` may be the root, an OU or an account). */
export function chain(org: OrgRecord, id: string): string[] {
  const out = [id];
  for (let p = parentOf(org, id); p !== undefined; p = parentOf(org, p)) out.unshift(p);
  return out;
}

/** `o-x/r-y/ou-a/…/` up to and including `id`. */
export function pathOf(org: OrgRecord, id: string): string {
  return `${org.id}/${chain(org, id).join('/')}/`;
}

function isContainer(org: OrgRecord, id: string): boolean {
  return id === org.rootId || org.ous[id] !== undefined;
}

export function createOrganization(env: OrgEnv, account: string, featureSet = 'ALL', email?: string): OrgRecord {
  if (env.store.orgOf(account) !== undefined) throw errors.alreadyInOrganization();
  if (featureSet !== 'ALL' && featureSet !== 'CONSOLIDATED_BILLING') {
    throw errors.invalidInput('INVALID_ENUM', 'You specified an invalid value.');
  }
  const now = env.clock.now().toISOString();
  const managementEmail = email ?? `management+${account}@drydock.local`;
  const rootId = newId.root();
  const org: OrgRecord = {
    id: newId.org(),
    featureSet,
    managementAccount: account,
    managementEmail,
    rootId,
    rootTags: {},
    // With all features, SCPs start enabled on the root (AWS's CreateOrganization documentation).
    enabledTypes: featureSet === 'ALL' ? [SCP] : [],
    accounts: {
      [account]: { id: account, name: 'management', email: managementEmail, state: 'ACTIVE', joinedMethod: 'INVITED', joinedAt: now, parentId: rootId, tags: {} },
    },
    ous: {},
    policies: {},
    attachments: {},
    createStatuses: {},
    delegated: {},
    serviceAccess: {},
    version: 0,
  };
  attachDefaults(org, rootId);
  attachDefaults(org, account);
  env.store.save(org);
  return org;
}

function checkName(name: string, max: number): void {
  if (name.length < 1 || name.length > max) {
    throw errors.invalidInput(name.length < 1 ? 'MIN_LENGTH_EXCEEDED' : 'MAX_LENGTH_EXCEEDED', 'You provided a value that does not match the required length.');
  }
}

export function createOu(env: OrgEnv, org: OrgRecord, parentId: string, name: string, tags: Record<string, string> = {}): OrgUnit {
  if (!isContainer(org, parentId)) throw errors.parentNotFound();
  checkName(name, 128);
  if (Object.values(org.ous).some((o) => o.parentId === parentId && o.name === name)) throw errors.duplicateOu();
  // The root is level 0; OUs nest at most five deep.
  if (chain(org, parentId).length > MAX_OU_DEPTH) throw errors.constraint('OU_DEPTH_LIMIT_EXCEEDED');
  if (Object.keys(org.ous).length >= MAX_OUS) throw errors.constraint('OU_NUMBER_LIMIT_EXCEEDED');
  const ou: OrgUnit = { id: newId.ou(org.rootId), name, parentId, tags };
  org.ous[ou.id] = ou;
  attachDefaults(org, ou.id);
  env.store.save(org);
  return ou;
}

export function renameOu(env: OrgEnv, org: OrgRecord, ouId: string, name: string): OrgUnit {
  const ou = org.ous[ouId];
  if (ou === undefined) throw errors.ouNotFound();
  checkName(name, 128);
  if (Object.values(org.ous).some((o) => o.id !== ouId && o.parentId === ou.parentId && o.name === name)) throw errors.duplicateOu();
  ou.name = name;
  env.store.save(org);
  return ou;
}

export function deleteOu(env: OrgEnv, org: OrgRecord, ouId: string): void {
  if (org.ous[ouId] === undefined) throw errors.ouNotFound();
  const busy = Object.values(org.ous).some((o) => o.parentId === ouId) || Object.values(org.accounts).some((a) => a.parentId === ouId);
  if (busy) throw errors.ouNotEmpty();
  delete org.ous[ouId];
  delete org.attachments[ouId];
  env.store.save(org);
}

/** The trust policy of the access role: the management account may assume it. */
export function accessRoleTrust(org: OrgRecord): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${org.managementAccount}:root` }, Action: 'sts:AssumeRole' }],
  });
}

// Makes the access role now, or marks it pending until IAM (with createRole) is loaded.
function makeAccessRole(env: OrgEnv, org: OrgRecord, account: OrgAccount, roleName: string): void {
  if (env.iam?.createRole === undefined) {
    account.pendingRole = roleName;
    return;
  }
  env.iam.createRole(account.id, {
    name: roleName,
    trustPolicy: accessRoleTrust(org),
    managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    description: 'Grants the management account full access to this member account',
  });
  delete account.pendingRole;
}

/** Creates access roles that could not be made when their accounts were (IAM not loaded then). */
export function flushPendingRoles(env: OrgEnv, org: OrgRecord): void {
  if (env.iam?.createRole === undefined) return;
  let changed = false;
  for (const a of Object.values(org.accounts)) {
    if (a.pendingRole === undefined) continue;
    try {
      makeAccessRole(env, org, a, a.pendingRole);
    } catch {
      // IAM refused it (a clashing role, say): give up on it rather than fail every call.
      delete a.pendingRole;
    }
    changed = true;
  }
  if (changed) env.store.save(org);
}

export interface NewAccount {
  name: string;
  email: string;
  roleName?: string;
  tags?: Record<string, string>;
}

/**
 * Creates a member account under the root. AWS finishes asynchronously; Drydock finishes at
 * once and records the request's status (a duplicate email fails it, as on AWS).
 */
export function createAccount(env: OrgEnv, org: OrgRecord, spec: NewAccount): CreateAccountStatusRecord {
  checkName(spec.name, 50);
  if (!EMAIL.test(spec.email) || spec.email.length > 64) {
    throw errors.invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
  }
  const roleName = spec.roleName ?? DEFAULT_ACCESS_ROLE;
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) throw errors.invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
  if (Object.keys(org.accounts).length >= MAX_ACCOUNTS) throw errors.constraint('ACCOUNT_NUMBER_LIMIT_EXCEEDED');
  const now = env.clock.now().toISOString();
  const status: CreateAccountStatusRecord = { id: newId.createAccountStatus(), accountName: spec.name, state: 'SUCCEEDED', requestedAt: now, completedAt: now };
  if (Object.values(org.accounts).some((a) => a.email.toLowerCase() === spec.email.toLowerCase())) {
    status.state = 'FAILED';
    status.failureReason = 'EMAIL_ALREADY_EXISTS';
  } else {
    const id = newId.account((a) => env.store.knownAccount(a));
    const account: OrgAccount = {
      id, name: spec.name, email: spec.email, state: 'ACTIVE', joinedMethod: 'CREATED', joinedAt: now, parentId: org.rootId, tags: spec.tags ?? {},
    };
    org.accounts[id] = account;
    attachDefaults(org, id);
    makeAccessRole(env, org, account, roleName);
    status.accountId = id;
  }
  org.createStatuses[status.id] = status;
  env.store.save(org);
  return status;
}

export function moveAccount(env: OrgEnv, org: OrgRecord, accountId: string, source: string, destination: string): void {
  const account = org.accounts[accountId];
  if (!isContainer(org, source)) throw errors.sourceParentNotFound();
  if (!isContainer(org, destination)) throw errors.destinationParentNotFound();
  if (account === undefined || account.parentId !== source) throw errors.accountNotFound();
  if (source === destination) throw errors.duplicateAccount();
  account.parentId = destination;
  env.store.save(org);
}

/** Takes a member account out of the organization (RemoveAccountFromOrganization, LeaveOrganization). */
export function removeAccount(env: OrgEnv, org: OrgRecord, accountId: string): void {
  if (org.accounts[accountId] === undefined) throw errors.accountNotFound();
  if (accountId === org.managementAccount) throw errors.masterCannotLeave();
  if (org.delegated[accountId] !== undefined) throw errors.constraint('CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG');
  delete org.accounts[accountId];
  delete org.attachments[accountId];
  env.store.unindex(accountId);
  env.store.save(org);
}
