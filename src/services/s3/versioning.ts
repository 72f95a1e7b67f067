/**
 * Versioning: PutBucketVersioning and GetBucketVersioning, and the version rules every write
 * and delete follows. A bucket whose versioning was never set keeps one `null` version per
 * key; once Enabled, each write adds a version with its own id and a delete without a version
 * id adds a delete marker; Suspended writes replace the `null` version again.
 */
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { requireBucket } from './common.js';
import { invalidArgument, malformedXml, methodNotAllowed, noSuchKey, noSuchVersion } from './errors.js';
import { randomId, s3Global, type BucketRecord, type ObjectEntry, type ObjectVersion } from './store.js';
import type { BucketData } from './bucket-data.js';

type In = Record<string, unknown>;

/** PutBucketVersioning: Enabled or Suspended (never back to unversioned). */
export function putBucketVersioning(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const conf = input['VersioningConfiguration'] as In | undefined;
  const status = conf?.['Status'];
  if (conf === undefined || (status === undefined && conf['MFADelete'] === undefined)) {
    throw new AwsError('IllegalVersioningConfigurationException', 'The Versioning element must be specified', 400);
  }
  if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  const mfa = conf['MFADelete'];
  if (mfa !== undefined && mfa !== 'Enabled' && mfa !== 'Disabled') throw malformedXml();
  if (status === 'Suspended' && bucket.objectLockEnabled) {
    throw new AwsError('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', 409);
  }
  if (status !== undefined) bucket.versioning = status;
  if (mfa !== undefined) bucket.mfaDelete = mfa;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/** GetBucketVersioning: no Status until versioning was ever set. */
export function getBucketVersioning(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  return { Status: bucket.versioning, MFADelete: bucket.versioning ? bucket.mfaDelete : undefined };
}

/** The version id a response reports: none until versioning was ever configured on the bucket. */
export function reportedVersionId(bucket: BucketRecord, v: ObjectVersion | undefined): string | undefined {
  return bucket.versioning && v ? v.versionId : undefined;
}

/** Whether a version id has the shape of one Drydock issues (or `null`). */
function wellFormed(versionId: string): boolean {
  return versionId === 'null' || /^[A-Za-z0-9._]{32}$/.test(versionId);
}

/** The version a request names, for reads and tag/ACL changes. */
export interface FoundVersion {
  entry: ObjectEntry;
  version: ObjectVersion;
}

/**
 * The version named by `versionId`, or the latest. A latest that is a delete marker is
 * NoSuchKey; naming a delete marker is MethodNotAllowed; `purpose` picks S3's per-operation
 * variants (tagging refuses a latest delete marker with MethodNotAllowed too).
 */
export function findVersion(
  bucket: BucketRecord, data: BucketData, key: string, versionId: string | undefined, purpose: 'read' | 'tagging' | 'acl', method = 'GET',
): FoundVersion {
  const entry = data.objects.get(key);
  if (versionId === undefined) {
    const latest = entry?.versions[0];
    if (!entry || !latest) throw noSuchKey(key);
    if (latest.deleteMarker) {
      if (purpose === 'tagging') throw methodNotAllowed(method, 'DeleteMarker', deleteMarkerHeaders(latest));
      throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404,
        { fields: { Key: key }, headers: purpose === 'read' ? deleteMarkerHeaders(latest) : {} });
    }
    return { entry, version: latest };
  }
  if (!wellFormed(versionId)) throw invalidArgument('Invalid version id specified', 'versionId', versionId);
  const version = entry?.versions.find((v) => v.versionId === versionId);
  if (!entry || !version) {
    if (versionId !== 'null' && !bucket.versioning) throw invalidArgument('Invalid version id specified', 'versionId', versionId);
    throw noSuchVersion(key, versionId);
  }
  if (version.deleteMarker) throw methodNotAllowed(method, 'DeleteMarker', deleteMarkerHeaders(version));
  return { entry, version };
}

/** Headers S3 adds when a read meets a delete marker. */
export function deleteMarkerHeaders(v: ObjectVersion): Record<string, string> {
  return { 'x-amz-delete-marker': 'true', 'x-amz-version-id': v.versionId, 'last-modified': new Date(v.lastModifiedMs).toUTCString() };
}

/**
 * Adds `version` as the key's newest, under the bucket's versioning state: Enabled gives it
 * a fresh id; otherwise it is the `null` version and replaces the previous one. Returns the
 * versions it displaced, whose bytes the caller releases.
 */
export function addVersion(bucket: BucketRecord, data: BucketData, key: string, version: ObjectVersion): ObjectVersion[] {
  const entry = data.objects.get(key) ?? { versions: [] };
  let displaced: ObjectVersion[] = [];
  if (bucket.versioning === 'Enabled') {
    version.versionId = randomId();
  } else {
    version.versionId = 'null';
    displaced = entry.versions.filter((v) => v.versionId === 'null');
    entry.versions = entry.versions.filter((v) => v.versionId !== 'null');
  }
  entry.versions.unshift(version);
  data.put(key, entry);
  return displaced;
}

/** Removes one version of a key; returns it, or undefined when the key has no such version. */
export function removeVersion(data: BucketData, key: string, versionId: string): ObjectVersion | undefined {
  const entry = data.objects.get(key);
  const i = entry?.versions.findIndex((v) => v.versionId === versionId) ?? -1;
  if (!entry || i < 0) return undefined;
  const [removed] = entry.versions.splice(i, 1);
  if (entry.versions.length) data.put(key, entry);
  else data.remove(key);
  return removed;
}

/** What a delete did, as DeleteObject and DeleteObjects report it. */
export interface DeleteOutcome {
  deleteMarker?: boolean;
  versionId?: string;
  removed: ObjectVersion[];
}

/**
 * Deletes a key as S3 does: with a version id, that version (a no-op when it is gone);
 * without, the object itself on an unversioned bucket, or a new delete marker otherwise.
 */
export function deleteKey(
  bucket: BucketRecord, data: BucketData, key: string, versionId: string | undefined, owner: string, nowMs: number,
): DeleteOutcome {
  if (versionId !== undefined) {
    if (!wellFormed(versionId) || (versionId !== 'null' && !bucket.versioning)) {
      throw invalidArgument('Invalid version id specified', 'versionId', versionId);
    }
    const removed = removeVersion(data, key, versionId);
    return { versionId, deleteMarker: removed?.deleteMarker ? true : undefined, removed: removed ? [removed] : [] };
  }
  if (!bucket.versioning) {
    const entry = data.objects.get(key);
    if (!entry) return { removed: [] };
    data.remove(key);
    return { removed: entry.versions };
  }
  const marker: ObjectVersion = {
    versionId: '', deleteMarker: true, lastModifiedMs: Math.floor(nowMs / 1000) * 1000, owner, etag: '', size: 0,
    storageClass: 'STANDARD', metadata: {}, sse: { algorithm: 'AES256' }, tags: [],
  };
  const removed = addVersion(bucket, data, key, marker);
  return { deleteMarker: true, versionId: marker.versionId, removed };
}
