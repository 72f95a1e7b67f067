/** HTTP APIs (and WebSocket APIs' control plane): create (with quick create), get, list, update, delete. */
import type { Handler, ServiceContext } from '../../types.js';
import { badRequest } from '../errors.js';
import { clean, snapshotOf, v2Id, type ApiRecord, type CorsConfig } from '../store.js';
import { apiOf, page, save, state } from './common.js';
import { checkRouteKey } from './routes.js';

export function apiView(api: ApiRecord, ctx: ServiceContext): Record<string, unknown> {
  const port = /:(\d+)$/.exec(new URL(ctx.endpoint).host)?.[1];
  const endpoint = `${api.ProtocolType === 'WEBSOCKET' ? 'ws' : 'http'}://${api.ApiId}.execute-api.localhost.localstack.cloud${port ? `:${port}` : ''}`;
  return clean({
    ApiEndpoint: endpoint, ApiId: api.ApiId, ApiKeySelectionExpression: api.ApiKeySelectionExpression, CorsConfiguration: api.CorsConfiguration,
    CreatedDate: new Date(api.CreatedDate), Description: api.Description, DisableExecuteApiEndpoint: api.DisableExecuteApiEndpoint,
    IpAddressType: api.IpAddressType, Name: api.Name, ProtocolType: api.ProtocolType, RouteSelectionExpression: api.RouteSelectionExpression,
    Tags: api.Tags ?? {}, Version: api.Version,
  });
}

function checkCors(cors: unknown): CorsConfig | undefined {
  if (cors === undefined) return undefined;
  const c = cors as CorsConfig;
  if (c.AllowCredentials && (c.AllowOrigins ?? []).includes('*')) {
    throw badRequest("allow-credentials is not supported when allow-origin is '*'");
  }
  return c;
}

export const createApi: Handler = (input, ctx) => {
  const protocol = String(input['ProtocolType']);
  if (!['HTTP', 'WEBSOCKET'].includes(protocol)) throw badRequest('Invalid protocol type specified. Valid options are HTTP,WEBSOCKET');
  if (protocol === 'WEBSOCKET' && !input['RouteSelectionExpression']) throw badRequest('RouteSelectionExpression is required for WEBSOCKET APIs');
  const now = ctx.clock.nowMs();
  const api: ApiRecord = clean({
    ApiId: v2Id(10), Name: String(input['Name']), ProtocolType: protocol,
    RouteSelectionExpression: (input['RouteSelectionExpression'] as string | undefined) ?? '${request.method} ${request.path}',
    ApiKeySelectionExpression: (input['ApiKeySelectionExpression'] as string | undefined) ?? '$request.header.x-api-key',
    CorsConfiguration: checkCors(input['CorsConfiguration']), Description: input['Description'] as string | undefined,
    DisableExecuteApiEndpoint: input['DisableExecuteApiEndpoint'] === true, IpAddressType: (input['IpAddressType'] as string | undefined) ?? 'ipv4',
    Version: input['Version'] as string | undefined, Tags: input['Tags'] as Record<string, string> | undefined, CreatedDate: now,
    routes: {}, integrations: {}, authorizers: {}, deployments: {}, stages: {},
  });
  // Quick create: a Lambda or HTTP target becomes an integration, a route and an auto-deploying $default stage.
  const target = input['Target'] as string | undefined;
  if (target) {
    if (protocol !== 'HTTP') throw badRequest('Quick create is only supported for HTTP APIs');
    const routeKey = (input['RouteKey'] as string | undefined) ?? '$default';
    checkRouteKey(routeKey);
    const lambda = target.startsWith('arn:');
    const integrationId = v2Id(7);
    api.integrations[integrationId] = clean({
      IntegrationId: integrationId, IntegrationType: lambda ? 'AWS_PROXY' : 'HTTP_PROXY', IntegrationUri: target,
      IntegrationMethod: lambda ? 'POST' : 'ANY', PayloadFormatVersion: lambda ? '2.0' : '1.0', TimeoutInMillis: 30000,
      ConnectionType: 'INTERNET', CredentialsArn: input['CredentialsArn'] as string | undefined, ApiGatewayManaged: true,
    });
    const routeId = v2Id(7);
    api.routes[routeId] = { RouteId: routeId, RouteKey: routeKey, ApiKeyRequired: false, AuthorizationType: 'NONE', Target: `integrations/${integrationId}`, ApiGatewayManaged: true };
    const d = { DeploymentId: v2Id(6), CreatedDate: now, AutoDeployed: true, snapshot: snapshotOf(api) };
    api.deployments[d.DeploymentId] = d;
    api.stages['$default'] = { StageName: '$default', AutoDeploy: true, DeploymentId: d.DeploymentId, CreatedDate: now, LastUpdatedDate: now, ApiGatewayManaged: true };
  }
  save(ctx, api);
  return apiView(api, ctx);
};

export const getApi: Handler = (input, ctx) => apiView(apiOf(ctx, input['ApiId']), ctx);

export const getApis: Handler = (input, ctx) =>
  page([...state(ctx).apis.values()].sort((a, b) => a.CreatedDate - b.CreatedDate).map((a) => apiView(a, ctx)), input);

export const deleteApi: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  state(ctx).apis.delete(api.ApiId);
  return {};
};

export const updateApi: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  if (input['Name'] !== undefined) api.Name = String(input['Name']);
  if (input['Description'] !== undefined) api.Description = String(input['Description']);
  if (input['Version'] !== undefined) api.Version = String(input['Version']);
  if (input['CorsConfiguration'] !== undefined) api.CorsConfiguration = checkCors(input['CorsConfiguration']);
  if (input['DisableExecuteApiEndpoint'] !== undefined) api.DisableExecuteApiEndpoint = input['DisableExecuteApiEndpoint'] === true;
  if (input['RouteSelectionExpression'] !== undefined) api.RouteSelectionExpression = String(input['RouteSelectionExpression']);
  if (input['ApiKeySelectionExpression'] !== undefined) api.ApiKeySelectionExpression = String(input['ApiKeySelectionExpression']);
  save(ctx, api);
  return apiView(api, ctx);
};

export const deleteCorsConfiguration: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  delete api.CorsConfiguration;
  save(ctx, api);
  return {};
};
