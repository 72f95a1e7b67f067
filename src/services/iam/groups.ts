/** IAM groups and their members. */
import type { Handler } from '../types.js';
import { byPathPrefix, date, getGroup, getUser, pageInfo, paginate, sortedByName, stateOf } from './common.js';
import { alreadyExists, checkName, checkPath, deleteConflict, limitExceeded, noSuchEntity } from './errors.js';
import { entityArn, iso, key, uniqueId, type GroupRec, type IamState } from './store.js';
import { userOut } from './users.js';

const GROUPS_PER_USER = 10;

/** The `Group` structure. */
export function groupOut(s: IamState, g: GroupRec): Record<string, unknown> {
  return { Path: g.path, GroupName: g.name, GroupId: g.id, Arn: entityArn(s.account, 'group', g.path, g.name), CreateDate: date(g.createDate) };
}

function members(s: IamState, g: GroupRec) {
  return [...s.users.values()].filter((u) => u.groups.some((n) => key(n) === key(g.name)));
}

/** CreateGroup: a group with an AGPA id. */
export const createGroup: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = checkName(input['GroupName'], 'groupName', 128);
  const path = checkPath(input['Path']);
  if (s.groups.has(key(name))) throw alreadyExists(`Group with name ${name} already exists.`);
  const g: GroupRec = { name, path, id: uniqueId('AGPA'), createDate: iso(ctx.clock.now()), inline: {}, attached: [] };
  s.groups.set(key(name), g);
  return { Group: groupOut(s, g) };
};

/** GetGroup: the group and its members, paginated. */
export const getGroupHandler: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const g = getGroup(s, String(input['GroupName']));
  const p = paginate(members(s, g), input);
  return { Group: groupOut(s, g), Users: p.items.map((u) => userOut(s, u, false)), ...pageInfo(p) };
};

/** ListGroups: by name, filtered by PathPrefix, paginated. */
export const listGroups: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = paginate(sortedByName(byPathPrefix(s.groups.values(), input)), input);
  return { Groups: p.items.map((g) => groupOut(s, g)), ...pageInfo(p) };
};

/** UpdateGroup: renames or moves a group; members follow it. */
export const updateGroup: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const g = getGroup(s, String(input['GroupName']));
  const newName = input['NewGroupName'] === undefined ? g.name : checkName(input['NewGroupName'], 'newGroupName', 128);
  const newPath = input['NewPath'] === undefined ? g.path : checkPath(input['NewPath'], 'newPath');
  if (key(newName) !== key(g.name) && s.groups.has(key(newName))) throw alreadyExists(`Group with name ${newName} already exists.`);
  for (const u of members(s, g)) {
    s.users.set(key(u.name), { ...u, groups: u.groups.map((n) => (key(n) === key(g.name) ? newName : n)) });
  }
  s.groups.delete(key(g.name));
  s.groups.set(key(newName), { ...g, name: newName, path: newPath });
  return {};
};

/** DeleteGroup: refused while the group has members or policies. */
export const deleteGroup: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const g = getGroup(s, String(input['GroupName']));
  if (members(s, g).length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
  if (Object.keys(g.inline).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (g.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  s.groups.delete(key(g.name));
  return {};
};

/** AddUserToGroup: idempotent; a user belongs to 10 groups at most. */
export const addUserToGroup: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const g = getGroup(s, String(input['GroupName']));
  const u = getUser(s, String(input['UserName']));
  if (u.groups.some((n) => key(n) === key(g.name))) return {};
  if (u.groups.length >= GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
  s.users.set(key(u.name), { ...u, groups: [...u.groups, g.name] });
  return {};
};

/** RemoveUserFromGroup: NoSuchEntity when the user is not a member. */
export const removeUserFromGroup: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const g = getGroup(s, String(input['GroupName']));
  const u = getUser(s, String(input['UserName']));
  if (!u.groups.some((n) => key(n) === key(g.name))) throw noSuchEntity(`User ${u.name} is not in group ${g.name}.`);
  s.users.set(key(u.name), { ...u, groups: u.groups.filter((n) => key(n) !== key(g.name)) });
  return {};
};

/** ListGroupsForUser: the user's groups in joining order. */
export const listGroupsForUser: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const u = getUser(s, String(input['UserName']));
  const groups = u.groups.map((n) => s.groups.get(key(n))).filter((g): g is GroupRec => g !== undefined);
  const p = paginate(groups, input);
  return { Groups: p.items.map((g) => groupOut(s, g)), ...pageInfo(p) };
};
