/**
 * One execution from ExecutionStarted to its terminal event: the entry point of the engine.
 * Stopping is the owner's: it cancels `cancel` and writes ExecutionAborted itself, and the
 * run then ends quietly with status ABORTED.
 */
import { Cancellation, History } from './history.js';
import { ExecutionStopped, StatesError, toText, type Json, type JsonObject } from './json.js';
import { Interpreter } from './runner.js';
import { errorDetails } from './task.js';
import type { Block, EngineHost, QueryLanguage } from './types.js';

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: Json;
  error?: string;
  cause?: string;
}

export interface ExecutionOptions {
  definition: JsonObject;
  input: Json;
  host: EngineHost;
  history: History;
  /** The context object's Execution and StateMachine members. */
  context: JsonObject;
  cancel?: Cancellation;
  roleArn?: string;
  /** Variables carried in (a redrive keeps nothing; TestState may pass some). */
  variables?: Map<string, Json>;
  /** Skip the ExecutionStarted event (a redrive continues an existing history). */
  started?: boolean;
  /** Start at this top-level state instead of StartAt (a redrive restarts where it failed). */
  startAt?: string;
}

export async function runExecution(o: ExecutionOptions): Promise<ExecutionResult> {
  const cancel = o.cancel ?? new Cancellation();
  const h = o.history;
  if (!o.started) {
    const details: JsonObject = { input: toText(o.input), inputDetails: { truncated: false } };
    if (o.roleArn !== undefined) details['roleArn'] = o.roleArn;
    h.emit({ last: 0 }, 'ExecutionStarted', details);
  }
  const thread = { last: o.started ? h.lastId : 0 };
  const frame = {
    thread, variables: o.variables ?? new Map<string, Json>(), cancel, context: o.context,
    queryLanguage: ((o.definition['QueryLanguage'] as QueryLanguage | undefined) ?? 'JSONPath'), history: h,
  };
  const it = new Interpreter(o.host);
  const timeout = o.definition['TimeoutSeconds'] as number | undefined;
  let timedOut = false;
  const timer = new Cancellation(cancel);
  if (timeout !== undefined) {
    o.host.sleep(timeout * 1000, timer).then(() => { timedOut = true; cancel.cancel(); }, () => {});
  }
  try {
    const block = o.definition as unknown as Block;
    const output = await it.runBlock(o.startAt ? { ...block, StartAt: o.startAt } : block, o.input, frame);
    if (timedOut) return timedOutResult(h, thread);
    h.emit(thread, 'ExecutionSucceeded', { output: toText(output), outputDetails: { truncated: false } });
    return { status: 'SUCCEEDED', output };
  } catch (e) {
    if (timedOut) return timedOutResult(h, thread);
    if (e instanceof ExecutionStopped) return { status: 'ABORTED' };
    const err = e instanceof StatesError ? e : new StatesError('States.Runtime', (e as Error)?.message ?? String(e));
    h.emit(thread, 'ExecutionFailed', errorDetails(err));
    return { status: 'FAILED', error: err.error, cause: err.cause };
  } finally {
    timer.cancel();
  }
}

function timedOutResult(h: History, thread: { last: number }): ExecutionResult {
  h.emit(thread, 'ExecutionTimedOut', { error: 'States.Timeout', cause: 'Execution timed out.' });
  return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'Execution timed out.' };
}
