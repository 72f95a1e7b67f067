/** Deployments (frozen snapshots of an API) and the stages that serve them. */
import type { Handler, ServiceContext } from '../../types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { applyPatches, patchMap, unescapePointer } from '../patch.js';
import { clean, gatewayId, snapshotOf, type DeploymentRecord, type MethodSetting, type RestApiRecord, type StageRecord } from '../store.js';
import { apiOf, save } from './rest-apis.js';

/** What a method setting holds before anyone changes it (AWS fills all of it on first touch). */
const DEFAULT_SETTING: MethodSetting = {
  metricsEnabled: false, dataTraceEnabled: false, throttlingBurstLimit: 5000, throttlingRateLimit: 10000, cachingEnabled: false,
  cacheTtlInSeconds: 300, cacheDataEncrypted: false, requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

/** Method-setting leaves as patch paths name them, and the member each sets. */
const SETTING_PATHS: Record<string, [string, 'bool' | 'number' | 'string']> = {
  'metrics/enabled': ['metricsEnabled', 'bool'], 'logging/dataTrace': ['dataTraceEnabled', 'bool'], 'logging/loglevel': ['loggingLevel', 'string'],
  'throttling/burstLimit': ['throttlingBurstLimit', 'number'], 'throttling/rateLimit': ['throttlingRateLimit', 'number'],
  'caching/enabled': ['cachingEnabled', 'bool'], 'caching/ttlInSeconds': ['cacheTtlInSeconds', 'number'], 'caching/dataEncrypted': ['cacheDataEncrypted', 'bool'],
  'caching/requireAuthorizationForCacheControl': ['requireAuthorizationForCacheControl', 'bool'],
  'caching/unauthorizedCacheControlHeaderStrategy': ['unauthorizedCacheControlHeaderStrategy', 'string'],
};

const STAGE_PATHS = '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]';

export function stageView(s: StageRecord): Record<string, unknown> {
  return clean({
    ...s, createdDate: new Date(s.createdDate), lastUpdatedDate: new Date(s.lastUpdatedDate),
    variables: s.variables && Object.keys(s.variables).length ? s.variables : undefined,
  });
}

function deploymentView(d: DeploymentRecord): Record<string, unknown> {
  return clean({ id: d.id, description: d.description, createdDate: new Date(d.createdDate) });
}

function stageOf(api: RestApiRecord, name: unknown): StageRecord {
  const s = api.stages[String(name)];
  if (!s) throw notFound('Invalid Stage identifier specified');
  return s;
}

function hasMethods(api: RestApiRecord): boolean {
  return Object.values(api.resources).some((r) => r.resourceMethods && Object.keys(r.resourceMethods).length > 0);
}

function newStage(ctx: ServiceContext, input: Record<string, unknown>, name: string, deploymentId: string): StageRecord {
  const now = ctx.clock.nowMs();
  return clean({
    stageName: name, deploymentId, description: input['description'] as string | undefined,
    cacheClusterEnabled: input['cacheClusterEnabled'] === true, cacheClusterStatus: 'NOT_AVAILABLE',
    variables: input['variables'] as Record<string, string> | undefined, tracingEnabled: input['tracingEnabled'] === true,
    methodSettings: {}, tags: input['tags'] as Record<string, string> | undefined, createdDate: now, lastUpdatedDate: now,
  });
}

export const createDeployment: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  if (!hasMethods(api)) throw badRequest("The REST API doesn't contain any methods");
  const d: DeploymentRecord = { id: gatewayId(6), description: input['description'] as string | undefined, createdDate: ctx.clock.nowMs(), snapshot: snapshotOf(api) };
  api.deployments[d.id] = d;
  const stageName = input['stageName'] as string | undefined;
  if (stageName) {
    const existing = api.stages[stageName];
    if (existing) {
      existing.deploymentId = d.id;
      if (input['variables']) existing.variables = { ...(existing.variables ?? {}), ...(input['variables'] as Record<string, string>) };
      existing.lastUpdatedDate = ctx.clock.nowMs();
    } else {
      api.stages[stageName] = newStage(ctx, { ...input, description: input['stageDescription'] }, stageName, d.id);
    }
  }
  save(ctx, api);
  return deploymentView(d);
};

export const getDeployment: Handler = (input, ctx) => {
  const d = apiOf(ctx, input['restApiId']).deployments[String(input['deploymentId'])];
  if (!d) throw notFound('Invalid Deployment identifier specified');
  return deploymentView(d);
};

export const getDeployments: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  return { items: Object.values(api.deployments).sort((a, b) => a.createdDate - b.createdDate).map(deploymentView) };
};

export const deleteDeployment: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const id = String(input['deploymentId']);
  if (!api.deployments[id]) throw notFound('Invalid Deployment identifier specified');
  if (Object.values(api.stages).some((s) => s.deploymentId === id)) throw badRequest('Active stages pointing to this deployment must be moved or deleted');
  delete api.deployments[id];
  save(ctx, api);
  return {};
};

export const createStage: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const name = String(input['stageName']);
  const deploymentId = String(input['deploymentId']);
  if (!/^[a-zA-Z0-9_-]+$/.test(name)) throw badRequest('Stage name only allows a-zA-Z0-9_');
  if (!api.deployments[deploymentId]) throw badRequest('Deployment id does not exist');
  if (api.stages[name]) throw conflict('Stage already exists');
  const s = newStage(ctx, input, name, deploymentId);
  api.stages[name] = s;
  save(ctx, api);
  return stageView(s);
};

export const getStage: Handler = (input, ctx) => stageView(stageOf(apiOf(ctx, input['restApiId']), input['stageName']));

export const getStages: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const dep = input['deploymentId'] as string | undefined;
  return { item: Object.values(api.stages).filter((s) => dep === undefined || s.deploymentId === dep).map(stageView) };
};

export const deleteStage: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  stageOf(api, input['stageName']);
  delete api.stages[String(input['stageName'])];
  save(ctx, api);
  return {};
};

/** `/~1pets/GET/throttling/rateLimit` → key `~1pets/GET` and leaf `throttling/rateLimit`. */
function methodSettingPatch(s: StageRecord, path: string, value: string | undefined, op: string): boolean {
  const m = /^\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
  const leaf = m && SETTING_PATHS[m[3]!];
  if (!m || !leaf) return false;
  const key = `${m[1]}/${m[2]}`;
  if (op === 'remove') {
    if (!s.methodSettings[key]) throw badRequest(`Cannot remove method setting ${unescapePointer(key)} because there is no method setting for this method `);
    delete s.methodSettings[key];
    return true;
  }
  const [member, kind] = leaf;
  const setting = { ...DEFAULT_SETTING, ...(s.methodSettings[key] ?? {}) };
  setting[member] = kind === 'bool' ? value === 'true' : kind === 'number' ? Number(value) : value;
  s.methodSettings[key] = setting;
  return true;
}

export const updateStage: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const s = stageOf(api, input['stageName']);
  applyPatches(input['patchOperations'], {
    fields: {
      '/deploymentId': (v) => {
        if (!api.deployments[v ?? '']) throw badRequest('Deployment id does not exist');
        s.deploymentId = v!;
      },
      '/description': (v) => { s.description = v; },
      '/tracingEnabled': (v) => { s.tracingEnabled = v === 'true'; },
      '/cacheClusterEnabled': (v) => { s.cacheClusterEnabled = v === 'true'; },
    },
    maps: { '/variables': (k, v, op) => { s.variables = patchMap(s.variables, k, v!, op); } },
    other: (o) => {
      if (methodSettingPatch(s, o.path!, o.value, o.op ?? 'replace')) return true;
      throw badRequest(`Invalid method setting path: ${o.path}. Must be one of: ${STAGE_PATHS}`);
    },
  });
  s.lastUpdatedDate = ctx.clock.nowMs();
  save(ctx, api);
  return stageView(s);
};

export const updateDeployment: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const d = api.deployments[String(input['deploymentId'])];
  if (!d) throw notFound('Invalid Deployment identifier specified');
  applyPatches(input['patchOperations'], { fields: { '/description': (v) => { d.description = v; } } });
  save(ctx, api);
  return deploymentView(d);
};
