/**
 * ReceiveMessage, with long polling: a receive that finds nothing waits up to WaitTimeSeconds
 * of clock time and is released as soon as a send, a visibility change or the end of a delay
 * makes a message available to it.
 */
import type { Handler, ServiceContext } from '../types.js';
import { kmsForReceive } from './kms.js';
import { takeMessages, wireMessage, type Taken } from './delivery.js';
import { numAttr, requireQueue, type QueueRef } from './store.js';
import { checkRange, optInt, stringList } from './validate.js';

/** ReceiveMessage: up to MaxNumberOfMessages, waiting up to WaitTimeSeconds when there are none. */
export const receiveMessage: Handler = (input, ctx) => {
  const ref = requireQueue(ctx, input['QueueUrl']);
  if (ref.queue.attributes['KmsMasterKeyId']) return kmsForReceive(ctx, ref).then(() => receive(ref, input, ctx));
  return receive(ref, input, ctx);
};

function receive(ref: QueueRef, input: Record<string, unknown>, ctx: ServiceContext): Record<string, unknown> | Promise<Record<string, unknown>> {
  const max = optInt(input, 'MaxNumberOfMessages') ?? 1;
  checkRange('MaxNumberOfMessages', max, 1, 10, 'Must be between 1 and 10, if provided.');
  const visibility = optInt(input, 'VisibilityTimeout');
  checkRange('VisibilityTimeout', visibility, 0, 43_200, 'Must be >= 0 and <= 43200, if provided.');
  const waitGiven = optInt(input, 'WaitTimeSeconds');
  checkRange('WaitTimeSeconds', waitGiven, 0, 20, 'Must be >= 0 and <= 20, if provided.');
  const wait = waitGiven ?? numAttr(ref.queue, 'ReceiveMessageWaitTimeSeconds');
  const visibilityMs = (visibility ?? numAttr(ref.queue, 'VisibilityTimeout')) * 1000;
  // MessageSystemAttributeNames supersedes the deprecated AttributeNames.
  const systemNames = stringList(input, 'MessageSystemAttributeNames');
  const sysNames = systemNames.length ? systemNames : stringList(input, 'AttributeNames');
  const attrNames = stringList(input, 'MessageAttributeNames');
  const answer = (taken: Taken[]): Record<string, unknown> =>
    taken.length ? { Messages: taken.map((t) => wireMessage(t, sysNames, attrNames)) } : {};

  const first = takeMessages(ref, max, visibilityMs, ctx.stores, ctx.clock.nowMs());
  if (first.length > 0 || wait === 0) return answer(first);

  const rt = ref.rt;
  const clock = ctx.clock;
  rt.clock = clock;
  return new Promise((resolve) => {
    let done = false;
    const finish = (taken: Taken[]): void => {
      if (done) return;
      done = true;
      rt.waiters.delete(waiter);
      clock.clearTimer(timer);
      rt.rearm();
      resolve(answer(taken));
    };
    const waiter = {
      attempt: (): boolean => {
        if (done) return true;
        if (rt.deleted) { finish([]); return true; }
        const taken = takeMessages(ref, max, visibilityMs, ctx.stores, clock.nowMs());
        if (taken.length === 0) return false;
        finish(taken);
        return true;
      },
    };
    const timer = clock.setTimer(() => finish([]), wait * 1000);
    rt.waiters.add(waiter);
    rt.rearm();
  });
};
