/**
 * Invoking a schedule's target, always as the schedule's execution role (assumed by
 * `scheduler.amazonaws.com`, so the role's trust and permission policies decide): templated
 * targets (SQS, SNS, Lambda, Step Functions, EventBridge) by their usual API call, universal
 * targets (`arn:aws:scheduler:::aws-sdk:<service>:<action>`) by that call with `Input` as its
 * JSON request. Failures are retried on the clock per the retry policy, then sent to the
 * dead-letter queue (also as the role).
 */
import { AwsError, asAwsError } from '../../core/errors.js';
import { parseArn } from '../../core/ids.js';
import type { ServiceHost } from '../types.js';
import { roleSession, type RoleSession } from '../role-sessions.js';
import type { ScheduleRecord, SchedulerTarget } from './store.js';

/** SDK service names in universal target ARNs whose Drydock model is named differently. */
const SDK_SERVICE_MODELS: Record<string, string> = { eventbridge: 'events', cloudwatchlogs: 'logs', stepfunctions: 'sfn' };

function session(host: ServiceHost, roleArn: string, account: string, region: string): Promise<RoleSession> {
  return roleSession(host, 'scheduler.amazonaws.com', roleArn, account, region);
}

export interface Invocation { scheduledMs: number; executionId: string }

/** The target input with Scheduler's context attributes filled in. */
function inputFor(r: ScheduleRecord, inv: Invocation, attempt: number): string {
  const values: Record<string, string> = {
    'aws.scheduler.schedule-arn': r.arn,
    'aws.scheduler.scheduled-time': new Date(inv.scheduledMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws.scheduler.execution-id': inv.executionId,
    'aws.scheduler.attempt-number': String(attempt + 1),
  };
  return (typeof r.target['Input'] === 'string' ? r.target['Input'] : '{}').replace(/<(aws\.scheduler\.[a-z-]+)>/g, (m, k: string) => values[k] ?? m);
}

function retryable(e: AwsError): boolean {
  return (e.status >= 500 && e.status !== 501) || /Throttl|TooManyRequests|ServiceUnavailable/.test(e.code);
}

/** Invokes the target once, retrying per the policy; resolves after the first attempt. */
export async function invoke(host: ServiceHost, r: ScheduleRecord, inv: Invocation): Promise<void> {
  const account = parseArn(r.arn)!.account;
  const region = parseArn(r.arn)!.region;
  const policy = (r.target['RetryPolicy'] ?? {}) as { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  const maxAttempts = policy.MaximumRetryAttempts ?? 185;
  const maxAgeMs = (policy.MaximumEventAgeInSeconds ?? 86_400) * 1000;
  const attempt = async (n: number): Promise<void> => {
    const input = inputFor(r, inv, n);
    try {
      const role = await session(host, r.target.RoleArn, account, region);
      await callTarget(host, r.target, input, role, region);
    } catch (e) {
      const err = asAwsError(e);
      if (!retryable(err)) return deadLetter(host, r, input, err, n, undefined, account, region);
      if (n >= maxAttempts) return deadLetter(host, r, input, err, n, 'MaximumRetryAttempts', account, region);
      const wait = Math.min(1000 * 2 ** n, 300_000);
      if (host.clock.nowMs() + wait - inv.scheduledMs > maxAgeMs) return deadLetter(host, r, input, err, n, 'MaximumEventAgeInSeconds', account, region);
      host.clock.setTimer(() => attempt(n + 1), wait);
    }
  };
  await attempt(0);
}

async function sendToQueue(host: ServiceHost, queueArn: string, role: RoleSession, body: string, extra: Record<string, unknown> = {}): Promise<void> {
  const q = parseArn(queueArn)!;
  const asRole = { principal: role.principal, accessKeyId: role.accessKeyId, region: q.region };
  // The queue's URL from its ARN, as Scheduler needs no sqs:GetQueueUrl permission.
  const url = `${host.endpoint.replace(/\/$/, '')}/${q.account}/${q.resource}`;
  await host.call({ ...asRole, service: 'sqs', operation: 'SendMessage', input: { QueueUrl: url, MessageBody: body, ...extra } });
}

async function callTarget(host: ServiceHost, t: SchedulerTarget, input: string, role: RoleSession, region: string): Promise<void> {
  const arn = parseArn(t.Arn);
  if (!arn) throw new AwsError('ValidationException', `Invalid target ARN provided: ${t.Arn}.`, 400);
  const as = { principal: role.principal, accessKeyId: role.accessKeyId, region: arn.region || region };
  switch (arn.service) {
    case 'scheduler': {
      const m = /^aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/.exec(arn.resource);
      if (!m) break;
      let request: Record<string, unknown>;
      try {
        request = JSON.parse(input) as Record<string, unknown>;
      } catch {
        throw new AwsError('ValidationException', 'The universal target input is not valid JSON.', 400);
      }
      const service = SDK_SERVICE_MODELS[m[1]!] ?? m[1]!;
      await host.call({ ...as, region, service, operation: m[2]![0]!.toUpperCase() + m[2]!.slice(1), input: request, json: true });
      return;
    }
    case 'sqs': {
      const group = (t['SqsParameters'] as { MessageGroupId?: string } | undefined)?.MessageGroupId;
      return sendToQueue(host, t.Arn, role, input, group === undefined ? {} : { MessageGroupId: group });
    }
    case 'sns':
      await host.call({ ...as, service: 'sns', operation: 'Publish', input: { TopicArn: t.Arn, Message: input } });
      return;
    case 'lambda':
      await host.call({ ...as, service: 'lambda', operation: 'Invoke', input: { FunctionName: t.Arn, InvocationType: 'Event', Payload: Buffer.from(input) } });
      return;
    case 'states':
      await host.call({ ...as, service: 'sfn', operation: 'StartExecution', input: { stateMachineArn: t.Arn, input } });
      return;
    case 'events': {
      const p = (t['EventBridgeParameters'] ?? {}) as { Source?: string; DetailType?: string };
      const out = await host.call({
        ...as, service: 'events', operation: 'PutEvents',
        input: { Entries: [{ EventBusName: t.Arn, Source: p.Source, DetailType: p.DetailType, Detail: input }] },
      });
      const entry = (out['Entries'] as Record<string, string>[] | undefined)?.[0];
      if (entry?.['ErrorCode']) throw new AwsError(entry['ErrorCode'], entry['ErrorMessage'] ?? '', 400);
      return;
    }
  }
  throw new AwsError('NotImplemented', `drydock does not invoke ${arn.service} targets from schedules yet`, 501);
}

async function deadLetter(
  host: ServiceHost, r: ScheduleRecord, input: string, err: AwsError, retries: number, exhausted: string | undefined, account: string, region: string,
): Promise<void> {
  const dlq = (r.target['DeadLetterConfig'] as { Arn?: string } | undefined)?.Arn;
  if (!dlq) return;
  const s = (v: string) => ({ DataType: 'String', StringValue: v });
  const attributes: Record<string, unknown> = {
    SCHEDULE_ARN: s(r.arn), TARGET_ARN: s(r.target.Arn), ERROR_CODE: s(err.code), ERROR_MESSAGE: s(err.message.slice(0, 256)),
    RETRY_ATTEMPTS: s(String(retries)),
  };
  if (exhausted) attributes['EXHAUSTED_RETRY_CONDITION'] = s(exhausted);
  try {
    await sendToQueue(host, dlq, await session(host, r.target.RoleArn, account, region), input, { MessageAttributes: attributes });
  } catch {
    // The role cannot reach the DLQ either: AWS drops the invocation too.
  }
}
