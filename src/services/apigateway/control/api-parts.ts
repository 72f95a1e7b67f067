/** The smaller parts of a REST API: authorizers, request validators, models, gateway responses. */
import { AwsError, validationMessage } from '../../../core/errors.js';
import type { Handler } from '../../types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { DEFAULT_STATUS, RESPONSE_TYPES, effectiveResponse } from '../gateway-responses.js';
import { applyPatches, patchMap } from '../patch.js';
import { clean, gatewayId, type AuthorizerRecord, type GatewayResponseRecord, type ModelRecord, type RestApiRecord, type ValidatorRecord } from '../store.js';
import { apiOf, save } from './rest-apis.js';

// ---- authorizers

function authorizerOf(api: RestApiRecord, id: unknown): AuthorizerRecord {
  const a = api.authorizers[String(id)];
  if (!a) throw notFound('Invalid Authorizer identifier specified');
  return a;
}

function checkAuthorizer(a: AuthorizerRecord): void {
  if (!['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'].includes(a.type)) throw badRequest('Invalid authorizer type specified. Valid options are TOKEN,REQUEST,COGNITO_USER_POOLS');
  if (a.type !== 'COGNITO_USER_POOLS' && !a.authorizerUri) throw badRequest('Authorizer URI must be set for authorizers of type TOKEN and REQUEST');
  if (a.type === 'TOKEN' && !/^method\.request\.header\.[^\s,]+$/.test(a.identitySource ?? '')) {
    throw badRequest('Invalid identity source specified. The identity source of a TOKEN authorizer must be a single header, e.g. method.request.header.Authorization');
  }
  const ttl = a.authorizerResultTtlInSeconds ?? 300;
  if (ttl < 0 || ttl > 3600) throw badRequest('Invalid authorizer result TTL specified. Must be between 0 and 3600 seconds.');
}

export const createAuthorizer: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const a: AuthorizerRecord = clean({
    id: gatewayId(6), name: String(input['name']), type: String(input['type']), providerARNs: input['providerARNs'] as string[] | undefined,
    authType: input['authType'] as string | undefined, authorizerUri: input['authorizerUri'] as string | undefined,
    authorizerCredentials: input['authorizerCredentials'] as string | undefined, identitySource: input['identitySource'] as string | undefined,
    identityValidationExpression: input['identityValidationExpression'] as string | undefined,
    authorizerResultTtlInSeconds: (input['authorizerResultTtlInSeconds'] as number | undefined) ?? 300,
  });
  checkAuthorizer(a);
  api.authorizers[a.id] = a;
  save(ctx, api);
  return { ...a };
};

export const getAuthorizer: Handler = (input, ctx) => ({ ...authorizerOf(apiOf(ctx, input['restApiId']), input['authorizerId']) });

export const getAuthorizers: Handler = (input, ctx) => ({ items: Object.values(apiOf(ctx, input['restApiId']).authorizers) });

export const deleteAuthorizer: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const a = authorizerOf(api, input['authorizerId']);
  const used = Object.values(api.resources).some((r) => Object.values(r.resourceMethods ?? {}).some((m) => m.authorizerId === a.id));
  if (used) throw conflict('Cannot delete authorizer, is referenced in method');
  delete api.authorizers[a.id];
  save(ctx, api);
  return {};
};

export const updateAuthorizer: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const a = authorizerOf(api, input['authorizerId']);
  const str = (k: keyof AuthorizerRecord) => (v: string | undefined): void => { (a as unknown as Record<string, unknown>)[k] = v; };
  applyPatches(input['patchOperations'], {
    fields: {
      '/name': str('name'), '/type': str('type'), '/authorizerUri': str('authorizerUri'), '/authorizerCredentials': str('authorizerCredentials'),
      '/identitySource': str('identitySource'), '/identityValidationExpression': str('identityValidationExpression'), '/authType': str('authType'),
      '/authorizerResultTtlInSeconds': (v) => { a.authorizerResultTtlInSeconds = Number(v); },
    },
  });
  checkAuthorizer(a);
  save(ctx, api);
  return { ...a };
};

// ---- request validators

function validatorOf(api: RestApiRecord, id: unknown): ValidatorRecord {
  const v = api.validators[String(id)];
  if (!v) throw notFound('Invalid Request Validator identifier specified');
  return v;
}

function apiForValidators(ctx: Parameters<Handler>[1], id: unknown): RestApiRecord {
  try { return apiOf(ctx, id); } catch { throw badRequest('Invalid REST API identifier specified'); }
}

export const createRequestValidator: Handler = (input, ctx) => {
  const api = apiForValidators(ctx, input['restApiId']);
  const v: ValidatorRecord = clean({
    id: gatewayId(6), name: input['name'] as string | undefined, validateRequestBody: input['validateRequestBody'] === true,
    validateRequestParameters: input['validateRequestParameters'] === true,
  });
  api.validators[v.id] = v;
  save(ctx, api);
  return { ...v };
};

export const getRequestValidator: Handler = (input, ctx) => ({ ...validatorOf(apiForValidators(ctx, input['restApiId']), input['requestValidatorId']) });

export const getRequestValidators: Handler = (input, ctx) => ({ items: Object.values(apiForValidators(ctx, input['restApiId']).validators) });

export const deleteRequestValidator: Handler = (input, ctx) => {
  const api = apiForValidators(ctx, input['restApiId']);
  const v = validatorOf(api, input['requestValidatorId']);
  delete api.validators[v.id];
  save(ctx, api);
  return {};
};

export const updateRequestValidator: Handler = (input, ctx) => {
  const api = apiForValidators(ctx, input['restApiId']);
  const v = validatorOf(api, input['requestValidatorId']);
  applyPatches(input['patchOperations'], {
    fields: {
      '/name': (x) => { if (!x) throw badRequest('Request Validator name cannot be blank'); v.name = x; },
      '/validateRequestParameters': (x) => { v.validateRequestParameters = x === 'true'; },
      '/validateRequestBody': (x) => { v.validateRequestBody = x === 'true'; },
    },
  });
  save(ctx, api);
  return { ...v };
};

// ---- models

function modelOf(api: RestApiRecord, name: unknown): ModelRecord {
  const m = Object.values(api.models).find((x) => x.name === name);
  if (!m) throw notFound(`Invalid model name specified: ${String(name)}`);
  return m;
}

function checkSchema(schema: string | undefined): void {
  if (schema === undefined) return;
  let doc: unknown;
  try { doc = JSON.parse(schema); } catch { throw badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]'); }
  const d = doc as { properties?: object; items?: unknown; type?: string };
  if (d && typeof d === 'object' && !d.properties && !d.items && Object.keys(d).length > 0 && d.type === 'object') {
    throw badRequest('Model schema must have at least 1 property or array items defined');
  }
}

export const createModel: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const name = String(input['name'] ?? '');
  if (!name) throw badRequest('Model name must be non-empty');
  if (!/^[a-zA-Z0-9]+$/.test(name)) throw badRequest('Model name must be alphanumeric');
  if (Object.values(api.models).some((m) => m.name === name)) throw conflict('Model name already exists for this REST API');
  checkSchema(input['schema'] as string | undefined);
  const m: ModelRecord = clean({
    id: gatewayId(6), name, description: input['description'] as string | undefined, schema: input['schema'] as string | undefined,
    contentType: String(input['contentType']),
  });
  api.models[m.id] = m;
  save(ctx, api);
  return { ...m };
};

export const getModel: Handler = (input, ctx) => ({ ...modelOf(apiOf(ctx, input['restApiId']), input['modelName']) });

export const getModels: Handler = (input, ctx) => ({ items: Object.values(apiOf(ctx, input['restApiId']).models) });

export const deleteModel: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const m = modelOf(api, input['modelName']);
  for (const r of Object.values(api.resources)) {
    for (const method of Object.values(r.resourceMethods ?? {})) {
      if (Object.values(method.requestModels ?? {}).includes(m.name)) {
        throw conflict(`Cannot delete model '${m.name}', is referenced in method request: ${r.path === '/' ? '/' : r.path}/${method.httpMethod}`);
      }
    }
  }
  delete api.models[m.id];
  save(ctx, api);
  return {};
};

export const updateModel: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const m = modelOf(api, input['modelName']);
  applyPatches(input['patchOperations'], {
    fields: {
      '/description': (v) => { m.description = v; },
      '/schema': (v) => { checkSchema(v); m.schema = v; },
    },
  });
  save(ctx, api);
  return { ...m };
};

// ---- gateway responses

function checkType(type: unknown): string {
  const t = String(type);
  if (!RESPONSE_TYPES.includes(t)) {
    throw new AwsError('ValidationException', validationMessage([`Value '${t}' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: [REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, INVALID_SIGNATURE, INVALID_API_KEY, BAD_REQUEST_PARAMETERS, AUTHORIZER_FAILURE, UNAUTHORIZED, INTEGRATION_TIMEOUT, ACCESS_DENIED, DEFAULT_4XX, DEFAULT_5XX, WAF_FILTERED, QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, INTEGRATION_FAILURE, EXPIRED_TOKEN]`]), 400);
  }
  return t;
}

function gatewayResponseView(api: RestApiRecord, type: string): Record<string, unknown> {
  const own = api.gatewayResponses[type];
  if (own) return clean({ ...own, defaultResponse: false });
  const eff = effectiveResponse({}, type);
  return clean({ ...eff, statusCode: DEFAULT_STATUS[type], defaultResponse: true });
}

export const putGatewayResponse: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const type = checkType(input['responseType']);
  const statusCode = input['statusCode'] as string | undefined;
  if (statusCode !== undefined && !/^[1-5]\d\d$/.test(statusCode)) throw badRequest('Invalid status code specified');
  const r: GatewayResponseRecord = clean({
    responseType: type, statusCode, responseParameters: (input['responseParameters'] as Record<string, string> | undefined) ?? {},
    responseTemplates: (input['responseTemplates'] as Record<string, string> | undefined) ?? {},
  });
  api.gatewayResponses[type] = r;
  save(ctx, api);
  return gatewayResponseView(api, type);
};

export const getGatewayResponse: Handler = (input, ctx) => gatewayResponseView(apiOf(ctx, input['restApiId']), checkType(input['responseType']));

export const getGatewayResponses: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  return { items: RESPONSE_TYPES.map((t) => gatewayResponseView(api, t)) };
};

export const deleteGatewayResponse: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const type = checkType(input['responseType']);
  if (!api.gatewayResponses[type]) throw notFound('Gateway response type not defined on api');
  delete api.gatewayResponses[type];
  save(ctx, api);
  return {};
};

export const updateGatewayResponse: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const type = checkType(input['responseType']);
  const r: GatewayResponseRecord = api.gatewayResponses[type] ?? { responseType: type, responseParameters: {}, responseTemplates: {} };
  applyPatches(input['patchOperations'], {
    fields: { '/statusCode': (v) => { r.statusCode = v; } },
    maps: {
      '/responseParameters': (k, v, op) => {
        if (op !== 'remove' && !v) throw badRequest('Invalid null or empty value in responseParameters');
        r.responseParameters = patchMap(r.responseParameters, k, v!, op);
      },
      '/responseTemplates': (k, v, op) => {
        if (op !== 'remove' && !v) throw badRequest('Invalid null or empty value in responseTemplates');
        r.responseTemplates = patchMap(r.responseTemplates, k, v!, op);
      },
    },
    other: (o) => { throw badRequest(`Invalid patch path ${o.path}`); },
  });
  api.gatewayResponses[type] = r;
  save(ctx, api);
  return gatewayResponseView(api, type);
};
