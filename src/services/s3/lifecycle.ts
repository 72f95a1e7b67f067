/**
 * Lifecycle: PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration,
 * DeleteBucketLifecycle, the `x-amz-expiration` header, and the sweep that applies rules as
 * the Drydock clock passes their dates (expiration of current and noncurrent versions,
 * expired delete markers, transitions, aborting stale multipart uploads). As on AWS, a rule's
 * day count runs from the object's time and is rounded up to the next midnight UTC.
 */
import { AwsError } from '../../core/errors.js';
import type { Principal } from '../../core/identity.js';
import type { ServiceHost } from '../types.js';
import { epochMs, requireBucket, str } from './common.js';
import { invalidArgument, invalidRequest, malformedXml, noSuchConfiguration } from './errors.js';
import { dropUpload } from './multipart.js';
import { emitObjectEvent, type EventContext } from './notifications.js';
import { bucketData, randomId, s3Global, type BucketRecord, type ObjectVersion } from './store.js';
import { deleteKey, removeVersion } from './versioning.js';
import type { ServiceContext } from '../types.js';

type In = Record<string, unknown>;

const DAY = 86_400_000;
const MIN_SIZES = new Set(['all_storage_classes_128K', 'varies_by_storage_class']);

function checkFilter(rule: In): void {
  const filter = rule['Filter'] as In | undefined;
  if (filter === undefined) {
    if (rule['Prefix'] === undefined) throw malformedXml();
    return;
  }
  const present = ['Prefix', 'Tag', 'And', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan'].filter((k) => filter[k] !== undefined);
  if (present.length > 1 || (rule['Prefix'] !== undefined)) throw malformedXml();
  const and = filter['And'] as In | undefined;
  const tags = (and?.['Tags'] as In[] | undefined) ?? [];
  const keys = tags.map((t) => String(t['Key']));
  if (new Set(keys).size !== keys.length) throw invalidRequest('Duplicate Tag Keys are not allowed.');
}

function checkExpiration(rule: In): void {
  const exp = rule['Expiration'] as In | undefined;
  if (!exp) return;
  const set = ['Days', 'Date', 'ExpiredObjectDeleteMarker'].filter((k) => exp[k] !== undefined);
  if (set.length !== 1) throw malformedXml();
  if (exp['Days'] !== undefined && !(Number(exp['Days']) > 0)) {
    throw invalidArgument("'Days' for Expiration action must be a positive integer", 'Days', String(exp['Days']));
  }
  const date = epochMs(exp['Date']);
  if (exp['Date'] !== undefined) {
    if (date === undefined || date % DAY !== 0) throw invalidArgument("'Date' must be at midnight GMT", 'Date', String(exp['Date']));
    exp['Date'] = new Date(date).toISOString();
  }
}

/** PutBucketLifecycleConfiguration: validates and replaces the rules. */
export function putBucketLifecycleConfiguration(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const rules = (input['LifecycleConfiguration'] as In | undefined)?.['Rules'];
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 1000) throw malformedXml();
  const minSize = str(input, 'TransitionDefaultMinimumObjectSize') ?? 'all_storage_classes_128K';
  if (!MIN_SIZES.has(minSize)) throw invalidRequest(`Invalid TransitionDefaultMinimumObjectSize found: ${minSize}`);
  const ids = new Set<string>();
  const stored = (rules as In[]).map((r) => {
    const rule = { ...r };
    if (rule['Status'] !== 'Enabled' && rule['Status'] !== 'Disabled') throw malformedXml();
    checkFilter(rule);
    checkExpiration(rule);
    const nve = rule['NoncurrentVersionExpiration'] as In | undefined;
    if (nve && nve['NoncurrentDays'] === undefined) throw malformedXml();
    const actions = ['Expiration', 'Transitions', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransitions', 'AbortIncompleteMultipartUpload'];
    if (!actions.some((a) => rule[a] !== undefined)) throw invalidRequest('At least one action needs to be specified in a rule');
    const id = str(rule, 'ID') ?? randomId(48);
    if (id.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', id);
    if (ids.has(id)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id);
    ids.add(id);
    return { ...rule, ID: id };
  });
  bucket.lifecycle = stored;
  bucket.transitionDefaultMinimumObjectSize = minSize;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return { TransitionDefaultMinimumObjectSize: minSize };
}

/** GetBucketLifecycleConfiguration: NoSuchLifecycleConfiguration when none is set. */
export function getBucketLifecycleConfiguration(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  if (!bucket.lifecycle) throw noSuchConfiguration('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket.name);
  return { Rules: bucket.lifecycle, TransitionDefaultMinimumObjectSize: bucket.transitionDefaultMinimumObjectSize };
}

/** DeleteBucketLifecycle: removes every rule. */
export function deleteBucketLifecycle(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  delete bucket.lifecycle;
  delete bucket.transitionDefaultMinimumObjectSize;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/** Midnight UTC at or after `ms + days`, rounded up as S3 rounds rule dates. */
function dueAfter(ms: number, days: number): number {
  return Math.ceil((ms + days * DAY) / DAY) * DAY;
}

/** Whether a rule's filter selects the object. */
function applies(rule: In, key: string, v: ObjectVersion): boolean {
  if (rule['Status'] !== 'Enabled') return false;
  const filter = (rule['Filter'] as In | undefined) ?? { Prefix: rule['Prefix'] };
  const and = (filter['And'] as In | undefined) ?? filter;
  const prefix = str(and, 'Prefix');
  if (prefix && !key.startsWith(prefix)) return false;
  const tags = [...((and['Tags'] as In[] | undefined) ?? []), ...(filter['Tag'] ? [filter['Tag'] as In] : [])];
  if (!tags.every((t) => v.tags.some(([k, val]) => k === t['Key'] && val === t['Value']))) return false;
  if (and['ObjectSizeGreaterThan'] !== undefined && !(v.size > Number(and['ObjectSizeGreaterThan']))) return false;
  if (and['ObjectSizeLessThan'] !== undefined && !(v.size < Number(and['ObjectSizeLessThan']))) return false;
  return true;
}

/** When the current version `v` of `key` expires, and by which rule. */
function expiryOf(bucket: BucketRecord, key: string, v: ObjectVersion): { at: number; ruleId: string } | undefined {
  let best: { at: number; ruleId: string } | undefined;
  for (const rule of bucket.lifecycle ?? []) {
    const exp = rule['Expiration'] as In | undefined;
    if (!exp || !applies(rule, key, v)) continue;
    const at = exp['Days'] !== undefined ? dueAfter(v.lastModifiedMs, Number(exp['Days'])) : epochMs(exp['Date']);
    if (at !== undefined && (!best || at < best.at)) best = { at, ruleId: String(rule['ID']) };
  }
  return best;
}

/** The `x-amz-expiration` header for the current version of an object, if a rule expires it. */
export function expirationHeader(bucket: BucketRecord, key: string, v: ObjectVersion): string | undefined {
  if (!bucket.lifecycle) return undefined;
  const e = expiryOf(bucket, key, v);
  return e && `expiry-date="${new Date(e.at).toUTCString()}", rule-id="${e.ruleId}"`;
}

/** S3 itself, as the actor of lifecycle events. */
const LIFECYCLE_PRINCIPAL: Principal = { type: 'root', account: 's3.amazonaws.com', arn: 'arn:aws:iam::aws:root', userId: 's3.amazonaws.com' };

/** Applies every bucket's lifecycle rules that fell due by `now`. */
export function sweepLifecycle(host: Pick<ServiceHost, 'stores' | 'clock' | 'bus'>): void {
  const now = host.clock.nowMs();
  const ctx: EventContext = { clock: host.clock, bus: host.bus, requestId: randomId(16), sourceIp: 's3.amazonaws.com', principal: LIFECYCLE_PRINCIPAL };
  for (const bucket of s3Global(host.stores).buckets.values()) {
    if (!bucket.lifecycle?.length) continue;
    try {
      sweepBucket(ctx, host, bucket, now);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
    }
  }
}

function sweepBucket(ctx: EventContext, host: Pick<ServiceHost, 'stores'>, bucket: BucketRecord, now: number): void {
  const data = bucketData(host.stores, bucket);
  for (const key of [...data.sortedKeys()]) {
    const entry = data.objects.get(key);
    const latest = entry?.versions[0];
    if (!entry || !latest) continue;
    if (!latest.deleteMarker) {
      transition(bucket, data, key, latest, latest.lastModifiedMs, now, 'Transitions');
      const due = expiryOf(bucket, key, latest);
      if (due && due.at <= now) {
        const outcome = deleteKey(bucket, data, key, undefined, bucket.account, now);
        data.release(outcome.removed, now);
        emitObjectEvent(ctx, bucket, {
          name: outcome.deleteMarker ? 'LifecycleExpiration:DeleteMarkerCreated' : 'LifecycleExpiration:Delete', key,
          versionId: outcome.versionId, reason: 'Lifecycle Expiration',
        });
      }
    }
    expireNoncurrent(ctx, bucket, data, key, now);
  }
  for (const upload of [...data.uploads.values()]) {
    for (const rule of bucket.lifecycle ?? []) {
      const abort = rule['AbortIncompleteMultipartUpload'] as In | undefined;
      if (rule['Status'] !== 'Enabled' || !abort) continue;
      const prefix = str((rule['Filter'] as In | undefined) ?? {}, 'Prefix') ?? str(rule, 'Prefix') ?? '';
      if (upload.key.startsWith(prefix) && dueAfter(upload.initiatedMs, Number(abort['DaysAfterInitiation'])) <= now) {
        dropUpload(data, upload, now);
        break;
      }
    }
  }
}

function transition(bucket: BucketRecord, data: ReturnType<typeof bucketData>, key: string, v: ObjectVersion, since: number, now: number, kind: 'Transitions' | 'NoncurrentVersionTransitions'): void {
  for (const rule of bucket.lifecycle ?? []) {
    if (!applies(rule, key, v)) continue;
    for (const t of (rule[kind] as In[] | undefined) ?? []) {
      const days = Number(t[kind === 'Transitions' ? 'Days' : 'NoncurrentDays'] ?? NaN);
      const at = Number.isFinite(days) ? dueAfter(since, days) : epochMs(t['Date']);
      const target = str(t, 'StorageClass');
      if (at === undefined || at > now || !target || target === v.storageClass || v.dataId === undefined) continue;
      data.adjust(v.storageClass, -v.size, now);
      data.adjust(target, v.size, now);
      v.storageClass = target;
      data.put(key, data.objects.get(key)!);
    }
  }
}

function expireNoncurrent(ctx: EventContext, bucket: BucketRecord, data: ReturnType<typeof bucketData>, key: string, now: number): void {
  const entry = data.objects.get(key);
  if (!entry) return;
  const versions = entry.versions;
  // A noncurrent version became noncurrent when its successor was written.
  for (let i = versions.length - 1; i >= 1; i--) {
    const v = versions[i]!;
    const since = versions[i - 1]!.lastModifiedMs;
    if (!v.deleteMarker) transition(bucket, data, key, v, since, now, 'NoncurrentVersionTransitions');
    for (const rule of bucket.lifecycle ?? []) {
      const nve = rule['NoncurrentVersionExpiration'] as In | undefined;
      if (!nve || !applies(rule, key, v)) continue;
      const newer = Number(nve['NewerNoncurrentVersions'] ?? 0);
      if (i - 1 < newer) continue;
      if (dueAfter(since, Number(nve['NoncurrentDays'])) <= now) {
        const removed = removeVersion(data, key, v.versionId);
        if (removed) data.release([removed], now);
        break;
      }
    }
  }
  const rest = data.objects.get(key)?.versions;
  if (rest?.length === 1 && rest[0]!.deleteMarker) {
    const wanted = (bucket.lifecycle ?? []).some((r) => r['Status'] === 'Enabled' && (r['Expiration'] as In | undefined)?.['ExpiredObjectDeleteMarker'] === true
      && key.startsWith(str((r['Filter'] as In | undefined) ?? {}, 'Prefix') ?? str(r, 'Prefix') ?? ''));
    if (wanted) {
      removeVersion(data, key, rest[0]!.versionId);
      emitObjectEvent(ctx, bucket, { name: 'LifecycleExpiration:Delete', key, versionId: rest[0]!.versionId, reason: 'Lifecycle Expiration' });
    }
  }
}
