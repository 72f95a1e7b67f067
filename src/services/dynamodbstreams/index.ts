/**
 * Amazon DynamoDB Streams: keeps one shard per stream from the records DynamoDB publishes on
 * the internal bus, and serves ListStreams, DescribeStream, GetShardIterator and GetRecords.
 */
import type { ServiceDefinition, ServiceHost } from '../types.js';
import type { StreamLifecycleEvent, StreamRecordEvent } from '../../engines/dynamodb/stream-events.js';
import '../../engines/dynamodb/stream-events.js';
import { appendRecord, streamsState } from './store.js';
import { describeStream, getRecords, getShardIterator, listStreams } from './streams.js';

function onLifecycle(host: ServiceHost, e: StreamLifecycleEvent): void {
  const s = streamsState(host.stores, e.account, e.region);
  const old = s.streams.get(e.streamArn);
  if (e.status === 'ENABLED' && !old) {
    const start = (BigInt(e.atMs) * 1_000_000n).toString().padStart(21, '0');
    const shardId = `shardId-${String(e.atMs).padStart(20, '0')}-${e.streamArn.length.toString(16).padStart(8, '0')}`;
    s.streams.set(e.streamArn, {
      arn: e.streamArn, tableName: e.tableName, label: e.streamLabel, viewType: e.viewType, keySchema: e.keySchema,
      status: 'ENABLED', createdMs: e.atMs, shardId, startSeq: start,
    });
  } else if (e.status === 'DISABLED' && old) {
    old.status = 'DISABLED';
    old.endSeq = (BigInt(e.atMs) * 1_000_000n + 999_999n).toString().padStart(21, '0');
    s.streams.set(e.streamArn, old);
  }
}

function onRecord(host: ServiceHost, e: StreamRecordEvent): void {
  const s = streamsState(host.stores, e.account, e.region);
  if (!s.streams.has(e.streamArn)) return;
  const { ApproximateCreationDateTime, ...dynamodb } = e.record.dynamodb;
  appendRecord(s, e.streamArn, {
    arn: e.streamArn, seq: dynamodb.SequenceNumber, atMs: ApproximateCreationDateTime.getTime(), record: { ...e.record, dynamodb },
  }, host.clock.nowMs());
}

const dynamodbstreams: ServiceDefinition = {
  name: 'dynamodbstreams',
  handlers: { DescribeStream: describeStream, GetRecords: getRecords, GetShardIterator: getShardIterator, ListStreams: listStreams },
  install(host: ServiceHost) {
    host.bus.subscribe('dynamodb:stream-lifecycle', (e) => onLifecycle(host, e));
    host.bus.subscribe('dynamodb:stream-record', (e) => onRecord(host, e));
  },
};

export default dynamodbstreams;
