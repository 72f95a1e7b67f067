/**
 * The shapes of a DynamoDB Streams event source mapping: the record as the function's event
 * carries it, the partial batch response it may answer with, and the description of a
 * discarded batch sent to the OnFailure destination.
 */
import { randomUUID } from 'node:crypto';

export interface StreamEventRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: { ApproximateCreationDateTime: number; SequenceNumber: string; SizeBytes: number; StreamViewType: string; [k: string]: unknown };
  eventSourceARN: string;
  userIdentity?: unknown;
}

/** A GetRecords record (SDK-style JSON) as Lambda hands it to the function: whole seconds, event version 1.1, the stream's ARN. */
export function streamEventRecord(raw: Record<string, unknown>, streamArn: string): StreamEventRecord {
  const ddb = raw['dynamodb'] as StreamEventRecord['dynamodb'];
  const out: StreamEventRecord = {
    eventID: raw['eventID'] as string, eventName: raw['eventName'] as string, eventVersion: '1.1', eventSource: 'aws:dynamodb',
    awsRegion: raw['awsRegion'] as string,
    dynamodb: { ...ddb, ApproximateCreationDateTime: Math.floor(Number(ddb.ApproximateCreationDateTime)) },
    eventSourceARN: streamArn,
  };
  if (raw['userIdentity'] !== undefined) out.userIdentity = raw['userIdentity'];
  return out;
}

/**
 * How many records of the batch succeeded, from a partial batch response: those before the
 * lowest failed sequence number. A response that names no record of the batch, or an empty
 * identifier, fails the whole batch; no `batchItemFailures` (or an empty list) is a success.
 */
export function failedFrom(payload: Buffer, batch: StreamEventRecord[]): number {
  let out: unknown;
  try { out = JSON.parse(payload.toString('utf8')); } catch { return batch.length; }
  const list = (out as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (list === undefined || list === null) return batch.length;
  if (!Array.isArray(list)) return 0;
  let first = batch.length;
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const at = typeof id === 'string' ? batch.findIndex((r) => r.dynamodb.SequenceNumber === id) : -1;
    if (at < 0) return 0;
    first = Math.min(first, at);
  }
  return first;
}

/** What the OnFailure destination receives about discarded records (no record contents, as on AWS). */
export function discardedBatch(d: {
  functionArn: string; condition: string; attempts: number; shardId: string; streamArn: string; records: StreamEventRecord[]; now: Date;
  /** The last attempt's answer (a function error, or null when its partial batch response failed records). */
  response?: { version: string; functionError: string | null };
}): Record<string, unknown> {
  const first = d.records[0]!;
  const last = d.records[d.records.length - 1]!;
  const iso = (s: number): string => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    requestContext: { requestId: randomUUID(), functionArn: d.functionArn, condition: d.condition, approximateInvokeCount: d.attempts },
    ...(d.response ? { responseContext: { statusCode: 200, executedVersion: d.response.version, functionError: d.response.functionError } } : {}),
    version: '1.0',
    timestamp: d.now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: d.shardId, startSequenceNumber: first.dynamodb.SequenceNumber, endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: iso(first.dynamodb.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: iso(last.dynamodb.ApproximateCreationDateTime),
      batchSize: d.records.length, streamArn: d.streamArn,
    },
  };
}
