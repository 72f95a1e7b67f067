/** IAM roles: trust policies, session limits, descriptions, tags, and service-linked roles. */
import { randomUUID } from 'node:crypto';
import { checkPolicySize, parsePolicy } from '../../engines/iam-policy/index.js';
import type { Handler } from '../types.js';
import { boundaryArnOf, protectedRole } from './boundaries.js';
import {
  byPathPrefix, date, encodeDocument, getRole, inputTags, listTags, mergeTags, pageInfo, paginate, removeTags, sortedByName, stateOf, str, tagsOut,
} from './common.js';
import {
  alreadyExists, checkDescription, checkName, checkPath, checkRange, deleteConflict, fromMalformed, invalidInput, limitExceeded, noSuchEntity,
} from './errors.js';
import { linkedRoleSpec } from './service-linked.js';
import { entityArn, iso, key, uniqueId, type IamState, type RoleRec } from './store.js';

const MIN_SESSION = 3600;
const MAX_SESSION = 43200;

/** Validates a trust policy as IAM does for CreateRole and UpdateAssumeRolePolicy. */
export function checkTrustPolicy(doc: string): void {
  try {
    parsePolicy(doc, { kind: 'trust' });
  } catch (err) {
    fromMalformed(err);
  }
  const size = checkPolicySize(doc, 'trust');
  if (!size.ok) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${size.max}`);
}

/**
 * The `Role` structure. `view` picks what each operation answers, as AWS does: CreateRole
 * leaves out MaxSessionDuration and RoleLastUsed, ListRoles leaves out tags, the boundary
 * and RoleLastUsed; GetRole answers everything.
 */
export function roleOut(s: IamState, r: RoleRec, view: 'create' | 'get' | 'list'): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id,
    Arn: entityArn(s.account, 'role', r.path, r.name),
    CreateDate: date(r.createDate),
    AssumeRolePolicyDocument: encodeDocument(r.trust),
  };
  if (r.description !== undefined) out['Description'] = r.description;
  if (view !== 'create') out['MaxSessionDuration'] = r.maxSessionDuration;
  if (view === 'list') return out;
  if (r.boundary !== undefined) out['PermissionsBoundary'] = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: r.boundary };
  Object.assign(out, tagsOut(r.tags));
  if (view === 'get') out['RoleLastUsed'] = r.lastUsed === undefined ? {} : { LastUsedDate: date(r.lastUsed.date), Region: r.lastUsed.region };
  return out;
}

function sessionDuration(v: unknown): number {
  return checkRange(Number(v), 'maxSessionDuration', MIN_SESSION, MAX_SESSION);
}

/** CreateRole: validates the trust policy and MaxSessionDuration (3600–43200 seconds). */
export const createRole: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = checkName(input['RoleName'], 'roleName');
  const path = checkPath(input['Path']);
  const description = checkDescription(input['Description']);
  const maxSessionDuration = input['MaxSessionDuration'] === undefined ? MIN_SESSION : sessionDuration(input['MaxSessionDuration']);
  const trust = String(input['AssumeRolePolicyDocument']);
  checkTrustPolicy(trust);
  const tags = inputTags(input);
  const boundary = boundaryArnOf(s, str(input, 'PermissionsBoundary'));
  if (s.roles.has(key(name))) throw alreadyExists(`Role with name ${name} already exists.`);
  const r: RoleRec = {
    name, path, id: uniqueId('AROA'), createDate: iso(ctx.clock.now()), inline: {}, attached: [], trust, maxSessionDuration, tags,
    ...(description === undefined ? {} : { description }),
    ...(boundary === undefined ? {} : { boundary }),
  };
  s.roles.set(key(name), r);
  return { Role: roleOut(s, r, 'create') };
};

/** GetRole: everything, including RoleLastUsed (empty until STS reports a use). */
export const getRoleHandler: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  return { Role: roleOut(s, getRole(s, String(input['RoleName'])), 'get') };
};

/** ListRoles: by name, filtered by PathPrefix, paginated. */
export const listRoles: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = paginate(sortedByName(byPathPrefix(s.roles.values(), input)), input);
  return { Roles: p.items.map((r) => roleOut(s, r, 'list')), ...pageInfo(p) };
};

/** UpdateRole: description and maximum session duration. */
export const updateRole: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  if (r.linkedService !== undefined && input['MaxSessionDuration'] !== undefined) throw protectedRole(r.name);
  const next: RoleRec = { ...r };
  const description = checkDescription(input['Description']);
  if (description !== undefined) next.description = description;
  if (input['MaxSessionDuration'] !== undefined) next.maxSessionDuration = sessionDuration(input['MaxSessionDuration']);
  s.roles.set(key(r.name), next);
  return {};
};

/** UpdateRoleDescription: the older form of UpdateRole, answering the role. */
export const updateRoleDescription: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  const next: RoleRec = { ...r, description: checkDescription(input['Description']) ?? '' };
  s.roles.set(key(r.name), next);
  return { Role: roleOut(s, next, 'get') };
};

/** UpdateAssumeRolePolicy: replaces the trust policy after validating it. */
export const updateAssumeRolePolicy: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  if (r.linkedService !== undefined) throw protectedRole(r.name);
  const trust = String(input['PolicyDocument']);
  checkTrustPolicy(trust);
  s.roles.set(key(r.name), { ...r, trust });
  return {};
};

function checkRoleDeletable(s: IamState, r: RoleRec): void {
  if ([...s.instanceProfiles.values()].some((p) => p.roles.some((n) => key(n) === key(r.name)))) {
    throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  }
  if (Object.keys(r.inline).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (r.attached.length > 0 && r.linkedService === undefined) throw deleteConflict('Cannot delete entity, must detach all policies first.');
}

/** DeleteRole: refused for service-linked roles and while profiles or policies remain. */
export const deleteRole: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  if (r.linkedService !== undefined) throw protectedRole(r.name);
  checkRoleDeletable(s, r);
  s.roles.delete(key(r.name));
  return {};
};

/** TagRole: adds or replaces tags (keys compared without case), 50 at most. */
export const tagRole: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  s.roles.set(key(r.name), { ...r, tags: mergeTags(r.tags, inputTags(input)) });
  return {};
};

/** UntagRole: removes the named tag keys. */
export const untagRole: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  s.roles.set(key(r.name), { ...r, tags: removeTags(r.tags, input) });
  return {};
};

/** ListRoleTags: the role's tags, paginated. */
export const listRoleTags: Handler = (input, ctx) => listTags(getRole(stateOf(ctx), String(input['RoleName'])).tags, input);

/** CreateServiceLinkedRole: the role AWS makes for a service, under /aws-service-role/<service>/, with AWS's policy. */
export const createServiceLinkedRole: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const service = String(input['AWSServiceName']);
  const spec = linkedRoleSpec(service);
  const suffix = str(input, 'CustomSuffix');
  if (suffix !== undefined && !spec.customSuffix) throw invalidInput(`Custom suffix is not allowed for ${service}`);
  const name = suffix === undefined ? spec.roleName : `${spec.roleName}_${suffix}`;
  if (s.roles.has(key(name))) throw invalidInput(`Service role name ${name} has been taken in this account, please try a different suffix.`);
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
  const description = checkDescription(input['Description']) ?? spec.description;
  // The table is recorded from AWS, so its policies exist; no need to open the catalog.
  const attached = spec.policyArn === undefined ? [] : [spec.policyArn];
  const r: RoleRec = {
    name, path: `/aws-service-role/${service}/`, id: uniqueId('AROA'), createDate: iso(ctx.clock.now()), inline: {}, attached,
    trust, maxSessionDuration: MIN_SESSION, tags: [], linkedService: service,
    ...(description === undefined ? {} : { description }),
  };
  s.roles.set(key(name), r);
  return { Role: roleOut(s, r, 'create') };
};

/** DeleteServiceLinkedRole: deletes at once and answers a deletion task that has SUCCEEDED. */
export const deleteServiceLinkedRole: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = getRole(s, String(input['RoleName']));
  if (r.linkedService === undefined) throw invalidInput(`Role ${r.name} is not a service-linked role.`);
  checkRoleDeletable(s, r);
  s.roles.delete(key(r.name));
  const task = `task${r.path}${r.name}/${randomUUID()}`;
  s.deletions.set(task, { status: 'SUCCEEDED' });
  return { DeletionTaskId: task };
};

/** GetServiceLinkedRoleDeletionStatus: the status of a deletion task. */
export const getServiceLinkedRoleDeletionStatus: Handler = (input, ctx) => {
  const task = stateOf(ctx).deletions.get(String(input['DeletionTaskId']));
  if (task === undefined) throw noSuchEntity(`Deletion task ${String(input['DeletionTaskId'])} cannot be found.`);
  return { Status: task.status };
};
