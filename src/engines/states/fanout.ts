/**
 * Parallel and Map: branches and iterations run as child frames with their own line of
 * history events and a copy of the variables; the first failure cancels the siblings. An
 * inline Map runs up to MaxConcurrency iterations at a time; a Distributed Map reads its
 * items, batches them, tolerates failures and writes results (see distributed.ts).
 */
import { effectiveInput, jsonataArguments, jsonataValue, applyPath, readPath, type Scope } from './io.js';
import { evaluateTemplate } from './jsonata.js';
import { ExecutionStopped, isObject, runtimeError, StatesError, toText, type Json, type JsonObject } from './json.js';
import { resolvePayload } from './payload.js';
import type { Interpreter, StateRun } from './runner.js';
import type { Block, Frame } from './types.js';
import { runDistributed } from './distributed.js';

export async function runParallel(it: Interpreter, run: StateRun): Promise<Json> {
  const { def: st, scope, frame } = run;
  const h = frame.history;
  const input = scope.ql === 'JSONata' ? await jsonataArguments(st, scope) : effectiveInput(st, scope);
  const started = h.emit(frame.thread, 'ParallelStateStarted');
  const branches = (st['Branches'] as unknown as Block[]) ?? [];
  const frames = branches.map(() => it.childFrame(frame, { last: started.id }));
  try {
    const out = await settleAll(frames, branches.map((b, i) => () => it.runBlock(b, input, frames[i]!)));
    h.emit(joined(frame), 'ParallelStateSucceeded');
    return out;
  } catch (e) {
    if (e instanceof StatesError) h.emit(joined(frame), 'ParallelStateFailed');
    throw e;
  }
}

/** The parent's thread, moved on past every event its branches wrote (they end before it does). */
function joined(frame: Frame): Frame['thread'] {
  frame.thread.last = frame.history.lastId;
  return frame.thread;
}

/** Runs every job; on the first failure cancels the others and rethrows it. */
async function settleAll(frames: Frame[], jobs: (() => Promise<Json>)[]): Promise<Json[]> {
  let failure: unknown;
  const results = await Promise.all(jobs.map((job, i) => job().catch((e: unknown) => {
    if (failure === undefined || failure instanceof ExecutionStopped) failure = e;
    for (const f of frames) if (f !== frames[i]) f.cancel.cancel();
    return null;
  })));
  if (failure !== undefined) throw failure;
  return results;
}

/** The processor block of a Map (ItemProcessor, or the older Iterator). */
export function processorOf(st: JsonObject): Block & { ProcessorConfig?: JsonObject } {
  return (st['ItemProcessor'] ?? st['Iterator']) as unknown as Block & { ProcessorConfig?: JsonObject };
}

/** An integer field of a Map that may come from a `…Path` or a JSONata expression. */
export async function mapNumber(run: StateRun, name: string, data: Json, kind: 'integer' | 'float' = 'integer'): Promise<number | undefined> {
  const { def: st, scope } = run;
  if (scope.ql === 'JSONata') {
    const v = await jsonataValue(st[name], scope, name);
    return v === undefined ? undefined : (v as number);
  }
  if (typeof st[name] === 'number') return st[name] as number;
  const path = st[`${name}Path`];
  if (typeof path !== 'string') return undefined;
  const got = readPath(path, data, scope);
  const v = got.value;
  const ok = typeof v === 'number' && (kind === 'float' || Number.isInteger(v));
  if (!ok) throw runtimeError(`The ${name}Path field refers to value ${JSON.stringify(toText(v))} which is not a valid ${kind}: ${path}`);
  return v as number;
}

/** The Map's items: ItemsPath (JSONPath) or Items (JSONata). */
export async function mapItems(run: StateRun, data: Json): Promise<Json[]> {
  const { def: st, scope } = run;
  if (scope.ql === 'JSONata') {
    const items = st['Items'] === undefined ? scope.raw : await jsonataValue(st['Items'], scope, 'Items');
    if (!Array.isArray(items)) {
      const expr = typeof st['Items'] === 'string' ? (st['Items']).slice(2, -2).trim() : '';
      const t = items === null ? 'null' : typeof items === 'object' ? 'object' : typeof items;
      throw new StatesError('States.QueryEvaluationError',
        `The JSONata expression '${expr}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${t}' for value: ${toText(items)}`,
        { contextual: true, location: 'Items' });
    }
    return items;
  }
  const items = applyPath(st['ItemsPath'] ?? '$', data, scope);
  if (!Array.isArray(items)) throw runtimeError(`Map state input must be an array but was: ${toText(items)}`);
  return items;
}

/** One item's input to the processor: ItemSelector (or Parameters) with `$$.Map.Item` set. */
export async function itemInput(run: StateRun, data: Json, index: number, value: Json, source?: string): Promise<Json> {
  const { def: st, scope } = run;
  const selector = st['ItemSelector'] ?? st['Parameters'];
  if (selector === undefined || scope.ql === 'JSONPath') return itemInputJsonPath(run, data, index, value, source);
  return evaluateTemplate(selector, { input: scope.raw, context: itemContext(scope, index, value, source) }, scope.variables, 'ItemSelector');
}

function itemContext(scope: Scope, index: number, value: Json, source?: string): JsonObject {
  const item: JsonObject = { Index: index, Value: value };
  if (source !== undefined) item['Source'] = source;
  return { ...scope.context, Map: { Item: item } };
}

/** {@link itemInput} for JSONPath, without a promise. */
export function itemInputJsonPath(run: StateRun, data: Json, index: number, value: Json, source?: string): Json {
  const { def: st, scope } = run;
  const selector = st['ItemSelector'] ?? st['Parameters'];
  if (selector === undefined) return value;
  const roots = { input: data, get context() { return itemContext(scope, index, value, source); }, variables: scope.variables };
  return resolvePayload(selector, roots, scope.random);
}

export async function runMap(it: Interpreter, run: StateRun): Promise<Json> {
  const { def: st, scope, frame } = run;
  const proc = processorOf(st);
  if (proc.ProcessorConfig?.['Mode'] === 'DISTRIBUTED') return runDistributed(it, run, proc);
  const h = frame.history;
  const data = scope.ql === 'JSONata' ? scope.raw : applyPath(st['InputPath'], scope.raw, scope);
  const items = await mapItems(run, data);
  const max = (await mapNumber(run, 'MaxConcurrency', data)) ?? 0;
  const started = h.emit(frame.thread, 'MapStateStarted', { length: items.length });
  const name = run.name;
  const frames: Frame[] = [];
  const results: Json[] = new Array(items.length);
  if (scope.ql === 'JSONPath' && it.isSyncBlock(proc, frame.queryLanguage)) return mapSync(it, run, proc, data, items, started.id);
  try {
    await pool(items.length, max, async (i) => {
      const input = await itemInput(run, data, i, items[i]!);
      const f = it.childFrame(frame, { last: started.id });
      frames.push(f);
      h.emit(f.thread, 'MapIterationStarted', { index: i, name });
      try {
        results[i] = await it.runBlock(proc, input, f);
      } catch (e) {
        if (e instanceof StatesError) h.emit(f.thread, 'MapIterationFailed', { index: i, name });
        else if (e instanceof ExecutionStopped && !frame.cancel.cancelled) h.emit(f.thread, 'MapIterationAborted', { index: i, name });
        throw e;
      }
      h.emit(f.thread, 'MapIterationSucceeded', { index: i, name });
    }, (e) => { for (const f of frames) f.cancel.cancel(); return e; });
    h.emit(joined(frame), 'MapStateSucceeded');
    return results;
  } catch (e) {
    if (e instanceof StatesError) h.emit(joined(frame), 'MapStateFailed');
    throw e;
  }
}

/**
 * An inline Map whose processor runs synchronously: iterations one after another (a valid
 * order for concurrent iterations), with no promise, cancellation or frame per iteration
 * beyond what isolation of variables needs.
 */
function mapSync(it: Interpreter, run: StateRun, proc: Block, data: Json, items: Json[], startedId: number): Json[] {
  const { frame, name } = run;
  const h = frame.history;
  const isolate = hasAssign(proc);
  const results: Json[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const input = itemInputJsonPath(run, data, i, items[i]!);
    const f: Frame = { ...frame, thread: { last: startedId }, variables: isolate ? new Map(frame.variables) : frame.variables };
    h.stateEvent(f.thread, 'MapIterationStarted', name, i);
    try {
      results[i] = it.runBlockSync(proc, input, f);
    } catch (e) {
      if (e instanceof StatesError) {
        h.stateEvent(f.thread, 'MapIterationFailed', name, i);
        h.emit(joined(frame), 'MapStateFailed');
      }
      throw e;
    }
    h.stateEvent(f.thread, 'MapIterationSucceeded', name, i);
  }
  h.emit(joined(frame), 'MapStateSucceeded');
  return results;
}

const assigning = new WeakMap<Block, boolean>();

function hasAssign(b: Block): boolean {
  let v = assigning.get(b);
  if (v === undefined) {
    v = JSON.stringify(b).includes('"Assign"');
    assigning.set(b, v);
  }
  return v;
}

/**
 * Runs `count` jobs with at most `max` at once (0: all at once). The first failure stops new
 * jobs, is passed to `onFail` (which cancels running ones) and is rethrown after all settle.
 */
export async function pool(count: number, max: number, job: (i: number) => Promise<void>, onFail: (e: unknown) => unknown): Promise<void> {
  let next = 0;
  let failure: unknown;
  const width = max <= 0 ? count : Math.min(max, count);
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < count) {
      const i = next++;
      try {
        await job(i);
      } catch (e) {
        if (failure === undefined) { failure = e; onFail(e); }
      }
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  if (failure !== undefined) throw failure;
}

