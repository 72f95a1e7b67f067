/**
 * Lambda state of one account × region as plain data (so a data directory keeps it):
 * functions with their $LATEST configuration, published versions, aliases, policy statements,
 * concurrency settings, event invoke configs, URL configs; layers; event source mappings; code
 * blobs by SHA-256. Execution environments are not state: they live in the runtime (`pool.ts`).
 */
import type { Collection, Stores } from '../../core/store.js';
import { partitionOf } from '../../core/ids.js';

/** One version's configuration: what GetFunctionConfiguration shows, plus where its code is. */
export interface VersionConfig {
  version: string;
  description: string;
  runtime?: string;
  handler?: string;
  role: string;
  memorySize: number;
  timeout: number;
  environment: Record<string, string>;
  layers: string[];
  architectures: string[];
  ephemeralStorage: number;
  /** Base64, as CodeSha256 shows it. */
  codeSha256: string;
  /** Hex SHA-256: the key of the archive in `code`. */
  codeKey: string;
  codeSize: number;
  packageType: string;
  revisionId: string;
  lastModifiedMs: number;
  deadLetterTarget?: string;
  tracingMode: string;
  logFormat: string;
  logGroup: string;
  kmsKeyArn?: string;
}

export interface AliasRecord {
  name: string;
  version: string;
  description: string;
  weights: Record<string, number>;
  revisionId: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: unknown;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface EventInvokeConfig {
  maxRetries?: number;
  maxEventAgeSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  lastModifiedMs: number;
}

export interface ProvisionedConfig {
  requested: number;
  status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  statusReason?: string;
  lastModifiedMs: number;
}

export interface UrlConfig {
  urlId: string;
  authType: string;
  cors?: Record<string, unknown>;
  invokeMode: string;
  createdMs: number;
  lastModifiedMs: number;
}

export interface FunctionRecord {
  name: string;
  account: string;
  region: string;
  latest: VersionConfig;
  versions: Record<string, VersionConfig>;
  nextVersion: number;
  /** The $LATEST revision last published: publishing it again returns that version. */
  publishedRevision?: string;
  aliases: Record<string, AliasRecord>;
  /** Policy statements by qualifier (`''` = the unqualified function). */
  policies: Record<string, PolicyStatement[]>;
  policyRevision: string;
  tags: Record<string, string>;
  reserved?: number;
  invokeConfigs: Record<string, EventInvokeConfig>;
  provisioned: Record<string, ProvisionedConfig>;
  urls: Record<string, UrlConfig>;
}

export interface LayerVersionRecord {
  name: string;
  version: number;
  description: string;
  codeSha256: string;
  codeSize: number;
  compatibleRuntimes: string[];
  compatibleArchitectures: string[];
  licenseInfo?: string;
  createdMs: number;
}

export interface MappingRecord {
  uuid: string;
  functionArn: string;
  eventSourceArn: string;
  batchSize: number;
  windowSeconds: number;
  enabled: boolean;
  maxConcurrency?: number;
  reportBatchItemFailures: boolean;
  filters: string[];
  lastModifiedMs: number;
  state: string;
  /** Stream sources (DynamoDB Streams) only. */
  stream?: StreamSettings;
}

/** What a mapping from a DynamoDB stream adds: where to start, retries, bisection, discards. */
export interface StreamSettings {
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** -1: until the record expires. */
  maxRetryAttempts: number;
  /** -1: no limit but the stream's retention. */
  maxRecordAgeSeconds: number;
  bisect: boolean;
  parallelization: number;
  onFailure?: string;
  /** The last sequence number the function handled (or discarded): polling resumes after it. */
  checkpoint?: string;
  /** When the mapping was made: LATEST starts with the records written after it. */
  createdMs: number;
  lastResult: string;
}

export interface LambdaState {
  account: string;
  region: string;
  functions: Collection<FunctionRecord>;
  layers: Collection<LayerVersionRecord>;
  mappings: Collection<MappingRecord>;
  /** Zip archives by their SHA-256 (hex). */
  code: Collection<Uint8Array>;
  /** Account settings: `concurrency` (the account limit). */
  settings: Collection<number>;
  /** Asynchronous invocations waiting for their next attempt, by request id. */
  asyncEvents: Collection<StoredAsyncEvent>;
}

export interface StoredAsyncEvent {
  requestId: string;
  fnName: string;
  qualifier?: string;
  /** Base64. */
  payload: string;
  enqueuedMs: number;
  attempts: number;
  /** When the next attempt is due (clock time). */
  dueMs: number;
}

export function lambdaState(stores: Stores, account: string, region: string): LambdaState {
  return stores.scope('lambda', account, region, (c) => ({
    account, region,
    functions: c.collection<FunctionRecord>('functions'),
    layers: c.collection<LayerVersionRecord>('layers'),
    mappings: c.collection<MappingRecord>('mappings'),
    code: c.collection<Uint8Array>('code'),
    settings: c.collection<number>('settings'),
    asyncEvents: c.collection<StoredAsyncEvent>('async-events'),
  }));
}

export function functionArn(account: string, region: string, name: string, qualifier?: string): string {
  const base = `arn:${partitionOf(region)}:lambda:${region}:${account}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

export function layerArn(account: string, region: string, name: string, version?: number): string {
  const base = `arn:${partitionOf(region)}:lambda:${region}:${account}:layer:${name}`;
  return version === undefined ? base : `${base}:${version}`;
}

export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
export const MIN_UNRESERVED = 100;

/** The account's concurrency limit in this region: set for rehearsal, else `DRYDOCK_LAMBDA_CONCURRENCY`, else 1,000. */
export function accountLimit(state: LambdaState): number {
  const set = state.settings.get('concurrency');
  if (set !== undefined) return set;
  const env = Number(process.env['DRYDOCK_LAMBDA_CONCURRENCY']);
  return Number.isInteger(env) && env > 0 ? env : DEFAULT_ACCOUNT_CONCURRENCY;
}

/**
 * Sets the account's concurrency limit (AWS raises it through a quota request; Drydock lets a
 * rehearsal lower it). The unreserved minimum stays 100 unless the limit itself is lower.
 */
export function setAccountConcurrency(stores: Stores, account: string, region: string, limit: number): void {
  lambdaState(stores, account, region).settings.set('concurrency', limit);
}

export function totalReserved(state: LambdaState, except?: string): number {
  let sum = 0;
  for (const f of state.functions.values()) if (f.name !== except && f.reserved !== undefined) sum += f.reserved;
  return sum;
}

/** The unreserved minimum for an account limit (100, or the whole limit when it is smaller). */
export function minUnreserved(limit: number): number {
  return Math.min(MIN_UNRESERVED, limit);
}
