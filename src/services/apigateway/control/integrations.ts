/** Integrations and integration responses of a method. */
import { AwsError, validationMessage } from '../../../core/errors.js';
import { parseArn } from '../../../core/ids.js';
import type { Handler } from '../../types.js';
import { badRequest, notFound } from '../errors.js';
import { applyPatches, patchMap } from '../patch.js';
import { clean, methodOf, type IntegrationRecord, type IntegrationResponseRecord, type MethodRecord } from '../store.js';
import { checkStatusCode } from './methods.js';
import { apiOf, save } from './rest-apis.js';

const TYPES = ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS'];

export function integrationView(i: IntegrationRecord): Record<string, unknown> {
  return clean({ ...i, integrationResponses: i.integrationResponses && Object.keys(i.integrationResponses).length ? i.integrationResponses : undefined });
}

function integrationOf(m: MethodRecord): IntegrationRecord {
  if (!m.methodIntegration) throw notFound('Invalid Integration identifier specified');
  return m.methodIntegration;
}

/** AWS's checks of an integration's type, method and URI. */
function checkTarget(type: string, httpMethod: string | undefined, uri: string | undefined): void {
  if (!TYPES.includes(type)) {
    throw new AwsError('ValidationException', validationMessage([`Value '${type}' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]`]), 400);
  }
  if (type === 'MOCK') return;
  if (!httpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    let ok = false;
    try { ok = ['http:', 'https:'].includes(new URL(uri ?? '').protocol); } catch { ok = false; }
    if (!ok) throw badRequest('Invalid HTTP endpoint specified for URI');
    return;
  }
  const arn = parseArn(uri ?? '');
  if (!arn || arn.service !== 'apigateway') throw badRequest('Invalid ARN specified in the request');
  if (!/^(path|action)\//.test(arn.resource)) throw badRequest('AWS ARN for integration must contain path or action');
  // The "account" part of an integration ARN names the target service: arn:aws:apigateway:<region>:lambda:path/….
  if (type === 'AWS_PROXY' && !['lambda', 'firehose'].includes(arn.account)) {
    throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
  }
}

export const putIntegration: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const m = methodOf(api, input['resourceId'], input['httpMethod']);
  const type = String(input['type']);
  const uri = input['uri'] as string | undefined;
  const integrationHttpMethod = input['integrationHttpMethod'] as string | undefined;
  checkTarget(type, integrationHttpMethod, uri);
  const timeout = input['timeoutInMillis'] === undefined ? 29000 : Number(input['timeoutInMillis']);
  if (!(timeout >= 50 && timeout <= 29000)) throw badRequest('Timeout should be between 50 ms and 29000 ms');
  const i: IntegrationRecord = clean({
    type, httpMethod: type === 'MOCK' ? undefined : integrationHttpMethod, uri, connectionType: (input['connectionType'] as string | undefined) ?? 'INTERNET',
    connectionId: input['connectionId'] as string | undefined, credentials: input['credentials'] as string | undefined,
    requestParameters: input['requestParameters'] as Record<string, string> | undefined,
    requestTemplates: input['requestTemplates'] as Record<string, string> | undefined,
    passthroughBehavior: (input['passthroughBehavior'] as string | undefined) ?? 'WHEN_NO_MATCH', contentHandling: input['contentHandling'] as string | undefined,
    timeoutInMillis: timeout, cacheNamespace: (input['cacheNamespace'] as string | undefined) ?? String(input['resourceId']),
    cacheKeyParameters: (input['cacheKeyParameters'] as string[] | undefined) ?? [],
    integrationResponses: m.methodIntegration?.integrationResponses,
  });
  m.methodIntegration = i;
  save(ctx, api);
  return integrationView(i);
};

export const getIntegration: Handler = (input, ctx) => integrationView(integrationOf(methodOf(apiOf(ctx, input['restApiId']), input['resourceId'], input['httpMethod'])));

export const deleteIntegration: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const m = methodOf(api, input['resourceId'], input['httpMethod']);
  integrationOf(m);
  delete m.methodIntegration;
  save(ctx, api);
  return {};
};

export const updateIntegration: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const i = integrationOf(methodOf(api, input['resourceId'], input['httpMethod']));
  applyPatches(input['patchOperations'], {
    fields: {
      '/uri': (v) => { checkTarget(i.type, i.httpMethod, v); i.uri = v; },
      '/httpMethod': (v) => { i.httpMethod = v; },
      '/credentials': (v) => { i.credentials = v; },
      '/passthroughBehavior': (v) => { i.passthroughBehavior = v; },
      '/timeoutInMillis': (v) => { i.timeoutInMillis = Number(v); },
      '/contentHandling': (v) => { i.contentHandling = v; },
      '/connectionType': (v) => { i.connectionType = v; },
      '/connectionId': (v) => { i.connectionId = v; },
    },
    maps: {
      '/requestParameters': (k, v, op) => { i.requestParameters = patchMap(i.requestParameters, k, v!, op); },
      '/requestTemplates': (k, v, op) => { i.requestTemplates = patchMap(i.requestTemplates, k, v!, op); },
    },
  });
  save(ctx, api);
  return integrationView(i);
};

function integrationResponseOf(i: IntegrationRecord, statusCode: unknown): IntegrationResponseRecord {
  const r = i.integrationResponses?.[String(statusCode)];
  if (!r) throw notFound('Invalid Response status code specified');
  return r;
}

export const putIntegrationResponse: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const i = integrationOf(methodOf(api, input['resourceId'], input['httpMethod']));
  const statusCode = checkStatusCode(input['statusCode']);
  const templates = input['responseTemplates'] as Record<string, string> | undefined;
  for (const ct of Object.keys(templates ?? {})) {
    if (!/^[\w.+-]+\/[\w.+*-]+$/.test(ct)) throw badRequest(`Validation Result: warnings : [], errors : [Invalid content type specified: ${ct}]`);
  }
  const r: IntegrationResponseRecord = clean({
    statusCode, selectionPattern: input['selectionPattern'] as string | undefined,
    responseParameters: input['responseParameters'] as Record<string, string> | undefined, responseTemplates: templates,
    contentHandling: input['contentHandling'] as string | undefined,
  });
  i.integrationResponses = { ...(i.integrationResponses ?? {}), [statusCode]: r };
  save(ctx, api);
  return r as unknown as Record<string, unknown>;
};

export const getIntegrationResponse: Handler = (input, ctx) => {
  const i = integrationOf(methodOf(apiOf(ctx, input['restApiId']), input['resourceId'], input['httpMethod']));
  return integrationResponseOf(i, input['statusCode']) as unknown as Record<string, unknown>;
};

export const deleteIntegrationResponse: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const i = integrationOf(methodOf(api, input['resourceId'], input['httpMethod']));
  integrationResponseOf(i, input['statusCode']);
  delete i.integrationResponses![String(input['statusCode'])];
  save(ctx, api);
  return {};
};

export const updateIntegrationResponse: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const r = integrationResponseOf(integrationOf(methodOf(api, input['resourceId'], input['httpMethod'])), input['statusCode']);
  applyPatches(input['patchOperations'], {
    fields: {
      '/selectionPattern': (v) => { r.selectionPattern = v; },
      '/contentHandling': (v) => { r.contentHandling = v; },
    },
    maps: {
      '/responseParameters': (k, v, op) => { r.responseParameters = patchMap(r.responseParameters, k, v!, op); },
      '/responseTemplates': (k, v, op) => { r.responseTemplates = patchMap(r.responseTemplates, k, v!, op); },
    },
  });
  save(ctx, api);
  return r as unknown as Record<string, unknown>;
};
