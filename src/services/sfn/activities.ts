/**
 * Activities: a Task whose Resource is an activity ARN waits for a worker to take it with
 * GetActivityTask and to answer with SendTaskSuccess / SendTaskFailure. GetActivityTask
 * long-polls for up to 60 seconds of clock time, as AWS does.
 */
import { StatesError, type Json } from '../../engines/states/json.js';
import type { TaskRequest } from '../../engines/states/types.js';
import type { Handler } from '../types.js';
import { AwsError } from '../../core/errors.js';
import type { SfnRuntime } from './runtime.js';
import { runtimeOf } from './runtime.js';
import { sfnState, type ActivityRecord } from './store.js';
import { checkArn, checkName, page } from './validate.js';
import type { Where } from './integrations.js';
import { tagsOf } from './tags.js';

export function activityTask(rt: SfnRuntime, w: Where, req: TaskRequest): Promise<Json> {
  const arn = req.resource.arn;
  const p = checkArn(arn, ['activity']);
  if (!sfnState(rt.host.stores, p.account, p.region).activities.has(arn)) {
    return Promise.reject(new StatesError('States.Runtime', `The activity ${arn} does not exist.`, { contextual: true }));
  }
  return new Promise<Json>((resolve, reject) => {
    const token = req.token!;
    rt.tokens.set(token, {
      account: w.account, region: w.region, executionArn: w.execution.arn, resolve, reject, heartbeat: req.heartbeat,
      activityArn: arn, input: JSON.stringify(req.input), started: req.started,
    });
    req.cancel.onCancel(() => rt.tokens.delete(token));
    const pollers = rt.activityPollers.get(arn);
    const poller = pollers?.shift();
    if (poller) poller(token);
    else rt.activityQueue.set(arn, [...(rt.activityQueue.get(arn) ?? []), token]);
  });
}

function activityArn(ctx: { region: string; account: string }, name: string): string {
  return `arn:aws:states:${ctx.region}:${ctx.account}:activity:${name}`;
}

export const createActivity: Handler = (input, ctx) => {
  const name = checkName(input['name']);
  const state = sfnState(ctx.stores, ctx.account, ctx.region);
  const arn = activityArn(ctx, name);
  const existing = state.activities.get(arn);
  if (existing) return { activityArn: arn, creationDate: new Date(existing.creationDate) };
  const rec: ActivityRecord = { arn, name, creationDate: ctx.clock.nowMs(), tags: tagsOf(input['tags']) };
  state.activities.set(arn, rec);
  return { activityArn: arn, creationDate: new Date(rec.creationDate) };
};

function findActivity(ctx: Parameters<Handler>[1], arn: unknown): ActivityRecord {
  const p = checkArn(arn, ['activity']);
  const rec = sfnState(ctx.stores, p.account, p.region).activities.get(String(arn));
  if (!rec) throw new AwsError('ActivityDoesNotExist', `Activity Does Not Exist: '${String(arn)}'`, 400);
  return rec;
}

export const describeActivity: Handler = (input, ctx) => {
  const rec = findActivity(ctx, input['activityArn']);
  return { activityArn: rec.arn, name: rec.name, creationDate: new Date(rec.creationDate) };
};

export const deleteActivity: Handler = (input, ctx) => {
  const p = checkArn(input['activityArn'], ['activity']);
  sfnState(ctx.stores, p.account, p.region).activities.delete(String(input['activityArn']));
  return {};
};

export const listActivities: Handler = (input, ctx) => {
  const all = [...sfnState(ctx.stores, ctx.account, ctx.region).activities.values()].sort((a, b) => a.name.localeCompare(b.name));
  const { items, nextToken } = page(all, input);
  return { activities: items.map((a) => ({ activityArn: a.arn, name: a.name, creationDate: new Date(a.creationDate) })), ...(nextToken ? { nextToken } : {}) };
};

export const getActivityTask: Handler = async (input, ctx) => {
  const rec = findActivity(ctx, input['activityArn']);
  const rt = runtimeOf(ctx.stores);
  const hand = (token: string | undefined): Record<string, unknown> => {
    const w = token ? rt.tokens.get(token) : undefined;
    if (!token || !w) return {};
    w.started?.(String(input['workerName'] ?? ''));
    return { taskToken: token, input: w.input };
  };
  const queued = rt.activityQueue.get(rec.arn);
  const token = queued?.shift();
  if (token) return hand(token);
  return new Promise((resolve) => {
    let timer: ReturnType<typeof ctx.clock.setTimer> | undefined;
    const poller = (t: string | undefined): void => { if (timer !== undefined) ctx.clock.clearTimer(timer); resolve(hand(t)); };
    rt.activityPollers.set(rec.arn, [...(rt.activityPollers.get(rec.arn) ?? []), poller]);
    timer = ctx.clock.setTimer(() => {
      rt.activityPollers.set(rec.arn, (rt.activityPollers.get(rec.arn) ?? []).filter((p) => p !== poller));
      resolve({});
    }, 60_000);
  });
};

