/**
 * Queue lifecycle and configuration: CreateQueue (idempotent for equal attributes),
 * GetQueueUrl, DeleteQueue, ListQueues, Get/SetQueueAttributes, PurgeQueue and
 * ListDeadLetterSourceQueues.
 */
import { AwsError } from '../../core/errors.js';
import type { Handler, ServiceContext } from '../types.js';
import {
  applyAttributes, DEFAULTS, differingAttribute, FIFO_DEFAULTS, normalizeAttributes, readAttributes as queueAttributes,
  type AttributeContext,
} from './attributes.js';
import { invalidParameter, invalidValue, queueDoesNotExist } from './errors.js';
import { forgetDedup } from './fifo.js';
import { redrivePolicyOf } from './redrive.js';
import {
  findQueue, queueArn, queueByArn, queueUrl, requireQueue, saveQueue, sqsState, sweepExpired,
  type QueueRecord, type QueueRef, type SqsState,
} from './store.js';
import { optInt, optString, stringList } from './validate.js';

const NAME_ERROR = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';

function attributeContext(ctx: ServiceContext, q: { name: string; account: string; region: string; fifo: boolean }): AttributeContext {
  return { ...q, findQueue: (arn) => queueByArn(ctx.stores, arn)?.queue };
}

function tagsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = String(x ?? '');
  return out;
}

/** CreateQueue: validates name and attributes; an existing queue with equal attributes is answered, not recreated. */
export const createQueue: Handler = (input, ctx) => {
  const name = optString(input, 'QueueName') ?? '';
  const given = (input['Attributes'] ?? {}) as Record<string, unknown>;
  const fifo = String(given['FifoQueue'] ?? '').toLowerCase() === 'true' && name.endsWith('.fifo');
  const attrs = normalizeAttributes(given, attributeContext(ctx, { name, account: ctx.account, region: ctx.region, fifo }), true);
  if (name === '') throw invalidParameter('Queue name cannot be empty');
  const base = fifo ? name.slice(0, -'.fifo'.length) : name;
  if (!/^[A-Za-z0-9_-]+$/.test(base) || name.length > 80) throw invalidParameter(NAME_ERROR);
  const state = sqsState(ctx.stores, ctx.account, ctx.region);
  const now = ctx.clock.nowMs();
  const existing = state.queues.get(name);
  if (existing) {
    const k = existing.fifo === fifo ? differingAttribute(existing, attrs) : 'FifoQueue';
    if (k) {
      throw new AwsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${k}`, 400);
    }
    return { QueueUrl: queueUrl(ctx, existing) };
  }
  const deletedAt = state.deleted.get(name);
  if (deletedAt !== undefined && now - deletedAt < 60_000) {
    throw new AwsError('QueueDeletedRecently',
      'You must wait 60 seconds after deleting a queue before you can create another with the same name.', 400);
  }
  const q: QueueRecord = {
    name, account: ctx.account, region: ctx.region, fifo,
    attributes: { ...DEFAULTS, ...(fifo ? FIFO_DEFAULTS : {}) },
    tags: tagsOf(input['tags']), createdMs: now, lastModifiedMs: now, seq: 0,
  };
  applyAttributes(q, attrs);
  if (fifo) q.dedupScope = q.attributes['DeduplicationScope'] === 'messageGroup' ? 'messageGroup' : 'queue';
  state.deleted.delete(name);
  state.queues.set(name, q);
  return { QueueUrl: queueUrl(ctx, q) };
};

/** GetQueueUrl, in the caller's account or QueueOwnerAWSAccountId's. */
export const getQueueUrl: Handler = (input, ctx) => {
  const name = optString(input, 'QueueName') ?? '';
  if (name === '') throw invalidParameter('Value for parameter QueueName is invalid. Reason: Must specify a queue name.');
  const owner = optString(input, 'QueueOwnerAWSAccountId') || ctx.account;
  const ref = findQueue(ctx.stores, owner, ctx.region, name);
  if (!ref) throw queueDoesNotExist();
  return { QueueUrl: queueUrl(ctx, ref.queue) };
};

/** Forgets a queue's messages (all of them, in flight or not). */
function clearMessages(ref: QueueRef): void {
  const prefix = `${ref.queue.name}/`;
  for (const m of [...ref.rt.messages.values()]) ref.state.messages.delete(prefix + m.id);
  ref.rt.clear();
}

/** DeleteQueue: messages and deduplication records go too; the name is blocked for 60 s. */
export const deleteQueue: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  clearMessages(ref);
  forgetDedup(ref);
  ref.rt.deleted = true;
  ref.rt.signal();
  ref.state.runtimes.delete(ref.queue.name);
  ref.state.queues.delete(ref.queue.name);
  ref.state.deleted.set(ref.queue.name, ctx.clock.nowMs());
  return {};
};

/** PurgeQueue: every message goes; once per 60 s of clock time. */
export const purgeQueue: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  const now = ctx.clock.nowMs();
  const last = ref.queue.lastPurgeMs;
  if (last !== undefined && now - last < 60_000) {
    throw new AwsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${ref.queue.name} is allowed every 60 seconds.`, 403);
  }
  clearMessages(ref);
  ref.queue.lastPurgeMs = now;
  saveQueue(ref);
  return {};
};

/** GetQueueAttributes: the named ones or `All`. */
export const getQueueAttributes: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  const names = stringList(input, 'AttributeNames');
  const now = ctx.clock.nowMs();
  const attrs = queueAttributes(ref.queue, names, () => {
    sweepExpired(ref, now);
    return ref.rt.counts(now);
  });
  if (attrs instanceof AwsError) throw attrs;
  return Object.keys(attrs).length ? { Attributes: attrs } : {};
};

/** SetQueueAttributes: the same checks as CreateQueue. */
export const setQueueAttributes: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  const q = ref.queue;
  const attrs = normalizeAttributes((input['Attributes'] ?? {}) as Record<string, unknown>, attributeContext(ctx, q), false);
  applyAttributes(q, attrs);
  if ('MessageRetentionPeriod' in attrs) ref.rt.nextExpiryMs = 0;
  q.lastModifiedMs = ctx.clock.nowMs();
  saveQueue(ref);
  return {};
};

/** Pages through names: MaxResults 1–1000, NextToken an opaque continuation. */
function page(names: string[], input: Record<string, unknown>): { names: string[]; next?: string } {
  const max = optInt(input, 'MaxResults');
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 1000)) {
    throw invalidValue('MaxResults', max, 'MaxResults must be an integer between 1 and 1000.');
  }
  const token = optString(input, 'NextToken');
  let start = 0;
  if (token) {
    let after: unknown;
    try { after = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))['after']; } catch { after = undefined; }
    if (typeof after !== 'string') throw invalidParameter('Invalid NextToken value.');
    start = names.findIndex((n) => n > after);
    if (start < 0) start = names.length;
  }
  const size = max ?? 1000;
  const slice = names.slice(start, start + size);
  const more = max !== undefined && start + size < names.length;
  return { names: slice, next: more ? Buffer.from(JSON.stringify({ after: slice[slice.length - 1] })).toString('base64url') : undefined };
}

/** ListQueues: by name, optionally by prefix and page. */
export const listQueues: Handler = (input, ctx) => {
  const state = sqsState(ctx.stores, ctx.account, ctx.region);
  const prefix = optString(input, 'QueueNamePrefix') ?? '';
  const names = [...state.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
  const p = page(names, input);
  const out: Record<string, unknown> = {};
  if (p.names.length) out['QueueUrls'] = p.names.map((n) => queueUrl(ctx, state.queues.get(n)!));
  if (p.next) out['NextToken'] = p.next;
  return out;
};

/** Queues of the same account and region whose RedrivePolicy targets `arn`. */
export function sourceQueuesOf(state: SqsState, arn: string): QueueRecord[] {
  return [...state.queues.values()].filter((q) => redrivePolicyOf(q)?.deadLetterTargetArn === arn);
}

/** ListDeadLetterSourceQueues: queues whose RedrivePolicy targets this one. */
export const listDeadLetterSourceQueues: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  const sources = sourceQueuesOf(ref.state, queueArn(ref.queue)).map((q) => q.name).sort();
  const p = page(sources, input);
  const out: Record<string, unknown> = { queueUrls: p.names.map((n) => queueUrl(ctx, ref.state.queues.get(n)!)) };
  if (p.next) out['NextToken'] = p.next;
  return out;
};
