/** Schedule groups and their tags. */
import { parseArn } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { disarm } from './runner.js';
import { errors, groupArn, groupNotFound, schedulerState, type GroupRecord, type SchedulerState } from './store.js';

type In = Record<string, unknown>;

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const MAX_GROUPS = 500;

export function stateOf(ctx: ServiceContext): SchedulerState {
  return schedulerState(ctx.stores, ctx.account, ctx.region, ctx.clock.nowMs());
}

export function checkName(value: string, member: string): void {
  if (!NAME.test(value)) {
    throw errors.validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$`);
  }
}

function groupOut(g: GroupRecord): In {
  return { Arn: g.arn, Name: g.name, State: 'ACTIVE', CreationDate: new Date(g.createdMs), LastModificationDate: new Date(g.modifiedMs) };
}

function tagsFrom(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(list)) for (const t of list as In[]) out[String(t['Key'])] = String(t['Value'] ?? '');
  return out;
}

export const createScheduleGroup: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = input['Name'] as string;
  checkName(name, 'name');
  if (s.groups.has(name)) throw errors.conflict(`Schedule group ${name} already exists.`);
  if (s.groups.size >= MAX_GROUPS) throw errors.quota('The number of schedule groups exceeds the quota for this account.');
  const now = ctx.clock.nowMs();
  const g: GroupRecord = { name, arn: groupArn(ctx.account, ctx.region, name), createdMs: now, modifiedMs: now, tags: tagsFrom(input['Tags']) };
  s.groups.set(name, g);
  return { ScheduleGroupArn: g.arn };
};

export const getScheduleGroup: Handler = (input, ctx) => {
  const g = stateOf(ctx).groups.get(input['Name'] as string);
  if (!g) throw groupNotFound(input['Name'] as string);
  return groupOut(g);
};

export const listScheduleGroups: Handler = (input, ctx) => {
  const prefix = (input['NamePrefix'] as string | undefined) ?? '';
  const all = [...stateOf(ctx).groups.values()].filter((g) => g.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  const p = page(all, input);
  return { ScheduleGroups: p.items.map(groupOut), ...(p.next ? { NextToken: p.next } : {}) };
};

export const deleteScheduleGroup: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = input['Name'] as string;
  if (name === 'default') throw errors.validation('You cannot delete the default group.');
  if (!s.groups.has(name)) throw groupNotFound(name);
  // Deleting a group deletes its schedules.
  for (const [k, sch] of s.schedules) {
    if (sch.group !== name) continue;
    disarm(ctx.stores, s, sch);
    s.schedules.delete(k);
  }
  s.groups.delete(name);
  return {};
};

/** One page of `items` and the opaque token for the next. */
export function page<T>(items: T[], input: In): { items: T[]; next?: string } {
  const token = input['NextToken'] as string | undefined;
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0 : 0;
  const max = typeof input['MaxResults'] === 'number' && input['MaxResults'] > 0 ? input['MaxResults'] : 100;
  const end = start + max;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end)).toString('base64') : undefined };
}

function groupByArn(s: SchedulerState, arn: string): GroupRecord {
  const a = parseArn(arn);
  const name = a?.resource.startsWith('schedule-group/') ? a.resource.slice('schedule-group/'.length) : undefined;
  const g = name !== undefined && a!.account === s.account && a!.region === s.region ? s.groups.get(name) : undefined;
  if (!g) throw errors.notFound(`Schedule group ${name ?? arn} does not exist.`);
  return g;
}

export const tagResource: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const g = groupByArn(s, input['ResourceArn'] as string);
  Object.assign(g.tags, tagsFrom(input['Tags']));
  s.groups.set(g.name, g);
  return {};
};

export const untagResource: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const g = groupByArn(s, input['ResourceArn'] as string);
  for (const k of (input['TagKeys'] as string[] | undefined) ?? []) delete g.tags[k];
  s.groups.set(g.name, g);
  return {};
};

export const listTagsForResource: Handler = (input, ctx) => {
  const g = groupByArn(stateOf(ctx), input['ResourceArn'] as string);
  return { Tags: Object.entries(g.tags).map(([Key, Value]) => ({ Key, Value })) };
};
