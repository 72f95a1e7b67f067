/**
 * The settings only stream sources (DynamoDB Streams) have: starting position, retries,
 * bisection, record age, parallelization and the OnFailure destination, with Lambda's limits;
 * and the check, made as the function's execution role, that the stream exists and the role
 * may read it (AWS refuses the mapping otherwise).
 */
import { AwsError } from '../../core/errors.js';
import type { ServiceHost } from '../types.js';
import { invalidParameter, validation } from './errors.js';
import { roleSession } from './launch.js';
import type { MappingRecord, StreamSettings } from './store.js';

type In = Record<string, unknown>;

export const DYNAMODB_STREAM_ARN = /^arn:[^:]+:dynamodb:([^:]+):(\d{12}):table\/[^/]+\/stream\/.+$/;

function range(v: number, name: string, min: number, max: number): void {
  if (v < min) throw validation(String(v), name, `Member must have value greater than or equal to ${min}`);
  if (v > max) throw validation(String(v), name, `Member must have value less than or equal to ${max}`);
}

/** The stream settings of a new mapping (`StartingPosition` is required). */
export function newStreamSettings(input: In, nowMs: number): StreamSettings {
  const start = input['StartingPosition'];
  if (start === undefined) throw invalidParameter('1 validation error detected: Value null at \'startingPosition\' failed to satisfy constraint: Member must not be null');
  if (start !== 'TRIM_HORIZON' && start !== 'LATEST') {
    throw invalidParameter(start === 'AT_TIMESTAMP' ? 'Unsupported starting position for DynamoDB streams: AT_TIMESTAMP' : `Unsupported starting position: ${String(start)}`);
  }
  return { startingPosition: start, maxRetryAttempts: -1, maxRecordAgeSeconds: -1, bisect: false, parallelization: 1, createdMs: nowMs, lastResult: 'No records processed' };
}

/** Applies the stream settings of a create or update call. */
export function applyStreamSettings(s: StreamSettings, input: In): void {
  const retries = input['MaximumRetryAttempts'] as number | undefined;
  if (retries !== undefined) { range(retries, 'maximumRetryAttempts', -1, 10_000); s.maxRetryAttempts = retries; }
  const age = input['MaximumRecordAgeInSeconds'] as number | undefined;
  if (age !== undefined) {
    range(age, 'maximumRecordAgeInSeconds', -1, 604_800);
    if (age !== -1 && age < 60) throw invalidParameter('MaximumRecordAgeInSeconds must be -1 (infinite) or between 60 and 604800.');
    s.maxRecordAgeSeconds = age;
  }
  const par = input['ParallelizationFactor'] as number | undefined;
  if (par !== undefined) { range(par, 'parallelizationFactor', 1, 10); s.parallelization = par; }
  if (input['BisectBatchOnFunctionError'] !== undefined) s.bisect = input['BisectBatchOnFunctionError'] === true;
  const dest = input['DestinationConfig'] as { OnFailure?: { Destination?: string } } | undefined;
  if (dest !== undefined) {
    const arn = dest.OnFailure?.Destination;
    if (arn === undefined || arn === '') delete s.onFailure;
    else if (/^arn:[^:]+:(sqs|sns):[^:]+:\d{12}:[^:]+$/.test(arn)) s.onFailure = arn;
    else throw invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.');
  }
}

/** The stream members of a mapping as AWS shows them. */
export function showStreamSettings(m: MappingRecord): In {
  const s = m.stream!;
  return {
    StartingPosition: s.startingPosition, MaximumRetryAttempts: s.maxRetryAttempts, MaximumRecordAgeInSeconds: s.maxRecordAgeSeconds,
    BisectBatchOnFunctionError: s.bisect, ParallelizationFactor: s.parallelization, TumblingWindowInSeconds: 0,
    DestinationConfig: { OnFailure: s.onFailure ? { Destination: s.onFailure } : {} }, LastProcessingResult: s.lastResult,
  };
}

/** Refuses a mapping whose stream is missing or that the execution role may not describe. */
export async function checkStream(host: ServiceHost, account: string, region: string, fnName: string, role: string, streamArn: string): Promise<void> {
  let session;
  try {
    session = await roleSession(host, account, region, fnName, role);
  } catch {
    throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
  }
  try {
    await host.call({ service: 'dynamodbstreams', operation: 'DescribeStream', json: true, region: streamArn.split(':')[3]!, ...session, input: { StreamArn: streamArn } });
  } catch (e) {
    if (e instanceof AwsError && e.code === 'ResourceNotFoundException') throw invalidParameter(`Stream not found: ${streamArn}`);
    if (e instanceof AwsError && /AccessDenied/.test(e.code)) {
      throw invalidParameter(`Cannot access stream ${streamArn}. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM.`);
    }
    throw e;
  }
}
