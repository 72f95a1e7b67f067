/**
 * Amazon SQS: standard and FIFO queues over both wire dialects (the protocol layer speaks the
 * JSON and the query form). Every call is metered as AWS bills it: one request per 64 KB
 * chunk of payload. Queue policies and tags are offered to the gateway's authorizer.
 */
import { parseArn, type ArnParts } from '../../core/ids.js';
import type { Stores } from '../../core/store.js';
import type { Handler, ServiceDefinition, ServiceHost } from '../types.js';
import { deliverToQueue } from './inbound.js';
import { messageSize } from './md5.js';
import {
  changeMessageVisibility, changeMessageVisibilityBatch, deleteMessage, deleteMessageBatch, sendMessage, sendMessageBatch,
} from './messages.js';
import { cancelMessageMoveTask, listMessageMoveTasks, startMessageMoveTask } from './move-tasks.js';
import { addPermission, listQueueTags, removePermission, tagQueue, untagQueue } from './permissions.js';
import {
  createQueue, deleteQueue, getQueueAttributes, getQueueUrl, listDeadLetterSourceQueues, listQueues, purgeQueue, setQueueAttributes,
} from './queues.js';
import { receiveMessage } from './receive.js';
import { parseQueueUrl, queueArn, sqsState, type QueueRecord } from './store.js';
import { readAttributes } from './validate.js';

const CHUNK = 64 * 1024;

function chunks(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / CHUNK));
}

function sizeOf(e: Record<string, unknown> | null | undefined): number {
  // A batch entry can be null in a malformed request, which is billed (and refused) all the same.
  if (e === null || typeof e !== 'object') return 0;
  const body = typeof e['MessageBody'] === 'string' ? e['MessageBody'] : '';
  try { return messageSize(body, readAttributes(e['MessageAttributes'])); } catch { return Buffer.byteLength(body); }
}

/** Billed requests of a call: payload-carrying calls count each 64 KB chunk. */
function billedRequests(operation: string, input: Record<string, unknown>, output: Record<string, unknown> | undefined): number {
  switch (operation) {
    case 'SendMessage': return chunks(sizeOf(input));
    case 'SendMessageBatch': {
      const entries = Array.isArray(input['Entries']) ? input['Entries'] as Record<string, unknown>[] : [];
      return chunks(entries.reduce((n, e) => n + sizeOf(e), 0));
    }
    case 'ReceiveMessage': {
      const msgs = Array.isArray(output?.['Messages']) ? output['Messages'] as Record<string, unknown>[] : [];
      return chunks(msgs.reduce((n, m) => n + sizeOf({ MessageBody: m['Body'], MessageAttributes: m['MessageAttributes'] }), 0));
    }
    default: return 1;
  }
}

/** The queue a call is about, for the usage record's resource and FIFO pricing. */
function queueOf(input: Record<string, unknown>, account: string, region: string): { name: string; account: string; region: string } | undefined {
  if (typeof input['QueueUrl'] === 'string') return parseQueueUrl(input['QueueUrl'], region);
  if (typeof input['QueueName'] === 'string') return { name: input['QueueName'], account, region };
  const arn = typeof input['SourceArn'] === 'string' ? parseArn(input['SourceArn']) : undefined;
  return arn ? { name: arn.resource, account: arn.account, region: arn.region } : undefined;
}

function metered(operation: string, handler: Handler): Handler {
  return (input, ctx) => {
    const record = (output: Record<string, unknown> | undefined): void => {
      const q = queueOf(input, ctx.account, ctx.region);
      ctx.meter.record({
        account: ctx.account, region: ctx.region, service: 'sqs',
        usageType: q?.name.endsWith('.fifo') ? 'Requests-FIFO-Tier1' : 'Requests-Tier1',
        operation, resourceId: q ? queueArn(q) : undefined,
        quantity: billedRequests(operation, input, output), unit: 'Requests',
      });
    };
    // A handler that answers at once is metered at once, so the gateway can answer without a
    // promise (most SQS calls never wait); failures are billed too, as AWS bills them.
    let output;
    try {
      output = handler(input, ctx);
    } catch (e) {
      record(undefined);
      throw e;
    }
    if (!(output instanceof Promise)) {
      record(output);
      return output;
    }
    return output.then((o) => {
      record(o);
      return o;
    }, (e: unknown) => {
      record(undefined);
      throw e;
    });
  };
}

const HANDLERS: Record<string, Handler> = {
  AddPermission: addPermission,
  CancelMessageMoveTask: cancelMessageMoveTask,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  CreateQueue: createQueue,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  DeleteQueue: deleteQueue,
  GetQueueAttributes: getQueueAttributes,
  GetQueueUrl: getQueueUrl,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  ListMessageMoveTasks: listMessageMoveTasks,
  ListQueues: listQueues,
  ListQueueTags: listQueueTags,
  PurgeQueue: purgeQueue,
  ReceiveMessage: receiveMessage,
  RemovePermission: removePermission,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  SetQueueAttributes: setQueueAttributes,
  StartMessageMoveTask: startMessageMoveTask,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
};

/** The queue record an ARN names, without building its message index (the authorizer asks on every call). */
function queueRecord(stores: Stores, arn: string): QueueRecord | undefined {
  let p = parsedArns.get(arn);
  if (p === undefined) {
    const a = parseArn(arn);
    p = a && a.service === 'sqs' && a.account && a.region ? a : null;
    if (parsedArns.size >= 10_000) parsedArns.clear();
    parsedArns.set(arn, p);
  }
  return p ? sqsState(stores, p.account, p.region).queues.get(p.resource) : undefined;
}

/** Queue ARNs as parsed (null: not one): a pure function of the string, asked twice per call. */
const parsedArns = new Map<string, ArnParts | null>();

/** The SQS service definition for the registry. */
const sqs: ServiceDefinition = {
  name: 'sqs',
  handlers: Object.fromEntries(Object.entries(HANDLERS).map(([op, h]) => [op, metered(op, h)])),
  install(host: ServiceHost) {
    host.ports.resourcePolicies.set('sqs', (arn) => {
      const q = queueRecord(host.stores, arn);
      const document = q?.attributes['Policy'];
      return q && document ? { document, account: q.account } : undefined;
    });
    host.ports.resourceTags.set('sqs', (arn) => {
      const q = queueRecord(host.stores, arn);
      return q ? { ...q.tags } : undefined;
    });
    // The queue a call touches belongs to the account and region its URL names, which may
    // not be the caller's: cross-account access is decided by the queue's policy.
    host.ports.resourceResolvers.set('sqs', (operation, input, account, region) => {
      if (operation === 'CreateQueue' && typeof input['QueueName'] === 'string') {
        return [{ arn: queueArn({ account, region, name: input['QueueName'] }) }];
      }
      const q = typeof input['QueueUrl'] === 'string' ? parseQueueUrl(input['QueueUrl'], region) : undefined;
      return q ? [{ arn: queueArn(q) }] : [];
    });
    // Other services (SNS, …) send to queues by ARN, subject to the queue's policy.
    host.ports.deliver.set('sqs', (arn, message) => deliverToQueue(host, arn, message));
  },
};

export default sqs;
