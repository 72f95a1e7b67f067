/** Event buses: create, describe, list, update, delete, and their resource policy (PutPermission). */
import type { Handler } from '../types.js';
import { busName, page, stateOf, str, tagsFrom, withDefined, type In } from './common.js';
import { alreadyExists, BUS_NAME, busNotFound, check, limitExceeded, notFound, throwIf, validation } from './errors.js';
import { busArn, rulesOf, type BusRecord } from './store.js';

const MAX_BUSES = 100;

function describe(b: BusRecord): In {
  return withDefined({
    Name: b.name, Arn: b.arn, Description: b.description, KmsKeyIdentifier: b.kmsKeyIdentifier,
    DeadLetterConfig: b.deadLetterConfig, Policy: b.policy, CreationTime: new Date(b.createdMs), LastModifiedTime: new Date(b.modifiedMs),
  });
}

export const createEventBus: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = str(input, 'Name')!;
  const problems: string[] = [];
  check(problems, name, 'name', BUS_NAME);
  throwIf(problems);
  if (name === 'default' || name.includes('/') || name.startsWith('aws.')) {
    throw validation(`Event bus name must not contain '/' and must not be 'default' or start with 'aws.'.`);
  }
  if (s.buses.has(name)) throw alreadyExists(`Event bus ${name} already exists.`);
  if (s.buses.size >= MAX_BUSES) throw limitExceeded();
  const now = ctx.clock.nowMs();
  const bus: BusRecord = {
    name, arn: busArn(ctx.account, ctx.region, name), createdMs: now, modifiedMs: now, tags: tagsFrom(input['Tags']),
  };
  if (str(input, 'Description') !== undefined) bus.description = str(input, 'Description')!;
  if (str(input, 'KmsKeyIdentifier') !== undefined) bus.kmsKeyIdentifier = str(input, 'KmsKeyIdentifier')!;
  if (input['DeadLetterConfig']) bus.deadLetterConfig = input['DeadLetterConfig'] as { Arn?: string };
  s.buses.set(name, bus);
  return withDefined({ EventBusArn: bus.arn, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyIdentifier, DeadLetterConfig: bus.deadLetterConfig });
};

export const describeEventBus: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  return describe(s.buses.get(busName(s, str(input, 'Name')))!);
};

export const listEventBuses: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const prefix = str(input, 'NamePrefix') ?? '';
  const all = [...s.buses.values()].filter((b) => b.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  const p = page(all, input);
  return withDefined({ EventBuses: p.items.map(describe), NextToken: p.next });
};

export const updateEventBus: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const bus = s.buses.get(busName(s, str(input, 'Name')))!;
  if (input['Description'] !== undefined) bus.description = str(input, 'Description');
  if (input['KmsKeyIdentifier'] !== undefined) bus.kmsKeyIdentifier = str(input, 'KmsKeyIdentifier');
  if (input['DeadLetterConfig'] !== undefined) bus.deadLetterConfig = input['DeadLetterConfig'] as { Arn?: string };
  bus.modifiedMs = ctx.clock.nowMs();
  s.buses.set(bus.name, bus);
  return withDefined({ Arn: bus.arn, Name: bus.name, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyIdentifier, DeadLetterConfig: bus.deadLetterConfig });
};

export const deleteEventBus: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = str(input, 'Name')!;
  if (name === 'default') throw validation('Cannot delete event bus default.');
  // Deleting a missing bus succeeds in AWS's API reference, but AWS answers not-found today.
  if (!s.buses.has(name)) throw busNotFound(name);
  for (const r of rulesOf(s, name)) s.rules.delete(`${name}|${r.name}`);
  s.matchers.delete(name);
  s.buses.delete(name);
  return {};
};

interface Statement { Sid?: string; [k: string]: unknown }

function statements(bus: BusRecord): Statement[] {
  return bus.policy ? ((JSON.parse(bus.policy) as { Statement?: Statement[] }).Statement ?? []) : [];
}

function setStatements(bus: BusRecord, list: Statement[]): void {
  if (list.length) bus.policy = JSON.stringify({ Version: '2012-10-17', Statement: list });
  else delete bus.policy;
}

export const putPermission: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const bus = s.buses.get(busName(s, str(input, 'EventBusName')))!;
  const policy = str(input, 'Policy');
  if (policy !== undefined) {
    try {
      const doc = JSON.parse(policy) as unknown;
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not an object');
    } catch {
      throw validation('Policy is not valid JSON.');
    }
    bus.policy = policy;
  } else {
    const action = str(input, 'Action');
    const principal = str(input, 'Principal');
    const sid = str(input, 'StatementId');
    if (action === undefined || principal === undefined || sid === undefined) {
      throw validation('One of Policy or (Action, Principal and StatementId) must be provided.');
    }
    if (action !== 'events:PutEvents') throw validation('Provided value in parameter \'action\' is not supported.');
    if (principal !== '*' && !/^\d{12}$/.test(principal)) throw validation('Parameter Principal is not valid.');
    const st: Statement = {
      Sid: sid, Effect: 'Allow', Principal: principal === '*' ? '*' : { AWS: `arn:${bus.arn.split(':')[1]}:iam::${principal}:root` },
      Action: action, Resource: bus.arn,
    };
    const cond = input['Condition'] as { Type?: string; Key?: string; Value?: string } | undefined;
    if (cond) st['Condition'] = { [cond.Type ?? 'StringEquals']: { [cond.Key ?? 'aws:PrincipalOrgID']: cond.Value } };
    setStatements(bus, [...statements(bus).filter((x) => x.Sid !== sid), st]);
  }
  bus.modifiedMs = ctx.clock.nowMs();
  s.buses.set(bus.name, bus);
  return {};
};

export const removePermission: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const bus = s.buses.get(busName(s, str(input, 'EventBusName')))!;
  if (input['RemoveAllPermissions'] === true) setStatements(bus, []);
  else {
    const sid = str(input, 'StatementId');
    const list = statements(bus);
    if (!list.some((x) => x.Sid === sid)) throw notFound('Statement with the provided id does not exist.');
    setStatements(bus, list.filter((x) => x.Sid !== sid));
  }
  bus.modifiedMs = ctx.clock.nowMs();
  s.buses.set(bus.name, bus);
  return {};
};
