/**
 * SSE-KMS as AWS does it: envelope encryption. Each object gets a data key from KMS
 * (GenerateDataKey, encryption context `aws:s3:arn`), its bytes are sealed with AES-256-GCM and
 * only the encrypted data key is kept. Reading asks KMS to Decrypt that key. Both KMS calls are
 * made as the S3 caller, so a caller without kms:GenerateDataKey cannot write and one without
 * kms:Decrypt cannot read — KMS's key policy and grants decide, as on AWS.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import type { ObjectVersion } from './store.js';

const IV = 12;
const TAG = 16;

function sealed(v: ObjectVersion): boolean {
  return v.sse.algorithm !== 'AES256';
}

/** The encryption context S3 binds a data key to: the object's ARN and any the caller added. */
function contextOf(bucket: string, key: string, v: ObjectVersion): Record<string, string> {
  let extra: Record<string, string> = {};
  if (v.sse.context !== undefined) {
    try {
      extra = JSON.parse(Buffer.from(v.sse.context, 'base64').toString('utf8')) as Record<string, string>;
    } catch {
      throw new AwsError('InvalidArgument', 'The header \'x-amz-server-side-encryption-context\' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map', 400);
    }
  }
  return { ...extra, 'aws:s3:arn': `arn:aws:s3:::${bucket}/${key}` };
}

/** A KMS refusal as S3 reports it: AccessDenied keeps KMS's reason; other errors are prefixed `KMS.`. */
function asS3Error(e: unknown): never {
  if (!(e instanceof AwsError)) throw e;
  if (e.code === 'AccessDeniedException' || e.code === 'AccessDenied') throw new AwsError('AccessDenied', e.message, 403);
  throw new AwsError(`KMS.${e.code}`, e.message, e.status >= 500 ? 503 : 400);
}

async function kms(ctx: ServiceContext, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  try {
    return await ctx.call({ service: 'kms', operation, input });
  } catch (e) {
    return asS3Error(e);
  }
}

/**
 * The bytes to store for a new version: sealed under a fresh data key for SSE-KMS (recording the
 * encrypted key and the key's ARN on the version), as they are otherwise.
 */
export async function sealBody(ctx: ServiceContext, bucket: string, key: string, v: ObjectVersion, body: Buffer): Promise<Buffer> {
  if (!sealed(v)) return body;
  const out = await kms(ctx, 'GenerateDataKey', {
    KeyId: v.sse.kmsKeyId ?? 'alias/aws/s3', KeySpec: 'AES_256', EncryptionContext: contextOf(bucket, key, v),
  });
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', out['Plaintext'] as Uint8Array, iv);
  const sealedBytes = Buffer.concat([iv, Buffer.alloc(TAG), cipher.update(body), cipher.final()]);
  cipher.getAuthTag().copy(sealedBytes, IV);
  // In place: the response the caller gets reports the key KMS actually used.
  Object.assign(v.sse, { kmsKeyId: String(out['KeyId']), dataKey: Buffer.from(out['CiphertextBlob'] as Uint8Array).toString('base64') });
  return sealedBytes;
}

/** The plaintext of stored bytes: SSE-KMS versions are opened with the data key KMS decrypts for the caller. */
export async function openBody(ctx: ServiceContext, bucket: string, key: string, v: ObjectVersion, stored: Buffer): Promise<Buffer> {
  if (!sealed(v) || v.sse.dataKey === undefined || stored.length < IV + TAG) return stored;
  const out = await kms(ctx, 'Decrypt', {
    CiphertextBlob: Buffer.from(v.sse.dataKey, 'base64'), KeyId: v.sse.kmsKeyId, EncryptionContext: contextOf(bucket, key, v),
  });
  const decipher = createDecipheriv('aes-256-gcm', out['Plaintext'] as Uint8Array, stored.subarray(0, IV));
  decipher.setAuthTag(stored.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(stored.subarray(IV + TAG)), decipher.final()]);
}
