/**
 * Handlers for the organization itself: create, describe, delete, leave; the root and its
 * policy types; delegated administrators, trusted service access, and tags.
 */
import type { Handler } from '../types.js';
import { errors } from './errors.js';
import { createOrganization, removeAccount } from './ops.js';
import { disablePolicyType, enablePolicyType, findPolicy, policyType } from './policy-ops.js';
import type { OrgRecord } from './store.js';
import {
  accountShape,
  callerOrg,
  envOf,
  managedOrg,
  organizationShape,
  paginate,
  rootShape,
  tagsFromList,
  tagsToList,
} from './views.js';

export const createOrganizationHandler: Handler = (input, ctx) => {
  const org = createOrganization(envOf(ctx), ctx.account, (input['FeatureSet'] as string | undefined) ?? 'ALL');
  return { Organization: organizationShape(org) };
};

export const describeOrganization: Handler = (_input, ctx) => ({ Organization: organizationShape(callerOrg(ctx)) });

export const deleteOrganization: Handler = (_input, ctx) => {
  const org = managedOrg(ctx);
  if (Object.keys(org.accounts).length > 1) throw errors.orgNotEmpty();
  envOf(ctx).store.delete(org);
  return {};
};

export const listRoots: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const { page, NextToken } = paginate([rootShape(org)], input);
  return { Roots: page, NextToken };
};

export const enablePolicyTypeHandler: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  enablePolicyType(envOf(ctx), org, String(input['RootId']), policyType(input['PolicyType']));
  return { Root: rootShape(org) };
};

export const disablePolicyTypeHandler: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  disablePolicyType(envOf(ctx), org, String(input['RootId']), policyType(input['PolicyType']));
  return { Root: rootShape(org) };
};

export const leaveOrganization: Handler = (_input, ctx) => {
  const org = callerOrg(ctx);
  removeAccount(envOf(ctx), org, ctx.account);
  return {};
};

export const removeAccountFromOrganization: Handler = (input, ctx) => {
  removeAccount(envOf(ctx), managedOrg(ctx), String(input['AccountId']));
  return {};
};

export const registerDelegatedAdministrator: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  const account = String(input['AccountId']);
  const service = String(input['ServicePrincipal']);
  if (org.accounts[account] === undefined) throw errors.accountNotFound();
  if (account === org.managementAccount) throw errors.constraint('CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR');
  const now = ctx.clock.now().toISOString();
  const entry = (org.delegated[account] ??= { account, enabledAt: now, services: {} });
  if (entry.services[service] !== undefined) throw errors.alreadyRegistered();
  entry.services[service] = now;
  envOf(ctx).store.save(org);
  return {};
};

export const deregisterDelegatedAdministrator: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  const account = String(input['AccountId']);
  if (org.accounts[account] === undefined) throw errors.accountNotFound();
  const entry = org.delegated[account];
  const service = String(input['ServicePrincipal']);
  if (entry?.services[service] === undefined) throw errors.notRegistered();
  delete entry.services[service];
  if (Object.keys(entry.services).length === 0) delete org.delegated[account];
  envOf(ctx).store.save(org);
  return {};
};

export const listDelegatedAdministrators: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const service = input['ServicePrincipal'] as string | undefined;
  const admins = Object.values(org.delegated)
    .filter((d) => service === undefined || d.services[service] !== undefined)
    .filter((d) => org.accounts[d.account] !== undefined)
    .map((d) => ({ ...accountShape(org, d.account), DelegationEnabledDate: new Date(d.enabledAt) }));
  const { page, NextToken } = paginate(admins, input);
  return { DelegatedAdministrators: page, NextToken };
};

export const listDelegatedServicesForAccount: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const account = String(input['AccountId']);
  if (org.accounts[account] === undefined) throw errors.accountNotFound();
  const entry = org.delegated[account];
  if (entry === undefined) throw errors.notRegistered();
  const services = Object.entries(entry.services).map(([ServicePrincipal, at]) => ({ ServicePrincipal, DelegationEnabledDate: new Date(at) }));
  const { page, NextToken } = paginate(services, input);
  return { DelegatedServices: page, NextToken };
};

export const enableAwsServiceAccess: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  org.serviceAccess[String(input['ServicePrincipal'])] ??= ctx.clock.now().toISOString();
  envOf(ctx).store.save(org);
  return {};
};

export const disableAwsServiceAccess: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  delete org.serviceAccess[String(input['ServicePrincipal'])];
  envOf(ctx).store.save(org);
  return {};
};

export const listAwsServiceAccess: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const enabled = Object.entries(org.serviceAccess).map(([ServicePrincipal, at]) => ({ ServicePrincipal, DateEnabled: new Date(at) }));
  const { page, NextToken } = paginate(enabled, input);
  return { EnabledServicePrincipals: page, NextToken };
};

// The tags of a root, OU, account or policy; AWS managed policies have none to change.
function tagsOf(org: OrgRecord, id: string): Record<string, string> {
  if (id === org.rootId) return org.rootTags;
  const holder = org.ous[id] ?? org.accounts[id] ?? org.policies[id];
  if (holder === undefined) {
    if (findPolicy(org, id) !== undefined) throw errors.invalidInput('INVALID_RESOURCE_ID', 'You specified an invalid resource id.');
    throw errors.targetNotFound();
  }
  return holder.tags;
}

export const tagResource: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  Object.assign(tagsOf(org, String(input['ResourceId'])), tagsFromList(input['Tags']));
  envOf(ctx).store.save(org);
  return {};
};

export const untagResource: Handler = (input, ctx) => {
  const org = managedOrg(ctx);
  const tags = tagsOf(org, String(input['ResourceId']));
  for (const k of (input['TagKeys'] as string[] | undefined) ?? []) delete tags[k];
  envOf(ctx).store.save(org);
  return {};
};

export const listTagsForResource: Handler = (input, ctx) => {
  const org = managedOrg(ctx, { read: true });
  const { page, NextToken } = paginate(tagsToList(tagsOf(org, String(input['ResourceId']))), { NextToken: input['NextToken'] }, 1000);
  return { Tags: page, NextToken };
};
