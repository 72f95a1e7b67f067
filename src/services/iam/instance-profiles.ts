/** Instance profiles: the container that passes one role to EC2 instances. */
import type { Handler } from '../types.js';
import {
  byPathPrefix, date, getInstanceProfile, getRole, inputTags, listTags, mergeTags, pageInfo, paginate, removeTags, sortedByName, stateOf, tagsOut,
} from './common.js';
import { alreadyExists, checkName, checkPath, deleteConflict, limitExceeded, noSuchEntity } from './errors.js';
import { roleOut } from './roles.js';
import { entityArn, iso, key, uniqueId, type IamState, type InstanceProfileRec, type RoleRec } from './store.js';

const ROLES_PER_PROFILE = 1;

/** The `InstanceProfile` structure, with its roles. */
export function instanceProfileOut(s: IamState, p: InstanceProfileRec, withTags: boolean): Record<string, unknown> {
  const roles = p.roles.map((n) => s.roles.get(key(n))).filter((r): r is RoleRec => r !== undefined);
  const out: Record<string, unknown> = {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id,
    Arn: entityArn(s.account, 'instance-profile', p.path, p.name),
    CreateDate: date(p.createDate),
    Roles: roles.map((r) => roleOut(s, r, 'list')),
  };
  return withTags ? { ...out, ...tagsOut(p.tags) } : out;
}

/** CreateInstanceProfile: an empty profile with an AIPA id. */
export const createInstanceProfile: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = checkName(input['InstanceProfileName'], 'instanceProfileName', 128);
  const path = checkPath(input['Path']);
  const tags = inputTags(input);
  if (s.instanceProfiles.has(key(name))) throw alreadyExists(`Instance Profile ${name} already exists.`);
  const p: InstanceProfileRec = { name, path, id: uniqueId('AIPA'), createDate: iso(ctx.clock.now()), roles: [], tags };
  s.instanceProfiles.set(key(name), p);
  return { InstanceProfile: instanceProfileOut(s, p, true) };
};

/** GetInstanceProfile: the profile and its role. */
export const getInstanceProfileHandler: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  return { InstanceProfile: instanceProfileOut(s, getInstanceProfile(s, String(input['InstanceProfileName'])), true) };
};

/** DeleteInstanceProfile: refused while it holds a role. */
export const deleteInstanceProfile: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getInstanceProfile(s, String(input['InstanceProfileName']));
  if (p.roles.length > 0) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  s.instanceProfiles.delete(key(p.name));
  return {};
};

/** ListInstanceProfiles: by name, filtered by PathPrefix, paginated. */
export const listInstanceProfiles: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = paginate(sortedByName(byPathPrefix(s.instanceProfiles.values(), input)), input);
  return { InstanceProfiles: p.items.map((x) => instanceProfileOut(s, x, false)), ...pageInfo(p) };
};

/** ListInstanceProfilesForRole: the profiles that hold the role. */
export const listInstanceProfilesForRole: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  const profiles = sortedByName([...s.instanceProfiles.values()].filter((p) => p.roles.some((n) => key(n) === key(r.name))));
  const p = paginate(profiles, input);
  return { InstanceProfiles: p.items.map((x) => instanceProfileOut(s, x, false)), ...pageInfo(p) };
};

/** AddRoleToInstanceProfile: a profile holds one role. */
export const addRoleToInstanceProfile: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getInstanceProfile(s, String(input['InstanceProfileName']));
  const r = getRole(s, String(input['RoleName']));
  if (p.roles.some((n) => key(n) === key(r.name))) {
    throw limitExceeded(`Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${ROLES_PER_PROFILE}`);
  }
  if (p.roles.length >= ROLES_PER_PROFILE) throw limitExceeded(`Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${ROLES_PER_PROFILE}`);
  s.instanceProfiles.set(key(p.name), { ...p, roles: [...p.roles, r.name] });
  return {};
};

/** RemoveRoleFromInstanceProfile: NoSuchEntity when the role is not in it. */
export const removeRoleFromInstanceProfile: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getInstanceProfile(s, String(input['InstanceProfileName']));
  const r = getRole(s, String(input['RoleName']));
  if (!p.roles.some((n) => key(n) === key(r.name))) throw noSuchEntity(`The role with name ${r.name} cannot be found.`);
  s.instanceProfiles.set(key(p.name), { ...p, roles: p.roles.filter((n) => key(n) !== key(r.name)) });
  return {};
};

/** TagInstanceProfile: adds or replaces tags. */
export const tagInstanceProfile: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getInstanceProfile(s, String(input['InstanceProfileName']));
  s.instanceProfiles.set(key(p.name), { ...p, tags: mergeTags(p.tags, inputTags(input)) });
  return {};
};

/** UntagInstanceProfile: removes tags. */
export const untagInstanceProfile: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = getInstanceProfile(s, String(input['InstanceProfileName']));
  s.instanceProfiles.set(key(p.name), { ...p, tags: removeTags(p.tags, input) });
  return {};
};

/** ListInstanceProfileTags: the profile's tags. */
export const listInstanceProfileTags: Handler = (input, ctx) =>
  listTags(getInstanceProfile(stateOf(ctx), String(input['InstanceProfileName'])).tags, input);
