/**
 * DLQ redrive: StartMessageMoveTask moves the visible messages of a dead-letter queue to a
 * destination (or back to the queues they came from), at MaxNumberOfMessagesPerSecond on the
 * clock when given; ListMessageMoveTasks and CancelMessageMoveTask follow it.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerId } from '../../core/clock.js';
import { parseArn } from '../../core/ids.js';
import type { Stores } from '../../core/store.js';
import type { Handler } from '../types.js';
import { invalidParameter, invalidValue, resourceNotFound } from './errors.js';
import { sourceQueuesOf } from './queues.js';
import {
  dropMessage, enqueue, queueByArn, sqsState, sweepExpired, type MessageRecord, type MoveTaskRecord, type SqsState,
} from './store.js';
import { optInt, optString } from './validate.js';

/** Timers of running rate-limited tasks, per state; not persisted (a restart stops them). */
const timers = new WeakMap<SqsState, Map<string, TimerId>>();

function timersOf(state: SqsState): Map<string, TimerId> {
  let t = timers.get(state);
  if (!t) timers.set(state, (t = new Map()));
  return t;
}

function sourceRef(stores: Stores, arn: string): ReturnType<typeof queueByArn> {
  if (!parseArn(arn)) {
    throw invalidParameter('You must use this format to specify the SourceArn: arn:<partition>:<service>:<region>:<account-id>:<resource-id>');
  }
  return queueByArn(stores, arn);
}

/** Moves up to `limit` visible messages; returns false when the task has ended. */
function step(stores: Stores, state: SqsState, task: MoveTaskRecord, limit: number, now: number): boolean {
  const src = queueByArn(stores, task.sourceArn);
  const fail = (reason: string): boolean => {
    task.status = 'FAILED';
    task.failureReason = reason;
    return false;
  };
  if (!src) return fail('AWS.SimpleQueueService.NonExistentQueue');
  sweepExpired(src, now);
  let n = 0;
  for (const m of [...src.rt.messages.values()]) {
    if (n >= limit) break;
    if (m.visibleAtMs > now) continue;
    const destArn = task.destinationArn ?? m.dlqSourceArn;
    const dest = destArn ? queueByArn(stores, destArn) : undefined;
    if (!dest) return fail('AWS.SimpleQueueService.NonExistentQueue');
    dropMessage(src, m);
    // A redriven message starts over: no receives, no DLQ source.
    const moved: MessageRecord = {
      id: m.id, seq: 0, body: m.body, md5Body: m.md5Body, senderId: m.senderId, sentMs: m.sentMs,
      retainFromMs: dest.queue.fifo ? now : m.retainFromMs, visibleAtMs: now, receiveCount: 0,
    };
    if (m.attrs) moved.attrs = m.attrs;
    if (m.sysAttrs) moved.sysAttrs = m.sysAttrs;
    if (m.groupId !== undefined) moved.groupId = m.groupId;
    if (m.dedupId !== undefined) moved.dedupId = m.dedupId;
    enqueue(dest, moved);
    n++;
    task.moved++;
  }
  const left = [...src.rt.messages.values()].some((m) => m.visibleAtMs <= now);
  if (!left) task.status = 'COMPLETED';
  return left;
}

function save(state: SqsState, task: MoveTaskRecord): void {
  state.tasks.set(task.taskId, task);
}

/** StartMessageMoveTask: at once without a rate, else `rate` messages per clock second. */
export const startMessageMoveTask: Handler = (input, ctx) => {
  const sourceArn = optString(input, 'SourceArn') ?? '';
  const src = sourceRef(ctx.stores, sourceArn);
  if (!src) throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
  if (sourceQueuesOf(src.state, sourceArn).length === 0) throw invalidParameter('Source queue must be configured as a Dead Letter Queue.');
  const destinationArn = optString(input, 'DestinationArn') || undefined;
  if (destinationArn && !queueByArn(ctx.stores, destinationArn)) {
    throw resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.");
  }
  const rate = optInt(input, 'MaxNumberOfMessagesPerSecond');
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 500)) {
    throw invalidValue('MaxNumberOfMessagesPerSecond', rate, 'Must be between 1 and 500.');
  }
  const state = src.state;
  if ([...state.tasks.values()].some((t) => t.sourceArn === sourceArn && (t.status === 'RUNNING' || t.status === 'CANCELLING'))) {
    throw invalidParameter('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
  }
  const now = ctx.clock.nowMs();
  sweepExpired(src, now);
  const task: MoveTaskRecord = {
    taskId: randomUUID(), sourceArn, status: 'RUNNING', startedMs: now, moved: 0,
    toMove: src.rt.counts(now).visible,
  };
  if (destinationArn) task.destinationArn = destinationArn;
  if (rate !== undefined) task.maxPerSecond = rate;
  if (rate === undefined) {
    step(ctx.stores, state, task, Infinity, now);
  } else if (step(ctx.stores, state, task, rate, now)) {
    schedule(ctx.clock, ctx.stores, state, task);
  }
  save(state, task);
  return { TaskHandle: Buffer.from(JSON.stringify({ taskId: task.taskId, sourceArn })).toString('base64') };
};

function schedule(clock: Clock, stores: Stores, state: SqsState, task: MoveTaskRecord): void {
  const id = clock.setRepeating(() => {
    const more = task.status === 'RUNNING' && step(stores, state, task, task.maxPerSecond ?? Infinity, clock.nowMs());
    save(state, task);
    if (!more) {
      clock.clearTimer(id);
      timersOf(state).delete(task.taskId);
    }
  }, 1000);
  timersOf(state).set(task.taskId, id);
}

/** CancelMessageMoveTask: stops a running task; what it moved stays moved. */
export const cancelMessageMoveTask: Handler = (input, ctx) => {
  let handle: { taskId?: unknown; sourceArn?: unknown };
  try {
    handle = JSON.parse(Buffer.from(optString(input, 'TaskHandle') ?? '', 'base64').toString('utf8')) as typeof handle;
  } catch { handle = {}; }
  if (typeof handle.taskId !== 'string' || typeof handle.sourceArn !== 'string') {
    throw invalidParameter('Value for parameter TaskHandle is invalid.');
  }
  const src = queueByArn(ctx.stores, handle.sourceArn);
  if (!src) throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
  const task = src.state.tasks.get(handle.taskId);
  if (!task) throw resourceNotFound('Task does not exist.');
  if (task.status !== 'RUNNING') throw invalidParameter(`Only tasks with status RUNNING can be cancelled. This task is ${task.status}.`);
  const timer = timersOf(src.state).get(task.taskId);
  if (timer !== undefined) ctx.clock.clearTimer(timer);
  timersOf(src.state).delete(task.taskId);
  task.status = 'CANCELLED';
  save(src.state, task);
  return { ApproximateNumberOfMessagesMoved: task.moved };
};

/** ListMessageMoveTasks: a source queue's tasks, newest first. */
export const listMessageMoveTasks: Handler = (input, ctx) => {
  const sourceArn = optString(input, 'SourceArn') ?? '';
  const src = sourceRef(ctx.stores, sourceArn);
  if (!src) throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
  const max = optInt(input, 'MaxResults') ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 10) throw invalidValue('MaxResults', max, "You must enter a number that's between 1 and 10.");
  const state = sqsState(ctx.stores, src.queue.account, src.queue.region);
  const tasks = [...state.tasks.values()].filter((t) => t.sourceArn === sourceArn).sort((a, b) => b.startedMs - a.startedMs);
  return {
    Results: tasks.slice(0, max).map((t) => {
      const e: Record<string, unknown> = {
        Status: t.status, SourceArn: t.sourceArn,
        ApproximateNumberOfMessagesMoved: t.moved, ApproximateNumberOfMessagesToMove: t.toMove, StartedTimestamp: t.startedMs,
      };
      if (t.status === 'RUNNING') e['TaskHandle'] = Buffer.from(JSON.stringify({ taskId: t.taskId, sourceArn: t.sourceArn })).toString('base64');
      if (t.destinationArn) e['DestinationArn'] = t.destinationArn;
      if (t.maxPerSecond !== undefined) e['MaxNumberOfMessagesPerSecond'] = t.maxPerSecond;
      if (t.failureReason) e['FailureReason'] = t.failureReason;
      return e;
    }),
  };
};
