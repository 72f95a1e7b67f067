/**
 * Bucket and object tags: PutBucketTagging, GetBucketTagging, DeleteBucketTagging,
 * PutObjectTagging, GetObjectTagging, DeleteObjectTagging, and the `x-amz-tagging` header
 * of uploads, validated as S3 validates them.
 */
import type { ServiceContext } from '../types.js';
import { objectKey, requireBucket, requireBucketData, str } from './common.js';
import { invalidArgument, invalidTag, malformedXml, noSuchConfiguration } from './errors.js';
import { emitObjectEvent } from './notifications.js';
import { s3Global } from './store.js';
import { findVersion } from './versioning.js';

type In = Record<string, unknown>;

// Letters, digits, spaces and + - = . _ : / @ in any script, as S3 allows.
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Checks a tag set (from XML) and returns it as ordered pairs. `object` picks S3's object wording. */
export function validateTags(tagSet: unknown, object: boolean): [string, string][] {
  if (!Array.isArray(tagSet)) throw malformedXml();
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const t of tagSet as Record<string, unknown>[]) {
    const key = t?.['Key'];
    const value = t?.['Value'];
    if (typeof key !== 'string' || typeof value !== 'string') throw malformedXml();
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidTag(object ? 'Your TagKey cannot be prefixed with aws:' : 'System tags cannot be added/updated by requester', { TagKey: key });
    }
    if (key.length < 1 || key.length > 128 || !TAG_CHARS.test(key)) throw invalidTag('The TagKey you have provided is invalid', { TagKey: key });
    if (value.length > 256 || !TAG_CHARS.test(value)) throw invalidTag('The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
    out.push([key, value]);
  }
  if (object && out.length > 10) throw invalidTag('Object tags cannot be greater than 10');
  if (!object && out.length > 50) throw invalidTag('Bucket tag count cannot be greater than 50');
  return out;
}

const HEADER_MESSAGE = "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

/** Tags from the `x-amz-tagging` header (`k1=v1&k2=v2`, URL-encoded). */
export function headerTags(header: string | undefined): [string, string][] {
  if (header === undefined || header === '') return [];
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  for (const part of header.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      throw invalidArgument(HEADER_MESSAGE, 'x-amz-tagging', header);
    }
    if (seen.has(key) || !TAG_CHARS.test(key) || !TAG_CHARS.test(value)) throw invalidArgument(HEADER_MESSAGE, 'x-amz-tagging', header);
    seen.add(key);
    pairs.push([key, value]);
  }
  return validateTags(pairs.map(([Key, Value]) => ({ Key, Value })), true);
}

/** The TagSet shape of a list of pairs. */
export function tagSet(tags: [string, string][]): { Key: string; Value: string }[] {
  return tags.map(([Key, Value]) => ({ Key, Value }));
}

/** PutBucketTagging: replaces the bucket's tags (up to 50). */
export function putBucketTagging(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const tagging = input['Tagging'] as In | undefined;
  bucket.tags = validateTags(tagging?.['TagSet'] ?? [], false);
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/** GetBucketTagging: NoSuchTagSet when the bucket has none. */
export function getBucketTagging(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  if (!bucket.tags) throw noSuchConfiguration('NoSuchTagSet', 'The TagSet does not exist', bucket.name);
  return { TagSet: tagSet(bucket.tags) };
}

/** DeleteBucketTagging: idempotent. */
export function deleteBucketTagging(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  delete bucket.tags;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

function versionFor(input: In, ctx: ServiceContext) {
  const { bucket, data } = requireBucketData(ctx, input);
  const key = objectKey(input);
  const found = findVersion(bucket, data, key, str(input, 'VersionId'), 'tagging');
  return { bucket, data, key, ...found };
}

/** PutObjectTagging: replaces a version's tags (up to 10). */
export function putObjectTagging(input: In, ctx: ServiceContext): In {
  const tagging = input['Tagging'] as In | undefined;
  const tags = validateTags(tagging?.['TagSet'] ?? [], true);
  const { bucket, data, key, entry, version } = versionFor(input, ctx);
  version.tags = tags;
  data.put(key, entry);
  emitObjectEvent(ctx, bucket, { name: 'ObjectTagging:Put', key, etag: version.etag, versionId: version.versionId });
  return { VersionId: version.versionId === 'null' ? undefined : version.versionId };
}

/** GetObjectTagging: a version's tags. */
export function getObjectTagging(input: In, ctx: ServiceContext): In {
  const { version } = versionFor(input, ctx);
  return { TagSet: tagSet(version.tags), VersionId: version.versionId === 'null' ? undefined : version.versionId };
}

/** DeleteObjectTagging: clears a version's tags. */
export function deleteObjectTagging(input: In, ctx: ServiceContext): In {
  const { bucket, data, key, entry, version } = versionFor(input, ctx);
  version.tags = [];
  data.put(key, entry);
  emitObjectEvent(ctx, bucket, { name: 'ObjectTagging:Delete', key, etag: version.etag, versionId: version.versionId });
  return { VersionId: version.versionId === 'null' ? undefined : version.versionId };
}
