/**
 * Event source mappings from SQS queues and DynamoDB streams: the control plane (create,
 * read, update, delete) with Lambda's limits. Polling lives in `sqs-poller.ts` and
 * `stream-poller.ts`; the stream-only settings in `stream-mappings.ts`.
 */
import { randomUUID } from 'node:crypto';
import { compilePattern, InvalidPatternError } from '../../engines/event-pattern/index.js';
import type { ServiceContext } from '../types.js';
import { conflict, invalidParameter, notFound, validation } from './errors.js';
import { page } from './functions.js';
import { hostOf } from './pool.js';
import { findFunction, versionOf } from './resolve.js';
import { parseFunctionName } from './names.js';
import { functionArn, lambdaState, type LambdaState, type MappingRecord } from './store.js';
import { startPoller, stopPoller } from './sqs-poller.js';
import { applyStreamSettings, checkStream, DYNAMODB_STREAM_ARN, newStreamSettings, showStreamSettings } from './stream-mappings.js';
import { startStreamPoller, stopStreamPoller } from './stream-poller.js';

type In = Record<string, unknown>;

export function showMapping(state: LambdaState, m: MappingRecord): In {
  const out: In = {
    UUID: m.uuid, BatchSize: m.batchSize, MaximumBatchingWindowInSeconds: m.windowSeconds, EventSourceArn: m.eventSourceArn,
    FunctionArn: m.functionArn, LastModified: new Date(m.lastModifiedMs), State: m.state, StateTransitionReason: m.stream ? 'User action' : 'USER_INITIATED',
    FunctionResponseTypes: m.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    EventSourceMappingArn: `arn:aws:lambda:${state.region}:${state.account}:event-source-mapping:${m.uuid}`,
    ...(m.stream ? showStreamSettings(m) : {}),
  };
  if (m.filters.length > 0) out['FilterCriteria'] = { Filters: m.filters.map((Pattern) => ({ Pattern })) };
  if (m.maxConcurrency !== undefined) out['ScalingConfig'] = { MaximumConcurrency: m.maxConcurrency };
  return out;
}

function targetFunction(ctx: ServiceContext, name: string): string {
  const ref = parseFunctionName(name, undefined, ctx.account, ctx.region);
  const { fn, state } = findFunction(ctx.stores, { ...ref, qualifier: undefined });
  if (ref.qualifier !== undefined && !versionOf(fn, ref.qualifier)) {
    throw notFound(`Function not found: ${functionArn(state.account, state.region, fn.name, ref.qualifier)}`);
  }
  return functionArn(state.account, state.region, fn.name, ref.qualifier);
}

function applySettings(m: MappingRecord, input: In, fifo: boolean): void {
  if (input['BatchSize'] !== undefined) m.batchSize = input['BatchSize'] as number;
  if (input['MaximumBatchingWindowInSeconds'] !== undefined) m.windowSeconds = input['MaximumBatchingWindowInSeconds'] as number;
  const max = fifo ? 10 : 10_000;
  if (m.batchSize < 1 || m.batchSize > max) throw invalidParameter(`BatchSize must be between 1 and ${max}.`);
  if (m.windowSeconds < 0 || m.windowSeconds > 300) throw validation(String(m.windowSeconds), 'maximumBatchingWindowInSeconds', 'Member must have value less than or equal to 300');
  if (m.stream) applyStreamSettings(m.stream, input);
  else if (m.batchSize > 10 && m.windowSeconds === 0) throw invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
  const scaling = input['ScalingConfig'] as { MaximumConcurrency?: number } | undefined;
  if (scaling !== undefined) {
    const c = scaling.MaximumConcurrency;
    if (c !== undefined && (c < 2 || c > 1000)) throw validation(String(c), 'scalingConfig.maximumConcurrency', `Member must have value ${c < 2 ? 'greater than or equal to 2' : 'less than or equal to 1000'}`);
    if (c === undefined) delete m.maxConcurrency; else m.maxConcurrency = c;
  }
  const types = input['FunctionResponseTypes'] as string[] | undefined;
  if (types !== undefined) m.reportBatchItemFailures = types.includes('ReportBatchItemFailures');
  const filters = (input['FilterCriteria'] as { Filters?: { Pattern?: string }[] } | undefined)?.Filters;
  if (filters !== undefined) {
    if (filters.length > 5) throw invalidParameter('Filter criteria can contain at most 5 filters.');
    for (const f of filters) {
      try { compilePattern(f.Pattern ?? ''); } catch (e) {
        if (e instanceof InvalidPatternError || e instanceof SyntaxError) throw invalidParameter('Invalid filter pattern definition.');
        throw e;
      }
    }
    m.filters = filters.map((f) => f.Pattern ?? '');
  }
  if (input['Enabled'] !== undefined) m.enabled = input['Enabled'] === true;
}

function start(ctx: ServiceContext, state: LambdaState, m: MappingRecord): void {
  if (!m.enabled) return;
  if (m.stream) startStreamPoller(hostOf(ctx.stores), state.account, state.region, m.uuid);
  else startPoller(hostOf(ctx.stores), state.account, state.region, m.uuid);
}

function stop(m: MappingRecord): void {
  if (m.stream) stopStreamPoller(m.uuid);
  else stopPoller(m.uuid);
}

export async function createEventSourceMapping(input: In, ctx: ServiceContext): Promise<In> {
  const source = String(input['EventSourceArn'] ?? '');
  const isStream = DYNAMODB_STREAM_ARN.test(source);
  if (!isStream && !/^arn:[^:]+:sqs:[^:]+:\d{12}:[^:]+$/.test(source)) {
    throw invalidParameter(source === '' ? 'Unrecognized event source, must be kinesis, dynamodb stream, sqs, msk or kafka.' : 'Drydock runs event source mappings from SQS queues and DynamoDB streams only.');
  }
  const fnArn = targetFunction(ctx, String(input['FunctionName'] ?? ''));
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  const m: MappingRecord = {
    uuid: randomUUID(), functionArn: fnArn, eventSourceArn: source, batchSize: isStream ? 100 : 10, windowSeconds: 0, enabled: true,
    reportBatchItemFailures: false, filters: [], lastModifiedMs: ctx.clock.nowMs(), state: 'Creating',
    ...(isStream ? { stream: newStreamSettings(input, ctx.clock.nowMs()) } : {}),
  };
  applySettings(m, input, source.endsWith('.fifo'));
  const fnName = fnArn.split(':')[6]!;
  for (const other of state.mappings.values()) {
    if (other.eventSourceArn === source && other.functionArn === fnArn) {
      throw conflict(isStream
        ? `The event source arn (" ${source} ") and function (" ${fnName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${other.uuid}`
        : `An event source mapping with SQS arn (" ${source} ") and function (" ${fnName} ") already exists. Please update or delete the existing mapping with UUID ${other.uuid}`);
    }
  }
  if (isStream) {
    const fn = state.functions.get(fnName)!;
    await checkStream(hostOf(ctx.stores), state.account, state.region, fn.name, fn.latest.role, source);
  }
  state.mappings.set(m.uuid, m);
  const shown = showMapping(state, m);
  m.state = m.enabled ? 'Enabled' : 'Disabled';
  state.mappings.set(m.uuid, m);
  start(ctx, state, m);
  return shown;
}

function mappingOf(ctx: ServiceContext, input: In): { state: LambdaState; m: MappingRecord } {
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  const uuid = String(input['UUID'] ?? '');
  const m = state.mappings.get(uuid);
  if (!m) throw notFound(`Event source mapping not found: arn:aws:lambda:${state.region}:${state.account}:event-source-mapping:${uuid}`);
  return { state, m };
}

export function getEventSourceMapping(input: In, ctx: ServiceContext): In {
  const { state, m } = mappingOf(ctx, input);
  return showMapping(state, m);
}

export function updateEventSourceMapping(input: In, ctx: ServiceContext): In {
  const { state, m } = mappingOf(ctx, input);
  if (input['FunctionName'] !== undefined) m.functionArn = targetFunction(ctx, String(input['FunctionName']));
  applySettings(m, input, m.eventSourceArn.endsWith('.fifo'));
  m.lastModifiedMs = ctx.clock.nowMs();
  m.state = m.enabled ? 'Enabled' : 'Disabled';
  state.mappings.set(m.uuid, m);
  if (m.enabled) start(ctx, state, m); else stop(m);
  return { ...showMapping(state, m), State: m.enabled ? 'Updating' : 'Disabling' };
}

export function deleteEventSourceMapping(input: In, ctx: ServiceContext): In {
  const { state, m } = mappingOf(ctx, input);
  state.mappings.delete(m.uuid);
  stop(m);
  return { ...showMapping(state, m), State: 'Deleting' };
}

export function listEventSourceMappings(input: In, ctx: ServiceContext): In {
  const state = lambdaState(ctx.stores, ctx.account, ctx.region);
  const source = input['EventSourceArn'] as string | undefined;
  const fnName = input['FunctionName'] as string | undefined;
  const fnArn = fnName === undefined ? undefined : targetFunction(ctx, fnName);
  const rows = [...state.mappings.values()]
    .filter((m) => (source === undefined || m.eventSourceArn === source) && (fnArn === undefined || m.functionArn === fnArn))
    .map((m) => showMapping(state, m));
  return page(rows, input, 'EventSourceMappings');
}
