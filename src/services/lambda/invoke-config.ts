/** Asynchronous invocation settings per function version or alias: retries, event age, destinations. */
import type { ServiceContext } from '../types.js';
import { invalidParameter, notFound, validation } from './errors.js';
import { page } from './functions.js';
import { resolve, resolveFunction } from './resolve.js';
import { functionArn, type EventInvokeConfig, type FunctionRecord, type LambdaState } from './store.js';

type In = Record<string, unknown>;

const DESTINATION_RE = /^arn:[^:]+:(sqs|sns|lambda|events):/;

function show(state: LambdaState, fn: FunctionRecord, q: string, c: EventInvokeConfig): In {
  const out: In = { LastModified: new Date(c.lastModifiedMs), FunctionArn: functionArn(state.account, state.region, fn.name, q) };
  if (c.maxRetries !== undefined) out['MaximumRetryAttempts'] = c.maxRetries;
  if (c.maxEventAgeSeconds !== undefined) out['MaximumEventAgeInSeconds'] = c.maxEventAgeSeconds;
  out['DestinationConfig'] = {
    OnSuccess: c.onSuccess ? { Destination: c.onSuccess } : {},
    OnFailure: c.onFailure ? { Destination: c.onFailure } : {},
  };
  return out;
}

function apply(c: EventInvokeConfig, input: In): void {
  const retries = input['MaximumRetryAttempts'] as number | undefined;
  if (retries !== undefined) {
    if (retries < 0 || retries > 2) throw validation(String(retries), 'maximumRetryAttempts', `Member must have value ${retries < 0 ? 'greater than or equal to 0' : 'less than or equal to 2'}`);
    c.maxRetries = retries;
  }
  const age = input['MaximumEventAgeInSeconds'] as number | undefined;
  if (age !== undefined) {
    if (age < 60 || age > 21600) throw validation(String(age), 'maximumEventAgeInSeconds', `Member must have value ${age < 60 ? 'greater than or equal to 60' : 'less than or equal to 21600'}`);
    c.maxEventAgeSeconds = age;
  }
  const dest = input['DestinationConfig'] as { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } } | undefined;
  if (dest !== undefined) {
    for (const [key, member] of [['onSuccess', dest.OnSuccess], ['onFailure', dest.OnFailure]] as const) {
      const arn = member?.Destination;
      if (arn === undefined) continue;
      if (!DESTINATION_RE.test(arn)) throw invalidParameter(`The destination ARN ${arn} is invalid.`);
      c[key] = arn;
    }
  }
}

function target(ctx: ServiceContext, input: In) {
  const r = resolve(ctx, input);
  return { ...r, q: r.ref.qualifier ?? '$LATEST' };
}

export function putFunctionEventInvokeConfig(input: In, ctx: ServiceContext): In {
  const r = target(ctx, input);
  const c: EventInvokeConfig = { lastModifiedMs: ctx.clock.nowMs() };
  apply(c, input);
  r.fn.invokeConfigs[r.q] = c;
  r.state.functions.set(r.fn.name, r.fn);
  return show(r.state, r.fn, r.q, c);
}

function existing(ctx: ServiceContext, input: In) {
  const r = target(ctx, input);
  const c = r.fn.invokeConfigs[r.q];
  if (!c) throw notFound(`The function ${functionArn(r.state.account, r.state.region, r.fn.name, r.q)} doesn't have an EventInvokeConfig`);
  return { ...r, c };
}

export function updateFunctionEventInvokeConfig(input: In, ctx: ServiceContext): In {
  const r = target(ctx, input);
  const c = r.fn.invokeConfigs[r.q] ?? { lastModifiedMs: 0 };
  apply(c, input);
  c.lastModifiedMs = ctx.clock.nowMs();
  r.fn.invokeConfigs[r.q] = c;
  r.state.functions.set(r.fn.name, r.fn);
  return show(r.state, r.fn, r.q, c);
}

export function getFunctionEventInvokeConfig(input: In, ctx: ServiceContext): In {
  const r = existing(ctx, input);
  return show(r.state, r.fn, r.q, r.c);
}

export function deleteFunctionEventInvokeConfig(input: In, ctx: ServiceContext): In {
  const r = existing(ctx, input);
  delete r.fn.invokeConfigs[r.q];
  r.state.functions.set(r.fn.name, r.fn);
  return {};
}

export function listFunctionEventInvokeConfigs(input: In, ctx: ServiceContext): In {
  const { state, fn } = resolveFunction(ctx, input);
  const rows = Object.entries(fn.invokeConfigs).map(([q, c]) => show(state, fn, q, c));
  return page(rows, input, 'FunctionEventInvokeConfigs');
}
