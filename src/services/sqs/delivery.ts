/**
 * Handing messages to a receiver: which messages a receive gets (any visible ones on a
 * standard queue; on a FIFO queue, the visible head of each message group not blocked by an
 * in-flight message), the visibility timeout and receive count that follow, redrive to the
 * DLQ, receipt handles, and the message as ReceiveMessage returns it.
 */
import { randomHex } from '../../core/ids.js';
import type { Stores } from '../../core/store.js';
import { md5OfAttributes } from './md5.js';
import { redriveIfExhausted } from './redrive.js';
import { queueArn, saveMessage, sweepExpired, type AttributeMap, type MessageRecord, type QueueRef } from './store.js';

/** A message taken by a receive, with the receive number its receipt handle names. */
export interface Taken {
  m: MessageRecord;
  handle: string;
}

/**
 * Takes up to `max` messages from the queue for one receive and makes them invisible for
 * `visibilityMs` (0 leaves them visible). Messages that exhausted maxReceiveCount move to the
 * DLQ instead.
 */
export function takeMessages(ref: QueueRef, max: number, visibilityMs: number, stores: Stores, now: number): Taken[] {
  sweepExpired(ref, now);
  const out: Taken[] = [];
  const taken = new Set<MessageRecord>();
  const take = (m: MessageRecord): boolean => {
    if (taken.has(m) || redriveIfExhausted(ref, m, stores, now)) return false;
    m.receiveCount += 1;
    m.firstReceiveMs ??= now;
    m.lastReceiveMs = now;
    m.visibleAtMs = now + visibilityMs;
    saveMessage(ref, m);
    taken.add(m);
    out.push({ m, handle: encodeReceiptHandle(queueArn(ref.queue), m.id, m.receiveCount) });
    return true;
  };
  const rt = ref.rt;
  if (!rt.fifo) {
    while (out.length < max) {
      const m = rt.nextVisible(now);
      if (m === undefined) break;
      take(m);
    }
  } else {
    for (const groupId of [...rt.groupOrder.keys()]) {
      if (out.length >= max) break;
      const group = rt.groups.get(groupId);
      if (!group) continue;
      let took = false;
      for (const m of [...group]) {
        if (out.length >= max) break;
        // An in-flight (or still delayed) message holds back the rest of its group.
        if (m.visibleAtMs > now) break;
        if (take(m)) took = true;
      }
      if (took) rt.rotate(groupId);
    }
  }
  // Re-filed only now, so that a message received with visibility 0 is not handed out twice.
  for (const m of taken) rt.touch(m);
  return out;
}

// Receipt handles carry the queue, the message and the receive they came from, so a handle
// can be checked without a lookup table: `<arn> <message id> <receive number> <nonce>`. The
// nonce only makes handles unique; a counter does that without a random read per receive.
const NONCE_PREFIX = randomHex(12);
let nonce = 0;

/**
 * Handles are encoded and decoded through one scratch buffer rather than a Buffer per call
 * (a third of a receive's own time went to that allocation); larger ones get their own.
 */
const scratch = Buffer.allocUnsafe(4096);

/** A receipt handle for receive number `receive` of a message (base64, opaque to clients). */
export function encodeReceiptHandle(arn: string, messageId: string, receive: number): string {
  nonce = (nonce + 1) % Number.MAX_SAFE_INTEGER;
  const text = `${arn} ${messageId} ${receive} ${NONCE_PREFIX}${nonce.toString(16)}`;
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (text.length * 3 > scratch.length) return Buffer.from(text, 'utf8').toString('base64');
  return scratch.toString('base64', 0, scratch.write(text, 0, 'utf8'));
}

/** The parts of a receipt handle, or undefined for a string that is not one. */
export function decodeReceiptHandle(handle: string): { arn: string; messageId: string; receive: number } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(handle)) return undefined;
  const text = handle.length > scratch.length ? Buffer.from(handle, 'base64').toString('utf8')
    : scratch.toString('utf8', 0, scratch.write(handle, 0, 'base64'));
  const parts = text.split(' ');
  if (parts.length !== 4 || !/^\d+$/.test(parts[2]!) || !parts[0]!.startsWith('arn:')) return undefined;
  return { arn: parts[0]!, messageId: parts[1]!, receive: Number(parts[2]) };
}

const ALL_SYSTEM = ['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'AWSTraceHeader', 'DeadLetterQueueSourceArn',
  'MessageDeduplicationId', 'MessageGroupId', 'SenderId', 'SentTimestamp', 'SequenceNumber'];

function systemAttribute(m: MessageRecord, name: string): string | undefined {
  switch (name) {
    case 'ApproximateFirstReceiveTimestamp': return String(m.firstReceiveMs ?? m.lastReceiveMs ?? 0);
    case 'ApproximateReceiveCount': return String(m.receiveCount);
    case 'AWSTraceHeader': return m.sysAttrs?.['AWSTraceHeader']?.StringValue;
    case 'DeadLetterQueueSourceArn': return m.dlqSourceArn;
    case 'MessageDeduplicationId': return m.dedupId;
    case 'MessageGroupId': return m.groupId;
    case 'SenderId': return m.senderId;
    case 'SentTimestamp': return String(m.sentMs);
    case 'SequenceNumber': return m.sequenceNumber;
    default: return undefined;
  }
}

/** Which message attributes a receive asked for: `All`, `.*`, `prefix.*` or exact names. */
function filterAttributes(attrs: AttributeMap | undefined, names: string[]): AttributeMap | undefined {
  if (!attrs || names.length === 0) return undefined;
  const all = names.some((n) => n === 'All' || n === '.*' || n === '*');
  const out: AttributeMap = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (all || names.some((n) => (n.endsWith('.*') ? k.startsWith(n.slice(0, -2)) : k === n))) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** A message as ReceiveMessage returns it, with the requested system and message attributes. */
export function wireMessage(t: Taken, systemNames: string[], attributeNames: string[]): Record<string, unknown> {
  const { m } = t;
  const out: Record<string, unknown> = { MessageId: m.id, ReceiptHandle: t.handle, MD5OfBody: m.md5Body, Body: m.body };
  if (systemNames.length) {
    const names = systemNames.includes('All') ? ALL_SYSTEM : systemNames;
    const attrs: Record<string, string> = {};
    for (const n of names) {
      const v = systemAttribute(m, n);
      if (v !== undefined) attrs[n] = v;
    }
    if (Object.keys(attrs).length) out['Attributes'] = attrs;
  }
  const attrs = filterAttributes(m.attrs, attributeNames);
  if (attrs) {
    out['MessageAttributes'] = attrs;
    out['MD5OfMessageAttributes'] = md5OfAttributes(attrs);
  }
  return out;
}
