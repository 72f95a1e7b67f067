/** Tags of HTTP APIs and their stages (`arn:aws:apigateway:<region>::/apis/<id>[/stages/<name>]`). */
import type { Handler, ServiceContext } from '../../types.js';
import { notFound } from '../errors.js';
import { save, state } from './common.js';

function tagged(ctx: ServiceContext, arn: unknown): { tags: Record<string, string>; set: (t: Record<string, string>) => void } {
  const m = /^arn:aws[\w-]*:apigateway:[^:]*::\/apis\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(String(arn));
  const api = m ? state(ctx).apis.get(m[1]!) : undefined;
  const target = m?.[2] ? api?.stages[m[2]] : api;
  if (!api || !target) throw notFound(`Invalid resource identifier specified ${String(arn)}`, 'Tags');
  return { tags: target.Tags ?? {}, set: (t) => { target.Tags = t; save(ctx, api); } };
}

export const tagResource: Handler = (input, ctx) => {
  const t = tagged(ctx, input['ResourceArn']);
  t.set({ ...t.tags, ...((input['Tags'] as Record<string, string> | undefined) ?? {}) });
  return {};
};

export const untagResource: Handler = (input, ctx) => {
  const t = tagged(ctx, input['ResourceArn']);
  const drop = new Set((input['TagKeys'] as string[] | undefined) ?? []);
  t.set(Object.fromEntries(Object.entries(t.tags).filter(([k]) => !drop.has(k))));
  return {};
};

export const getTags: Handler = (input, ctx) => ({ Tags: tagged(ctx, input['ResourceArn']).tags });
