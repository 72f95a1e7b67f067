/**
 * The DynamoDB Streams API: ListStreams, DescribeStream, GetShardIterator (all four types)
 * and GetRecords. Iterators are opaque tokens valid for 15 minutes on the clock; records
 * older than 24 hours are gone (TrimmedDataAccessException when asked for by number).
 */
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Handler, ServiceContext } from '../types.js';
import { recordsOf, streamsState, type StoredRecord, type StreamMeta } from './store.js';

const ITERATOR_MS = 15 * 60 * 1000;
const MAX_RECORDS = 1000;

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

function streamOf(ctx: ServiceContext, arn: unknown): StreamMeta {
  const s = typeof arn === 'string' ? streamsState(ctx.stores, ctx.account, ctx.region).streams.get(arn) : undefined;
  if (!s) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Stream: ${String(arn)} not found`, 400);
  return s;
}

export const listStreams: Handler = (input, ctx) => {
  const limit = (input['Limit'] as number | undefined) ?? 100;
  if (limit < 1) throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  const table = input['TableName'] as string | undefined;
  const start = input['ExclusiveStartStreamArn'] as string | undefined;
  const all = [...streamsState(ctx.stores, ctx.account, ctx.region).streams.values()]
    .filter((s) => table === undefined || s.tableName === table)
    .sort((a, b) => (a.arn < b.arn ? -1 : 1))
    .filter((s) => start === undefined || s.arn > start);
  const page = all.slice(0, limit);
  return {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
    ...(all.length > limit ? { LastEvaluatedStreamArn: page[page.length - 1]!.arn } : {}),
  };
};

export const describeStream: Handler = (input, ctx) => {
  const s = streamOf(ctx, input['StreamArn']);
  const start = input['ExclusiveStartShardId'] as string | undefined;
  const shards = start === s.shardId ? [] : [{
    ShardId: s.shardId,
    SequenceNumberRange: { StartingSequenceNumber: s.startSeq, ...(s.endSeq ? { EndingSequenceNumber: s.endSeq } : {}) },
  }];
  return {
    StreamDescription: {
      StreamArn: s.arn, StreamLabel: s.label, StreamStatus: s.status, StreamViewType: s.viewType,
      CreationRequestDateTime: new Date(s.createdMs), TableName: s.tableName, KeySchema: s.keySchema, Shards: shards,
    },
  };
};

interface Iterator { arn: string; shard: string; after: string; issuedMs: number; nonce: string }

function encode(it: Iterator): string {
  return Buffer.from(JSON.stringify(it)).toString('base64url');
}

function decode(token: unknown, nowMs: number): Iterator {
  let it: Iterator;
  try {
    it = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as Iterator;
    if (typeof it.arn !== 'string' || typeof it.after !== 'string') throw new Error('bad');
  } catch {
    throw validation('Invalid ShardIterator');
  }
  if (nowMs - it.issuedMs > ITERATOR_MS) {
    throw new AwsError('ExpiredIteratorException', `Iterator expired. The iterator was created at time ${new Date(it.issuedMs).toUTCString()} while right now it is ${new Date(nowMs).toUTCString()}. The iterator is only valid for 15 minutes.`, 400);
  }
  return it;
}

function before(seq: string): string {
  return (BigInt(seq) - 1n).toString().padStart(seq.length, '0');
}

export const getShardIterator: Handler = (input, ctx) => {
  const s = streamOf(ctx, input['StreamArn']);
  if (input['ShardId'] !== s.shardId) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Shard does not exist`, 400);
  const type = input['ShardIteratorType'] as string;
  const seq = input['SequenceNumber'] as string | undefined;
  const now = ctx.clock.nowMs();
  const records = recordsOf(streamsState(ctx.stores, ctx.account, ctx.region), s.arn, now);
  let after: string;
  switch (type) {
    case 'TRIM_HORIZON': after = '0'; break;
    case 'LATEST': after = records.length ? records[records.length - 1]!.seq : before(s.startSeq); break;
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      if (!seq || !/^\d{21,40}$/.test(seq)) throw validation(`Invalid SequenceNumber for ShardIteratorType: ${type}`);
      const first = records[0]?.seq;
      if (first && seq < first && BigInt(seq) >= BigInt(s.startSeq)) {
        throw new AwsError('TrimmedDataAccessException', 'The operation attempted to read past the oldest stream record in a shard.', 400);
      }
      after = type === 'AT_SEQUENCE_NUMBER' ? before(seq) : seq;
      break;
    }
    default:
      throw validation(`1 validation error detected: Value '${String(type)}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]`);
  }
  return { ShardIterator: encode({ arn: s.arn, shard: s.shardId, after, issuedMs: now, nonce: randomBytes(4).toString('hex') }) };
};

function show(r: StoredRecord): Record<string, unknown> {
  return { ...r.record, dynamodb: { ApproximateCreationDateTime: new Date(r.atMs), ...r.record.dynamodb } };
}

export const getRecords: Handler = (input, ctx) => {
  const now = ctx.clock.nowMs();
  const it = decode(input['ShardIterator'], now);
  const limit = (input['Limit'] as number | undefined) ?? MAX_RECORDS;
  if (limit < 1 || limit > MAX_RECORDS) {
    throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`);
  }
  const s = streamOf(ctx, it.arn);
  const records = recordsOf(streamsState(ctx.stores, ctx.account, ctx.region), s.arn, now);
  const fresh = records.filter((r) => BigInt(r.seq) > BigInt(it.after)).slice(0, limit);
  const last = fresh.length ? fresh[fresh.length - 1]!.seq : it.after;
  // A closed shard read to its end has no next iterator: the consumer moves on.
  const exhausted = s.endSeq !== undefined && !records.some((r) => BigInt(r.seq) > BigInt(last));
  return {
    Records: fresh.map(show),
    ...(exhausted ? {} : { NextShardIterator: encode({ ...it, after: last, issuedMs: now, nonce: randomBytes(4).toString('hex') }) }),
  };
};


