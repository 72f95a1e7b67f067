/** Permissions boundaries of users and roles: set at creation or later, and removed. */
import type { Handler } from '../types.js';
import { getRole, getUser, stateOf } from './common.js';
import { noSuchEntity, unmodifiable } from './errors.js';
import { checkPolicyArn, findManaged } from './managed.js';
import { key, type IamState } from './store.js';

/**
 * Checks a PermissionsBoundary input (CreateUser, CreateRole, Put*PermissionsBoundary): a
 * managed policy the account can see. Undefined passes through.
 */
export function boundaryArnOf(s: IamState, arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  checkPolicyArn(arn);
  if (findManaged(s, arn) === undefined) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return arn;
}

/** PutUserPermissionsBoundary: sets a managed policy as the user's boundary. */
export const putUserPermissionsBoundary: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const boundary = boundaryArnOf(s, String(input['PermissionsBoundary']));
  s.users.set(key(u.name), { ...u, boundary });
  return {};
};

/** DeleteUserPermissionsBoundary: removes the user's boundary. */
export const deleteUserPermissionsBoundary: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const { boundary: _dropped, ...rest } = u;
  s.users.set(key(u.name), rest);
  return {};
};

/** PutRolePermissionsBoundary: sets a managed policy as the role's boundary. */
export const putRolePermissionsBoundary: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  if (r.linkedService !== undefined) throw protectedRole(r.name);
  const boundary = boundaryArnOf(s, String(input['PermissionsBoundary']));
  s.roles.set(key(r.name), { ...r, boundary });
  return {};
};

/** DeleteRolePermissionsBoundary: removes the role's boundary. */
export const deleteRolePermissionsBoundary: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  if (r.linkedService !== undefined) throw protectedRole(r.name);
  const { boundary: _dropped, ...rest } = r;
  s.roles.set(key(r.name), rest);
  return {};
};

/** AWS's refusal to change a service-linked role. */
export function protectedRole(name: string): Error {
  return unmodifiable(`Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`);
}
