/**
 * EventBridge Scheduler state of one account × region: schedule groups (the `default` group
 * always exists) and schedules, as plain data in collections so a data directory keeps them.
 */
import { AwsError } from '../../core/errors.js';
import { partitionOf } from '../../core/ids.js';
import type { Collection, Stores } from '../../core/store.js';

export type SchedulerTarget = Record<string, unknown> & { Arn: string; RoleArn: string };

export interface GroupRecord {
  name: string;
  arn: string;
  createdMs: number;
  modifiedMs: number;
  tags: Record<string, string>;
}

export interface ScheduleRecord {
  name: string;
  group: string;
  arn: string;
  expression: string;
  timezone: string;
  startMs?: number;
  endMs?: number;
  description?: string;
  state: 'ENABLED' | 'DISABLED';
  kmsKeyArn?: string;
  target: SchedulerTarget;
  flexibleWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  actionAfterCompletion: 'NONE' | 'DELETE';
  createdMs: number;
  modifiedMs: number;
}

export interface SchedulerState {
  account: string;
  region: string;
  groups: Collection<GroupRecord>;
  schedules: Collection<ScheduleRecord>;
}

function arnPrefix(account: string, region: string): string {
  return `arn:${partitionOf(region)}:scheduler:${region}:${account}`;
}

export function groupArn(account: string, region: string, name: string): string {
  return `${arnPrefix(account, region)}:schedule-group/${name}`;
}

export function scheduleArn(account: string, region: string, group: string, name: string): string {
  return `${arnPrefix(account, region)}:schedule/${group}/${name}`;
}

export function scheduleKey(group: string, name: string): string {
  return `${group}/${name}`;
}

/** The state of `account` × `region`; the default group is made on first use, at `nowMs`. */
export function schedulerState(stores: Stores, account: string, region: string, nowMs = 0): SchedulerState {
  return stores.scope('scheduler', account, region, (c) => {
    const s: SchedulerState = { account, region, groups: c.collection('groups'), schedules: c.collection('schedules') };
    if (!s.groups.has('default')) s.groups.set('default', { name: 'default', arn: groupArn(account, region, 'default'), createdMs: nowMs, modifiedMs: nowMs, tags: {} });
    return s;
  });
}

export const errors = {
  validation: (message: string) => new AwsError('ValidationException', message, 400),
  notFound: (message: string) => new AwsError('ResourceNotFoundException', message, 404),
  conflict: (message: string) => new AwsError('ConflictException', message, 409),
  quota: (message: string) => new AwsError('ServiceQuotaExceededException', message, 402),
};

export function groupNotFound(name: string): AwsError {
  return errors.notFound(`Schedule group ${name} does not exist.`);
}

export function scheduleNotFound(name: string): AwsError {
  return errors.notFound(`Schedule ${name} does not exist.`);
}
