/**
 * Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy,
 * CompleteMultipartUpload and AbortMultipartUpload, with S3's part rules (numbers 1–10000,
 * 5 MiB minimum except for the last part, ascending order, matching ETags), the
 * `"<md5 of the part MD5s>-N"` ETag, composite and full-object checksums, and conditional
 * completes. Listing parts and uploads lives in `listing.ts`.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { rmSync } from 'node:fs';
import { checksum, checksumHasher, type ChecksumAlgorithm } from '../../protocols/checksums.js';
import { BLOB_THRESHOLD, checksumOf, concatBytes, keepBytes, md5Of, sizeOf, storedAsBytes, uploadBody, type Bytes } from './blobs.js';
import type { ServiceContext } from '../types.js';
import { requestedAcl } from './acl.js';
import { epochMs, objectKey, partNumber, refuseObjectLock, requireBucketData, storageClass, str, userMetadata } from './common.js';
import { checkWriteConditions } from './conditional.js';
import { copySource } from './copy.js';
import { resolveSse, sseOutput } from './encryption.js';
import { conditionalConflict, invalidArgument, invalidRequest, malformedXml, noSuchUpload, preconditionFailed } from './errors.js';
import { checksumAlgorithm, CHECKSUM_MEMBER, checksumOutput, checksumValue, sentChecksum, verifyBody } from './integrity.js';
import { expirationHeader } from './lifecycle.js';
import { emitObjectEvent } from './notifications.js';
import { contentHeadersOf, randomId, wholeSeconds, type ObjectVersion, type UploadRecord } from './store.js';
import type { BucketData } from './bucket-data.js';
import { headerTags } from './tagging.js';
import { reportedVersionId } from './versioning.js';
import { commitVersion, contentHeaders, currentObject } from './write.js';

type In = Record<string, unknown>;

const MIN_PART = 5 * 1024 * 1024;
const MAX_PART = 5 * 1024 ** 3;

/** The upload a request names, which must be for the request's key. */
export function requireUpload(data: BucketData, input: In): UploadRecord {
  const uploadId = str(input, 'UploadId') ?? '';
  const upload = data.uploads.get(uploadId);
  if (!upload || upload.key !== str(input, 'Key')) throw noSuchUpload(uploadId);
  return upload;
}

/** Identity of the key's current object, so a conditional complete can tell it changed meanwhile. */
function stamp(v: ObjectVersion | undefined): string | undefined {
  return v && `${v.versionId}|${v.etag}|${v.lastModifiedMs}`;
}

/** CreateMultipartUpload: the upload's object settings and its checksum algorithm and type. */
export function createMultipartUpload(input: In, ctx: ServiceContext): In {
  const { bucket, data } = requireBucketData(ctx, input);
  refuseObjectLock(input);
  const key = objectKey(input);
  const algorithmName = str(input, 'ChecksumAlgorithm');
  const typeName = str(input, 'ChecksumType');
  if (typeName !== undefined && algorithmName === undefined) {
    throw invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
  }
  const algorithm = algorithmName === undefined ? undefined : checksumAlgorithm(algorithmName);
  let type: UploadRecord['checksumType'];
  if (algorithm) {
    if (typeName !== undefined && typeName !== 'COMPOSITE' && typeName !== 'FULL_OBJECT') throw invalidRequest(`Value for x-amz-checksum-type header is invalid.`);
    type = (typeName as UploadRecord['checksumType']) ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
    if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') throw invalidRequest('The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
    if (type === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) {
      throw invalidRequest(`The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
    }
  }
  const sse = resolveSse(bucket, input);
  const upload: UploadRecord = {
    uploadId: randomId(64), key, initiatedMs: ctx.clock.nowMs(), owner: ctx.principal.account,
    initiatorArn: ctx.principal.type === 'root' ? '' : ctx.principal.arn, storageClass: storageClass(input),
    ...contentHeaders(input), metadata: userMetadata(input), tags: headerTags(str(input, 'Tagging')),
    acl: requestedAcl(input, bucket, ctx.principal.account), sse, checksumAlgorithm: algorithm, checksumType: type,
    startedOver: stamp(currentObject(data, key)), parts: {},
  };
  data.uploads.set(upload.uploadId, upload);
  return {
    Bucket: bucket.name, Key: key, UploadId: upload.uploadId, ...sseOutput(sse),
    ChecksumAlgorithm: algorithm, ChecksumType: type,
  };
}

function storePart(ctx: ServiceContext, data: BucketData, upload: UploadRecord, n: number, body: Bytes, etag: string, sum: string | undefined): void {
  const now = ctx.clock.nowMs();
  const dataKey = `${upload.uploadId}/${n}`;
  data.releasePart(dataKey, upload.storageClass, now);
  data.storeBytes('parts', dataKey, keepBytes(ctx.stores, body), upload.storageClass, now);
  upload.parts[String(n)] = { partNumber: n, etag, size: sizeOf(body), lastModifiedMs: wholeSeconds(now), checksum: sum };
  data.uploads.set(upload.uploadId, upload);
}

/** The part's checksum under the upload's algorithm; a part sent with another algorithm is refused. */
function partChecksum(upload: UploadRecord, input: In, body: Bytes): string | undefined {
  const sent = sentChecksum(input);
  if (!upload.checksumAlgorithm) return undefined;
  if (sent && sent.algorithm !== upload.checksumAlgorithm) {
    throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${sent.algorithm.toLowerCase()}`);
  }
  return sent?.value ?? checksumOf(body, upload.checksumAlgorithm);
}

/** UploadPart: stores one part, verifying Content-MD5 and checksums. */
export function uploadPart(input: In, ctx: ServiceContext): In {
  const { data } = requireBucketData(ctx, input);
  const upload = requireUpload(data, input);
  const n = partNumber(input['PartNumber']);
  const body = uploadBody(input);
  if (sizeOf(body) > MAX_PART) {
    throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400,
      { fields: { ProposedSize: String(sizeOf(body)), MaxSizeAllowed: String(MAX_PART) } });
  }
  const verified = verifyBody(input, body, 'sent');
  const sum = partChecksum(upload, input, body);
  const etag = `"${verified.md5.toString('hex')}"`;
  storePart(ctx, data, upload, n, body, etag, sum);
  const out: In = { ETag: etag, ...sseOutput(upload.sse) };
  const sent = sentChecksum(input);
  if (sum !== undefined) out[CHECKSUM_MEMBER[upload.checksumAlgorithm!]] = sum;
  else if (sent) out[CHECKSUM_MEMBER[sent.algorithm]] = sent.value;
  return out;
}

/** Reads `x-amz-copy-source-range` (`bytes=first-last`) against a source of `size` bytes. */
function copyRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(value);
  const form = 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy';
  if (!m || Number(m[2]) < Number(m[1])) throw invalidArgument(form, 'x-amz-copy-source-range', value);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start >= size) throw invalidRequest('The specified copy range is invalid for the source object size');
  if (end >= size) throw invalidArgument(`Range specified is not valid for source object of size: ${size}`, 'x-amz-copy-source-range', value);
  return { start, end };
}

/** UploadPartCopy: a part copied from (a range of) another object. */
export async function uploadPartCopy(input: In, ctx: ServiceContext): Promise<In> {
  const { data } = requireBucketData(ctx, input);
  const upload = requireUpload(data, input);
  const n = partNumber(input['PartNumber']);
  const src = await copySource(input, ctx);
  const range = copyRange(str(input, 'CopySourceRange'), src.version.size);
  let body: Bytes = src.body;
  if (range && Buffer.isBuffer(src.body)) body = src.body.subarray(range.start, range.end + 1);
  else if (range) body = concatBytes(ctx.stores, [{ bytes: src.body, start: range.start, size: range.end - range.start + 1 }]);
  const etag = `"${md5Of(body).toString('hex')}"`;
  const sum = upload.checksumAlgorithm ? checksumOf(body, upload.checksumAlgorithm) : undefined;
  storePart(ctx, data, upload, n, Buffer.isBuffer(body) ? Buffer.from(body) : body, etag, sum);
  const result: In = { ETag: etag, LastModified: new Date(wholeSeconds(ctx.clock.nowMs())) };
  if (sum !== undefined && upload.checksumAlgorithm) result[CHECKSUM_MEMBER[upload.checksumAlgorithm]] = sum;
  return { CopyPartResult: result, CopySourceVersionId: reportedVersionId(src.bucket, src.version), ...sseOutput(upload.sse) };
}

/** AbortMultipartUpload: drops the upload and its parts. */
export function abortMultipartUpload(input: In, ctx: ServiceContext): In {
  const { data } = requireBucketData(ctx, input);
  const upload = requireUpload(data, input);
  const initiated = epochMs(input['IfMatchInitiatedTime']);
  if (initiated !== undefined && Math.floor(initiated / 1000) !== Math.floor(upload.initiatedMs / 1000)) {
    throw preconditionFailed('x-amz-if-match-initiated-time');
  }
  dropUpload(data, upload, ctx.clock.nowMs());
  return {};
}

/** Forgets an upload and gives back the bytes of its parts. */
export function dropUpload(data: BucketData, upload: UploadRecord, nowMs: number): void {
  for (const n of Object.keys(upload.parts)) data.releasePart(`${upload.uploadId}/${n}`, upload.storageClass, nowMs);
  data.uploads.delete(upload.uploadId);
}

interface ListedPart { PartNumber: number; ETag: string; checksum?: string }

function listedParts(input: In, upload: UploadRecord): ListedPart[] {
  const raw = (input['MultipartUpload'] as In | undefined)?.['Parts'];
  if (raw === undefined) throw malformedXml();
  if (!Array.isArray(raw) || raw.length === 0) throw invalidRequest('You must specify at least one part');
  return (raw as In[]).map((p) => ({
    PartNumber: Number(p['PartNumber']), ETag: String(p['ETag'] ?? ''),
    checksum: upload.checksumAlgorithm ? str(p, CHECKSUM_MEMBER[upload.checksumAlgorithm]) : undefined,
  }));
}

/** Checks the listed parts against the uploaded ones, in S3's order of checks. */
function checkParts(upload: UploadRecord, listed: ListedPart[]): void {
  for (let i = 1; i < listed.length; i++) {
    if (listed[i]!.PartNumber <= listed[i - 1]!.PartNumber) {
      throw new AwsError('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, { fields: { UploadId: upload.uploadId } });
    }
  }
  listed.forEach((p, i) => {
    const part = upload.parts[String(p.PartNumber)];
    const bare = p.ETag.replace(/"/g, '');
    if (!part || part.etag.replace(/"/g, '') !== bare) {
      throw new AwsError('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400,
        { fields: { UploadId: upload.uploadId, PartNumber: String(p.PartNumber), ETag: bare } });
    }
    if (i < listed.length - 1 && part.size < MIN_PART) {
      throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400,
        { fields: { ProposedSize: String(part.size), MinSizeAllowed: String(MIN_PART), PartNumber: String(p.PartNumber), ETag: bare } });
    }
    if (upload.checksumType === 'COMPOSITE') {
      const algo = upload.checksumAlgorithm!.toLowerCase();
      if (p.checksum === undefined) {
        throw invalidRequest(`The upload was created using a ${algo} checksum. The complete request must include the checksum for each part. It was missing for part ${p.PartNumber} in the request.`);
      }
      if (p.checksum !== part.checksum) throw new AwsError('BadDigest', `The ${algo} you specified for part ${p.PartNumber} did not match what we received.`, 400);
    }
  });
}

/** The object checksum of a completed upload. */
function finalChecksum(upload: UploadRecord, listed: ListedPart[], body: Bytes): ObjectVersion['checksum'] {
  const algorithm = upload.checksumAlgorithm;
  if (!algorithm) return { algorithm: 'CRC64NVME', type: 'FULL_OBJECT' };
  if (upload.checksumType === 'FULL_OBJECT') return { algorithm, type: 'FULL_OBJECT', value: checksumOf(body, algorithm) };
  const raw = Buffer.concat(listed.map((p) => Buffer.from(upload.parts[String(p.PartNumber)]!.checksum ?? '', 'base64')));
  return { algorithm, type: 'COMPOSITE', value: `${checksum(algorithm, raw)}-${listed.length}` };
}

function checkCompleteConditions(input: In, data: BucketData, upload: UploadRecord, key: string): void {
  const current = currentObject(data, key);
  checkWriteConditions(input, current, key);
  const condition = str(input, 'IfNoneMatch') !== undefined ? 'If-None-Match' : str(input, 'IfMatch') !== undefined ? 'If-Match' : undefined;
  if (condition && stamp(current) !== upload.startedOver) throw conditionalConflict(condition, key);
}

function checkRequestChecksum(input: In, upload: UploadRecord, sum: ObjectVersion['checksum']): void {
  const type = str(input, 'ChecksumType');
  if (type !== undefined && type !== upload.checksumType) {
    throw invalidRequest(`The upload was created using the ${upload.checksumType ?? 'null'} checksum mode. The complete request must use the same checksum mode.`);
  }
  const sent = sentChecksum(input);
  if (!sent || !sum || sum.type !== 'FULL_OBJECT' || sum.value === undefined) return;
  if (sent.algorithm === sum.algorithm && sent.value !== sum.value) {
    throw new AwsError('BadDigest', `The ${sent.algorithm.toLowerCase()} you specified did not match the calculated checksum.`, 400);
  }
}

/** CompleteMultipartUpload: checks the listed parts and makes the object. */
export async function completeMultipartUpload(input: In, ctx: ServiceContext): Promise<In> {
  const { bucket, data } = requireBucketData(ctx, input);
  const upload = requireUpload(data, input);
  const key = upload.key;
  const listed = listedParts(input, upload);
  checkParts(upload, listed);
  const total = listed.reduce((n, p) => n + upload.parts[String(p.PartNumber)]!.size, 0);
  const size = input['MpuObjectSize'];
  if (size !== undefined && Number(size) !== total) {
    throw invalidRequest(`The provided 'x-amz-mp-object-size' header value ${String(size)} does not match what was computed: ${total}`);
  }
  checkCompleteConditions(input, data, upload, key);
  const body = joinParts(ctx, data, upload, listed, total);
  try {
    return await complete(input, ctx, upload, listed, body);
  } finally {
    // Moved into place when the object was made; otherwise the joined file is no longer needed.
    if (!Buffer.isBuffer(body)) rmSync(body.path, { force: true });
  }
}

/**
 * The parts' bytes, joined: in memory when all are small, else into one file, the upload's
 * full-object checksum taken on the way.
 */
function joinParts(ctx: ServiceContext, data: BucketData, upload: UploadRecord, listed: ListedPart[], total: number): Bytes {
  const stored = listed.map((p) => data.parts.get(`${upload.uploadId}/${p.PartNumber}`) ?? Buffer.alloc(0));
  if (total <= BLOB_THRESHOLD && stored.every((s) => Buffer.isBuffer(s))) {
    return stored.length === 1 ? stored[0] as Buffer : Buffer.concat(stored as Buffer[]);
  }
  // The object's whole-body checksum (the upload's, or S3's CRC64NVME default) in the same pass.
  const algorithm = !upload.checksumAlgorithm ? 'CRC64NVME' : upload.checksumType === 'FULL_OBJECT' ? upload.checksumAlgorithm : undefined;
  const hasher = algorithm && checksumHasher(algorithm);
  const file = concatBytes(ctx.stores, stored.map((s) => ({ bytes: storedAsBytes(ctx.stores, s) })), hasher ? (p) => hasher.update(p) : undefined);
  if (algorithm && hasher) file.checksums = { [algorithm]: hasher.digest() };
  return file;
}

async function complete(input: In, ctx: ServiceContext, upload: UploadRecord, listed: ListedPart[], body: Bytes): Promise<In> {
  const { bucket, data } = requireBucketData(ctx, input);
  const key = upload.key;
  const sum = finalChecksum(upload, listed, body);
  checkRequestChecksum(input, upload, sum);
  const md5s = Buffer.concat(listed.map((p) => Buffer.from(upload.parts[String(p.PartNumber)]!.etag.replace(/"/g, ''), 'hex')));
  const version: ObjectVersion = {
    versionId: '', lastModifiedMs: wholeSeconds(ctx.clock.nowMs()), owner: upload.owner,
    etag: `"${createHash('md5').update(md5s).digest('hex')}-${listed.length}"`, size: sizeOf(body), storageClass: upload.storageClass,
    ...contentHeadersOf(upload), metadata: upload.metadata, checksum: sum,
    parts: listed.map((p) => ({ size: upload.parts[String(p.PartNumber)]!.size, checksum: upload.parts[String(p.PartNumber)]!.checksum })),
    sse: upload.sse, tags: upload.tags, acl: upload.acl,
  };
  await commitVersion(ctx, bucket, data, key, version, body);
  dropUpload(data, upload, ctx.clock.nowMs());
  emitObjectEvent(ctx, bucket, {
    name: 'ObjectCreated:CompleteMultipartUpload', key, size: version.size, etag: version.etag, versionId: version.versionId,
    reason: 'CompleteMultipartUpload',
  });
  return {
    Location: `${ctx.endpoint}/${bucket.name}/${key.split('/').map(encodeURIComponent).join('/')}`,
    Bucket: bucket.name, Key: key, ETag: version.etag,
    ...checksumOutput(sum, checksumValue(version, (a) => checksumOf(body, a))),
    VersionId: reportedVersionId(bucket, version), ...sseOutput(upload.sse),
    Expiration: expirationHeader(bucket, key, version),
  };
}

/** Checksum members of a part, for ListParts. */
export function partChecksumOutput(algorithm: ChecksumAlgorithm | undefined, value: string | undefined): In {
  return algorithm && value !== undefined ? { [CHECKSUM_MEMBER[algorithm]]: value } : {};
}
