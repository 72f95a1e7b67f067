/**
 * TestState: runs one state (a state definition, or `stateName` of a whole machine) once,
 * with real task calls as the given role, and reports its output, the next state, and
 * whether an error was caught or would be retried. Wait states do not wait, as on AWS.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { Cancellation, eventDetails, History } from '../../engines/states/history.js';
import { isObject, StatesError, toText, type Json, type JsonObject } from '../../engines/states/json.js';
import { findHandler } from '../../engines/states/retry.js';
import { Interpreter } from '../../engines/states/runner.js';
import { definitionMessage, validateDefinition } from '../../engines/states/validate.js';
import type { Handler } from '../types.js';
import { invalidDefinition, plainValidation } from './errors.js';
import { parseExecutionInput } from './input.js';
import { runtimeOf } from './runtime.js';
import type { ExecutionRecord } from './store.js';

const SUPPORTED = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice'];

export const testState: Handler = async (input, ctx) => {
  let def: unknown;
  try { def = JSON.parse(String(input['definition'] ?? '')); } catch { throw invalidDefinition("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the definition is not valid JSON'"); }
  if (!isObject(def)) throw invalidDefinition("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object'");
  let name = 'TestState';
  let st: JsonObject = def;
  let ql = 'JSONPath';
  if (isObject(def['States'])) {
    name = String(input['stateName'] ?? def['StartAt']);
    st = def['States'][name] as JsonObject;
    if (!isObject(st)) throw plainValidation(`State '${name}' does not exist in the definition`);
    ql = (def['QueryLanguage'] as string | undefined) ?? 'JSONPath';
  }
  const type = st['Type'];
  if (typeof type !== 'string' || !SUPPORTED.includes(type)) {
    throw invalidDefinition(`TestState API does not support Map or Parallel states. Supported state types include: [${SUPPORTED.join(', ')}]`);
  }
  // Validate the state as the only state of a machine (its transitions are not checked here).
  const probe = { ...(ql === 'JSONata' ? { QueryLanguage: ql } : {}), StartAt: name, States: { [name]: { ...st, ...(type === 'Choice' || type === 'Succeed' || type === 'Fail' ? {} : { End: true, Next: undefined }) } } };
  const errors = validateDefinition(JSON.stringify(probe)).diagnostics.filter((d) => d.code === 'SCHEMA_VALIDATION_FAILED');
  if (errors.length > 0) throw invalidDefinition(definitionMessage(errors));
  if (type === 'Task' && typeof input['roleArn'] !== 'string') throw plainValidation('RoleArn must be specified when testing a Task state');
  const raw = parseExecutionInput(String(input['input'] ?? '{}'));
  const variables = new Map<string, Json>(Object.entries(input['variables'] ? (JSON.parse(String(input['variables'])) as JsonObject) : {}));
  const rt = runtimeOf(ctx.stores);
  const rec: ExecutionRecord = {
    arn: `arn:aws:states:${ctx.region}:${ctx.account}:execution:TestState:${randomUUID()}`, name: 'TestState', machineArn: `arn:aws:states:${ctx.region}:${ctx.account}:stateMachine:TestState`,
    definition: '{}', roleArn: String(input['roleArn'] ?? ''), type: 'EXPRESS', status: 'RUNNING', startDate: ctx.clock.nowMs(), input: toText(raw), events: [], redriveCount: 0,
  };
  const host = { ...rt.engineHost(ctx.account, ctx.region, rec), sleep: async () => {} };
  const history = new History(() => ctx.clock.nowMs());
  const it = new Interpreter(host);
  const context = (input['context'] ? JSON.parse(String(input['context'])) : {}) as JsonObject;
  const frame = {
    thread: { last: 0 }, variables, cancel: new Cancellation(), queryLanguage: ql as 'JSONPath' | 'JSONata', history,
    context: { Execution: { Id: rec.arn, Input: raw, Name: rec.name, RoleArn: rec.roleArn, StartTime: new Date(rec.startDate).toISOString() }, StateMachine: { Id: rec.machineArn, Name: 'TestState' }, ...context },
  };
  const inspection: Record<string, unknown> = { input: toText(raw) };
  const out: Record<string, unknown> = {};
  try {
    const { Retry: _retry, ...once } = st;
    void _retry;
    const step = await it.runState(name, once, raw, frame);
    const failed = history.events.find((e) => /Failed$/.test(e.type) && e.type !== 'ExecutionFailed');
    const details = failed ? eventDetails(failed) : undefined;
    out['status'] = details ? 'CAUGHT_ERROR' : 'SUCCEEDED';
    if (details) { out['error'] = details['error']; out['cause'] = details['cause']; }
    out['output'] = toText(step.output);
    if (step.next !== undefined) out['nextState'] = step.next;
    inspection['afterResultPath'] = toText(step.output);
  } catch (e) {
    if (!(e instanceof StatesError)) {
      if (e instanceof AwsError) throw e;
      throw e;
    }
    out['status'] = findHandler(st['Retry'] as JsonObject[] | undefined, e.error) >= 0 ? 'RETRIABLE' : 'FAILED';
    out['error'] = e.error;
    out['cause'] = e.cause;
  }
  if (variables.size > 0) inspection['variables'] = toText(Object.fromEntries(variables));
  if (input['inspectionLevel'] === 'DEBUG' || input['inspectionLevel'] === 'TRACE') out['inspectionData'] = inspection;
  return out;
};
