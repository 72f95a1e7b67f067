/**
 * SSE-KMS as AWS does it: envelope encryption. Each object gets a data key from KMS
 * (GenerateDataKey, encryption context `aws:s3:arn`), its bytes are sealed with AES-256-GCM and
 * only the encrypted data key is kept. Reading asks KMS to Decrypt that key. Both KMS calls are
 * made as the S3 caller, so a caller without kms:GenerateDataKey cannot write and one without
 * kms:Decrypt cannot read — KMS's key policy and grants decide, as on AWS.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { randomBytes } from '../../core/random.js';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { Transform } from 'node:stream';
import { fileSlice, type StreamBody } from '../../protocols/body-file.js';
import { AwsError } from '../../core/errors.js';
import type { ServiceContext } from '../types.js';
import type { ObjectVersion } from './store.js';
import {
  blobPath, isBlob, keepBytes, newBlobFile, scanFile, storedAsBytes, type Bytes, type FileBytes, type StoredBytes,
} from './blobs.js';

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
 * Stores the bytes of a new version: sealed under a fresh data key for SSE-KMS (recording the
 * encrypted key and the key's ARN on the version), as they are otherwise. A large body is
 * sealed as it is copied into its blob file, in the same layout (IV, tag, ciphertext).
 */
export async function sealBody(ctx: ServiceContext, bucket: string, key: string, v: ObjectVersion, body: Bytes): Promise<StoredBytes> {
  if (!sealed(v)) return keepBytes(ctx.stores, body);
  const out = await kms(ctx, 'GenerateDataKey', {
    KeyId: v.sse.kmsKeyId ?? 'alias/aws/s3', KeySpec: 'AES_256', EncryptionContext: contextOf(bucket, key, v),
  });
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', out['Plaintext'] as Uint8Array, iv);
  // In place: the response the caller gets reports the key KMS actually used.
  Object.assign(v.sse, { kmsKeyId: String(out['KeyId']), dataKey: Buffer.from(out['CiphertextBlob'] as Uint8Array).toString('base64') });
  if (Buffer.isBuffer(body)) {
    const sealedBytes = Buffer.concat([iv, Buffer.alloc(TAG), cipher.update(body), cipher.final()]);
    cipher.getAuthTag().copy(sealedBytes, IV);
    return keepBytes(ctx.stores, sealedBytes);
  }
  const path = newBlobFile(ctx.stores);
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, Buffer.concat([iv, Buffer.alloc(TAG)]));
    scanFile(body.path, (p) => writeSync(fd, cipher.update(p)));
    writeSync(fd, cipher.final());
    writeSync(fd, cipher.getAuthTag(), 0, TAG, IV);
  } finally {
    closeSync(fd);
  }
  if (body.owned) rmSync(body.path, { force: true });
  return keepBytes(ctx.stores, { kind: 'file', path, size: IV + TAG + body.size, owned: true });
}

async function dataKey(ctx: ServiceContext, bucket: string, key: string, v: ObjectVersion): Promise<Uint8Array> {
  const out = await kms(ctx, 'Decrypt', {
    CiphertextBlob: Buffer.from(v.sse.dataKey!, 'base64'), KeyId: v.sse.kmsKeyId, EncryptionContext: contextOf(bucket, key, v),
  });
  return out['Plaintext'] as Uint8Array;
}

function open(key: Uint8Array, stored: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(0, IV));
  decipher.setAuthTag(stored.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(stored.subarray(IV + TAG)), decipher.final()]);
}

/** The plaintext of stored bytes: SSE-KMS versions are opened with the data key KMS decrypts for the caller. */
export async function openBody(ctx: ServiceContext, bucket: string, key: string, v: ObjectVersion, stored: Buffer): Promise<Buffer> {
  if (!sealed(v) || v.sse.dataKey === undefined || stored.length < IV + TAG) return stored;
  return open(await dataKey(ctx, bucket, key, v), stored);
}

/**
 * The plaintext of stored bytes as input for another write (a copy): a sealed blob is opened
 * into a temporary file (its tag checked), an unsealed one is read in place.
 */
export async function plainBytes(ctx: ServiceContext, bucket: string, key: string, v: ObjectVersion, stored: StoredBytes): Promise<Bytes> {
  if (!isBlob(stored)) return openBody(ctx, bucket, key, v, stored);
  const source = storedAsBytes(ctx.stores, stored) as FileBytes;
  if (!sealed(v) || v.sse.dataKey === undefined) return source;
  const k = await dataKey(ctx, bucket, key, v);
  const head = Buffer.alloc(IV + TAG);
  scanFile(source.path, (p) => p.copy(head), 0, IV + TAG);
  const decipher = createDecipheriv('aes-256-gcm', k, head.subarray(0, IV));
  decipher.setAuthTag(head.subarray(IV));
  const path = newBlobFile(ctx.stores);
  const fd = openSync(path, 'wx');
  try {
    scanFile(source.path, (p) => writeSync(fd, decipher.update(p)), IV + TAG);
    writeSync(fd, decipher.final());
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  } finally {
    closeSync(fd);
  }
  return { kind: 'file', path, size: stored.size - IV - TAG, owned: true };
}

/**
 * What a read sends: `size` plaintext bytes from `start`. A blob streams from its file; a
 * sealed blob is deciphered on the way as AES-CTR from the block holding `start` (GCM's
 * keystream is CTR from counter 2), so a range reads only its own bytes.
 */
export async function readStored(ctx: ServiceContext, bucket: string, key: string, v: ObjectVersion, stored: StoredBytes, start: number, size: number): Promise<Buffer | StreamBody> {
  if (!isBlob(stored)) {
    const plain = await openBody(ctx, bucket, key, v, stored);
    return start === 0 && size === plain.length ? plain : plain.subarray(start, start + size);
  }
  const path = blobPath(ctx.stores, stored);
  if (!sealed(v) || v.sse.dataKey === undefined) return fileSlice(path, start, size);
  const k = await dataKey(ctx, bucket, key, v);
  const iv = Buffer.alloc(IV);
  scanFile(path, (p) => p.copy(iv), 0, IV);
  const block = Math.floor(start / 16);
  const counter = Buffer.concat([iv, Buffer.alloc(4)]);
  counter.writeUInt32BE((2 + block) >>> 0, IV);
  const skip = start - block * 16;
  return {
    kind: 'stream', size,
    open: () => {
      const decipher = createDecipheriv('aes-256-ctr', k, counter);
      let drop = skip;
      const plain = new Transform({
        transform(chunk: Buffer, _enc, done) {
          let out = decipher.update(chunk);
          if (drop) { const n = Math.min(drop, out.length); out = out.subarray(n); drop -= n; }
          done(null, out);
        },
      });
      const file = fileSlice(path, IV + TAG + block * 16, skip + size).open();
      file.on('error', (e) => plain.destroy(e));
      return file.pipe(plain);
    },
  };
}
