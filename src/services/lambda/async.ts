/**
 * Asynchronous invocation: Lambda's internal queue. An event is run as soon as it is admitted;
 * a throttled one waits and tries again; a failed one is retried (by default twice, one and
 * then two minutes later, on the clock) until it succeeds, runs out of retries or gets older
 * than the maximum event age. Then its record goes to the on-success or on-failure
 * destination (SQS, SNS, Lambda, EventBridge), or a failed event to the function's
 * dead-letter queue. Waiting events are kept in the state, so with a data directory they
 * survive a restart and are attempted when due.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { ServiceHost } from '../types.js';
import { execute, type Execution } from './execute.js';
import { roleSession } from './launch.js';
import { versionOf } from './resolve.js';
import { functionArn, lambdaState, type EventInvokeConfig, type LambdaState, type StoredAsyncEvent } from './store.js';
import { routeAlias } from './versions.js';

interface QueuedEvent {
  requestId: string;
  account: string;
  region: string;
  fnName: string;
  qualifier?: string;
  payload: Buffer;
  enqueuedMs: number;
  attempts: number;
}

const DEFAULT_MAX_AGE_S = 21_600;
const DEFAULT_RETRIES = 2;
const THROTTLE_RETRY_MS = 1_000;

export function enqueueAsync(host: ServiceHost, state: LambdaState, fnName: string, qualifier: string | undefined, payload: Buffer): string {
  const ev: QueuedEvent = {
    requestId: randomUUID(), account: state.account, region: state.region, fnName, payload, enqueuedMs: host.clock.nowMs(), attempts: 0,
  };
  if (qualifier !== undefined) ev.qualifier = qualifier;
  schedule(host, ev, 0);
  return ev.requestId;
}

/** Keeps the event in the state with its due time, and sets its timer. */
function schedule(host: ServiceHost, ev: QueuedEvent, delayMs: number): void {
  const stored: StoredAsyncEvent = {
    requestId: ev.requestId, fnName: ev.fnName, payload: ev.payload.toString('base64'), enqueuedMs: ev.enqueuedMs, attempts: ev.attempts,
    dueMs: host.clock.nowMs() + delayMs,
  };
  if (ev.qualifier !== undefined) stored.qualifier = ev.qualifier;
  lambdaState(host.stores, ev.account, ev.region).asyncEvents.set(ev.requestId, stored);
  wake(host, ev, delayMs);
}

function wake(host: ServiceHost, ev: QueuedEvent, delayMs: number): void {
  const run = (): void => {
    void attempt(host, ev).catch(() => undefined).then((next) => {
      try {
        if (next === undefined) lambdaState(host.stores, ev.account, ev.region).asyncEvents.delete(ev.requestId);
        else schedule(host, ev, next);
      } catch {
        // The app closed meanwhile: what is stored is attempted after the next start.
      }
    });
  };
  if (delayMs <= 0) setImmediate(run);
  else host.clock.setTimer(run, delayMs);
}

/** Sets the timers of the events a data directory kept (after a restart). */
export function resumeAsyncQueue(host: ServiceHost): void {
  for (const { account, region } of host.stores.accountsRegions('lambda')) {
    for (const s of lambdaState(host.stores, account, region).asyncEvents.values()) {
      const ev: QueuedEvent = {
        requestId: s.requestId, account, region, fnName: s.fnName, payload: Buffer.from(s.payload, 'base64'), enqueuedMs: s.enqueuedMs, attempts: s.attempts,
      };
      if (s.qualifier !== undefined) ev.qualifier = s.qualifier;
      wake(host, ev, s.dueMs - host.clock.nowMs());
    }
  }
}

function configFor(state: LambdaState, ev: QueuedEvent): EventInvokeConfig | undefined {
  const fn = state.functions.get(ev.fnName);
  return fn?.invokeConfigs[ev.qualifier ?? '$LATEST'];
}

/** One attempt; the delay before the next one, or undefined when the event is done with. */
async function attempt(host: ServiceHost, ev: QueuedEvent): Promise<number | undefined> {
  const state = lambdaState(host.stores, ev.account, ev.region);
  const fn = state.functions.get(ev.fnName);
  if (!fn) return; // deleted while queued: AWS drops the event
  const found = versionOf(fn, ev.qualifier);
  if (!found) return;
  const settings = configFor(state, ev);
  const maxAgeMs = (settings?.maxEventAgeSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
  const retries = settings?.maxRetries ?? DEFAULT_RETRIES;
  if (host.clock.nowMs() - ev.enqueuedMs > maxAgeMs) return finish(host, state, ev, undefined, 'EventAgeExceeded').then(() => undefined);
  const cfg = found.alias ? versionOf(fn, routeAlias(found.alias))!.cfg : found.cfg;
  let ran: Execution;
  try {
    ran = await execute(host, state, fn, cfg, ev.payload, { requestId: ev.requestId, ...(ev.qualifier ? { qualifier: ev.qualifier } : {}) });
  } catch (e) {
    // Throttles and start-up failures are retried by the queue until the event is too old.
    return e instanceof AwsError ? THROTTLE_RETRY_MS : undefined;
  }
  ev.attempts++;
  if (ran.functionError === undefined) return finish(host, state, ev, ran, 'Success').then(() => undefined);
  if (ev.attempts > retries) return finish(host, state, ev, ran, 'RetriesExhausted').then(() => undefined);
  const delayMs = ev.attempts === 1 ? 60_000 : 120_000;
  if (host.clock.nowMs() + delayMs - ev.enqueuedMs > maxAgeMs) return finish(host, state, ev, ran, 'EventAgeExceeded').then(() => undefined);
  return delayMs;
}

function parsed(b: Buffer): unknown {
  try { return JSON.parse(b.toString('utf8')); } catch { return b.toString('utf8'); }
}

/** The invocation record AWS sends to destinations. */
function record(state: LambdaState, ev: QueuedEvent, ran: Execution | undefined, condition: string, now: Date): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    version: '1.0',
    timestamp: now.toISOString(),
    requestContext: {
      requestId: ev.requestId, functionArn: functionArn(state.account, state.region, ev.fnName, ev.qualifier ?? '$LATEST'),
      condition, approximateInvokeCount: ev.attempts,
    },
    requestPayload: parsed(ev.payload),
  };
  if (ran) {
    rec['responseContext'] = { statusCode: 200, executedVersion: ran.version, ...(ran.functionError ? { functionError: ran.functionError } : {}) };
    rec['responsePayload'] = parsed(ran.payload);
  }
  return rec;
}

async function finish(host: ServiceHost, state: LambdaState, ev: QueuedEvent, ran: Execution | undefined, condition: string): Promise<void> {
  const fn = state.functions.get(ev.fnName);
  if (!fn) return;
  const settings = configFor(state, ev);
  const success = condition === 'Success';
  const destination = success ? settings?.onSuccess : settings?.onFailure;
  if (destination) {
    await sendTo(host, state, fn.name, fn.latest.role, destination, record(state, ev, ran, condition, host.clock.now()), success).catch(() => undefined);
    return;
  }
  const dlq = (versionOf(fn, ev.qualifier)?.cfg ?? fn.latest).deadLetterTarget;
  if (!success && dlq) {
    const error = ran ? (parsed(ran.payload) as { errorMessage?: string }).errorMessage ?? '' : condition;
    const deliver = host.ports.deliver.get(dlq.split(':')[2]!);
    await deliver?.(dlq, {
      body: ev.payload.toString('utf8'), servicePrincipal: 'lambda.amazonaws.com', sourceArn: functionArn(state.account, state.region, fn.name),
      attributes: {
        RequestID: { DataType: 'String', StringValue: ev.requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: error.slice(0, 1000) || condition },
      },
    }).catch(() => undefined);
  }
}

/** Sends an invocation record to a destination ARN. */
async function sendTo(
  host: ServiceHost, state: LambdaState, fnName: string, role: string, arn: string, rec: Record<string, unknown>, success: boolean,
): Promise<void> {
  const service = arn.split(':')[2];
  const body = JSON.stringify(rec);
  const source = functionArn(state.account, state.region, fnName);
  if (service === 'sqs' || service === 'sns') {
    await host.service(service);
    await host.ports.deliver.get(service)?.(arn, { body, servicePrincipal: 'lambda.amazonaws.com', sourceArn: source });
    return;
  }
  if (service === 'lambda') {
    const m = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:([^:]+)(?::(.+))?$/.exec(arn);
    if (!m) return;
    const target = lambdaState(host.stores, m[2]!, m[1]!);
    if (target.functions.has(m[3]!)) enqueueAsync(host, target, m[3]!, m[4], Buffer.from(body));
    return;
  }
  if (service === 'events') {
    const session = await roleSession(host, state.account, state.region, fnName, role);
    await host.call({
      service: 'events', operation: 'PutEvents', json: true, region: state.region, ...session,
      input: { Entries: [{ Source: 'lambda', DetailType: `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`, Detail: body, EventBusName: arn, Resources: [source] }] },
    });
  }
}
