/** Tags of state machines and activities (TagResource, UntagResource, ListTagsForResource). */
import { AwsError } from '../../core/errors.js';
import type { Handler, ServiceContext } from '../types.js';
import { validation } from './errors.js';
import { sfnState } from './store.js';
import { checkArn } from './validate.js';

const MAX_TAGS = 50;

export function tagsOf(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of (Array.isArray(list) ? list : []) as { key?: string; value?: string }[]) {
    const key = String(t.key ?? '');
    if (key.length < 1 || key.length > 128) throw validation([`Value '${key}' at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128`]);
    const value = String(t.value ?? '');
    if (value.length > 256) throw validation([`Value '${value}' at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`]);
    out[key] = value;
  }
  if (Object.keys(out).length > MAX_TAGS) throw tooMany(Object.keys(out).length);
  return out;
}

function tooMany(n: number): AwsError {
  return new AwsError('TooManyTags', `Too many tags: ${n}; the maximum is ${MAX_TAGS}`, 400, { fields: { resourceName: '' } });
}

export function tagList(tags: Record<string, string>): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** The tagged record (state machine or activity) an ARN names. */
function tagged(ctx: ServiceContext, arn: unknown): { tags: Record<string, string>; save: () => void } {
  const p = checkArn(arn, ['stateMachine', 'activity']);
  const state = sfnState(ctx.stores, p.account, p.region);
  const s = String(arn);
  if (p.kind === 'activity') {
    const rec = state.activities.get(s);
    if (!rec) throw new AwsError('ResourceNotFound', `Resource not found: '${s}'`, 400);
    return { tags: rec.tags, save: () => state.activities.set(s, rec) };
  }
  const rec = state.machines.get(s);
  if (!rec) throw new AwsError('ResourceNotFound', `Resource not found: '${s}'`, 400);
  return { tags: rec.tags, save: () => state.machines.set(s, rec) };
}

export const tagResource: Handler = (input, ctx) => {
  const t = tagged(ctx, input['resourceArn']);
  const add = tagsOf(input['tags']);
  const merged = { ...t.tags, ...add };
  if (Object.keys(merged).length > MAX_TAGS) throw tooMany(Object.keys(merged).length);
  Object.assign(t.tags, add);
  t.save();
  return {};
};

export const untagResource: Handler = (input, ctx) => {
  const t = tagged(ctx, input['resourceArn']);
  for (const k of (input['tagKeys'] as string[] | undefined) ?? []) delete t.tags[k];
  t.save();
  return {};
};

export const listTagsForResource: Handler = (input, ctx) => ({ tags: tagList(tagged(ctx, input['resourceArn']).tags) });

/** Tags of a state machine ARN for aws:ResourceTag conditions. */
export function machineTags(ctx: { stores: ServiceContext['stores'] }, arn: string): Record<string, string> | undefined {
  try {
    const p = checkArn(arn, ['stateMachine']);
    return sfnState(ctx.stores, p.account, p.region).machines.get(arn)?.tags;
  } catch {
    return undefined;
  }
}

