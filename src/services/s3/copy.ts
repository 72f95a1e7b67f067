/**
 * CopyObject, and the copy source that UploadPartCopy shares: `x-amz-copy-source` parsing,
 * source preconditions, metadata and tagging directives, and S3's refusal of a copy onto
 * itself that changes nothing.
 */
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import { requestedAcl } from './acl.js';
import { ARCHIVE_CLASSES, objectKey, refuseObjectLock, requireBucket, requireBucketData, storageClass, str, userMetadata } from './common.js';
import { checkCopySourceConditions, checkWriteConditions } from './conditional.js';
import { resolveSse, sseOutput } from './encryption.js';
import { invalidArgument, invalidRequest, noSuchVersion } from './errors.js';
import { checksumAlgorithm, checksumOutput, checksumValue, singlePartEtag } from './integrity.js';
import { expirationHeader } from './lifecycle.js';
import { emitObjectEvent } from './notifications.js';
import { bucketData, wholeSeconds, type BucketRecord, type ObjectVersion } from './store.js';
import type { BucketData } from './bucket-data.js';
import { headerTags } from './tagging.js';
import { findVersion, reportedVersionId } from './versioning.js';
import { commitVersion, contentHeaders, currentObject, readBody } from './write.js';
import { checksumOf, md5Of, type Bytes } from './blobs.js';

type In = Record<string, unknown>;

/** The object a copy reads from. */
export interface CopySource {
  bucket: BucketRecord;
  data: BucketData;
  key: string;
  version: ObjectVersion;
  /** The source's plaintext: a Buffer, or a file (the source's blob, read in place, or a deciphered copy). */
  body: Bytes;
}

/** Reads `x-amz-copy-source` (`bucket/key[?versionId=…]`, URL-encoded) and finds the source version. */
export async function copySource(input: In, ctx: ServiceContext): Promise<CopySource> {
  const raw = str(input, 'CopySource') ?? '';
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/^\//, '');
  const versionId = q < 0 ? undefined : new URLSearchParams(raw.slice(q + 1)).get('versionId') ?? undefined;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', raw);
  let bucketName: string;
  let key: string;
  try {
    bucketName = decodeURIComponent(path.slice(0, slash));
    key = decodeURIComponent(path.slice(slash + 1));
  } catch {
    throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', raw);
  }
  const bucket = requireBucket(ctx, { Bucket: bucketName, ExpectedBucketOwner: input['ExpectedSourceBucketOwner'] });
  const data = bucketData(ctx.stores, bucket);
  let version: ObjectVersion;
  try {
    version = findVersion(bucket, data, key, versionId, 'read', 'GET').version;
  } catch (e) {
    if (e instanceof AwsError && e.code === 'MethodNotAllowed') {
      throw invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
    }
    if (e instanceof AwsError && e.code === 'InvalidArgument' && versionId !== undefined) throw noSuchVersion(key, versionId);
    throw e;
  }
  if (ARCHIVE_CLASSES.has(version.storageClass)) {
    throw new AwsError('InvalidObjectState', "The operation is not valid for the object's storage class", 403, { fields: { StorageClass: version.storageClass } });
  }
  checkCopySourceConditions(input, version, ctx.clock.nowMs());
  return { bucket, data, key, version, body: await readBody(ctx, bucket.name, key, data, version) };
}

function directive(input: In, member: string, header: string): 'COPY' | 'REPLACE' {
  const v = str(input, member);
  if (v === undefined) return 'COPY';
  if (v !== 'COPY' && v !== 'REPLACE') throw invalidArgument(`Unknown ${header === 'x-amz-metadata-directive' ? 'metadata' : 'tagging'} directive.`, header, v);
  return v;
}

/** CopyObject: a new object from a source version, with metadata and tagging directives. */
export async function copyObject(input: In, ctx: ServiceContext): Promise<In> {
  const { bucket, data } = requireBucketData(ctx, input);
  const key = objectKey(input);
  refuseObjectLock(input);
  const src = await copySource(input, ctx);
  const metaDirective = directive(input, 'MetadataDirective', 'x-amz-metadata-directive');
  const tagDirective = directive(input, 'TaggingDirective', 'x-amz-tagging-directive');
  const sc = input['StorageClass'] !== undefined ? storageClass(input) : undefined;
  const inPlace = src.bucket.name === bucket.name && src.key === key;
  const changesSse = input['ServerSideEncryption'] !== undefined || input['SSEKMSKeyId'] !== undefined;
  if (inPlace && metaDirective === 'COPY' && sc === undefined && !changesSse && input['WebsiteRedirectLocation'] === undefined) {
    throw invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  checkWriteConditions(input, currentObject(data, key), key);
  const s = src.version;
  const sse = resolveSse(bucket, input);
  const content = metaDirective === 'REPLACE'
    ? { ...contentHeaders(input), metadata: userMetadata(input) }
    : {
      contentType: s.contentType, contentEncoding: s.contentEncoding, contentDisposition: s.contentDisposition,
      contentLanguage: s.contentLanguage, cacheControl: s.cacheControl, expires: s.expires,
      websiteRedirectLocation: str(input, 'WebsiteRedirectLocation') ?? s.websiteRedirectLocation, metadata: { ...s.metadata },
    };
  // A copy is a new single-part object: its ETag is the MD5 of the bytes, whatever the source's was.
  const md5 = s.parts || s.sse.algorithm !== 'AES256'
    ? md5Of(src.body)
    : Buffer.from(s.etag.replace(/"/g, ''), 'hex');
  const requested = str(input, 'ChecksumAlgorithm');
  let sum = s.checksum && s.checksum.type === 'FULL_OBJECT' ? { ...s.checksum } : { algorithm: 'CRC64NVME' as const, type: 'FULL_OBJECT' as const };
  if (requested !== undefined) {
    const algorithm = checksumAlgorithm(requested);
    if (algorithm !== sum.algorithm) sum = { algorithm, type: 'FULL_OBJECT', value: checksumOf(src.body, algorithm) };
  }
  const version: ObjectVersion = {
    versionId: '', lastModifiedMs: wholeSeconds(ctx.clock.nowMs()), owner: ctx.principal.account,
    etag: singlePartEtag(md5, sse), size: s.size, storageClass: sc ?? 'STANDARD', ...content, checksum: sum, sse,
    tags: tagDirective === 'REPLACE' ? headerTags(str(input, 'Tagging')) : [...s.tags],
    acl: requestedAcl(input, bucket, ctx.principal.account),
  };
  await commitVersion(ctx, bucket, data, key, version, src.body);
  emitObjectEvent(ctx, bucket, { name: 'ObjectCreated:Copy', key, size: version.size, etag: version.etag, versionId: version.versionId, reason: 'CopyObject' });
  return {
    CopyObjectResult: {
      ETag: version.etag, LastModified: new Date(version.lastModifiedMs),
      ...checksumOutput(version.checksum, checksumValue(version, (a) => checksumOf(src.body, a))),
    },
    CopySourceVersionId: reportedVersionId(src.bucket, s),
    VersionId: reportedVersionId(bucket, version),
    ...sseOutput(sse),
    Expiration: expirationHeader(bucket, key, version),
  };
}
