/**
 * SQS's side of the delivery port: another service (SNS, EventBridge, S3 notifications)
 * sends a message to a queue by ARN. The queue's policy decides whether the sending service
 * may (`sqs:SendMessage` for its service principal, with `aws:SourceArn` and
 * `aws:SourceAccount` of the source) when the queue has a policy or belongs to another
 * account than the source; a queue of the same account without a policy takes the message,
 * which is what a newcomer expects locally (AWS would want a policy there too). The message
 * goes through the same checks and FIFO deduplication as SendMessage.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { parseArn } from '../../core/ids.js';
import type { DeliveryMessage } from '../../core/ports.js';
import type { ServiceHost } from '../types.js';
import { evaluate, parsePolicy } from '../../engines/iam-policy/index.js';
import { invalidParameter, queueDoesNotExist } from './errors.js';
import { kmsForDelivery } from './kms.js';
import { effectiveDedupId, findDuplicate, rememberDedup } from './fifo.js';
import { md5Hex, messageSize } from './md5.js';
import { enqueue, numAttr, queueArn, queueByArn, type MessageRecord, type QueueRef } from './store.js';
import { checkBody, checkFifoId, checkMessageAttributes } from './validate.js';

/** The SenderId SQS shows for messages that AWS services deliver on their own behalf. */
const SERVICE_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

/** Refuses the delivery unless the queue's policy lets the service send to it. */
function authorize(ref: QueueRef, m: DeliveryMessage, now: Date): void {
  const document = ref.queue.attributes['Policy'];
  const source = m.sourceArn ? parseArn(m.sourceArn) : undefined;
  const sourceAccount = source?.account || ref.queue.account;
  if (!document && sourceAccount === ref.queue.account) return;
  const arn = queueArn(ref.queue);
  const context: Record<string, string> = { 'aws:SourceAccount': sourceAccount };
  if (m.sourceArn) context['aws:SourceArn'] = m.sourceArn;
  const decision = evaluate({
    principal: m.servicePrincipal
      ? { type: 'service', arn: m.servicePrincipal, account: sourceAccount, userId: m.servicePrincipal }
      : { type: 'root', arn: `arn:aws:iam::${sourceAccount}:root`, account: sourceAccount, userId: sourceAccount },
    action: 'sqs:SendMessage',
    resources: [arn],
    context,
    identityPolicies: [],
    resourcePolicy: document
      ? { policy: parsePolicy(document, { kind: 'resource', id: `${arn}/policy`, name: 'queue policy' }), resourceAccount: ref.queue.account }
      : undefined,
    resourceAccount: ref.queue.account,
    now,
  });
  if (decision.decision !== 'Allow') {
    throw new AwsError('AccessDenied', `${m.servicePrincipal ?? sourceAccount} is not authorized to perform: sqs:SendMessage on resource: ${arn} ${decision.message}`, 403);
  }
}

/**
 * Delivers a message to the queue an ARN names, as SendMessage would; rejects with an
 * AwsError when the queue is missing, the policy refuses, or the message is not valid there.
 */
export async function deliverToQueue(host: ServiceHost, targetArn: string, m: DeliveryMessage): Promise<void> {
  const { stores, clock } = host;
  const ref = queueByArn(stores, targetArn);
  if (!ref) throw queueDoesNotExist();
  authorize(ref, m, clock.now());
  await kmsForDelivery(host, ref, m);
  const now = clock.nowMs();
  const q = ref.queue;
  const err = checkBody(m.body) ?? checkMessageAttributes(m.attributes)
    ?? checkFifoId(m.messageGroupId, 'MessageGroupId') ?? checkFifoId(m.messageDeduplicationId, 'MessageDeduplicationId');
  if (err) throw err;
  const max = numAttr(q, 'MaximumMessageSize');
  if (messageSize(m.body, m.attributes) > max) throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
  let dedupId: string | undefined;
  if (q.fifo) {
    if (m.messageGroupId === undefined) throw invalidParameter('The request must contain the parameter MessageGroupId.');
    if (m.messageDeduplicationId === undefined && q.attributes['ContentBasedDeduplication'] !== 'true') {
      throw invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
    dedupId = effectiveDedupId({ body: m.body, dedupId: m.messageDeduplicationId });
    if (findDuplicate(ref, m.messageGroupId, dedupId, now)) return;
  }
  const record: MessageRecord = {
    id: randomUUID(), seq: 0, body: m.body, md5Body: md5Hex(m.body), senderId: m.servicePrincipal ? SERVICE_SENDER_ID : q.account,
    sentMs: now, retainFromMs: now, visibleAtMs: now + numAttr(q, 'DelaySeconds') * 1000, receiveCount: 0,
  };
  if (m.attributes) record.attrs = m.attributes;
  if (m.messageGroupId !== undefined) record.groupId = m.messageGroupId;
  if (dedupId !== undefined) record.dedupId = dedupId;
  enqueue(ref, record);
  if (q.fifo) rememberDedup(ref, m.messageGroupId!, dedupId!, record.id, record.sequenceNumber, now);
}
