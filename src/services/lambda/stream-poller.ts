/**
 * The poller behind a DynamoDB Streams event source mapping. Four times a second on the clock
 * it reads the stream through the DynamoDB Streams API as the function's execution role (so
 * the role needs dynamodb:DescribeStream, GetShardIterator and GetRecords, as on AWS), drops
 * records the filter criteria reject, gathers batches (batch size, batching window) and
 * invokes the function with them in order, one batch at a time. A failed batch is retried;
 * with BisectBatchOnFunctionError it is split in two first (splitting costs no retry). After
 * MaximumRetryAttempts, or once records are older than MaximumRecordAgeInSeconds, the batch is
 * discarded and a description of it goes to the OnFailure destination (SQS or SNS, sent as
 * the role). The last handled sequence number is the mapping's checkpoint, kept in the state.
 */
import { compilePattern, type Pattern } from '../../engines/event-pattern/index.js';
import type { TimerId } from '../../core/clock.js';
import type { Principal } from '../../core/identity.js';
import type { ServiceHost } from '../types.js';
import { execute } from './execute.js';
import { roleSession } from './launch.js';
import { versionOf } from './resolve.js';
import { lambdaState, type MappingRecord, type StreamSettings } from './store.js';
import { discardedBatch, failedFrom, streamEventRecord, type StreamEventRecord } from './stream-records.js';

const POLL_MS = 250;

export interface StreamPollerStats { batches: number; records: number; filtered: number; failures: number; discarded: number }

class StreamPoller {
  readonly stats: StreamPollerStats = { batches: 0, records: 0, filtered: 0, failures: 0, discarded: 0 };
  running = true;
  #timer: TimerId;
  #busy = false;
  #iterator: string | undefined;
  #shardId = '';
  #buffer: StreamEventRecord[] = [];
  #firstAtMs = 0;
  /** Bisection shrinks the next batch; a handled batch restores the configured size. */
  #limit: number | undefined;
  #attempts = 0;
  #filters: { source: string[]; compiled: Pattern[] } = { source: [], compiled: [] };

  constructor(readonly host: ServiceHost, readonly account: string, readonly region: string, readonly uuid: string) {
    this.#timer = host.clock.setRepeating(() => void this.tick(), POLL_MS);
  }

  stop(): void {
    this.running = false;
    this.host.clock.clearTimer(this.#timer);
  }

  mapping(): MappingRecord | undefined {
    return lambdaState(this.host.stores, this.account, this.region).mappings.get(this.uuid);
  }

  async tick(): Promise<void> {
    if (this.#busy || !this.running) return;
    const m = this.mapping();
    if (!m || !m.enabled || !m.stream) { this.stop(); return; }
    this.#busy = true;
    try {
      await this.#read(m, m.stream);
      // Work through what is buffered: a handled batch lets the next one go at once.
      while (this.running && this.#due(m)) if (!(await this.#process(m, m.stream))) break;
    } catch (e) {
      // The stream, the role or a permission is missing: say so, and start over next tick.
      this.#iterator = undefined;
      this.#remember(m, `PROBLEM: ${(e as Error).message}`);
    } finally {
      this.#busy = false;
    }
  }

  async #session(m: MappingRecord): Promise<{ principal: Principal; accessKeyId: string }> {
    const fn = lambdaState(this.host.stores, this.account, this.region).functions.get(m.functionArn.split(':')[6]!);
    if (!fn) throw new Error('the function is gone');
    return roleSession(this.host, this.account, this.region, fn.name, fn.latest.role);
  }

  async #call(m: MappingRecord, service: string, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const region = (service === 'dynamodbstreams' ? m.eventSourceArn : m.stream?.onFailure ?? '').split(':')[3]!;
    return this.host.call({ service, operation, json: true, region, ...(await this.#session(m)), input });
  }

  async #read(m: MappingRecord, s: StreamSettings): Promise<void> {
    if (this.#buffer.length >= m.batchSize) return;
    if (this.#iterator === undefined) {
      const d = await this.#call(m, 'dynamodbstreams', 'DescribeStream', { StreamArn: m.eventSourceArn });
      const shard = ((d['StreamDescription'] as { Shards?: { ShardId: string }[] }).Shards ?? [])[0];
      if (!shard) return;
      this.#shardId = shard.ShardId;
      const from = s.checkpoint !== undefined
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: s.checkpoint }
        : { ShardIteratorType: 'TRIM_HORIZON' };
      const it = await this.#call(m, 'dynamodbstreams', 'GetShardIterator', { StreamArn: m.eventSourceArn, ShardId: shard.ShardId, ...from });
      this.#iterator = it['ShardIterator'] as string;
    }
    const out = await this.#call(m, 'dynamodbstreams', 'GetRecords', { ShardIterator: this.#iterator, Limit: 1000 });
    this.#iterator = out['NextShardIterator'] as string | undefined;
    const filters = this.#matchers(m);
    for (const raw of (out['Records'] as Record<string, unknown>[] | undefined) ?? []) {
      const r = streamEventRecord(raw, m.eventSourceArn);
      // LATEST: what was written before the mapping existed is not for it.
      if (s.checkpoint === undefined && s.startingPosition === 'LATEST' && r.dynamodb.ApproximateCreationDateTime * 1000 < s.createdMs - 999) continue;
      if (filters.length > 0 && !filters.some((f) => f.matches(r))) { this.stats.filtered++; continue; }
      if (this.#buffer.length === 0) this.#firstAtMs = this.host.clock.nowMs();
      this.#buffer.push(r);
    }
  }

  #matchers(m: MappingRecord): Pattern[] {
    if (this.#filters.source !== m.filters) this.#filters = { source: m.filters, compiled: m.filters.map((f) => compilePattern(f)) };
    return this.#filters.compiled;
  }

  #due(m: MappingRecord): boolean {
    if (this.#buffer.length === 0) return false;
    return this.#buffer.length >= m.batchSize || this.#limit !== undefined || this.host.clock.nowMs() - this.#firstAtMs >= m.windowSeconds * 1000;
  }

  /** Invokes the function with the next batch; false when it must wait for the next tick (throttled, failed). */
  async #process(m: MappingRecord, s: StreamSettings): Promise<boolean> {
    const now = this.host.clock.nowMs();
    if (s.maxRecordAgeSeconds !== -1) {
      const old = this.#buffer.filter((r) => now - r.dynamodb.ApproximateCreationDateTime * 1000 > s.maxRecordAgeSeconds * 1000);
      if (old.length > 0) await this.#discard(m, s, old, 'RecordAgeExceeded');
      if (this.#buffer.length === 0) return true;
    }
    const batch = this.#buffer.slice(0, Math.min(m.batchSize, this.#limit ?? m.batchSize));
    const [, , , , , , fnName, qualifier] = m.functionArn.split(':');
    const state = lambdaState(this.host.stores, this.account, this.region);
    const fn = state.functions.get(fnName!);
    const found = fn ? versionOf(fn, qualifier) : undefined;
    if (!fn || !found) throw new Error('the function is gone');
    this.stats.batches++;
    this.#attempts++;
    let ran;
    try {
      ran = await execute(this.host, state, fn, found.cfg, Buffer.from(JSON.stringify({ Records: batch })), qualifier ? { qualifier } : {});
    } catch {
      this.#remember(m, 'PROBLEM: Function call failed');
      return false; // throttled: the same batch next tick
    }
    const failedAt = ran.functionError !== undefined ? 0 : m.reportBatchItemFailures ? failedFrom(ran.payload, batch) : batch.length;
    if (failedAt === batch.length) {
      this.#handled(m, s, batch.length);
      this.stats.records += batch.length;
      this.#remember(m, 'OK');
      return true;
    }
    this.stats.failures++;
    this.#remember(m, 'PROBLEM: Function call failed');
    // Records before the first reported failure are done; the rest are retried.
    if (failedAt > 0) this.#handled(m, s, failedAt, false);
    const failed = batch.slice(failedAt);
    if (ran.functionError !== undefined && s.bisect && failed.length > 1) {
      this.#limit = Math.ceil(failed.length / 2);
      this.#attempts = 0; // splitting costs no retry
      return false;
    }
    if (s.maxRetryAttempts !== -1 && this.#attempts > s.maxRetryAttempts) {
      await this.#discard(m, s, failed, 'RetryAttemptsExhausted', { version: ran.version, functionError: ran.functionError ?? null });
      return true;
    }
    return false;
  }

  /** The first `n` buffered records are done: the checkpoint moves past them. A whole batch done starts afresh. */
  #handled(m: MappingRecord, s: StreamSettings, n: number, whole = true): void {
    const done = this.#buffer.splice(0, n);
    if (done.length === 0) return;
    s.checkpoint = done[done.length - 1]!.dynamodb.SequenceNumber;
    if (whole) {
      this.#attempts = 0;
      this.#limit = undefined;
    }
    this.#firstAtMs = this.host.clock.nowMs();
    lambdaState(this.host.stores, this.account, this.region).mappings.set(m.uuid, m);
  }

  async #discard(
    m: MappingRecord, s: StreamSettings, records: StreamEventRecord[], condition: string, response?: { version: string; functionError: string | null },
  ): Promise<void> {
    const attempts = this.#attempts;
    // Discarded records are the oldest buffered ones (the head): the checkpoint moves past them.
    const drop = new Set(records);
    this.#buffer = this.#buffer.filter((r) => !drop.has(r));
    s.checkpoint = records[records.length - 1]!.dynamodb.SequenceNumber;
    this.#limit = undefined;
    this.#attempts = 0;
    this.stats.discarded += records.length;
    lambdaState(this.host.stores, this.account, this.region).mappings.set(m.uuid, m);
    if (s.onFailure === undefined) return;
    const body = JSON.stringify(discardedBatch({
      functionArn: m.functionArn, condition, attempts, shardId: this.#shardId, streamArn: m.eventSourceArn, records, now: this.host.clock.now(),
      ...(response ? { response } : {}),
    }));
    const service = s.onFailure.split(':')[2];
    try {
      if (service === 'sqs') {
        const [, , , , owner, name] = s.onFailure.split(':');
        const q = await this.#call(m, 'sqs', 'GetQueueUrl', { QueueName: name, QueueOwnerAWSAccountId: owner });
        await this.#call(m, 'sqs', 'SendMessage', { QueueUrl: q['QueueUrl'], MessageBody: body });
      } else if (service === 'sns') {
        await this.#call(m, 'sns', 'Publish', { TopicArn: s.onFailure, Message: body });
      }
    } catch (e) {
      this.#remember(m, `PROBLEM: the OnFailure destination refused the record: ${(e as Error).message}`);
    }
  }

  #remember(m: MappingRecord, result: string): void {
    if (!m.stream || m.stream.lastResult === result) return;
    m.stream.lastResult = result;
    lambdaState(this.host.stores, this.account, this.region).mappings.set(m.uuid, m);
  }
}

const pollers = new Map<string, StreamPoller>();

export function startStreamPoller(host: ServiceHost, account: string, region: string, uuid: string): void {
  const p = pollers.get(uuid);
  if (p && p.running && p.host === host) return;
  p?.stop();
  const fresh = new StreamPoller(host, account, region, uuid);
  pollers.set(uuid, fresh);
  void fresh.tick();
}

export function stopStreamPoller(uuid: string): void {
  pollers.get(uuid)?.stop();
  pollers.delete(uuid);
}

/** What a mapping's poller has done. */
export function streamPollerStats(uuid: string): StreamPollerStats | undefined {
  return pollers.get(uuid)?.stats;
}

/** Starts the pollers of enabled stream mappings found in the state (after a restart with a data directory). */
export function resumeStreamPollers(host: ServiceHost): void {
  for (const { account, region } of host.stores.accountsRegions('lambda')) {
    for (const m of lambdaState(host.stores, account, region).mappings.values()) if (m.enabled && m.stream) startStreamPoller(host, account, region, m.uuid);
  }
}
