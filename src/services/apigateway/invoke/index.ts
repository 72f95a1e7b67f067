/**
 * The REST API data plane: invoke URLs in both forms. A request finds its API and stage, then
 * its resource and method, then runs what AWS runs in order: stage throttles, the authorizer,
 * the API key with its plan's throttle and quota, request validation, and the integration.
 * Requests for an HTTP API (v2) are handed to that service's front door.
 */
import type { AppRequest, AppResponse } from '../../../gateway/context.js';
import type { ServiceDefinition, ServiceHost } from '../../types.js';
import type { Invocation } from './context.js';
import { authorize } from './authorizer.js';
import { GatewayFailure, gatewayResponse } from './failure.js';
import { iamAuthorize } from './iam.js';
import { runIntegration } from './integrations.js';
import { matchRoute } from './match.js';
import { addressOf, findRestApi, invokeRequest } from './request.js';
import { checkApiKey, checkStageThrottle } from './usage.js';
import { validateRequest } from './validate.js';

function plain(status: number, message: string, type: string): AppResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify({ message }) };
}

export async function restApiFrontDoor(http: AppRequest, host: ServiceHost): Promise<AppResponse | undefined> {
  const addr = addressOf(http);
  if (!addr) return undefined;
  const found = findRestApi(host, addr.apiId);
  if (!found) {
    const v2 = (await host.service('apigatewayv2')) as ServiceDefinition | undefined;
    return (await v2?.frontDoor?.(http, host)) ?? plain(404, 'Not Found', 'NotFoundException');
  }
  const { account, region, api } = found;
  const stage = api.stages[addr.stage];
  const snapshot = stage && api.deployments[stage.deploymentId]?.snapshot;
  if (!stage || !snapshot || api.disableExecuteApiEndpoint) return plain(403, 'Forbidden', 'ForbiddenException');
  const inv: Invocation = { host, account, region, api, snapshot, stage, req: invokeRequest(http, addr.rest, host.clock.nowMs()) };
  try {
    inv.match = matchRoute(snapshot.resources, api.rootResourceId, inv.req.method, inv.req.path);
    if (!inv.match) throw new GatewayFailure('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
    checkStageThrottle(inv);
    const method = inv.match.method;
    if (method.authorizationType === 'CUSTOM') {
      const a = snapshot.authorizers[method.authorizerId ?? ''];
      if (!a) throw new GatewayFailure('AUTHORIZER_CONFIGURATION_ERROR', '');
      await authorize(inv, a);
    } else if (method.authorizationType === 'AWS_IAM') {
      await iamAuthorize(inv, http);
    }
    checkApiKey(inv);
    validateRequest(inv);
    // AWS bills the requests it lets through to the integration (not throttled or unauthorized ones).
    host.meter.record({
      account, region, service: 'apigateway', usageType: 'ApiGatewayRequest', operation: 'ApiGatewayRequest',
      resourceId: `arn:aws:apigateway:${region}::/restapis/${api.id}/stages/${stage.stageName}`, quantity: 1, unit: 'Requests',
    });
    const res = await runIntegration(inv);
    res.headers['x-amzn-requestid'] = inv.req.requestId;
    return res;
  } catch (e) {
    if (e instanceof GatewayFailure) return gatewayResponse(inv, e);
    throw e;
  }
}
