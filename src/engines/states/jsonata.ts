/**
 * The JSONata query language (`QueryLanguage: "JSONata"`) with the official `jsonata`
 * package: `{% … %}` strings anywhere in Arguments, Output, Assign, Items, Condition and the
 * other fields are evaluated with `$states` (input, context, result, errorOutput) and the
 * execution's variables bound, plus the functions Step Functions adds ($partition, $range,
 * $hash, $random, $uuid, $parse).
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesError, type Json, type JsonObject } from './json.js';

type Expression = ReturnType<typeof jsonata>;

const cache = new Map<string, Expression>();

/** Whether a string is a JSONata expression (`{% … %}`). */
export function isJsonataExpr(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('{%') && v.endsWith('%}');
}

/** Compiles (and caches) the body of a `{% … %}` string; throws the parser's error. */
export function compileJsonata(expr: string): Expression {
  const body = expr.slice(2, -2).trim();
  let e = cache.get(body);
  if (e === undefined) {
    e = jsonata(body);
    addStepFunctionsFunctions(e);
    if (cache.size > 5000) cache.clear();
    cache.set(body, e);
  }
  return e;
}

/** What `$states` holds while a state evaluates. */
export interface StatesBinding {
  input: Json;
  context: Json;
  result?: Json;
  errorOutput?: Json;
}

/**
 * Resolves a JSONata template: every `{% %}` string is evaluated, objects and arrays are
 * walked, other values are literal. `field` names the field for AWS's error messages
 * (`Output/result`, `Arguments/FunctionName`).
 */
export async function evaluateTemplate(tpl: Json, states: StatesBinding, variables: ReadonlyMap<string, Json>, field: string): Promise<Json> {
  if (isJsonataExpr(tpl)) return evaluateExpr(tpl, states, variables, field);
  if (Array.isArray(tpl)) {
    const out: Json[] = [];
    for (let i = 0; i < tpl.length; i++) out.push(await evaluateTemplate(tpl[i]!, states, variables, `${field}[${i}]`));
    return out;
  }
  if (tpl !== null && typeof tpl === 'object') {
    const out: JsonObject = {};
    for (const k of Object.keys(tpl)) out[k] = await evaluateTemplate(tpl[k]!, states, variables, `${field}/${k}`);
    return out;
  }
  return tpl;
}

/** Evaluates one `{% %}` expression; undefined results and evaluation errors are AWS's States.QueryEvaluationError. */
export async function evaluateExpr(expr: string, states: StatesBinding, variables: ReadonlyMap<string, Json>, field: string): Promise<Json> {
  const body = expr.slice(2, -2).trim();
  let compiled: Expression;
  try {
    compiled = compileJsonata(expr);
  } catch (e) {
    throw queryError(`The JSONata expression '${body}' specified for the field '${field}' threw an error during evaluation. ${describe(e)}`, field);
  }
  const bindings: Record<string, unknown> = { states };
  for (const [k, v] of variables) bindings[k] = v;
  let value: unknown;
  try {
    value = await compiled.evaluate(null, bindings);
  } catch (e) {
    throw queryError(`The JSONata expression '${body}' specified for the field '${field}' threw an error during evaluation. ${describe(e)}`, field);
  }
  if (value === undefined) throw queryError(`The JSONata expression '${body}' specified for the field '${field}' returned nothing (undefined).`, field);
  if (typeof value === 'function') throw queryError(`The JSONata expression '${body}' specified for the field '${field}' returned an unsupported result type.`, field);
  return normalize(value);
}

function queryError(message: string, location: string): StatesError {
  return new StatesError('States.QueryEvaluationError', message, { location, contextual: true });
}

function describe(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err.code ? `${err.code}: ${err.message ?? ''}` : String(err.message ?? e);
}

// JSONata hands back arrays tagged as sequences and may include functions or undefined
// members; a state's data is plain JSON.
function normalize(v: unknown): Json {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) {
    const out: Json[] = [];
    for (const x of v) if (x !== undefined && typeof x !== 'function') out.push(normalize(x));
    return out;
  }
  if (typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined && typeof x !== 'function') out[k] = normalize(x);
    return out;
  }
  return null;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function addStepFunctionsFunctions(e: Expression): void {
  e.registerFunction('partition', (arr: unknown[], size: number) => {
    const out: unknown[][] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  }, '<an:a>');
  e.registerFunction('range', (start: number, end: number, step: number) => {
    const out: number[] = [];
    if (step === 0) throw new Error('step must not be 0');
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) out.push(v);
    return out;
  }, '<nnn:a>');
  e.registerFunction('hash', (data: string, alg: string) => {
    const h = HASHES[alg];
    if (h === undefined) throw new Error(`unsupported hash algorithm ${alg}`);
    return createHash(h).update(data, 'utf8').digest('hex');
  }, '<ss:s>');
  e.registerFunction('random', (seed?: number) => (seed === undefined ? Math.random() : ((Math.sin(seed) * 10000) % 1 + 1) % 1), '<n?:n>');
  e.registerFunction('uuid', () => randomUUID(), '<:s>');
  e.registerFunction('parse', (s: string) => JSON.parse(s) as unknown, '<s:j>');
}
