/**
 * Server-side encryption: the bucket default (PutBucketEncryption, GetBucketEncryption,
 * DeleteBucketEncryption; SSE-S3 when none is set, as on AWS since 2023) and the SSE an
 * upload ends up with. SSE-KMS objects are sealed with a KMS data key (kms-envelope.ts);
 * SSE-C is refused.
 */
import { AwsError } from '../../core/errors.js';
import { partitionOf } from '../../core/ids.js';
import type { ServiceContext } from '../types.js';
import { requireBucket, str } from './common.js';
import { invalidArgument, malformedXml } from './errors.js';
import { s3Global, type BucketRecord, type SseInfo } from './store.js';

type In = Record<string, unknown>;

const ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

const DEFAULT_RULES = [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }];

/** PutBucketEncryption: exactly one default-encryption rule. */
export function putBucketEncryption(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const conf = input['ServerSideEncryptionConfiguration'] as In | undefined;
  const rules = conf?.['Rules'];
  if (!Array.isArray(rules) || rules.length !== 1) throw malformedXml();
  const rule = rules[0] as In;
  const def = rule['ApplyServerSideEncryptionByDefault'] as In | undefined;
  if (def) {
    const algorithm = str(def, 'SSEAlgorithm');
    if (!algorithm || !ALGORITHMS.has(algorithm)) throw malformedXml();
    if (def['KMSMasterKeyID'] !== undefined && algorithm === 'AES256') {
      throw invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 'ApplyServerSideEncryptionByDefault');
    }
  }
  bucket.encryption = [{ ...rule, BucketKeyEnabled: rule['BucketKeyEnabled'] ?? false }];
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/** GetBucketEncryption: the rule set, or SSE-S3 (AWS's default) when none is. */
export function getBucketEncryption(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  return { ServerSideEncryptionConfiguration: { Rules: bucket.encryption ?? DEFAULT_RULES } };
}

/** DeleteBucketEncryption: back to the SSE-S3 default. */
export function deleteBucketEncryption(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  delete bucket.encryption;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/**
 * The KMS key an SSE-KMS object is sealed under, as an ARN in the bucket's account and region;
 * with no key, the account's `aws/s3` managed key (KMS makes it on first use). Once sealed, the
 * version records the key ARN KMS answered with.
 */
export function kmsKeyArn(bucket: BucketRecord, keyId: string | undefined): string {
  const prefix = `arn:${partitionOf(bucket.region)}:kms:${bucket.region}:${bucket.account}:`;
  if (keyId === undefined || keyId === '') return `${prefix}alias/aws/s3`;
  if (keyId.startsWith('arn:')) return keyId;
  return keyId.startsWith('alias/') ? `${prefix}${keyId}` : `${prefix}key/${keyId}`;
}

/** The encryption a new object gets: what the request asks for, else the bucket default. */
export function resolveSse(bucket: BucketRecord, input: In): SseInfo {
  if (input['SSECustomerAlgorithm'] !== undefined || input['SSECustomerKey'] !== undefined) {
    throw new AwsError('NotImplemented', 'drydock does not implement server-side encryption with customer-provided keys (SSE-C) yet', 501);
  }
  const requested = str(input, 'ServerSideEncryption');
  const keyId = str(input, 'SSEKMSKeyId');
  const bucketKey = input['BucketKeyEnabled'] as boolean | undefined;
  if (requested !== undefined) {
    if (!ALGORITHMS.has(requested)) {
      throw invalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', requested);
    }
    if (requested === 'AES256') {
      if (keyId !== undefined) {
        throw invalidArgument('Server Side Encryption with AWS Key Management Service key id specified but no aws:kms encryption method specified', 'x-amz-server-side-encryption-aws-kms-key-id', keyId);
      }
      return { algorithm: 'AES256' };
    }
    const rule = defaultRule(bucket);
    return {
      algorithm: requested as SseInfo['algorithm'],
      kmsKeyId: kmsKeyArn(bucket, keyId ?? (rule?.algorithm === requested ? rule.keyId : undefined)),
      bucketKeyEnabled: bucketKey ?? rule?.bucketKey,
      context: str(input, 'SSEKMSEncryptionContext'),
    };
  }
  if (keyId !== undefined) {
    throw invalidArgument('Server Side Encryption with AWS Key Management Service key id specified but no aws:kms encryption method specified', 'x-amz-server-side-encryption-aws-kms-key-id', keyId);
  }
  const rule = defaultRule(bucket);
  if (!rule || rule.algorithm === 'AES256') return { algorithm: 'AES256' };
  return { algorithm: rule.algorithm, kmsKeyId: kmsKeyArn(bucket, rule.keyId), bucketKeyEnabled: bucketKey ?? rule.bucketKey };
}

function defaultRule(bucket: BucketRecord): { algorithm: SseInfo['algorithm']; keyId?: string; bucketKey?: boolean } | undefined {
  const rule = bucket.encryption?.[0];
  const def = rule?.['ApplyServerSideEncryptionByDefault'] as In | undefined;
  if (!rule || !def) return undefined;
  return { algorithm: def['SSEAlgorithm'] as SseInfo['algorithm'], keyId: str(def, 'KMSMasterKeyID'), bucketKey: rule['BucketKeyEnabled'] === true };
}

/** The SSE members of a response. */
export function sseOutput(sse: SseInfo): In {
  return {
    ServerSideEncryption: sse.algorithm,
    SSEKMSKeyId: sse.kmsKeyId,
    BucketKeyEnabled: sse.bucketKeyEnabled ? true : undefined,
  };
}
