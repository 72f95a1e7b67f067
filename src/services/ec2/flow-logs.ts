/**
 * VPC flow logs: CreateFlowLogs, DescribeFlowLogs, DeleteFlowLogs. A flow log watches a VPC,
 * subnet, network interface or transit gateway (attachment) and names where records go:
 * a CloudWatch Logs group written as the DeliverLogsPermissionArn role, or an S3 bucket
 * written by the log delivery service. Records come from simulated traffic (see traffic.ts).
 */
import { AwsError } from '../../core/errors.js';
import { arn, awsId } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { eniNotFound, invalidParam, missingParam, subnetNotFound, vpcNotFound } from './errors.js';
import { grantS3Delivery } from './flow-log-delivery.js';
import { DEFAULT_FORMAT, parseFormat } from './flow-log-format.js';
import { ec2State, type Ec2State, type Tag } from './store.js';
import { tagsFor } from './tags.js';
import { attachments, tgws } from './tgw-store.js';

export interface FlowLogRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  resourceId: string;
  resourceType: string;
  /** Absent for transit gateway flow logs (they capture all traffic). */
  trafficType?: 'ACCEPT' | 'REJECT' | 'ALL';
  destinationType: 'cloud-watch-logs' | 's3' | 'kinesis-data-firehose';
  /** The log group's ARN, the bucket ARN (with optional prefix) or the Firehose stream ARN. */
  destination: string;
  logGroupName?: string;
  roleArn?: string;
  format: string;
  maxAggregationInterval: number;
  deliverStatus: 'SUCCESS' | 'FAILED';
  deliverError?: string;
  /** S3: per-file options (plain-text is the only format Drydock writes). */
  hivePartitions: boolean;
  perHourPartition: boolean;
}

export const flowLogs = (s: Ec2State) => s.extra<FlowLogRecord>('flowLogs');

// Flow logs per VPC, subnet or network interface (a quota AWS does not raise).
const PER_RESOURCE = 2;
const TYPES = ['VPC', 'Subnet', 'NetworkInterface', 'TransitGateway', 'TransitGatewayAttachment'];

/** The error for a resource that does not exist, or undefined when it does. */
function missing(s: Ec2State, type: string, id: string): AwsError | undefined {
  switch (type) {
    case 'VPC': return s.vpcs.has(id) ? undefined : vpcNotFound(id);
    case 'Subnet': return s.subnets.has(id) ? undefined : subnetNotFound(id);
    case 'NetworkInterface': return s.enis.has(id) ? undefined : eniNotFound(id);
    case 'TransitGateway': return tgws(s).has(id) ? undefined : new AwsError('InvalidTransitGatewayID.NotFound', `Transit Gateway ${id} was deleted or does not exist.`, 400);
    default: return attachments(s).has(id) ? undefined : new AwsError('InvalidTransitGatewayAttachmentID.NotFound', `Transit Gateway Attachment ${id} was deleted or does not exist.`, 400);
  }
}

interface Destination { type: FlowLogRecord['destinationType']; destination: string; logGroupName?: string; roleArn?: string }

function destinationOf(input: Record<string, unknown>, ctx: ServiceContext): Destination {
  const type = String(input['LogDestinationType'] ?? 'cloud-watch-logs') as Destination['type'];
  const given = input['LogDestination'] as string | undefined;
  const role = input['DeliverLogsPermissionArn'] as string | undefined;
  if (type === 'cloud-watch-logs') {
    const group = (input['LogGroupName'] as string | undefined) ?? given?.split(':log-group:')[1]?.replace(/:\*$/, '');
    if (input['LogGroupName'] !== undefined && given !== undefined) throw new AwsError('InvalidParameter', 'Please only provide LogGroupName or only provide LogDestination.', 400);
    if (group === undefined || group === '') throw new AwsError('InvalidParameter', 'LogDestination must be a valid CloudWatch Logs log group ARN when LogGroupName is not given.', 400);
    if (role === undefined) throw new AwsError('InvalidParameter', 'DeliverLogsPermissionArn is required for cloud-watch-logs delivery.', 400);
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(role)) throw new AwsError('InvalidParameter', `DeliverLogsPermissionArn ${role} is not a valid role ARN.`, 400);
    return { type, destination: arn({ service: 'logs', region: ctx.region, account: ctx.account, resource: `log-group:${group}` }), logGroupName: group, roleArn: role };
  }
  if (type === 's3') {
    if (role !== undefined) throw new AwsError('InvalidParameter', 'DeliverLogsPermissionArn is not applicable for s3 delivery.', 400);
    if (input['LogGroupName'] !== undefined) throw new AwsError('InvalidParameter', 'LogGroupName is not applicable for s3 delivery.', 400);
    if (given === undefined || !/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(given)) {
      throw new AwsError('InvalidParameter', `LogDestination: ${given ?? '(missing)'} is not a valid S3 bucket ARN.`, 400);
    }
    if (/\/AWSLogs(\/|$)/.test(given)) throw new AwsError('InvalidParameter', 'LogDestination: the prefix cannot contain AWSLogs.', 400);
    return { type, destination: given.replace(/\/$/, '') };
  }
  if (type === 'kinesis-data-firehose') {
    if (given === undefined || !/^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream\/.+/.test(given)) {
      throw new AwsError('InvalidParameter', `LogDestination: ${given ?? '(missing)'} is not a valid Kinesis Data Firehose delivery stream ARN.`, 400);
    }
    return { type, destination: given };
  }
  throw invalidParam(`Value (${type}) for parameter LogDestinationType is invalid. Valid values: cloud-watch-logs, s3, kinesis-data-firehose.`);
}

export const createFlowLogs: Handler = async (input, ctx) => {
  const s = ec2State(ctx);
  const type = String(input['ResourceType'] ?? '');
  if (!TYPES.includes(type)) throw invalidParam(`Value (${type}) for parameter ResourceType is invalid. Valid values: ${TYPES.join(', ')}.`);
  const ids = Array.isArray(input['ResourceIds']) ? (input['ResourceIds'] as string[]) : [];
  if (ids.length === 0) throw missingParam('ResourceIds');
  const tgw = type.startsWith('Transit');
  if (ids.length > (tgw ? 25 : 1000)) throw invalidParam(`Too many ResourceIds: at most ${tgw ? 25 : 1000} for ${type}.`);
  const traffic = input['TrafficType'] as FlowLogRecord['trafficType'];
  if (tgw && traffic !== undefined) throw new AwsError('InvalidParameter', 'TrafficType is not supported for transit gateway flow logs.', 400);
  if (!tgw && traffic === undefined) throw missingParam('TrafficType');
  const interval = input['MaxAggregationInterval'] === undefined ? 600 : Number(input['MaxAggregationInterval']);
  if (interval !== 60 && interval !== 600) throw invalidParam(`Value (${interval}) for parameter MaxAggregationInterval is invalid. Valid values: 60, 600.`);
  if (tgw && interval !== 60) throw invalidParam('MaxAggregationInterval must be 60 for transit gateway flow logs.');
  const format = input['LogFormat'] === undefined ? DEFAULT_FORMAT : String(input['LogFormat']);
  parseFormat(format);
  const dest = destinationOf(input, ctx);
  const options = (input['DestinationOptions'] ?? {}) as { FileFormat?: string; HiveCompatiblePartitions?: boolean; PerHourPartition?: boolean };
  if (options.FileFormat !== undefined && options.FileFormat !== 'plain-text') throw invalidParam('Only the plain-text FileFormat is supported by Drydock.');
  const flowLogIds: string[] = [];
  const unsuccessful: unknown[] = [];
  const existing = [...flowLogs(s).values()];
  for (const id of ids) {
    const err = missing(s, type, id);
    const same = existing.filter((f) => f.resourceId === id);
    const fail = (code: string, message: string) => unsuccessful.push({ ResourceId: id, Error: { Code: code, Message: message } });
    if (err !== undefined) fail(err.code, err.message);
    else if (same.some((f) => f.trafficType === traffic && f.destination === dest.destination)) fail('FlowLogAlreadyExists', 'Error. There is an existing Flow Log with the same configuration and log destination.');
    else if (same.length >= PER_RESOURCE) fail('FlowLogsLimitExceeded', `The maximum number of flow logs (${PER_RESOURCE}) for ${id} has been reached.`);
    else {
      const f: FlowLogRecord = {
        id: awsId('fl'), tags: tagsFor(input, 'vpc-flow-log'), createdMs: ctx.clock.nowMs(), resourceId: id, resourceType: type, trafficType: traffic,
        destinationType: dest.type, destination: dest.destination, logGroupName: dest.logGroupName, roleArn: dest.roleArn, format, maxAggregationInterval: interval,
        deliverStatus: 'SUCCESS', hivePartitions: options.HiveCompatiblePartitions === true, perHourPartition: options.PerHourPartition === true,
      };
      flowLogs(s).set(f.id, f);
      flowLogIds.push(f.id);
    }
  }
  if (dest.type === 's3' && flowLogIds.length > 0) await grantS3Delivery(ctx, dest.destination);
  return { ClientToken: input['ClientToken'], FlowLogIds: flowLogIds, Unsuccessful: unsuccessful };
};

function flowLogOut(f: FlowLogRecord) {
  return {
    CreationTime: new Date(f.createdMs), DeliverLogsErrorMessage: f.deliverError, DeliverLogsPermissionArn: f.roleArn, DeliverLogsStatus: f.deliverStatus,
    FlowLogId: f.id, FlowLogStatus: 'ACTIVE', LogGroupName: f.logGroupName, ResourceId: f.resourceId, TrafficType: f.trafficType,
    LogDestinationType: f.destinationType, LogDestination: f.destination,
    LogFormat: f.format, Tags: f.tags, MaxAggregationInterval: f.maxAggregationInterval,
    ...(f.destinationType === 's3' ? { DestinationOptions: { FileFormat: 'plain-text', HiveCompatiblePartitions: f.hivePartitions, PerHourPartition: f.perHourPartition } } : {}),
  };
}

export const describeFlowLogs: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const wanted = Array.isArray(input['FlowLogIds']) ? new Set(input['FlowLogIds'] as string[]) : undefined;
  // DescribeFlowLogs lists what matches; unknown ids are simply absent from the answer.
  const page = describe({
    items: [...flowLogs(s).values()].filter((f) => wanted === undefined || wanted.has(f.id)), idOf: (f) => f.id, tagsOf: (f) => f.tags,
    notFound: (ids) => invalidParam(`unexpected ids ${ids.join(', ')}`),
    fields: {
      'deliver-log-status': (f) => f.deliverStatus, 'log-destination-type': (f) => f.destinationType, 'flow-log-id': (f) => f.id,
      'log-group-name': (f) => f.logGroupName, 'resource-id': (f) => f.resourceId, 'traffic-type': (f) => f.trafficType,
    },
    filters: input['Filter'], maxResults: input['MaxResults'], nextToken: input['NextToken'], maxRange: [1, 1000],
  });
  return { FlowLogs: page.items.map(flowLogOut), NextToken: page.nextToken };
};

export const deleteFlowLogs: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const ids = Array.isArray(input['FlowLogIds']) ? (input['FlowLogIds'] as string[]) : [];
  if (ids.length === 0) throw missingParam('FlowLogIds');
  if (ids.length > 1000) throw invalidParam('Too many FlowLogIds: at most 1000.');
  const unsuccessful: unknown[] = [];
  for (const id of ids) {
    if (!flowLogs(s).delete(id)) unsuccessful.push({ ResourceId: id, Error: { Code: 'InvalidFlowLogId.NotFound', Message: `Flow log ${id} does not exist` } });
  }
  return { Unsuccessful: unsuccessful };
};

/** Flow logs of an account × region that watch `eniId` (directly, or through its subnet or VPC) and capture `action`. */
export function flowLogsFor(s: Ec2State, eni: { id: string; subnetId: string; vpcId: string }, action: 'ACCEPT' | 'REJECT'): FlowLogRecord[] {
  return [...flowLogs(s).values()].filter((f) => [eni.id, eni.subnetId, eni.vpcId].includes(f.resourceId)
    && (f.trafficType === 'ALL' || f.trafficType === action));
}
