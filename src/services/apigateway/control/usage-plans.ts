/** Usage plans, their API stages and keys, and GetUsage/UpdateUsage on the per-day counters. */
import type { Handler, ServiceContext } from '../../types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { dayKey, quotaLimit, usedInPeriod } from '../limits.js';
import { applyPatches, patchNumber } from '../patch.js';
import { clean, gatewayId, type ThrottleSettings, type UsagePlanRecord } from '../store.js';
import { apiKeyOf } from './api-keys.js';
import { page } from './paging.js';
import { state } from './rest-apis.js';

const PERIODS = ['DAY', 'WEEK', 'MONTH'];

function planView(p: UsagePlanRecord): Record<string, unknown> {
  return clean({ id: p.id, name: p.name, description: p.description, apiStages: p.apiStages, throttle: p.throttle, quota: p.quota, tags: p.tags });
}

function planOf(ctx: ServiceContext, id: unknown): UsagePlanRecord {
  const p = typeof id === 'string' ? state(ctx).usagePlans.get(id) : undefined;
  if (!p) throw notFound('Invalid Usage Plan ID specified');
  return p;
}

function checkApiStage(ctx: ServiceContext, planId: string, apiId: string | undefined, stage: string | undefined): void {
  if (!apiId || !stage) throw badRequest('Invalid API Stage specified');
  const api = state(ctx).restApis.get(apiId);
  if (!api?.stages[stage]) throw notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${planId}`);
}

function checkQuota(q: UsagePlanRecord['quota']): void {
  if (!q) return;
  if (!PERIODS.includes(q.period)) throw badRequest('Invalid quota period specified. Valid options are DAY,WEEK,MONTH');
  if (!(q.limit >= 0)) throw badRequest('Quota limit should be a non-negative integer value.');
}

function throttleOf(t: unknown): ThrottleSettings | undefined {
  if (!t) return undefined;
  const { burstLimit, rateLimit } = t as ThrottleSettings;
  if ((rateLimit ?? 0) < 0 || (burstLimit ?? 0) < 0) throw badRequest('Throttle limits must be non-negative');
  return clean({ burstLimit, rateLimit });
}

export const createUsagePlan: Handler = (input, ctx) => {
  const id = gatewayId(6);
  const stages = ((input['apiStages'] as UsagePlanRecord['apiStages'] | undefined) ?? []);
  for (const s of stages) checkApiStage(ctx, id, s.apiId, s.stage);
  const quota = input['quota'] as UsagePlanRecord['quota'];
  checkQuota(quota);
  const p: UsagePlanRecord = clean({
    id, name: String(input['name']), description: input['description'] as string | undefined, apiStages: stages,
    throttle: throttleOf(input['throttle']), quota: quota && clean({ limit: quota.limit, offset: quota.offset ?? 0, period: quota.period }),
    tags: input['tags'] as Record<string, string> | undefined, keys: [], createdMs: ctx.clock.nowMs(),
  });
  state(ctx).usagePlans.set(p.id, p);
  return planView(p);
};

export const getUsagePlan: Handler = (input, ctx) => planView(planOf(ctx, input['usagePlanId']));

export const getUsagePlans: Handler = (input, ctx) => {
  const keyId = input['keyId'] as string | undefined;
  const all = [...state(ctx).usagePlans.values()].filter((p) => keyId === undefined || p.keys.includes(keyId)).map(planView);
  return page(all, input);
};

export const deleteUsagePlan: Handler = (input, ctx) => {
  const p = planOf(ctx, input['usagePlanId']);
  state(ctx).usagePlans.delete(p.id);
  return {};
};

export const updateUsagePlan: Handler = (input, ctx) => {
  const p = planOf(ctx, input['usagePlanId']);
  const throttle = (): ThrottleSettings => (p.throttle ??= {});
  const quota = (): NonNullable<UsagePlanRecord['quota']> => (p.quota ??= { limit: 0, offset: 0, period: 'DAY' });
  applyPatches(input['patchOperations'], {
    fields: {
      '/name': (v) => { p.name = v ?? p.name; },
      '/description': (v) => { p.description = v; },
      '/throttle/rateLimit': (v) => { throttle().rateLimit = patchNumber(v, 'Invalid rate limit'); },
      '/throttle/burstLimit': (v) => { throttle().burstLimit = patchNumber(v, 'Invalid burst limit'); },
      '/quota/limit': (v) => { quota().limit = patchNumber(v, 'Invalid quota limit'); },
      '/quota/offset': (v) => { quota().offset = patchNumber(v, 'Invalid quota offset'); },
      '/quota/period': (v) => { quota().period = v ?? ''; checkQuota(p.quota); },
    },
    fieldOps: ['remove'],
    other: (o) => {
      if (o.path === '/apiStages' && (o.op === 'add' || o.op === 'remove')) {
        const [apiId, stage] = (o.value ?? '').split(':');
        if (o.op === 'add') {
          checkApiStage(ctx, p.id, apiId, stage);
          p.apiStages.push({ apiId: apiId!, stage: stage! });
        } else {
          p.apiStages = p.apiStages.filter((s) => !(s.apiId === apiId && s.stage === stage));
        }
        return true;
      }
      // Per-method throttles: /apiStages/<api>:<stage>/throttle/<resourcePath>/<METHOD>/rateLimit.
      const m = /^\/apiStages\/([^:]+):([^/]+)\/throttle\/(.+)\/([A-Z*]+)\/(rateLimit|burstLimit)$/.exec(o.path ?? '');
      const st = m && p.apiStages.find((s) => s.apiId === m[1] && s.stage === m[2]);
      if (!m || !st) return false;
      const key = `${m[3]!.replace(/~1/g, '/')}/${m[4]}`;
      st.throttle ??= {};
      st.throttle[key] = { ...(st.throttle[key] ?? {}), [m[5]!]: patchNumber(o.value, 'Invalid throttle value') };
      return true;
    },
  });
  state(ctx).usagePlans.set(p.id, p);
  return planView(p);
};

function planKeyView(ctx: ServiceContext, keyId: string): Record<string, unknown> {
  const k = apiKeyOf(ctx, keyId);
  return clean({ id: k.id, type: 'API_KEY', value: k.value, name: k.name });
}

export const createUsagePlanKey: Handler = (input, ctx) => {
  const p = planOf(ctx, input['usagePlanId']);
  if (input['keyType'] !== 'API_KEY') throw badRequest('Invalid key type specified. Valid options are API_KEY');
  const k = apiKeyOf(ctx, input['keyId']);
  for (const other of state(ctx).usagePlans.values()) {
    if (!other.keys.includes(k.id)) continue;
    if (other.id === p.id) throw conflict('Usage Plan Key already exists');
    const shared = other.apiStages.find((s) => p.apiStages.some((t) => t.apiId === s.apiId && t.stage === s.stage));
    if (shared) {
      throw conflict(`Usage Plan ${p.id} cannot be added because API Key ${k.id} cannot reference multiple Usage Plans with the same API Stage: ${shared.apiId}:${shared.stage}`);
    }
  }
  p.keys.push(k.id);
  state(ctx).usagePlans.set(p.id, p);
  return planKeyView(ctx, k.id);
};

function planKeyOf(ctx: ServiceContext, p: UsagePlanRecord, keyId: unknown): string {
  const id = String(keyId);
  if (!p.keys.includes(id)) throw notFound('Invalid Usage Plan Key identifier specified');
  return id;
}

export const getUsagePlanKey: Handler = (input, ctx) => planKeyView(ctx, planKeyOf(ctx, planOf(ctx, input['usagePlanId']), input['keyId']));

export const getUsagePlanKeys: Handler = (input, ctx) => {
  const p = planOf(ctx, input['usagePlanId']);
  const q = input['nameQuery'] as string | undefined;
  const all = p.keys.map((id) => planKeyView(ctx, id)).filter((k) => q === undefined || String(k['name'] ?? '').startsWith(q));
  return page(all, input);
};

export const deleteUsagePlanKey: Handler = (input, ctx) => {
  const p = planOf(ctx, input['usagePlanId']);
  const id = planKeyOf(ctx, p, input['keyId']);
  p.keys = p.keys.filter((k) => k !== id);
  state(ctx).usagePlans.set(p.id, p);
  return {};
};

function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < 100; t += 86_400_000) out.push(dayKey(t));
  return out;
}

/** Per key, per day from startDate to endDate: [used that day, remaining in the period after that day]. */
export const getUsage: Handler = (input, ctx) => {
  const p = planOf(ctx, input['usagePlanId']);
  const start = String(input['startDate']);
  const end = String(input['endDate']);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end) || end < start) throw badRequest('Invalid date range specified');
  const keyFilter = input['keyId'] as string | undefined;
  const items: Record<string, number[][]> = {};
  for (const keyId of p.keys) {
    if (keyFilter !== undefined && keyId !== keyFilter) continue;
    const days = state(ctx).usage.get(`${p.id}/${keyId}`) ?? {};
    items[keyId] = dates(start, end).map((d) => {
      const used = days[d] ?? 0;
      const ms = Date.parse(`${d}T00:00:00Z`);
      const remaining = p.quota ? Math.max(0, quotaLimit(p.quota, p.createdMs, ms) - usedInPeriod(days, ms, p.quota.period)) : 0;
      return [used, remaining];
    });
  }
  return { usagePlanId: p.id, startDate: start, endDate: end, items };
};
