/** Inline policies of users, groups and roles: Put, Get, Delete, List. */
import { checkPolicySize, parsePolicy } from '../../engines/iam-policy/index.js';
import type { Handler } from '../types.js';
import { protectedRole } from './boundaries.js';
import { encodeDocument, pageInfo, paginate, stateOf } from './common.js';
import { checkName, fromMalformed, limitExceeded, noSuchEntity } from './errors.js';
import { GROUP, ROLE, USER, type HolderKind } from './holders.js';
import { key, type RoleRec } from './store.js';

function put(kind: HolderKind): Handler {
  return (input, ctx) => {
    const s = stateOf(ctx);
    const h = kind.get(s, String(input[kind.member]));
    if (kind === ROLE && (h as RoleRec).linkedService !== undefined) throw protectedRole(h.name);
    const name = checkName(input['PolicyName'], 'policyName', 128);
    const document = String(input['PolicyDocument']);
    try {
      parsePolicy(document, { kind: 'identity' });
    } catch (err) {
      fromMalformed(err);
    }
    const inline = { ...h.inline, [name]: document };
    // Replacing a policy of the same name (any case) replaces its document.
    for (const n of Object.keys(h.inline)) if (n !== name && key(n) === key(name)) delete inline[n];
    const size = checkPolicySize(Object.values(inline), kind.inlineQuota);
    if (!size.ok) throw limitExceeded(`Maximum policy size of ${size.max} bytes exceeded for ${kind.label} ${h.name}`);
    kind.collection(s).set(key(h.name), { ...h, inline });
    return {};
  };
}

function find(kind: HolderKind, inline: Record<string, string>, name: string): string {
  const found = Object.keys(inline).find((n) => key(n) === key(name));
  if (found === undefined) throw noSuchEntity(`The ${kind.label} policy with name ${name} cannot be found.`);
  return found;
}

function get(kind: HolderKind): Handler {
  return (input, ctx) => {
    const h = kind.get(stateOf(ctx), String(input[kind.member]));
    const name = find(kind, h.inline, String(input['PolicyName']));
    return { [kind.member]: h.name, PolicyName: name, PolicyDocument: encodeDocument(h.inline[name] as string) };
  };
}

function del(kind: HolderKind): Handler {
  return (input, ctx) => {
    const s = stateOf(ctx);
    const h = kind.get(s, String(input[kind.member]));
    if (kind === ROLE && (h as RoleRec).linkedService !== undefined) throw protectedRole(h.name);
    const name = find(kind, h.inline, String(input['PolicyName']));
    const inline = { ...h.inline };
    delete inline[name];
    kind.collection(s).set(key(h.name), { ...h, inline });
    return {};
  };
}

function list(kind: HolderKind): Handler {
  return (input, ctx) => {
    const h = kind.get(stateOf(ctx), String(input[kind.member]));
    const p = paginate(Object.keys(h.inline).sort(), input);
    return { PolicyNames: p.items, ...pageInfo(p) };
  };
}

/** PutUserPolicy: adds or replaces an inline policy (2,048 characters per user, summed). */
export const putUserPolicy = put(USER);
/** GetUserPolicy: the inline document, URL-encoded as AWS answers it. */
export const getUserPolicy = get(USER);
/** DeleteUserPolicy: removes an inline policy. */
export const deleteUserPolicy = del(USER);
/** ListUserPolicies: the names of the user's inline policies. */
export const listUserPolicies = list(USER);
/** PutGroupPolicy: adds or replaces an inline policy (5,120 characters per group, summed). */
export const putGroupPolicy = put(GROUP);
/** GetGroupPolicy: the inline document, URL-encoded as AWS answers it. */
export const getGroupPolicy = get(GROUP);
/** DeleteGroupPolicy: removes an inline policy. */
export const deleteGroupPolicy = del(GROUP);
/** ListGroupPolicies: the names of the group's inline policies. */
export const listGroupPolicies = list(GROUP);
/** PutRolePolicy: adds or replaces an inline policy (10,240 characters per role, summed). */
export const putRolePolicy = put(ROLE);
/** GetRolePolicy: the inline document, URL-encoded as AWS answers it. */
export const getRolePolicy = get(ROLE);
/** DeleteRolePolicy: removes an inline policy. */
export const deleteRolePolicy = del(ROLE);
/** ListRolePolicies: the names of the role's inline policies. */
export const listRolePolicies = list(ROLE);
