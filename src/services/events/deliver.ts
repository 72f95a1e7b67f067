/**
 * Delivering an event to one target, with the target's retry policy on the clock and its
 * dead-letter queue. SQS through the SQS delivery port (the queue policy decides, with the rule
 * as `aws:SourceArn`); SNS, Lambda and CloudWatch Logs as `events.amazonaws.com` for the rule
 * (the resource's policy decides); Step Functions as the target's role; another bus directly,
 * its resource policy checked for another account.
 */
import { randomUUID } from 'node:crypto';
import { AwsError, asAwsError } from '../../core/errors.js';
import { parseArn } from '../../core/ids.js';
import type { DeliveryMessage } from '../../core/ports.js';
import type { ServiceHost } from '../types.js';
import { sendToApiDestination } from './api-destination.js';
import { EVENTS_PRINCIPAL, eventsPrincipal, roleSession } from './host.js';
import { targetInput } from './input.js';
import { checkCrossAccountPut } from './permissions.js';
import { route } from './router.js';
import type { EventEnvelope, RuleRecord, Target } from './store.js';

export interface Delivery {
  account: string;
  region: string;
  rule: RuleRecord;
  target: Target;
  event: EventEnvelope;
  ingestedMs: number;
  hops: number;
}

const DEFAULT_ATTEMPTS = 185;
const DEFAULT_MAX_AGE_S = 86_400;

/**
 * Backoff before retry `n` (0-based): 1 s doubling to at most 5 minutes. AWS adds jitter;
 * Drydock does not, so a test can advance the clock by exact amounts.
 */
export function backoffMs(n: number): number {
  return Math.min(1000 * 2 ** n, 300_000);
}

/** Client errors (missing resource, denied) are not retried, as AWS sends them straight to the DLQ. */
function retryable(e: AwsError): boolean {
  return (e.status >= 500 && e.status !== 501) || e.status === 429 || /Throttl|TooManyRequests|ServiceUnavailable|RequestLimitExceeded/.test(e.code);
}

export async function dispatch(host: ServiceHost, d: Delivery): Promise<void> {
  const body = targetInput(d.target, d.event, d.rule, d.ingestedMs);
  if (body === undefined) {
    return deadLetter(host, d, new AwsError('InvalidInput', 'The target input is not valid JSON after InputPath or InputTransformer.', 400), 0);
  }
  await attempt(host, d, body, 0);
}

async function attempt(host: ServiceHost, d: Delivery, body: string, n: number): Promise<void> {
  try {
    await send(host, d, body);
  } catch (e) {
    const err = asAwsError(e);
    const policy = (d.target['RetryPolicy'] ?? {}) as { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    const maxAttempts = policy.MaximumRetryAttempts ?? DEFAULT_ATTEMPTS;
    const maxAgeMs = (policy.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
    if (!retryable(err)) return deadLetter(host, d, err, n);
    if (n >= maxAttempts) return deadLetter(host, d, err, n, 'MaximumRetryAttempts');
    const wait = backoffMs(n);
    if (host.clock.nowMs() + wait - d.ingestedMs > maxAgeMs) return deadLetter(host, d, err, n, 'MaximumEventAgeInSeconds');
    host.clock.setTimer(() => attempt(host, d, body, n + 1), wait);
  }
}

/** The failed event to the target's DLQ with AWS's attributes; without a DLQ it is dropped. */
async function deadLetter(host: ServiceHost, d: Delivery, err: AwsError, retries: number, exhausted?: string): Promise<void> {
  const dlq = (d.target['DeadLetterConfig'] as { Arn?: string } | undefined)?.Arn;
  if (!dlq) return;
  const s = (v: string) => ({ DataType: 'String', StringValue: v });
  const attributes: DeliveryMessage['attributes'] = {
    RULE_ARN: s(d.rule.arn), TARGET_ARN: s(d.target.Arn), ERROR_CODE: s(err.code), ERROR_MESSAGE: s(err.message), RETRY_ATTEMPTS: s(String(retries)),
  };
  if (exhausted) attributes['EXHAUSTED_RETRY_CONDITION'] = s(exhausted);
  await host.service('sqs');
  await host.ports.deliver.get('sqs')?.(dlq, { body: JSON.stringify(d.event), attributes, sourceArn: d.rule.arn, servicePrincipal: EVENTS_PRINCIPAL })
    .catch(() => undefined);
}

/** Injected faults (a region outage of the target service) fail the delivery as they would the API call. */
function faultCheck(host: ServiceHost, service: string, region: string, operation: string): void {
  const effect = host.faults.check({ service, region, operation });
  if (effect?.unavailable) throw new AwsError('ServiceUnavailable', effect.unavailable.reason, 503);
  if (effect?.error) throw new AwsError(effect.error.code, effect.error.message, effect.error.status);
}

async function send(host: ServiceHost, d: Delivery, body: string): Promise<void> {
  const arn = parseArn(d.target.Arn);
  if (!arn) throw new AwsError('ValidationException', `Target Arn ${d.target.Arn} is not valid.`, 400);
  const region = arn.region || d.region;
  const asEvents = { principal: eventsPrincipal(d.account), region, sourceArn: d.rule.arn, sourceAccount: d.account };
  switch (arn.service) {
    case 'sqs': {
      faultCheck(host, 'sqs', region, 'SendMessage');
      await host.service('sqs');
      const m: DeliveryMessage = { body, sourceArn: d.rule.arn, servicePrincipal: EVENTS_PRINCIPAL };
      const group = (d.target['SqsParameters'] as { MessageGroupId?: string } | undefined)?.MessageGroupId;
      if (group !== undefined) m.messageGroupId = group;
      // EventBridge deduplicates FIFO deliveries by event id.
      if (arn.resource.endsWith('.fifo')) m.messageDeduplicationId = d.event.id;
      const deliver = host.ports.deliver.get('sqs');
      if (!deliver) throw new AwsError('ServiceUnavailable', 'SQS is not available', 503);
      return deliver(d.target.Arn, m);
    }
    case 'sns': {
      await host.service('sns');
      // A topic without its own policy takes its own account's events (as SQS does); with one, the policy decides.
      const own = arn.account === d.account && !host.ports.resourcePolicies.get('sns')?.(d.target.Arn);
      const principal = own ? { type: 'root' as const, account: d.account, arn: `arn:aws:iam::${d.account}:root`, userId: d.account } : asEvents.principal;
      await host.call({ ...asEvents, principal, service: 'sns', operation: 'Publish', input: { TopicArn: d.target.Arn, Message: body } });
      return;
    }
    case 'lambda':
      await host.call({ ...asEvents, service: 'lambda', operation: 'Invoke', input: { FunctionName: d.target.Arn, InvocationType: 'Event', Payload: Buffer.from(body) } });
      return;
    case 'states': {
      const role = await roleSession(host, String(d.target['RoleArn'] ?? d.rule.roleArn), d.account, d.region);
      await host.call({ service: 'sfn', operation: 'StartExecution', region, principal: role.principal, accessKeyId: role.accessKeyId, input: { stateMachineArn: d.target.Arn, input: body } });
      return;
    }
    case 'events': {
      if (arn.resource.startsWith('api-destination/')) return sendToApiDestination(host, d.target, body);
      if (!arn.resource.startsWith('event-bus/')) break;
      const bus = { account: arn.account, region, name: arn.resource.slice('event-bus/'.length) };
      checkCrossAccountPut(host, d.account, bus, d.rule.arn);
      // The event keeps its account and region of origin; its id survives a change of account, not of region.
      const event = bus.region === d.event.region ? d.event : { ...d.event, id: randomUUID() };
      return route(host, bus, event, host.clock.nowMs(), { hops: d.hops + 1 });
    }
    case 'logs': {
      const group = arn.resource.replace(/^log-group:/, '').replace(/:\*$/, '');
      await host.service('logs');
      const stream = { logGroupName: group, logStreamName: d.event.id };
      await host.call({ ...asEvents, service: 'logs', operation: 'CreateLogStream', input: stream }).catch((e: unknown) => {
        if (!(e instanceof AwsError && e.code === 'ResourceAlreadyExistsException')) throw e;
      });
      await host.call({ ...asEvents, service: 'logs', operation: 'PutLogEvents', input: { ...stream, logEvents: [{ timestamp: d.ingestedMs, message: body }] } });
      return;
    }
  }
  throw new AwsError('NotImplemented', `drydock does not deliver EventBridge events to ${arn.service} targets yet`, 501);
}
