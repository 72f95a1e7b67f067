/**
 * DynamoDB Streams state of one account × region: streams (one shard each, closed when the
 * stream is disabled) and their records, kept from what DynamoDB publishes on the event bus.
 * Records live 24 hours on the clock, then are trimmed.
 */
import type { Collection, Stores } from '../../core/store.js';
import type { StreamRecord } from '../../engines/dynamodb/stream-events.js';

export interface StreamMeta {
  arn: string;
  tableName: string;
  label: string;
  viewType: string;
  keySchema: Array<{ AttributeName: string; KeyType: string }>;
  status: 'ENABLED' | 'DISABLED';
  createdMs: number;
  shardId: string;
  /** Sequence number of the first record the shard can hold. */
  startSeq: string;
  /** Set when the shard closed (stream disabled or table deleted). */
  endSeq?: string;
}

/** A record as stored: the creation time as a number so a data directory keeps it exactly. */
export interface StoredRecord {
  arn: string;
  seq: string;
  atMs: number;
  record: Omit<StreamRecord, 'dynamodb'> & { dynamodb: Omit<StreamRecord['dynamodb'], 'ApproximateCreationDateTime'> };
}

export interface StreamsState {
  streams: Collection<StreamMeta>;
  records: Collection<StoredRecord>;
  /** Records per stream in sequence order, built from `records` on first use. */
  byStream: Map<string, StoredRecord[]> | undefined;
}

export const RETENTION_MS = 24 * 3600 * 1000;

export function streamsState(stores: Stores, account: string, region: string): StreamsState {
  return stores.scope('dynamodbstreams', account, region, (c) => ({
    streams: c.collection<StreamMeta>('streams'),
    records: c.collection<StoredRecord>('records'),
    byStream: undefined,
  }));
}

/** The records of a stream in order, with those older than 24 hours trimmed. */
export function recordsOf(s: StreamsState, arn: string, nowMs: number): StoredRecord[] {
  if (!s.byStream) {
    s.byStream = new Map();
    const all = [...s.records.values()].sort((a, b) => (a.seq < b.seq ? -1 : 1));
    for (const r of all) {
      const list = s.byStream.get(r.arn) ?? [];
      list.push(r);
      s.byStream.set(r.arn, list);
    }
  }
  const list = s.byStream.get(arn) ?? [];
  let trim = 0;
  while (trim < list.length && list[trim]!.atMs < nowMs - RETENTION_MS) s.records.delete(`${arn}\u0000${list[trim++]!.seq}`);
  if (trim) list.splice(0, trim);
  return list;
}

export function appendRecord(s: StreamsState, arn: string, r: StoredRecord, nowMs: number): void {
  const list = recordsOf(s, arn, nowMs);
  list.push(r);
  s.byStream!.set(arn, list);
  s.records.set(`${arn}\u0000${r.seq}`, r);
}
