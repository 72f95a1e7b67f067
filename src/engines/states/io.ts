/**
 * Input and output processing of one state in either query language: InputPath, Parameters,
 * ResultSelector, ResultPath, OutputPath (JSONPath) or Arguments / Output (JSONata), and
 * Assign in both. Everything a state reads goes through here so the rules live in one place.
 */
import { evaluateTemplate, isJsonataExpr, evaluateExpr } from './jsonata.js';
import { isObject, runtimeError, toText, type Json, type JsonObject } from './json.js';
import { bracketForm, queryPath, setPath, type PathRoots } from './jsonpath.js';
import { resolvePayload } from './payload.js';
import type { QueryLanguage } from './types.js';

/**
 * What a state's fields are evaluated against. The context object is built on first use:
 * most states never read `$$`, and building it (a timestamp string) is a measurable share
 * of a Pass state's cost.
 */
export class Scope {
  readonly ql: QueryLanguage;
  readonly raw: Json;
  readonly variables: Map<string, Json>;
  readonly random: () => number;
  #context: JsonObject | undefined;
  readonly #base: JsonObject;
  readonly #state: string;
  readonly #enteredAt: number;

  constructor(ql: QueryLanguage, raw: Json, variables: Map<string, Json>, random: () => number, base: JsonObject, state: string, enteredAt: number) {
    this.ql = ql;
    this.raw = raw;
    this.variables = variables;
    this.random = random;
    this.#base = base;
    this.#state = state;
    this.#enteredAt = enteredAt;
  }

  get context(): JsonObject {
    return (this.#context ??= { ...this.#base, State: { EnteredTime: new Date(this.#enteredAt).toISOString(), Name: this.#state, RetryCount: 0 } });
  }

  set context(v: JsonObject) {
    this.#context = v;
  }

  /** The same scope over other data (ResultSelector reads the result as `$`). */
  over(raw: Json): Scope {
    const s = new Scope(this.ql, raw, this.variables, this.random, this.#base, this.#state, this.#enteredAt);
    s.#context = this.#context;
    return s;
  }
}

/** Path roots over `input`, reading the context object only if a `$$` path asks for it. */
class LazyRoots implements PathRoots {
  readonly input: Json;
  readonly variables: ReadonlyMap<string, Json>;
  readonly #scope: Scope;

  constructor(scope: Scope, input: Json) {
    this.input = input;
    this.variables = scope.variables;
    this.#scope = scope;
  }

  get context(): Json {
    return this.#scope.context;
  }
}

export function roots(scope: Scope, input: Json): PathRoots {
  return new LazyRoots(scope, input);
}

/** A `*Path` field's value (InputPath, OutputPath): `null` gives `{}`. */
export function applyPath(path: Json | undefined, data: Json, scope: Scope): Json {
  if (path === undefined || path === '$') return data;
  if (path === null) return {};
  const got = queryPath(path as string, roots(scope, data));
  if (!got.found) throw runtimeError(`Invalid path '${path as string}' : No results for path: ${bracketForm(path as string)}`);
  return got.value!;
}

/** The effective input of a JSONPath state: InputPath then Parameters (or ItemSelector). */
export function effectiveInput(st: JsonObject, scope: Scope, template: Json | undefined = st['Parameters']): Json {
  const data = applyPath(st['InputPath'], scope.raw, scope);
  return template === undefined ? data : resolvePayload(template, roots(scope, data), scope.random);
}

/** The JSONata payload of a state (`Arguments`), or its input when absent. */
export async function jsonataArguments(st: JsonObject, scope: Scope): Promise<Json> {
  const args = st['Arguments'];
  if (args === undefined) return scope.raw;
  return evaluateTemplate(args, { input: scope.raw, context: scope.context }, scope.variables, 'Arguments');
}

/** ResultSelector over a task/map/parallel result (JSONPath). */
export function selectResult(st: JsonObject, result: Json, scope: Scope): Json {
  const sel = st['ResultSelector'];
  return sel === undefined ? result : resolvePayload(sel, roots(scope, result), scope.random);
}

/** ResultPath and OutputPath (JSONPath): where the result goes in the raw input, then what leaves. */
export function placeResult(fields: JsonObject, result: Json, scope: Scope): Json {
  let out: Json;
  const rp = fields['ResultPath'];
  if (rp === undefined || rp === '$') out = result;
  else if (rp === null) out = scope.raw;
  else {
    const placed = setPath(scope.raw, rp as string, result);
    if (placed === undefined) throw runtimeError(`Unable to apply ReferencePath ${rp as string} to input '${toText(scope.raw)}'`);
    out = placed;
  }
  return applyPath(fields['OutputPath'], out, scope);
}

/** JSONata Output: evaluated with `$states.result` (and errorOutput in a Catch); `dflt` when absent. */
export async function jsonataOutput(fields: JsonObject, scope: Scope, bindings: { result?: Json; errorOutput?: Json }, dflt: Json): Promise<Json> {
  const out = fields['Output'];
  if (out === undefined) return dflt;
  return evaluateTemplate(out, { input: scope.raw, context: scope.context, ...bindings }, scope.variables, 'Output');
}

/**
 * The variables an `Assign` block sets (evaluated against the values before any of them
 * change, as AWS does). In JSONPath, `$` is `current` (the state's result or input).
 */
export async function evaluateAssign(fields: JsonObject, scope: Scope, current: Json, bindings: { result?: Json; errorOutput?: Json } = {}): Promise<[string, Json][]> {
  const assign = fields['Assign'];
  if (!isObject(assign)) return [];
  const out: [string, Json][] = [];
  if (scope.ql === 'JSONata') {
    for (const [k, v] of Object.entries(assign)) {
      out.push([k, await evaluateTemplate(v, { input: scope.raw, context: scope.context, ...bindings }, scope.variables, `Assign/${k}`)]);
    }
    return out;
  }
  return assignJsonPath(fields, scope, current);
}

/** Assign in JSONPath (synchronous): `.$` fields read `current`. */
export function assignJsonPath(fields: JsonObject, scope: Scope, current: Json): [string, Json][] {
  const assign = fields['Assign'];
  if (!isObject(assign)) return [];
  return Object.entries(resolvePayload(assign, roots(scope, current), scope.random) as JsonObject);
}

export function commitAssign(vars: Map<string, Json>, pairs: [string, Json][]): void {
  for (const [k, v] of pairs) vars.set(k, v);
}

/** A JSONata field that may be an expression or a literal (Seconds, Items, MaxConcurrency…). */
export async function jsonataValue(v: Json | undefined, scope: Scope, field: string, bindings: { result?: Json } = {}): Promise<Json | undefined> {
  if (v === undefined) return undefined;
  if (isJsonataExpr(v)) return evaluateExpr(v, { input: scope.raw, context: scope.context, ...bindings }, scope.variables, field);
  return evaluateTemplate(v, { input: scope.raw, context: scope.context, ...bindings }, scope.variables, field);
}

/** A `…Path` field of a state read from its effective input (SecondsPath, TimeoutSecondsPath, …). */
export function readPath(path: string, data: Json, scope: Scope): { found: boolean; value: Json | undefined } {
  return queryPath(path, roots(scope, data));
}
