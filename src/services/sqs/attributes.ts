/**
 * Queue attributes: AWS's defaults, the values each accepts (with AWS's InvalidAttributeName /
 * InvalidAttributeValue messages), the SSE rules, and what GetQueueAttributes reports.
 */
import type { AwsError } from '../../core/errors.js';
import { invalidAttributeName, invalidAttributeValue, unknownAttribute } from './errors.js';
import { checkRedriveAllowPolicy, checkRedrivePolicy, type DlqLookup } from './redrive.js';
import type { MessageCounts } from './runtime.js';
import { queueArn, type QueueRecord } from './store.js';

/** Defaults every queue starts with. */
export const DEFAULTS: Readonly<Record<string, string>> = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

/** Defaults FIFO queues add. */
export const FIFO_DEFAULTS: Readonly<Record<string, string>> = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

const RANGES: Readonly<Record<string, [number, number]>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const SETTABLE = new Set([...Object.keys(RANGES), 'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'SqsManagedSseEnabled']);
const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const COMPUTED = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible',
  'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn'];
/** Everything GetQueueAttributes knows, for `All` and for rejecting unknown names. */
const READABLE = new Set([...SETTABLE, ...FIFO_ONLY, ...COMPUTED]);

/** The context attribute checks need: the queue being configured and how to find DLQs. */
export interface AttributeContext {
  name: string;
  account: string;
  region: string;
  fifo: boolean;
  findQueue: DlqLookup;
}

/**
 * Validates CreateQueue / SetQueueAttributes attributes and returns them normalized the way
 * GetQueueAttributes shows them. Throws the first problem, as AWS answers one at a time.
 */
export function normalizeAttributes(given: Record<string, unknown>, ac: AttributeContext, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, raw] of Object.entries(given)) {
    const v = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : String(raw);
    if (FIFO_ONLY.has(k)) {
      if (!ac.fifo) {
        if (k === 'DeduplicationScope' || k === 'FifoThroughputLimit') {
          throw invalidAttributeName(`You can specify the ${k} only when FifoQueue is set to true.`);
        }
        throw unknownAttribute(k);
      }
      out[k] = fifoValue(k, v, creating);
      continue;
    }
    if (!SETTABLE.has(k)) throw unknownAttribute(k);
    out[k] = settableValue(k, v, ac);
  }
  if (out['KmsMasterKeyId'] && out['SqsManagedSseEnabled'] === 'true') {
    throw invalidAttributeName('You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.');
  }
  return out;
}

function fifoValue(k: string, v: string, creating: boolean): string {
  switch (k) {
    case 'FifoQueue':
      if (v.toLowerCase() !== 'true') {
        if (creating) throw unknownAttribute(k);
        throw invalidAttributeValue(k, 'Modifying queue type is not supported.');
      }
      return 'true';
    case 'ContentBasedDeduplication': return bool(k, v);
    case 'DeduplicationScope':
      if (v !== 'queue' && v !== 'messageGroup') throw invalidAttributeValue(k);
      return v;
    default:
      if (v !== 'perQueue' && v !== 'perMessageGroupId') throw invalidAttributeValue(k);
      return v;
  }
}

function settableValue(k: string, v: string, ac: AttributeContext): string {
  const range = RANGES[k];
  if (range) {
    if (!/^\d+$/.test(v)) throw invalidAttributeValue(k);
    const n = Number(v);
    if (n < range[0] || n > range[1]) throw invalidAttributeValue(k);
    return String(n);
  }
  switch (k) {
    case 'SqsManagedSseEnabled': return bool(k, v);
    case 'Policy': {
      if (v !== '') checkPolicy(v);
      return v;
    }
    case 'RedrivePolicy': return v === '' ? '' : checkRedrivePolicy(v, ac);
    case 'RedriveAllowPolicy': return v === '' ? '' : checkRedriveAllowPolicy(v);
    default: return v; // KmsMasterKeyId: any key id, alias or ARN
  }
}

function bool(k: string, v: string): string {
  const l = v.toLowerCase();
  if (l !== 'true' && l !== 'false') throw invalidAttributeValue(k);
  return l;
}

function checkPolicy(v: string): void {
  let doc: unknown;
  try { doc = JSON.parse(v); } catch { throw invalidAttributeValue('Policy'); }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidAttributeValue('Policy');
  const d = doc as Record<string, unknown>;
  const known = new Set(['Version', 'Id', 'Statement']);
  if (Object.keys(d).some((x) => !known.has(x))) throw invalidAttributeValue('Policy');
  if (d['Version'] !== undefined && d['Version'] !== '2012-10-17' && d['Version'] !== '2008-10-17') throw invalidAttributeValue('Policy');
  const st = Array.isArray(d['Statement']) ? d['Statement'] : d['Statement'] === undefined ? [] : [d['Statement']];
  if (st.length === 0) throw invalidAttributeValue('Policy');
  if (st.length > 20) throw invalidAttributeValue('Policy', `${st.length} statements were found in the submitted policy, max allowed is 20`);
  const fields = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
  for (const s of st) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw invalidAttributeValue('Policy');
    if (Object.keys(s as object).some((x) => !fields.has(x))) throw invalidAttributeValue('Policy');
  }
}

/** Applies normalized attributes to a queue, with SSE's either-or rule. */
export function applyAttributes(q: QueueRecord, attrs: Record<string, string>): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === '' && (k === 'Policy' || k === 'RedrivePolicy' || k === 'RedriveAllowPolicy' || k === 'KmsMasterKeyId')) {
      delete q.attributes[k];
      if (k === 'KmsMasterKeyId') delete q.attributes['KmsDataKeyReusePeriodSeconds'];
      continue;
    }
    q.attributes[k] = v;
    if (k === 'KmsMasterKeyId') q.attributes['SqsManagedSseEnabled'] = 'false';
    if (k === 'SqsManagedSseEnabled' && v === 'true') {
      delete q.attributes['KmsMasterKeyId'];
      delete q.attributes['KmsDataKeyReusePeriodSeconds'];
    }
  }
}

/** The name of the first given attribute whose value differs from the queue's (CreateQueue on an existing name). */
export function differingAttribute(q: QueueRecord, attrs: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(attrs)) {
    const current = q.attributes[k] ?? (k === 'KmsDataKeyReusePeriodSeconds' && q.attributes['KmsMasterKeyId'] ? '300' : '');
    if (current !== v) return k;
  }
  return undefined;
}

/** GetQueueAttributes: the named attributes (or `All`) with their current values. */
export function readAttributes(q: QueueRecord, names: string[], counts: () => MessageCounts): Record<string, string> | AwsError {
  for (const n of names) if (n !== 'All' && !READABLE.has(n)) return unknownAttribute(n);
  const want = names.includes('All') ? READABLE : new Set(names);
  const out: Record<string, string> = {};
  let c: MessageCounts | undefined;
  const cnt = (): MessageCounts => (c ??= counts());
  for (const n of want) {
    let v: string | undefined;
    switch (n) {
      case 'ApproximateNumberOfMessages': v = String(cnt().visible); break;
      case 'ApproximateNumberOfMessagesNotVisible': v = String(cnt().inFlight); break;
      case 'ApproximateNumberOfMessagesDelayed': v = String(cnt().delayed); break;
      case 'CreatedTimestamp': v = String(Math.floor(q.createdMs / 1000)); break;
      case 'LastModifiedTimestamp': v = String(Math.floor(q.lastModifiedMs / 1000)); break;
      case 'QueueArn': v = queueArn(q); break;
      case 'KmsDataKeyReusePeriodSeconds':
        v = q.attributes['KmsMasterKeyId'] ? q.attributes[n] ?? '300' : undefined;
        break;
      default: v = q.attributes[n];
    }
    if (v !== undefined) out[n] = v;
  }
  return out;
}
