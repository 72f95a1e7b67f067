/** Integrations of HTTP APIs: Lambda proxy (payload 1.0 or 2.0) and HTTP proxy. */
import type { Handler } from '../../types.js';
import { badRequest, notFound } from '../errors.js';
import { clean, v2Id, type ApiRecord, type IntegrationRecord } from '../store.js';
import { apiOf, assignGiven, page, save } from './common.js';

function integrationOf(api: ApiRecord, id: unknown): IntegrationRecord {
  const i = api.integrations[String(id)];
  if (!i) throw notFound(`Invalid Integration identifier specified ${String(id)}`, 'Integration');
  return i;
}

function check(api: ApiRecord, i: IntegrationRecord): void {
  if (!['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK'].includes(i.IntegrationType)) throw badRequest('Invalid integration type specified. Valid options are AWS,AWS_PROXY,HTTP,HTTP_PROXY,MOCK');
  if (api.ProtocolType === 'HTTP' && !['AWS_PROXY', 'HTTP_PROXY'].includes(i.IntegrationType)) throw badRequest(`Integration type ${i.IntegrationType} is not supported for HTTP APIs`);
  if (!['1.0', '2.0'].includes(i.PayloadFormatVersion)) throw badRequest('Invalid PayloadFormatVersion specified. Valid options are 1.0,2.0');
  if (i.IntegrationType === 'HTTP_PROXY' && i.PayloadFormatVersion !== '1.0') throw badRequest('PayloadFormatVersion 2.0 is only supported for AWS_PROXY integrations');
  if (!(i.TimeoutInMillis >= 50 && i.TimeoutInMillis <= 30000)) throw badRequest('Timeout must be between 50 ms and 30000 ms');
  if (!i.IntegrationUri) throw badRequest('IntegrationUri is required for integrations of type ' + i.IntegrationType);
  if (i.IntegrationType === 'HTTP_PROXY') {
    try { new URL(i.IntegrationUri); } catch { throw badRequest(`Invalid HTTP endpoint specified for URI`); }
  }
}

export const createIntegration: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const type = String(input['IntegrationType']);
  const i: IntegrationRecord = clean({
    IntegrationId: v2Id(7), IntegrationType: type, IntegrationUri: input['IntegrationUri'] as string | undefined,
    IntegrationMethod: (input['IntegrationMethod'] as string | undefined) ?? (type === 'AWS_PROXY' ? 'POST' : undefined),
    PayloadFormatVersion: (input['PayloadFormatVersion'] as string | undefined) ?? '1.0',
    TimeoutInMillis: (input['TimeoutInMillis'] as number | undefined) ?? 30000, ConnectionType: (input['ConnectionType'] as string | undefined) ?? 'INTERNET',
    CredentialsArn: input['CredentialsArn'] as string | undefined, Description: input['Description'] as string | undefined,
    RequestParameters: input['RequestParameters'] as Record<string, string> | undefined,
    ResponseParameters: input['ResponseParameters'] as Record<string, Record<string, string>> | undefined,
  });
  check(api, i);
  api.integrations[i.IntegrationId] = i;
  save(ctx, api, true);
  return { ...i };
};

export const getIntegration: Handler = (input, ctx) => ({ ...integrationOf(apiOf(ctx, input['ApiId']), input['IntegrationId']) });

export const getIntegrations: Handler = (input, ctx) => page(Object.values(apiOf(ctx, input['ApiId']).integrations), input);

export const deleteIntegration: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const i = integrationOf(api, input['IntegrationId']);
  if (Object.values(api.routes).some((r) => r.Target === `integrations/${i.IntegrationId}`)) {
    throw badRequest(`Cannot delete Integration ${i.IntegrationId}, is referenced by a Route`);
  }
  delete api.integrations[i.IntegrationId];
  save(ctx, api, true);
  return {};
};

export const updateIntegration: Handler = (input, ctx) => {
  const api = apiOf(ctx, input['ApiId']);
  const i = integrationOf(api, input['IntegrationId']);
  const next = assignGiven({ ...i }, input, ['IntegrationType', 'IntegrationUri', 'IntegrationMethod', 'PayloadFormatVersion', 'TimeoutInMillis', 'CredentialsArn',
    'Description', 'RequestParameters', 'ResponseParameters']);
  check(api, next);
  api.integrations[i.IntegrationId] = next;
  save(ctx, api, true);
  return { ...next };
};
