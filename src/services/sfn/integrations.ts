/**
 * Task integrations: what a Task state's Resource does, run through `host.call` as the
 * state machine's role (assumed by `states.amazonaws.com`, chained to `Credentials.RoleArn`
 * when the state sets one), so IAM decides exactly as it would on AWS. Optimized integrations
 * (Lambda, SQS, SNS, DynamoDB, EventBridge, nested executions) shape their input and output as
 * AWS does; `aws-sdk:<service>:<action>` dispatches to any Drydock service.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { servicePrincipal, type Principal } from '../../core/identity.js';
import { StatesError, type Json, type JsonObject } from '../../engines/states/json.js';
import type { TaskRequest } from '../../engines/states/types.js';
import { loadModel } from '../../protocols/model.js';
import { activityTask } from './activities.js';
import type { SfnRuntime } from './runtime.js';
import { errorPrefix, modelFor, operationFor, sdkErrorName, toModelNames, toPascalNames } from './sdk-names.js';
import type { ExecutionRecord } from './store.js';
import { nestedExecution } from './nested.js';

export interface Where {
  account: string;
  region: string;
  execution: ExecutionRecord;
}

interface Session { principal: Principal; accessKeyId: string; untilMs: number }
const sessions = new WeakMap<SfnRuntime, Map<string, Session>>();

/** The execution role's session (and a chained task role's), cached for 15 minutes of clock time. */
async function roleSession(rt: SfnRuntime, w: Where, taskRole?: string): Promise<Session> {
  let cache = sessions.get(rt);
  if (!cache) sessions.set(rt, (cache = new Map()));
  const key = `${w.execution.roleArn}|${taskRole ?? ''}`;
  const now = rt.host.clock.nowMs();
  const hit = cache.get(key);
  if (hit && hit.untilMs > now) return hit;
  const assume = async (roleArn: string, as: Principal, accessKeyId?: string): Promise<Session> => {
    try {
      const out = await rt.host.call({
        service: 'sts', operation: 'AssumeRole', region: w.region, principal: as, accessKeyId,
        input: { RoleArn: roleArn, RoleSessionName: randomUUID().replace(/-/g, '') },
        sourceArn: w.execution.machineArn, sourceAccount: w.account,
      });
      const id = (out['Credentials'] as { AccessKeyId: string }).AccessKeyId;
      return { principal: rt.host.identities.lookup(id)!.principal, accessKeyId: id, untilMs: now + 15 * 60_000 };
    } catch (e) {
      const err = e as AwsError;
      throw new StatesError('States.TaskFailed', taskRole && as.type !== 'service'
        ? `The role ${w.execution.roleArn} is not authorized to assume the task state's role, ${roleArn}.`
        : `Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role. (${err.code ?? 'Error'}: ${err.message})`);
    }
  };
  let s = await assume(w.execution.roleArn, servicePrincipal('states.amazonaws.com', w.account));
  if (taskRole !== undefined) s = await assume(taskRole, s.principal, s.accessKeyId);
  cache.set(key, s);
  return s;
}

/** Runs one call as the session; failures become the StatesError `name(code)` picks. */
async function call(rt: SfnRuntime, w: Where, s: Session, service: string, operation: string, input: Record<string, unknown>, fail: (e: AwsError) => StatesError): Promise<Record<string, unknown>> {
  try {
    return await rt.host.call({ service, operation, input, principal: s.principal, accessKeyId: s.accessKeyId, region: w.region, json: true });
  } catch (e) {
    if (e instanceof AwsError) throw fail(e);
    throw e;
  }
}

// The optimized integrations' (Java SDK v1) error form: `<Prefix>.<Code>` and a cause naming the service.
function v1Error(prefix: string, serviceName: string, generic: string) {
  return (e: AwsError): StatesError => {
    const known = ['ResourceNotFoundException', 'ConditionalCheckFailedException', 'ProvisionedThroughputExceededException', 'TransactionConflictException'];
    const code = prefix === 'DynamoDB' ? (known.includes(e.code) ? e.code : generic)
      : prefix === 'Lambda' ? e.code
        : e.code === 'MissingParameter' || e.code.startsWith('AWS.') ? generic : e.code.endsWith('Exception') ? e.code : `${e.code}Exception`;
    return new StatesError(`${prefix}.${code}`, `${e.message} (Service: ${serviceName}; Status Code: ${e.status}; Error Code: ${e.code}; Request ID: ${randomUUID()}; Proxy: null)`);
  };
}

function sdkMeta(): JsonObject {
  return {
    SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: randomUUID() },
  };
}

function textOf(v: Json | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export async function runIntegration(rt: SfnRuntime, w: Where, req: TaskRequest): Promise<Json> {
  const r = req.resource;
  if (r.kind === 'activity') return activityTask(rt, w, req);
  const session = await roleSession(rt, w, req.roleArn);
  const input = (req.input ?? {}) as JsonObject;
  let result: Json;
  if (r.kind === 'lambda-function') return lambdaFunction(rt, w, session, r.arn, req.input);
  if (r.resourceType.startsWith('aws-sdk:')) result = await sdkCall(rt, w, session, r.resourceType.slice(8), r.action, input);
  else {
    const key = `${r.resourceType}:${r.action}`;
    switch (key) {
      case 'lambda:invoke': result = await lambdaInvoke(rt, w, session, input); break;
      case 'sqs:sendMessage': {
        const out = await call(rt, w, session, 'sqs', 'SendMessage', { ...input, MessageBody: textOf(input['MessageBody']) }, v1Error('SQS', 'AmazonSQS', 'AmazonSQSException'));
        result = { ...(out as JsonObject), ...sdkMeta() };
        break;
      }
      case 'sns:publish': {
        const out = await call(rt, w, session, 'sns', 'Publish', { ...input, Message: textOf(input['Message']) }, v1Error('SNS', 'AmazonSNS', 'AmazonSNSException'));
        result = { ...(out as JsonObject), ...sdkMeta() };
        break;
      }
      case 'dynamodb:getItem': case 'dynamodb:putItem': case 'dynamodb:updateItem': case 'dynamodb:deleteItem': {
        const op = r.action[0]!.toUpperCase() + r.action.slice(1);
        const out = await call(rt, w, session, 'dynamodb', op, input, v1Error('DynamoDB', 'AmazonDynamoDBv2', 'AmazonDynamoDBException'));
        result = { ...(out as JsonObject), ...sdkMeta() };
        break;
      }
      case 'events:putEvents': {
        const entries = ((input['Entries'] as JsonObject[] | undefined) ?? []).map((e) => ({ ...e, Detail: textOf(e['Detail']) }));
        const out = await call(rt, w, session, 'events', 'PutEvents', { Entries: entries }, v1Error('EventBridge', 'AmazonEventBridge', 'AmazonEventBridgeException'));
        if (Number(out['FailedEntryCount'] ?? 0) > 0) throw new StatesError('EventBridge.FailedEntry', JSON.stringify(out));
        result = { ...(out as JsonObject), ...sdkMeta() };
        break;
      }
      case 'states:startExecution': return nestedExecution(rt, w, session.principal, session.accessKeyId, req);
      case 's3:getObject': case 's3:listObjectsV2': result = await sdkCall(rt, w, session, 's3', r.action, input); break;
      default:
        throw new StatesError('States.Runtime', `drydock does not implement the ${r.resourceType}:${r.resource} integration`);
    }
  }
  if (r.pattern === 'waitForTaskToken') {
    req.submitted(result);
    return waitForToken(rt, w, req);
  }
  return result;
}

/** Parks the task until SendTaskSuccess / SendTaskFailure names its token. */
export function waitForToken(rt: SfnRuntime, w: Where, req: TaskRequest): Promise<Json> {
  return new Promise<Json>((resolve, reject) => {
    const token = req.token!;
    rt.tokens.set(token, { account: w.account, region: w.region, executionArn: w.execution.arn, resolve, reject, heartbeat: req.heartbeat });
    req.cancel.onCancel(() => rt.tokens.delete(token));
  });
}

async function lambdaCall(rt: SfnRuntime, w: Where, s: Session, input: JsonObject): Promise<{ out: Record<string, unknown>; payload: Json }> {
  const payloadText = textOf(input['Payload']) ?? '{}';
  const out = await call(rt, w, s, 'lambda', 'Invoke', { ...input, Payload: Buffer.from(payloadText).toString('base64') },
    v1Error('Lambda', 'AWSLambda', 'AWSLambdaException'));
  const raw = typeof out['Payload'] === 'string' ? Buffer.from(out['Payload'], 'base64').toString('utf8') : '';
  let payload: Json = raw;
  try { payload = raw === '' ? null : (JSON.parse(raw) as Json); } catch { /* a non-JSON payload stays text */ }
  if (typeof out['FunctionError'] === 'string') {
    const errType = payload !== null && typeof payload === 'object' && !Array.isArray(payload) && typeof payload['errorType'] === 'string'
      ? payload['errorType'] : out['FunctionError'] === 'Unhandled' ? 'Lambda.Unknown' : 'Exception';
    throw new StatesError(errType, raw);
  }
  return { out, payload };
}

async function lambdaInvoke(rt: SfnRuntime, w: Where, s: Session, input: JsonObject): Promise<Json> {
  const { out, payload } = await lambdaCall(rt, w, s, input);
  return { ExecutedVersion: (out['ExecutedVersion'] as string | undefined) ?? '$LATEST', Payload: payload, StatusCode: (out['StatusCode'] as number | undefined) ?? 200, ...sdkMeta() };
}

async function lambdaFunction(rt: SfnRuntime, w: Where, s: Session, arn: string, input: Json): Promise<Json> {
  const { payload } = await lambdaCall(rt, w, s, { FunctionName: arn, Payload: input });
  return payload;
}

async function sdkCall(rt: SfnRuntime, w: Where, s: Session, serviceId: string, action: string, input: JsonObject): Promise<Json> {
  const modelName = modelFor(serviceId);
  const model = modelName ? loadModel(modelName) : undefined;
  const op = model ? operationFor(model, action) : undefined;
  if (!model || !op) throw new StatesError('States.Runtime', `drydock does not know the AWS SDK integration ${serviceId}:${action}`);
  const shapes = model.operations[op]!;
  const args = toModelNames(model, shapes.input, input);
  // S3 object bodies are given as text (or JSON) and go on the wire as bytes.
  if (modelName === 's3' && op === 'PutObject' && args['Body'] !== undefined) {
    args['Body'] = Buffer.from(typeof args['Body'] === 'string' ? args['Body'] : JSON.stringify(args['Body'])).toString('base64');
  }
  const prefix = errorPrefix(serviceId);
  const out = await call(rt, w, s, modelName!, op, args, (e) => new StatesError(
    sdkErrorName(serviceId, e.code), `${e.message} (Service: ${prefix}, Status Code: ${e.status}, Request ID: ${randomUUID()})`));
  // S3 object bodies come back as text, as Step Functions hands them on.
  if (modelName === 's3' && op === 'GetObject' && typeof out['Body'] === 'string') out['Body'] = Buffer.from(out['Body'], 'base64').toString('utf8');
  return toPascalNames(model, shapes.output, out) as Json;
}
