/** Topic tags: TagResource, UntagResource and ListTagsForResource, and the tags CreateTopic takes. */
import { AwsError } from '../../core/errors.js';
import type { Handler, ServiceContext } from '../types.js';
import { invalidParameter, invalidParameterRaw } from './errors.js';
import { checkArnShape, findTopic, saveTopic, type SnsState, type TopicRecord } from './store.js';

const MAX_TAGS = 50;

/** Tags from a TagList input (`[{ Key, Value }]`); duplicated keys are refused as AWS refuses them. */
export function readTags(v: unknown): Record<string, string> | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const t of v as Record<string, unknown>[]) {
    const key = typeof t?.['Key'] === 'string' ? t['Key'] : '';
    const value = typeof t?.['Value'] === 'string' ? t['Value'] : '';
    if (Object.hasOwn(out, key)) throw invalidParameterRaw('Invalid parameter: Duplicated keys are not allowed.');
    if (key.length < 1 || key.length > 128) throw invalidParameter('Tags', 'Tag keys must be between 1 and 128 characters long');
    if (value.length > 256) throw invalidParameter('Tags', 'Tag values must be at most 256 characters long');
    if (key.toLowerCase().startsWith('aws:')) throw invalidParameter('Tags', 'Tag keys must not start with aws:');
    out[key] = value;
  }
  return out;
}

/** Whether CreateTopic's tags differ from those of the topic that already exists. */
export function tagsConflict(existing: Record<string, string>, given: Record<string, string>): boolean {
  return Object.entries(given).some(([k, v]) => existing[k] !== v);
}

function resource(ctx: ServiceContext, arn: unknown): { state: SnsState; topic: TopicRecord } {
  const s = checkArnShape('ResourceArn', arn);
  const found = findTopic(ctx.stores, s);
  if (!found || found.topic.region !== ctx.region) throw new AwsError('ResourceNotFoundException', 'Resource does not exist', 404);
  return found;
}

/** TagResource: adds or overwrites tags, 50 at most per topic. */
export const tagResource: Handler = (input, ctx) => {
  const { state, topic } = resource(ctx, input['ResourceArn']);
  const tags = readTags(input['Tags']) ?? {};
  const next = { ...topic.tags, ...tags };
  if (Object.keys(next).length > MAX_TAGS) {
    throw new AwsError('TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded', 400);
  }
  topic.tags = next;
  saveTopic(state, topic);
  return {};
};

/** UntagResource: removes the named keys; unknown keys are ignored. */
export const untagResource: Handler = (input, ctx) => {
  const { state, topic } = resource(ctx, input['ResourceArn']);
  const keys = Array.isArray(input['TagKeys']) ? input['TagKeys'] as unknown[] : [];
  for (const k of keys) if (typeof k === 'string') delete topic.tags[k];
  saveTopic(state, topic);
  return {};
};

/** ListTagsForResource: the tags in the order they were added (an empty list when none). */
export const listTagsForResource: Handler = (input, ctx) => {
  const { topic } = resource(ctx, input['ResourceArn']);
  return { Tags: Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value })) };
};
