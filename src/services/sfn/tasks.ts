/** SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: answers for tasks waiting on a token. */
import { AwsError } from '../../core/errors.js';
import { StatesError, type Json } from '../../engines/states/json.js';
import type { Handler, ServiceContext } from '../types.js';
import { invalidToken } from './errors.js';
import { runtimeOf, type TokenWait } from './runtime.js';

function waiting(ctx: ServiceContext, token: unknown): { token: string; w: TokenWait } {
  const t = String(token ?? '');
  if (t.length < 1 || t.length > 2048) throw invalidToken(`Invalid Token: 'Invalid token'`);
  const rt = runtimeOf(ctx.stores);
  const w = rt.tokens.get(t);
  if (!w || w.account !== ctx.account || w.region !== ctx.region) {
    // A token Drydock issued that no task waits on any more (answered, timed out or stopped).
    if (/^[0-9a-f-]{36}$/.test(t)) throw new AwsError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'", 400);
    throw invalidToken(`Invalid Token: 'Invalid token'`);
  }
  return { token: t, w };
}

export const sendTaskSuccess: Handler = (input, ctx) => {
  const { token, w } = waiting(ctx, input['taskToken']);
  const text = String(input['output'] ?? '');
  if (Buffer.byteLength(text) > 262144) throw new AwsError('ValidationException', '1 validation error detected: Value at \'output\' failed to satisfy constraint: Member must have length less than or equal to 262144', 400);
  let output: Json;
  try {
    output = JSON.parse(text) as Json;
  } catch {
    throw new AwsError('InvalidOutput', `Invalid State Machine Execution Output: '${text}'`, 400);
  }
  runtimeOf(ctx.stores).tokens.delete(token);
  w.resolve(output);
  return {};
};

export const sendTaskFailure: Handler = (input, ctx) => {
  const { token, w } = waiting(ctx, input['taskToken']);
  runtimeOf(ctx.stores).tokens.delete(token);
  w.reject(new StatesError(String(input['error'] ?? ''), String(input['cause'] ?? '')));
  return {};
};

export const sendTaskHeartbeat: Handler = (input, ctx) => {
  const { w } = waiting(ctx, input['taskToken']);
  w.heartbeat();
  return {};
};
