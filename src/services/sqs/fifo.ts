/**
 * FIFO sending rules: MessageGroupId is required, per-message delays are not allowed, and
 * messages are deduplicated for five minutes of clock time by MessageDeduplicationId or, with
 * ContentBasedDeduplication, by the SHA-256 of the body — per queue, or per message group in
 * high-throughput mode (DeduplicationScope=messageGroup, as fixed when the queue was made).
 */
import { createHash } from 'node:crypto';
import type { AwsError } from '../../core/errors.js';
import { invalidParameter, invalidValue, missingParameter } from './errors.js';
import type { DedupRecord, QueueRef } from './store.js';

/** How long a deduplication id suppresses duplicates. */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

/** What a send to a FIFO queue carries that the FIFO rules look at. */
export interface FifoFields {
  groupId?: string;
  dedupId?: string;
  delay?: number;
  body: string;
}

/**
 * Request-level FIFO checks, in AWS's order. `batch` selects the batch wording: a missing
 * group id is MissingParameter for SendMessage but InvalidParameterValue in a batch.
 */
export function checkFifoSend(ref: QueueRef, f: FifoFields, batch: boolean): AwsError | undefined {
  if (f.delay) return invalidValue('DelaySeconds', f.delay, 'The request include parameter that is not valid for this queue type.');
  if (f.groupId === undefined) {
    return batch ? invalidParameter('The request must contain the parameter MessageGroupId.') : missingParameter('MessageGroupId');
  }
  if (f.dedupId === undefined && ref.queue.attributes['ContentBasedDeduplication'] !== 'true') {
    return invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
  return undefined;
}

/** The deduplication id a FIFO message gets: the given one, or the body's SHA-256. */
export function effectiveDedupId(f: FifoFields): string {
  return f.dedupId ?? createHash('sha256').update(f.body, 'utf8').digest('hex');
}

function dedupKey(ref: QueueRef, groupId: string, dedupId: string): string {
  return ref.queue.dedupScope === 'messageGroup' ? `${groupId}\u0000${dedupId}` : dedupId;
}

function storeKey(queue: string, key: string): string {
  return `${queue}\u0000${key}`;
}

/** The earlier message this one duplicates within the window, if any. */
export function findDuplicate(ref: QueueRef, groupId: string, dedupId: string, now: number): DedupRecord | undefined {
  prune(ref, now);
  const d = ref.rt.dedup.get(dedupKey(ref, groupId, dedupId));
  return d && d.expiresMs > now ? d : undefined;
}

/** Starts the deduplication window of a message just accepted. */
export function rememberDedup(ref: QueueRef, groupId: string, dedupId: string, messageId: string, sequenceNumber: string | undefined, now: number): void {
  const key = dedupKey(ref, groupId, dedupId);
  const d: DedupRecord = { queue: ref.queue.name, key, expiresMs: now + DEDUP_WINDOW_MS, messageId, sequenceNumber };
  ref.rt.dedup.delete(key);
  ref.rt.dedup.set(key, d);
  ref.state.dedup.set(storeKey(ref.queue.name, key), d);
}

/** Drops expired records; they are kept in expiry order, so this stops at the first live one. */
function prune(ref: QueueRef, now: number): void {
  for (const [key, d] of ref.rt.dedup) {
    if (d.expiresMs > now) break;
    ref.rt.dedup.delete(key);
    ref.state.dedup.delete(storeKey(ref.queue.name, key));
  }
}

/** Forgets every deduplication record of a queue (when it is deleted). */
export function forgetDedup(ref: QueueRef): void {
  for (const key of ref.rt.dedup.keys()) ref.state.dedup.delete(storeKey(ref.queue.name, key));
  ref.rt.dedup.clear();
}
