/** Managed policies: customer policies with up to five versions, AWS's catalog, and who uses them. */
import { checkPolicySize, parsePolicy } from '../../engines/iam-policy/index.js';
import type { Handler } from '../types.js';
import {
  date, encodeDocument, inputTags, listTags, mergeTags, pageInfo, paginate, removeTags, stateOf, str,
} from './common.js';
import {
  alreadyExists, checkDescription, checkEnum, checkName, checkPath, deleteConflict, fromMalformed, limitExceeded, noSuchEntity,
} from './errors.js';
import { allAwsManagedPolicies, awsManagedDetails, awsManagedDocument } from './managed-catalog.js';
import { existing, findManaged, policyOut, usage, type ManagedView } from './managed.js';
import { entityArn, iso, key, uniqueId, type IamState, type PolicyRec } from './store.js';

const MAX_VERSIONS = 5;

/** Validates an identity policy document and its size as IAM does for managed policies. */
export function checkManagedDocument(doc: string): void {
  try {
    parsePolicy(doc, { kind: 'identity' });
  } catch (err) {
    fromMalformed(err);
  }
  const size = checkPolicySize(doc, 'managed');
  if (!size.ok) throw limitExceeded(`Cannot exceed quota for PolicySize: ${size.max}`);
}

// The customer policy behind an ARN; AWS managed policies cannot be changed.
function ownPolicy(s: IamState, arn: string): PolicyRec {
  const v = existing(s, arn);
  if (v.rec === undefined) throw noSuchEntity(`Policy ${arn} was not found.`);
  return v.rec;
}

function versionMissing(arn: string, version: string): Error {
  return noSuchEntity(`Policy ${arn} version ${version} does not exist or is not attachable.`);
}

/** CreatePolicy: a customer managed policy with version v1 as default, validated by the engine (6,144 characters at most). */
export const createPolicy: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = checkName(input['PolicyName'], 'policyName', 128);
  const path = checkPath(input['Path']);
  const description = checkDescription(input['Description']);
  const document = String(input['PolicyDocument']);
  checkManagedDocument(document);
  const tags = inputTags(input);
  if (s.policies.has(key(name))) throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  const now = iso(ctx.clock.now());
  const rec: PolicyRec = {
    name, path, id: uniqueId('ANPA'), arn: entityArn(s.account, 'policy', path, name), createDate: now, updateDate: now,
    defaultVersion: 'v1', nextVersion: 2, versions: [{ id: 'v1', document, createDate: now }], tags,
    ...(description === undefined ? {} : { description }),
  };
  s.policies.set(key(name), rec);
  return { Policy: policyOut(findManaged(s, rec.arn) as ManagedView, usage(s), { description: true, tags: true }) };
};

/** GetPolicy: a customer or AWS managed policy, with its attachment counts in this account. */
export const getPolicy: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  return { Policy: policyOut(existing(s, String(input['PolicyArn'])), usage(s), { description: true, tags: true }) };
};

/** DeletePolicy: refused while attached or while it has versions besides the default. */
export const deletePolicy: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const rec = ownPolicy(s, String(input['PolicyArn']));
  if ((usage(s).attachments.get(rec.arn) ?? 0) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
  if (rec.versions.length > 1) {
    throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
  }
  s.policies.delete(key(rec.name));
  return {};
};

interface Listed {
  arn: string;
  name: string;
  path: string;
}

/** ListPolicies: customer and AWS managed policies by Scope, OnlyAttached, PathPrefix and usage, by name, paginated. */
export const listPolicies: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const scope = input['Scope'] === undefined ? 'All' : checkEnum(input['Scope'], 'scope', ['All', 'AWS', 'Local']);
  const prefix = str(input, 'PathPrefix') ?? '/';
  const u = usage(s);
  let all: Listed[] = [];
  if (scope !== 'AWS') all.push(...[...s.policies.values()].map((p) => ({ arn: p.arn, name: p.name, path: p.path })));
  if (scope !== 'Local') {
    // Only attached AWS policies can pass OnlyAttached; skip scanning the catalog for them.
    const aws = input['OnlyAttached'] === true
      ? [...u.attachments.keys(), ...u.boundaries.keys()].map((arn) => findManaged(s, arn)).filter((v): v is ManagedView => v !== undefined && v.rec === undefined)
      : allAwsManagedPolicies();
    all.push(...new Map(aws.map((p) => [p.arn, { arn: p.arn, name: p.name, path: p.path }])).values());
  }
  all = all.filter((p) => p.path.startsWith(prefix));
  const filter = str(input, 'PolicyUsageFilter');
  if (input['OnlyAttached'] === true || filter !== undefined) {
    all = all.filter((p) => {
      if (filter === 'PermissionsBoundary') return (u.boundaries.get(p.arn) ?? 0) > 0;
      if (filter === 'PermissionsPolicy') return (u.attachments.get(p.arn) ?? 0) > 0;
      return (u.attachments.get(p.arn) ?? 0) + (u.boundaries.get(p.arn) ?? 0) > 0;
    });
  }
  all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const p = paginate(all, input);
  const views = p.items.map((x) => findManaged(s, x.arn)).filter((v): v is ManagedView => v !== undefined);
  return { Policies: views.map((v) => policyOut(v, u, { tags: true })), ...pageInfo(p) };
};

/** CreatePolicyVersion: five versions at most; SetAsDefault makes it the default. */
export const createPolicyVersion: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const rec = ownPolicy(s, String(input['PolicyArn']));
  const document = String(input['PolicyDocument']);
  checkManagedDocument(document);
  if (rec.versions.length >= MAX_VERSIONS) {
    throw limitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
  }
  const now = iso(ctx.clock.now());
  const version = { id: `v${rec.nextVersion}`, document, createDate: now };
  const makeDefault = input['SetAsDefault'] === true;
  s.policies.set(key(rec.name), {
    ...rec, versions: [...rec.versions, version], nextVersion: rec.nextVersion + 1,
    ...(makeDefault ? { defaultVersion: version.id, updateDate: now } : {}),
  });
  return { PolicyVersion: { VersionId: version.id, IsDefaultVersion: makeDefault, CreateDate: date(now) } };
};

/** Versions of any managed policy, newest first. */
function versionsOf(v: ManagedView): { id: string; document: string; createDate: Date; isDefault: boolean }[] {
  if (v.rec !== undefined) {
    const rec = v.rec;
    return rec.versions
      .map((x) => ({ id: x.id, document: x.document, createDate: date(x.createDate), isDefault: x.id === rec.defaultVersion }))
      .sort((a, b) => Number(b.id.slice(1)) - Number(a.id.slice(1)));
  }
  return awsManagedDetails(v.arn)?.versions ?? [];
}

/** GetPolicyVersion: one version's document, URL-encoded as AWS answers it. */
export const getPolicyVersion: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const arn = String(input['PolicyArn']);
  const id = String(input['VersionId']);
  const policy = existing(s, arn);
  // The default version of an AWS policy is read alone: some carry ~200 versions.
  const fast = policy.rec === undefined && id === policy.defaultVersionId ? awsManagedDocument(arn) : undefined;
  if (fast !== undefined) {
    return { PolicyVersion: { Document: encodeDocument(fast), VersionId: id, IsDefaultVersion: true, CreateDate: policy.updateDate } };
  }
  const v = versionsOf(policy).find((x) => x.id === id);
  if (v === undefined) throw versionMissing(arn, id);
  return { PolicyVersion: { Document: encodeDocument(v.document), VersionId: v.id, IsDefaultVersion: v.isDefault, CreateDate: v.createDate } };
};

/** ListPolicyVersions: newest first, without documents. */
export const listPolicyVersions: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const p = paginate(versionsOf(existing(s, String(input['PolicyArn']))), input);
  return { Versions: p.items.map((v) => ({ VersionId: v.id, IsDefaultVersion: v.isDefault, CreateDate: v.createDate })), ...pageInfo(p) };
};

/** DeletePolicyVersion: any version but the default. */
export const deletePolicyVersion: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const arn = String(input['PolicyArn']);
  const rec = ownPolicy(s, arn);
  const id = String(input['VersionId']);
  if (!rec.versions.some((v) => v.id === id)) throw versionMissing(arn, id);
  if (rec.defaultVersion === id) throw deleteConflict('Cannot delete the default version of a policy.');
  s.policies.set(key(rec.name), { ...rec, versions: rec.versions.filter((v) => v.id !== id) });
  return {};
};

/** SetDefaultPolicyVersion: makes an existing version the default. */
export const setDefaultPolicyVersion: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const arn = String(input['PolicyArn']);
  const rec = ownPolicy(s, arn);
  const id = String(input['VersionId']);
  if (!rec.versions.some((v) => v.id === id)) throw versionMissing(arn, id);
  s.policies.set(key(rec.name), { ...rec, defaultVersion: id, updateDate: iso(ctx.clock.now()) });
  return {};
};

/** ListEntitiesForPolicy: the users, groups and roles that attach the policy (or use it as a boundary). */
export const listEntitiesForPolicy: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const arn = existing(s, String(input['PolicyArn'])).arn;
  const filter = str(input, 'EntityFilter');
  const prefix = str(input, 'PathPrefix') ?? '/';
  const boundary = str(input, 'PolicyUsageFilter') === 'PermissionsBoundary';
  const usesIt = (h: { attached: string[]; boundary?: string; path: string }): boolean =>
    h.path.startsWith(prefix) && (boundary ? h.boundary === arn : h.attached.includes(arn));
  const want = (kind: string): boolean => filter === undefined || filter === kind;
  const entities: Array<{ kind: 'group' | 'user' | 'role'; name: string; id: string }> = [];
  if (want('Group') && !boundary) for (const g of s.groups.values()) if (usesIt(g)) entities.push({ kind: 'group', name: g.name, id: g.id });
  if (want('User')) for (const u of s.users.values()) if (usesIt(u)) entities.push({ kind: 'user', name: u.name, id: u.id });
  if (want('Role')) for (const r of s.roles.values()) if (usesIt(r)) entities.push({ kind: 'role', name: r.name, id: r.id });
  const p = paginate(entities, input);
  return {
    PolicyGroups: p.items.filter((e) => e.kind === 'group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
    PolicyUsers: p.items.filter((e) => e.kind === 'user').map((e) => ({ UserName: e.name, UserId: e.id })),
    PolicyRoles: p.items.filter((e) => e.kind === 'role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
    ...pageInfo(p),
  };
};

/** TagPolicy: tags of a customer managed policy. */
export const tagPolicy: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const rec = ownPolicy(s, String(input['PolicyArn']));
  s.policies.set(key(rec.name), { ...rec, tags: mergeTags(rec.tags, inputTags(input)) });
  return {};
};

/** UntagPolicy: removes tags of a customer managed policy. */
export const untagPolicy: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const rec = ownPolicy(s, String(input['PolicyArn']));
  s.policies.set(key(rec.name), { ...rec, tags: removeTags(rec.tags, input) });
  return {};
};

/** ListPolicyTags: the policy's tags (none for AWS managed policies). */
export const listPolicyTags: Handler = (input, ctx) => {
  const v = existing(stateOf(ctx), String(input['PolicyArn']));
  return listTags(v.rec?.tags ?? [], input);
};
