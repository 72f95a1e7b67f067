/** RestApi operations: create (with its root resource), get, list, update, delete. */
import type { Handler, ServiceContext } from '../../types.js';
import { badRequest } from '../errors.js';
import { applyPatches } from '../patch.js';
import { apigatewayState, clean, gatewayId, restApiOf, type RestApiRecord } from '../store.js';
import { page } from './paging.js';

const ENDPOINT_TYPES = ['REGIONAL', 'EDGE', 'PRIVATE'];

export function state(ctx: ServiceContext): ReturnType<typeof apigatewayState> {
  return apigatewayState(ctx.stores, ctx.account, ctx.region);
}

export function apiOf(ctx: ServiceContext, id: unknown): RestApiRecord {
  return restApiOf(state(ctx), ctx.account, id);
}

/** Writes a changed API back (collections persist on `set`). */
export function save(ctx: ServiceContext, api: RestApiRecord): void {
  state(ctx).restApis.set(api.id, api);
}

export function restApiView(api: RestApiRecord): Record<string, unknown> {
  return clean({
    id: api.id, name: api.name, description: api.description, createdDate: new Date(api.createdDate), version: api.version,
    binaryMediaTypes: api.binaryMediaTypes.length ? api.binaryMediaTypes : undefined, minimumCompressionSize: api.minimumCompressionSize,
    apiKeySource: api.apiKeySource, endpointConfiguration: api.endpointConfiguration, policy: api.policy, tags: api.tags,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint, rootResourceId: api.rootResourceId,
  });
}

function endpointConfiguration(input: unknown): RestApiRecord['endpointConfiguration'] {
  const cfg = (input ?? {}) as { types?: string[]; ipAddressType?: string };
  const types = cfg.types?.length ? cfg.types : ['EDGE'];
  if (types.length > 1) throw badRequest('Cannot create an api with multiple Endpoint Types.');
  if (!ENDPOINT_TYPES.includes(types[0]!)) throw badRequest('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
  const ipAddressType = cfg.ipAddressType ?? (types[0] === 'PRIVATE' ? 'dualstack' : 'ipv4');
  if (types[0] === 'PRIVATE' && ipAddressType !== 'dualstack') throw badRequest('Only dualstack ipAddressType is supported for Private APIs.');
  return { types, ipAddressType };
}

function compression(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 10485760) throw badRequest('Invalid minimum compression size, must be between 0 and 10485760');
  return n;
}

export const createRestApi: Handler = (input, ctx) => {
  if (input['description'] === '') throw badRequest('Description cannot be an empty string');
  const apiKeySource = (input['apiKeySource'] as string | undefined) ?? 'HEADER';
  if (!['HEADER', 'AUTHORIZER'].includes(apiKeySource)) throw badRequest('Invalid API Key Source specified. Valid options are HEADER,AUTHORIZER');
  const id = gatewayId(10);
  const rootResourceId = gatewayId(10);
  const api: RestApiRecord = {
    id, name: String(input['name']), description: input['description'] as string | undefined, version: input['version'] as string | undefined,
    createdDate: ctx.clock.nowMs(), binaryMediaTypes: (input['binaryMediaTypes'] as string[] | undefined) ?? [],
    minimumCompressionSize: compression(input['minimumCompressionSize']), apiKeySource,
    endpointConfiguration: endpointConfiguration(input['endpointConfiguration']), policy: input['policy'] as string | undefined,
    tags: input['tags'] as Record<string, string> | undefined, disableExecuteApiEndpoint: input['disableExecuteApiEndpoint'] === true,
    rootResourceId, resources: { [rootResourceId]: { id: rootResourceId, path: '/' } },
    authorizers: {}, validators: {}, models: {}, gatewayResponses: {}, deployments: {}, stages: {},
  };
  save(ctx, api);
  return restApiView(api);
};

export const getRestApi: Handler = (input, ctx) => restApiView(apiOf(ctx, input['restApiId']));

export const getRestApis: Handler = (input, ctx) => {
  const all = [...state(ctx).restApis.values()].sort((a, b) => a.createdDate - b.createdDate).map(restApiView);
  return page(all, input);
};

export const deleteRestApi: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  state(ctx).restApis.delete(api.id);
  return {};
};

export const updateRestApi: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  applyPatches(input['patchOperations'], {
    fields: {
      '/name': (v) => { api.name = v ?? api.name; },
      '/description': (v) => { api.description = v; },
      '/version': (v) => { api.version = v; },
      '/apiKeySource': (v) => {
        if (!['HEADER', 'AUTHORIZER'].includes(v ?? '')) throw badRequest('Invalid API Key Source specified. Valid options are HEADER,AUTHORIZER');
        api.apiKeySource = v!;
      },
      '/minimumCompressionSize': (v) => { api.minimumCompressionSize = v === undefined || v === '' ? undefined : compression(v); },
      '/disableExecuteApiEndpoint': (v) => { api.disableExecuteApiEndpoint = v === 'true'; },
      '/policy': (v) => { api.policy = v; },
    },
    other: (o) => {
      // binaryMediaTypes members are added and removed one by one: /binaryMediaTypes/image~1png.
      if (!o.path?.startsWith('/binaryMediaTypes/') || !['add', 'remove'].includes(o.op ?? '')) return false;
      const type = o.path.slice('/binaryMediaTypes/'.length).replace(/~1/g, '/');
      api.binaryMediaTypes = api.binaryMediaTypes.filter((t) => t !== type);
      if (o.op === 'add') api.binaryMediaTypes.push(type);
      return true;
    },
  });
  save(ctx, api);
  return restApiView(api);
};

