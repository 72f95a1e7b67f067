/**
 * Executions: StartExecution (of a machine, a version or an alias), StartSyncExecution for
 * EXPRESS machines, Describe / List / Stop, GetExecutionHistory with AWS's event fields,
 * DescribeStateMachineForExecution and RedriveExecution.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { detailsKey, eventDetails, shown, type HistoryEvent } from '../../engines/states/history.js';
import type { Handler, ServiceContext } from '../types.js';
import { executionDoesNotExist, invalidArn, machineDoesNotExist, notSupportedForType, validation } from './errors.js';
import { findMachine } from './machines.js';
import { runtimeOf } from './runtime.js';
import { sfnState, type ExecutionRecord, type ExecutionStatus } from './store.js';
import { checkArn, checkInput, checkName, page } from './validate.js';
import { parseExecutionInput } from './input.js';

const STATUSES: ExecutionStatus[] = ['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING'];

/** What a StartExecution target resolves to: the definition and role to run, and which version or alias it went through. */
function resolveTarget(ctx: ServiceContext, arn: string): { machineArn: string; name: string; definition: string; roleArn: string; type: 'STANDARD' | 'EXPRESS'; versionArn?: string; aliasArn?: string } {
  const p = checkArn(arn, ['stateMachine']);
  const state = sfnState(ctx.stores, p.account, p.region);
  const m = findMachine(ctx, arn);
  if (p.rest.length === 1) return { machineArn: m.arn, name: m.name, definition: m.definition, roleArn: m.roleArn, type: m.type };
  let versionArn = arn;
  let aliasArn: string | undefined;
  if (!/^\d+$/.test(p.rest[1]!)) {
    const alias = state.aliases.get(arn);
    if (!alias) throw machineDoesNotExist(arn);
    aliasArn = arn;
    let roll = Math.random() * 100;
    versionArn = alias.routing[0]!.stateMachineVersionArn;
    for (const r of alias.routing) { if (roll < r.weight) { versionArn = r.stateMachineVersionArn; break; } roll -= r.weight; }
  }
  const v = state.versions.get(versionArn);
  if (!v) throw machineDoesNotExist(arn);
  return { machineArn: m.arn, name: m.name, definition: v.definition, roleArn: v.roleArn, type: v.type, versionArn, ...(aliasArn ? { aliasArn } : {}) };
}

function startRecord(ctx: ServiceContext, input: Record<string, unknown>): ExecutionRecord {
  const target = resolveTarget(ctx, String(input['stateMachineArn'] ?? ''));
  const name = input['name'] === undefined ? randomUUID() : checkName(input['name']);
  const text = checkInput(input['input']);
  parseExecutionInput(text);
  const arn = target.type === 'EXPRESS'
    ? `arn:aws:states:${ctx.region}:${ctx.account}:express:${target.name}:${name}:${randomUUID()}`
    : `arn:aws:states:${ctx.region}:${ctx.account}:execution:${target.name}:${name}`;
  const rec: ExecutionRecord = {
    arn, name, machineArn: target.machineArn, definition: target.definition, roleArn: target.roleArn, type: target.type,
    status: 'RUNNING', startDate: ctx.clock.nowMs(), input: text, events: [], redriveCount: 0,
  };
  if (target.versionArn) rec.versionArn = target.versionArn;
  if (target.aliasArn) rec.aliasArn = target.aliasArn;
  if (typeof input['traceHeader'] === 'string') rec.traceHeader = input['traceHeader'];
  return rec;
}

export const startExecution: Handler = (input, ctx) => {
  const rec = startRecord(ctx, input);
  const state = sfnState(ctx.stores, ctx.account, ctx.region);
  const existing = state.executions.get(rec.arn);
  if (existing) {
    // Same name and input while it still runs: the same execution (StartExecution is idempotent).
    if (existing.status === 'RUNNING' && existing.input === rec.input) return { executionArn: existing.arn, startDate: new Date(existing.startDate) };
    throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${rec.arn}'`, 400);
  }
  state.executions.set(rec.arn, rec);
  runtimeOf(ctx.stores).launch(ctx.account, ctx.region, rec);
  return { executionArn: rec.arn, startDate: new Date(rec.startDate) };
};

export const startSyncExecution: Handler = async (input, ctx) => {
  const rec = startRecord(ctx, input);
  if (rec.type !== 'EXPRESS') throw notSupportedForType();
  const rt = runtimeOf(ctx.stores);
  sfnState(ctx.stores, ctx.account, ctx.region).executions.set(rec.arn, rec);
  const done = rt.whenDone(rec.arn, rec);
  rt.launch(ctx.account, ctx.region, rec);
  const r = await done;
  const out: Record<string, unknown> = {
    executionArn: r.arn, stateMachineArn: r.machineArn, name: r.name, startDate: new Date(r.startDate), stopDate: new Date(r.stopDate ?? ctx.clock.nowMs()),
    status: r.status, input: r.input, inputDetails: { included: true },
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(((r.stopDate ?? r.startDate) - r.startDate) / 100) * 100) },
  };
  if (r.output !== undefined) { out['output'] = r.output; out['outputDetails'] = { included: true }; }
  if (r.error !== undefined) out['error'] = r.error;
  if (r.cause !== undefined) out['cause'] = r.cause;
  if (r.traceHeader !== undefined) out['traceHeader'] = r.traceHeader;
  return out;
};

/** The execution an ARN names; express executions are not kept, as on AWS. */
export function findExecution(ctx: Pick<ServiceContext, 'stores'>, arn: unknown): ExecutionRecord {
  const s = String(arn ?? '');
  if (!s.startsWith('arn:')) throw executionDoesNotExist(s);
  const p = checkArn(s, ['execution']);
  const rec = sfnState(ctx.stores, p.account, p.region).executions.get(s);
  if (!rec) throw executionDoesNotExist(s);
  return rec;
}

function redrive(rec: ExecutionRecord): { redriveStatus: string; redriveStatusReason?: string } {
  if (rec.status === 'FAILED' || rec.status === 'TIMED_OUT' || rec.status === 'ABORTED') return { redriveStatus: 'REDRIVABLE' };
  return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: `Execution is ${rec.status} and cannot be redriven` };
}

export const describeExecution: Handler = (input, ctx) => {
  const rec = findExecution(ctx, input['executionArn']);
  const out: Record<string, unknown> = {
    executionArn: rec.arn, stateMachineArn: rec.machineArn, name: rec.name, status: rec.status, startDate: new Date(rec.startDate),
    input: rec.input, inputDetails: { included: true }, redriveCount: rec.redriveCount, ...redrive(rec),
  };
  if (rec.stopDate !== undefined) out['stopDate'] = new Date(rec.stopDate);
  if (rec.output !== undefined) { out['output'] = rec.output; out['outputDetails'] = { included: true }; }
  if (rec.error !== undefined) out['error'] = rec.error;
  if (rec.cause !== undefined) out['cause'] = rec.cause;
  if (rec.versionArn) out['stateMachineVersionArn'] = rec.versionArn;
  if (rec.aliasArn) out['stateMachineAliasArn'] = rec.aliasArn;
  if (rec.traceHeader !== undefined) out['traceHeader'] = rec.traceHeader;
  if (rec.redriveDate !== undefined) out['redriveDate'] = new Date(rec.redriveDate);
  return out;
};

export const listExecutions: Handler = (input, ctx) => {
  const filter = input['statusFilter'] as string | undefined;
  if (filter !== undefined && !STATUSES.includes(filter as ExecutionStatus)) {
    throw validation([`Value '${filter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`]);
  }
  const target = String(input['stateMachineArn'] ?? input['mapRunArn'] ?? '');
  if (!target.startsWith('arn:')) throw invalidArn(target);
  const p = checkArn(target, ['stateMachine', 'mapRun']);
  const state = sfnState(ctx.stores, p.account, p.region);
  let all: ExecutionRecord[];
  if (p.kind === 'mapRun') all = [];
  else {
    const m = findMachine(ctx, target);
    if (m.type === 'EXPRESS') throw notSupportedForType();
    const isVersion = p.rest.length > 1;
    all = [...state.executions.values()].filter((e) => e.machineArn === m.arn && (!isVersion || e.versionArn === target || e.aliasArn === target));
  }
  if (filter) all = all.filter((e) => e.status === filter);
  if (input['redriveFilter'] === 'REDRIVEN') all = all.filter((e) => e.redriveCount > 0);
  if (input['redriveFilter'] === 'NOT_REDRIVEN') all = all.filter((e) => e.redriveCount === 0);
  all.sort((a, b) => b.startDate - a.startDate);
  const { items, nextToken } = page(all, input, 3096);
  return {
    executions: items.map((e) => ({
      executionArn: e.arn, stateMachineArn: e.machineArn, name: e.name, status: e.status, startDate: new Date(e.startDate),
      ...(e.stopDate !== undefined ? { stopDate: new Date(e.stopDate) } : {}), redriveCount: e.redriveCount,
      ...(e.versionArn ? { stateMachineVersionArn: e.versionArn } : {}), ...(e.aliasArn ? { stateMachineAliasArn: e.aliasArn } : {}),
      ...(e.redriveDate !== undefined ? { redriveDate: new Date(e.redriveDate) } : {}),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
};

export const stopExecution: Handler = (input, ctx) => {
  const arn = String(input['executionArn'] ?? '');
  if (arn.includes(':express:')) throw invalidArn(arn, 'Resource type not valid in this context: express');
  const rec = findExecution(ctx, arn);
  const p = checkArn(arn, ['execution']);
  if (rec.status === 'RUNNING') runtimeOf(ctx.stores).stop(p.account, p.region, rec, input['error'] as string | undefined, input['cause'] as string | undefined);
  return { stopDate: new Date(rec.stopDate ?? ctx.clock.nowMs()) };
};

const DATA_FIELDS = new Set(['input', 'output', 'parameters']);

function eventOut(e: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: e.id, previousEventId: e.previousEventId, timestamp: new Date(e.timestamp), type: e.type };
  const details = eventDetails(e);
  if (details !== undefined) {
    out[detailsKey(e.type)] = Object.fromEntries(Object.entries(details).filter(([f]) => includeData || !DATA_FIELDS.has(f)).map(([f, x]) => [f, shown(x)]));
  }
  return out;
}

export const getExecutionHistory: Handler = (input, ctx) => {
  const arn = String(input['executionArn'] ?? '');
  if (arn.includes(':express:')) throw invalidArn(arn, 'Resource type not valid in this context: express');
  const rec = findExecution(ctx, arn);
  const events = input['reverseOrder'] === true ? rec.events.slice().reverse() : rec.events;
  const { items, nextToken } = page(events, input, 3096);
  const includeData = input['includeExecutionData'] !== false;
  return { events: items.map((e) => eventOut(e, includeData)), ...(nextToken ? { nextToken } : {}) };
};

export const describeStateMachineForExecution: Handler = (input, ctx) => {
  const rec = findExecution(ctx, input['executionArn']);
  const m = sfnState(ctx.stores, ...accountRegion(rec.arn)).machines.get(rec.machineArn);
  const out: Record<string, unknown> = {
    stateMachineArn: rec.versionArn ?? rec.machineArn, name: rec.machineArn.split(':')[6], definition: rec.definition, roleArn: rec.roleArn,
    updateDate: new Date(m?.updateDate ?? m?.creationDate ?? rec.startDate),
    loggingConfiguration: m?.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: m?.tracingConfiguration ?? { enabled: false },
  };
  return out;
};

function accountRegion(arn: string): [string, string] {
  const p = checkArn(arn, ['execution', 'express']);
  return [p.account, p.region];
}

export const redriveExecution: Handler = (input, ctx) => {
  const rec = findExecution(ctx, input['executionArn']);
  const r = redrive(rec);
  if (r.redriveStatus !== 'REDRIVABLE') throw new AwsError('ExecutionNotRedrivable', `Execution with ARN ${rec.arn} cannot be redriven: ${r.redriveStatusReason!}`, 400);
  const now = ctx.clock.nowMs();
  rec.redriveCount++;
  rec.redriveDate = now;
  rec.status = 'RUNNING';
  delete rec.stopDate; delete rec.error; delete rec.cause; delete rec.output;
  const [account, region] = accountRegion(rec.arn);
  sfnState(ctx.stores, account, region).executions.set(rec.arn, rec);
  runtimeOf(ctx.stores).launch(account, region, rec, { redrive: true });
  return { redriveDate: new Date(now) };
};
