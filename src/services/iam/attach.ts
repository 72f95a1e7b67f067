/** Managed policies attached to users, groups and roles: Attach, Detach, ListAttached. */
import type { Handler } from '../types.js';
import { protectedRole } from './boundaries.js';
import { pageInfo, paginate, stateOf, str } from './common.js';
import { limitExceeded, noSuchEntity } from './errors.js';
import { GROUP, ROLE, USER, type HolderKind } from './holders.js';
import { attachable, checkPolicyArn } from './managed.js';
import { key, type RoleRec } from './store.js';

/** Managed policies per user, group or role (AWS's default quota). */
export const MANAGED_PER_ENTITY = 10;

function attach(kind: HolderKind): Handler {
  return (input, ctx) => {
    const s = stateOf(ctx);
    const h = kind.get(s, String(input[kind.member]));
    if (kind === ROLE && (h as RoleRec).linkedService !== undefined) throw protectedRole(h.name);
    const arn = attachable(s, String(input['PolicyArn'])).arn;
    if (h.attached.includes(arn)) return {};
    if (h.attached.length >= MANAGED_PER_ENTITY) throw limitExceeded(`Cannot exceed quota for PoliciesPer${kind.quota}: ${MANAGED_PER_ENTITY}`);
    kind.collection(s).set(key(h.name), { ...h, attached: [...h.attached, arn] });
    return {};
  };
}

function detach(kind: HolderKind): Handler {
  return (input, ctx) => {
    const s = stateOf(ctx);
    const h = kind.get(s, String(input[kind.member]));
    if (kind === ROLE && (h as RoleRec).linkedService !== undefined) throw protectedRole(h.name);
    const arn = String(input['PolicyArn']);
    checkPolicyArn(arn);
    if (!h.attached.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
    kind.collection(s).set(key(h.name), { ...h, attached: h.attached.filter((a) => a !== arn) });
    return {};
  };
}

/** Path of a managed policy ARN: what lies between `policy` and the name. */
function policyPath(arn: string): string {
  const resource = arn.slice(arn.indexOf(':policy/') + 7);
  return resource.slice(0, resource.lastIndexOf('/') + 1);
}

function listAttached(kind: HolderKind): Handler {
  return (input, ctx) => {
    const h = kind.get(stateOf(ctx), String(input[kind.member]));
    const prefix = str(input, 'PathPrefix') ?? '/';
    const p = paginate(h.attached.filter((a) => policyPath(a).startsWith(prefix)), input);
    return { AttachedPolicies: p.items.map((a) => ({ PolicyName: a.slice(a.lastIndexOf('/') + 1), PolicyArn: a })), ...pageInfo(p) };
  };
}

/** AttachUserPolicy: a customer or AWS managed policy by ARN; 10 per user. */
export const attachUserPolicy = attach(USER);
/** DetachUserPolicy: NoSuchEntity when not attached. */
export const detachUserPolicy = detach(USER);
/** ListAttachedUserPolicies: the user's managed policies, filtered by PathPrefix. */
export const listAttachedUserPolicies = listAttached(USER);
/** AttachGroupPolicy: a customer or AWS managed policy by ARN; 10 per group. */
export const attachGroupPolicy = attach(GROUP);
/** DetachGroupPolicy: NoSuchEntity when not attached. */
export const detachGroupPolicy = detach(GROUP);
/** ListAttachedGroupPolicies: the group's managed policies, filtered by PathPrefix. */
export const listAttachedGroupPolicies = listAttached(GROUP);
/** AttachRolePolicy: a customer or AWS managed policy by ARN; 10 per role. */
export const attachRolePolicy = attach(ROLE);
/** DetachRolePolicy: NoSuchEntity when not attached. */
export const detachRolePolicy = detach(ROLE);
/** ListAttachedRolePolicies: the role's managed policies, filtered by PathPrefix. */
export const listAttachedRolePolicies = listAttached(ROLE);
