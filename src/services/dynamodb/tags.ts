/**
 * Tags on tables: TagResource, UntagResource, ListTagsOfResource (by table ARN), with AWS's
 * limits of 50 tags, 128-character keys and 256-character values.
 */
import type { Handler, ServiceContext } from '../types.js';
import { stateOf } from './context.js';
import { constraint, resourceNotFound, validation } from './errors.js';
import type { TableRecord } from './store.js';

const MAX_TAGS = 50;

interface Tag { Key: string; Value: string }

/** Tags as a map, checked against AWS's limits. */
export function checkTags(tags: Tag[] | undefined, existing: Record<string, string> = {}): Record<string, string> {
  const out = { ...existing };
  for (const [i, t] of (tags ?? []).entries()) {
    if (t.Key.length < 1) throw constraint(t.Key, `tags.${i + 1}.member.key`, 'have length greater than or equal to 1');
    if (t.Key.length > 128) throw constraint(t.Key, `tags.${i + 1}.member.key`, 'have length less than or equal to 128');
    if (t.Value.length > 256) throw constraint(t.Value, `tags.${i + 1}.member.value`, 'have length less than or equal to 256');
    if (t.Key.startsWith('aws:')) throw validation('One or more parameter values were invalid: Tag keys beginning with aws: are reserved');
    out[t.Key] = t.Value;
  }
  if (Object.keys(out).length > MAX_TAGS) throw validation('One or more parameter values were invalid: Too many tags');
  return out;
}

function tableByArn(ctx: ServiceContext, arn: unknown): TableRecord {
  const s = typeof arn === 'string' ? arn : '';
  const m = /^arn:aws[\w-]*:dynamodb:([^:]+):(\d{12}):table\/([^/]+)$/.exec(s);
  if (!m) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${s}`);
  const t = m[1] === ctx.region && m[2] === ctx.account ? stateOf(ctx).tables.get(m[3]!) : undefined;
  if (!t) throw resourceNotFound(`Requested resource not found: ResourcArn: ${s} not found`);
  return t;
}

export const tagResource: Handler = (input, ctx) => {
  const t = tableByArn(ctx, input['ResourceArn']);
  t.tags = checkTags(input['Tags'] as Tag[], t.tags);
  stateOf(ctx).tables.set(t.name, t);
  return {};
};

export const untagResource: Handler = (input, ctx) => {
  const t = tableByArn(ctx, input['ResourceArn']);
  for (const k of (input['TagKeys'] as string[]) ?? []) delete t.tags[k];
  stateOf(ctx).tables.set(t.name, t);
  return {};
};

export const listTagsOfResource: Handler = (input, ctx) => {
  const t = tableByArn(ctx, input['ResourceArn']);
  const tags = Object.entries(t.tags).map(([Key, Value]) => ({ Key, Value }));
  return { Tags: tags };
};
