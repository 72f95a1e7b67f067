/**
 * What every S3 handler needs: the bucket a request names (with the owner checks S3 makes),
 * input readers, and the shared answers for object keys and storage classes.
 */
import { isAccountId } from '../../core/ids.js';
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { accessDenied, invalidArgument, invalidStorageClass, noSuchBucket } from './errors.js';
import { bucketData, canonicalId, s3Global, type BucketRecord } from './store.js';
import type { BucketData } from './bucket-data.js';

/** The storage classes PutObject accepts (OUTPOSTS and EXPRESS_ONEZONE need other endpoints). */
export const STORAGE_CLASSES = new Set([
  'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR', 'SNOW',
]);

/** Classes whose objects must be restored before GetObject may read them. */
export const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** The bucket and its objects, as a handler works with them. */
export interface BucketAccess {
  bucket: BucketRecord;
  data: BucketData;
}

/** A string member of the input, or undefined. */
export function str(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The bucket a request names. Checks `x-amz-expected-bucket-owner`, and refuses callers from
 * another account when no bucket policy could have let them in: S3 ARNs carry no account, so
 * the authorizer cannot tell a cross-account call from a same-account one without a policy.
 */
export function requireBucket(ctx: ServiceContext, input: Record<string, unknown>): BucketRecord {
  const name = str(input, 'Bucket') ?? '';
  const expected = str(input, 'ExpectedBucketOwner');
  if (expected !== undefined && !isAccountId(expected)) {
    throw new AwsError('InvalidBucketOwnerAWSAccountID', `The value of the expected bucket owner parameter must be an AWS Account ID... [${expected}]`, 400);
  }
  const bucket = s3Global(ctx.stores).buckets.get(name);
  if (!bucket) throw noSuchBucket(name);
  if (expected !== undefined && expected !== bucket.account) throw accessDenied();
  if (ctx.principal.type !== 'anonymous' && ctx.principal.account !== bucket.account && !bucket.policy && !hasGrantsToOthers(bucket)) {
    throw accessDenied();
  }
  return bucket;
}

/** The bucket and its objects. */
export function requireBucketData(ctx: ServiceContext, input: Record<string, unknown>): BucketAccess {
  const bucket = requireBucket(ctx, input);
  return { bucket, data: bucketData(ctx.stores, bucket) };
}

function hasGrantsToOthers(bucket: BucketRecord): boolean {
  const owner = canonicalId(bucket.account);
  return bucket.ownership !== 'BucketOwnerEnforced' && bucket.acl.some((g) => g.Grantee.ID !== owner);
}

/** The object key of the request, within S3's 1024-byte limit. */
export function objectKey(input: Record<string, unknown>): string {
  const key = str(input, 'Key') ?? '';
  if (Buffer.byteLength(key) > 1024) {
    throw new AwsError('KeyTooLongError', 'Your key is too long', 400, { fields: { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: '1024' } });
  }
  return key;
}

/** A storage class from the request, defaulting to STANDARD. */
export function storageClass(input: Record<string, unknown>): string {
  const sc = str(input, 'StorageClass');
  if (sc === undefined || sc === '') return 'STANDARD';
  if (!STORAGE_CLASSES.has(sc)) throw invalidStorageClass(sc);
  return sc;
}

/** User metadata, lower-cased as S3 stores it, within the 2 KB limit. */
export function userMetadata(input: Record<string, unknown>): Record<string, string> {
  const raw = (input['Metadata'] ?? {}) as Record<string, string>;
  const out: Record<string, string> = {};
  let size = 0;
  for (const [k, v] of Object.entries(raw)) {
    const name = k.toLowerCase();
    out[name] = v;
    size += Buffer.byteLength(name) + Buffer.byteLength(v);
  }
  if (size > 2048) {
    throw new AwsError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', 400,
      { fields: { Size: String(size), MaxSizeAllowed: '2048' } });
  }
  return out;
}

/** Object Lock headers on a write: no Drydock bucket has Object Lock, so S3's refusal for such buckets applies. */
export function refuseObjectLock(input: Record<string, unknown>): void {
  if (input['ObjectLockMode'] !== undefined || input['ObjectLockRetainUntilDate'] !== undefined || input['ObjectLockLegalHoldStatus'] !== undefined) {
    throw new AwsError('InvalidRequest', 'Bucket is missing Object Lock Configuration', 400);
  }
}

/** A validated part number (1–10000) from a query parameter. */
export function partNumber(value: unknown, argument = 'partNumber'): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', argument, String(value));
  }
  return n;
}

/** Dates in model values arrive as Date objects, or as ISO text once persisted. */
export function epochMs(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string' || typeof v === 'number') {
    const ms = new Date(v).getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** `Location` of a bucket as CreateBucket answers it outside us-east-1. */
export function bucketUrl(ctx: ServiceContext, bucket: string): string {
  const url = new URL(ctx.endpoint);
  return `${url.protocol}//${bucket}.s3.${url.host}/`;
}
