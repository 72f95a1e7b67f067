/** The credential report (CSV of every user's credentials) and ListPoliciesGrantingServiceAccess. */
import { AwsError } from '../../core/errors.js';
import { parsePolicy } from '../../engines/iam-policy/index.js';
import type { Handler } from '../types.js';
import { getGroup, getRole, getUser, stateOf, strings } from './common.js';
import { managedDocument } from './managed.js';
import { invalidInput } from './errors.js';
import { iso, key, type IamState, type PolicyHolder } from './store.js';
import { parseArn } from '../../core/ids.js';

const REPORT_TTL_MS = 4 * 60 * 60 * 1000;

const COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
];

// The report's time format: ISO 8601 to the second with an explicit offset.
function stamp(isoText: string | undefined): string {
  return isoText === undefined ? 'N/A' : `${isoText.slice(0, 19)}+00:00`;
}

function keyColumns(s: IamState, user: string): string[] {
  const keys = [...s.accessKeys.values()].filter((k) => k.user === user).slice(0, 2);
  const out: string[] = [];
  for (let i = 0; i < 2; i++) {
    const k = keys[i];
    out.push(String(k?.status === 'Active'), stamp(k?.createDate), stamp(k?.lastUsed?.date), k?.lastUsed?.region ?? 'N/A', k?.lastUsed?.service ?? 'N/A');
  }
  return out;
}

function certColumns(s: IamState, user: string): string[] {
  const certs = [...s.signingCerts.values()].filter((c) => c.user === user).slice(0, 2);
  return [0, 1].flatMap((i) => [String(certs[i]?.status === 'Active'), stamp(certs[i]?.uploadDate)]);
}

function buildReport(s: IamState, created: string): string {
  const mfaUsers = new Set([...s.mfaDevices.values()].map((d) => d.user).filter((u) => u !== undefined));
  const rows = [COLUMNS.join(',')];
  rows.push(['<root_account>', `arn:aws:iam::${s.account}:root`, stamp(created), 'not_supported', 'N/A', 'not_supported', 'not_supported', 'false',
    ...keyColumns(s, ''), ...certColumns(s, '')].join(','));
  for (const u of s.users.values()) {
    rows.push([
      u.name, `arn:aws:iam::${s.account}:user${u.path}${u.name}`, stamp(u.createDate), String(u.login !== undefined),
      u.login === undefined ? 'N/A' : stamp(u.passwordLastUsed) === 'N/A' ? 'no_information' : stamp(u.passwordLastUsed),
      stamp(u.login?.createDate), 'N/A', String(mfaUsers.has(u.name)), ...keyColumns(s, u.name), ...certColumns(s, u.name),
    ].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** GenerateCredentialReport: makes the report at once; it stays fresh for four hours. */
export const generateCredentialReport: Handler = (_input, ctx) => {
  const s = stateOf(ctx);
  const settings = s.settings.get('account') ?? {};
  const now = ctx.clock.now();
  const fresh = settings.report !== undefined && now.getTime() - Date.parse(settings.report.generated) < REPORT_TTL_MS;
  if (fresh) return { State: 'COMPLETE' };
  const created = settings.created ?? iso(now);
  // Made at once; AWS answers STARTED for a new report and COMPLETE once it is ready.
  s.settings.set('account', { ...settings, created, report: { csv: buildReport(s, created), generated: iso(now) } });
  return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
};

/** GetCredentialReport: the CSV AWS documents, one row per user after the root user's. */
export const getCredentialReport: Handler = (_input, ctx) => {
  const report = (stateOf(ctx).settings.get('account') ?? {}).report;
  if (report === undefined) {
    throw new AwsError('CredentialReportNotPresentException', 'Credential report not present. Please call GenerateCredentialReport first.', 410);
  }
  if (ctx.clock.now().getTime() - Date.parse(report.generated) >= REPORT_TTL_MS) {
    throw new AwsError('CredentialReportExpiredException', 'Credential report is expired. Please call GenerateCredentialReport to generate a new report.', 410);
  }
  return { Content: Buffer.from(report.csv, 'utf8'), ReportFormat: 'text/csv', GeneratedTime: new Date(report.generated) };
};

interface Granting {
  PolicyName: string;
  PolicyType: 'INLINE' | 'MANAGED';
  PolicyArn?: string;
  EntityType?: 'USER' | 'GROUP' | 'ROLE';
  EntityName?: string;
}

function grants(document: string, namespace: string): boolean {
  try {
    return parsePolicy(document, { kind: 'identity' }).candidates(namespace.toLowerCase()).allow.length > 0;
  } catch {
    return false;
  }
}

function holderGrants(ctx: Parameters<Handler>[1], h: PolicyHolder, type: 'USER' | 'GROUP' | 'ROLE', ns: string): Granting[] {
  const out: Granting[] = [];
  for (const [name, doc] of Object.entries(h.inline)) {
    if (grants(doc, ns)) out.push({ PolicyName: name, PolicyType: 'INLINE', EntityType: type, EntityName: h.name });
  }
  for (const arn of h.attached) {
    const m = managedDocument(ctx.stores, arn);
    if (m !== undefined && grants(m.document, ns)) out.push({ PolicyName: m.name, PolicyType: 'MANAGED', PolicyArn: arn });
  }
  return out;
}

/** ListPoliciesGrantingServiceAccess: the entity's policies with an Allow statement that can match each service. */
export const listPoliciesGrantingServiceAccess: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const arn = String(input['Arn']);
  const resource = parseArn(arn)?.resource ?? '';
  const kind = resource.slice(0, resource.indexOf('/'));
  const name = resource.slice(resource.lastIndexOf('/') + 1);
  const holders: Array<[PolicyHolder, 'USER' | 'GROUP' | 'ROLE']> = [];
  if (kind === 'user') {
    const u = getUser(s, name);
    holders.push([u, 'USER'], ...u.groups.map((g) => [getGroup(s, g), 'GROUP'] as [PolicyHolder, 'GROUP']));
  } else if (kind === 'group') holders.push([getGroup(s, name), 'GROUP']);
  else if (kind === 'role') holders.push([getRole(s, name), 'ROLE']);
  else throw invalidInput(`ARN ${arn} is not valid.`);
  const seen = new Set<string>();
  return {
    PoliciesGrantingServiceAccess: strings(input, 'ServiceNamespaces').map((ns) => {
      seen.clear();
      const policies = holders.flatMap(([h, t]) => holderGrants(ctx, h, t, ns)).filter((g) => {
        const id = g.PolicyArn ?? `${g.EntityType}/${key(g.EntityName ?? '')}/${g.PolicyName}`;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      return { ServiceNamespace: ns, Policies: policies };
    }),
    IsTruncated: false,
  };
};
