/**
 * The Task state: parses its Resource, builds the payload, asks the host to run the call
 * (with a task token for `.waitForTaskToken` and activities), enforces TimeoutSeconds and
 * HeartbeatSeconds on the clock, and writes the Task*, LambdaFunction* or Activity* events.
 */
import { Cancellation } from './history.js';
import { applyPath, effectiveInput, jsonataArguments, jsonataValue, readPath } from './io.js';
import { ExecutionStopped, runtimeError, StatesError, toText, type Json, type JsonObject } from './json.js';
import type { Interpreter, StateRun } from './runner.js';
import type { TaskResource } from './types.js';

const DEFAULT_TIMEOUT = 99999999;

// The optimized integrations Step Functions recognizes (aws-sdk:* takes any service and action).
const OPTIMIZED: Record<string, string[]> = {
  lambda: ['invoke'], sqs: ['sendMessage'], sns: ['publish'], dynamodb: ['getItem', 'putItem', 'updateItem', 'deleteItem'],
  events: ['putEvents'], states: ['startExecution'], ecs: ['runTask'], batch: ['submitJob'], glue: ['startJobRun'],
  athena: ['startQueryExecution', 'stopQueryExecution', 'getQueryExecution', 'getQueryResults'], apigateway: ['invoke'],
  codebuild: ['startBuild', 'stopBuild', 'batchDeleteBuilds', 'batchGetReports', 'startBuildBatch'], http: ['invoke'],
  bedrock: ['invokeModel', 'createModelCustomizationJob'], eks: ['runJob', 'call', 'createCluster', 'deleteCluster'],
  s3: ['getObject', 'listObjectsV2', 'putObject'], emr: ['createCluster', 'terminateCluster', 'addStep', 'cancelStep'],
};

/** Parses a Task's Resource ARN; undefined when it is not one Step Functions accepts. */
export function parseResource(arn: string): TaskResource | undefined {
  const lambda = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.exec(arn);
  if (lambda) return { kind: 'lambda-function', arn, resourceType: 'lambda', resource: arn, action: 'invoke', pattern: 'request' };
  if (/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:activity:.+$/.test(arn)) {
    return { kind: 'activity', arn, resourceType: 'activity', resource: arn, action: '', pattern: 'request' };
  }
  const m = /^arn:aws[a-z-]*:states:::(aws-sdk:[a-z0-9-]+|[a-z0-9-]+):([A-Za-z0-9]+)(\.(sync:2|sync|waitForTaskToken))?$/.exec(arn);
  if (!m) return undefined;
  if (!m[1]!.startsWith('aws-sdk:') && !OPTIMIZED[m[1]!]?.includes(m[2]!)) return undefined;
  const pattern = (m[4] ?? 'request') as TaskResource['pattern'];
  return { kind: 'service', arn, resourceType: m[1]!, resource: m[2]! + (m[3] ?? ''), action: m[2]!, pattern };
}

function eventNames(r: TaskResource): { prefix: string; detail: (d: JsonObject) => JsonObject } {
  if (r.kind === 'lambda-function') return { prefix: 'LambdaFunction', detail: (d) => d };
  if (r.kind === 'activity') return { prefix: 'Activity', detail: (d) => d };
  return { prefix: 'Task', detail: (d) => ({ resourceType: r.resourceType, resource: r.resource, ...d }) };
}

async function numberField(run: StateRun, name: string, data: Json): Promise<number | undefined> {
  const { def: st, scope } = run;
  if (scope.ql === 'JSONata') {
    const v = await jsonataValue(st[name], scope, name);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw runtimeError(`The ${name} field must be a positive integer: ${toText(v)}`);
    return v;
  }
  if (typeof st[name] === 'number') return st[name] as number;
  const path = st[`${name}Path`];
  if (typeof path !== 'string') return undefined;
  const got = readPath(path, data, scope);
  if (!got.found) throw runtimeError(`Invalid path '${path}' : No results for path: $['${path.replace(/^\$\./, '')}']`);
  if (typeof got.value !== 'number' || !Number.isInteger(got.value) || got.value <= 0) {
    throw runtimeError(`The ${name}Path parameter refers to value ${toText(got.value)} which is not a positive integer: ${path}`);
  }
  return got.value;
}

export async function runTask(it: Interpreter, run: StateRun): Promise<Json> {
  const { def: st, scope, frame } = run;
  const h = frame.history;
  const resource = parseResource(st['Resource'] as string);
  if (resource === undefined) throw runtimeError(`Invalid resource: ${st['Resource'] as string}`);
  const token = resource.pattern === 'waitForTaskToken' || resource.kind === 'activity' ? it.host.uuid() : undefined;
  if (token !== undefined) scope.context = { ...scope.context, Task: { Token: token } };
  const rawData = scope.ql === 'JSONata' ? scope.raw : applyPath(st['InputPath'], scope.raw, scope);
  const payload = scope.ql === 'JSONata' ? await jsonataArguments(st, scope) : effectiveInput(st, scope);
  const timeout = (await numberField(run, 'TimeoutSeconds', rawData)) ?? (resource.kind === 'lambda-function' ? undefined : DEFAULT_TIMEOUT);
  const heartbeat = await numberField(run, 'HeartbeatSeconds', rawData);
  const roleArn = (st['Credentials'] as JsonObject | undefined)?.['RoleArn'] as string | undefined;
  const { prefix, detail } = eventNames(resource);
  const scheduled: JsonObject = resource.kind === 'service'
    ? { region: it.host.region, parameters: toText(payload) }
    : { resource: resource.arn, input: toText(payload), inputDetails: { truncated: false } };
  if (timeout !== undefined && timeout !== DEFAULT_TIMEOUT) scheduled['timeoutInSeconds'] = timeout;
  if (heartbeat !== undefined) scheduled['heartbeatInSeconds'] = heartbeat;
  if (roleArn !== undefined) scheduled['taskCredentials'] = { roleArn };
  h.emit(frame.thread, `${prefix}Scheduled`, detail(scheduled));
  if (resource.kind !== 'activity') h.emit(frame.thread, `${prefix}Started`, resource.kind === 'service' ? detail({}) : undefined);

  const cancel = new Cancellation(frame.cancel);
  const timers = new Cancellation(cancel);
  let heartbeatTimers: Cancellation | undefined;
  try {
    const result = await new Promise<Json>((resolve, reject) => {
      const armHeartbeat = (): void => {
        if (heartbeat === undefined) return;
        heartbeatTimers?.cancel();
        heartbeatTimers = new Cancellation(timers);
        it.host.sleep(heartbeat * 1000, heartbeatTimers).then(
          () => reject(new StatesError('States.HeartbeatTimeout', '')), () => {});
      };
      if (timeout !== undefined) {
        it.host.sleep(timeout * 1000, timers).then(() => reject(new StatesError('States.Timeout', '')), () => {});
      }
      armHeartbeat();
      cancel.onCancel(() => reject(new ExecutionStopped()));
      it.host.runTask({
        stateName: run.name, resource, input: payload, token, roleArn, timeoutSeconds: timeout, heartbeatSeconds: heartbeat,
        context: scope.context, cancel,
        submitted: (output) => { h.emit(frame.thread, `${prefix}Submitted`, detail({ output: toText(output), outputDetails: { truncated: false } })); },
        heartbeat: armHeartbeat,
        started: (workerName) => { h.emit(frame.thread, 'ActivityStarted', { workerName }); },
      }).then(resolve, reject);
    });
    h.emit(frame.thread, `${prefix}Succeeded`, detail({ output: toText(result), outputDetails: { truncated: false } }));
    return result;
  } catch (e) {
    if (e instanceof StatesError) {
      const timedOut = e.error === 'States.Timeout' || e.error === 'States.HeartbeatTimeout';
      h.emit(frame.thread, `${prefix}${timedOut ? 'TimedOut' : 'Failed'}`, detail(errorDetails(e)));
    }
    throw e;
  } finally {
    cancel.cancel();
  }
}

/** `{ error, cause }` with empty members left out, as AWS writes them. */
export function errorDetails(e: { error: string; cause: string }): JsonObject {
  const d: JsonObject = {};
  if (e.error !== '') d['error'] = e.error;
  if (e.cause !== '') d['cause'] = e.cause;
  return d;
}
