/**
 * Dead-letter queues: the RedrivePolicy and RedriveAllowPolicy attributes with AWS's checks,
 * and moving a message to its DLQ on the receive that would exceed maxReceiveCount.
 */
import type { Stores } from '../../core/store.js';
import { parseArn } from '../../core/ids.js';
import { invalidAttributeValue, invalidValue } from './errors.js';
import {
  dropMessage, enqueue, queueArn, queueByArn, type MessageRecord, type QueueRecord, type QueueRef,
} from './store.js';

/** Finds a queue by ARN for the attribute checks (undefined when it does not exist). */
export type DlqLookup = (arn: string) => QueueRecord | undefined;

/** A parsed RedrivePolicy. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** A parsed RedriveAllowPolicy. */
export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

/**
 * Validates a RedrivePolicy for the queue `ac` describes and returns it in AWS's canonical
 * form (`maxReceiveCount` as a number). The dead-letter queue must exist, be of the same type,
 * and allow this queue by its RedriveAllowPolicy.
 */
export function checkRedrivePolicy(
  v: string, ac: { name: string; account: string; region: string; fifo: boolean; findQueue: DlqLookup },
): string {
  let doc: unknown;
  try { doc = JSON.parse(v); } catch { doc = undefined; }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw invalidAttributeValue('RedrivePolicy', 'Redrive policy is not a valid JSON map.');
  }
  const d = doc as Record<string, unknown>;
  const bad = (reason: string): never => { throw invalidValue('RedrivePolicy', v, reason); };
  if (Object.keys(d).some((k) => k !== 'maxReceiveCount' && k !== 'deadLetterTargetArn')) {
    bad('Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].');
  }
  if (d['maxReceiveCount'] === undefined) bad('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  if (d['deadLetterTargetArn'] === undefined) bad('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  const raw = d['maxReceiveCount'];
  const max = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    bad(`Invalid value for maxReceiveCount: ${String(raw)}, valid values are from 1 to 1000 both inclusive.`);
  }
  const arn = String(d['deadLetterTargetArn']);
  const p = parseArn(arn);
  if (!p || p.service !== 'sqs') bad('Only SQS queues are valid resources for deadLetterTargetArn.');
  const dlq = ac.findQueue(arn);
  if (!dlq) bad('Dead letter target does not exist.');
  if (dlq!.fifo !== ac.fifo) bad('Dead-letter queue must be same type of queue as the source..');
  const allow = allowPolicyOf(dlq!);
  const source = queueArn(ac);
  if (allow && (allow.redrivePermission === 'denyAll'
    || (allow.redrivePermission === 'byQueue' && !(allow.sourceQueueArns ?? []).includes(source)))) {
    bad(`Queue ${source} is not allowed to use ${arn} as a dead-letter queue. Its RedriveAllowPolicy does not permit it.`);
  }
  return JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: max });
}

/** Validates a RedriveAllowPolicy; returns it unchanged. */
export function checkRedriveAllowPolicy(v: string): string {
  const unsupported = (): never => {
    throw invalidAttributeValue('RedriveAllowPolicy', "Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.");
  };
  let doc: unknown;
  try { doc = JSON.parse(v); } catch { unsupported(); }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) unsupported();
  const d = doc as Record<string, unknown>;
  if (Object.keys(d).some((k) => k !== 'redrivePermission' && k !== 'sourceQueueArns')) unsupported();
  const perm = d['redrivePermission'];
  if (perm !== 'allowAll' && perm !== 'denyAll' && perm !== 'byQueue') unsupported();
  const arns = d['sourceQueueArns'];
  if (arns !== undefined && (!Array.isArray(arns) || arns.some((a) => typeof a !== 'string'))) unsupported();
  const list = (arns ?? []) as string[];
  const reason = (r: string): never => {
    throw invalidValue('RedriveAllowPolicy', v, `Amazon SQS can't create the redrive allow policy. ${r}`);
  };
  if (perm === 'byQueue' && list.length === 0) {
    reason('When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.');
  }
  if (list.length > 10) reason('The maximum number of source queue ARNs you can specify is 10.');
  if (perm !== 'byQueue' && list.length > 0) reason('To specify one or more source queue ARNs, you must set redrivePermission to byQueue.');
  return v;
}

/** A queue's RedrivePolicy, parsed. */
export function redrivePolicyOf(q: QueueRecord): RedrivePolicy | undefined {
  const v = q.attributes['RedrivePolicy'];
  if (!v) return undefined;
  try { return JSON.parse(v) as RedrivePolicy; } catch { return undefined; }
}

/** A queue's RedriveAllowPolicy, parsed. */
export function allowPolicyOf(q: QueueRecord): RedriveAllowPolicy | undefined {
  const v = q.attributes['RedriveAllowPolicy'];
  if (!v) return undefined;
  try { return JSON.parse(v) as RedriveAllowPolicy; } catch { return undefined; }
}

/**
 * Moves `m` to the source queue's dead-letter queue when this receive would exceed
 * maxReceiveCount. The message keeps its id, body, attributes, receive count and sent time
 * (and, on standard queues, its retention clock) and gains DeadLetterQueueSourceArn.
 * Returns whether it moved.
 */
export function redriveIfExhausted(src: QueueRef, m: MessageRecord, stores: Stores, now: number): boolean {
  const policy = redrivePolicyOf(src.queue);
  if (!policy || m.receiveCount < policy.maxReceiveCount) return false;
  const dlq = queueByArn(stores, policy.deadLetterTargetArn);
  // A missing DLQ leaves the message where it is, as AWS keeps delivering it.
  if (!dlq || dlq.queue === src.queue) return false;
  dropMessage(src, m);
  const moved: MessageRecord = {
    ...m,
    visibleAtMs: now,
    retainFromMs: dlq.queue.fifo ? now : m.retainFromMs,
    dlqSourceArn: queueArn(src.queue),
  };
  enqueue(dlq, moved);
  return true;
}
