/** API keys: the values clients send in `x-api-key` (or an authorizer returns). */
import { randomBytes } from 'node:crypto';
import type { Handler, ServiceContext } from '../../types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { applyPatches } from '../patch.js';
import { clean, gatewayId, type ApiKeyRecord } from '../store.js';
import { page } from './paging.js';
import { state } from './rest-apis.js';

export function apiKeyView(k: ApiKeyRecord, withValue: boolean): Record<string, unknown> {
  return clean({
    id: k.id, value: withValue ? k.value : undefined, name: k.name, customerId: k.customerId, description: k.description, enabled: k.enabled,
    createdDate: new Date(k.createdDate), lastUpdatedDate: new Date(k.lastUpdatedDate), stageKeys: k.stageKeys, tags: k.tags,
  });
}

export function apiKeyOf(ctx: ServiceContext, id: unknown): ApiKeyRecord {
  const k = typeof id === 'string' ? state(ctx).apiKeys.get(id) : undefined;
  if (!k) throw notFound('Invalid API Key identifier specified');
  return k;
}

function checkName(name: unknown): void {
  if (typeof name === 'string' && name.length > 1024) throw badRequest('Invalid API Key name, can be at most 1024 characters.');
}

function stageKeysOf(ctx: ServiceContext, keys: unknown): string[] {
  return ((keys as { restApiId?: string; stageName?: string }[] | undefined) ?? []).map((sk) => {
    const api = state(ctx).restApis.get(sk.restApiId ?? '');
    if (!api || !api.stages[sk.stageName ?? '']) throw badRequest('Invalid stage key provided');
    return `${sk.restApiId}/${sk.stageName}`;
  });
}

export const createApiKey: Handler = (input, ctx) => {
  checkName(input['name']);
  const value = input['value'] as string | undefined;
  if (value !== undefined && value.length < 20) throw badRequest('API Key value should be at least 20 characters');
  if (value !== undefined && value.length > 128) throw badRequest('API Key value exceeds maximum size of 128 characters');
  const s = state(ctx);
  if (value !== undefined && [...s.apiKeys.values()].some((k) => k.value === value)) throw conflict('API Key already exists');
  const now = ctx.clock.nowMs();
  const k: ApiKeyRecord = clean({
    id: gatewayId(10), value: value ?? randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 40),
    name: input['name'] as string | undefined, customerId: input['customerId'] as string | undefined, description: input['description'] as string | undefined,
    enabled: input['enabled'] === true, createdDate: now, lastUpdatedDate: now, stageKeys: stageKeysOf(ctx, input['stageKeys']),
    tags: input['tags'] as Record<string, string> | undefined,
  });
  s.apiKeys.set(k.id, k);
  return apiKeyView(k, true);
};

export const getApiKey: Handler = (input, ctx) => apiKeyView(apiKeyOf(ctx, input['apiKey']), input['includeValue'] === true);

export const getApiKeys: Handler = (input, ctx) => {
  const q = input['nameQuery'] as string | undefined;
  const cid = input['customerId'] as string | undefined;
  const all = [...state(ctx).apiKeys.values()]
    .filter((k) => (q === undefined || (k.name ?? '').startsWith(q)) && (cid === undefined || k.customerId === cid))
    .sort((a, b) => a.createdDate - b.createdDate)
    .map((k) => apiKeyView(k, input['includeValues'] === true));
  return page(all, input);
};

export const deleteApiKey: Handler = (input, ctx) => {
  const k = apiKeyOf(ctx, input['apiKey']);
  const s = state(ctx);
  s.apiKeys.delete(k.id);
  for (const plan of s.usagePlans.values()) {
    if (plan.keys.includes(k.id)) s.usagePlans.set(plan.id, { ...plan, keys: plan.keys.filter((id) => id !== k.id) });
  }
  return {};
};

export const updateApiKey: Handler = (input, ctx) => {
  const k = apiKeyOf(ctx, input['apiKey']);
  applyPatches(input['patchOperations'], {
    fields: {
      '/description': (v) => {
        if ((v ?? '').length > 125000) throw badRequest('Invalid API Key description specified.');
        k.description = v;
      },
      '/enabled': (v) => { k.enabled = v === 'true'; },
      '/name': (v) => { checkName(v); k.name = v; },
      '/customerId': (v) => { k.customerId = v; },
    },
  });
  k.lastUpdatedDate = ctx.clock.nowMs();
  state(ctx).apiKeys.set(k.id, k);
  return apiKeyView(k, false);
};
