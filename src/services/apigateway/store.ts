/**
 * API Gateway (REST APIs, v1) state of one account × region. A REST API is one record holding
 * its resource tree, authorizers, validators, models and gateway responses, because a
 * deployment snapshots exactly that set; API keys, usage plans and usage counters are
 * account-regional and live in their own collections.
 */
import { randomBytes } from 'node:crypto';
import type { Collection, Stores } from '../../core/store.js';
import { notFound } from './errors.js';

export interface IntegrationResponseRecord {
  statusCode: string;
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
  contentHandling?: string;
}

export interface IntegrationRecord {
  type: string;
  httpMethod?: string;
  uri?: string;
  connectionType?: string;
  connectionId?: string;
  credentials?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  passthroughBehavior?: string;
  contentHandling?: string;
  timeoutInMillis: number;
  cacheNamespace?: string;
  cacheKeyParameters: string[];
  integrationResponses?: Record<string, IntegrationResponseRecord>;
}

export interface MethodResponseRecord {
  statusCode: string;
  responseParameters?: Record<string, boolean>;
  responseModels?: Record<string, string>;
}

export interface MethodRecord {
  httpMethod: string;
  authorizationType: string;
  authorizerId?: string;
  apiKeyRequired: boolean;
  requestValidatorId?: string;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  authorizationScopes?: string[];
  methodResponses?: Record<string, MethodResponseRecord>;
  methodIntegration?: IntegrationRecord;
}

export interface ResourceRecord {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  resourceMethods?: Record<string, MethodRecord>;
}

export interface AuthorizerRecord {
  id: string;
  name: string;
  type: string;
  providerARNs?: string[];
  authType?: string;
  authorizerUri?: string;
  authorizerCredentials?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds?: number;
}

export interface ValidatorRecord {
  id: string;
  name?: string;
  validateRequestBody: boolean;
  validateRequestParameters: boolean;
}

export interface ModelRecord {
  id: string;
  name: string;
  description?: string;
  schema?: string;
  contentType: string;
}

export interface GatewayResponseRecord {
  responseType: string;
  statusCode?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
}

/** What a deployment freezes: the API as it was when deployed. */
export interface ApiSnapshot {
  resources: Record<string, ResourceRecord>;
  authorizers: Record<string, AuthorizerRecord>;
  validators: Record<string, ValidatorRecord>;
  models: Record<string, ModelRecord>;
  gatewayResponses: Record<string, GatewayResponseRecord>;
  apiKeySource: string;
  binaryMediaTypes: string[];
}

export interface DeploymentRecord {
  id: string;
  description?: string;
  createdDate: number;
  snapshot: ApiSnapshot;
}

export interface MethodSetting {
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
  [k: string]: unknown;
}

export interface StageRecord {
  stageName: string;
  deploymentId: string;
  description?: string;
  cacheClusterEnabled: boolean;
  cacheClusterStatus: string;
  variables?: Record<string, string>;
  tracingEnabled: boolean;
  methodSettings: Record<string, MethodSetting>;
  tags?: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
}

export interface RestApiRecord extends ApiSnapshot {
  id: string;
  name: string;
  description?: string;
  version?: string;
  createdDate: number;
  minimumCompressionSize?: number;
  endpointConfiguration: { types: string[]; ipAddressType: string };
  policy?: string;
  tags?: Record<string, string>;
  disableExecuteApiEndpoint: boolean;
  rootResourceId: string;
  deployments: Record<string, DeploymentRecord>;
  stages: Record<string, StageRecord>;
}

export interface ApiKeyRecord {
  id: string;
  value: string;
  name?: string;
  customerId?: string;
  description?: string;
  enabled: boolean;
  createdDate: number;
  lastUpdatedDate: number;
  stageKeys: string[];
  tags?: Record<string, string>;
}

export interface ThrottleSettings {
  burstLimit?: number;
  rateLimit?: number;
}

export interface UsagePlanRecord {
  id: string;
  name: string;
  description?: string;
  apiStages: { apiId: string; stage: string; throttle?: Record<string, ThrottleSettings> }[];
  throttle?: ThrottleSettings;
  quota?: { limit: number; offset?: number; period: string };
  tags?: Record<string, string>;
  /** API key ids on this plan. */
  keys: string[];
  createdMs: number;
}

export interface ApiGatewayState {
  restApis: Collection<RestApiRecord>;
  apiKeys: Collection<ApiKeyRecord>;
  usagePlans: Collection<UsagePlanRecord>;
  /** Requests counted per plan, key and UTC day: `planId/keyId` → { 'YYYY-MM-DD': used }. */
  usage: Collection<Record<string, number>>;
  /** Account settings (key `account`): the CloudWatch role. */
  settings: Collection<{ cloudwatchRoleArn?: string }>;
}

export function apigatewayState(stores: Stores, account: string, region: string): ApiGatewayState {
  return stores.scope('apigateway', account, region, (c) => ({
    restApis: c.collection<RestApiRecord>('restApis'),
    apiKeys: c.collection<ApiKeyRecord>('apiKeys'),
    usagePlans: c.collection<UsagePlanRecord>('usagePlans'),
    usage: c.collection<Record<string, number>>('usage'),
    settings: c.collection<{ cloudwatchRoleArn?: string }>('settings'),
  }));
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** An API Gateway id: lower-case alphanumerics (10 for APIs and keys, 6 for the parts of an API). */
export function gatewayId(len: number): string {
  let out = '';
  for (const b of randomBytes(len)) out += ALNUM[b % ALNUM.length];
  return out;
}

/** The REST API `id` of the caller's account and region, or AWS's NotFoundException. */
export function restApiOf(state: ApiGatewayState, account: string, id: unknown): RestApiRecord {
  const api = typeof id === 'string' ? state.restApis.get(id) : undefined;
  if (!api) throw notFound(`Invalid API identifier specified ${account}:${String(id)}`);
  return api;
}

export function resourceOf(api: RestApiRecord, id: unknown): ResourceRecord {
  const r = typeof id === 'string' ? api.resources[id] : undefined;
  if (!r) throw notFound('Invalid Resource identifier specified');
  return r;
}

export function methodOf(api: RestApiRecord, resourceId: unknown, httpMethod: unknown): MethodRecord {
  const m = resourceOf(api, resourceId).resourceMethods?.[String(httpMethod)];
  if (!m) throw notFound('Invalid Method identifier specified');
  return m;
}

/** The snapshot a deployment keeps: deep-copied so later edits do not leak into it. */
export function snapshotOf(api: RestApiRecord): ApiSnapshot {
  return structuredClone({
    resources: api.resources, authorizers: api.authorizers, validators: api.validators, models: api.models,
    gatewayResponses: api.gatewayResponses, apiKeySource: api.apiKeySource, binaryMediaTypes: api.binaryMediaTypes,
  });
}

/** Drops undefined members so the wire output carries only what is set. */
export function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
