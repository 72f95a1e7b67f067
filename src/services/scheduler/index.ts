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

const scheduler: ServiceDefinition = {
  name: 'scheduler',
  handlers: HANDLERS,
  install(host) {
    rememberHost(host);
    armAll(host);
  },
};

export default scheduler;
