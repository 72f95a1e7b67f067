/**
 * TestInvokeMethod: runs one method of the API as it is now (undeployed), without
 * authorization or API keys, as the console's Test button does, and answers what the client
 * would have received with a short log.
 */
import type { Handler, ServiceHost } from '../../types.js';
import { resourceOf, methodOf, snapshotOf, type StageRecord } from '../store.js';
import { apiOf } from '../control/rest-apis.js';
import type { Invocation } from './context.js';
import { GatewayFailure, gatewayResponse } from './failure.js';
import { runIntegration } from './integrations.js';
import { invokeRequest } from './request.js';
import { validateRequest } from './validate.js';

export const testInvokeMethod: Handler = async (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const resource = resourceOf(api, input['resourceId']);
  const method = methodOf(api, input['resourceId'], input['httpMethod']);
  const target = String(input['pathWithQueryString'] ?? resource.path);
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const now = ctx.clock.nowMs();
  const stage: StageRecord = {
    stageName: 'test-invoke-stage', deploymentId: 'test-invoke-deployment-id', cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE',
    variables: input['stageVariables'] as Record<string, string> | undefined, tracingEnabled: false, methodSettings: {}, createdDate: now, lastUpdatedDate: now,
  };
  const headers = { ...((input['headers'] as Record<string, string> | undefined) ?? {}) };
  const body = Buffer.from(String(input['body'] ?? ''));
  // The handler's context carries everything the data plane uses of a host.
  const host = { ...ctx, service: async () => undefined } as unknown as ServiceHost;
  const inv: Invocation = {
    host, account: ctx.account, region: ctx.region, api, snapshot: snapshotOf(api), stage,
    req: invokeRequest({ method: String(input['httpMethod']), url: target, headers, body }, path, now),
  };
  inv.match = { resource, method, pathParameters: pathParameters(resource.path, path) };
  let res;
  try {
    validateRequest(inv);
    res = await runIntegration(inv);
  } catch (e) {
    if (!(e instanceof GatewayFailure)) throw e;
    res = gatewayResponse(inv, e);
  }
  const latency = ctx.clock.nowMs() - now;
  const text = Buffer.isBuffer(res.body) ? res.body.toString() : res.body;
  const log = [
    `Execution log for request ${inv.req.requestId}`,
    `${new Date(now).toUTCString()} : Starting execution for request: ${inv.req.requestId}`,
    `${new Date(now).toUTCString()} : HTTP Method: ${method.httpMethod}, Resource Path: ${path}`,
    `${new Date(now).toUTCString()} : Method completed with status: ${res.status}`,
  ].join('\n');
  return {
    status: res.status, body: text, headers: res.headers,
    multiValueHeaders: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, [v]])), log, latency,
  };
};

/** The values a request path gives the resource's `{variables}` (a greedy one takes the rest). */
function pathParameters(template: string, path: string): Record<string, string> {
  const parts = template.split('/').filter(Boolean);
  const segments = path.split('/').filter(Boolean);
  const out: Record<string, string> = {};
  parts.forEach((p, i) => {
    const greedy = /^\{(.+)\+\}$/.exec(p);
    const v = /^\{(.+)\}$/.exec(p);
    if (greedy) out[greedy[1]!] = segments.slice(i).join('/');
    else if (v && segments[i] !== undefined) out[v[1]!] = decodeURIComponent(segments[i]!);
  });
  return out;
}
