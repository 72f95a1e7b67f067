/**
 * Network ACLs: numbered allow/deny entries per direction, evaluated lowest number first,
 * with the implicit `*` (32767) deny shown last. Every subnet is associated with exactly one
 * ACL (the VPC's default until replaced).
 */
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import { formatCidr, parseCidr } from '../../engines/network/cidr.js';
import type { Handler } from '../types.js';
import { describe, missingIds } from './describe.js';
import { aclNotFound, dependency, found, invalidParam } from './errors.js';
import { ec2State, type AclEntryRecord, type Ec2State, type NetworkAclRecord } from './store.js';
import { tagsFor } from './tags.js';
import { vpcOf } from './vpcs.js';

function aclOf(s: Ec2State, id: unknown): NetworkAclRecord {
  return found(s.networkAcls, id, aclNotFound);
}

const PROTOCOL_NUMBERS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', all: '-1' };

function entryOf(input: Record<string, unknown>): AclEntryRecord {
  const ruleNumber = Number(input['RuleNumber']);
  if (!Number.isInteger(ruleNumber) || ruleNumber < 1 || ruleNumber > 32766) {
    throw invalidParam(`Value (${String(input['RuleNumber'])}) for parameter ruleNumber is invalid. Must be between 1 and 32766.`);
  }
  const rawProto = String(input['Protocol'] ?? '').toLowerCase();
  const protocol = PROTOCOL_NUMBERS[rawProto] ?? rawProto;
  if (!/^(-1|\d{1,3})$/.test(protocol)) throw invalidParam(`Value (${String(input['Protocol'])}) for parameter protocol is invalid.`);
  const action = String(input['RuleAction'] ?? '');
  if (action !== 'allow' && action !== 'deny') throw invalidParam(`Value (${action}) for parameter ruleAction is invalid.`);
  const c = parseCidr(String(input['CidrBlock'] ?? ''));
  if (c === undefined) throw invalidParam(`Value (${String(input['CidrBlock'])}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  const range = input['PortRange'] as { From?: number; To?: number } | undefined;
  const needsPorts = protocol === '6' || protocol === '17';
  if (needsPorts && (range?.From === undefined || range.To === undefined)) {
    throw new AwsError('InvalidParameterValue', 'TCP/UDP protocol requires port range', 400);
  }
  return {
    ruleNumber, egress: input['Egress'] === true, protocol, action, cidr: formatCidr(c),
    ...(needsPorts ? { fromPort: range!.From, toPort: range!.To } : {}),
  };
}

function aclOut(a: NetworkAclRecord, account: string) {
  const entry = (e: AclEntryRecord) => ({
    RuleNumber: e.ruleNumber, Protocol: e.protocol, RuleAction: e.action, Egress: e.egress, CidrBlock: e.cidr,
    ...(e.fromPort !== undefined ? { PortRange: { From: e.fromPort, To: e.toPort } } : {}),
  });
  // Per direction (egress first, as EC2 lists them): entries by number, then the implicit deny.
  const entries = [true, false].flatMap((egress) => [
    ...a.entries.filter((e) => e.egress === egress).sort((x, y) => x.ruleNumber - y.ruleNumber).map(entry),
    { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' },
  ]);
  return {
    NetworkAclId: a.id, VpcId: a.vpcId, IsDefault: a.isDefault, OwnerId: account, Tags: a.tags, Entries: entries,
    Associations: a.associations.map((x) => ({ NetworkAclAssociationId: x.id, NetworkAclId: a.id, SubnetId: x.subnetId })),
  };
}

export const createNetworkAcl: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const vpc = vpcOf(s, input['VpcId']);
  const a: NetworkAclRecord = { id: awsId('acl'), vpcId: vpc.id, isDefault: false, entries: [], associations: [], tags: tagsFor(input, 'network-acl'), createdMs: ctx.clock.nowMs() };
  s.networkAcls.set(a.id, a);
  return { NetworkAcl: aclOut(a, ctx.account) };
};

export const describeNetworkAcls: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: s.networkAcls.values(), idOf: (a) => a.id, tagsOf: (a) => a.tags, notFound: missingIds(aclNotFound),
    fields: {
      'network-acl-id': (a) => a.id, 'vpc-id': (a) => a.vpcId, default: (a) => a.isDefault, 'owner-id': () => ctx.account,
      'association.subnet-id': (a) => a.associations.map((x) => x.subnetId),
      'association.association-id': (a) => a.associations.map((x) => x.id),
      'association.network-acl-id': (a) => a.id,
      'entry.rule-number': (a) => a.entries.map((e) => String(e.ruleNumber)),
      'entry.rule-action': (a) => a.entries.map((e) => e.action),
      'entry.cidr': (a) => a.entries.map((e) => e.cidr),
      'entry.egress': (a) => a.entries.map((e) => String(e.egress)),
      'entry.protocol': (a) => a.entries.map((e) => e.protocol),
    },
    ids: input['NetworkAclIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { NetworkAcls: page.items.map((a) => aclOut(a, ctx.account)), NextToken: page.nextToken };
};

export const deleteNetworkAcl: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = aclOf(s, input['NetworkAclId']);
  if (a.isDefault) throw new AwsError('InvalidParameterValue', `cannot delete default network ACL ${a.id}`, 400);
  if (a.associations.length > 0) throw dependency('network ACL', a.id);
  s.networkAcls.delete(a.id);
  return {};
};

function sameSlot(a: AclEntryRecord, b: { ruleNumber: number; egress: boolean }): boolean {
  return a.ruleNumber === b.ruleNumber && a.egress === b.egress;
}

export const createNetworkAclEntry: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = aclOf(s, input['NetworkAclId']);
  const e = entryOf(input);
  if (a.entries.some((x) => sameSlot(x, e))) {
    throw new AwsError('NetworkAclEntryAlreadyExists', `The network acl entry identified by ${e.ruleNumber} already exists.`, 400);
  }
  if (a.entries.filter((x) => x.egress === e.egress).length >= 20) {
    throw new AwsError('NetworkAclEntryLimitExceeded', `The maximum number of network ACL entries has been reached.`, 400);
  }
  a.entries.push(e);
  s.networkAcls.set(a.id, a);
  return {};
};

function existing(a: NetworkAclRecord, input: Record<string, unknown>): AclEntryRecord {
  const slot = { ruleNumber: Number(input['RuleNumber']), egress: input['Egress'] === true };
  const e = a.entries.find((x) => sameSlot(x, slot));
  if (e === undefined) {
    throw new AwsError('InvalidNetworkAclEntry.NotFound', `The network acl entry identified by ${slot.ruleNumber} does not exist.`, 400);
  }
  return e;
}

export const replaceNetworkAclEntry: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = aclOf(s, input['NetworkAclId']);
  const old = existing(a, input);
  a.entries = a.entries.map((x) => (x === old ? entryOf(input) : x));
  s.networkAcls.set(a.id, a);
  return {};
};

export const deleteNetworkAclEntry: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const a = aclOf(s, input['NetworkAclId']);
  const old = existing(a, input);
  a.entries = a.entries.filter((x) => x !== old);
  s.networkAcls.set(a.id, a);
  return {};
};

export const replaceNetworkAclAssociation: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const id = String(input['AssociationId']);
  const from = [...s.networkAcls.values()].find((a) => a.associations.some((x) => x.id === id));
  if (from === undefined) throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`, 400);
  const to = aclOf(s, input['NetworkAclId']);
  if (to.vpcId !== from.vpcId) throw invalidParam(`Network ACL ${to.id} belongs to a different network`);
  const assoc = from.associations.find((x) => x.id === id)!;
  from.associations = from.associations.filter((x) => x !== assoc);
  const next = { id: awsId('aclassoc'), subnetId: assoc.subnetId };
  to.associations.push(next);
  s.networkAcls.set(from.id, from);
  s.networkAcls.set(to.id, to);
  return { NewAssociationId: next.id };
};
