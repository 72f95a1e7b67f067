/** Targets of a rule: PutTargets / RemoveTargets (per-entry results), ListTargetsByRule. */
import { parseArn } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { busName, page, stateOf, str, withDefined, type In } from './common.js';
import { check, limitExceeded, NAME, throwIf, validation } from './errors.js';
import { templatePlaceholders } from './input.js';
import { findRule } from './rules.js';
import { saveRule, type Target } from './store.js';

const MAX_TARGETS = 5;
const ARN_SERVICES = new Set(['sqs', 'sns', 'lambda', 'states', 'events', 'logs', 'kinesis', 'firehose', 'ecs', 'ssm', 'codebuild', 'codepipeline', 'batch', 'redshift', 'sagemaker', 'execute-api', 'inspector', 'automate', 'ec2', 'scheduler', 'rds']);

function range(problems: string[], v: unknown, path: string, lo: number, hi: number): void {
  if (typeof v !== 'number') return;
  if (v < lo) problems.push(`Value '${v}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${lo}`);
  if (v > hi) problems.push(`Value '${v}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${hi}`);
}

/** Whole-request checks AWS makes before looking at any entry. */
function validateTarget(t: Target, problems: string[], i: number): void {
  check(problems, t.Id, `targets.${i + 1}.member.id`, NAME);
  check(problems, t.Arn, `targets.${i + 1}.member.arn`, { min: 1, max: 1600 });
  const retry = (t['RetryPolicy'] ?? {}) as Record<string, unknown>;
  range(problems, retry['MaximumRetryAttempts'], `targets.${i + 1}.member.retryPolicy.maximumRetryAttempts`, 0, 185);
  range(problems, retry['MaximumEventAgeInSeconds'], `targets.${i + 1}.member.retryPolicy.maximumEventAgeInSeconds`, 60, 86_400);
  const inputs = ['Input', 'InputPath', 'InputTransformer'].filter((k) => t[k] !== undefined);
  if (inputs.length > 1) throw validation(`Only one of Input, InputPath, or InputTransformer must be provided for target ${t.Id}.`);
  if (typeof t['Input'] === 'string') {
    try { JSON.parse(t['Input']); } catch { throw validation(`Input for target ${t.Id} is not a valid JSON text.`); }
  }
  const tr = t['InputTransformer'] as { InputTemplate?: string; InputPathsMap?: Record<string, string> } | undefined;
  if (tr) {
    const paths = tr.InputPathsMap ?? {};
    if (Object.keys(paths).length > 100) throw validation(`InputPathsMap for target ${t.Id} has more than 100 entries.`);
    for (const [k, v] of Object.entries(paths)) {
      if (k.startsWith('aws.events')) throw validation(`InputTransformer for target ${t.Id} contains reserved key ${k}.`);
      if (!v.startsWith('$')) throw validation(`Invalid InputPathsMap key-value pair: ${k}, ${v} for target ${t.Id}.`);
    }
    for (const name of templatePlaceholders(tr.InputTemplate ?? '')) {
      if (!(name in paths) && !name.startsWith('aws.events.')) throw validation(`InputTemplate for target ${t.Id} contains invalid placeholder ${name}.`);
    }
  }
  const arn = parseArn(t.Arn);
  if (arn?.service === 'sqs' && arn.resource.endsWith('.fifo') && !(t['SqsParameters'] as In | undefined)?.['MessageGroupId']) {
    throw validation(`Parameter(s) SqsParameters must be specified for target: ${t.Id}.`);
  }
  if (arn?.service === 'states' && t['RoleArn'] === undefined) throw validation(`RoleArn is required for target arn ${t.Arn}.`);
}

/** A reason an entry cannot be added, reported per entry as AWS does. */
function entryProblem(t: Target): string | undefined {
  const arn = parseArn(t.Arn);
  if (!arn || !ARN_SERVICES.has(arn.service)) return `Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`;
  return undefined;
}

export const putTargets: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const rule = findRule(s, busName(s, str(input, 'EventBusName')), str(input, 'Rule')!);
  const targets = (input['Targets'] as Target[] | undefined) ?? [];
  const problems: string[] = [];
  targets.forEach((t, i) => validateTarget(t, problems, i));
  throwIf(problems);
  const failed: In[] = [];
  const next = [...rule.targets];
  for (const t of targets) {
    const why = entryProblem(t);
    if (why) {
      failed.push({ TargetId: t.Id, ErrorCode: 'ValidationException', ErrorMessage: why });
      continue;
    }
    const at = next.findIndex((x) => x.Id === t.Id);
    if (at >= 0) next[at] = t;
    else next.push(t);
  }
  if (next.length > MAX_TARGETS) throw limitExceeded();
  rule.targets = next;
  saveRule(s, rule);
  return { FailedEntryCount: failed.length, FailedEntries: failed };
};

export const removeTargets: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const rule = findRule(s, busName(s, str(input, 'EventBusName')), str(input, 'Rule')!);
  const ids = new Set((input['Ids'] as string[] | undefined) ?? []);
  rule.targets = rule.targets.filter((t) => !ids.has(t.Id));
  saveRule(s, rule);
  return { FailedEntryCount: 0, FailedEntries: [] };
};

export const listTargetsByRule: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const rule = findRule(s, busName(s, str(input, 'EventBusName')), str(input, 'Rule')!);
  const p = page(rule.targets, input);
  return withDefined({ Targets: p.items, NextToken: p.next });
};
