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
import { plainBytes, readStored, sealBody } from './kms-envelope.js';
import { checksumOf, sizeOf, storedAsBytes, type Bytes, type StoredBytes } from './blobs.js';
import type { StreamBody } from '../../protocols/body-file.js';
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
export async function commitVersion(ctx: ServiceContext, bucket: BucketRecord, data: BucketData, key: string, version: ObjectVersion, body: Bytes): Promise<void> {
  // Taken now, while the plaintext is at hand: sealed bytes cannot be summed later, a spooled
  // file is about to move, and every write answers with the checksum anyway.
  checksumValue(version, (a) => checksumOf(body, a));
  const stored = await sealBody(ctx, bucket.name, key, version, body);
  const now = ctx.clock.nowMs();
  version.dataId = randomId();
  data.storeBytes('data', version.dataId, stored, version.storageClass, now, sizeOf(body));
  const displaced = addVersion(bucket, data, key, version);
  data.release(displaced, now);
}

/** The bytes of a version as stored (empty for a delete marker or missing data); sealed for SSE-KMS. */
export function storedOf(data: BucketData, v: ObjectVersion): StoredBytes {
  return (v.dataId !== undefined ? data.data.get(v.dataId) : undefined) ?? Buffer.alloc(0);
}

/** A version's checksum, computing S3's lazy default over its stored (unsealed) bytes on first use. */
export function versionChecksum(ctx: ServiceContext, data: BucketData, v: ObjectVersion): string | undefined {
  return checksumValue(v, (a) => checksumOf(storedAsBytes(ctx.stores, storedOf(data, v)), a));
}

/** The plaintext of a version as input for another write, opened through KMS as the caller when SSE-KMS. */
export function readBody(ctx: ServiceContext, bucket: string, key: string, data: BucketData, v: ObjectVersion): Promise<Bytes> {
  return plainBytes(ctx, bucket, key, v, storedOf(data, v));
}

/** What a read of `size` bytes from `start` sends: a Buffer, or a stream from the version's blob file. */
export function readRange(ctx: ServiceContext, bucket: string, key: string, data: BucketData, v: ObjectVersion, start: number, size: number): Promise<Buffer | StreamBody> {
  return readStored(ctx, bucket, key, v, storedOf(data, v), start, size);
}
