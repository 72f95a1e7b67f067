/**
 * The interpreter: runs a block of states from StartAt to an end, one state at a time,
 * writing the history as it goes. Each state type's work lives in its own module; this file
 * holds what every state shares (entering, Retry, Catch, Assign, exiting, the data limit).
 *
 * JSONPath Pass, Choice, Succeed and Fail states run synchronously (no promise per state):
 * they are most of the transitions of a typical workflow.
 */
import { evaluateExpr } from './jsonata.js';
import { evaluateRule } from './choice.js';
import { Cancellation, type Thread } from './history.js';
import {
  applyPath, assignJsonPath, commitAssign, effectiveInput, evaluateAssign, jsonataOutput, placeResult, roots, Scope, selectResult,
} from './io.js';
import { ExecutionStopped, inState, StatesError, toText, type Json, type JsonObject } from './json.js';
import { resolveDynamic } from './payload.js';
import { findHandler, retryDelayMs } from './retry.js';
import type { Block, EngineHost, Frame, QueryLanguage } from './types.js';
import { runWait } from './wait.js';
import { runTask } from './task.js';
import { runMap, runParallel } from './fanout.js';

/** The payload limit of a state's input or output (256 KiB). */
export const MAX_PAYLOAD = 262144;

/** What a state hands on: its output and the next state (none at an end). */
export interface StepResult {
  output: Json;
  next: string | undefined;
}

/** The state being run: what its kind-specific code needs. */
export interface StateRun {
  name: string;
  def: JsonObject;
  scope: Scope;
  frame: Frame;
  enteredEventId: number;
  /** Retries made so far in this state ($$.State.RetryCount). */
  retryCount: number;
}

type Body = (run: StateRun) => Promise<Json>;

const SYNC_TYPES = new Set(['Pass', 'Choice', 'Succeed', 'Fail']);
const ALL_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];
// Event type names per state type, made once (a template string per transition shows in profiles).
const ENTERED: Record<string, string> = Object.fromEntries(ALL_TYPES.map((t) => [t, `${t}StateEntered`]));
const EXITED: Record<string, string> = Object.fromEntries(ALL_TYPES.map((t) => [t, `${t}StateExited`]));
const syncBlocks = new WeakMap<Block, boolean>();
const EXIT_TYPES = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Parallel', 'Map']);
// Results that come from outside the definition: the only ones whose size must be checked.
const SIZED_TYPES = new Set(['Task', 'Parallel', 'Map']);

export class Interpreter {
  readonly host: EngineHost;
  readonly #random: () => number;

  constructor(host: EngineHost) {
    this.host = host;
    this.#random = () => host.random();
  }

  /** Runs `block` on `frame` and returns its output; throws a StatesError when it fails. */
  async runBlock(block: Block, input: Json, frame: Frame): Promise<Json> {
    let name: string = block.StartAt;
    let data = input;
    const ql = block.QueryLanguage ?? frame.queryLanguage;
    const f = ql === frame.queryLanguage ? frame : { ...frame, queryLanguage: ql };
    for (;;) {
      if (f.cancel.cancelled) throw new ExecutionStopped();
      const st = block.States[name]!;
      const step = SYNC_TYPES.has(st['Type'] as string) && ((st['QueryLanguage'] as string | undefined) ?? ql) === 'JSONPath'
        ? this.runStateSync(name, st, data, f)
        : await this.runState(name, st, data, f);
      if (step.next === undefined) return step.output;
      name = step.next;
      data = step.output;
    }
  }

  /** Whether every state of `block` runs synchronously (JSONPath Pass, Choice, Succeed, Fail). */
  isSyncBlock(block: Block, ql: QueryLanguage): boolean {
    let v = syncBlocks.get(block);
    if (v === undefined) {
      const lang = block.QueryLanguage ?? ql;
      v = Object.values(block.States).every((st) => SYNC_TYPES.has(st['Type'] as string) && ((st['QueryLanguage'] as string | undefined) ?? lang) === 'JSONPath');
      syncBlocks.set(block, v);
    }
    return v;
  }

  /** Runs a block for which {@link isSyncBlock} holds, without promises. */
  runBlockSync(block: Block, input: Json, frame: Frame): Json {
    let name: string = block.StartAt;
    let data = input;
    for (;;) {
      const step = this.runStateSync(name, block.States[name]!, data, frame);
      if (step.next === undefined) return step.output;
      name = step.next;
      data = step.output;
    }
  }

  /** A frame for a branch or iteration under `parent`: own thread, copied variables, child cancellation. */
  childFrame(parent: Frame, thread: Thread, context: JsonObject = parent.context): Frame {
    return {
      thread, variables: new Map(parent.variables), cancel: new Cancellation(parent.cancel), context, queryLanguage: parent.queryLanguage, history: parent.history,
    };
  }

  #enter(name: string, st: JsonObject, raw: Json, frame: Frame): StateRun {
    const type = st['Type'] as string;
    const entered = frame.history.stateEvent(frame.thread, ENTERED[type]!, name, raw);
    const ql = (st['QueryLanguage'] as QueryLanguage | undefined) ?? frame.queryLanguage;
    const scope = new Scope(ql, raw, frame.variables, this.#random, frame.context, name, entered.timestamp);
    return { name, def: st, scope, frame, enteredEventId: entered.id, retryCount: 0 };
  }

  /** A JSONPath Pass, Choice, Succeed or Fail state, without promises. */
  runStateSync(name: string, st: JsonObject, raw: Json, frame: Frame): StepResult {
    const run = this.#enter(name, st, raw, frame);
    const type = st['Type'] as string;
    try {
      switch (type) {
        case 'Pass': return this.exit(run, type, this.finishJsonPath(run, 'Result' in st ? st['Result']! : effectiveInput(st, run.scope), true));
        case 'Choice': return this.exit(run, type, this.choiceJsonPath(run));
        case 'Succeed': return this.exit(run, type, { output: applyPath(st['OutputPath'], applyPath(st['InputPath'], raw, run.scope), run.scope), next: undefined });
        default: throw this.failureJsonPath(run);
      }
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      throw this.contextualize(e, run);
    }
  }

  async runState(name: string, st: JsonObject, raw: Json, frame: Frame): Promise<StepResult> {
    const type = st['Type'] as string;
    const run = this.#enter(name, st, raw, frame);
    try {
      const step = await this.dispatch(type, run);
      return this.exit(run, type, step);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      const err = this.contextualize(e, run);
      if (err.error === 'States.QueryEvaluationError') {
        frame.history.emit(frame.thread, 'EvaluationFailed', { error: err.error, cause: err.cause, location: err.location, state: name });
      }
      const caught = await this.tryCatch(run, err);
      if (caught === undefined) throw err;
      return this.exit(run, type, caught);
    }
  }

  contextualize(e: StatesError, run: StateRun): StatesError {
    return e.contextual ? new StatesError(e.error, inState(run.name, run.enteredEventId, e.cause), { location: e.location }) : e;
  }

  exit(run: StateRun, type: string, step: StepResult): StepResult {
    if (SIZED_TYPES.has(type) && toText(step.output).length > MAX_PAYLOAD) {
      throw new StatesError('States.DataLimitExceeded', `The state/task '${run.name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
    }
    if (EXIT_TYPES.has(type)) run.frame.history.stateEvent(run.frame.thread, EXITED[type]!, run.name, step.output);
    return step;
  }

  async dispatch(type: string, run: StateRun): Promise<StepResult> {
    const { def: st, scope } = run;
    const jsonPath = scope.ql === 'JSONPath';
    switch (type) {
      case 'Pass':
        if (jsonPath) return this.finishJsonPath(run, 'Result' in st ? st['Result']! : effectiveInput(st, scope), true);
        return this.finish(run, scope.raw);
      case 'Succeed':
        return jsonPath ? this.runStateSyncBody(run) : { output: await jsonataOutput(st, scope, {}, scope.raw), next: undefined };
      case 'Choice': return jsonPath ? this.choiceJsonPath(run) : this.choiceJsonata(run);
      case 'Wait': return this.finish(run, await runWait(this, run));
      case 'Fail': throw jsonPath ? this.failureJsonPath(run) : await this.failureJsonata(run);
      case 'Task': return this.withRetry(run, (r) => runTask(this, r));
      case 'Parallel': return this.withRetry(run, (r) => runParallel(this, r));
      case 'Map': return this.withRetry(run, (r) => runMap(this, r));
    }
    throw new StatesError('States.Runtime', `Unknown state type ${type}`);
  }

  runStateSyncBody(run: StateRun): StepResult {
    const { def: st, scope } = run;
    return { output: applyPath(st['OutputPath'], applyPath(st['InputPath'], scope.raw, scope), scope), next: undefined };
  }

  #next(st: JsonObject): string | undefined {
    return st['End'] === true ? undefined : (st['Next'] as string | undefined);
  }

  /** JSONPath output: ResultSelector (tasks, maps, parallels), Assign, ResultPath, OutputPath. */
  finishJsonPath(run: StateRun, result: Json, passLike = false): StepResult {
    const { def: st, scope } = run;
    const selected = passLike ? result : selectResult(st, result, scope);
    const pairs = assignJsonPath(st, scope, selected);
    const output = placeResult(st, selected, scope);
    commitAssign(run.frame.variables, pairs);
    return { output, next: this.#next(st) };
  }

  /** The state's output from its result, in either language, and where it goes next. */
  async finish(run: StateRun, result: Json): Promise<StepResult> {
    const { def: st, scope } = run;
    if (scope.ql === 'JSONPath') return this.finishJsonPath(run, result, st['Type'] === 'Wait' || st['Type'] === 'Pass');
    const pairs = await evaluateAssign(st, scope, result, { result });
    const output = await jsonataOutput(st, scope, { result }, result);
    commitAssign(run.frame.variables, pairs);
    return { output, next: this.#next(st) };
  }

  choiceJsonPath(run: StateRun): StepResult {
    const { def: st, scope } = run;
    const data = applyPath(st['InputPath'], scope.raw, scope);
    const r = roots(scope, data);
    const rules = (st['Choices'] as JsonObject[]) ?? [];
    let chosen: JsonObject | undefined;
    for (const rule of rules) if (evaluateRule(rule, r)) { chosen = rule; break; }
    const next = chosen ? (chosen['Next'] as string) : typeof st['Default'] === 'string' ? st['Default'] : undefined;
    if (next === undefined) throw new StatesError('States.NoChoiceMatched', 'No Matches!');
    const pairs = assignJsonPath(chosen ?? st, scope, data);
    commitAssign(run.frame.variables, pairs);
    return { output: applyPath(st['OutputPath'], data, scope), next };
  }

  async choiceJsonata(run: StateRun): Promise<StepResult> {
    const { def: st, scope } = run;
    const rules = (st['Choices'] as JsonObject[]) ?? [];
    let chosen: JsonObject | undefined;
    for (let i = 0; i < rules.length && !chosen; i++) {
      const rule = rules[i]!;
      const v = await evaluateExpr(rule['Condition'] as string, { input: scope.raw, context: scope.context }, scope.variables, `Choices[${i}].Condition`);
      if (typeof v !== 'boolean') {
        throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${(rule['Condition'] as string).slice(2, -2).trim()}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${typeof v}' for value: ${toText(v)}`, { contextual: true, location: 'Condition' });
      }
      if (v) chosen = rule;
    }
    const fields = chosen ?? st;
    const next = chosen ? (chosen['Next'] as string) : typeof st['Default'] === 'string' ? st['Default'] : undefined;
    if (next === undefined) throw new StatesError('States.NoChoiceMatched', 'No Matches!');
    const pairs = await evaluateAssign(fields, scope, scope.raw);
    const output = await jsonataOutput(fields, scope, {}, scope.raw);
    commitAssign(run.frame.variables, pairs);
    return { output, next };
  }

  failureJsonPath(run: StateRun): StatesError {
    const { def: st, scope } = run;
    const r = roots(scope, scope.raw);
    const error = typeof st['ErrorPath'] === 'string' ? resolveDynamic('ErrorPath', st['ErrorPath'], r, scope.random) : st['Error'];
    const cause = typeof st['CausePath'] === 'string' ? resolveDynamic('CausePath', st['CausePath'], r, scope.random) : st['Cause'];
    return failError(error, cause);
  }

  async failureJsonata(run: StateRun): Promise<StatesError> {
    const { def: st, scope } = run;
    const b = { input: scope.raw, context: scope.context };
    let error: Json | undefined = st['Error'];
    let cause: Json | undefined = st['Cause'];
    if (typeof error === 'string' && error.startsWith('{%')) error = await evaluateExpr(error, b, scope.variables, 'Error');
    if (typeof cause === 'string' && cause.startsWith('{%')) cause = await evaluateExpr(cause, b, scope.variables, 'Cause');
    return failError(error, cause);
  }

  /** Runs a Task, Parallel or Map body, retrying as its Retry fields say, on the clock. */
  async withRetry(run: StateRun, body: Body): Promise<StepResult> {
    const retriers = run.def['Retry'] as JsonObject[] | undefined;
    const attempts = new Map<number, number>();
    for (;;) {
      try {
        const result = await body(run);
        return await this.finish(run, result);
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        const idx = findHandler(retriers, e.error);
        if (idx < 0) throw e;
        const n = attempts.get(idx) ?? 0;
        const delay = retryDelayMs(retriers![idx]!, n, this.#random);
        if (delay === undefined) throw e;
        attempts.set(idx, n + 1);
        run.retryCount++;
        run.scope.context = { ...run.scope.context, State: { ...(run.scope.context['State'] as JsonObject), RetryCount: run.retryCount } };
        if (delay > 0) await this.host.sleep(delay, run.frame.cancel);
        if (run.frame.cancel.cancelled) throw new ExecutionStopped();
      }
    }
  }

  /** The step a Catch takes for `err`, or undefined when no catcher matches. */
  async tryCatch(run: StateRun, err: StatesError): Promise<StepResult | undefined> {
    const catchers = run.def['Catch'] as JsonObject[] | undefined;
    const idx = findHandler(catchers, err.error);
    if (idx < 0) return undefined;
    const c = catchers![idx]!;
    const errorOutput: JsonObject = { Error: err.error, Cause: err.cause };
    const { scope } = run;
    let output: Json;
    let pairs: [string, Json][];
    if (scope.ql === 'JSONata') {
      pairs = await evaluateAssign(c, scope, errorOutput, { errorOutput });
      output = await jsonataOutput(c, scope, { errorOutput }, errorOutput);
    } else {
      pairs = assignJsonPath(c, scope, errorOutput);
      output = placeResult({ ResultPath: c['ResultPath'] === undefined ? '$' : c['ResultPath'] }, errorOutput, scope);
    }
    commitAssign(run.frame.variables, pairs);
    return { output, next: c['Next'] as string };
  }
}

function failError(error: Json | undefined, cause: Json | undefined): StatesError {
  const text = (v: Json | undefined) => (typeof v === 'string' ? v : v === undefined ? '' : toText(v));
  return new StatesError(text(error), text(cause));
}
