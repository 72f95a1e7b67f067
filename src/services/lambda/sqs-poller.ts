/**
 * The poller behind an SQS event source mapping. It receives from the queue as the function's
 * execution role (so the role needs sqs:ReceiveMessage and sqs:DeleteMessage, as on AWS),
 * long-polling when idle, gathers batches (batch size, batching window on the clock), drops
 * messages the filter criteria reject, and invokes the function with at most
 * MaximumConcurrency batches in flight. A batch that succeeds is deleted (all of it, or all
 * but the `batchItemFailures` it reports); a failed or throttled batch is left to come back
 * after its visibility timeout, so the queue's redrive policy moves poison messages to its DLQ.
 */
import { compilePattern, type Pattern } from '../../engines/event-pattern/index.js';
import type { Principal } from '../../core/identity.js';
import type { ServiceHost } from '../types.js';
import { execute } from './execute.js';
import { roleSession } from './launch.js';
import { versionOf } from './resolve.js';
import { lambdaState, type MappingRecord } from './store.js';

interface SqsMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

export interface PollerStats {
  batches: number;
  messages: number;
  deleted: number;
  filtered: number;
  throttles: number;
  failures: number;
  inflight: number;
  peak: number;
}

/** Without MaximumConcurrency, how many batches one mapping may have in flight. */
const DEFAULT_CAP = 1000;

class Poller {
  readonly stats: PollerStats = { batches: 0, messages: 0, deleted: 0, filtered: 0, throttles: 0, failures: 0, inflight: 0, peak: 0 };
  running = true;
  #polling = false;
  #queueUrl: string | undefined;
  #filters: { source: string[]; compiled: Pattern[] } = { source: [], compiled: [] };

  constructor(readonly host: ServiceHost, readonly account: string, readonly region: string, readonly uuid: string) {}

  mapping(): MappingRecord | undefined {
    return lambdaState(this.host.stores, this.account, this.region).mappings.get(this.uuid);
  }

  async loop(): Promise<void> {
    if (this.#polling || !this.running) return;
    this.#polling = true;
    try {
      for (;;) {
        const m = this.mapping();
        if (!this.running || !m || !m.enabled) { this.running = false; break; }
        if (this.stats.inflight >= (m.maxConcurrency ?? DEFAULT_CAP)) break; // resumed when a batch finishes
        const batch = await this.#gather(m);
        if (batch.length === 0) continue;
        this.stats.inflight++;
        this.stats.peak = Math.max(this.stats.peak, this.stats.inflight);
        void this.#process(m, batch).catch((e: unknown) => { if (process.env["DRYDOCK_DEBUG"]) console.error("poller", e); }).finally(() => {
          this.stats.inflight--;
          void this.loop();
        });
      }
    } catch {
      // The queue or the role went away: try again a little later (on the clock).
      if (this.running) this.host.clock.setTimer(() => void this.loop(), 5_000);
    } finally {
      this.#polling = false;
    }
  }

  async #session(m: MappingRecord): Promise<{ principal: Principal; accessKeyId: string }> {
    const [, , , , , , fnName] = m.functionArn.split(':');
    const fn = lambdaState(this.host.stores, this.account, this.region).functions.get(fnName!);
    if (!fn) throw new Error('function is gone');
    return roleSession(this.host, this.account, this.region, fn.name, fn.latest.role);
  }

  async #call(m: MappingRecord, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const session = await this.#session(m);
    const [, , , region, account, name] = m.eventSourceArn.split(':');
    if (this.#queueUrl === undefined) {
      const out = await this.host.call({ service: 'sqs', operation: 'GetQueueUrl', json: true, region: region!, ...session, input: { QueueName: name, QueueOwnerAWSAccountId: account } });
      this.#queueUrl = out['QueueUrl'] as string;
    }
    return this.host.call({ service: 'sqs', operation, json: true, region: region!, ...session, input: { QueueUrl: this.#queueUrl, ...input } });
  }

  /** Receives up to a batch: waits for the first message, then fills the batch within the window. */
  async #gather(m: MappingRecord): Promise<SqsMessage[]> {
    const got: SqsMessage[] = [];
    const deadline = this.host.clock.nowMs() + m.windowSeconds * 1000;
    while (got.length < m.batchSize && this.running) {
      const remaining = Math.max(0, deadline - this.host.clock.nowMs());
      const wait = got.length === 0 ? 20 : Math.min(20, Math.ceil(remaining / 1000));
      const want = Math.min(10, m.batchSize - got.length);
      const out = await this.#call(m, 'ReceiveMessage', {
        MaxNumberOfMessages: want, WaitTimeSeconds: wait, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'],
      });
      const msgs = (out['Messages'] as SqsMessage[] | undefined) ?? [];
      got.push(...msgs);
      if (got.length > 0 && (remaining === 0 || msgs.length === 0)) break;
    }
    return got;
  }

  #matchers(m: MappingRecord): Pattern[] {
    if (this.#filters.source !== m.filters) this.#filters = { source: m.filters, compiled: m.filters.map((f) => compilePattern(f)) };
    return this.#filters.compiled;
  }

  async #process(m: MappingRecord, batch: SqsMessage[]): Promise<void> {
    const [, , , region] = m.eventSourceArn.split(':');
    const records = batch.map((msg) => sqsRecord(msg, m.eventSourceArn, region!));
    const filters = this.#matchers(m);
    const kept = filters.length === 0 ? records : records.filter((r) => filters.some((f) => f.matches({ ...r, body: parsedBody(r.body) })));
    this.stats.messages += batch.length;
    this.stats.filtered += records.length - kept.length;
    const dropped = records.filter((r) => !kept.includes(r));
    if (dropped.length > 0) await this.#delete(m, dropped);
    if (kept.length === 0) return;
    const [, , , , , , fnName, qualifier] = m.functionArn.split(':');
    const state = lambdaState(this.host.stores, this.account, this.region);
    const fn = state.functions.get(fnName!);
    const found = fn ? versionOf(fn, qualifier) : undefined;
    if (!fn || !found) return;
    this.stats.batches++;
    let ran;
    try {
      ran = await execute(this.host, state, fn, found.cfg, Buffer.from(JSON.stringify({ Records: kept })), qualifier ? { qualifier } : {});
    } catch {
      this.stats.throttles++;
      return;
    }
    if (ran.functionError !== undefined) { this.stats.failures++; return; }
    let failed = new Set<string>();
    if (m.reportBatchItemFailures) {
      const reported = batchItemFailures(ran.payload, kept.map((r) => r.messageId));
      if (reported === 'all') { this.stats.failures++; return; }
      failed = reported;
    }
    await this.#delete(m, kept.filter((r) => !failed.has(r.messageId)));
  }

  // One DeleteMessage per record, in parallel: the permission Lambda's pollers need is
  // sqs:DeleteMessage, and Drydock's IAM table names DeleteMessageBatch's action after itself.
  async #delete(m: MappingRecord, records: SqsRecord[]): Promise<void> {
    await Promise.all(records.map((r) => this.#call(m, 'DeleteMessage', { ReceiptHandle: r.receiptHandle })));
    this.stats.deleted += records.length;
  }
}

interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** A message as the function's event carries it. */
function sqsRecord(msg: SqsMessage, arn: string, region: string): SqsRecord {
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(msg.MessageAttributes ?? {})) {
    attrs[k] = {
      ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}), ...(v.BinaryValue !== undefined ? { binaryValue: v.BinaryValue } : {}),
      stringListValues: [], binaryListValues: [], dataType: v.DataType,
    };
  }
  return {
    messageId: msg.MessageId, receiptHandle: msg.ReceiptHandle, body: msg.Body, attributes: msg.Attributes ?? {}, messageAttributes: attrs,
    md5OfBody: msg.MD5OfBody, eventSource: 'aws:sqs', eventSourceARN: arn, awsRegion: region,
  };
}

function parsedBody(body: string): unknown {
  try { return JSON.parse(body); } catch { return body; }
}

/** The failed message ids a partial batch response names, or `all` when the response is not one. */
function batchItemFailures(payload: Buffer, ids: string[]): Set<string> | 'all' {
  let out: unknown;
  try { out = JSON.parse(payload.toString('utf8')); } catch { return new Set(); }
  const list = (out as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return 'all';
  const failed = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.includes(id)) return 'all';
    failed.add(id);
  }
  return failed;
}

const pollers = new Map<string, Poller>();

export function startPoller(host: ServiceHost, account: string, region: string, uuid: string): void {
  let p = pollers.get(uuid);
  if (!p || !p.running || p.host !== host) {
    p = new Poller(host, account, region, uuid);
    pollers.set(uuid, p);
  }
  void p.loop();
}

export function stopPoller(uuid: string): void {
  const p = pollers.get(uuid);
  if (p) p.running = false;
  pollers.delete(uuid);
}

/** What a mapping's poller has done (for measurements such as the thundering-herd example). */
export function pollerStats(uuid: string): PollerStats | undefined {
  return pollers.get(uuid)?.stats;
}

/** Starts the pollers of enabled mappings found in the state (after a restart with a data directory). */
export function resumePollers(host: ServiceHost): void {
  for (const { account, region } of host.stores.accountsRegions('lambda')) {
    for (const m of lambdaState(host.stores, account, region).mappings.values()) if (m.enabled && !m.stream) startPoller(host, account, region, m.uuid);
  }
}
