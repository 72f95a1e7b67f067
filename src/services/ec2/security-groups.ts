/**
 * Security groups: rules by CIDR, prefix list or referenced group, in both directions, each
 * with its own `sgr-` id. A new group allows all egress, as on AWS. Describe answers both the
 * grouped `IpPermissions` form and the per-rule `SecurityGroupRules` form.
 */
import { AwsError } from '../../core/errors.js';
import { arn, awsId } from '../../core/ids.js';
import { parseCidr } from '../../engines/network/cidr.js';
import type { Handler } from '../types.js';
import { describe, missingIds } from './describe.js';
import { groupNotFound, invalidParam } from './errors.js';
import { ec2State, type Ec2State, type SecurityGroupRecord, type SgRuleRecord } from './store.js';
import { tagsFor } from './tags.js';
import { vpcOf } from './vpcs.js';

export function groupOf(s: Ec2State, id: unknown, name?: unknown): SecurityGroupRecord {
  const g = typeof id === 'string' ? s.securityGroups.get(id)
    : typeof name === 'string' ? [...s.securityGroups.values()].find((x) => x.name === name) : undefined;
  if (g === undefined) throw groupNotFound(String(id ?? name));
  return g;
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

function normProtocol(p: unknown): string {
  const s = String(p ?? '').toLowerCase();
  const n = PROTOCOL_NAMES[s] ?? s;
  if (!['tcp', 'udp', 'icmp', '-1', 'icmpv6'].includes(n) && !/^\d{1,3}$/.test(n)) {
    throw invalidParam(`Invalid value '${String(p)}' for IP protocol. Unknown protocol.`);
  }
  return n;
}

interface Permission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp?: string; Description?: string }[];
  PrefixListIds?: { PrefixListId?: string; Description?: string }[];
  UserIdGroupPairs?: { GroupId?: string; GroupName?: string; Description?: string }[];
  Ipv6Ranges?: unknown[];
}

/** One rule per peer of each permission. */
function readPermissions(s: Ec2State, input: Record<string, unknown>, egress: boolean): SgRuleRecord[] {
  const perms: Permission[] = Array.isArray(input['IpPermissions']) ? (input['IpPermissions'] as Permission[]) : [];
  if (perms.length === 0 && input['IpProtocol'] !== undefined) {
    perms.push({ IpProtocol: input['IpProtocol'] as string, FromPort: input['FromPort'] as number, ToPort: input['ToPort'] as number,
      IpRanges: input['CidrIp'] ? [{ CidrIp: input['CidrIp'] as string }] : [] });
  }
  const rules: SgRuleRecord[] = [];
  for (const p of perms) {
    const protocol = normProtocol(p.IpProtocol);
    const ports = protocol === '-1' ? {} : { fromPort: p.FromPort ?? -1, toPort: p.ToPort ?? -1 };
    if ((protocol === 'tcp' || protocol === 'udp') && (ports.fromPort! < 0 || ports.toPort! > 65535 || ports.fromPort! > ports.toPort!)) {
      throw invalidParam(`Invalid port range ${String(p.FromPort)}-${String(p.ToPort)}`);
    }
    const base = { egress, protocol, ...ports };
    for (const r of p.IpRanges ?? []) {
      if (parseCidr(r.CidrIp ?? '') === undefined) throw invalidParam(`CIDR block ${String(r.CidrIp)} is malformed`);
      rules.push({ ruleId: '', ...base, cidr: r.CidrIp, description: r.Description });
    }
    for (const r of p.PrefixListIds ?? []) rules.push({ ruleId: '', ...base, prefixListId: r.PrefixListId, description: r.Description });
    for (const r of p.UserIdGroupPairs ?? []) {
      rules.push({ ruleId: '', ...base, groupId: groupOf(s, r.GroupId, r.GroupName).id, description: r.Description });
    }
  }
  if (rules.length === 0) throw new AwsError('MissingParameter', 'Either ipPermissions or ipProtocol must be specified.', 400);
  return rules;
}

const samePeer = (a: SgRuleRecord, b: SgRuleRecord) =>
  a.egress === b.egress && a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort
  && a.cidr === b.cidr && a.prefixListId === b.prefixListId && a.groupId === b.groupId;

function describeRule(r: SgRuleRecord): string {
  const peer = r.cidr ?? r.prefixListId ?? r.groupId;
  const proto = r.protocol === '-1' ? 'ALL' : r.protocol.toUpperCase();
  return `peer: ${peer}, ${proto}, from port: ${r.fromPort ?? -1}, to port: ${r.toPort ?? -1}, ALLOW`;
}

function ruleOut(g: SecurityGroupRecord, r: SgRuleRecord, account: string, region: string) {
  return {
    SecurityGroupRuleId: r.ruleId, GroupId: g.id, GroupOwnerId: account, IsEgress: r.egress, IpProtocol: r.protocol,
    FromPort: r.fromPort ?? -1, ToPort: r.toPort ?? -1, CidrIpv4: r.cidr, PrefixListId: r.prefixListId,
    ReferencedGroupInfo: r.groupId ? { GroupId: r.groupId, UserId: account } : undefined, Description: r.description, Tags: [],
    SecurityGroupRuleArn: arn({ service: 'ec2', region, account, resource: `security-group-rule/${r.ruleId}` }),
  };
}

/** Rules grouped by protocol and ports, as `IpPermissions` shows them. */
function permissionsOut(rules: SgRuleRecord[], account: string) {
  const groups = new Map<string, SgRuleRecord[]>();
  for (const r of rules) {
    const k = `${r.protocol}/${r.fromPort}/${r.toPort}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((rs) => ({
    IpProtocol: rs[0]!.protocol, FromPort: rs[0]!.fromPort, ToPort: rs[0]!.toPort, Ipv6Ranges: [],
    IpRanges: rs.filter((r) => r.cidr).map((r) => ({ CidrIp: r.cidr, Description: r.description })),
    PrefixListIds: rs.filter((r) => r.prefixListId).map((r) => ({ PrefixListId: r.prefixListId, Description: r.description })),
    UserIdGroupPairs: rs.filter((r) => r.groupId).map((r) => ({ GroupId: r.groupId, UserId: account, Description: r.description })),
  }));
}

export const createSecurityGroup: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const name = String(input['GroupName'] ?? '');
  const description = String(input['Description'] ?? '');
  if (name.length === 0 || name.length > 255) throw invalidParam('Invalid value for parameter GroupName: must be 1 to 255 characters');
  if (name.toLowerCase().startsWith('sg-')) throw invalidParam("Group names may not be in the format sg-*.");
  if (description.length > 255) throw invalidParam('Invalid value for parameter GroupDescription: must be at most 255 characters');
  if (input['VpcId'] === undefined) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user', 400);
  const vpc = vpcOf(s, input['VpcId']);
  if ([...s.securityGroups.values()].some((g) => g.vpcId === vpc.id && g.name === name)) {
    throw new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpc.id}'`, 400);
  }
  const g: SecurityGroupRecord = {
    id: awsId('sg'), name, description, vpcId: vpc.id, tags: tagsFor(input, 'security-group'), createdMs: ctx.clock.nowMs(),
    rules: [{ ruleId: awsId('sgr'), egress: true, protocol: '-1', cidr: '0.0.0.0/0' }],
  };
  s.securityGroups.set(g.id, g);
  return { GroupId: g.id, Tags: g.tags, SecurityGroupArn: arn({ service: 'ec2', region: ctx.region, account: ctx.account, resource: `security-group/${g.id}` }) };
};

function authorize(egress: boolean): Handler {
  return (input, ctx) => {
    const s = ec2State(ctx);
    const g = groupOf(s, input['GroupId'], input['GroupName']);
    const rules = readPermissions(s, input, egress);
    for (const r of rules) {
      if (g.rules.some((x) => samePeer(x, r))) {
        throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(r)}" already exists`, 400);
      }
      r.ruleId = awsId('sgr');
    }
    if (g.rules.filter((r) => r.egress === egress).length + rules.length > 60) {
      throw new AwsError('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.', 400);
    }
    g.rules.push(...rules);
    s.securityGroups.set(g.id, g);
    return { Return: true, SecurityGroupRules: rules.map((r) => ruleOut(g, r, ctx.account, ctx.region)) };
  };
}

function revoke(egress: boolean): Handler {
  return (input, ctx) => {
    const s = ec2State(ctx);
    const g = groupOf(s, input['GroupId'], input['GroupName']);
    const ids = Array.isArray(input['SecurityGroupRuleIds']) ? (input['SecurityGroupRuleIds'] as string[]) : [];
    const doomed = ids.length > 0
      ? ids.map((id) => {
        const r = g.rules.find((x) => x.ruleId === id && x.egress === egress);
        if (r === undefined) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`, 400);
        return r;
      })
      : readPermissions(s, input, egress).map((r) => {
        const found = g.rules.find((x) => samePeer(x, r));
        if (found === undefined) throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.', 400);
        return found;
      });
    g.rules = g.rules.filter((r) => !doomed.includes(r));
    s.securityGroups.set(g.id, g);
    return { Return: true };
  };
}

export const authorizeSecurityGroupIngress = authorize(false);
export const authorizeSecurityGroupEgress = authorize(true);
export const revokeSecurityGroupIngress = revoke(false);
export const revokeSecurityGroupEgress = revoke(true);

export const describeSecurityGroups: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const names = Array.isArray(input['GroupNames']) ? (input['GroupNames'] as string[]) : [];
  const page = describe({
    items: [...s.securityGroups.values()].filter((g) => names.length === 0 || names.includes(g.name)),
    idOf: (g) => g.id, tagsOf: (g) => g.tags, notFound: missingIds(groupNotFound),
    fields: {
      'group-id': (g) => g.id, 'group-name': (g) => g.name, 'vpc-id': (g) => g.vpcId, description: (g) => g.description,
      'owner-id': () => ctx.account,
      'ip-permission.cidr': (g) => g.rules.filter((r) => !r.egress).map((r) => r.cidr),
      'ip-permission.protocol': (g) => g.rules.filter((r) => !r.egress).map((r) => r.protocol),
      'ip-permission.from-port': (g) => g.rules.filter((r) => !r.egress).map((r) => String(r.fromPort)),
      'ip-permission.to-port': (g) => g.rules.filter((r) => !r.egress).map((r) => String(r.toPort)),
      'ip-permission.group-id': (g) => g.rules.filter((r) => !r.egress).map((r) => r.groupId),
      'egress.ip-permission.cidr': (g) => g.rules.filter((r) => r.egress).map((r) => r.cidr),
    },
    ids: input['GroupIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return {
    SecurityGroups: page.items.map((g) => ({
      GroupId: g.id, GroupName: g.name, Description: g.description, VpcId: g.vpcId, OwnerId: ctx.account, Tags: g.tags,
      SecurityGroupArn: arn({ service: 'ec2', region: ctx.region, account: ctx.account, resource: `security-group/${g.id}` }),
      IpPermissions: permissionsOut(g.rules.filter((r) => !r.egress), ctx.account),
      IpPermissionsEgress: permissionsOut(g.rules.filter((r) => r.egress), ctx.account),
    })),
    NextToken: page.nextToken,
  };
};

export const describeSecurityGroupRules: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const rows = [...s.securityGroups.values()].flatMap((g) => g.rules.map((r) => ({ g, r })));
  const page = describe({
    items: rows, idOf: (x) => x.r.ruleId, tagsOf: () => [],
    notFound: (ids) => new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${ids[0]}' does not exist`, 400),
    fields: { 'group-id': (x) => x.g.id, 'security-group-rule-id': (x) => x.r.ruleId },
    ids: input['SecurityGroupRuleIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { SecurityGroupRules: page.items.map((x) => ruleOut(x.g, x.r, ctx.account, ctx.region)), NextToken: page.nextToken };
};

export const deleteSecurityGroup: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const g = groupOf(s, input['GroupId'], input['GroupName']);
  if (g.name === 'default') throw new AwsError('CannotDelete', `the specified group: "${g.id}" name: "default" cannot be deleted by a user`, 400);
  const users = [...s.enis.values()].some((e) => e.groupIds.includes(g.id))
    || [...s.securityGroups.values()].some((o) => o.id !== g.id && o.rules.some((r) => r.groupId === g.id));
  if (users) throw new AwsError('DependencyViolation', `resource ${g.id} has a dependent object`, 400);
  s.securityGroups.delete(g.id);
  return { Return: true, GroupId: g.id };
};
