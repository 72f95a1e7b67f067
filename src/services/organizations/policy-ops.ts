/**
 * Organization policies as operations on the store: create, update and delete them,
 * attach and detach them, and enable or disable their types on the root, with AWS's size,
 * count and attachment limits. SCP and RCP documents are validated by the IAM engine.
 */
import { checkPolicySize, MalformedPolicyError, parsePolicy } from '../../engines/iam-policy/index.js';
import { errors } from './errors.js';
import type { OrgEnv } from './ops.js';
import { AWS_MANAGED, defaultPolicyOf, newId, POLICY_TYPES, RCP, SCP, type OrgPolicy, type OrgRecord, type PolicyType } from './store.js';

/** Policies of one type an entity may have attached (SCP and RCP: 5; the others: 10). */
export function maxAttachments(type: PolicyType): number {
  return type === SCP || type === RCP ? 5 : 10;
}

export const MAX_POLICIES_PER_TYPE = 1000;
// Organizations' size quotas: SCPs and RCPs 5,120 characters; the other types 10,000.
const OTHER_MAX_CHARS = 10000;

export function policyType(value: unknown): PolicyType {
  if (!(POLICY_TYPES as readonly string[]).includes(String(value))) {
    throw errors.invalidInput('INVALID_ENUM_POLICY_TYPE', 'You specified an invalid policy type string.');
  }
  return value as PolicyType;
}

/** A policy of the organization, or an AWS managed one. */
export function findPolicy(org: OrgRecord, id: string): OrgPolicy | undefined {
  return org.policies[id] ?? AWS_MANAGED[id];
}

function validateContent(type: PolicyType, content: string): void {
  const size = type === SCP ? checkPolicySize(content, 'scp') : type === RCP ? checkPolicySize(content, 'rcp') : { ok: content.length <= OTHER_MAX_CHARS };
  if (!size.ok) throw errors.constraint('POLICY_CONTENT_LIMIT_EXCEEDED');
  if (type === SCP || type === RCP) {
    try {
      parsePolicy(content, { kind: type === SCP ? 'scp' : 'rcp' });
    } catch (e) {
      if (e instanceof MalformedPolicyError) throw errors.malformedPolicy();
      throw e;
    }
    return;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    throw errors.malformedPolicy();
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw errors.malformedPolicy();
}

function checkNameAndDescription(name: string | undefined, description: string | undefined): void {
  if (name !== undefined && (name.length < 1 || name.length > 128)) {
    throw errors.invalidInput('INVALID_INPUT', 'You provided a value that does not match the required length.');
  }
  if (description !== undefined && description.length > 512) throw errors.invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a value that does not match the required length.');
}

function nameTaken(org: OrgRecord, type: PolicyType, name: string, except?: string): boolean {
  const mine = Object.values(org.policies).some((p) => p.type === type && p.name === name && p.id !== except);
  return mine || Object.values(AWS_MANAGED).some((p) => p.type === type && p.name === name);
}

export interface NewPolicy {
  name: string;
  description: string;
  type: PolicyType;
  content: string;
  tags?: Record<string, string>;
}

export function createPolicy(env: OrgEnv, org: OrgRecord, spec: NewPolicy): OrgPolicy {
  if (org.featureSet !== 'ALL') throw errors.typeNotAvailable();
  checkNameAndDescription(spec.name, spec.description);
  validateContent(spec.type, spec.content);
  if (nameTaken(org, spec.type, spec.name)) throw errors.duplicatePolicy();
  if (Object.values(org.policies).filter((p) => p.type === spec.type).length >= MAX_POLICIES_PER_TYPE) {
    throw errors.constraint('POLICY_NUMBER_LIMIT_EXCEEDED');
  }
  const policy: OrgPolicy = { id: newId.policy(), name: spec.name, description: spec.description, type: spec.type, content: spec.content, tags: spec.tags ?? {} };
  org.policies[policy.id] = policy;
  env.store.save(org);
  return policy;
}

export function updatePolicy(env: OrgEnv, org: OrgRecord, id: string, change: { name?: string; description?: string; content?: string }): OrgPolicy {
  const policy = findPolicy(org, id);
  if (policy === undefined) throw errors.policyNotFound();
  if (policy.awsManaged === true) throw errors.accessDenied();
  checkNameAndDescription(change.name, change.description);
  if (change.content !== undefined) validateContent(policy.type, change.content);
  if (change.name !== undefined && nameTaken(org, policy.type, change.name, id)) throw errors.duplicatePolicy();
  if (change.name !== undefined) policy.name = change.name;
  if (change.description !== undefined) policy.description = change.description;
  if (change.content !== undefined) policy.content = change.content;
  env.store.save(org);
  return policy;
}

/** The targets a policy is attached to. */
export function targetsOf(org: OrgRecord, policyId: string): string[] {
  return Object.entries(org.attachments).filter(([, ids]) => ids.includes(policyId)).map(([t]) => t);
}

export function deletePolicy(env: OrgEnv, org: OrgRecord, id: string): void {
  const policy = findPolicy(org, id);
  if (policy === undefined) throw errors.policyNotFound();
  if (policy.awsManaged === true) throw errors.accessDenied();
  if (targetsOf(org, id).length > 0) throw errors.policyInUse();
  delete org.policies[id];
  env.store.save(org);
}

function attachedOfType(org: OrgRecord, targetId: string, type: PolicyType): string[] {
  return (org.attachments[targetId] ?? []).filter((id) => findPolicy(org, id)?.type === type);
}

function exists(org: OrgRecord, id: string): boolean {
  return id === org.rootId || org.ous[id] !== undefined || org.accounts[id] !== undefined;
}

export function attachPolicy(env: OrgEnv, org: OrgRecord, policyId: string, targetId: string): void {
  const policy = findPolicy(org, policyId);
  if (policy === undefined) throw errors.policyNotFound();
  if (!exists(org, targetId)) throw errors.targetNotFound();
  if (!org.enabledTypes.includes(policy.type)) throw errors.typeNotEnabled();
  const list = org.attachments[targetId] ?? [];
  if (list.includes(policyId)) throw errors.duplicateAttachment();
  if (attachedOfType(org, targetId, policy.type).length >= maxAttachments(policy.type)) {
    throw errors.constraint('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
  }
  org.attachments[targetId] = [...list, policyId];
  env.store.save(org);
}

export function detachPolicy(env: OrgEnv, org: OrgRecord, policyId: string, targetId: string): void {
  const policy = findPolicy(org, policyId);
  if (policy === undefined) throw errors.policyNotFound();
  if (!exists(org, targetId)) throw errors.targetNotFound();
  const list = org.attachments[targetId] ?? [];
  if (!list.includes(policyId)) throw errors.policyNotAttached();
  // Every entity keeps at least one SCP (and RCP) while the type is enabled.
  if ((policy.type === SCP || policy.type === RCP) && attachedOfType(org, targetId, policy.type).length <= 1) {
    throw errors.constraint('MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
  }
  org.attachments[targetId] = list.filter((id) => id !== policyId);
  env.store.save(org);
}

/** Attaches, to a new target, the default policy of every enabled type that has one. */
export function attachDefaults(org: OrgRecord, targetId: string): void {
  for (const type of org.enabledTypes) {
    const id = defaultPolicyOf(type);
    if (id === undefined || attachedOfType(org, targetId, type).length > 0) continue;
    org.attachments[targetId] = [...(org.attachments[targetId] ?? []), id];
  }
}

function allTargets(org: OrgRecord): string[] {
  return [org.rootId, ...Object.keys(org.ous), ...Object.keys(org.accounts)];
}

export function enablePolicyType(env: OrgEnv, org: OrgRecord, rootId: string, type: PolicyType): void {
  if (rootId !== org.rootId) throw errors.rootNotFound();
  if (org.featureSet !== 'ALL') throw errors.typeNotAvailable();
  if (org.enabledTypes.includes(type)) throw errors.typeAlreadyEnabled();
  org.enabledTypes.push(type);
  for (const t of allTargets(org)) attachDefaults(org, t);
  env.store.save(org);
}

/** Disabling a type detaches every policy of that type from every entity. */
export function disablePolicyType(env: OrgEnv, org: OrgRecord, rootId: string, type: PolicyType): void {
  if (rootId !== org.rootId) throw errors.rootNotFound();
  if (!org.enabledTypes.includes(type)) throw errors.typeNotEnabled();
  org.enabledTypes = org.enabledTypes.filter((t) => t !== type);
  for (const [target, ids] of Object.entries(org.attachments)) {
    org.attachments[target] = ids.filter((id) => findPolicy(org, id)?.type !== type);
  }
  env.store.save(org);
}

/** The policies of one type attached to a target, in attachment order. */
export function policiesAt(org: OrgRecord, targetId: string, type: PolicyType): OrgPolicy[] {
  return attachedOfType(org, targetId, type).map((id) => findPolicy(org, id)!);
}
