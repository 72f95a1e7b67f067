/** Tags on functions (not on versions or aliases, as on AWS). */
import type { ServiceContext } from '../types.js';
import { invalidParameter, validation } from './errors.js';
import { findFunction } from './resolve.js';

type In = Record<string, unknown>;

const RESOURCE_RE = /^arn:(aws[a-zA-Z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([^:]+))?$/;

/** Checks a tag set against Lambda's limits (50 tags, key ≤ 128, value ≤ 256, no `aws:`). */
export function checkTags(tags: Record<string, string>): Record<string, string> {
  if (Object.keys(tags).length > 50) throw invalidParameter('Number of tags exceeds resource tag limit.');
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128) throw validation(k, 'tags', 'Member must have length between 1 and 128');
    if (v.length > 256) throw validation(v, 'tags', 'Member must have length less than or equal to 256');
    if (k.toLowerCase().startsWith('aws:')) throw invalidParameter('Tag keys cannot start with the aws: prefix.');
  }
  return { ...tags };
}

function target(input: In, ctx: ServiceContext) {
  const arn = String(input['Resource'] ?? '');
  const m = RESOURCE_RE.exec(arn);
  if (!m) throw validation(arn, 'resource', 'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?');
  if (m[5] !== undefined) throw invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
  return findFunction(ctx.stores, { name: m[4]!, account: m[3]!, region: m[2]! });
}

export function tagResource(input: In, ctx: ServiceContext): In {
  const { state, fn } = target(input, ctx);
  fn.tags = checkTags({ ...fn.tags, ...(input['Tags'] as Record<string, string> | undefined ?? {}) });
  state.functions.set(fn.name, fn);
  return {};
}

export function untagResource(input: In, ctx: ServiceContext): In {
  const { state, fn } = target(input, ctx);
  for (const k of (input['TagKeys'] as string[] | undefined) ?? []) delete fn.tags[k];
  state.functions.set(fn.name, fn);
  return {};
}

export function listTags(input: In, ctx: ServiceContext): In {
  return { Tags: { ...target(input, ctx).fn.tags } };
}
