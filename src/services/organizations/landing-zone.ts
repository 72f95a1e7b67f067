/**
 * The landing zone (what Control Tower sets up): from a small declarative spec with
 * sensible defaults, an organization with a Security OU (log-archive and audit accounts),
 * Sandbox, Dev and Prod OUs, and baseline guardrail SCPs — deny leaving the organization,
 * deny turning off security services, deny regions outside an allowed list on Prod.
 *
 * Idempotent: what exists (matched by name) is kept, guardrails whose text changed are
 * updated, and the answer says what was made and what was already there. It runs on the
 * store directly, so the CLI and the admin API can call it without HTTP.
 */
import type { Clock } from '../../core/clock.js';
import { DEFAULT_ACCOUNT } from '../../core/identity.js';
import type { IamDirectory } from '../../core/ports.js';
import type { Stores } from '../../core/store.js';
import { createAccount, createOrganization, createOu, flushPendingRoles, type OrgEnv } from './ops.js';
import { attachPolicy, createPolicy, enablePolicyType, updatePolicy } from './policy-ops.js';
import { OrgStore, SCP, type OrgRecord } from './store.js';

export interface LandingZoneSpec {
  /** The management account; default `000000000000`, Drydock's default account. */
  managementAccount?: string;
  managementEmail?: string;
  /** OUs under the root and the accounts to create in each (default: Security with log-archive and audit, Sandbox, Dev, Prod). */
  ous?: { name: string; accounts?: { name: string; email?: string }[] }[];
  /** Regions the region guardrail allows (default us-east-1 and eu-west-2). */
  allowedRegions?: string[];
  /** OUs the region guardrail is attached to (default Prod). */
  regionRestrictedOus?: string[];
  guardrails?: { denyLeaveOrganization?: boolean; protectSecurityServices?: boolean; restrictRegions?: boolean };
  /** Domain of the generated account emails (default `drydock.local`). */
  emailDomain?: string;
}

/** What the landing zone needs: the app's stores and clock, and IAM (for account access roles). */
export interface LandingZoneDeps {
  stores: Stores;
  clock: Clock;
  ports?: { iam?: IamDirectory };
}

export interface LandingZoneItem {
  kind: 'organization' | 'policy-type' | 'ou' | 'account' | 'scp' | 'attachment';
  name: string;
  id: string;
  status: 'created' | 'existing' | 'updated';
}

export interface LandingZoneResult {
  orgId: string;
  rootId: string;
  managementAccount: string;
  ous: Record<string, string>;
  /** `OU/account name` → account id. */
  accounts: Record<string, string>;
  policies: Record<string, string>;
  items: LandingZoneItem[];
  /** Printable account of what was made and what existed. */
  summary: string;
}

export const DEFAULT_LANDING_ZONE: Required<Omit<LandingZoneSpec, 'managementEmail'>> = {
  managementAccount: DEFAULT_ACCOUNT,
  ous: [{ name: 'Security', accounts: [{ name: 'log-archive' }, { name: 'audit' }] }, { name: 'Sandbox' }, { name: 'Dev' }, { name: 'Prod' }],
  allowedRegions: ['us-east-1', 'eu-west-2'],
  regionRestrictedOus: ['Prod'],
  guardrails: { denyLeaveOrganization: true, protectSecurityServices: true, restrictRegions: true },
  emailDomain: 'drydock.local',
};

/** Services that are global or run from us-east-1, exempt from the region guardrail (AWS's example SCP). */
export const GLOBAL_SERVICE_ACTIONS = [
  'a4b:*', 'access-analyzer:*', 'account:*', 'acm:*', 'aws-marketplace-management:*', 'aws-marketplace:*', 'aws-portal:*',
  'billing:*', 'budgets:*', 'ce:*', 'chime:*', 'cloudfront:*', 'config:*', 'cur:*', 'directconnect:*',
  'ec2:DescribeRegions', 'ec2:DescribeTransitGateways', 'ec2:DescribeVpnGateways', 'fms:*', 'globalaccelerator:*',
  'health:*', 'iam:*', 'importexport:*', 'kms:*', 'mobileanalytics:*', 'networkmanager:*', 'organizations:*', 'pricing:*',
  'route53:*', 'route53domains:*', 'route53-recovery-cluster:*', 'route53-recovery-control-config:*',
  'route53-recovery-readiness:*', 's3:GetAccountPublic*', 's3:ListAllMyBuckets', 's3:ListMultiRegionAccessPoints',
  's3:PutAccountPublic*', 'shield:*', 'sts:*', 'support:*', 'trustedadvisor:*', 'waf-regional:*', 'waf:*', 'wafv2:*',
  'wellarchitected:*',
];

const SECURITY_ACTIONS = [
  'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors',
  'guardduty:DeleteDetector', 'guardduty:UpdateDetector', 'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateFromMasterAccount', 'guardduty:StopMonitoringMembers', 'guardduty:DeleteMembers',
  'config:StopConfigurationRecorder', 'config:DeleteConfigurationRecorder', 'config:DeleteDeliveryChannel',
  'config:DeleteConfigRule', 'securityhub:DisableSecurityHub', 'securityhub:DeleteMembers',
  'securityhub:DisassociateFromAdministratorAccount', 'access-analyzer:DeleteAnalyzer', 'macie2:DisableMacie',
];

interface Guardrail {
  name: string;
  description: string;
  content: string;
  /** OU names, or `Root`. */
  targets: string[];
}

function guardrails(spec: typeof DEFAULT_LANDING_ZONE): Guardrail[] {
  const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  const out: Guardrail[] = [];
  if (spec.guardrails.denyLeaveOrganization !== false) {
    out.push({
      name: 'DenyLeaveOrganization', description: 'Accounts may not leave the organization', targets: ['Root'],
      content: doc({ Sid: 'DenyLeaveOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }),
    });
  }
  if (spec.guardrails.protectSecurityServices !== false) {
    out.push({
      name: 'ProtectSecurityServices', description: 'CloudTrail, GuardDuty, Config, Security Hub and friends stay on', targets: ['Root'],
      content: doc({ Sid: 'ProtectSecurityServices', Effect: 'Deny', Action: SECURITY_ACTIONS, Resource: '*' }),
    });
  }
  if (spec.guardrails.restrictRegions !== false) {
    out.push({
      name: 'DenyUnapprovedRegions', description: `Only ${spec.allowedRegions.join(', ')}; global services exempt`, targets: spec.regionRestrictedOus,
      content: doc({
        Sid: 'DenyUnapprovedRegions', Effect: 'Deny', NotAction: GLOBAL_SERVICE_ACTIONS, Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': spec.allowedRegions } },
      }),
    });
  }
  return out;
}

/** Builds (or confirms) the landing zone described by `spec`. */
export function buildLandingZone(deps: LandingZoneDeps, given: LandingZoneSpec = {}): LandingZoneResult {
  const spec = { ...DEFAULT_LANDING_ZONE, ...given, guardrails: { ...DEFAULT_LANDING_ZONE.guardrails, ...given.guardrails } };
  const env: OrgEnv = { store: OrgStore.of(deps.stores), clock: deps.clock, iam: deps.ports?.iam };
  const items: LandingZoneItem[] = [];
  const note = (kind: LandingZoneItem['kind'], name: string, id: string, status: LandingZoneItem['status']) => items.push({ kind, name, id, status });

  let org: OrgRecord | undefined = env.store.orgOf(spec.managementAccount);
  if (org !== undefined && org.managementAccount !== spec.managementAccount) {
    throw new Error(`account \`${spec.managementAccount}\` is a member of organization \`${org.id}\`, not its management account`);
  }
  if (org === undefined) {
    org = createOrganization(env, spec.managementAccount, 'ALL', given.managementEmail);
    note('organization', org.id, org.id, 'created');
  } else {
    note('organization', org.id, org.id, 'existing');
    flushPendingRoles(env, org);
  }
  if (!org.enabledTypes.includes(SCP)) {
    enablePolicyType(env, org, org.rootId, SCP);
    note('policy-type', SCP, org.rootId, 'created');
  }

  const ous: Record<string, string> = {};
  const accounts: Record<string, string> = {};
  for (const ouSpec of spec.ous) {
    const found = Object.values(org.ous).find((o) => o.parentId === org!.rootId && o.name === ouSpec.name);
    const ou = found ?? createOu(env, org, org.rootId, ouSpec.name);
    note('ou', ouSpec.name, ou.id, found === undefined ? 'created' : 'existing');
    ous[ouSpec.name] = ou.id;
    for (const a of ouSpec.accounts ?? []) {
      const label = `${ouSpec.name}/${a.name}`;
      const existing = Object.values(org.accounts).find((x) => x.name === a.name);
      if (existing !== undefined) {
        note('account', label, existing.id, 'existing');
        accounts[label] = existing.id;
        continue;
      }
      const status = createAccount(env, org, { name: a.name, email: a.email ?? `${a.name}+${org.id}@${spec.emailDomain}` });
      if (status.accountId === undefined) throw new Error(`account \`${a.name}\` could not be created: ${status.failureReason ?? 'unknown reason'}`);
      org.accounts[status.accountId]!.parentId = ou.id;
      env.store.save(org);
      note('account', label, status.accountId, 'created');
      accounts[label] = status.accountId;
    }
  }

  const policies: Record<string, string> = {};
  for (const g of guardrails(spec)) {
    let policy = Object.values(org.policies).find((p) => p.type === SCP && p.name === g.name);
    if (policy === undefined) {
      policy = createPolicy(env, org, { name: g.name, description: g.description, type: SCP, content: g.content });
      note('scp', g.name, policy.id, 'created');
    } else if (policy.content !== g.content || policy.description !== g.description) {
      updatePolicy(env, org, policy.id, { content: g.content, description: g.description });
      note('scp', g.name, policy.id, 'updated');
    } else {
      note('scp', g.name, policy.id, 'existing');
    }
    policies[g.name] = policy.id;
    for (const t of g.targets) {
      const target = t === 'Root' ? org.rootId : ous[t] ?? Object.values(org.ous).find((o) => o.name === t)?.id;
      if (target === undefined) throw new Error(`guardrail \`${g.name}\` names OU \`${t}\`, which the landing zone does not have`);
      const attached = (org.attachments[target] ?? []).includes(policy.id);
      if (!attached) attachPolicy(env, org, policy.id, target);
      note('attachment', `${g.name} → ${t}`, target, attached ? 'existing' : 'created');
    }
  }

  const result = { orgId: org.id, rootId: org.rootId, managementAccount: org.managementAccount, ous, accounts, policies, items };
  return { ...result, summary: summarize(result, spec.allowedRegions, spec.regionRestrictedOus) };
}

function summarize(r: Omit<LandingZoneResult, 'summary'>, regions: string[], restricted: string[]): string {
  const lines = [`landing zone: organization ${r.orgId}, management account ${r.managementAccount}, root ${r.rootId}`];
  const width = Math.max(...r.items.map((i) => i.name.length));
  for (const i of r.items) lines.push(`  ${i.status.padEnd(8)} ${i.kind.padEnd(12)} ${i.name.padEnd(width)}  ${i.id}`);
  const count = (s: LandingZoneItem['status']) => r.items.filter((i) => i.status === s).length;
  lines.push(`regions allowed on ${restricted.join(', ')}: ${regions.join(', ')}`);
  lines.push(`${count('created')} created, ${count('updated')} updated, ${count('existing')} already existed`);
  return lines.join('\n');
}
