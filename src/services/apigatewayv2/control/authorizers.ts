/** Authorizers of HTTP APIs: JWT (issuer, audience) and Lambda (REQUEST, simple or IAM responses). */
import type { Handler } from '../../types.js';
import { badRequest, notFound } from '../errors.js';
import { clean, v2Id, type ApiRecord, type AuthorizerRecord } from '../store.js';
import { apiOf, assignGiven, page, save } from './common.js';

function authorizerOf(api: ApiRecord, id: unknown): AuthorizerRecord {
  const a = api.authorizers[String(id)];
  if (!a) throw notFound(`Invalid Authorizer identifier specified ${String(id)}`, 'Authorizer');
  return a;
}

function check(a: AuthorizerRecord): void {
  if (!['JWT', 'REQUEST'].includes(a.AuthorizerType)) throw badRequest('Invalid authorizer type specified. Valid options are JWT,REQUEST');
  if (a.AuthorizerType === 'JWT') {
    if (!a.JwtConfiguration?.Issuer || !a.JwtConfiguration.Audience?.length) throw badRequest('JwtConfiguration with Issuer and Audience is required for JWT authorizers');
    if (!a.IdentitySource?.length) throw badRequest('IdentitySource is required for JWT authorizers');
    return;
  }
  if (!a.AuthorizerUri) throw badRequest('AuthorizerUri is required for REQUEST authorizers');
  if (!['1.0', '2.0'].includes(a.AuthorizerPayloadFormatVersion ?? '')) throw badRequest('AuthorizerPayloadFormatVersion must be 1.0 or 2.0 for REQUEST authorizers');
  if (a.EnableSimpleResponses && a.AuthorizerPayloadFormatVersion !== '2.0') throw badRequest('Simple responses are only supported with payload format version 2.0');
  const ttl = a.AuthorizerResultTtlInSeconds ?? 0;
  if (ttl < 0 || ttl > 3600) throw badRequest('AuthorizerResultTtlInSeconds must be between 0 and 3600');
  if (ttl > 0 && !a.IdentitySource?.length) throw badRequest('IdentitySource is required when caching is enabled');
}

export const createAuthorizer: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const a: AuthorizerRecord = clean({
    AuthorizerId: v2Id(6), AuthorizerType: String(input['AuthorizerType']), Name: String(input['Name']),
    IdentitySource: input['IdentitySource'] as string[] | undefined, AuthorizerUri: input['AuthorizerUri'] as string | undefined,
    AuthorizerCredentialsArn: input['AuthorizerCredentialsArn'] as string | undefined,
    AuthorizerPayloadFormatVersion: input['AuthorizerPayloadFormatVersion'] as string | undefined,
    AuthorizerResultTtlInSeconds: input['AuthorizerResultTtlInSeconds'] as number | undefined,
    EnableSimpleResponses: input['EnableSimpleResponses'] as boolean | undefined,
    IdentityValidationExpression: input['IdentityValidationExpression'] as string | undefined,
    JwtConfiguration: input['JwtConfiguration'] as AuthorizerRecord['JwtConfiguration'],
  });
  check(a);
  api.authorizers[a.AuthorizerId] = a;
  save(ctx, api, true);
  return { ...a };
};

export const getAuthorizer: Handler = (input, ctx) => ({ ...authorizerOf(apiOf(ctx, input['ApiId']), input['AuthorizerId']) });

export const getAuthorizers: Handler = (input, ctx) => page(Object.values(apiOf(ctx, input['ApiId']).authorizers), input);

export const deleteAuthorizer: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const a = authorizerOf(api, input['AuthorizerId']);
  if (Object.values(api.routes).some((r) => r.AuthorizerId === a.AuthorizerId)) throw badRequest(`Cannot delete Authorizer ${a.AuthorizerId}, is referenced by a Route`);
  delete api.authorizers[a.AuthorizerId];
  save(ctx, api, true);
  return {};
};

export const updateAuthorizer: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const a = assignGiven({ ...authorizerOf(api, input['AuthorizerId']) }, input, ['AuthorizerType', 'Name', 'IdentitySource', 'AuthorizerUri',
    'AuthorizerCredentialsArn', 'AuthorizerPayloadFormatVersion', 'AuthorizerResultTtlInSeconds', 'EnableSimpleResponses', 'IdentityValidationExpression',
    'JwtConfiguration']);
  check(a);
  api.authorizers[a.AuthorizerId] = a;
  save(ctx, api, true);
  return { ...a };
};
