/**
 * JSON values as the States Language sees them, and the error every state raises: a named
 * error (`States.Runtime`, `States.TaskFailed`, a Lambda's `errorType`) with its cause.
 * Values are treated as immutable throughout the engine, so no state ever copies its input.
 */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject { [key: string]: Json }

/** A runtime error of an execution: what Retry and Catch match and what the history shows. */
export class StatesError extends Error {
  readonly error: string;
  override readonly cause: string;
  /** The field the error came from (JSONata evaluation errors name it in the history). */
  readonly location?: string;

  /** True when the cause still needs AWS's "An error occurred while executing the state …" prefix. */
  readonly contextual: boolean;

  constructor(error: string, cause: string, opts: { location?: string; contextual?: boolean } = {}) {
    super(`${error}: ${cause}`);
    this.error = error;
    this.cause = cause;
    this.location = opts.location;
    this.contextual = opts.contextual ?? false;
  }
}

/** A `States.Runtime` error raised while a state evaluates its fields. */
export function runtimeError(message: string): StatesError {
  return new StatesError('States.Runtime', message, { contextual: true });
}

/** Thrown inside a running branch when the execution is stopped, so no state continues. */
export class ExecutionStopped extends Error {
  constructor() { super('execution stopped'); }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The States Language's name for a value's type (used in AWS's messages). */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Structural equality of JSON values (object key order does not matter). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEquals(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  return ak.length === Object.keys(bo).length && ak.every((k) => k in bo && jsonEquals(ao[k], bo[k]));
}

/** JSON text as Step Functions prints it in causes and history (compact). */
export function toText(v: unknown): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** The message prefix AWS puts on every runtime error raised while a state runs. */
export function inState(state: string, enteredEventId: number, message: string): string {
  return `An error occurred while executing the state '${state}' (entered at the event id #${enteredEventId}). ${message}`;
}
