/**
 * What DynamoDB publishes on the internal event bus: every change of a table with a stream
 * (the record as the DynamoDB Streams API and Lambda deliver it), and the life of each
 * stream. The DynamoDB Streams service keeps the shards from these; Lambda event source
 * mappings can subscribe to the same topic.
 */
import type { BusEvent } from '../../core/event-bus.js';
import type { Item } from './values.js';

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: Date;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  /** Set on deletions made by TTL: `{ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' }`. */
  userIdentity?: { Type: string; PrincipalId: string };
}

export interface StreamRecordEvent extends BusEvent {
  tableName: string;
  streamArn: string;
  record: StreamRecord;
}

export interface StreamLifecycleEvent extends BusEvent {
  tableName: string;
  tableArn: string;
  streamArn: string;
  streamLabel: string;
  viewType: string;
  keySchema: Array<{ AttributeName: string; KeyType: string }>;
  /** ENABLED when created; DISABLED when the stream is turned off or its table deleted. */
  status: 'ENABLED' | 'DISABLED';
  atMs: number;
}

declare module '../../core/event-bus.js' {
  interface BusTopics {
    'dynamodb:stream-record': StreamRecordEvent;
    'dynamodb:stream-lifecycle': StreamLifecycleEvent;
  }
}
