/**
 * SQS state of one account × region: queues, their messages, FIFO deduplication records and
 * message move tasks, as plain data in collections (so a data directory keeps them), plus a
 * per-queue runtime index rebuilt from the messages on first use.
 */
import type { Stores } from '../../core/store.js';
import type { Collection } from '../../core/store.js';
import { parseArn, partitionOf } from '../../core/ids.js';
import type { ServiceContext } from '../types.js';
import { QueueRuntime } from './runtime.js';
import { queueDoesNotExist } from './errors.js';

/** A message attribute value as the API carries it. */
export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** Message attributes by name. */
export type AttributeMap = Record<string, AttributeValue>;

/** A queue as stored. */
export interface QueueRecord {
  name: string;
  account: string;
  region: string;
  fifo: boolean;
  /** Settable attributes as GetQueueAttributes shows them (defaults included). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdMs: number;
  lastModifiedMs: number;
  lastPurgeMs?: number;
  /** Arrival counter: orders messages and makes FIFO sequence numbers. */
  seq: number;
  /** FIFO: the deduplication scope fixed at creation (AWS keeps it when the attribute changes). */
  dedupScope?: 'queue' | 'messageGroup';
}

/** A message as stored, with its delivery state. */
export interface MessageRecord {
  id: string;
  seq: number;
  body: string;
  md5Body: string;
  attrs?: AttributeMap;
  sysAttrs?: AttributeMap;
  senderId: string;
  sentMs: number;
  /** Retention counts from here: the original enqueue for standard queues, arrival in this queue for FIFO. */
  retainFromMs: number;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  /** Visible from this time on: the end of a delay or of a visibility timeout. */
  visibleAtMs: number;
  receiveCount: number;
  firstReceiveMs?: number;
  lastReceiveMs?: number;
  dlqSourceArn?: string;
}

/** A FIFO deduplication record, alive for five minutes from the first send. */
export interface DedupRecord {
  queue: string;
  key: string;
  expiresMs: number;
  messageId: string;
  sequenceNumber?: string;
}

/** A message move task as stored. */
export interface MoveTaskRecord {
  taskId: string;
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  startedMs: number;
  moved: number;
  toMove: number;
  failureReason?: string;
}

/** The SQS state of one account × region. */
export interface SqsState {
  account: string;
  region: string;
  queues: Collection<QueueRecord>;
  messages: Collection<MessageRecord>;
  dedup: Collection<DedupRecord>;
  tasks: Collection<MoveTaskRecord>;
  /** Queue name → deletion time, for QueueDeletedRecently. */
  deleted: Collection<number>;
  /** Not persisted: per-queue indexes, waiters and timers. */
  runtimes: Map<string, QueueRuntime>;
}

/** A resolved queue: its record, its scope's state and its runtime index. */
export interface QueueRef {
  state: SqsState;
  queue: QueueRecord;
  rt: QueueRuntime;
}

/** The state of `account` × `region`, made on first use. */
export function sqsState(stores: Stores, account: string, region: string): SqsState {
  return stores.scope('sqs', account, region, (c) => ({
    account, region,
    queues: c.collection<QueueRecord>('queues'),
    messages: c.collection<MessageRecord>('messages'),
    dedup: c.collection<DedupRecord>('dedup'),
    tasks: c.collection<MoveTaskRecord>('tasks'),
    deleted: c.collection<number>('deleted'),
    runtimes: new Map<string, QueueRuntime>(),
  }));
}

/** Key of a message in the messages collection. */
export function messageKey(queue: string, id: string): string {
  return `${queue}/${id}`;
}

/** The runtime index of a queue, rebuilt from the stored messages the first time. */
export function runtimeOf(state: SqsState, queue: QueueRecord): QueueRuntime {
  let rt = state.runtimes.get(queue.name);
  if (rt === undefined) {
    rt = new QueueRuntime(queue.fifo);
    const prefix = `${queue.name}/`;
    const found: MessageRecord[] = [];
    for (const [k, m] of state.messages) if (k.startsWith(prefix)) found.push(m);
    found.sort((a, b) => a.seq - b.seq);
    for (const m of found) rt.add(m);
    for (const d of state.dedup.values()) if (d.queue === queue.name) rt.dedup.set(d.key, d);
    state.runtimes.set(queue.name, rt);
  }
  return rt;
}

/** `arn:aws:sqs:<region>:<account>:<name>`. */
export function queueArn(q: { account: string; region: string; name: string }): string {
  // Asked several times per request about the same few objects (queue records, parsed URLs):
  // each keeps its ARN, checked against its fields so a changed object is never answered wrongly.
  const hit = arns.get(q);
  if (hit !== undefined && hit.account === q.account && hit.region === q.region && hit.name === q.name) return hit.arn;
  const arn = `arn:${partitionOf(q.region)}:sqs:${q.region}:${q.account}:${q.name}`;
  arns.set(q, { account: q.account, region: q.region, name: q.name, arn });
  return arn;
}

const arns = new WeakMap<object, { account: string; region: string; name: string; arn: string }>();

/** `${endpoint}/${account}/${name}`: the URL form Drydock hands out. */
export function queueUrl(ctx: ServiceContext, q: { account: string; name: string }): string {
  return `${ctx.endpoint.replace(/\/+$/, '')}/${q.account}/${q.name}`;
}

/**
 * Where a queue URL points: account and name from the last two path segments (any host), and
 * the region from an `sqs.<region>.` host when there is one.
 */
export function parseQueueUrl(url: string, defaultRegion: string): { account: string; region: string; name: string } | undefined {
  // Clients send the same few URLs on every call; parsing showed up in profiles. By region,
  // then URL: the request's own string is hashed once, where a joined key was built each time.
  let byUrl = urlCache.get(defaultRegion);
  if (byUrl === undefined) urlCache.set(defaultRegion, (byUrl = new Map()));
  const hit = byUrl.get(url);
  if (hit !== undefined) return hit ?? undefined;
  if (byUrl.size >= 1000) byUrl.clear();
  const parsed = parseUrl(url, defaultRegion);
  byUrl.set(url, parsed ?? null);
  return parsed;
}

/** null: the URL names no queue. */
const urlCache = new Map<string, Map<string, { account: string; region: string; name: string } | null>>();

function parseUrl(url: string, defaultRegion: string): { account: string; region: string; name: string } | undefined {
  let path = url;
  let host = '';
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)/i.exec(url);
  if (m) { host = m[1]!; path = m[2]!; }
  const parts = path.split('/').filter(Boolean);
  if (parts.length < 2) return undefined;
  let name: string;
  try { name = decodeURIComponent(parts[parts.length - 1]!); } catch { return undefined; }
  const account = parts[parts.length - 2]!;
  if (!/^\d{12}$/.test(account)) return undefined;
  const r = /^sqs\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\./.exec(host.toLowerCase()) ?? /^([a-z]{2}(?:-gov)?-[a-z]+-\d)\.queue\./.exec(host.toLowerCase());
  return { account, name, region: r?.[1] ?? defaultRegion };
}

/** The queue a QueueUrl names, or QueueDoesNotExist. */
export function requireQueue(ctx: ServiceContext, url: unknown): QueueRef {
  if (typeof url !== 'string' || url === '') throw queueDoesNotExist();
  // A URL that names no account and queue cannot name an existing queue either.
  const where = parseQueueUrl(url, ctx.region);
  if (!where) throw queueDoesNotExist();
  const ref = findQueue(ctx.stores, where.account, where.region, where.name);
  if (!ref) throw queueDoesNotExist();
  return ref;
}

/** The queue of an ARN, or undefined (also for ARNs that are not SQS queue ARNs). */
export function queueByArn(stores: Stores, arn: string): QueueRef | undefined {
  const p = parseArn(arn);
  if (!p || p.service !== 'sqs') return undefined;
  return findQueue(stores, p.account, p.region, p.resource);
}

/** The queue `name` of `account` × `region`, if it exists. */
export function findQueue(stores: Stores, account: string, region: string, name: string): QueueRef | undefined {
  const state = sqsState(stores, account, region);
  const queue = state.queues.get(name);
  if (!queue) return undefined;
  return { state, queue, rt: runtimeOf(state, queue) };
}

/** Persists a changed message. */
export function saveMessage(ref: QueueRef, m: MessageRecord): void {
  ref.state.messages.set(messageKey(ref.queue.name, m.id), m);
}

/** Removes a message from the queue's index and storage. */
export function dropMessage(ref: QueueRef, m: MessageRecord): void {
  ref.rt.remove(m);
  ref.state.messages.delete(messageKey(ref.queue.name, m.id));
}

/** Persists a changed queue record. */
export function saveQueue(ref: { state: SqsState; queue: QueueRecord }): void {
  ref.state.queues.set(ref.queue.name, ref.queue);
}

/** A queue attribute as a number (attributes are stored as AWS shows them: strings). */
export function numAttr(q: QueueRecord, name: string): number {
  return Number(q.attributes[name] ?? 0);
}

/** A FIFO sequence number: 20 digits, increasing within the queue. */
function sequenceNumber(q: QueueRecord): string {
  return String(10n ** 19n + BigInt(q.createdMs) * 1_000_000n + BigInt(q.seq));
}

/**
 * Puts a message into a queue: gives it the next arrival number (and FIFO sequence number),
 * stores it and wakes receivers waiting in a long poll.
 */
export function enqueue(ref: QueueRef, m: MessageRecord): void {
  const q = ref.queue;
  q.seq += 1;
  m.seq = q.seq;
  if (q.fifo) m.sequenceNumber = sequenceNumber(q);
  else delete m.sequenceNumber;
  ref.rt.add(m);
  saveMessage(ref, m);
  saveQueue(ref);
  const expires = m.retainFromMs + numAttr(q, 'MessageRetentionPeriod') * 1000;
  if (expires < ref.rt.nextExpiryMs) ref.rt.nextExpiryMs = expires;
  ref.rt.signal();
}

/** Drops messages older than the retention period; cheap until the next one is due. */
export function sweepExpired(ref: QueueRef, now: number): void {
  const rt = ref.rt;
  if (now < rt.nextExpiryMs) return;
  const keepMs = numAttr(ref.queue, 'MessageRetentionPeriod') * 1000;
  let next = Infinity;
  for (const m of [...rt.messages.values()]) {
    const expires = m.retainFromMs + keepMs;
    if (expires <= now) dropMessage(ref, m);
    else if (expires < next) next = expires;
  }
  rt.nextExpiryMs = next;
}
