/**
 * Upload integrity: Content-MD5 and the flexible checksums (`x-amz-checksum-*`, including the
 * ones the SDKs send as aws-chunked trailers, which the gateway has already merged into the
 * headers) are verified against the bytes received; the checksum is kept with the object and
 * returned when a client asks for it with `x-amz-checksum-mode: ENABLED`.
 */
import { createHash } from 'node:crypto';
import { randomBytes } from '../../core/random.js';
import { AwsError } from '../../core/errors.js';
import { CHECKSUM_ALGORITHMS, verifyChecksum, type ChecksumAlgorithm } from '../../protocols/checksums.js';
import { checksumOf, md5Of, type Bytes } from './blobs.js';
import { invalidRequest } from './errors.js';
import type { ObjectVersion, SseInfo, StoredChecksum } from './store.js';

type In = Record<string, unknown>;

/** Model member holding each algorithm's value. */
export const CHECKSUM_MEMBER: Record<ChecksumAlgorithm, string> = {
  CRC32: 'ChecksumCRC32', CRC32C: 'ChecksumCRC32C', CRC64NVME: 'ChecksumCRC64NVME', SHA1: 'ChecksumSHA1', SHA256: 'ChecksumSHA256',
};

const UNSUPPORTED = 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]';

/** An algorithm name as a client sends it (any case), or InvalidRequest. */
export function checksumAlgorithm(name: string): ChecksumAlgorithm {
  const a = CHECKSUM_ALGORITHMS.find((x) => x === name.toUpperCase());
  if (!a) throw invalidRequest(UNSUPPORTED);
  return a;
}

/** The single `x-amz-checksum-*` value a request carries, if any. */
export function sentChecksum(input: In): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  const sent = CHECKSUM_ALGORITHMS.filter((a) => typeof input[CHECKSUM_MEMBER[a]] === 'string');
  if (sent.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const algorithm = sent[0];
  return algorithm && { algorithm, value: input[CHECKSUM_MEMBER[algorithm]] as string };
}

/** What verifying an upload body gives: its MD5 and its checksum. */
export interface VerifiedBody {
  md5: Buffer;
  checksum: StoredChecksum;
}

function isCanonicalBase64(value: string, bytes: number): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && Buffer.from(value, 'base64').toString('base64') === value
    && Buffer.byteLength(value, 'base64') === bytes;
}

/**
 * Verifies Content-MD5 and any flexible checksum of an upload. `md5Digest` picks how S3
 * echoes the expected MD5 in BadDigest: hex for PutObject, as sent for UploadPart.
 */
export function verifyBody(input: In, body: Bytes, md5Digest: 'hex' | 'sent'): VerifiedBody {
  const md5 = md5Of(body);
  const contentMd5 = input['ContentMD5'];
  if (typeof contentMd5 === 'string') {
    if (!isCanonicalBase64(contentMd5, 16)) {
      throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { fields: { 'Content-MD5': contentMd5 } });
    }
    const calculated = md5.toString('base64');
    if (calculated !== contentMd5) {
      const expected = md5Digest === 'hex' ? Buffer.from(contentMd5, 'base64').toString('hex') : contentMd5;
      throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400,
        { fields: { ExpectedDigest: expected, CalculatedDigest: calculated } });
    }
  }
  const sent = sentChecksum(input);
  if (sent) {
    const problem = verifyChecksum(sent.algorithm, sent.value, () => checksumOf(body, sent.algorithm));
    if (problem) throw new AwsError(problem.code, problem.message, problem.status);
    return { md5, checksum: { algorithm: sent.algorithm, type: 'FULL_OBJECT', value: sent.value } };
  }
  const named = input['ChecksumAlgorithm'];
  if (typeof named === 'string' && named !== '') {
    const algorithm = checksumAlgorithm(named);
    return { md5, checksum: { algorithm, type: 'FULL_OBJECT', value: checksumOf(body, algorithm) } };
  }
  // S3 gives every new object a CRC64NVME; it is computed when first asked for.
  return { md5, checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT' } };
}

/** The quoted ETag of a single-part object: its MD5, except under SSE-KMS where it is not. */
export function singlePartEtag(md5: Buffer, sse: SseInfo): string {
  if (sse.algorithm === 'AES256') return `"${md5.toString('hex')}"`;
  return `"${createHash('md5').update(md5).update(randomBytes(16)).digest('hex')}"`;
}

/** The object's checksum value, computing the lazy default with `sum` (over the plaintext) on first use. */
export function checksumValue(version: ObjectVersion, sum: (algorithm: ChecksumAlgorithm) => string): string | undefined {
  const c = version.checksum;
  if (!c) return undefined;
  c.value ??= sum(c.algorithm);
  return c.value;
}

/** Checksum response members: `ChecksumCRC32` etc. and `ChecksumType`. */
export function checksumOutput(c: StoredChecksum | undefined, value: string | undefined): In {
  if (!c || value === undefined) return {};
  return { [CHECKSUM_MEMBER[c.algorithm]]: value, ChecksumType: c.type };
}
