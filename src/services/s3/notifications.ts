/**
 * Event notifications: PutBucketNotificationConfiguration / GetBucketNotificationConfiguration,
 * and the events S3 raises for object changes, published on the internal bus so that SQS, SNS,
 * Lambda and EventBridge can deliver them without S3 importing those services.
 *
 * Topics (declared below):
 * - `s3:notification`: one event per matching queue, topic or function configuration, with the
 *   message body exactly as S3 delivers it (`{"Records":[…]}`, or the `s3:TestEvent` sent when
 *   a configuration is saved).
 * - `s3:eventbridge`: one event per object change on a bucket with EventBridge enabled, as the
 *   EventBridge envelope fields (`source` `aws.s3`, `detail-type`, `detail`, …) for the bucket's
 *   account and region default event bus.
 */
import { randomUUID } from 'node:crypto';
import type { BusEvent } from '../../core/event-bus.js';
import { parseArn } from '../../core/ids.js';
import type { ServiceContext } from '../types.js';
import { requireBucket, str } from './common.js';
import { invalidArgument, malformedXml } from './errors.js';
import { bucketArn, randomId, s3Global, type BucketRecord } from './store.js';

type In = Record<string, unknown>;

/** A message for one notification destination. `account`/`region` are the bucket's. */
export interface S3NotificationEvent extends BusEvent {
  bucket: string;
  destination: { type: 'sqs' | 'sns' | 'lambda'; arn: string };
  configurationId?: string;
  /** `ObjectCreated:Put`, …, or `s3:TestEvent`. */
  eventName: string;
  /** The body S3 sends: JSON text. */
  message: string;
}

/** An S3 event for EventBridge (the envelope; EventBridge adds nothing but routing). */
export interface S3EventBridgeEvent extends BusEvent {
  id: string;
  source: 'aws.s3';
  detailType: string;
  time: string;
  resources: string[];
  detail: Record<string, unknown>;
}

declare module '../../core/event-bus.js' {
  interface BusTopics {
    's3:notification': S3NotificationEvent;
    's3:eventbridge': S3EventBridgeEvent;
  }
}

const EVENT_NAMES = new Set([
  'ObjectCreated:*', 'ObjectCreated:Put', 'ObjectCreated:Post', 'ObjectCreated:Copy', 'ObjectCreated:CompleteMultipartUpload',
  'ObjectRemoved:*', 'ObjectRemoved:Delete', 'ObjectRemoved:DeleteMarkerCreated',
  'ObjectRestore:*', 'ObjectRestore:Post', 'ObjectRestore:Completed', 'ObjectRestore:Delete', 'ReducedRedundancyLostObject',
  'Replication:*', 'Replication:OperationFailedReplication', 'Replication:OperationNotTracked', 'Replication:OperationMissedThreshold',
  'Replication:OperationReplicatedAfterThreshold', 'LifecycleExpiration:*', 'LifecycleExpiration:Delete',
  'LifecycleExpiration:DeleteMarkerCreated', 'LifecycleTransition', 'IntelligentTiering', 'ObjectTagging:*', 'ObjectTagging:Put',
  'ObjectTagging:Delete', 'ObjectAcl:Put',
]);

const KINDS = [
  ['QueueConfigurations', 'QueueArn', 'Queue', 'sqs'],
  ['TopicConfigurations', 'TopicArn', 'Topic', 'sns'],
  ['LambdaFunctionConfigurations', 'LambdaFunctionArn', 'CloudFunction', 'lambda'],
] as const;

/** PutBucketNotificationConfiguration: replaces the configuration and sends S3's test event. */
export function putBucketNotificationConfiguration(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const conf = { ...((input['NotificationConfiguration'] ?? {}) as In) };
  for (const [list, arnMember, argument, service] of KINDS) {
    const configs = conf[list] as In[] | undefined;
    if (!configs) continue;
    conf[list] = configs.map((c) => {
      const arn = str(c, arnMember) ?? '';
      const parsed = parseArn(arn);
      if (!parsed || parsed.service !== service) throw invalidArgument('The ARN could not be parsed', argument, arn);
      for (const e of (c['Events'] as string[] | undefined) ?? []) {
        if (!e.startsWith('s3:') || !EVENT_NAMES.has(e.slice(3))) throw invalidArgument('The event is not supported for notifications', 'Event', e);
      }
      const rules = ((c['Filter'] as In | undefined)?.['Key'] as In | undefined)?.['FilterRules'] as In[] | undefined;
      for (const r of rules ?? []) {
        const name = String(r['Name'] ?? '');
        if (!/^(prefix|suffix)$/i.test(name)) throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule', name);
      }
      return { ...c, Id: str(c, 'Id') ?? randomId(48) };
    });
  }
  for (const k of Object.keys(conf)) if (!['QueueConfigurations', 'TopicConfigurations', 'LambdaFunctionConfigurations', 'EventBridgeConfiguration'].includes(k)) throw malformedXml();
  bucket.notification = conf;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  sendTestEvents(ctx, bucket);
  return {};
}

/** GetBucketNotificationConfiguration: empty when none is set. */
export function getBucketNotificationConfiguration(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  return { ...(bucket.notification ?? {}) };
}

/** S3 confirms a new configuration with a test message to each queue and topic. */
function sendTestEvents(ctx: ServiceContext, bucket: BucketRecord): void {
  const time = ctx.clock.now().toISOString();
  for (const [list, arnMember, , service] of KINDS) {
    if (service === 'lambda') continue;
    for (const c of (bucket.notification?.[list] as In[] | undefined) ?? []) {
      const message = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: time, Bucket: bucket.name, RequestId: ctx.requestId, HostId: hostId(ctx) });
      ctx.bus.publish('s3:notification', {
        account: bucket.account, region: bucket.region, bucket: bucket.name, destination: { type: service, arn: String(c[arnMember]) },
        configurationId: str(c, 'Id'), eventName: 's3:TestEvent', message,
      });
    }
  }
}

function hostId(ctx: Pick<ServiceContext, 'requestId'>): string {
  return Buffer.from(ctx.requestId).toString('base64');
}

/** An object change, as the handlers report it. */
export interface ObjectEvent {
  /** e.g. `ObjectCreated:Put`, `ObjectRemoved:DeleteMarkerCreated`. */
  name: string;
  key: string;
  size?: number;
  /** Quoted or bare; reported bare. */
  etag?: string;
  versionId?: string;
  /** EventBridge `reason` (PutObject, CopyObject, DeleteObject, Lifecycle Expiration, …). */
  reason?: string;
}

let sequence = 0;

function sequencer(nowMs: number): string {
  sequence = (sequence + 1) % 0x10000;
  return `${nowMs.toString(16).toUpperCase().padStart(12, '0')}${sequence.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** S3 URL-encodes keys in notification records (form style: spaces as `+`, slashes kept). */
function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

function principalId(p: ServiceContext['principal']): string {
  if (p.type === 'anonymous') return 'Anonymous';
  return p.type === 'root' ? p.account : `AWS:${p.userId}`;
}

function matches(config: In, eventName: string, key: string): boolean {
  const events = (config['Events'] as string[] | undefined) ?? [];
  const [family] = eventName.split(':');
  if (!events.some((e) => e === `s3:${eventName}` || e === `s3:${family}:*`)) return false;
  const rules = ((config['Filter'] as In | undefined)?.['Key'] as In | undefined)?.['FilterRules'] as In[] | undefined;
  for (const r of rules ?? []) {
    const value = String(r['Value'] ?? '');
    const name = String(r['Name'] ?? '').toLowerCase();
    if (name === 'prefix' && !key.startsWith(value)) return false;
    if (name === 'suffix' && !key.endsWith(value)) return false;
  }
  return true;
}

/** What an event needs from the request that caused it (lifecycle passes S3 itself). */
export type EventContext = Pick<ServiceContext, 'clock' | 'bus' | 'requestId' | 'sourceIp' | 'principal'>;

/** Publishes an object change to every matching destination and, if enabled, to EventBridge. */
export function emitObjectEvent(ctx: EventContext, bucket: BucketRecord, ev: ObjectEvent): void {
  const conf = bucket.notification;
  if (!conf) return;
  const now = ctx.clock.nowMs();
  const seq = sequencer(now);
  const time = new Date(now).toISOString();
  const etag = ev.etag?.replace(/"/g, '');
  for (const [list, arnMember, , service] of KINDS) {
    for (const c of (conf[list] as In[] | undefined) ?? []) {
      if (!matches(c, ev.name, ev.key)) continue;
      const object: In = { key: encodeKey(ev.key) };
      if (ev.size !== undefined) object['size'] = ev.size;
      if (etag) object['eTag'] = etag;
      if (ev.versionId && ev.versionId !== 'null') object['versionId'] = ev.versionId;
      if (!ev.name.startsWith('ObjectTagging') && !ev.name.startsWith('ObjectAcl')) object['sequencer'] = seq;
      const record = {
        eventVersion: ev.name.startsWith('ObjectTagging') || ev.name.startsWith('ObjectAcl') ? '2.3' : '2.1',
        eventSource: 'aws:s3', awsRegion: bucket.region, eventTime: time, eventName: ev.name,
        userIdentity: { principalId: principalId(ctx.principal) },
        requestParameters: { sourceIPAddress: ctx.sourceIp.replace(/^::ffff:/, '') },
        responseElements: { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': hostId(ctx) },
        s3: {
          s3SchemaVersion: '1.0', configurationId: str(c, 'Id'),
          bucket: { name: bucket.name, ownerIdentity: { principalId: bucket.account }, arn: bucketArn(bucket) },
          object,
        },
      };
      ctx.bus.publish('s3:notification', {
        account: bucket.account, region: bucket.region, bucket: bucket.name, destination: { type: service, arn: String(c[arnMember]) },
        configurationId: str(c, 'Id'), eventName: ev.name, message: JSON.stringify({ Records: [record] }),
      });
    }
  }
  if (conf['EventBridgeConfiguration'] !== undefined) publishToEventBridge(ctx, bucket, ev, etag, seq, time);
}

const DETAIL_TYPES: Record<string, string> = {
  ObjectCreated: 'Object Created', ObjectRemoved: 'Object Deleted', LifecycleExpiration: 'Object Deleted',
  ObjectTagging: 'Object Tags', ObjectAcl: 'Object ACL Updated', ObjectRestore: 'Object Restore',
};

function publishToEventBridge(ctx: EventContext, bucket: BucketRecord, ev: ObjectEvent, etag: string | undefined, seq: string, time: string): void {
  const [family, action] = ev.name.split(':') as [string, string];
  let detailType = DETAIL_TYPES[family] ?? family;
  if (family === 'ObjectTagging') detailType = action === 'Delete' ? 'Object Tags Deleted' : 'Object Tags Added';
  const object: In = { key: ev.key };
  if (ev.size !== undefined) object['size'] = ev.size;
  if (etag) object['etag'] = etag;
  if (ev.versionId && ev.versionId !== 'null') object['version-id'] = ev.versionId;
  if (family === 'ObjectCreated' || family === 'ObjectRemoved' || family === 'LifecycleExpiration') object['sequencer'] = seq;
  const detail: In = {
    version: '0', bucket: { name: bucket.name }, object, 'request-id': ctx.requestId,
    requester: ctx.principal.type === 'anonymous' ? 'anonymous' : ctx.principal.account,
    'source-ip-address': ctx.sourceIp.replace(/^::ffff:/, ''),
  };
  if (ev.reason) detail['reason'] = ev.reason;
  if (family === 'ObjectRemoved' || family === 'LifecycleExpiration') {
    detail['deletion-type'] = action.endsWith('DeleteMarkerCreated') ? 'Delete Marker Created' : 'Permanently Deleted';
  }
  ctx.bus.publish('s3:eventbridge', {
    account: bucket.account, region: bucket.region, id: randomUUID(), source: 'aws.s3', detailType, time,
    resources: [bucketArn(bucket)], detail,
  });
}
