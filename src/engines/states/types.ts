/**
 * What the interpreter needs from its host (the clock, a scheduler, task executors) and the
 * frame each block of states runs in. The host is injected so the engine has no I/O: the
 * service wires it to the app clock and `host.call`, tests and the benchmark to fakes.
 */
import type { Cancellation, History, Thread } from './history.js';
import type { Json, JsonObject } from './json.js';

export type QueryLanguage = 'JSONPath' | 'JSONata';

/** How a Task's Resource is called, parsed from its ARN. */
export interface TaskResource {
  /** `lambda-function` (a bare function ARN), `activity`, or `service` (`arn:aws:states:::…`). */
  kind: 'lambda-function' | 'activity' | 'service';
  arn: string;
  /** For `service`: `lambda`, `sqs`, `aws-sdk:dynamodb`, … (the history's resourceType). */
  resourceType: string;
  /** For `service`: `invoke`, `sendMessage.waitForTaskToken`, … (the history's resource). */
  resource: string;
  /** For `service`: the action without its pattern (`invoke`, `startExecution`). */
  action: string;
  pattern: 'request' | 'sync' | 'sync:2' | 'waitForTaskToken';
}

/** One call a Task state asks its host to make. */
export interface TaskRequest {
  stateName: string;
  resource: TaskResource;
  /** The payload after Parameters / Arguments. */
  input: Json;
  /** The task token, with `.waitForTaskToken` and activities. */
  token?: string;
  /** `Credentials.RoleArn` of the state, when set. */
  roleArn?: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** The execution's context object at this state. */
  context: JsonObject;
  cancel: Cancellation;
  /** Records that the request was accepted (the history's TaskSubmitted event). */
  submitted(output: Json): void;
  /** Restarts the heartbeat timeout (SendTaskHeartbeat). */
  heartbeat(): void;
  /** An activity worker took the task (the history's ActivityStarted event). */
  started?(workerName: string): void;
}

/** What the engine asks of the world. */
export interface EngineHost {
  /** Clock time, epoch ms. */
  now(): number;
  /** Resolves after `ms` of clock time; rejects with ExecutionStopped when cancelled. */
  sleep(ms: number, cancel: Cancellation): Promise<void>;
  /** Runs a Task's call; rejects with a StatesError when it fails. */
  runTask(req: TaskRequest): Promise<Json>;
  random(): number;
  uuid(): string;
  region: string;
  /** Distributed Map: map-run bookkeeping; absent hosts run distributed maps inline. */
  mapRuns?: MapRunHost;
}

/** Bookkeeping of a Distributed Map's map run (DescribeMapRun, ListMapRuns). */
export interface MapRunHost {
  start(stateName: string, label: string | undefined, config: { maxConcurrency: number; toleratedFailurePercentage: number; toleratedFailureCount: number }): string;
  update(mapRunArn: string, counts: { pending: number; running: number; succeeded: number; failed: number; total: number }): void;
  finish(mapRunArn: string, status: 'SUCCEEDED' | 'FAILED' | 'ABORTED'): void;
}

/** A block of states: the machine, a Parallel branch or a Map's item processor. */
export interface Block {
  StartAt: string;
  States: Record<string, JsonObject>;
  QueryLanguage?: QueryLanguage;
}

/** Where a block runs: its history line, variables, cancellation and context object. */
export interface Frame {
  thread: Thread;
  variables: Map<string, Json>;
  cancel: Cancellation;
  /** Execution / StateMachine (and Map.Item inside a Map) members of the context object. */
  context: JsonObject;
  queryLanguage: QueryLanguage;
  history: History;
}
