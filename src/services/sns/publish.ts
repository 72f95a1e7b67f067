/**
 * Publish and PublishBatch: the target (TopicArn, TargetArn or PhoneNumber), AWS's checks on
 * the message, subject, JSON structure, attributes and size, FIFO group and deduplication ids
 * with the five-minute window on the clock and sequence numbers, then the fan-out.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Handler, ServiceContext } from '../types.js';
import { fanOut } from './dispatch.js';
import type { PublishedMessage } from './envelope.js';
import { batchErrors, batchFailure, invalidParameter } from './errors.js';
import { attributesSize, checkMessageAttributes, readMessageAttributes, type SnsAttributes } from './message-attributes.js';
import { checkArnShape, logDelivery, requireTopic, saveTopic, snsState, type SnsState, type TopicRecord } from './store.js';
import { maxMessageSize } from './topic-attributes.js';

/** How long a FIFO deduplication id suppresses duplicates. */
const DEDUP_WINDOW_MS = 5 * 60 * 1000;
const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/** One message to publish, as read from Publish or a batch entry. */
interface Draft {
  message: string;
  subject?: string;
  structure?: string;
  attributes?: SnsAttributes;
  groupId?: string;
  dedupId?: string;
}

function str(input: Record<string, unknown>, name: string): string | undefined {
  return typeof input[name] === 'string' ? input[name] : undefined;
}

function readDraft(e: Record<string, unknown>, attrPath: string): Draft {
  return {
    message: str(e, 'Message') ?? '', subject: str(e, 'Subject'), structure: str(e, 'MessageStructure'),
    attributes: readMessageAttributes(e['MessageAttributes'], attrPath), groupId: str(e, 'MessageGroupId'), dedupId: str(e, 'MessageDeduplicationId'),
  };
}

/** Checks on the message itself: empty, subject, JSON structure. Returns the per-protocol messages. */
function checkMessage(d: Draft): Record<string, string> | undefined {
  if (d.message === '') throw invalidParameter('Empty message');
  if (d.subject !== undefined && (d.subject === '' || d.subject.length > 100 || /[\r\n]/.test(d.subject) || !/^[\x20-\x7e]+$/.test(d.subject))) {
    throw invalidParameter('Subject');
  }
  if (d.structure === undefined) return undefined;
  if (d.structure !== 'json') throw invalidParameter('MessageStructure');
  let doc: unknown;
  try { doc = JSON.parse(d.message); } catch { throw invalidParameter('Message Structure - JSON message body failed to parse'); }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || typeof (doc as Record<string, unknown>)['default'] !== 'string') {
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The FIFO rules (and, on standard topics, that no deduplication id is given). */
function checkFifo(topic: TopicRecord, d: Draft): void {
  if (d.groupId !== undefined && !FIFO_ID.test(d.groupId)) {
    throw invalidParameter('MessageGroupId', 'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  }
  if (!topic.fifo) {
    if (d.dedupId !== undefined) {
      throw invalidParameter('MessageDeduplicationId', 'The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    return;
  }
  if (d.groupId === undefined) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  if (d.dedupId !== undefined && !FIFO_ID.test(d.dedupId)) {
    throw invalidParameter('MessageDeduplicationId', 'MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  }
  if (d.dedupId === undefined && topic.attributes['ContentBasedDeduplication'] !== 'true') {
    throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
}

function size(d: Draft): number {
  return Buffer.byteLength(d.message, 'utf8') + attributesSize(d.attributes);
}

/** A FIFO sequence number: 20 digits, increasing within the topic. */
function nextSequence(topic: TopicRecord): string {
  topic.seq += 1;
  return String(10n ** 19n + BigInt(topic.createdMs) * 1_000_000n + BigInt(topic.seq));
}

/** Stores the message id and sequence of a FIFO publish, or finds the earlier one it duplicates. */
function dedup(state: SnsState, topic: TopicRecord, d: Draft, now: number): { messageId: string; sequenceNumber: string; duplicate: boolean; dedupId: string } {
  const dedupId = d.dedupId ?? createHash('sha256').update(d.message, 'utf8').digest('hex');
  const scoped = topic.attributes['FifoThroughputScope'] === 'MessageGroup' ? `${d.groupId}\u0000${dedupId}` : dedupId;
  const key = `${topic.arn}\u0000${scoped}`;
  for (const [k, r] of state.dedup) if (r.expiresMs <= now) state.dedup.delete(k);
  const hit = state.dedup.get(key);
  if (hit) return { messageId: hit.messageId, sequenceNumber: hit.sequenceNumber, duplicate: true, dedupId };
  const messageId = randomUUID();
  const sequenceNumber = nextSequence(topic);
  saveTopic(state, topic);
  state.dedup.set(key, { topic: topic.arn, key, expiresMs: now + DEDUP_WINDOW_MS, messageId, sequenceNumber });
  return { messageId, sequenceNumber, duplicate: false, dedupId };
}

/** Accepts a checked draft: FIFO deduplication, then delivery. Answers MessageId (and SequenceNumber). */
async function commit(ctx: ServiceContext, state: SnsState, topic: TopicRecord, d: Draft, perProtocol: Record<string, string> | undefined): Promise<{ MessageId: string; SequenceNumber?: string }> {
  const now = ctx.clock.nowMs();
  const m: PublishedMessage = {
    messageId: randomUUID(), topicArn: topic.arn, fifo: topic.fifo, signatureVersion: topic.attributes['SignatureVersion'] === '2' ? '2' : '1',
    message: d.message, timestamp: new Date(now).toISOString(),
  };
  if (perProtocol) m.perProtocol = perProtocol;
  if (d.subject !== undefined) m.subject = d.subject;
  if (d.attributes) m.attributes = d.attributes;
  if (d.groupId !== undefined) m.groupId = d.groupId;
  if (topic.fifo) {
    const r = dedup(state, topic, d, now);
    if (r.duplicate) return { MessageId: r.messageId, SequenceNumber: r.sequenceNumber };
    m.messageId = r.messageId;
    m.sequenceNumber = r.sequenceNumber;
    m.dedupId = r.dedupId;
  }
  await fanOut(ctx, state, topic, m);
  return m.sequenceNumber === undefined ? { MessageId: m.messageId } : { MessageId: m.messageId, SequenceNumber: m.sequenceNumber };
}

/** An SMS to a phone number: checked and kept in the delivery log. */
function publishSms(ctx: ServiceContext, phone: string, d: Draft): Record<string, unknown> {
  if (!/^\+?[1-9]\d{1,14}$/.test(phone)) throw invalidParameter('PhoneNumber', `${phone} is not valid to publish to`);
  checkMessage(d);
  checkMessageAttributes(d.attributes);
  const messageId = randomUUID();
  ctx.meter.record({
    account: ctx.account, region: ctx.region, service: 'sns', usageType: 'DeliveryAttempts-SMS', operation: 'Notification', quantity: 1, unit: 'Count',
  });
  logDelivery(snsState(ctx.stores, ctx.account, ctx.region), {
    id: randomUUID(), atMs: ctx.clock.nowMs(), topicArn: '', protocol: 'sms', endpoint: phone, messageId, status: 'recorded', body: d.message,
  });
  return { MessageId: messageId };
}

/** Publish to a topic (TopicArn or TargetArn) or an SMS to PhoneNumber. */
export const publish: Handler = async (input, ctx) => {
  const d = readDraft(input, 'messageAttributes');
  const topicArn = str(input, 'TopicArn');
  const targetArn = str(input, 'TargetArn');
  const phone = str(input, 'PhoneNumber');
  const given = [topicArn, targetArn, phone].filter((x) => x !== undefined).length;
  if (given === 0) throw invalidParameter('TopicArn or TargetArn', 'no value for required parameter');
  if (given > 1) throw invalidParameter('TopicArn, TargetArn or PhoneNumber', 'Only one of them may be specified');
  if (phone !== undefined) return publishSms(ctx, phone, d);
  const param = topicArn !== undefined ? 'TopicArn' : 'TargetArn';
  const arn = checkArnShape(param, topicArn ?? targetArn);
  if (targetArn !== undefined && /:endpoint\//.test(arn)) {
    throw invalidParameter('TargetArn', 'No endpoint found for the target arn specified');
  }
  const perProtocol = checkMessage(d);
  checkMessageAttributes(d.attributes);
  const { state, topic } = requireTopic(ctx, arn, param);
  checkFifo(topic, d);
  if (size(d) > maxMessageSize(topic)) throw invalidParameter('Message too long');
  return commit(ctx, state, topic, d, perProtocol);
};

function checkEntryIds(entries: Record<string, unknown>[]): void {
  if (entries.length === 0) throw batchErrors.empty();
  if (entries.length > 10) throw batchErrors.tooMany();
  const seen = new Set<string>();
  for (const e of entries) {
    const id = typeof e['Id'] === 'string' ? e['Id'] : '';
    if (id.length > 80) throw batchErrors.invalidId(id, true);
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw batchErrors.invalidId(id, false);
    if (seen.has(id)) throw batchErrors.notDistinct();
    seen.add(id);
  }
}

/**
 * PublishBatch: up to ten messages. Problems with ids, attributes, JSON structure, FIFO ids
 * and the total size fail the whole request, as AWS answers them; an empty message or a bad
 * subject fails only its entry.
 */
export const publishBatch: Handler = async (input, ctx) => {
  const { state, topic } = requireTopic(ctx, input['TopicArn']);
  const entries = Array.isArray(input['PublishBatchRequestEntries']) ? input['PublishBatchRequestEntries'] as Record<string, unknown>[] : [];
  checkEntryIds(entries);
  const drafts = entries.map((e, i) => readDraft(e, `publishBatchRequestEntries.${i + 1}.member.messageAttributes`));
  let total = 0;
  for (const d of drafts) {
    checkMessageAttributes(d.attributes);
    if (d.structure !== undefined && d.message !== '') checkMessage({ message: d.message, structure: d.structure });
    checkFifo(topic, d);
    total += size(d);
  }
  if (total > maxMessageSize(topic)) throw batchErrors.tooLong();
  const Successful: Record<string, unknown>[] = [];
  const Failed: Record<string, unknown>[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const id = entries[i]!['Id'] as string;
    try {
      const perProtocol = checkMessage(drafts[i]!);
      Successful.push({ Id: id, ...(await commit(ctx, state, topic, drafts[i]!, perProtocol)) });
    } catch (e) {
      Failed.push(batchFailure(id, e));
    }
  }
  return { Successful, Failed };
};
