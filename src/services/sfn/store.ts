/**
 * Step Functions state of one account × region: state machines (with their published
 * versions and aliases), executions with their histories, map runs and activities.
 */
import type { HistoryEvent } from '../../engines/states/history.js';
import type { Collection, Stores } from '../../core/store.js';

export interface MachineRecord {
  arn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  definition: string;
  roleArn: string;
  creationDate: number;
  updateDate?: number;
  revisionId: string;
  loggingConfiguration: Record<string, unknown>;
  tracingConfiguration: Record<string, unknown>;
  encryptionConfiguration?: Record<string, unknown>;
  tags: Record<string, string>;
  nextVersion: number;
}

/** A published version (`<machine arn>:<n>`), immutable. */
export interface VersionRecord {
  arn: string;
  machineArn: string;
  version: number;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  revisionId: string;
  description?: string;
  creationDate: number;
  loggingConfiguration: Record<string, unknown>;
  tracingConfiguration: Record<string, unknown>;
}

export interface AliasRecord {
  arn: string;
  name: string;
  machineArn: string;
  description?: string;
  routing: { stateMachineVersionArn: string; weight: number }[];
  creationDate: number;
  updateDate?: number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionRecord {
  arn: string;
  name: string;
  machineArn: string;
  versionArn?: string;
  aliasArn?: string;
  /** The definition and role the execution runs (fixed at start). */
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  traceHeader?: string;
  events: HistoryEvent[];
  redriveCount: number;
  redriveDate?: number;
  mapRunArn?: string;
}

export interface MapRunRecord {
  arn: string;
  executionArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  counts: { pending: number; running: number; succeeded: number; failed: number; total: number };
}

export interface ActivityRecord {
  arn: string;
  name: string;
  creationDate: number;
  tags: Record<string, string>;
}

export interface SfnState {
  machines: Collection<MachineRecord>;
  versions: Collection<VersionRecord>;
  aliases: Collection<AliasRecord>;
  executions: Collection<ExecutionRecord>;
  mapRuns: Collection<MapRunRecord>;
  activities: Collection<ActivityRecord>;
}

export function sfnState(stores: Stores, account: string, region: string): SfnState {
  return stores.scope('sfn', account, region, (c) => ({
    machines: c.collection<MachineRecord>('machines'),
    versions: c.collection<VersionRecord>('versions'),
    aliases: c.collection<AliasRecord>('aliases'),
    executions: c.collection<ExecutionRecord>('executions'),
    mapRuns: c.collection<MapRunRecord>('mapRuns'),
    activities: c.collection<ActivityRecord>('activities'),
  }));
}

/** Account and region of a `arn:aws:states:<region>:<account>:…` ARN. */
export function arnScope(arn: string): { region: string; account: string; kind: string; rest: string[] } | undefined {
  const m = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):([A-Za-z]+):(.+)$/.exec(arn);
  if (!m) return undefined;
  return { region: m[1]!, account: m[2]!, kind: m[3]!, rest: m[4]!.split(':') };
}
