/** Account-wide IAM: aliases, the password policy, the summary and the authorization details. */
import type { Handler } from '../types.js';
import { date, encodeDocument, stateOf, tagsOut } from './common.js';
import { alreadyExists, checkEnum, checkRange, noSuchEntity, validationError } from './errors.js';
import { groupOut } from './groups.js';
import { instanceProfileOut } from './instance-profiles.js';
import { findManaged, policyOut, usage, type ManagedView } from './managed.js';
import { awsManagedDetails } from './managed-catalog.js';
import { roleOut } from './roles.js';
import { iamState, type IamState, type AccountSettings, type PolicyHolder } from './store.js';
import { userOut } from './users.js';

const ALIAS_RE = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

function settings(s: IamState): AccountSettings {
  return s.settings.get('account') ?? {};
}

/** CreateAccountAlias: one alias per account, unique across the accounts Drydock knows. */
export const createAccountAlias: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const alias = String(input['AccountAlias']);
  if (!ALIAS_RE.test(alias)) {
    throw validationError(`Value '${alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`);
  }
  // Aliases are unique across AWS: here, across every account Drydock knows.
  for (const { account } of ctx.stores.accountsRegions('iam')) {
    if (account !== s.account && (settings(iamState(ctx.stores, account)).aliases ?? []).includes(alias)) {
      throw alreadyExists(`The account alias ${alias} already exists.`);
    }
  }
  // An account has one alias: a new one replaces it.
  s.settings.set('account', { ...settings(s), aliases: [alias] });
  return {};
};

/** DeleteAccountAlias: removes the alias. */
export const deleteAccountAlias: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const alias = String(input['AccountAlias']);
  const current = settings(s).aliases ?? [];
  if (!current.includes(alias)) throw noSuchEntity(`The account alias ${alias} cannot be found.`);
  s.settings.set('account', { ...settings(s), aliases: current.filter((a) => a !== alias) });
  return {};
};

/** ListAccountAliases: the account's alias, if any. */
export const listAccountAliases: Handler = (_input, ctx) => ({ AccountAliases: settings(stateOf(ctx)).aliases ?? [], IsTruncated: false });

const BOOLEAN_RULES = [
  'RequireSymbols', 'RequireNumbers', 'RequireUppercaseCharacters', 'RequireLowercaseCharacters', 'AllowUsersToChangePassword', 'HardExpiry',
] as const;

/** UpdateAccountPasswordPolicy: replaces the policy; unset rules take their defaults. */
export const updateAccountPasswordPolicy: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const policy: Record<string, unknown> = {
    MinimumPasswordLength: input['MinimumPasswordLength'] === undefined ? 8 : checkRange(Number(input['MinimumPasswordLength']), 'minimumPasswordLength', 6, 128),
  };
  for (const rule of BOOLEAN_RULES) policy[rule] = input[rule] === true;
  if (input['MaxPasswordAge'] !== undefined) policy['MaxPasswordAge'] = checkRange(Number(input['MaxPasswordAge']), 'maxPasswordAge', 1, 1095);
  if (input['PasswordReusePrevention'] !== undefined) {
    policy['PasswordReusePrevention'] = checkRange(Number(input['PasswordReusePrevention']), 'passwordReusePrevention', 1, 24);
  }
  s.settings.set('account', { ...settings(s), passwordPolicy: policy });
  return {};
};

/** The account's password policy, or undefined when none is set. */
export function passwordPolicyOf(s: IamState): Record<string, unknown> | undefined {
  return settings(s).passwordPolicy;
}

/** GetAccountPasswordPolicy: NoSuchEntity until one is set. */
export const getAccountPasswordPolicy: Handler = (_input, ctx) => {
  const s = stateOf(ctx);
  const p = passwordPolicyOf(s);
  if (p === undefined) throw noSuchEntity(`The Password Policy with domain name ${s.account} cannot be found.`);
  return { PasswordPolicy: { ...p, ExpirePasswords: p['MaxPasswordAge'] !== undefined } };
};

/** DeleteAccountPasswordPolicy: removes the policy. */
export const deleteAccountPasswordPolicy: Handler = (_input, ctx) => {
  const s = stateOf(ctx);
  const { passwordPolicy, ...rest } = settings(s);
  if (passwordPolicy === undefined) throw noSuchEntity(`The Password Policy with domain name ${s.account} cannot be found.`);
  s.settings.set('account', rest);
  return {};
};

/** SetSecurityTokenServicePreferences: records the global endpoint token version. */
export const setSecurityTokenServicePreferences: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const version = checkEnum(input['GlobalEndpointTokenVersion'], 'globalEndpointTokenVersion', ['v1Token', 'v2Token']);
  s.settings.set('account', { ...settings(s), globalEndpointTokenVersion: version });
  return {};
};

/** GetAccountSummary: the account's entity counts and IAM's default quotas. */
export const getAccountSummary: Handler = (_input, ctx) => {
  const s = stateOf(ctx);
  const local = [...s.policies.values()];
  const rootKeys = [...s.accessKeys.values()].some((k) => k.user === '');
  return {
    SummaryMap: {
      Users: s.users.size, UsersQuota: 5000, Groups: s.groups.size, GroupsQuota: 300, Roles: s.roles.size, RolesQuota: 1000,
      Policies: local.length, PoliciesQuota: 1500, InstanceProfiles: s.instanceProfiles.size, InstanceProfilesQuota: 1000,
      Providers: s.oidc.size + s.saml.size, ServerCertificates: 0, ServerCertificatesQuota: 20,
      PolicyVersionsInUse: local.reduce((n, p) => n + p.versions.length, 0), PolicyVersionsInUseQuota: 10000, VersionsPerPolicyQuota: 5,
      AccessKeysPerUserQuota: 2, GroupsPerUserQuota: 10, SigningCertificatesPerUserQuota: 2,
      AttachedPoliciesPerUserQuota: 10, AttachedPoliciesPerGroupQuota: 10, AttachedPoliciesPerRoleQuota: 10,
      PolicySizeQuota: 6144, UserPolicySizeQuota: 2048, GroupPolicySizeQuota: 5120, RolePolicySizeQuota: 10240, AssumeRolePolicySizeQuota: 2048,
      MFADevices: 0, MFADevicesInUse: 0, AccountMFAEnabled: 0, AccountAccessKeysPresent: rootKeys ? 1 : 0, AccountSigningCertificatesPresent: 0,
      GlobalEndpointTokenVersion: settings(s).globalEndpointTokenVersion === 'v2Token' ? 2 : 1,
    },
  };
};

function inlineList(h: PolicyHolder): Array<Record<string, unknown>> {
  return Object.entries(h.inline).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: encodeDocument(doc) }));
}

function attachedList(h: PolicyHolder): Array<Record<string, unknown>> {
  return h.attached.map((a) => ({ PolicyName: a.slice(a.lastIndexOf('/') + 1), PolicyArn: a }));
}

function policyDetail(v: ManagedView, u: ReturnType<typeof usage>): Record<string, unknown> {
  const versions = v.rec === undefined
    ? awsManagedDetails(v.arn)?.versions.filter((x) => x.isDefault) ?? []
    : v.rec.versions.map((x) => ({ id: x.id, document: x.document, createDate: date(x.createDate), isDefault: x.id === v.rec?.defaultVersion }));
  return {
    ...policyOut(v, u, { description: true }),
    PolicyVersionList: versions.map((x) => ({ Document: encodeDocument(x.document), VersionId: x.id, IsDefaultVersion: x.isDefault, CreateDate: x.createDate })),
  };
}

/** GetAccountAuthorizationDetails: users, groups, roles and policies with every policy document, in one page. */
export const getAccountAuthorizationDetails: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const filter = Array.isArray(input['Filter']) ? (input['Filter'] as string[]) : [];
  const want = (f: string): boolean => filter.length === 0 || filter.includes(f);
  const u = usage(s);
  const out: Record<string, unknown> = { IsTruncated: false };
  if (want('User')) {
    out['UserDetailList'] = [...s.users.values()].map((x) => ({
      ...userOut(s, x, true), UserPolicyList: inlineList(x), GroupList: x.groups, AttachedManagedPolicies: attachedList(x),
    }));
  }
  if (want('Group')) {
    out['GroupDetailList'] = [...s.groups.values()].map((g) => ({ ...groupOut(s, g), GroupPolicyList: inlineList(g), AttachedManagedPolicies: attachedList(g) }));
  }
  if (want('Role')) {
    out['RoleDetailList'] = [...s.roles.values()].map((r) => {
      const { Description: _d, MaxSessionDuration: _m, ...role } = roleOut(s, r, 'get');
      const profiles = [...s.instanceProfiles.values()].filter((p) => p.roles.includes(r.name)).map((p) => instanceProfileOut(s, p, false));
      return { ...role, InstanceProfileList: profiles, RolePolicyList: inlineList(r), AttachedManagedPolicies: attachedList(r), ...tagsOut(r.tags) };
    });
  }
  const policies: ManagedView[] = [];
  if (want('LocalManagedPolicy')) for (const p of s.policies.values()) policies.push(findManaged(s, p.arn) as ManagedView);
  if (want('AWSManagedPolicy')) {
    for (const arn of new Set([...u.attachments.keys(), ...u.boundaries.keys()])) {
      const v = findManaged(s, arn);
      if (v !== undefined && v.rec === undefined) policies.push(v);
    }
  }
  if (want('LocalManagedPolicy') || want('AWSManagedPolicy')) out['Policies'] = policies.map((v) => policyDetail(v, u));
  return out;
};
