/**
 * What every object write shares (PutObject, CopyObject, CompleteMultipartUpload): the
 * content headers S3 keeps with an object, and committing a new version with its bytes.
 */
import { withoutAwsChunked } from '../../protocols/aws-chunked.js';
import type { ServiceContext } from '../types.js';
import { epochMs, str } from './common.js';
import { randomId, type BucketRecord, type ContentHeaders, type ObjectVersion } from './store.js';
import type { BucketData } from './bucket-data.js';
import { addVersion } from './versioning.js';
import { openBody, sealBody } from './kms-envelope.js';
import { checksumValue } from './integrity.js';

type In = Record<string, unknown>;


/** Content headers from a request; `aws-chunked` is transfer framing, not the object's encoding. */
export function contentHeaders(input: In): ContentHeaders {
  const expires = epochMs(input['Expires']);
  return {
    contentType: str(input, 'ContentType'),
    contentEncoding: withoutAwsChunked(str(input, 'ContentEncoding')),
    contentDisposition: str(input, 'ContentDisposition'),
    contentLanguage: str(input, 'ContentLanguage'),
    cacheControl: str(input, 'CacheControl'),
    expires: expires === undefined ? undefined : new Date(expires).toUTCString(),
    websiteRedirectLocation: str(input, 'WebsiteRedirectLocation'),
  };
}

/** The content headers of a version as response members. */
export function contentOutput(v: ObjectVersion): In {
  return {
    ContentType: v.contentType ?? 'binary/octet-stream',
    ContentEncoding: v.contentEncoding,
    ContentDisposition: v.contentDisposition,
    ContentLanguage: v.contentLanguage,
    CacheControl: v.cacheControl,
    Expires: v.expires,
    WebsiteRedirectLocation: v.websiteRedirectLocation,
  };
}

/** The latest version of a key unless it is a delete marker: "the object" conditional writes see. */
export function currentObject(data: BucketData, key: string): ObjectVersion | undefined {
  const latest = data.objects.get(key)?.versions[0];
  return latest && !latest.deleteMarker ? latest : undefined;
}

/**
 * Stores `body` and makes `version` the key's newest, under the bucket's versioning; the
 * versions it replaces give back their bytes. Fills `versionId` and `dataId`.
 */
export async function commitVersion(ctx: ServiceContext, bucket: BucketRecord, data: BucketData, key: string, version: ObjectVersion, body: Buffer): Promise<void> {
  // Sealed bytes cannot be summed later: the checksum is taken from the plaintext now.
  if (version.sse.algorithm !== 'AES256') checksumValue(version, () => body);
  const stored = await sealBody(ctx, bucket.name, key, version, body);
  const now = ctx.clock.nowMs();
  version.dataId = randomId();
  data.storeBytes('data', version.dataId, stored, version.storageClass, now, body.length);
  const displaced = addVersion(bucket, data, key, version);
  data.release(displaced, now);
}

/** The bytes of a version as stored (empty for a delete marker or missing data); sealed for SSE-KMS. */
export function bodyOf(data: BucketData, v: ObjectVersion): Buffer {
  return (v.dataId !== undefined ? data.data.get(v.dataId) : undefined) ?? Buffer.alloc(0);
}

/** The plaintext bytes of a version, opened through KMS as the caller when it is SSE-KMS. */
export function readBody(ctx: ServiceContext, bucket: string, key: string, data: BucketData, v: ObjectVersion): Promise<Buffer> {
  return openBody(ctx, bucket, key, v, bodyOf(data, v));
}
