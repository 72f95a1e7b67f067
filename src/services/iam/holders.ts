/**
 * Users, groups and roles as holders of policies: the inline and attached policy operations
 * are the same for the three, so they are written once over this table.
 */
import type { Collection } from '../../core/store.js';
import { getGroup, getRole, getUser } from './common.js';
import type { PolicySizeQuota } from '../../engines/iam-policy/index.js';
import type { IamState, PolicyHolder } from './store.js';

/** What differs between users, groups and roles for policy operations. */
export interface HolderKind {
  /** `user`, `group`, `role`: as AWS's messages name them. */
  label: 'user' | 'group' | 'role';
  /** The input member naming the entity. */
  member: 'UserName' | 'GroupName' | 'RoleName';
  /** The quota name in "Cannot exceed quota for PoliciesPer<Kind>". */
  quota: 'User' | 'Group' | 'Role';
  inlineQuota: PolicySizeQuota;
  collection(s: IamState): Collection<PolicyHolder>;
  get(s: IamState, name: string): PolicyHolder;
}

/** Users: inline policies up to 2,048 characters in all. */
export const USER: HolderKind = {
  label: 'user', member: 'UserName', quota: 'User', inlineQuota: 'user-inline',
  collection: (s) => s.users as unknown as Collection<PolicyHolder>, get: getUser,
};

/** Groups: inline policies up to 5,120 characters in all. */
export const GROUP: HolderKind = {
  label: 'group', member: 'GroupName', quota: 'Group', inlineQuota: 'group-inline',
  collection: (s) => s.groups, get: getGroup,
};

/** Roles: inline policies up to 10,240 characters in all. */
export const ROLE: HolderKind = {
  label: 'role', member: 'RoleName', quota: 'Role', inlineQuota: 'role-inline',
  collection: (s) => s.roles as unknown as Collection<PolicyHolder>, get: getRole,
};
