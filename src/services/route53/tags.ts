/** Tags on hosted zones and health checks (ChangeTagsForResource, ListTagsForResource(s)). */
import { AwsError } from '../../core/errors.js';
import type { Handler, ServiceContext } from '../types.js';
import { invalidInput, noSuchHealthCheck, noSuchHostedZone } from './errors.js';
import { saveZone, stateOf } from './store.js';

function tagged(ctx: ServiceContext, type: string, id: string): { tags: Record<string, string>; save(): void } {
  const state = stateOf(ctx.stores, ctx.account);
  if (type === 'hostedzone') {
    const z = state.zones.get(id);
    if (!z) throw noSuchHostedZone(id);
    return { tags: z.tags, save: () => saveZone(state, z) };
  }
  if (type === 'healthcheck') {
    const h = state.healthChecks.get(id);
    if (!h) throw noSuchHealthCheck(id);
    return { tags: h.tags, save: () => state.healthChecks.set(h.Id, h) };
  }
  throw invalidInput(`Invalid request: ResourceType '${type}' is not valid (expected healthcheck or hostedzone).`);
}

export const changeTags: Handler = (input, ctx) => {
  const t = tagged(ctx, String(input['ResourceType']), String(input['ResourceId']));
  const add = (input['AddTags'] as { Key: string; Value?: string }[] | undefined) ?? [];
  const remove = (input['RemoveTagKeys'] as string[] | undefined) ?? [];
  if (add.length > 10) throw invalidInput('1 validation error detected: Value at \'addTags\' failed to satisfy constraint: Member must have length less than or equal to 10');
  for (const { Key, Value } of add) t.tags[Key] = Value ?? '';
  for (const k of remove) delete t.tags[k];
  if (Object.keys(t.tags).length > 50) throw new AwsError('InvalidInput', 'Invalid request: A resource can have at most 50 tags.', 400);
  t.save();
  return {};
};

const tagSet = (type: string, id: string, tags: Record<string, string>) => ({
  ResourceType: type, ResourceId: id, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});

export const listTags: Handler = (input, ctx) => {
  const type = String(input['ResourceType']);
  const id = String(input['ResourceId']);
  return { ResourceTagSet: tagSet(type, id, tagged(ctx, type, id).tags) };
};

export const listTagsMany: Handler = (input, ctx) => {
  const type = String(input['ResourceType']);
  return { ResourceTagSets: ((input['ResourceIds'] as string[]) ?? []).map((id) => tagSet(type, id, tagged(ctx, type, id).tags)) };
};
