/**
 * Object reads and writes: PutObject, GetObject, HeadObject and GetObjectAttributes, with
 * ranges, part reads, preconditions, checksums, SSE, tags, storage classes and user metadata.
 */
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { requestedAcl } from './acl.js';
import { ARCHIVE_CLASSES, objectKey, refuseObjectLock, requireBucketData, storageClass, str, userMetadata } from './common.js';
import { checkReadConditions, checkWriteConditions, parseRange, type ByteRange } from './conditional.js';
import { resolveSse, sseOutput } from './encryption.js';
import { invalidArgument, invalidRequest } from './errors.js';
import { checksumOutput, checksumValue, CHECKSUM_MEMBER, singlePartEtag, verifyBody } from './integrity.js';
import { expirationHeader } from './lifecycle.js';
import { emitObjectEvent } from './notifications.js';
import { wholeSeconds, type ObjectVersion } from './store.js';
import { headerTags } from './tagging.js';
import { findVersion, reportedVersionId } from './versioning.js';
import { commitVersion, contentHeaders, contentOutput, currentObject, readRange, versionChecksum } from './write.js';
import { checksumOf, sizeOf, uploadBody } from './blobs.js';

type In = Record<string, unknown>;

/** S3's single PUT limit. */
const MAX_PUT = 5 * 1024 ** 3;

/** PutObject: stores a new object (or version) after conditional-write, integrity and ACL checks. */
export async function putObject(input: In, ctx: ServiceContext): Promise<In> {
  const { bucket, data } = requireBucketData(ctx, input);
  const key = objectKey(input);
  const body = uploadBody(input);
  if (sizeOf(body) > MAX_PUT) {
    throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400,
      { fields: { ProposedSize: String(sizeOf(body)), MaxSizeAllowed: String(MAX_PUT) } });
  }
  if (input['WriteOffsetBytes'] !== undefined) {
    throw new AwsError('NotImplemented', 'drydock does not implement appends (x-amz-write-offset-bytes), which need a directory bucket', 501);
  }
  refuseObjectLock(input);
  checkWriteConditions(input, currentObject(data, key), key);
  const verified = verifyBody(input, body, 'hex');
  const sse = resolveSse(bucket, input);
  const version: ObjectVersion = {
    versionId: '', lastModifiedMs: wholeSeconds(ctx.clock.nowMs()), owner: ctx.principal.account,
    etag: singlePartEtag(verified.md5, sse), size: sizeOf(body), storageClass: storageClass(input),
    ...contentHeaders(input), metadata: userMetadata(input), checksum: verified.checksum, sse,
    tags: headerTags(str(input, 'Tagging')), acl: requestedAcl(input, bucket, ctx.principal.account),
  };
  await commitVersion(ctx, bucket, data, key, version, body);
  emitObjectEvent(ctx, bucket, { name: 'ObjectCreated:Put', key, size: version.size, etag: version.etag, versionId: version.versionId, reason: 'PutObject' });
  return {
    ETag: version.etag,
    ...checksumOutput(version.checksum, checksumValue(version, (a) => checksumOf(body, a))),
    ...sseOutput(sse),
    SSEKMSEncryptionContext: sse.context,
    VersionId: reportedVersionId(bucket, version),
    Expiration: expirationHeader(bucket, key, version),
  };
}

/** Which bytes a read serves: a Range, a part, or the whole object. */
function selection(input: In, v: ObjectVersion): { range?: ByteRange; part?: number } {
  const partNumber = input['PartNumber'];
  const rangeHeader = str(input, 'Range');
  if (partNumber !== undefined) {
    if (rangeHeader !== undefined) throw invalidRequest('Cannot specify both Range header and partNumber query parameter');
    const n = Number(partNumber);
    if (!Number.isInteger(n) || n < 1 || n > 10000) throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(partNumber));
    const sizes = v.parts?.map((p) => p.size) ?? [v.size];
    if (n > sizes.length) {
      throw new AwsError('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416,
        { fields: { PartNumberRequested: String(n), ActualPartCount: String(sizes.length) } });
    }
    const start = sizes.slice(0, n - 1).reduce((a, b) => a + b, 0);
    return { range: { start, end: start + sizes[n - 1]! - 1 }, part: n };
  }
  return { range: parseRange(rangeHeader, v.size) };
}

const OVERRIDES: [string, string][] = [
  ['ResponseContentType', 'ContentType'], ['ResponseContentLanguage', 'ContentLanguage'], ['ResponseExpires', 'Expires'],
  ['ResponseCacheControl', 'CacheControl'], ['ResponseContentDisposition', 'ContentDisposition'], ['ResponseContentEncoding', 'ContentEncoding'],
];

async function readObject(input: In, ctx: ServiceContext, withBody: boolean): Promise<In> {
  const { bucket, data } = requireBucketData(ctx, input);
  const key = objectKey(input);
  const { version } = findVersion(bucket, data, key, str(input, 'VersionId'), 'read', withBody ? 'GET' : 'HEAD');
  if (withBody && ARCHIVE_CLASSES.has(version.storageClass)) {
    throw new AwsError('InvalidObjectState', "The operation is not valid for the object's storage class", 403, { fields: { StorageClass: version.storageClass } });
  }
  checkReadConditions(input, version, ctx.clock.nowMs());
  const { range, part } = selection(input, version);
  const whole = !range || (range.start === 0 && range.end === version.size - 1);
  const out: In = {
    AcceptRanges: 'bytes',
    LastModified: new Date(version.lastModifiedMs),
    ContentLength: range ? range.end - range.start + 1 : version.size,
    ETag: version.etag,
    ...contentOutput(version),
    Metadata: version.metadata,
    VersionId: reportedVersionId(bucket, version),
    ...sseOutput(version.sse),
    StorageClass: version.storageClass === 'STANDARD' ? undefined : version.storageClass,
    Expiration: expirationHeader(bucket, key, version),
  };
  if (range) out['ContentRange'] = `bytes ${range.start}-${range.end}/${version.size}`;
  if (part !== undefined) out['PartsCount'] = version.parts?.length ?? 1;
  if (withBody && version.tags.length) out['TagCount'] = version.tags.length;
  if (str(input, 'ChecksumMode') === 'ENABLED') Object.assign(out, readChecksum(version, () => versionChecksum(ctx, data, version), whole, part));
  if (withBody) {
    if (ctx.principal.type === 'anonymous' && OVERRIDES.some(([q]) => input[q] !== undefined)) {
      throw invalidRequest('Request specific response headers cannot be used for anonymous GET requests.');
    }
    for (const [q, member] of OVERRIDES) if (input[q] !== undefined) out[member] = input[q];
    const start = range?.start ?? 0;
    out['Body'] = await readRange(ctx, bucket.name, key, data, version, start, range ? range.end - start + 1 : version.size);
  }
  return out;
}

/** The checksum a read returns: the object's for whole reads, the part's for part reads of composite objects. */
function readChecksum(v: ObjectVersion, value: () => string | undefined, whole: boolean, part: number | undefined): In {
  if (!v.checksum) return {};
  if (part !== undefined && v.parts) {
    const value = v.parts[part - 1]?.checksum;
    return value === undefined ? {} : { [CHECKSUM_MEMBER[v.checksum.algorithm]]: value, ChecksumType: v.checksum.type };
  }
  if (!whole) return {};
  return checksumOutput(v.checksum, value());
}

/** GetObject: the bytes of a version, a range or a part. */
export function getObject(input: In, ctx: ServiceContext): Promise<In> {
  return readObject(input, ctx, true);
}

/** HeadObject: GetObject without the body. */
export function headObject(input: In, ctx: ServiceContext): Promise<In> {
  return readObject(input, ctx, false);
}

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

/** GetObjectAttributes: only the attributes asked for. */
export function getObjectAttributes(input: In, ctx: ServiceContext): In {
  const { bucket, data } = requireBucketData(ctx, input);
  const key = objectKey(input);
  const wanted = new Set(((input['ObjectAttributes'] as string[] | undefined) ?? []).map((a) => a.trim()));
  for (const a of wanted) if (!ATTRIBUTES.has(a)) throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', a);
  const { version } = findVersion(bucket, data, key, str(input, 'VersionId'), 'read', 'GET');
  const out: In = { LastModified: new Date(version.lastModifiedMs), VersionId: reportedVersionId(bucket, version) };
  if (wanted.has('ETag')) out['ETag'] = version.etag.replace(/"/g, '');
  if (wanted.has('StorageClass')) out['StorageClass'] = version.storageClass;
  if (wanted.has('ObjectSize')) out['ObjectSize'] = version.size;
  if (wanted.has('Checksum') && version.checksum) {
    const value = versionChecksum(ctx, data, version);
    if (value !== undefined) out['Checksum'] = { [CHECKSUM_MEMBER[version.checksum.algorithm]]: value, ChecksumType: version.checksum.type };
  }
  if (wanted.has('ObjectParts') && version.parts) out['ObjectParts'] = objectParts(input, version);
  return out;
}

function objectParts(input: In, v: ObjectVersion): In {
  const parts = v.parts!;
  const marker = Number(input['PartNumberMarker'] ?? 0) || 0;
  const max = Math.min(Number(input['MaxParts'] ?? 1000) || 1000, 1000);
  const out: In = { TotalPartsCount: parts.length };
  const hasMarker = input['PartNumberMarker'] !== undefined;
  if (input['MaxParts'] === undefined && !hasMarker) return out;
  const page = parts.map((p, i) => ({ n: i + 1, ...p })).filter((p) => p.n > marker).slice(0, max);
  const truncated = marker + page.length < parts.length;
  return {
    ...out, PartNumberMarker: String(marker), NextPartNumberMarker: String(page.at(-1)?.n ?? marker), MaxParts: max, IsTruncated: truncated,
    Parts: page.map((p) => ({
      PartNumber: p.n, Size: p.size,
      ...(p.checksum !== undefined && v.checksum ? { [CHECKSUM_MEMBER[v.checksum.algorithm]]: p.checksum } : {}),
    })),
  };
}
