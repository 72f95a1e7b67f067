/** Shared plumbing for the API Gateway suites: a client, a deployed API in one call, invoke URLs. */
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, type PutIntegrationCommandInput, type PutMethodCommandInput,
} from '@aws-sdk/client-api-gateway';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { accountConfig } from '../../helpers.js';

export function apigw(dd: RunningDrydock, overrides: { accessKeyId?: string; region?: string } = {}): APIGatewayClient {
  return new APIGatewayClient(accountConfig(dd, overrides));
}

export interface Invoked {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

/** Calls an invoke URL `/restapis/<id>/<stage>/_user_request_<path>`. */
export async function invoke(dd: RunningDrydock, apiId: string, stage: string, path: string, init: RequestInit = {}): Promise<Invoked> {
  const res = await fetch(`${dd.endpoint}/restapis/${apiId}/${stage}/_user_request_${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

export interface MethodSpec {
  path?: string;
  method?: Partial<PutMethodCommandInput>;
  integration: Partial<PutIntegrationCommandInput>;
  /** Integration responses (status → template/pattern); a default 200 when omitted for non-proxy types. */
  responses?: { statusCode: string; selectionPattern?: string; responseTemplates?: Record<string, string>; responseParameters?: Record<string, string> }[];
}

/** A REST API with one method per spec (resources created as needed), deployed to `stage`. */
export async function deployedApi(c: APIGatewayClient, specs: MethodSpec[], stage = 'dev'): Promise<{ apiId: string; rootId: string; resources: Map<string, string> }> {
  const api = await c.send(new CreateRestApiCommand({ name: `api-${Math.random().toString(36).slice(2, 8)}` }));
  const apiId = api.id!;
  const resources = new Map<string, string>([['/', api.rootResourceId!]]);
  async function resourceFor(path: string): Promise<string> {
    const known = resources.get(path);
    if (known) return known;
    const parentPath = path.slice(0, path.lastIndexOf('/')) || '/';
    const parentId = await resourceFor(parentPath);
    const r = await c.send(new CreateResourceCommand({ restApiId: apiId, parentId, pathPart: path.slice(path.lastIndexOf('/') + 1) }));
    resources.set(path, r.id!);
    return r.id!;
  }
  for (const s of specs) {
    const resourceId = await resourceFor(s.path ?? '/');
    const httpMethod = s.method?.httpMethod ?? 'GET';
    await c.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod, authorizationType: 'NONE', ...s.method }));
    await c.send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod, type: 'MOCK', ...s.integration }));
    const proxy = s.integration.type === 'AWS_PROXY' || s.integration.type === 'HTTP_PROXY';
    for (const r of s.responses ?? (proxy ? [] : [{ statusCode: '200' }])) {
      await c.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode: r.statusCode }));
      await c.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod, ...r }));
    }
  }
  await c.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: stage }));
  return { apiId, rootId: api.rootResourceId!, resources };
}

export { failure } from '../../helpers.js';
