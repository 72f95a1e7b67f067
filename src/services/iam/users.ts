/** IAM users: create, read, list, rename, delete, tags, and the caller as GetUser sees it. */
import type { Principal } from '../../core/identity.js';
import type { Handler, ServiceContext } from '../types.js';
import {
  byPathPrefix, date, getUser, inputTags, listTags, mergeTags, pageInfo, paginate, removeTags, sortedByName, stateOf, str, tagsOut,
} from './common.js';
import { alreadyExists, checkName, checkPath, deleteConflict, validationText } from './errors.js';
import { boundaryArnOf } from './boundaries.js';
import { entityArn, iso, key, uniqueId, type AccessKeyRec, type IamState, type UserRec } from './store.js';

/** The principal an access key of this user stands for. */
export function userPrincipal(account: string, u: UserRec): Principal {
  return { type: 'user', account, arn: entityArn(account, 'user', u.path, u.name), userId: u.id, name: u.name, issuerName: u.name };
}

/** The `User` structure; `full` adds what only GetUser/CreateUser answer (boundary, tags). */
export function userOut(s: IamState, u: UserRec, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Path: u.path,
    UserName: u.name,
    UserId: u.id,
    Arn: entityArn(s.account, 'user', u.path, u.name),
    CreateDate: date(u.createDate),
  };
  if (u.passwordLastUsed !== undefined) out['PasswordLastUsed'] = date(u.passwordLastUsed);
  if (full && u.boundary !== undefined) out['PermissionsBoundary'] = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: u.boundary };
  return full ? { ...out, ...tagsOut(u.tags) } : out;
}

/** CreateUser: a user with an AIDA id; a boundary and tags may be set at once. */
export const createUser: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = checkName(input['UserName'], 'userName');
  const path = checkPath(input['Path']);
  const tags = inputTags(input);
  const boundary = boundaryArnOf(s, str(input, 'PermissionsBoundary'));
  if (s.users.has(key(name))) throw alreadyExists(`User with name ${name} already exists.`);
  const u: UserRec = {
    name, path, id: uniqueId('AIDA'), createDate: iso(ctx.clock.now()), inline: {}, attached: [], tags, groups: [],
    ...(boundary === undefined ? {} : { boundary }),
  };
  s.users.set(key(name), u);
  return { User: userOut(s, u, true) };
};

/** GetUser: the named user, or without a name the caller (an IAM user or the root user). */
export const getUserHandler: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = str(input, 'UserName');
  if (name !== undefined) return { User: userOut(s, getUser(s, name), true) };
  return { User: callerAsUser(s, ctx) };
};

// GetUser without a name: the caller, which must be an IAM user or the root user.
function callerAsUser(s: IamState, ctx: ServiceContext): Record<string, unknown> {
  const p = ctx.principal;
  if (p.type === 'user') return userOut(s, getUser(s, p.issuerName ?? p.name ?? p.arn.slice(p.arn.lastIndexOf('/') + 1)), true);
  if (p.type === 'root') {
    let settings = s.settings.get('account') ?? {};
    if (settings.created === undefined) {
      settings = { ...settings, created: iso(ctx.clock.now()) };
      s.settings.set('account', settings);
    }
    return { UserId: p.account, Arn: p.arn, CreateDate: date(settings.created as string) };
  }
  throw validationText('Must specify userName when calling with non-User credentials');
}

/** ListUsers: by name, filtered by PathPrefix, paginated; without tags or boundary, as AWS lists them. */
export const listUsers: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = paginate(sortedByName(byPathPrefix(s.users.values(), input)), input);
  return { Users: p.items.map((u) => userOut(s, u, false)), ...pageInfo(p) };
};

/** UpdateUser: renames or moves a user; its access keys keep working under the new ARN. */
export const updateUser: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const newName = input['NewUserName'] === undefined ? u.name : checkName(input['NewUserName'], 'newUserName');
  const newPath = input['NewPath'] === undefined ? u.path : checkPath(input['NewPath'], 'newPath');
  if (key(newName) !== key(u.name) && s.users.has(key(newName))) throw alreadyExists(`User with name ${newName} already exists.`);
  const renamed: UserRec = { ...u, name: newName, path: newPath };
  s.users.delete(key(u.name));
  s.users.set(key(newName), renamed);
  // Keys and credentials name their user; re-register keys so they sign as the new ARN.
  for (const [id, k] of s.accessKeys) {
    if (k.user !== u.name) continue;
    const moved: AccessKeyRec = { ...k, user: newName };
    s.accessKeys.set(id, moved);
    if (moved.status === 'Active') ctx.identities.register({ accessKeyId: id, secretAccessKey: k.secret, principal: userPrincipal(s.account, renamed) });
  }
  for (const [id, c] of s.serviceCredentials) if (c.user === u.name) s.serviceCredentials.set(id, { ...c, user: newName });
  for (const [id, k] of s.sshKeys) if (k.user === u.name) s.sshKeys.set(id, { ...k, user: newName });
  for (const [id, c] of s.signingCerts) if (c.user === u.name) s.signingCerts.set(id, { ...c, user: newName });
  for (const [id, d] of s.mfaDevices) if (d.user === u.name) s.mfaDevices.set(id, { ...d, user: newName });
  return {};
};

/** DeleteUser: refused with DeleteConflict while anything still hangs on the user, in AWS's order. */
export const deleteUser: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  if (u.login !== undefined) throw deleteConflict('Cannot delete entity, must delete login profile first.');
  if ([...s.accessKeys.values()].some((k) => k.user === u.name)) throw deleteConflict('Cannot delete entity, must delete access keys first.');
  if ([...s.mfaDevices.values()].some((d) => d.user === u.name)) throw deleteConflict('Cannot delete entity, must delete MFA device first.');
  const owns = (list: Iterable<{ user?: string }>): boolean => [...list].some((x) => x.user === u.name);
  if (owns(s.serviceCredentials.values()) || owns(s.sshKeys.values()) || owns(s.signingCerts.values())) {
    throw deleteConflict('Cannot delete entity, must remove referenced objects first.');
  }
  if (Object.keys(u.inline).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (u.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (u.groups.length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
  s.users.delete(key(u.name));
  return {};
};

/** TagUser: adds or replaces tags (keys compared without case), 50 at most. */
export const tagUser: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  s.users.set(key(u.name), { ...u, tags: mergeTags(u.tags, inputTags(input)) });
  return {};
};

/** UntagUser: removes the named tag keys; unknown keys are ignored. */
export const untagUser: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  s.users.set(key(u.name), { ...u, tags: removeTags(u.tags, input) });
  return {};
};

/** ListUserTags: the user's tags, paginated. */
export const listUserTags: Handler = (input, ctx) => listTags(getUser(stateOf(ctx), String(input['UserName'])).tags, input);
