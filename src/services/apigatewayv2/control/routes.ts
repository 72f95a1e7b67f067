/** Routes: `$default` or `METHOD /path` (with `{param}` and a final `{proxy+}`), and their targets. */
import type { Handler } from '../../types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { clean, v2Id, type ApiRecord, type RouteRecord } from '../store.js';
import { apiOf, assignGiven, page, save } from './common.js';

const METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function checkRouteKey(key: string): void {
  if (key === '$default') return;
  const m = /^([A-Z]+) (\/\S*)$/.exec(key);
  if (!m || !METHODS.includes(m[1]!)) throw badRequest(`Unable to create route. Route key must be $default or in the format "<METHOD> <PATH>": ${key}`);
  const parts = m[2]!.split('/').slice(1);
  parts.forEach((p, i) => {
    if (/\+\}$/.test(p) && i !== parts.length - 1) throw badRequest('Greedy path variables must be the last path part');
  });
}

function checkTarget(api: ApiRecord, target: unknown, authorizationType: string, authorizerId: unknown): void {
  if (target !== undefined) {
    const m = /^integrations\/(.+)$/.exec(String(target));
    if (!m || !api.integrations[m[1]!]) throw badRequest(`Invalid target specified: ${String(target)}`);
  }
  if (!['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'].includes(authorizationType)) throw badRequest('Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,JWT');
  if ((authorizationType === 'CUSTOM' || authorizationType === 'JWT') && !api.authorizers[String(authorizerId)]) {
    throw badRequest('Unable to create route. An authorizer is required for the authorization type specified');
  }
}

function routeOf(api: ApiRecord, id: unknown): RouteRecord {
  const r = api.routes[String(id)];
  if (!r) throw notFound(`Invalid Route identifier specified ${String(id)}`, 'Route');
  return r;
}

export const createRoute: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const key = String(input['RouteKey']);
  checkRouteKey(key);
  if (Object.values(api.routes).some((r) => r.RouteKey === key)) throw conflict(`Route with key ${key} already exists for this API`);
  const authorizationType = (input['AuthorizationType'] as string | undefined) ?? 'NONE';
  checkTarget(api, input['Target'], authorizationType, input['AuthorizerId']);
  const r: RouteRecord = clean({
    RouteId: v2Id(7), RouteKey: key, ApiKeyRequired: input['ApiKeyRequired'] === true, AuthorizationType: authorizationType,
    AuthorizerId: input['AuthorizerId'] as string | undefined, AuthorizationScopes: input['AuthorizationScopes'] as string[] | undefined,
    OperationName: input['OperationName'] as string | undefined, Target: input['Target'] as string | undefined,
    RequestParameters: input['RequestParameters'] as Record<string, unknown> | undefined,
  });
  api.routes[r.RouteId] = r;
  save(ctx, api, true);
  return { ...r };
};

export const getRoute: Handler = (input, ctx) => ({ ...routeOf(apiOf(ctx, input['ApiId']), input['RouteId']) });

export const getRoutes: Handler = (input, ctx) => page(Object.values(apiOf(ctx, input['ApiId']).routes), input);

export const deleteRoute: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const r = routeOf(api, input['RouteId']);
  delete api.routes[r.RouteId];
  save(ctx, api, true);
  return {};
};

export const updateRoute: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const r = routeOf(api, input['RouteId']);
  if (input['RouteKey'] !== undefined) {
    checkRouteKey(String(input['RouteKey']));
    if (Object.values(api.routes).some((o) => o.RouteKey === input['RouteKey'] && o.RouteId !== r.RouteId)) throw conflict(`Route with key ${String(input['RouteKey'])} already exists for this API`);
    r.RouteKey = String(input['RouteKey']);
  }
  assignGiven(r, input, ['AuthorizationType', 'AuthorizerId', 'AuthorizationScopes', 'OperationName', 'Target', 'RequestParameters', 'ApiKeyRequired']);
  checkTarget(api, r.Target, r.AuthorizationType, r.AuthorizerId);
  save(ctx, api, true);
  return { ...r };
};
