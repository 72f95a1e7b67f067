/**
 * Turns item changes of a table with a stream into stream records on the event bus (the
 * DynamoDB Streams service stores them in shards; Lambda can map them). The images carried
 * depend on the stream's view type, as on AWS.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { EventBus } from '../../core/event-bus.js';
import { cloneItem, itemSize, valuesEqual, type Item } from '../../engines/dynamodb/index.js';
import type { StreamRecord } from '../../engines/dynamodb/stream-events.js';
import '../../engines/dynamodb/stream-events.js';
import { keyOf, type TableRecord } from './store.js';

interface Facilities { bus: EventBus; clock: Clock; account: string; region: string }

let counter = 0;

/** Sequence numbers grow with time and within a millisecond, across restarts too. */
function nextSequence(clock: Clock): string {
  counter = (counter + 1) % 1_000_000;
  return (BigInt(clock.nowMs()) * 1_000_000n + BigInt(counter)).toString().padStart(21, '0');
}

/** AWS's stream label: the creation time without the zone, to the millisecond. */
function label(clock: Clock): string {
  return clock.now().toISOString().replace('Z', '');
}

export function enableStream(f: Facilities, t: TableRecord, viewType: string): void {
  const l = label(f.clock);
  t.stream = { enabled: true, viewType, label: l, arn: `${t.arn}/stream/${l}` };
  publishLifecycle(f, t, 'ENABLED');
}

export function disableStream(f: Facilities, t: TableRecord): void {
  if (!t.stream) return;
  publishLifecycle(f, t, 'DISABLED');
  t.stream = { ...t.stream, enabled: false };
}

function publishLifecycle(f: Facilities, t: TableRecord, status: 'ENABLED' | 'DISABLED'): void {
  f.bus.publish('dynamodb:stream-lifecycle', {
    account: t.account, region: t.region, tableName: t.name, tableArn: t.arn, streamArn: t.stream!.arn!,
    streamLabel: t.stream!.label!, viewType: t.stream!.viewType!, keySchema: t.keySchema, status, atMs: f.clock.nowMs(),
  });
}

/** Publishes the change from `old` to `now` (either may be absent); no-op without a stream or a change. */
export function publishChange(f: Facilities, t: TableRecord, old: Item | undefined, now: Item | undefined, userIdentity?: StreamRecord['userIdentity']): void {
  const s = t.stream;
  if (!s?.enabled || (!old && !now)) return;
  // A write that changes nothing writes no stream record (AWS documents this for PutItem/UpdateItem).
  if (old && now && valuesEqual({ M: old }, { M: now })) return;
  const view = s.viewType!;
  const keys = keyOf(t, (now ?? old)!);
  const record: StreamRecord = {
    eventID: randomBytes(16).toString('hex'),
    eventName: !old ? 'INSERT' : !now ? 'REMOVE' : 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: t.region,
    dynamodb: {
      ApproximateCreationDateTime: new Date(Math.floor(f.clock.nowMs() / 1000) * 1000),
      Keys: cloneItem(keys),
      ...(now && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { NewImage: cloneItem(now) } : {}),
      ...(old && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { OldImage: cloneItem(old) } : {}),
      SequenceNumber: nextSequence(f.clock),
      SizeBytes: 0,
      StreamViewType: view,
    },
    ...(userIdentity ? { userIdentity } : {}),
  };
  const d = record.dynamodb;
  d.SizeBytes = itemSize(d.Keys) + (d.NewImage ? itemSize(d.NewImage) : 0) + (d.OldImage ? itemSize(d.OldImage) : 0);
  f.bus.publish('dynamodb:stream-record', { account: t.account, region: t.region, tableName: t.name, streamArn: s.arn!, record });
}
