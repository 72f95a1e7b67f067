/**
 * Queue access and metadata: AddPermission/RemovePermission (statements in the queue's Policy
 * attribute, as AWS writes them) and queue tags.
 */
import type { Handler } from '../types.js';
import { invalidParameter, invalidValue, missingParameter } from './errors.js';
import { queueArn, requireQueue, saveQueue } from './store.js';
import { optString, stringList } from './validate.js';

/** Actions AddPermission may grant (the queue-level ones), besides `*`. */
const GRANTABLE = new Set(['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes',
  'GetQueueUrl', 'ListDeadLetterSourceQueues', 'PurgeQueue', 'ListQueueTags', 'SendMessageBatch', 'DeleteMessageBatch',
  'ChangeMessageVisibilityBatch', 'StartMessageMoveTask', 'ListMessageMoveTasks', 'CancelMessageMoveTask', '*']);

interface PolicyDoc {
  Version?: string;
  Id?: string;
  Statement: Record<string, unknown>[];
}

function policyOf(raw: string | undefined, arn: string): PolicyDoc {
  if (raw) {
    try {
      const doc = JSON.parse(raw) as PolicyDoc;
      if (!Array.isArray(doc.Statement)) doc.Statement = doc.Statement ? [doc.Statement as unknown as Record<string, unknown>] : [];
      return doc;
    } catch { /* an unreadable policy is replaced, as AWS only stores valid ones */ }
  }
  return { Version: '2008-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [] };
}

/** AddPermission: a statement labelled `Label` in the queue Policy. */
export const addPermission: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  const label = optString(input, 'Label') ?? '';
  const accounts = stringList(input, 'AWSAccountIds');
  const actions = stringList(input, 'Actions');
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) throw invalidValue('Label', label, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  if (accounts.length === 0) throw missingParameter('AWSAccountId');
  if (actions.length === 0) throw missingParameter('ActionName');
  for (const a of actions) {
    if (!GRANTABLE.has(a)) {
      throw invalidValue('ActionName', `SQS:${a}`, 'Please refer to the appropriate WSDL for a list of valid actions.');
    }
  }
  const arn = queueArn(ref.queue);
  const policy = policyOf(ref.queue.attributes['Policy'], arn);
  if (policy.Statement.some((s) => s['Sid'] === label)) throw invalidValue('Label', label, 'Already exists.');
  const principals = accounts.map((a) => `arn:aws:iam::${a}:root`);
  const sqsActions = actions.map((a) => `SQS:${a}`);
  policy.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: sqsActions.length === 1 ? sqsActions[0] : sqsActions,
    Resource: arn,
  });
  ref.queue.attributes['Policy'] = JSON.stringify(policy);
  ref.queue.lastModifiedMs = ctx.clock.nowMs();
  saveQueue(ref);
  return {};
};

/** RemovePermission: drops the statement; the last one takes the Policy with it. */
export const removePermission: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  const label = optString(input, 'Label') ?? '';
  const policy = policyOf(ref.queue.attributes['Policy'], queueArn(ref.queue));
  const kept = policy.Statement.filter((s) => s['Sid'] !== label);
  if (kept.length === policy.Statement.length) throw invalidValue('Label', label, "can't find label.");
  if (kept.length === 0) delete ref.queue.attributes['Policy'];
  else ref.queue.attributes['Policy'] = JSON.stringify({ ...policy, Statement: kept });
  ref.queue.lastModifiedMs = ctx.clock.nowMs();
  saveQueue(ref);
  return {};
};

/** TagQueue: adds or overwrites tags (at most 50 per queue). */
export const tagQueue: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  const tags = (input['Tags'] ?? {}) as Record<string, unknown>;
  if (Object.keys(tags).length === 0) throw missingParameter('Tags');
  const next = { ...ref.queue.tags };
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128) throw invalidValue('Tag.Key', k, 'Tag keys must be between 1 and 128 characters in length.');
    const value = String(v ?? '');
    if (value.length > 256) throw invalidValue('Tag.Value', value, 'Tag values may only be up to 256 characters in length.');
    next[k] = value;
  }
  if (Object.keys(next).length > 50) throw invalidParameter(`Too many tags added for queue ${ref.queue.name}.`);
  ref.queue.tags = next;
  saveQueue(ref);
  return {};
};

/** UntagQueue: removes the named tags; unknown keys are ignored. */
export const untagQueue: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  for (const k of stringList(input, 'TagKeys')) delete ref.queue.tags[k];
  saveQueue(ref);
  return {};
};

/** ListQueueTags: no Tags member when there are none, as AWS answers. */
export const listQueueTags: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  return Object.keys(ref.queue.tags).length ? { Tags: { ...ref.queue.tags } } : {};
};
