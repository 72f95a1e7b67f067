/**
 * Query logging configs and their VPC associations. The DNS server reports every query from
 * a VPC; each is kept with its config (the latest 1,000, readable by other services such as
 * GuardDuty) and, for a CloudWatch Logs destination, written to the log group when Logs is built.
 */
import { servicePrincipal } from '../../core/identity.js';
import type { Handler, ServiceContext, ServiceHost } from '../types.js';
import { byRequestId, checkVpcId, filtered, isoNow, page, tagMap } from './common.js';
import { exists, invalidParameter, notFound, queryLogConfigNotFound } from './errors.js';
import { arnOf, resolverId, stateOf, type QueryLogConfigRecord } from './store.js';

const KEEP = 1000;

function configOut(ctx: ServiceContext, c: QueryLogConfigRecord, status = 'CREATED'): Record<string, unknown> {
  const { tags: _t, ...rest } = c;
  const count = [...stateOf(ctx.stores, ctx.account, ctx.region).queryLogAssociations.values()].filter((a) => a.ResolverQueryLogConfigId === c.Id).length;
  return { ...rest, Status: status, ShareStatus: 'NOT_SHARED', AssociationCount: count };
}

export const createQueryLogConfig: Handler = async (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account, ctx.region);
  const reqId = String(input['CreatorRequestId']);
  if (byRequestId(state.queryLogConfigs, reqId)) throw exists(`[RSLVR-01600] A query logging configuration with creator request ID "${reqId}" already exists.`);
  const dest = String(input['DestinationArn']);
  if (!/^arn:aws[a-z-]*:(logs|s3|firehose):/.test(dest)) throw invalidParameter(`[RSLVR-01602] Invalid destination ARN "${dest}": it must be a CloudWatch Logs log group, an S3 bucket or a Kinesis Data Firehose stream.`, 'DestinationArn');
  const id = resolverId('rqlc');
  const c: QueryLogConfigRecord = {
    Id: id, OwnerId: ctx.account, Arn: arnOf(ctx.region, ctx.account, 'resolver-query-log-config', id), Name: String(input['Name']), DestinationArn: dest,
    CreatorRequestId: reqId, CreationTime: isoNow(ctx.clock.nowMs()), tags: tagMap(input['Tags']),
  };
  state.queryLogConfigs.set(id, c);
  if (dest.includes(':logs:')) await allowDelivery(ctx, dest);
  return { ResolverQueryLogConfig: configOut(ctx, c) };
};

/**
 * As AWS does for vended logs, lets the log delivery service write to the destination group:
 * an account resource policy for `delivery.logs.amazonaws.com`, made as the caller (so it needs
 * logs:PutResourcePolicy). Best effort: without it the records stay in Resolver's own log.
 */
async function allowDelivery(ctx: ServiceContext, arn: string): Promise<void> {
  const group = arn.replace(/:\*$/, '');
  const policyDocument = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'AWSLogDeliveryWrite', Effect: 'Allow', Principal: { Service: DELIVERY }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [group, `${group}:*`] }],
  });
  await ctx.call({
    service: 'logs', operation: 'PutResourcePolicy', input: { policyName: `AWSLogDeliveryWrite-${group.split(':log-group:')[1]}`.slice(0, 255), policyDocument },
    json: true,
  }).catch(() => undefined);
}

const DELIVERY = 'delivery.logs.amazonaws.com';

function getConfig(ctx: ServiceContext, id: unknown): QueryLogConfigRecord {
  const c = stateOf(ctx.stores, ctx.account, ctx.region).queryLogConfigs.get(String(id));
  if (!c) throw queryLogConfigNotFound(ctx.requestId);
  return c;
}

export const getQueryLogConfig: Handler = (input, ctx) => ({ ResolverQueryLogConfig: configOut(ctx, getConfig(ctx, input['ResolverQueryLogConfigId'])) });

export const deleteQueryLogConfig: Handler = (input, ctx) => {
  const c = getConfig(ctx, input['ResolverQueryLogConfigId']);
  const out = configOut(ctx, c, 'DELETING');
  stateOf(ctx.stores, ctx.account, ctx.region).queryLogConfigs.delete(c.Id);
  return { ResolverQueryLogConfig: out };
};

export const listQueryLogConfigs: Handler = (input, ctx) => {
  const all = filtered([...stateOf(ctx.stores, ctx.account, ctx.region).queryLogConfigs.values()].map((c) => configOut(ctx, c)), input['Filters']);
  const p = page(all, input);
  return { ResolverQueryLogConfigs: p.items, TotalCount: all.length, TotalFilteredCount: all.length, ...(p.next ? { NextToken: p.next } : {}) };
};

const assocOut = (a: { Id: string; ResolverQueryLogConfigId: string; ResourceId: string; CreationTime: string }, status = 'ACTIVE') =>
  ({ ...a, Status: status, Error: 'NONE', ErrorMessage: '' });

export const associateQueryLogConfig: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account, ctx.region);
  const c = getConfig(ctx, input['ResolverQueryLogConfigId']);
  const vpc = checkVpcId(input['ResourceId']);
  if ([...state.queryLogAssociations.values()].some((a) => a.ResolverQueryLogConfigId === c.Id && a.ResourceId === vpc)) {
    throw exists(`[RSLVR-01603] The VPC "${vpc}" is already associated with the query logging configuration "${c.Id}".`);
  }
  const a = { Id: resolverId('qlcassoc'), ResolverQueryLogConfigId: c.Id, ResourceId: vpc, CreationTime: isoNow(ctx.clock.nowMs()) };
  state.queryLogAssociations.set(a.Id, a);
  return { ResolverQueryLogConfigAssociation: assocOut(a, 'CREATING') };
};

export const disassociateQueryLogConfig: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account, ctx.region);
  const a = [...state.queryLogAssociations.values()].find((x) => x.ResolverQueryLogConfigId === input['ResolverQueryLogConfigId'] && x.ResourceId === input['ResourceId']);
  if (!a) throw notFound(`[RSLVR-01604] The query logging configuration "${String(input['ResolverQueryLogConfigId'])}" is not associated with "${String(input['ResourceId'])}".`);
  state.queryLogAssociations.delete(a.Id);
  return { ResolverQueryLogConfigAssociation: assocOut(a, 'DELETING') };
};

export const getQueryLogAssociation: Handler = (input, ctx) => {
  const a = stateOf(ctx.stores, ctx.account, ctx.region).queryLogAssociations.get(String(input['ResolverQueryLogConfigAssociationId']));
  if (!a) throw notFound(`[RSLVR-01605] The query logging association "${String(input['ResolverQueryLogConfigAssociationId'])}" does not exist.`);
  return { ResolverQueryLogConfigAssociation: assocOut(a) };
};

export const listQueryLogAssociations: Handler = (input, ctx) => {
  const all = filtered([...stateOf(ctx.stores, ctx.account, ctx.region).queryLogAssociations.values()].map((a) => assocOut(a)), input['Filters']);
  const p = page(all, input);
  return { ResolverQueryLogConfigAssociations: p.items, TotalCount: all.length, TotalFilteredCount: all.length, ...(p.next ? { NextToken: p.next } : {}) };
};

/** Appends a query to the logs of every config associated with its VPC, in any account and Region. */
export function logQuery(host: ServiceHost, entry: { vpcId: string; name: string; type: string; rcode: string; srcIp: string; answers: string[] }): void {
  for (const { account, region } of host.stores.accountsRegions('route53resolver')) {
    const state = stateOf(host.stores, account, region);
    for (const a of state.queryLogAssociations.values()) {
      if (a.ResourceId !== entry.vpcId) continue;
      const config = state.queryLogConfigs.get(a.ResolverQueryLogConfigId);
      if (!config) continue;
      // The fields of a Resolver query log record, as AWS documents them.
      const record = {
        version: '1.100000', account_id: account, region, vpc_id: entry.vpcId, query_timestamp: host.clock.now().toISOString(),
        query_name: entry.name.endsWith('.') ? entry.name : `${entry.name}.`, query_type: entry.type, query_class: 'IN', rcode: entry.rcode,
        answers: entry.answers.map((x) => ({ Rdata: x.slice(x.indexOf(' ') + 1), Type: x.split(' ')[0], Class: 'IN' })),
        srcaddr: entry.srcIp, srcport: '0', transport: 'UDP', srcids: { instance: '' },
      };
      const log = [...(state.queryLog.get(config.Id) ?? []), record].slice(-KEEP);
      state.queryLog.set(config.Id, log);
      host.bus.publish('route53resolver:query', { account, region, configId: config.Id, destinationArn: config.DestinationArn, record });
      if (config.DestinationArn.includes(':logs:')) void writeToLogs(host, account, region, config.DestinationArn, record);
    }
  }
}

async function writeToLogs(host: ServiceHost, account: string, region: string, arn: string, record: object): Promise<void> {
  const group = arn.split(':log-group:')[1]?.replace(/:\*$/, '');
  if (!group) return;
  const principal = servicePrincipal(DELIVERY, account);
  const call = (operation: string, input: Record<string, unknown>) => host.call({ service: 'logs', operation, input, principal, region, json: true });
  const stream = `vpc-query-logs/${account}`;
  try {
    await call('CreateLogStream', { logGroupName: group, logStreamName: stream }).catch(() => undefined);
    await call('PutLogEvents', { logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: host.clock.nowMs(), message: JSON.stringify(record) }] });
  } catch (e) {
    // Logs may not be built or the group may be gone: the record stays in Resolver's own log.
    if (process.env['DRYDOCK_DEBUG']) console.error('route53resolver: query log delivery failed:', e);
  }
}

declare module '../../core/event-bus.js' {
  interface BusTopics {
    'route53resolver:query': { account: string; region: string; configId: string; destinationArn: string; record: Record<string, unknown> };
  }
}
