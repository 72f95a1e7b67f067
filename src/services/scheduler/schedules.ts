/** Schedules: create, get, update (a full replacement, as AWS's API is), delete, list. */
import { CronSyntaxError, isTimeZone, parseSchedule } from '../../engines/cron/index.js';
import { parseArn } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { checkName, page, stateOf } from './groups.js';
import { arm, disarm } from './runner.js';
import { errors, groupNotFound, scheduleArn, scheduleKey, scheduleNotFound, type ScheduleRecord, type SchedulerState, type SchedulerTarget } from './store.js';

type In = Record<string, unknown>;

const MAX_SCHEDULES = 1_000_000;

function groupOf(s: SchedulerState, input: In): string {
  const group = (input['GroupName'] as string | undefined) ?? 'default';
  checkName(group, 'groupName');
  if (!s.groups.has(group)) throw groupNotFound(group);
  return group;
}

function checkTarget(t: SchedulerTarget): void {
  const role = parseArn(t.RoleArn);
  if (!role || role.service !== 'iam' || !role.resource.startsWith('role/')) throw errors.validation(`Invalid RoleArn provided: ${t.RoleArn}.`);
  if (!parseArn(t.Arn)) throw errors.validation(`Invalid target ARN provided: ${t.Arn}.`);
  const retry = t['RetryPolicy'] as { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number } | undefined;
  if (retry?.MaximumEventAgeInSeconds !== undefined && (retry.MaximumEventAgeInSeconds < 60 || retry.MaximumEventAgeInSeconds > 86_400)) {
    throw errors.validation('MaximumEventAgeInSeconds must be between 60 and 86400.');
  }
  if (retry?.MaximumRetryAttempts !== undefined && (retry.MaximumRetryAttempts < 0 || retry.MaximumRetryAttempts > 185)) {
    throw errors.validation('MaximumRetryAttempts must be between 0 and 185.');
  }
}

/** A schedule from Create/UpdateSchedule input, validated as AWS validates it. */
function fromInput(s: SchedulerState, input: In, nowMs: number, existing?: ScheduleRecord): ScheduleRecord {
  const name = input['Name'] as string;
  checkName(name, 'name');
  const group = groupOf(s, input);
  const expression = input['ScheduleExpression'] as string;
  try {
    parseSchedule(expression, { allowAt: true });
  } catch (e) {
    if (e instanceof CronSyntaxError) throw errors.validation(`Invalid Schedule Expression ${expression}.`);
    throw e;
  }
  const timezone = (input['ScheduleExpressionTimezone'] as string | undefined) ?? 'UTC';
  if (!isTimeZone(timezone)) throw errors.validation(`Invalid timezone ${timezone}.`);
  const window = input['FlexibleTimeWindow'] as ScheduleRecord['flexibleWindow'];
  if (window.Mode !== 'OFF' && window.Mode !== 'FLEXIBLE') {
    throw errors.validation(`1 validation error detected: Value '${String(window.Mode)}' at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must satisfy enum value set: [OFF, FLEXIBLE]`);
  }
  const minutes = window.MaximumWindowInMinutes;
  if (window.Mode === 'FLEXIBLE' && (minutes === undefined || minutes < 1 || minutes > 1440)) {
    throw errors.validation('MaximumWindowInMinutes must be between 1 and 1440 when Mode is FLEXIBLE.');
  }
  if (window.Mode === 'OFF' && minutes !== undefined) throw errors.validation('MaximumWindowInMinutes is not allowed when Mode is OFF.');
  const target = input['Target'] as SchedulerTarget;
  checkTarget(target);
  const start = input['StartDate'] as Date | undefined;
  const end = input['EndDate'] as Date | undefined;
  if (start && end && start.getTime() >= end.getTime()) throw errors.validation('The StartDate must come before the EndDate.');
  if (end && end.getTime() <= nowMs) throw errors.validation('The EndDate must be in the future.');
  const state = (input['State'] as string | undefined) ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED') throw errors.validation(`Invalid State ${state}.`);
  const after = (input['ActionAfterCompletion'] as string | undefined) ?? 'NONE';
  if (after !== 'NONE' && after !== 'DELETE') throw errors.validation(`Invalid ActionAfterCompletion ${after}.`);
  const r: ScheduleRecord = {
    name, group, arn: scheduleArn(s.account, s.region, group, name), expression, timezone, state, target, flexibleWindow: window,
    actionAfterCompletion: after, createdMs: existing?.createdMs ?? nowMs, modifiedMs: nowMs,
  };
  if (start) r.startMs = start.getTime();
  if (end) r.endMs = end.getTime();
  if (typeof input['Description'] === 'string') r.description = input['Description'];
  if (typeof input['KmsKeyArn'] === 'string') r.kmsKeyArn = input['KmsKeyArn'];
  return r;
}

export const createSchedule: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = fromInput(s, input, ctx.clock.nowMs());
  if (s.schedules.has(scheduleKey(r.group, r.name))) throw errors.conflict(`Schedule ${r.name} already exists.`);
  if (s.schedules.size >= MAX_SCHEDULES) throw errors.quota('The number of schedules exceeds the quota for this account.');
  s.schedules.set(scheduleKey(r.group, r.name), r);
  arm(ctx.stores, s, r);
  return { ScheduleArn: r.arn };
};

export const updateSchedule: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const key = scheduleKey(groupOf(s, input), input['Name'] as string);
  const existing = s.schedules.get(key);
  if (!existing) throw scheduleNotFound(input['Name'] as string);
  const r = fromInput(s, input, ctx.clock.nowMs(), existing);
  s.schedules.set(key, r);
  arm(ctx.stores, s, r);
  return { ScheduleArn: r.arn };
};

function find(s: SchedulerState, input: In): ScheduleRecord {
  const r = s.schedules.get(scheduleKey(groupOf(s, input), input['Name'] as string));
  if (!r) throw scheduleNotFound(input['Name'] as string);
  return r;
}

export const getSchedule: Handler = (input, ctx) => {
  const r = find(stateOf(ctx), input);
  const out: In = {
    Arn: r.arn, GroupName: r.group, Name: r.name, ScheduleExpression: r.expression, ScheduleExpressionTimezone: r.timezone, State: r.state,
    CreationDate: new Date(r.createdMs), LastModificationDate: new Date(r.modifiedMs), Target: r.target, FlexibleTimeWindow: r.flexibleWindow,
    ActionAfterCompletion: r.actionAfterCompletion,
  };
  if (r.startMs !== undefined) out['StartDate'] = new Date(r.startMs);
  if (r.endMs !== undefined) out['EndDate'] = new Date(r.endMs);
  if (r.description !== undefined) out['Description'] = r.description;
  if (r.kmsKeyArn !== undefined) out['KmsKeyArn'] = r.kmsKeyArn;
  return out;
};

export const deleteSchedule: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const r = find(s, input);
  disarm(ctx.stores, s, r);
  s.schedules.delete(scheduleKey(r.group, r.name));
  return {};
};

export const listSchedules: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const group = input['GroupName'] as string | undefined;
  const prefix = (input['NamePrefix'] as string | undefined) ?? '';
  const state = input['State'] as string | undefined;
  const all = [...s.schedules.values()]
    .filter((r) => (!group || r.group === group) && r.name.startsWith(prefix) && (!state || r.state === state))
    .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
  const p = page(all, input);
  return {
    Schedules: p.items.map((r) => ({
      Arn: r.arn, Name: r.name, GroupName: r.group, State: r.state, CreationDate: new Date(r.createdMs), LastModificationDate: new Date(r.modifiedMs),
      Target: { Arn: r.target.Arn },
    })),
    ...(p.next ? { NextToken: p.next } : {}),
  };
};
