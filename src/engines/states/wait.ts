/**
 * The Wait state: Seconds, Timestamp, SecondsPath or TimestampPath (or their JSONata
 * expressions), waited on the host's clock so a test that advances the clock ends the wait.
 */
import { parseTimestamp } from './choice.js';
import { applyPath, jsonataValue, readPath } from './io.js';
import { runtimeError, toText, type Json } from './json.js';
import type { Interpreter, StateRun } from './runner.js';

// AWS refuses waits beyond a year of seconds (the limit of an execution).
const MAX_WAIT_SECONDS = 99999999;

export async function runWait(it: Interpreter, run: StateRun): Promise<Json> {
  const { def: st, scope } = run;
  let data: Json = scope.raw;
  let seconds: number | undefined;
  let until: number | undefined;
  if (scope.ql === 'JSONata') {
    const s = await jsonataValue(st['Seconds'], scope, 'Seconds');
    const t = await jsonataValue(st['Timestamp'], scope, 'Timestamp');
    if (s !== undefined) {
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) throw runtimeError(`The Seconds field must be a non-negative integer: ${toText(s)}`);
      seconds = s;
    }
    if (t !== undefined) until = timestampOf(t, 'The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ');
  } else {
    data = applyPath(st['InputPath'], scope.raw, scope);
    if (typeof st['Seconds'] === 'number') seconds = st['Seconds'];
    if (typeof st['Timestamp'] === 'string') until = timestampOf(st['Timestamp'], 'The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ');
    if (typeof st['SecondsPath'] === 'string') {
      const path = st['SecondsPath'];
      const got = readPath(path, data, scope);
      if (!got.found) throw runtimeError(`The SecondsPath parameter does not reference an input value: ${path}`);
      const v = got.value;
      if (typeof v !== 'number' || !Number.isInteger(v)) throw runtimeError(`The SecondsPath parameter cannot be parsed as a long value: ${path} == ${toText(v)}`);
      if (v < 0) throw runtimeError(`The SecondsPath parameter references a negative value: ${path} == ${v}`);
      seconds = v;
    }
    if (typeof st['TimestampPath'] === 'string') {
      const path = st['TimestampPath'];
      const got = readPath(path, data, scope);
      const v = got.value;
      const t = typeof v === 'string' ? parseTimestamp(v) : undefined;
      if (!got.found || t === undefined) {
        throw runtimeError(`The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${typeof v === 'string' ? v : toText(v)}`);
      }
      until = t;
    }
  }
  const now = it.host.now();
  const ms = seconds !== undefined ? seconds * 1000 : Math.max(0, (until ?? now) - now);
  if (ms > MAX_WAIT_SECONDS * 1000) throw runtimeError('Wait state delay is too long.');
  if (ms > 0) await it.host.sleep(ms, run.frame.cancel);
  return data;
}

function timestampOf(v: Json, message: string): number {
  const t = typeof v === 'string' ? parseTimestamp(v) : undefined;
  if (t === undefined) throw runtimeError(`${message}${typeof v === 'string' ? v : toText(v)}`);
  return t;
}
