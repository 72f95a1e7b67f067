/**
 * Output shapes of the Organizations API built from the stored records, pagination, and
 * who the caller is to the organization (management account, delegated administrator,
 * member).
 */
import type { ServiceContext } from '../types.js';
import { errors } from './errors.js';
import { flushPendingRoles, pathOf, type OrgEnv } from './ops.js';
import { findPolicy } from './policy-ops.js';
import { arns, OrgStore, type HandshakeRecord, type OrgPolicy, type OrgRecord, type PolicyType } from './store.js';

export function envOf(ctx: ServiceContext): OrgEnv {
  return { store: OrgStore.of(ctx.stores), clock: ctx.clock, iam: ctx.ports.iam };
}

/** The caller's organization; AWSOrganizationsNotInUseException when it has none. */
export function callerOrg(ctx: ServiceContext): OrgRecord {
  const env = envOf(ctx);
  const org = env.store.orgOf(ctx.account);
  if (org === undefined) throw errors.notInUse();
  flushPendingRoles(env, org);
  return org;
}

/**
 * The caller's organization when the caller may manage it: the management account, or
 * for read operations a delegated administrator.
 */
export function managedOrg(ctx: ServiceContext, opts: { read?: boolean } = {}): OrgRecord {
  const org = callerOrg(ctx);
  if (ctx.account === org.managementAccount) return org;
  if (opts.read === true && org.delegated[ctx.account] !== undefined) return org;
  throw errors.accessDenied();
}

const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

export function organizationShape(org: OrgRecord): Record<string, unknown> {
  return {
    Id: org.id,
    Arn: arns.org(org),
    FeatureSet: org.featureSet,
    MasterAccountArn: arns.account(org, org.managementAccount),
    MasterAccountId: org.managementAccount,
    MasterAccountEmail: org.managementEmail,
    // Deprecated by AWS; it reports SCPs as available whenever all features are on.
    AvailablePolicyTypes: org.featureSet === 'ALL' ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] : [],
  };
}

export function rootShape(org: OrgRecord): Record<string, unknown> {
  return {
    Id: org.rootId,
    Arn: arns.root(org),
    Name: 'Root',
    PolicyTypes: org.enabledTypes.map((t: PolicyType) => ({ Type: t, Status: 'ENABLED' })),
  };
}

export function accountShape(org: OrgRecord, id: string): Record<string, unknown> {
  const a = org.accounts[id]!;
  return {
    Id: a.id,
    Arn: arns.account(org, a.id),
    Email: a.email,
    Name: a.name,
    Status: a.state === 'CLOSED' ? 'SUSPENDED' : a.state,
    State: a.state,
    Paths: [`${pathOf(org, a.parentId)}${a.id}/`],
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: date(a.joinedAt),
  };
}

export function ouShape(org: OrgRecord, id: string): Record<string, unknown> {
  const ou = org.ous[id]!;
  return { Id: ou.id, Arn: arns.ou(org, ou.id), Name: ou.name, Path: pathOf(org, ou.id) };
}

export function policySummary(org: OrgRecord, p: OrgPolicy): Record<string, unknown> {
  return { Id: p.id, Arn: arns.policy(org, p), Name: p.name, Description: p.description, Type: p.type, AwsManaged: p.awsManaged === true };
}

export function policyShape(org: OrgRecord, id: string): Record<string, unknown> {
  const p = findPolicy(org, id)!;
  return { PolicySummary: policySummary(org, p), Content: p.content };
}

export function createStatusShape(org: OrgRecord, id: string, state?: string): Record<string, unknown> {
  const s = org.createStatuses[id]!;
  const out: Record<string, unknown> = { Id: s.id, AccountName: s.accountName, State: state ?? s.state, RequestedTimestamp: date(s.requestedAt) };
  if (state === undefined) {
    if (s.completedAt !== undefined) out['CompletedTimestamp'] = date(s.completedAt);
    if (s.accountId !== undefined) out['AccountId'] = s.accountId;
    if (s.failureReason !== undefined) out['FailureReason'] = s.failureReason;
  }
  return out;
}

export function handshakeShape(h: HandshakeRecord, org: OrgRecord | undefined): Record<string, unknown> {
  const orgResources = org === undefined ? [] : [
    { Type: 'MASTER_EMAIL', Value: org.managementEmail },
    { Type: 'MASTER_NAME', Value: org.accounts[org.managementAccount]?.name ?? 'management' },
    { Type: 'ORGANIZATION_FEATURE_SET', Value: org.featureSet },
  ];
  const resources: Record<string, unknown>[] = [{ Type: 'ORGANIZATION', Value: h.orgId, Resources: orgResources }];
  resources.push({ Type: h.target.Type === 'EMAIL' ? 'EMAIL' : 'ACCOUNT', Value: h.target.Id });
  if (h.notes !== undefined) resources.push({ Type: 'NOTES', Value: h.notes });
  return {
    Id: h.id,
    Arn: arns.handshake(h),
    Parties: [{ Id: h.orgId, Type: 'ORGANIZATION' }, { Id: h.target.Id, Type: h.target.Type }],
    State: h.state,
    RequestedTimestamp: date(h.requestedAt),
    ExpirationTimestamp: date(h.expiresAt),
    Action: h.action,
    Resources: resources,
  };
}

export function tagsToList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function tagsFromList(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of (list as { Key: string; Value?: string }[] | undefined) ?? []) out[t.Key] = t.Value ?? '';
  return out;
}

/** One page of `items` and the token for the next, as every Organizations List* answers. */
export function paginate<T>(items: T[], input: Record<string, unknown>, max = 20): { page: T[]; NextToken?: string } {
  const size = input['MaxResults'] === undefined ? max : Number(input['MaxResults']);
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw errors.invalidInput(size < 1 ? 'MIN_VALUE_EXCEEDED' : 'MAX_VALUE_EXCEEDED', 'You provided a value that is outside the allowed range.');
  }
  let start = 0;
  if (input['NextToken'] !== undefined) {
    const m = /^dd-(\d+)$/.exec(Buffer.from(String(input['NextToken']), 'base64url').toString('utf8'));
    if (m === null || Number(m[1]) > items.length) throw errors.invalidInput('INVALID_NEXT_TOKEN', 'You specified an invalid value for nextToken.');
    start = Number(m[1]);
  }
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`dd-${start + size}`, 'utf8').toString('base64url') : undefined;
  return next === undefined ? { page } : { page, NextToken: next };
}
