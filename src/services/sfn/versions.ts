/** Published versions and aliases (weighted routing between up to two versions). */
import { AwsError } from '../../core/errors.js';
import type { Handler, ServiceContext } from '../types.js';
import { invalidArn, machineDoesNotExist, resourceNotFound, validation } from './errors.js';
import { findMachine, publish } from './machines.js';
import { sfnState, type AliasRecord } from './store.js';
import { checkArn, checkName, page } from './validate.js';

export const publishStateMachineVersion: Handler = (input, ctx) => {
  const m = findMachine(ctx, input['stateMachineArn']);
  if (input['revisionId'] !== undefined && input['revisionId'] !== m.revisionId) {
    throw new AwsError('ConflictException', `Failed to publish the State Machine version for revision ${String(input['revisionId'])}. The current State Machine revision is ${m.revisionId}.`, 400);
  }
  const v = publish(ctx, m, input['description'] as string | undefined);
  return { creationDate: new Date(v.creationDate), stateMachineVersionArn: v.arn };
};

export const listStateMachineVersions: Handler = (input, ctx) => {
  const m = findMachine(ctx, input['stateMachineArn']);
  const all = [...sfnState(ctx.stores, ctx.account, ctx.region).versions.values()].filter((v) => v.machineArn === m.arn).sort((a, b) => b.version - a.version);
  const { items, nextToken } = page(all, input);
  return { stateMachineVersions: items.map((v) => ({ stateMachineVersionArn: v.arn, creationDate: new Date(v.creationDate) })), ...(nextToken ? { nextToken } : {}) };
};

export const deleteStateMachineVersion: Handler = (input, ctx) => {
  const arn = String(input['stateMachineVersionArn'] ?? '');
  const p = checkArn(arn, ['stateMachine']);
  if (p.rest.length !== 2 || !/^\d+$/.test(p.rest[1]!)) throw invalidArn(arn);
  const state = sfnState(ctx.stores, p.account, p.region);
  const alias = [...state.aliases.values()].find((a) => a.routing.some((r) => r.stateMachineVersionArn === arn));
  if (alias) throw new AwsError('ConflictException', `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${alias.name}]`, 400);
  state.versions.delete(arn);
  return {};
};

function checkRouting(ctx: ServiceContext, machineArn: string | undefined, routing: unknown): { machineArn: string; routing: AliasRecord['routing'] } {
  const list = (Array.isArray(routing) ? routing : []) as { stateMachineVersionArn: string; weight: number }[];
  if (list.length < 1 || list.length > 2) throw validation([`Value at 'routingConfiguration' failed to satisfy constraint: Member must have length between 1 and 2`]);
  const state = sfnState(ctx.stores, ctx.account, ctx.region);
  let machine = machineArn;
  for (const r of list) {
    const v = state.versions.get(r.stateMachineVersionArn);
    if (!v) throw resourceNotFound(`Resource not found: '${r.stateMachineVersionArn}'`);
    if (machine !== undefined && v.machineArn !== machine) throw validation(['Routing configuration must contain state machine versions of the same state machine']);
    machine = v.machineArn;
    if (!Number.isInteger(r.weight) || r.weight < 0 || r.weight > 100) throw validation([`Value '${r.weight}' at 'routingConfiguration.member.weight' failed to satisfy constraint: Member must have value between 0 and 100`]);
  }
  if (list.reduce((n, r) => n + r.weight, 0) !== 100) throw validation(['Sum of routing configuration weights must be equal to 100']);
  if (new Set(list.map((r) => r.stateMachineVersionArn)).size !== list.length) throw validation(['Routing configuration must contain distinct state machine version ARNs']);
  return { machineArn: machine!, routing: list.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn, weight: r.weight })) };
}

export const createStateMachineAlias: Handler = (input, ctx) => {
  const name = checkName(input['name']);
  if (/^\d+$/.test(name)) throw validation([`Value '${name}' at 'name' failed to satisfy constraint: Member must not be a number`]);
  const { machineArn, routing } = checkRouting(ctx, undefined, input['routingConfiguration']);
  const state = sfnState(ctx.stores, ctx.account, ctx.region);
  const arn = `${machineArn}:${name}`;
  const existing = state.aliases.get(arn);
  if (existing) {
    if (JSON.stringify(existing.routing) === JSON.stringify(routing) && existing.description === input['description']) return { stateMachineAliasArn: arn, creationDate: new Date(existing.creationDate) };
    throw new AwsError('ConflictException', `Failed to create alias because an alias with the same name and a different routing configuration already exists.`, 400);
  }
  const rec: AliasRecord = { arn, name, machineArn, routing, creationDate: ctx.clock.nowMs() };
  if (typeof input['description'] === 'string') rec.description = input['description'];
  state.aliases.set(arn, rec);
  return { stateMachineAliasArn: arn, creationDate: new Date(rec.creationDate) };
};

function findAlias(ctx: ServiceContext, arn: unknown): AliasRecord {
  const s = String(arn ?? '');
  const p = checkArn(s, ['stateMachine']);
  if (p.rest.length !== 2 || /^\d+$/.test(p.rest[1]!)) throw invalidArn(s);
  const rec = sfnState(ctx.stores, p.account, p.region).aliases.get(s);
  if (!rec) throw resourceNotFound(`Resource not found: '${s}'`);
  return rec;
}

export const describeStateMachineAlias: Handler = (input, ctx) => {
  const a = findAlias(ctx, input['stateMachineAliasArn']);
  return {
    stateMachineAliasArn: a.arn, name: a.name, routingConfiguration: a.routing, creationDate: new Date(a.creationDate),
    ...(a.description !== undefined ? { description: a.description } : {}), ...(a.updateDate !== undefined ? { updateDate: new Date(a.updateDate) } : {}),
  };
};

export const updateStateMachineAlias: Handler = (input, ctx) => {
  const a = findAlias(ctx, input['stateMachineAliasArn']);
  if (input['description'] === undefined && input['routingConfiguration'] === undefined) throw validation(['Either the description or the RoutingConfiguration must be specified']);
  if (input['routingConfiguration'] !== undefined) a.routing = checkRouting(ctx, a.machineArn, input['routingConfiguration']).routing;
  if (typeof input['description'] === 'string') a.description = input['description'];
  a.updateDate = ctx.clock.nowMs();
  sfnState(ctx.stores, ctx.account, ctx.region).aliases.set(a.arn, a);
  return { updateDate: new Date(a.updateDate) };
};

export const deleteStateMachineAlias: Handler = (input, ctx) => {
  const a = findAlias(ctx, input['stateMachineAliasArn']);
  sfnState(ctx.stores, ctx.account, ctx.region).aliases.delete(a.arn);
  return {};
};

export const listStateMachineAliases: Handler = (input, ctx) => {
  const m = findMachine(ctx, input['stateMachineArn']);
  if (!m) throw machineDoesNotExist(String(input['stateMachineArn']));
  const all = [...sfnState(ctx.stores, ctx.account, ctx.region).aliases.values()].filter((a) => a.machineArn === m.arn).sort((x, y) => x.creationDate - y.creationDate);
  const { items, nextToken } = page(all, input);
  return { stateMachineAliases: items.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: new Date(a.creationDate) })), ...(nextToken ? { nextToken } : {}) };
};
