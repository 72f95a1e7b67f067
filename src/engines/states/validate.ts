/**
 * Definition validation with AWS's diagnostics: each problem has a code
 * (`SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`, `INVALID_JSON_DESCRIPTION`), a
 * message and a location (`/States/Foo/Next`). CreateStateMachine joins them into its
 * InvalidDefinition message; ValidateStateMachineDefinition lists them.
 */
import { COMPARISONS, OPERATORS, parseTimestamp, TYPE_TESTS } from './choice.js';
import { isIntrinsic, parseIntrinsic } from './intrinsics.js';
import { compileJsonata, isJsonataExpr } from './jsonata.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { isValidPath } from './jsonpath.js';
import { parseResource } from './task.js';

export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

const TYPES = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice', 'Parallel', 'Map'];
const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const PATHS_IO = ['InputPath', 'OutputPath'];
const RESULT_IO = ['Parameters', 'ResultPath', 'ResultSelector'];
const FIELDS: Record<string, string[]> = {
  Pass: [...PATHS_IO, 'Parameters', 'ResultPath', 'Result', 'Next', 'End', 'Assign', 'Output'],
  Task: [...PATHS_IO, ...RESULT_IO, 'Resource', 'Next', 'End', 'Retry', 'Catch', 'TimeoutSeconds', 'TimeoutSecondsPath',
    'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials', 'Arguments', 'Output', 'Assign'],
  Choice: [...PATHS_IO, 'Choices', 'Default', 'Assign', 'Output'],
  Wait: [...PATHS_IO, 'Next', 'End', 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Assign', 'Output'],
  Succeed: [...PATHS_IO, 'Output'],
  Fail: ['Error', 'ErrorPath', 'Cause', 'CausePath'],
  Parallel: [...PATHS_IO, ...RESULT_IO, 'Branches', 'Next', 'End', 'Retry', 'Catch', 'Arguments', 'Output', 'Assign'],
  Map: [...PATHS_IO, ...RESULT_IO, 'Iterator', 'ItemProcessor', 'ItemsPath', 'Items', 'ItemSelector', 'ItemReader', 'ItemBatcher',
    'ResultWriter', 'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath',
    'ToleratedFailureCount', 'ToleratedFailureCountPath', 'Label', 'Next', 'End', 'Retry', 'Catch', 'Output', 'Assign'],
};
const JSONPATH_ONLY = new Set(['InputPath', 'OutputPath', 'Parameters', 'ResultPath', 'ResultSelector', 'ItemsPath', 'SecondsPath',
  'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'ErrorPath', 'CausePath', 'MaxConcurrencyPath',
  'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath', 'Result']);
const JSONATA_ONLY = new Set(['Arguments', 'Output', 'Items']);

/** Parses and validates a definition; `type` is STANDARD or EXPRESS. */
export function validateDefinition(text: string, type: string = 'STANDARD'): { definition?: JsonObject; diagnostics: Diagnostic[] } {
  if (text.trim() === '') return { diagnostics: [err('SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object')] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const token = /^\s*([^\s{[",:]+)/.exec(text)?.[1] ?? text.slice(0, 10);
    const where = `[Source: (String)${JSON.stringify(text.slice(0, 500))}; line: 1, column: ${Math.min(text.length, token.length + 1)}]`;
    void e;
    return { diagnostics: [err('INVALID_JSON_DESCRIPTION', `Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at ${where}`, where)] };
  }
  if (!isObject(parsed)) return { diagnostics: [err('SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object')] };
  const v = new Validator(type);
  v.top(parsed);
  return { definition: parsed, diagnostics: v.out };
}

/** The InvalidDefinition message CreateStateMachine and UpdateStateMachine answer. */
export function definitionMessage(diags: Diagnostic[]): string {
  const parts = diags.map((d) => `${d.code}: ${d.message}${d.location && d.code !== 'INVALID_JSON_DESCRIPTION' ? ` at ${d.location}` : ''}`);
  return `Invalid State Machine Definition: '${parts.join(', ')}'`;
}

function err(code: string, message: string, location?: string): Diagnostic {
  const d: Diagnostic = { severity: 'ERROR', code, message };
  if (location !== undefined) d.location = location;
  return d;
}

class Validator {
  readonly out: Diagnostic[] = [];
  constructor(readonly type: string) {}

  schema(message: string, at: string): void {
    this.out.push(err('SCHEMA_VALIDATION_FAILED', message, at));
  }

  top(def: JsonObject): void {
    for (const k of Object.keys(def)) {
      if (!['Comment', 'StartAt', 'States', 'TimeoutSeconds', 'Version', 'QueryLanguage'].includes(k)) this.schema(`The field '${k}' is not supported by Step Functions`, '/');
    }
    const ql = def['QueryLanguage'];
    if (ql !== undefined && ql !== 'JSONPath' && ql !== 'JSONata') this.schema("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", '/QueryLanguage');
    if (def['TimeoutSeconds'] !== undefined && !(Number.isInteger(def['TimeoutSeconds']) && (def['TimeoutSeconds'] as number) > 0)) {
      this.schema("The value for the field 'TimeoutSeconds' must be a positive integer", '/TimeoutSeconds');
    }
    this.block(def, '', ql === 'JSONata' ? 'JSONata' : 'JSONPath', ql === 'JSONata');
  }

  block(b: JsonObject, at: string, ql: string, locked: boolean): void {
    const missing = ['States', 'StartAt'].filter((k) => b[k] === undefined);
    if (missing.length > 0) { this.schema(`These fields are required: [${missing.join(', ')}]`, at || '/'); return; }
    if (!isObject(b['States'])) { this.schema("The field 'States' must be an object", `${at}/States`); return; }
    const states = b['States'];
    const names = Object.keys(states);
    if (names.length === 0) { this.schema('Value cannot be empty', `${at}/States`); return; }
    if (typeof b['StartAt'] !== 'string' || !(b['StartAt'] in states)) {
      this.out.push(err('MISSING_TRANSITION_TARGET', `Missing 'StartAt' target: ${String(b['StartAt'])}`, `${at}/StartAt`));
    }
    const targets = new Set<string>([b['StartAt'] as string]);
    for (const name of names) {
      const st = states[name];
      const sat = `${at}/States/${name}`;
      if (name.length > 80) this.schema('State names must be at most 80 characters long', sat);
      if (!isObject(st)) { this.schema('The state must be an object', sat); continue; }
      this.state(name, st, sat, ql, locked, states, targets);
    }
    for (const name of names) {
      if (!targets.has(name)) this.out.push(err('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, `${at}/States/${name}`));
    }
  }

  transition(target: Json | undefined, states: JsonObject, at: string, field: string, targets: Set<string>): void {
    if (typeof target !== 'string') return;
    if (!(target in states)) this.out.push(err('MISSING_TRANSITION_TARGET', `Missing '${field}' target: ${target}`, at));
    else targets.add(target);
  }

  state(name: string, st: JsonObject, at: string, parentQl: string, locked: boolean, states: JsonObject, targets: Set<string>): void {
    const type = st['Type'];
    if (type === undefined) { this.schema('These fields are required: [Type]', at); return; }
    if (typeof type !== 'string' || !TYPES.includes(type)) {
      this.schema(`The field 'Type' should have one of these values: [${TYPES.join(', ')}]`, `${at}/Type`);
      return;
    }
    const ql = (st['QueryLanguage'] as string | undefined) ?? parentQl;
    if (st['QueryLanguage'] !== undefined) {
      if (st['QueryLanguage'] !== 'JSONPath' && st['QueryLanguage'] !== 'JSONata') this.schema("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", `${at}/QueryLanguage`);
      else if (locked && st['QueryLanguage'] === 'JSONPath') this.schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", at);
    }
    const allowed = new Set([...COMMON, ...FIELDS[type]!]);
    for (const k of Object.keys(st)) {
      if (!allowed.has(k) || (ql === 'JSONata' && JSONPATH_ONLY.has(k)) || (ql === 'JSONPath' && JSONATA_ONLY.has(k))) {
        this.schema(`The field '${k}' is not supported by Step Functions`, at);
      }
    }
    const terminal = type === 'Choice' || type === 'Succeed' || type === 'Fail';
    if (!terminal) {
      if (st['Next'] !== undefined && st['End'] !== undefined) this.schema("Only one of the fields 'Next' and 'End' may be set", at);
      else if (st['Next'] === undefined && st['End'] !== true) this.schema('These fields are required: [Next]', at);
      this.transition(st['Next'], states, `${at}/Next`, 'Next', targets);
    }
    if (ql === 'JSONPath') this.jsonPathFields(st, at);
    else this.jsonataFields(st, at);
    for (const [i, c] of ((st['Catch'] as JsonObject[] | undefined) ?? []).entries()) {
      if (!isObject(c)) continue;
      if (!Array.isArray(c['ErrorEquals']) || c['ErrorEquals'].length === 0) this.schema('These fields are required: [ErrorEquals]', `${at}/Catch[${i}]`);
      this.errorList(c['ErrorEquals'], `${at}/Catch[${i}]/ErrorEquals`);
      if (typeof c['Next'] !== 'string') this.schema('These fields are required: [Next]', `${at}/Catch[${i}]`);
      this.transition(c['Next'], states, `${at}/Catch[${i}]/Next`, 'Next', targets);
      if (ql === 'JSONPath' && c['ResultPath'] !== undefined && c['ResultPath'] !== null && !isValidPath(String(c['ResultPath']), true)) {
        this.schema("The value for the field 'ResultPath' must be a valid JSONPath", `${at}/Catch[${i}]/ResultPath`);
      }
    }
    for (const [i, r] of ((st['Retry'] as JsonObject[] | undefined) ?? []).entries()) this.retrier(r, `${at}/Retry[${i}]`);
    switch (type) {
      case 'Task': this.task(st, at); break;
      case 'Choice': this.choice(st, at, ql, states, targets); break;
      case 'Wait': this.wait(st, at, ql); break;
      case 'Fail':
        if (st['Error'] !== undefined && st['ErrorPath'] !== undefined) this.schema("Only one of the fields 'Error' and 'ErrorPath' may be set", at);
        if (st['Cause'] !== undefined && st['CausePath'] !== undefined) this.schema("Only one of the fields 'Cause' and 'CausePath' may be set", at);
        break;
      case 'Parallel': {
        const branches = st['Branches'];
        if (!Array.isArray(branches)) { this.schema('These fields are required: [Branches]', at); break; }
        if (branches.length === 0) { this.schema('Value cannot be empty', `${at}/Branches`); break; }
        branches.forEach((b, i) => isObject(b) && this.block(b, `${at}/Branches[${i}]`, ql, locked && ql === 'JSONata'));
        break;
      }
      case 'Map': {
        const proc = st['ItemProcessor'] ?? st['Iterator'];
        const field = st['ItemProcessor'] !== undefined ? 'ItemProcessor' : 'Iterator';
        if (!isObject(proc)) { this.schema('These fields are required: [ItemProcessor]', at); break; }
        const mode = isObject(proc['ProcessorConfig']) ? proc['ProcessorConfig']['Mode'] : undefined;
        if (mode === 'DISTRIBUTED' && this.type === 'EXPRESS' && (proc['ProcessorConfig'] as JsonObject)['ExecutionType'] === 'STANDARD') {
          this.schema('Express state machine does not support Standard child executions', `${at}/${field}/ProcessorConfig/ExecutionType`);
        }
        if (typeof st['Label'] === 'string') this.label(st['Label'], at);
        const { ProcessorConfig: _pc, ...inner } = proc;
        void _pc;
        this.block(inner, `${at}/${field}`, ql, locked && ql === 'JSONata');
        break;
      }
    }
  }

  label(label: string, at: string): void {
    if (label.length > 40) this.schema('Label cannot exceed 40 characters', `${at}/Label`);
    const bad = [...label].find((c) => /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(c) || c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));
    if (bad !== undefined) this.schema(`Label contains invalid character: '${bad}'`, `${at}/Label`);
  }

  errorList(list: Json | undefined, at: string): void {
    if (!Array.isArray(list)) return;
    const i = list.indexOf('States.ALL');
    if (i >= 0 && (list.length > 1 || i !== list.length - 1)) this.schema("States.ALL must appear alone in 'ErrorEquals'", at);
  }

  retrier(r: Json, at: string): void {
    if (!isObject(r)) return;
    if (!Array.isArray(r['ErrorEquals']) || r['ErrorEquals'].length === 0) this.schema('These fields are required: [ErrorEquals]', at);
    this.errorList(r['ErrorEquals'], `${at}/ErrorEquals`);
    const nonNeg = (k: string, min: number) => {
      const v = r[k];
      if (v !== undefined && (typeof v !== 'number' || v < min)) this.schema(`The value for the field '${k}' must be ${min === 0 ? 'non-negative' : `at least ${min}`}`, `${at}/${k}`);
    };
    nonNeg('MaxAttempts', 0);
    nonNeg('IntervalSeconds', 1);
    nonNeg('BackoffRate', 1);
    nonNeg('MaxDelaySeconds', 1);
    if (r['JitterStrategy'] !== undefined && r['JitterStrategy'] !== 'FULL' && r['JitterStrategy'] !== 'NONE') {
      this.schema("The field 'JitterStrategy' should have one of these values: [FULL, NONE]", `${at}/JitterStrategy`);
    }
  }

  task(st: JsonObject, at: string): void {
    const res = st['Resource'];
    if (typeof res !== 'string') { this.schema('These fields are required: [Resource]', at); return; }
    if (isJsonataExpr(res)) return;
    const parsed = parseResource(res);
    if (parsed === undefined) {
      this.schema(`The resource provided ${res} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`, `${at}/Resource`);
      return;
    }
    if (this.type === 'EXPRESS') {
      if (parsed.pattern === 'waitForTaskToken') this.schema("Express state machine does not support '.waitForTaskToken' service integration ", `${at}/Resource`);
      else if (parsed.pattern.startsWith('sync')) this.schema("Express state machine does not support '.sync' service integration", `${at}/Resource`);
      else if (parsed.kind === 'activity') this.schema('Express state machine does not support Activity ARN', `${at}/Resource`);
    }
    if (st['Credentials'] !== undefined && (!isObject(st['Credentials']) || st['Credentials']['RoleArn'] === undefined)) {
      this.schema("The field 'RoleArn' is required but was missing", `${at}/Credentials`);
    }
    for (const k of ['TimeoutSeconds', 'HeartbeatSeconds']) {
      const v = st[k];
      if (typeof v === 'number' && (!Number.isInteger(v) || v <= 0)) this.schema(`The value for the field '${k}' must be a positive integer`, `${at}/${k}`);
    }
    if (typeof st['TimeoutSeconds'] === 'number' && typeof st['HeartbeatSeconds'] === 'number' && st['HeartbeatSeconds'] >= st['TimeoutSeconds']) {
      this.schema('The value of HeartbeatSeconds must be smaller than the value of TimeoutSeconds', `${at}/HeartbeatSeconds`);
    }
  }

  wait(st: JsonObject, at: string, ql: string): void {
    const set = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].filter((k) => st[k] !== undefined);
    if (set.length !== 1) { this.schema('A Wait state must have exactly one of the fields: [Seconds, SecondsPath, Timestamp, TimestampPath]', at); return; }
    if (ql === 'JSONPath' && typeof st['Timestamp'] === 'string' && parseTimestamp(st['Timestamp']) === undefined) {
      this.schema('String does not match RFC3339 timestamp', `${at}/Timestamp`);
    }
    if (ql === 'JSONPath' && st['Seconds'] !== undefined && !(Number.isInteger(st['Seconds']) && (st['Seconds'] as number) >= 0)) {
      this.schema("The value for the field 'Seconds' must be a non-negative integer", `${at}/Seconds`);
    }
  }

  choice(st: JsonObject, at: string, ql: string, states: JsonObject, targets: Set<string>): void {
    const choices = st['Choices'];
    if (!Array.isArray(choices)) { this.schema('These fields are required: [Choices]', at); return; }
    if (choices.length === 0) { this.schema('Value cannot be empty', `${at}/Choices`); return; }
    choices.forEach((c, i) => {
      const cat = `${at}/Choices[${i}]`;
      if (!isObject(c)) return;
      if (typeof c['Next'] !== 'string') this.schema('These fields are required: [Next]', cat);
      this.transition(c['Next'], states, `${cat}/Next`, 'Next', targets);
      if (ql === 'JSONata') {
        if (!isJsonataExpr(c['Condition']) && typeof c['Condition'] !== 'boolean') this.schema('These fields are required: [Condition]', cat);
        else if (isJsonataExpr(c['Condition'])) this.jsonataExpr(c['Condition'], `${cat}/Condition`);
      } else this.rule(c, cat, true);
    });
    this.transition(st['Default'], states, `${at}/Default`, 'Default', targets);
  }

  rule(r: JsonObject, at: string, top: boolean): void {
    const combos = ['And', 'Or', 'Not'].filter((k) => r[k] !== undefined);
    if (combos.length > 0) {
      const k = combos[0]!;
      const inner = r[k];
      const list = k === 'Not' ? [inner] : inner;
      if (!Array.isArray(list) || (k !== 'Not' && list.length === 0)) { this.schema('Value cannot be empty', `${at}/${k}`); return; }
      list.forEach((x, i) => isObject(x) && this.rule(x, k === 'Not' ? `${at}/Not` : `${at}/${k}[${i}]`, false));
      return;
    }
    const ops = Object.keys(r).filter((k) => OPERATORS.has(k));
    if (typeof r['Variable'] !== 'string') { this.schema('These fields are required: [Variable]', at); return; }
    if (!isValidPath(r['Variable'], true)) this.schema("The value for the field 'Variable' must be a valid JSONPath", `${at}/Variable`);
    if (ops.length !== 1) { this.schema(`A choice rule must have exactly one comparison operator`, at); return; }
    const op = ops[0]!;
    const v = r[op];
    if (op.endsWith('Path') && op !== 'IsPresent') {
      if (typeof v !== 'string' || !isValidPath(v, true)) this.schema(`The value for the field '${op}' must be a valid JSONPath`, `${at}/${op}`);
    } else if (TYPE_TESTS.includes(op) || op === 'BooleanEquals') {
      if (typeof v !== 'boolean') this.schema(`The value for the field '${op}' must be a boolean`, `${at}/${op}`);
    } else if (op.startsWith('Numeric')) {
      if (typeof v !== 'number') this.schema(`The value for the field '${op}' must be a number`, `${at}/${op}`);
    } else if (op.startsWith('Timestamp')) {
      if (typeof v !== 'string' || parseTimestamp(v) === undefined) this.schema('String does not match RFC3339 timestamp', `${at}/${op}`);
    } else if (COMPARISONS.includes(op) && typeof v !== 'string') this.schema(`The value for the field '${op}' must be a string`, `${at}/${op}`);
    void top;
  }

  jsonPathFields(st: JsonObject, at: string): void {
    for (const k of ['InputPath', 'OutputPath', 'ItemsPath']) {
      const v = st[k];
      if (v !== undefined && v !== null && (typeof v !== 'string' || !isValidPath(v))) this.schema(`The value for the field '${k}' must be a valid JSONPath`, `${at}/${k}`);
    }
    for (const k of ['ResultPath', 'SecondsPath', 'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'MaxConcurrencyPath']) {
      const v = st[k];
      if (v !== undefined && v !== null && (typeof v !== 'string' || !isValidPath(v, true))) this.schema(`The value for the field '${k}' must be a valid ReferencePath`, `${at}/${k}`);
    }
    for (const k of ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign']) if (st[k] !== undefined) this.payload(st[k], `${at}/${k}`);
  }

  payload(v: Json, at: string): void {
    if (Array.isArray(v)) { v.forEach((x) => this.payload(x, at)); return; }
    if (!isObject(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (!k.endsWith('.$')) { this.payload(x, at); continue; }
      let ok = typeof x === 'string';
      if (ok) {
        const s = x as string;
        if (isIntrinsic(s)) { try { parseIntrinsic(s); } catch { ok = false; } } else ok = isValidPath(s);
      }
      if (!ok) this.schema(`The value for the field '${k}' must be a valid JSONPath or a valid intrinsic function call`, at);
    }
  }

  jsonataFields(st: JsonObject, at: string): void {
    const walk = (v: Json, where: string): void => {
      if (isJsonataExpr(v)) this.jsonataExpr(v, where);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
      else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, `${where}/${k}`);
    };
    for (const k of ['Arguments', 'Output', 'Assign', 'Items', 'ItemSelector', 'Seconds', 'Timestamp', 'TimeoutSeconds', 'HeartbeatSeconds', 'Error', 'Cause']) {
      if (st[k] !== undefined) walk(st[k], `${at}/${k}`);
    }
  }

  jsonataExpr(expr: string, at: string): void {
    try { compileJsonata(expr); } catch (e) {
      this.schema(`The JSONata expression is not valid: ${(e as Error).message}`, at);
    }
  }
}
