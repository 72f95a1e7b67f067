/**
 * Delivering flow log records as AWS does. CloudWatch Logs: the flow log's
 * DeliverLogsPermissionArn role is assumed by `vpc-flow-logs.amazonaws.com` (its trust
 * policy decides) and the records go to a stream per network interface. S3: the log delivery
 * service (`delivery.logs.amazonaws.com`) puts a gzipped file under
 * `AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd/`, which the bucket policy must allow.
 * A failure marks the flow log `DeliverLogsStatus: FAILED`, as on AWS.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { asAwsError } from '../../core/errors.js';
import { servicePrincipal } from '../../core/identity.js';
import { roleSession } from '../role-sessions.js';
import type { ServiceContext, ServiceHost } from '../types.js';
import { renderRecord } from './flow-log-format.js';
import { flowLogs, type FlowLogRecord } from './flow-logs.js';
import { stateOf } from './store.js';

export interface PendingRecord {
  account: string;
  region: string;
  flowLog: FlowLogRecord;
  eniId: string;
  values: Record<string, string | number | undefined>;
}

export interface DeliveredRecord { eniId: string; action: string; flowLogId: string; record: string; delivered: boolean; error?: string }

/** Writes every pending record to its flow log's destination; reports each one. */
export async function deliverRecords(host: ServiceHost, pending: PendingRecord[]): Promise<DeliveredRecord[]> {
  const byLog = new Map<string, PendingRecord[]>();
  for (const p of pending) byLog.set(p.flowLog.id, [...(byLog.get(p.flowLog.id) ?? []), p]);
  const out: DeliveredRecord[] = [];
  for (const group of byLog.values()) {
    const { flowLog: f, account, region } = group[0]!;
    const lines = group.map((p) => ({ eniId: p.eniId, action: String(p.values['action']), record: renderRecord(f.format, p.values), at: Number(p.values['start']) * 1000 }));
    let error: string | undefined;
    try {
      if (f.destinationType === 'cloud-watch-logs') await toLogs(host, f, account, region, lines);
      else if (f.destinationType === 's3') await toS3(host, f, account, region, lines);
      else throw new Error('Drydock does not deliver to Kinesis Data Firehose');
    } catch (e) {
      const code = asAwsError(e).code;
      error = /AccessDenied|NotAuthorized|Unauthorized/i.test(code) ? 'Access error' : 'Unknown error';
      if (process.env['DRYDOCK_DEBUG']) console.error(`ec2: flow log ${f.id} delivery failed:`, e);
    }
    markDelivery(host, account, region, f.id, error);
    for (const l of lines) out.push({ eniId: l.eniId, action: l.action, flowLogId: f.id, record: l.record, delivered: error === undefined, ...(error ? { error } : {}) });
  }
  return out;
}

function markDelivery(host: ServiceHost, account: string, region: string, id: string, error: string | undefined): void {
  const logs = flowLogs(stateOf(host.stores, account, region));
  const f = logs.get(id);
  if (f === undefined) return;
  f.deliverStatus = error === undefined ? 'SUCCESS' : 'FAILED';
  f.deliverError = error;
  logs.set(f.id, f);
}

type Line = { eniId: string; record: string; at: number };

async function toLogs(host: ServiceHost, f: FlowLogRecord, account: string, region: string, lines: Line[]): Promise<void> {
  const session = await roleSession(host, 'vpc-flow-logs.amazonaws.com', f.roleArn!, account, region);
  const call = (operation: string, input: Record<string, unknown>) =>
    host.call({ service: 'logs', operation, input, principal: session.principal, accessKeyId: session.accessKeyId, region, json: true });
  for (const eniId of new Set(lines.map((l) => l.eniId))) {
    // One stream per network interface, as AWS names them.
    const logStreamName = `${eniId}-all`;
    await call('CreateLogStream', { logGroupName: f.logGroupName, logStreamName }).catch((e: unknown) => {
      if (asAwsError(e).code !== 'ResourceAlreadyExistsException') throw e;
    });
    const logEvents = lines.filter((l) => l.eniId === eniId).map((l) => ({ timestamp: l.at, message: l.record }));
    await call('PutLogEvents', { logGroupName: f.logGroupName, logStreamName, logEvents });
  }
}

async function toS3(host: ServiceHost, f: FlowLogRecord, account: string, region: string, lines: Line[]): Promise<void> {
  const [bucket, ...rest] = f.destination.slice(f.destination.indexOf(':::') + 3).split('/');
  const prefix = rest.filter(Boolean).join('/');
  const now = host.clock.now();
  const [yyyy, mm, dd, hh, min] = [now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes()].map((n, i) => String(n).padStart(i === 0 ? 4 : 2, '0'));
  const folder = f.hivePartitions
    ? `AWSLogs/aws-account-id=${account}/aws-service=vpcflowlogs/aws-region=${region}/year=${yyyy}/month=${mm}/day=${dd}${f.perHourPartition ? `/hour=${hh}` : ''}`
    : `AWSLogs/${account}/vpcflowlogs/${region}/${yyyy}/${mm}/${dd}${f.perHourPartition ? `/${hh}` : ''}`;
  // S3 files start with a header naming the fields.
  const header = f.format.replace(/\$\{([a-z0-9-]+)\}/g, '$1');
  const body = gzipSync(Buffer.from([header, ...lines.map((l) => l.record)].join('\n') + '\n'));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 8);
  const Key = `${prefix ? `${prefix}/` : ''}${folder}/${account}_vpcflowlogs_${region}_${f.id}_${yyyy}${mm}${dd}T${hh}${min}Z_${hash}.log.gz`;
  await host.call({
    service: 's3', operation: 'PutObject', region, principal: servicePrincipal('delivery.logs.amazonaws.com', account),
    input: { Bucket: bucket, Key, Body: body, ContentType: 'application/x-gzip', ACL: 'bucket-owner-full-control' },
    sourceAccount: account, sourceArn: `arn:aws:logs:${region}:${account}:*`,
  });
}

/**
 * As AWS does when a flow log to S3 is created: if the bucket's policy does not yet let the log
 * delivery service write, add the two statements it needs, made as the caller (so it takes
 * s3:GetBucketPolicy and s3:PutBucketPolicy). Best effort: without them delivery fails later.
 */
export async function grantS3Delivery(ctx: ServiceContext, bucketArn: string): Promise<void> {
  const [bucket, ...rest] = bucketArn.slice(bucketArn.indexOf(':::') + 3).split('/');
  const prefix = rest.filter(Boolean).join('/');
  let doc: { Version?: string; Statement?: { Sid?: string }[] } = { Version: '2012-10-17', Statement: [] };
  try {
    const out = await ctx.call({ service: 's3', operation: 'GetBucketPolicy', input: { Bucket: bucket } });
    doc = JSON.parse(String(out['Policy'])) as typeof doc;
  } catch (e) {
    if (asAwsError(e).code !== 'NoSuchBucketPolicy') return;
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [];
  if (statements.some((st) => st.Sid === 'AWSLogDeliveryWrite')) return;
  const delivery = { Service: 'delivery.logs.amazonaws.com' };
  const condition = { StringEquals: { 'aws:SourceAccount': ctx.account } };
  statements.push(
    { Sid: 'AWSLogDeliveryWrite', Effect: 'Allow', Principal: delivery, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/${ctx.account}/*`, Condition: condition } as { Sid: string },
    { Sid: 'AWSLogDeliveryAclCheck', Effect: 'Allow', Principal: delivery, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}`, Condition: condition } as { Sid: string },
  );
  await ctx.call({ service: 's3', operation: 'PutBucketPolicy', input: { Bucket: bucket, Policy: JSON.stringify({ ...doc, Statement: statements }) } }).catch(() => undefined);
}
