/**
 * Handlers for organization policies: CRUD, attachments, listings, and the effective tag
 * policy of an account (tag policies merged from the root down with AWS's inheritance
 * operators `@@assign`, `@@append` and `@@remove`).
 */
import type { Handler } from '../types.js';
import { errors } from './errors.js';
import { chain, targetKind } from './ops.js';
import {
  attachPolicy,
  createPolicy,
  deletePolicy,
  detachPolicy,
  findPolicy,
  policiesAt,
  policyType,
  targetsOf,
  updatePolicy,
} from './policy-ops.js';
import { AWS_MANAGED, arns, type OrgRecord } from './store.js';
import { callerOrg, envOf, managedOrg, paginate, policyShape, policySummary, tagsFromList } from './views.js';

export const createPolicyHandler: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  const p = createPolicy(envOf(ctx), org, {
    name: String(input['Name']),
    description: String(input['Description'] ?? ''),
    type: policyType(input['Type']),
    content: String(input['Content']),
    tags: tagsFromList(input['Tags']),
  });
  return { Policy: policyShape(org, p.id) };
};

export const updatePolicyHandler: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  const change: { name?: string; description?: string; content?: string } = {};
  if (input['Name'] !== undefined) change.name = String(input['Name']);
  if (input['Description'] !== undefined) change.description = String(input['Description']);
  if (input['Content'] !== undefined) change.content = String(input['Content']);
  const p = updatePolicy(envOf(ctx), org, String(input['PolicyId']), change);
  return { Policy: policyShape(org, p.id) };
};

export const deletePolicyHandler: Handler = (input, ctx) => {
  deletePolicy(envOf(ctx), managedOrg(ctx), String(input['PolicyId']));
  return {};
};

export const describePolicy: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const id = String(input['PolicyId']);
  if (findPolicy(org, id) === undefined) throw errors.policyNotFound();
  return { Policy: policyShape(org, id) };
};

export const listPolicies: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const type = policyType(input['Filter']);
  const all = [...Object.values(AWS_MANAGED), ...Object.values(org.policies)].filter((p) => p.type === type);
  const { page, NextToken } = paginate(all, input);
  return { Policies: page.map((p) => policySummary(org, p)), NextToken };
};

export const listPoliciesForTarget: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const target = String(input['TargetId']);
  if (targetKind(org, target) === undefined) throw errors.targetNotFound();
  const { page, NextToken } = paginate(policiesAt(org, target, policyType(input['Filter'])), input);
  return { Policies: page.map((p) => policySummary(org, p)), NextToken };
};

function targetShape(org: OrgRecord, id: string): Record<string, unknown> {
  const kind = targetKind(org, id)!;
  if (kind === 'ROOT') return { TargetId: id, Arn: arns.root(org), Name: 'Root', Type: kind };
  if (kind === 'ORGANIZATIONAL_UNIT') return { TargetId: id, Arn: arns.ou(org, id), Name: org.ous[id]!.name, Type: kind };
  return { TargetId: id, Arn: arns.account(org, id), Name: org.accounts[id]!.name, Type: kind };
}

export const listTargetsForPolicy: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const id = String(input['PolicyId']);
  if (findPolicy(org, id) === undefined) throw errors.policyNotFound();
  const { page, NextToken } = paginate(targetsOf(org, id), input);
  return { Targets: page.map((t) => targetShape(org, t)), NextToken };
};

export const attachPolicyHandler: Handler = (input, ctx) => {
  attachPolicy(envOf(ctx), managedOrg(ctx), String(input['PolicyId']), String(input['TargetId']));
  return {};
};

export const detachPolicyHandler: Handler = (input, ctx) => {
  detachPolicy(envOf(ctx), managedOrg(ctx), String(input['PolicyId']), String(input['TargetId']));
  return {};
};

type TagSpec = Record<string, unknown>;

function asList(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Merges one tag policy into the effective one, applying the inheritance operators. */
function mergeTagPolicy(effective: Record<string, TagSpec>, doc: unknown): void {
  const tags = (doc as { tags?: Record<string, Record<string, Record<string, unknown>>> })?.tags ?? {};
  for (const [key, spec] of Object.entries(tags)) {
    const cur = (effective[key.toLowerCase()] ??= { tag_key: key });
    for (const [field, ops] of Object.entries(spec ?? {})) {
      if (field.startsWith('@@') || ops === null || typeof ops !== 'object') continue;
      if ('@@assign' in ops) cur[field] = structuredClone(ops['@@assign']);
      if ('@@append' in ops) cur[field] = [...new Set([...asList(cur[field]), ...asList(ops['@@append'])])];
      if ('@@remove' in ops) {
        const gone = new Set(asList(ops['@@remove']));
        cur[field] = asList(cur[field]).filter((x) => !gone.has(x));
      }
    }
  }
}

export const describeEffectivePolicy: Handler = (input, ctx) => {
  const type = policyType(input['PolicyType']);
  if (type === 'SERVICE_CONTROL_POLICY' || type === 'RESOURCE_CONTROL_POLICY') {
    throw errors.invalidInput('INVALID_ENUM_POLICY_TYPE', 'You specified an invalid policy type string.');
  }
  const target = (input['TargetId'] as string | undefined) ?? ctx.account;
  const org = target === ctx.account ? callerOrg(ctx) : managedOrg(ctx, { read: true });
  if (org.accounts[target] === undefined) throw errors.targetNotFound();
  if (!org.enabledTypes.includes(type)) throw errors.effectivePolicyNotFound();
  const levels = chain(org, target).map((level) => policiesAt(org, level, type)).filter((l) => l.length > 0);
  if (levels.length === 0) throw errors.effectivePolicyNotFound();
  const effective: Record<string, TagSpec> = {};
  for (const level of levels) for (const p of level) mergeTagPolicy(effective, JSON.parse(p.content));
  const content = type === 'TAG_POLICY' ? { tags: effective } : Object.assign({}, ...levels.flat().map((p) => JSON.parse(p.content)));
  return {
    EffectivePolicy: { PolicyContent: JSON.stringify(content), LastUpdatedTimestamp: ctx.clock.now(), TargetId: target, PolicyType: type },
  };
};
