/**
 * Direct Connect tags on connections, LAGs, virtual interfaces and gateways, by ARN. A VIF's
 * `drydock:on-prem-cidrs` tag is how Drydock learns the networks on-premises routers would
 * advertise over BGP, so changing it republishes the VIF's gateway.
 */
import { AwsError } from '../../core/errors.js';
import { parseArn } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { publishGateway } from './publish.js';
import { clientError, global, regional, type DxTag } from './store.js';

/** Reads a tag list, enforcing AWS's limits (50 tags, no duplicate keys, key length). */
export function readTags(v: unknown): DxTag[] {
  const list = Array.isArray(v) ? (v as { key?: string; value?: string }[]) : [];
  if (list.length > 50) throw new AwsError('TooManyTagsException', 'You have reached the limit on the number of tags that can be assigned.', 400);
  const keys = new Set<string>();
  return list.map((t) => {
    const key = t.key ?? '';
    if (key.length === 0 || key.length > 128) throw clientError('Tag keys must be between 1 and 128 characters');
    if (keys.has(key)) throw new AwsError('DuplicateTagKeysException', `A tag key was specified more than once: ${key}`, 400);
    keys.add(key);
    return { key, value: t.value };
  });
}

interface Tagged { tags: DxTag[] }

/** The resource an ARN names, with a way to store it back and the gateway to republish. */
function resourceOf(ctx: ServiceContext, resourceArn: unknown) {
  const p = typeof resourceArn === 'string' ? parseArn(resourceArn) : undefined;
  if (p === undefined || p.service !== 'directconnect' || p.account !== ctx.account) throw clientError(`Resource ${String(resourceArn)} does not exist`);
  const [type, id = ''] = p.resource.split('/');
  if (type === 'dx-gateway') {
    const g = global(ctx.stores, ctx.account);
    const gw = g.gateways.get(id);
    if (gw === undefined || gw.deleted) throw clientError(`Resource ${String(resourceArn)} does not exist`);
    return { record: gw as Tagged, save: () => g.gateways.set(id, gw), gateway: undefined };
  }
  const r = regional(ctx.stores, ctx.account, p.region || ctx.region);
  const table = type === 'dxcon' ? r.connections : type === 'dxlag' ? r.lags : type === 'dxvif' ? r.vifs : undefined;
  const rec = table?.get(id) as (Tagged & { deleted: boolean; directConnectGatewayId?: string }) | undefined;
  if (table === undefined || rec === undefined || rec.deleted) throw clientError(`Resource ${String(resourceArn)} does not exist`);
  return { record: rec, save: () => (table as { set(k: string, v: unknown): void }).set(id, rec), gateway: type === 'dxvif' ? rec.directConnectGatewayId : undefined };
}

export const tagResource: Handler = (input, ctx) => {
  const res = resourceOf(ctx, input['resourceArn']);
  const added = readTags(input['tags']);
  const merged = new Map(res.record.tags.map((t) => [t.key, t]));
  for (const t of added) merged.set(t.key, t);
  if (merged.size > 50) throw new AwsError('TooManyTagsException', 'You have reached the limit on the number of tags that can be assigned.', 400);
  res.record.tags = [...merged.values()];
  res.save();
  if (res.gateway) publishGateway(ctx, ctx.account, res.gateway);
  return {};
};

export const untagResource: Handler = (input, ctx) => {
  const res = resourceOf(ctx, input['resourceArn']);
  const keys = new Set(Array.isArray(input['tagKeys']) ? (input['tagKeys'] as string[]) : []);
  res.record.tags = res.record.tags.filter((t) => !keys.has(t.key));
  res.save();
  if (res.gateway) publishGateway(ctx, ctx.account, res.gateway);
  return {};
};

export const describeTags: Handler = (input, ctx) => {
  const arns = Array.isArray(input['resourceArns']) ? (input['resourceArns'] as string[]) : [];
  return { resourceTags: arns.map((a) => ({ resourceArn: a, tags: resourceOf(ctx, a).record.tags })) };
};
