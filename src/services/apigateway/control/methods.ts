/** Methods and method responses of a resource. */
import { AwsError, validationMessage } from '../../../core/errors.js';
import type { Handler } from '../../types.js';
import { badRequest, notFound } from '../errors.js';
import { applyPatches, patchMap } from '../patch.js';
import { clean, methodOf, resourceOf, type MethodRecord, type MethodResponseRecord, type RestApiRecord } from '../store.js';
import { apiOf, save } from './rest-apis.js';

const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'];
const AUTH_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];

export function methodView(m: MethodRecord): Record<string, unknown> {
  return clean({ ...m, methodResponses: m.methodResponses && Object.keys(m.methodResponses).length ? m.methodResponses : undefined });
}

/** `ValidationException` for a status code outside [1-5]\d\d, as AWS words it. */
export function checkStatusCode(code: unknown): string {
  const s = String(code);
  if (!/^[1-5]\d\d$/.test(s)) {
    throw new AwsError('ValidationException', validationMessage([`Value '${s}' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d`]), 400);
  }
  return s;
}

function checkAuthorizer(api: RestApiRecord, type: string, authorizerId: string | undefined): void {
  if (!AUTH_TYPES.includes(type)) throw badRequest(`Invalid authorization type specified. Valid options are ${AUTH_TYPES.join(',')}`);
  if ((type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') && (!authorizerId || !api.authorizers[authorizerId])) {
    throw badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
  }
}

function checkModels(api: RestApiRecord, models: Record<string, string> | undefined): void {
  for (const name of Object.values(models ?? {})) {
    if (!Object.values(api.models).some((m) => m.name === name)) throw badRequest(`Invalid model identifier specified: ${name}`);
  }
}

export const putMethod: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const r = resourceOf(api, input['resourceId']);
  const httpMethod = String(input['httpMethod']);
  if (!HTTP_METHODS.includes(httpMethod)) throw badRequest('Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
  const authorizationType = String(input['authorizationType']);
  const authorizerId = input['authorizerId'] as string | undefined;
  checkAuthorizer(api, authorizationType, authorizerId);
  const validatorId = input['requestValidatorId'] as string | undefined;
  if (validatorId !== undefined && !api.validators[validatorId]) throw badRequest('Invalid Request Validator identifier specified');
  checkModels(api, input['requestModels'] as Record<string, string> | undefined);
  const m: MethodRecord = clean({
    httpMethod, authorizationType, authorizerId: authorizationType === 'CUSTOM' || authorizationType === 'COGNITO_USER_POOLS' ? authorizerId : undefined,
    apiKeyRequired: input['apiKeyRequired'] === true, requestValidatorId: validatorId, operationName: input['operationName'] as string | undefined,
    requestParameters: input['requestParameters'] as Record<string, boolean> | undefined, requestModels: input['requestModels'] as Record<string, string> | undefined,
    authorizationScopes: input['authorizationScopes'] as string[] | undefined,
  });
  r.resourceMethods = { ...(r.resourceMethods ?? {}), [httpMethod]: m };
  save(ctx, api);
  return methodView(m);
};

export const getMethod: Handler = (input, ctx) => methodView(methodOf(apiOf(ctx, input['restApiId']), input['resourceId'], input['httpMethod']));

export const deleteMethod: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  methodOf(api, input['resourceId'], input['httpMethod']);
  delete resourceOf(api, input['resourceId']).resourceMethods![String(input['httpMethod'])];
  save(ctx, api);
  return {};
};

export const updateMethod: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const m = methodOf(api, input['resourceId'], input['httpMethod']);
  applyPatches(input['patchOperations'], {
    fields: {
      '/authorizationType': (v) => { checkAuthorizer(api, v ?? '', m.authorizerId); m.authorizationType = v!; },
      '/authorizerId': (v) => { m.authorizerId = v; },
      '/apiKeyRequired': (v) => { m.apiKeyRequired = v === 'true'; },
      '/requestValidatorId': (v) => {
        if (v && !api.validators[v]) throw badRequest('Invalid Request Validator identifier specified');
        m.requestValidatorId = v || undefined;
      },
      '/operationName': (v) => { m.operationName = v; },
    },
    maps: {
      '/requestParameters': (k, v, op) => { m.requestParameters = patchMap(m.requestParameters, k, v === 'true', op); },
      '/requestModels': (k, v, op) => { checkModels(api, op === 'remove' ? {} : { [k]: v ?? '' }); m.requestModels = patchMap(m.requestModels, k, v!, op); },
    },
  });
  save(ctx, api);
  return methodView(m);
};

function methodResponseOf(m: MethodRecord, statusCode: unknown): MethodResponseRecord {
  const mr = m.methodResponses?.[String(statusCode)];
  if (!mr) throw notFound('Invalid Response status code specified');
  return mr;
}

export const putMethodResponse: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const m = methodOf(api, input['resourceId'], input['httpMethod']);
  const statusCode = checkStatusCode(input['statusCode']);
  const mr: MethodResponseRecord = clean({
    statusCode, responseParameters: input['responseParameters'] as Record<string, boolean> | undefined,
    responseModels: input['responseModels'] as Record<string, string> | undefined,
  });
  m.methodResponses = { ...(m.methodResponses ?? {}), [statusCode]: mr };
  save(ctx, api);
  return mr as unknown as Record<string, unknown>;
};

export const getMethodResponse: Handler = (input, ctx) => {
  const m = methodOf(apiOf(ctx, input['restApiId']), input['resourceId'], input['httpMethod']);
  return methodResponseOf(m, input['statusCode']) as unknown as Record<string, unknown>;
};

export const deleteMethodResponse: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const m = methodOf(api, input['resourceId'], input['httpMethod']);
  methodResponseOf(m, input['statusCode']);
  delete m.methodResponses![String(input['statusCode'])];
  save(ctx, api);
  return {};
};

export const updateMethodResponse: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['restApiId']);
  const mr = methodResponseOf(methodOf(api, input['resourceId'], input['httpMethod']), input['statusCode']);
  applyPatches(input['patchOperations'], {
    maps: {
      '/responseParameters': (k, v, op) => { mr.responseParameters = patchMap(mr.responseParameters, k, v === 'true', op); },
      '/responseModels': (k, v, op) => { mr.responseModels = patchMap(mr.responseModels, k, v!, op); },
    },
    other: (o) => { throw badRequest(`Invalid patch path ${o.path}`); },
  });
  save(ctx, api);
  return mr as unknown as Record<string, unknown>;
};
