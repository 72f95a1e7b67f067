/**
 * The interpreter: runs a block of states from StartAt to an end, one state at a time,
 * writing the history as it goes. Each state type's work lives in its own module; this file
 * holds what every state shares (entering, Retry, Catch, Assign, exiting, the data limit).
 */
import { evaluateExpr } from './jsonata.js';
import { evaluateRule } from './choice.js';
import { Cancellation, type History, type Thread } from './history.js';
import {
  applyPath, commitAssign, effectiveInput, evaluateAssign, jsonataOutput, placeResult, selectResult, type Scope,
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

/** What a state's body returns: its result (before output processing) or a finished step. */
type Body = (run: StateRun) => Promise<Json>;

export class Interpreter {
  readonly host: EngineHost;

  constructor(host: EngineHost) {
    this.host = host;
  }

  /** Runs `block` on `frame` and returns its output; throws a StatesError when it fails. */
  async runBlock(block: Block, input: Json, frame: Frame): Promise<Json> {
    let name: string | undefined = block.StartAt;
    let data = input;
    const ql = block.QueryLanguage ?? frame.queryLanguage;
    const f = ql === frame.queryLanguage ? frame : { ...frame, queryLanguage: ql };
    for (;;) {
      if (f.cancel.cancelled) throw new ExecutionStopped();
      const st = block.States[name]!;
      const step = await this.runState(name, st, data, f);
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

  async runState(name: string, st: JsonObject, raw: Json, frame: Frame): Promise<StepResult> {
    const type = st['Type'] as string;
    const h = frame.history;
    const entered = h.emit(frame.thread, `${type}StateEntered`, { name, input: toText(raw), inputDetails: { truncated: false } });
    const context: JsonObject = { ...frame.context, State: { EnteredTime: new Date(entered.timestamp).toISOString(), Name: name, RetryCount: 0 } };
    const ql = (st['QueryLanguage'] as QueryLanguage | undefined) ?? frame.queryLanguage;
    const scope: Scope = { ql, raw, context, variables: frame.variables, random: () => this.host.random() };
    const run: StateRun = { name, def: st, scope, frame, enteredEventId: entered.id, retryCount: 0 };
    try {
      const step = await this.dispatch(type, run);
      return this.exit(run, type, step);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      const err = this.contextualize(e, run);
      if (err.error === 'States.QueryEvaluationError') {
        h.emit(frame.thread, 'EvaluationFailed', { error: err.error, cause: err.cause, location: err.location, state: name });
      }
      const caught = await this.tryCatch(run, err);
      if (caught === undefined) throw err;
      return this.exit(run, type, caught);
    }
  }

  contextualize(e: StatesError, run: StateRun): StatesError {
    return e.contextual ? new StatesError(e.error, inState(run.name, run.enteredEventId, e.cause), { location: e.location }) : e;
  }

  #exitTypes = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Parallel', 'Map']);

  exit(run: StateRun, type: string, step: StepResult): StepResult {
    const text = toText(step.output);
    if (text.length > MAX_PAYLOAD) {
      throw new StatesError('States.DataLimitExceeded', `The state/task '${run.name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
    }
    if (this.#exitTypes.has(type)) {
      run.frame.history.emit(run.frame.thread, `${type}StateExited`, { name: run.name, output: text, outputDetails: { truncated: false } });
    }
    return step;
  }

  async dispatch(type: string, run: StateRun): Promise<StepResult> {
    const st = run.def;
    switch (type) {
      case 'Pass': return this.simple(run, async (r) => {
        if (r.scope.ql === 'JSONata') return r.scope.raw;
        const input = effectiveInput(st, r.scope);
        return 'Result' in st ? st['Result']! : input;
      }, true);
      case 'Succeed': return this.passThrough(run, undefined);
      case 'Choice': return this.choice(run);
      case 'Wait': return this.simple(run, (r) => runWait(this, r), true);
      case 'Fail': throw await this.failure(run);
      case 'Task': return this.withRetry(run, (r) => runTask(this, r));
      case 'Parallel': return this.withRetry(run, (r) => runParallel(this, r));
      case 'Map': return this.withRetry(run, (r) => runMap(this, r));
    }
    throw new StatesError('States.Runtime', `Unknown state type ${type}`);
  }

  /** Pass and Wait: no Retry, the body's value is the result (Pass in JSONPath honours ResultPath). */
  async simple(run: StateRun, body: Body, hasResultPath: boolean): Promise<StepResult> {
    const result = await body(run);
    return this.finish(run, result, hasResultPath);
  }

  /** The state's output from its result, Assign applied, and where it goes next. */
  async finish(run: StateRun, result: Json, hasResult = true): Promise<StepResult> {
    const { def: st, scope } = run;
    let output: Json;
    let pairs: [string, Json][];
    if (scope.ql === 'JSONata') {
      const dflt = hasResult ? result : scope.raw;
      pairs = await evaluateAssign(st, scope, result, { result });
      output = await jsonataOutput(st, scope, { result }, dflt);
    } else {
      const type = st['Type'];
      const selected = type === 'Task' || type === 'Map' || type === 'Parallel' ? selectResult(st, result, scope) : result;
      pairs = await evaluateAssign(st, scope, selected);
      output = hasResult ? placeResult(st, selected, scope) : applyPath(st['OutputPath'], scope.raw, scope);
    }
    commitAssign(run.frame.variables, pairs);
    return { output, next: st['End'] === true ? undefined : (st['Next'] as string | undefined) };
  }

  async passThrough(run: StateRun, next: string | undefined): Promise<StepResult> {
    const { def: st, scope } = run;
    if (scope.ql === 'JSONata') return { output: await jsonataOutput(st, scope, {}, scope.raw), next };
    const data = applyPath(st['InputPath'], scope.raw, scope);
    return { output: applyPath(st['OutputPath'], data, scope), next };
  }

  async choice(run: StateRun): Promise<StepResult> {
    const { def: st, scope } = run;
    const rules = (st['Choices'] as JsonObject[]) ?? [];
    if (scope.ql === 'JSONata') {
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        const v = await evaluateExpr(rule['Condition'] as string, { input: scope.raw, context: scope.context }, scope.variables, `Choices[${i}].Condition`);
        if (typeof v !== 'boolean') {
          throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${(rule['Condition'] as string).slice(2, -2).trim()}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${typeof v}' for value: ${toText(v)}`, { contextual: true, location: 'Condition' });
        }
        if (v) return this.choose(run, rule, rule['Next'] as string);
      }
    } else {
      const data = applyPath(st['InputPath'], scope.raw, scope);
      const roots = { input: data, context: scope.context, variables: scope.variables };
      for (const rule of rules) if (evaluateRule(rule, roots)) return this.choose(run, rule, rule['Next'] as string, data);
    }
    if (typeof st['Default'] === 'string') return this.choose(run, st, st['Default'], undefined);
    throw new StatesError('States.NoChoiceMatched', 'No Matches!');
  }

  async choose(run: StateRun, fields: JsonObject, next: string, data?: Json): Promise<StepResult> {
    const { scope } = run;
    if (scope.ql === 'JSONata') {
      const pairs = await evaluateAssign(fields, scope, scope.raw);
      const output = await jsonataOutput(fields, scope, {}, scope.raw);
      commitAssign(run.frame.variables, pairs);
      return { output, next };
    }
    const input = data ?? applyPath(run.def['InputPath'], scope.raw, scope);
    const pairs = await evaluateAssign(fields, scope, input);
    commitAssign(run.frame.variables, pairs);
    return { output: applyPath(run.def['OutputPath'], input, scope), next };
  }

  async failure(run: StateRun): Promise<StatesError> {
    const { def: st, scope } = run;
    let error: Json | undefined = st['Error'];
    let cause: Json | undefined = st['Cause'];
    if (scope.ql === 'JSONata') {
      const b = { input: scope.raw, context: scope.context };
      if (typeof error === 'string' && error.startsWith('{%')) error = await evaluateExpr(error, b, scope.variables, 'Error');
      if (typeof cause === 'string' && cause.startsWith('{%')) cause = await evaluateExpr(cause, b, scope.variables, 'Cause');
    } else {
      const roots = { input: scope.raw, context: scope.context, variables: scope.variables };
      if (typeof st['ErrorPath'] === 'string') error = resolveDynamic('ErrorPath', st['ErrorPath'], roots, scope.random);
      if (typeof st['CausePath'] === 'string') cause = resolveDynamic('CausePath', st['CausePath'], roots, scope.random);
    }
    return new StatesError(typeof error === 'string' ? error : error === undefined ? '' : toText(error), typeof cause === 'string' ? cause : cause === undefined ? '' : toText(cause));
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
        const delay = retryDelayMs(retriers![idx]!, n, () => this.host.random());
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
      pairs = await evaluateAssign(c, scope, errorOutput);
      output = placeResult({ ResultPath: c['ResultPath'] === undefined ? '$' : c['ResultPath'] }, errorOutput, scope);
    }
    commitAssign(run.frame.variables, pairs);
    return { output, next: c['Next'] as string };
  }
}

