/**
 * SSE-KMS queues, as far as a client can observe them: a sender must be able to have KMS
 * generate a data key under the queue's key, a receiver to have KMS decrypt it. Both calls go
 * to Drydock KMS as the SQS caller, so key policies, grants, disabled or deleted keys decide,
 * and a data key is reused for KmsDataKeyReusePeriodSeconds per queue and caller, as SQS
 * reuses them (a caller who lost access keeps it until the period ends). AWS services that
 * deliver to such a queue (SNS, EventBridge, S3, Lambda destinations) need the same from the
 * key policy for their service principal, which the AWS managed key `alias/aws/sqs` never
 * grants: their deliveries fail, as on AWS. Message bodies are kept as they were sent; only
 * the permissions and key states are enforced.
 */
import { AwsError } from '../../core/errors.js';
import { servicePrincipal } from '../../core/identity.js';
import { parseArn } from '../../core/ids.js';
import type { DeliveryMessage } from '../../core/ports.js';
import type { ServiceContext, ServiceHost } from '../types.js';
import { queueArn, type QueueRecord, type QueueRef } from './store.js';

interface DataKey { blob: Uint8Array; untilMs: number }

/** Per queue ARN: the data key senders last got, and who may use it until when. */
const dataKeys = new WeakMap<object, Map<string, DataKey>>();
const allowed = new WeakMap<object, Map<string, number>>();

/** KMS error codes → the SQS error shapes that carry them (`KMS.*` in query form). */
const SQS_KMS_ERRORS: Record<string, string> = {
  AccessDeniedException: 'KmsAccessDenied', DisabledException: 'KmsDisabled', NotFoundException: 'KmsNotFound',
  KMSInvalidStateException: 'KmsInvalidState', InvalidKeyUsageException: 'KmsInvalidKeyUsage', ThrottlingException: 'KmsThrottled',
};

function asSqsError(e: unknown): never {
  if (!(e instanceof AwsError)) throw e;
  const code = SQS_KMS_ERRORS[e.code];
  if (!code) throw e;
  const kmsCode = e.code === 'KMSInvalidStateException' ? 'InvalidStateException' : e.code;
  throw new AwsError(code, e.message, 400, { queryCode: `KMS.${kmsCode}` });
}

/** KmsDataKeyReusePeriodSeconds, 300 unless set. */
function reuseMs(q: QueueRecord): number {
  return Number(q.attributes['KmsDataKeyReusePeriodSeconds'] ?? 300) * 1000;
}

function mapOf<V>(m: WeakMap<object, Map<string, V>>, owner: object): Map<string, V> {
  let inner = m.get(owner);
  if (!inner) m.set(owner, (inner = new Map()));
  return inner;
}

async function kms(ctx: ServiceContext, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  try {
    return await ctx.call({ service: 'kms', operation, input });
  } catch (e) {
    return asSqsError(e);
  }
}

/** Before a send: the caller may generate (or reuses) a data key under the queue's KMS key. */
export async function kmsForSend(ctx: ServiceContext, ref: QueueRef): Promise<void> {
  const keyId = ref.queue.attributes['KmsMasterKeyId'];
  if (!keyId) return;
  const arn = queueArn(ref.queue);
  const now = ctx.clock.nowMs();
  const keys = mapOf(dataKeys, ctx.stores);
  const mine = keys.get(`${arn}\n${ctx.principal.arn}`);
  if (mine && mine.untilMs > now) return;
  const out = await kms(ctx, 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { 'aws:sqs:arn': arn } });
  const key = { blob: out['CiphertextBlob'] as Uint8Array, untilMs: now + reuseMs(ref.queue) };
  keys.set(`${arn}\n${ctx.principal.arn}`, key);
  keys.set(arn, key);
}

/** Before a receive: the caller may decrypt the queue's data key (nothing to check before any send). */
export async function kmsForReceive(ctx: ServiceContext, ref: QueueRef): Promise<void> {
  const keyId = ref.queue.attributes['KmsMasterKeyId'];
  if (!keyId) return;
  const arn = queueArn(ref.queue);
  const current = mapOf(dataKeys, ctx.stores).get(arn);
  if (!current) return;
  const now = ctx.clock.nowMs();
  const who = mapOf(allowed, ctx.stores);
  const until = who.get(`${arn}\n${ctx.principal.arn}`);
  if (until !== undefined && until > now) return;
  await kms(ctx, 'Decrypt', { CiphertextBlob: current.blob, EncryptionContext: { 'aws:sqs:arn': arn } });
  who.set(`${arn}\n${ctx.principal.arn}`, now + reuseMs(ref.queue));
}

/**
 * Before an AWS service's delivery: its service principal may have KMS generate a data key
 * under the queue's key, decided by the key policy with the source's `aws:SourceArn` and
 * `aws:SourceAccount`. A refusal fails the delivery with SQS's KMS error.
 */
export async function kmsForDelivery(host: ServiceHost, ref: QueueRef, m: DeliveryMessage): Promise<void> {
  const keyId = ref.queue.attributes['KmsMasterKeyId'];
  if (!keyId || !m.servicePrincipal) return;
  const arn = queueArn(ref.queue);
  const now = host.clock.nowMs();
  const keys = mapOf(dataKeys, host.stores);
  const who = `${arn}\n${m.servicePrincipal}\n${m.sourceArn ?? ''}`;
  const mine = keys.get(who);
  if (mine && mine.untilMs > now) return;
  const sourceAccount = (m.sourceArn ? parseArn(m.sourceArn)?.account : undefined) || ref.queue.account;
  let out: Record<string, unknown>;
  try {
    out = await host.call({
      service: 'kms', operation: 'GenerateDataKey', region: ref.queue.region,
      principal: servicePrincipal(m.servicePrincipal, sourceAccount), sourceArn: m.sourceArn, sourceAccount,
      input: { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { 'aws:sqs:arn': arn } },
    });
  } catch (e) {
    return asSqsError(e);
  }
  keys.set(who, { blob: out['CiphertextBlob'] as Uint8Array, untilMs: now + reuseMs(ref.queue) });
}
