/** Tags on REST APIs and stages (`arn:aws:apigateway:<region>::/restapis/<id>[/stages/<name>]`). */
import type { Handler, ServiceContext } from '../../types.js';
import { notFound } from '../errors.js';
import { state } from './rest-apis.js';

/** The tag map of the resource an ARN names, and how to write it back. */
function tagged(ctx: ServiceContext, arn: unknown): { tags: Record<string, string>; save: (t: Record<string, string>) => void } {
  const m = /^arn:aws[\w-]*:apigateway:[^:]*::\/(restapis|apikeys|usageplans)\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(String(arn));
  if (!m) throw notFound('Invalid resource identifier specified');
  const s = state(ctx);
  if (m[1] === 'apikeys' || m[1] === 'usageplans') {
    const coll = m[1] === 'apikeys' ? s.apiKeys : s.usagePlans;
    const rec = coll.get(m[2]!);
    if (!rec) throw notFound('Invalid resource identifier specified');
    return { tags: rec.tags ?? {}, save: (t) => { rec.tags = t; (coll as typeof s.apiKeys).set(m[2]!, rec as never); } };
  }
  const api = s.restApis.get(m[2]!);
  const target = m[3] ? api?.stages[m[3]] : api;
  if (!api || !target) throw notFound('Invalid resource identifier specified');
  return { tags: target.tags ?? {}, save: (t) => { target.tags = t; s.restApis.set(api.id, api); } };
}

export const tagResource: Handler = (input, ctx) => {
  const t = tagged(ctx, input['resourceArn']);
  t.save({ ...t.tags, ...((input['tags'] as Record<string, string> | undefined) ?? {}) });
  return {};
};

export const untagResource: Handler = (input, ctx) => {
  const t = tagged(ctx, input['resourceArn']);
  const drop = new Set((input['tagKeys'] as string[] | undefined) ?? []);
  t.save(Object.fromEntries(Object.entries(t.tags).filter(([k]) => !drop.has(k))));
  return {};
};

export const getTags: Handler = (input, ctx) => ({ tags: tagged(ctx, input['resourceArn']).tags });
