/**
 * Amazon EventBridge Scheduler: schedule groups and schedules (`at`, `rate`, `cron` in any IANA
 * time zone, start and end dates, flexible time windows, ActionAfterCompletion) firing on the
 * clock, invoking templated targets (SQS, SNS, Lambda, Step Functions, EventBridge) and
 * universal targets (any Drydock API call) as the schedule's execution role, with retry
 * policies and dead-letter queues. Every operation of the model is implemented.
 */
import type { Handler, ServiceDefinition } from '../types.js';
import {
  createScheduleGroup, deleteScheduleGroup, getScheduleGroup, listScheduleGroups, listTagsForResource, tagResource, untagResource,
} from './groups.js';
import { armAll, rememberHost } from './runner.js';
import { groupArn, scheduleArn } from './store.js';
import { createSchedule, deleteSchedule, getSchedule, listSchedules, updateSchedule } from './schedules.js';

const HANDLERS: Record<string, Handler> = {
  CreateSchedule: createSchedule,
  CreateScheduleGroup: createScheduleGroup,
  DeleteSchedule: deleteSchedule,
  DeleteScheduleGroup: deleteScheduleGroup,
  GetSchedule: getSchedule,
  GetScheduleGroup: getScheduleGroup,
  ListScheduleGroups: listScheduleGroups,
  ListSchedules: listSchedules,
  ListTagsForResource: listTagsForResource,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateSchedule: updateSchedule,
};

const SCHEDULE_OPS = new Set(['CreateSchedule', 'GetSchedule', 'UpdateSchedule', 'DeleteSchedule']);
const GROUP_OPS = new Set(['CreateScheduleGroup', 'GetScheduleGroup', 'DeleteScheduleGroup']);

/** The schedule or group a call touches, as IAM's action table for Scheduler names them. */
function resources(operation: string, input: Record<string, unknown>, account: string, region: string): { arn: string }[] {
  const name = typeof input['Name'] === 'string' ? input['Name'] : undefined;
  const group = typeof input['GroupName'] === 'string' ? input['GroupName'] : 'default';
  if (name !== undefined && SCHEDULE_OPS.has(operation)) return [{ arn: scheduleArn(account, region, group, name) }];
  if (name !== undefined && GROUP_OPS.has(operation)) return [{ arn: groupArn(account, region, name) }];
  if (typeof input['ResourceArn'] === 'string') return [{ arn: input['ResourceArn'] }];
  return [];
}

const scheduler: ServiceDefinition = {
  name: 'scheduler',
  handlers: HANDLERS,
  install(host) {
    rememberHost(host);
    host.ports.resourceResolvers.set('scheduler', resources);
    armAll(host);
  },
};

export default scheduler;
