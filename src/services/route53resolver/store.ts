/** Route 53 Resolver state of one account × region: endpoints, rules, associations, query logging. */
import type { Collection, Stores } from '../../core/store.js';
import { randomHex } from '../../core/ids.js';

export interface EndpointIp { IpId: string; SubnetId: string; Ip: string; CreationTime: string }

export interface EndpointRecord {
  Id: string; CreatorRequestId: string; Arn: string; Name?: string; SecurityGroupIds: string[]; Direction: 'INBOUND' | 'OUTBOUND';
  HostVPCId: string; ips: EndpointIp[]; CreationTime: string; ModificationTime: string; createdMs: number; tags: Record<string, string>;
}

export interface RuleRecord {
  Id: string; CreatorRequestId: string; Arn: string; DomainName: string; RuleType: string; Name?: string;
  TargetIps?: { Ip: string; Port: number }[]; ResolverEndpointId?: string; OwnerId: string; CreationTime: string; ModificationTime: string;
  tags: Record<string, string>;
  /** The sharing policy (PutResolverRulePolicy), JSON text. */
  policy?: string;
}

export interface RuleAssociationRecord { Id: string; ResolverRuleId: string; Name?: string; VPCId: string }

export interface QueryLogConfigRecord {
  Id: string; OwnerId: string; Arn: string; Name: string; DestinationArn: string; CreatorRequestId: string; CreationTime: string;
  tags: Record<string, string>;
}

export interface QueryLogAssociationRecord { Id: string; ResolverQueryLogConfigId: string; ResourceId: string; CreationTime: string }

export interface ResolverState {
  endpoints: Collection<EndpointRecord>;
  rules: Collection<RuleRecord>;
  ruleAssociations: Collection<RuleAssociationRecord>;
  queryLogConfigs: Collection<QueryLogConfigRecord>;
  queryLogAssociations: Collection<QueryLogAssociationRecord>;
  /** Logged queries per config (the latest 1,000), for GuardDuty and for readers without CloudWatch Logs. */
  queryLog: Collection<Record<string, unknown>[]>;
}

export function stateOf(stores: Stores, account: string, region: string): ResolverState {
  return stores.scope('route53resolver', account, region, (c) => ({
    endpoints: c.collection<EndpointRecord>('endpoints'),
    rules: c.collection<RuleRecord>('rules'),
    ruleAssociations: c.collection<RuleAssociationRecord>('ruleAssociations'),
    queryLogConfigs: c.collection<QueryLogConfigRecord>('queryLogConfigs'),
    queryLogAssociations: c.collection<QueryLogAssociationRecord>('queryLogAssociations'),
    queryLog: c.collection<Record<string, unknown>[]>('queryLog'),
  }));
}

/** Resolver ids: `rslvr-<kind>-` and 17 hex characters. */
export const resolverId = (kind: string): string => `rslvr-${kind}-${randomHex(17)}`;

export const arnOf = (region: string, account: string, type: string, id: string): string => `arn:aws:route53resolver:${region}:${account}:${type}/${id}`;
