/**
 * The HTTP API (v2) data plane, reached through API Gateway's invoke URLs: `$default` stage
 * at the root or a named stage as the first path part; CORS preflight; route selection;
 * JWT and Lambda authorizers; Lambda proxy (payload 1.0/2.0) and HTTP proxy integrations.
 */
import type { AppRequest, AppResponse } from '../../../gateway/context.js';
import type { ServiceHost } from '../../types.js';
import { v2State, type ApiRecord } from '../store.js';
import { preflight, withCors } from './cors.js';
import { eventV1, eventV2, internalError, lambdaResponse } from './events.js';
import { jwtAuthorize, type AuthOutcome } from './jwt.js';
import { callFunction, functionArnOf } from './lambda.js';
import { lambdaAuthorize } from './lambda-auth.js';
import { matchRoute } from './match.js';
import { newInvocation, routeArn, type V2Invocation } from './request.js';
import { proxyHttp } from './http-proxy.js';
import { admit } from './throttle.js';

function message(status: number, text: string): AppResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: text }) };
}

const DENIED: Record<number, AppResponse> = {};

function denied(status: 401 | 403 | 500): AppResponse {
  return DENIED[status] ?? message(status, status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Internal Server Error');
}

function findApi(host: ServiceHost, apiId: string): { account: string; region: string; api: ApiRecord } | undefined {
  for (const { account, region } of host.stores.accountsRegions('apigatewayv2')) {
    const api = v2State(host.stores, account, region).apis.get(apiId);
    if (api) return { account, region, api };
  }
  return undefined;
}

/** The API id and path from either invoke URL form. */
function address(http: AppRequest): { apiId: string; path: string } | undefined {
  const q = http.url.indexOf('?');
  const path = q < 0 ? http.url : http.url.slice(0, q);
  const m = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/.exec(path);
  if (m) return { apiId: m[1]!, path: `/${m[2]}${m[3] ?? ''}` };
  const h = /^([a-z0-9]+)\.execute-api\./.exec(String(http.headers['host'] ?? '').toLowerCase());
  return h ? { apiId: h[1]!, path: path || '/' } : undefined;
}

export async function httpApiFrontDoor(http: AppRequest, host: ServiceHost): Promise<AppResponse | undefined> {
  const addr = address(http);
  const found = addr && findApi(host, addr.apiId);
  if (!addr || !found || found.api.ProtocolType !== 'HTTP') return undefined;
  const { api } = found;
  if (api.DisableExecuteApiEndpoint) return message(403, 'Forbidden');
  // A named stage is the first path part; anything else goes to the $default stage.
  const first = decodeURIComponent(addr.path.split('/')[1] ?? '');
  const named = first !== '$default' ? api.stages[first] : undefined;
  const stage = named ?? api.stages['$default'];
  const snapshot = stage?.DeploymentId ? api.deployments[stage.DeploymentId]?.snapshot : undefined;
  if (!stage || !snapshot) return message(404, 'Not Found');
  const path = named ? addr.path.slice(first.length + 1) || '/' : addr.path;
  const inv = newInvocation(http, host, { ...found, stage, snapshot }, path, addr.path);
  const pre = preflight(api.CorsConfiguration, inv.method, inv.headers);
  if (pre) return pre;
  return withCors(api.CorsConfiguration, inv.headers['origin'], await route(inv, http));
}

/**
 * AWS_IAM routes: SigV4 for `execute-api` and IAM's `execute-api:Invoke` on the request's ARN;
 * the signer shows in `requestContext.authorizer.iam`. Any refusal is a bare 403.
 */
async function iamAuthorize(inv: V2Invocation, http: AppRequest): Promise<AppResponse | undefined> {
  const resource = `arn:aws:execute-api:${inv.region}:${inv.account}:${inv.api.ApiId}/${inv.stage.StageName}/${inv.method}${inv.path}`;
  const auth = await inv.host.authorizeRequest(http, { service: 'execute-api', action: 'execute-api:Invoke', resource });
  if (!auth.ok) return auth.reason === 'signature' ? message(403, auth.message) : message(403, 'Forbidden');
  const p = auth.principal;
  const accessKey = /Credential=([^/]+)/.exec(inv.headers['authorization'] ?? '')?.[1] ?? null;
  inv.authorizer = { iam: { accessKey, accountId: p.account, callerId: p.userId, cognitoIdentity: null, principalOrgId: null, userArn: p.arn, userId: p.userId } };
  return undefined;
}

async function route(inv: V2Invocation, http: AppRequest): Promise<AppResponse> {
  inv.match = matchRoute(inv.snapshot.routes, inv.method, inv.path);
  if (!inv.match) return message(404, 'Not Found');
  if (!admit(inv)) return message(429, 'Too Many Requests');
  const r = inv.match.route;
  if (r.AuthorizationType === 'JWT' || r.AuthorizationType === 'CUSTOM') {
    const a = inv.snapshot.authorizers[r.AuthorizerId ?? ''];
    if (!a) return internalError();
    const outcome: AuthOutcome = a.AuthorizerType === 'JWT' ? await jwtAuthorize(inv, a, r) : await lambdaAuthorize(inv, a);
    if (!outcome.ok) return denied(outcome.status);
    inv.authorizer = outcome.context;
  } else if (r.AuthorizationType === 'AWS_IAM') {
    const refused = await iamAuthorize(inv, http);
    if (refused) return refused;
  }
  const integration = /^integrations\/(.+)$/.exec(r.Target ?? '')?.[1];
  const i = integration ? inv.snapshot.integrations[integration] : undefined;
  if (!i) return message(404, 'Not Found');
  inv.host.meter.record({
    account: inv.account, region: inv.region, service: 'apigateway', usageType: 'ApiGatewayHttpRequest', operation: 'ApiGatewayHttpRequest',
    resourceId: `arn:aws:apigateway:${inv.region}::/apis/${inv.api.ApiId}/stages/${inv.stage.StageName}`, quantity: 1, unit: 'Requests',
  });
  const res = i.IntegrationType === 'HTTP_PROXY' ? await proxyHttp(inv, i) : await lambdaProxy(inv, i.IntegrationUri, i.PayloadFormatVersion, i.CredentialsArn);
  res.headers['apigw-requestid'] = inv.requestId;
  return res;
}

async function lambdaProxy(inv: V2Invocation, uri: string | undefined, format: string, credentials: string | undefined): Promise<AppResponse> {
  const fn = functionArnOf(uri);
  if (!fn) return internalError();
  try {
    const a = await callFunction(inv, fn, format === '2.0' ? eventV2(inv) : eventV1(inv), routeArn(inv), credentials);
    return lambdaResponse(a.payload, a.functionError, format);
  } catch {
    return internalError();
  }
}
