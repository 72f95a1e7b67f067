/**
 * `arn:aws:states:::states:startExecution` (request, `.sync`, `.sync:2`, `.waitForTaskToken`):
 * a child execution started as the parent's role. `.sync` waits for the child and answers
 * its description (`.sync:2` with Input and Output as JSON); a child that does not succeed
 * fails the task with States.TaskFailed and the description as the cause.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Principal } from '../../core/identity.js';
import { StatesError, type Json, type JsonObject } from '../../engines/states/json.js';
import type { TaskRequest } from '../../engines/states/types.js';
import type { SfnRuntime } from './runtime.js';
import { waitForToken, type Where } from './integrations.js';
import { sfnState, arnScope } from './store.js';

export async function nestedExecution(rt: SfnRuntime, w: Where, principal: Principal, accessKeyId: string, req: TaskRequest): Promise<Json> {
  const input = (req.input ?? {}) as JsonObject;
  const args: Record<string, unknown> = { stateMachineArn: input['StateMachineArn'] };
  if (input['Input'] !== undefined) args['input'] = typeof input['Input'] === 'string' ? input['Input'] : JSON.stringify(input['Input']);
  if (input['Name'] !== undefined) args['name'] = input['Name'];
  let out: Record<string, unknown>;
  try {
    out = await rt.host.call({ service: 'sfn', operation: 'StartExecution', input: args, principal, accessKeyId, region: w.region });
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    throw new StatesError(`StepFunctions.${e.code.endsWith('Exception') ? e.code : `${e.code}Exception`}`,
      `${e.message} (Service: AWSStepFunctions; Status Code: ${e.status}; Error Code: ${e.code}; Request ID: ${randomUUID()}; Proxy: null)`);
  }
  const arn = out['executionArn'] as string;
  const started: JsonObject = {
    ExecutionArn: arn, StartDate: (out['startDate'] as Date).getTime(),
    SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: randomUUID() },
  };
  const pattern = req.resource.pattern;
  if (pattern === 'request') return started;
  req.submitted(started);
  if (pattern === 'waitForTaskToken') return waitForToken(rt, w, req);
  const p = arnScope(arn)!;
  const rec = sfnState(rt.host.stores, p.account, p.region).executions.get(arn)!;
  const done = await new Promise<typeof rec>((resolve, reject) => {
    rt.whenDone(arn, rec).then(resolve, reject);
    req.cancel.onCancel(() => reject(new StatesError('States.Aborted', '')));
  });
  const json = pattern === 'sync:2';
  const describe: JsonObject = {
    ExecutionArn: done.arn, StateMachineArn: done.machineArn, Name: done.name, Status: done.status,
    StartDate: done.startDate, StopDate: done.stopDate ?? null,
    Input: json ? (JSON.parse(done.input) as Json) : done.input, InputDetails: { Included: true },
    RedriveCount: done.redriveCount, RedriveStatus: 'NOT_REDRIVABLE',
  };
  if (done.output !== undefined) { describe['Output'] = json ? (JSON.parse(done.output) as Json) : done.output; describe['OutputDetails'] = { Included: true }; }
  if (done.error !== undefined) describe['Error'] = done.error;
  if (done.cause !== undefined) describe['Cause'] = done.cause;
  if (done.status !== 'SUCCEEDED') throw new StatesError('States.TaskFailed', JSON.stringify(describe));
  return describe;
}
