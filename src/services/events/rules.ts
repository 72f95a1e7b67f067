/** Rules: PutRule with a pattern or a schedule, describe, list, enable/disable, delete, TestEventPattern. */
import { AwsError } from '../../core/errors.js';
import { CronSyntaxError, parseSchedule } from '../../engines/cron/index.js';
import { compilePattern, EVENTBRIDGE_PATTERN_LIMITS, InvalidPatternError, type Pattern } from '../../engines/event-pattern/index.js';
import type { Handler } from '../types.js';
import { busName, page, stateOf, str, tagsFrom, withDefined, type In } from './common.js';
import { check, NAME, ruleNotFound, throwIf, validation } from './errors.js';
import { armRule, disarmRule } from './scheduled.js';
import { ruleArn, ruleKey, rulesOf, saveRule, type EventsState, type RuleRecord } from './store.js';

const MAX_RULES_PER_BUS = 300;

const compiled = new Map<string, Pattern>();

/** Compiles a pattern as PutRule, archives and TestEventPattern validate it (valid ones are kept, by text). */
export function compileEventPattern(text: string): Pattern {
  const hit = compiled.get(text);
  if (hit) return hit;
  try {
    const p = compilePattern(text, { maxLength: EVENTBRIDGE_PATTERN_LIMITS.defaultMaxLength });
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(text, p);
    return p;
  } catch (e) {
    if (e instanceof InvalidPatternError) throw new AwsError(e.awsErrorCode, e.message, 400);
    throw e;
  }
}

export function findRule(s: EventsState, bus: string, name: string): RuleRecord {
  const r = s.rules.get(ruleKey(bus, name));
  if (!r) throw ruleNotFound(name, bus);
  return r;
}

function ruleOut(r: RuleRecord, full: boolean): In {
  return withDefined({
    Name: r.name, Arn: r.arn, EventPattern: r.eventPattern, ScheduleExpression: r.scheduleExpression, State: r.state,
    Description: r.description, RoleArn: r.roleArn, ManagedBy: r.managedBy, EventBusName: r.bus, CreatedBy: full ? r.createdBy : undefined,
  });
}

const STATES = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);

export const putRule: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = str(input, 'Name')!;
  const problems: string[] = [];
  check(problems, name, 'name', NAME);
  check(problems, str(input, 'Description'), 'description', { max: 512 });
  check(problems, str(input, 'ScheduleExpression'), 'scheduleExpression', { max: 256 });
  const state = str(input, 'State');
  if (state !== undefined && !STATES.has(state)) {
    problems.push(`Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`);
  }
  throwIf(problems);
  const bus = busName(s, str(input, 'EventBusName'));
  const pattern = str(input, 'EventPattern');
  const schedule = str(input, 'ScheduleExpression');
  if (pattern === undefined && schedule === undefined) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (schedule !== undefined) {
    if (bus !== 'default') throw validation('ScheduleExpression is supported only on the default event bus.');
    try {
      parseSchedule(schedule);
    } catch (e) {
      if (e instanceof CronSyntaxError) throw validation('Parameter ScheduleExpression is not valid.');
      throw e;
    }
  }
  if (pattern !== undefined) compileEventPattern(pattern);
  const existing = s.rules.get(ruleKey(bus, name));
  if (!existing && rulesOf(s, bus).length >= MAX_RULES_PER_BUS) {
    throw new AwsError('LimitExceededException', `The requested resource exceeds the maximum number allowed.`, 400);
  }
  const rule: RuleRecord = {
    name, bus, arn: ruleArn(ctx.account, ctx.region, bus, name), state: (state ?? 'ENABLED') as RuleRecord['state'],
    createdBy: existing?.createdBy ?? ctx.account, createdMs: existing?.createdMs ?? ctx.clock.nowMs(),
    tags: existing?.tags ?? tagsFrom(input['Tags']), targets: existing?.targets ?? [],
  };
  if (pattern !== undefined) rule.eventPattern = pattern;
  if (schedule !== undefined) rule.scheduleExpression = schedule;
  if (str(input, 'Description') !== undefined) rule.description = str(input, 'Description')!;
  if (str(input, 'RoleArn') !== undefined) rule.roleArn = str(input, 'RoleArn')!;
  if (existing?.managedBy) rule.managedBy = existing.managedBy;
  saveRule(s, rule);
  armRule(ctx.stores, s, rule);
  return { RuleArn: rule.arn };
};

export const describeRule: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  return ruleOut(findRule(s, busName(s, str(input, 'EventBusName')), str(input, 'Name')!), true);
};

export const listRules: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const prefix = str(input, 'NamePrefix') ?? '';
  const rules = rulesOf(s, busName(s, str(input, 'EventBusName'))).filter((r) => r.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  const p = page(rules, input);
  return withDefined({ Rules: p.items.map((r) => ruleOut(r, false)), NextToken: p.next });
};

function setState(state: 'ENABLED' | 'DISABLED'): Handler {
  return (input, ctx) => {
    const s = stateOf(ctx);
    const rule = findRule(s, busName(s, str(input, 'EventBusName')), str(input, 'Name')!);
    rule.state = state;
    saveRule(s, rule);
    armRule(ctx.stores, s, rule);
    return {};
  };
}

export const enableRule = setState('ENABLED');
export const disableRule = setState('DISABLED');

export const deleteRule: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const bus = busName(s, str(input, 'EventBusName'));
  const rule = s.rules.get(ruleKey(bus, str(input, 'Name')!));
  if (!rule) return {};
  if (rule.targets.length) throw validation('Rule can\'t be deleted since it has targets.');
  if (rule.managedBy && input['Force'] !== true) {
    throw new AwsError('ManagedRuleException', `Rule ${rule.name} is managed by ${rule.managedBy} and cannot be deleted without Force.`, 400);
  }
  disarmRule(ctx.stores, s, rule);
  s.rules.delete(ruleKey(bus, rule.name));
  s.matchers.delete(bus);
  return {};
};

export const listRuleNamesByTarget: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const arn = str(input, 'TargetArn')!;
  const names = rulesOf(s, busName(s, str(input, 'EventBusName')))
    .filter((r) => r.targets.some((t) => t.Arn === arn)).map((r) => r.name).sort();
  const p = page(names, input);
  return withDefined({ RuleNames: p.items, NextToken: p.next });
};

export const testEventPattern: Handler = (input) => {
  const pattern = compileEventPattern(str(input, 'EventPattern')!);
  let event: unknown;
  try {
    event = JSON.parse(str(input, 'Event')!);
  } catch {
    throw validation('Parameter Event is not valid.');
  }
  const e = event as In;
  if (typeof e !== 'object' || e === null || Array.isArray(e)) throw validation('Parameter Event is not valid.');
  for (const field of ['id', 'account', 'source', 'time', 'region', 'detail-type']) {
    if (e[field] === undefined) throw validation(`Parameter Event is not valid. Reason: Provided Event is missing required field ${field}.`);
  }
  return { Result: pattern.matches(event) };
};
