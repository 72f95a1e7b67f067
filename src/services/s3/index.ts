/**
 * Amazon S3: buckets in any region, objects with versions, ranges, conditional requests,
 * checksums, tags, ACLs, multipart uploads, listings, bucket policies and Block Public Access,
 * CORS, default encryption, lifecycle rules on the Drydock clock and event notifications on
 * the internal bus. Operations without a handler here (website hosting, replication, logging,
 * inventory/analytics/metrics, object lock, select, directory buckets, …) answer NotImplemented.
 */
import type { Handler, ServiceDefinition, ServiceHost } from '../types.js';
import { deleteBucketOwnershipControls, getBucketAcl, getBucketOwnershipControls, getObjectAcl, putBucketAcl, putBucketOwnershipControls, putObjectAcl } from './acl.js';
import { s3PolicyLookup, s3Resources, s3TagLookup } from './authz.js';
import {
  createBucket, deleteBucket, getBucketLocation, getBucketRequestPayment, headBucket, listBuckets, putBucketRequestPayment,
} from './buckets.js';
import { copyObject } from './copy.js';
import { deleteBucketCors, getBucketCors, putBucketCors } from './cors.js';
import { deleteObject, deleteObjects } from './deletes.js';
import { deleteBucketEncryption, getBucketEncryption, putBucketEncryption } from './encryption.js';
import { deleteBucketLifecycle, getBucketLifecycleConfiguration, putBucketLifecycleConfiguration, sweepLifecycle } from './lifecycle.js';
import { listObjects, listObjectsV2, listObjectVersions } from './listing.js';
import { flushAllStorage, requestTier } from './metering.js';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy } from './multipart.js';
import { getBucketNotificationConfiguration, putBucketNotificationConfiguration, type S3NotificationEvent } from './notifications.js';
import { getObject, getObjectAttributes, headObject, putObject } from './objects.js';
import {
  deleteBucketPolicy, deletePublicAccessBlock, getBucketPolicy, getBucketPolicyStatus, getPublicAccessBlock, putBucketPolicy, putPublicAccessBlock,
} from './policy.js';
import { canonicalId, s3Global } from './store.js';
import { closeBlobFolder } from './blobs.js';
import {
  deleteBucketTagging, deleteObjectTagging, getBucketTagging, getObjectTagging, putBucketTagging, putObjectTagging,
} from './tagging.js';
import { listMultipartUploads, listParts } from './uploads.js';
import { getBucketVersioning, putBucketVersioning } from './versioning.js';

const HANDLERS: Record<string, Handler> = {
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketLocation: getBucketLocation,
  ListBuckets: listBuckets,
  GetBucketRequestPayment: getBucketRequestPayment,
  PutBucketRequestPayment: putBucketRequestPayment,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  GetObjectAttributes: getObjectAttributes,
  CopyObject: copyObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  PutBucketVersioning: putBucketVersioning,
  GetBucketVersioning: getBucketVersioning,
  PutBucketTagging: putBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  PutBucketOwnershipControls: putBucketOwnershipControls,
  GetBucketOwnershipControls: getBucketOwnershipControls,
  DeleteBucketOwnershipControls: deleteBucketOwnershipControls,
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketPolicyStatus: getBucketPolicyStatus,
  PutPublicAccessBlock: putPublicAccessBlock,
  GetPublicAccessBlock: getPublicAccessBlock,
  DeletePublicAccessBlock: deletePublicAccessBlock,
  PutBucketCors: putBucketCors,
  GetBucketCors: getBucketCors,
  DeleteBucketCors: deleteBucketCors,
  PutBucketEncryption: putBucketEncryption,
  GetBucketEncryption: getBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  PutBucketLifecycleConfiguration: putBucketLifecycleConfiguration,
  GetBucketLifecycleConfiguration: getBucketLifecycleConfiguration,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  PutBucketNotificationConfiguration: putBucketNotificationConfiguration,
  GetBucketNotificationConfiguration: getBucketNotificationConfiguration,
};

/** Every handler records its request for billing (failed ones too, as AWS bills them). */
function metered(operation: string, handler: Handler): Handler {
  const tier = requestTier(operation);
  return (input, ctx) => {
    const g = s3Global(ctx.stores);
    g.meter = ctx.meter;
    // Grants name accounts by canonical id; remember the callers' so grants can be read back.
    canonicalId(ctx.principal.account);
    try {
      return handler(input, ctx);
    } finally {
      if (tier) {
        const bucket = typeof input['Bucket'] === 'string' ? g.buckets.get(input['Bucket']) : undefined;
        ctx.meter.record({
          account: bucket?.account ?? ctx.account, region: bucket?.region ?? ctx.region, service: 's3', usageType: tier,
          operation, resourceId: bucket?.name, quantity: 1, unit: 'Requests',
        });
      }
    }
  };
}

const HOUR = 3_600_000;

/** Every clock hour: apply lifecycle rules that fell due and bill the storage held. */
function hourly(host: ServiceHost): void {
  sweepLifecycle(host);
  const meter = s3Global(host.stores).meter;
  if (meter) flushAllStorage(host.stores, meter, host.clock.nowMs());
}

const s3: ServiceDefinition = {
  name: 's3',
  handlers: Object.fromEntries(Object.entries(HANDLERS).map(([op, h]) => [op, metered(op, h)])),
  install(host) {
    host.onClose(() => closeBlobFolder(host.stores));
    host.ports.resourcePolicies.set('s3', s3PolicyLookup(host.stores));
    host.ports.resourceTags.set('s3', s3TagLookup(host.stores));
    host.ports.resourceResolvers.set('s3', (operation, input) => s3Resources(operation, input));
    host.bus.subscribe('s3:notification', (e) => deliverNotification(host, e));
    // First at the next whole clock hour, then hourly, so lifecycle dates (midnights) are met on time.
    const now = host.clock.nowMs();
    host.clock.setTimer(() => {
      hourly(host);
      host.clock.setRepeating(() => hourly(host), HOUR);
    }, Math.ceil(now / HOUR) * HOUR - now || HOUR);
  },
};

export default s3;

/**
 * Hands a notification to its queue, topic or function as `s3.amazonaws.com` on behalf of the
 * bucket: the destination's own policy decides (a queue policy, a topic policy, a function's
 * AddPermission), and what it refuses is dropped, as S3 drops it.
 */
async function deliverNotification(host: ServiceHost, e: S3NotificationEvent): Promise<void> {
  await host.service(e.destination.type);
  const deliver = host.ports.deliver.get(e.destination.type);
  if (!deliver) return;
  await deliver(e.destination.arn, { body: e.message, sourceArn: `arn:aws:s3:::${e.bucket}`, servicePrincipal: 's3.amazonaws.com' })
    .catch(() => undefined);
}

/** For the gateway: CORS preflights and the CORS headers of ordinary responses (see cors.ts). */
export { corsHeaders, corsPreflight, type PreflightAnswer } from './cors.js';
/** The bus events S3 publishes (see notifications.ts). */
export type { S3EventBridgeEvent, S3NotificationEvent } from './notifications.js';
