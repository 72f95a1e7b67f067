/**
 * DeleteObject and DeleteObjects: permanent deletes on unversioned buckets, delete markers on
 * versioned ones, deletes of a named version, and S3's conditional delete (`If-Match`).
 */
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { objectKey, requireBucketData, str } from './common.js';
import { etagMatches } from './conditional.js';
import { headerNotImplemented, malformedXml, noSuchKey, preconditionFailed } from './errors.js';
import { emitObjectEvent } from './notifications.js';
import type { BucketRecord } from './store.js';
import type { BucketData } from './bucket-data.js';
import { deleteKey, type DeleteOutcome } from './versioning.js';
import { currentObject } from './write.js';

type In = Record<string, unknown>;

function applyDelete(ctx: ServiceContext, bucket: BucketRecord, data: BucketData, key: string, versionId: string | undefined): DeleteOutcome {
  const now = ctx.clock.nowMs();
  const outcome = deleteKey(bucket, data, key, versionId, ctx.principal.account, now);
  data.release(outcome.removed, now);
  const created = outcome.deleteMarker && versionId === undefined;
  if (created || outcome.removed.length) {
    emitObjectEvent(ctx, bucket, {
      name: created ? 'ObjectRemoved:DeleteMarkerCreated' : 'ObjectRemoved:Delete', key,
      versionId: outcome.versionId, reason: 'DeleteObject',
    });
  }
  return outcome;
}

/** DeleteObject: a delete marker on versioned buckets, else removes the object or the named version. */
export function deleteObject(input: In, ctx: ServiceContext): In {
  const { bucket, data } = requireBucketData(ctx, input);
  const key = objectKey(input);
  if (input['IfMatchLastModifiedTime'] !== undefined) throw headerNotImplemented('x-amz-if-match-last-modified-time');
  if (input['IfMatchSize'] !== undefined) throw headerNotImplemented('x-amz-if-match-size');
  if (input['BypassGovernanceRetention'] !== undefined && !bucket.objectLockEnabled) {
    throw new AwsError('InvalidArgument', 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.', 400,
      { fields: { ArgumentName: 'x-amz-bypass-governance-retention' } });
  }
  const ifMatch = str(input, 'IfMatch');
  if (ifMatch !== undefined) {
    const current = currentObject(data, key);
    if (!current) throw noSuchKey(key);
    if (!etagMatches(ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
  const outcome = applyDelete(ctx, bucket, data, key, str(input, 'VersionId'));
  return { DeleteMarker: outcome.deleteMarker, VersionId: outcome.versionId };
}

/** DeleteObjects: up to 1000 keys, each reported as deleted or as an error. */
export function deleteObjects(input: In, ctx: ServiceContext): In {
  const { bucket, data } = requireBucketData(ctx, input);
  const del = input['Delete'] as In | undefined;
  const objects = del?.['Objects'];
  if (!Array.isArray(objects) || objects.length === 0 || objects.length > 1000) throw malformedXml();
  const quiet = del?.['Quiet'] === true;
  const deleted: In[] = [];
  const errors: In[] = [];
  for (const o of objects as In[]) {
    const key = str(o, 'Key') ?? '';
    const versionId = str(o, 'VersionId');
    try {
      if (versionId !== undefined && !data.objects.get(key)?.versions.some((v) => v.versionId === versionId)) {
        errors.push({ Key: key, VersionId: versionId, Code: 'NoSuchVersion', Message: 'The specified version does not exist.' });
        continue;
      }
      const etag = str(o, 'ETag');
      if (etag !== undefined) {
        const current = currentObject(data, key);
        if (!current || !etagMatches(etag, current.etag)) {
          errors.push({ Key: key, VersionId: versionId, Code: 'PreconditionFailed', Message: 'At least one of the pre-conditions you specified did not hold' });
          continue;
        }
      }
      const outcome = applyDelete(ctx, bucket, data, key, versionId);
      if (quiet) continue;
      const entry: In = { Key: key };
      if (versionId !== undefined) entry['VersionId'] = versionId;
      if (outcome.deleteMarker) {
        entry['DeleteMarker'] = true;
        entry['DeleteMarkerVersionId'] = outcome.versionId;
      }
      deleted.push(entry);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      errors.push({ Key: key, VersionId: versionId, Code: e.code, Message: e.message });
    }
  }
  return { Deleted: deleted.length ? deleted : undefined, Errors: errors.length ? errors : undefined };
}
