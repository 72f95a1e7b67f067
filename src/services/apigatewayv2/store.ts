/**
 * API Gateway v2 (HTTP APIs) state of one account × region: each API is one record with its
 * routes, integrations, authorizers, deployments (snapshots of routes, integrations and
 * authorizers) and stages.
 */
import { randomBytes } from 'node:crypto';
import type { Collection, Stores } from '../../core/store.js';
import { notFound } from './errors.js';

export interface CorsConfig {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

export interface RouteRecord {
  RouteId: string;
  RouteKey: string;
  ApiKeyRequired: boolean;
  AuthorizationType: string;
  AuthorizerId?: string;
  AuthorizationScopes?: string[];
  OperationName?: string;
  Target?: string;
  RequestParameters?: Record<string, unknown>;
  ApiGatewayManaged?: boolean;
}

export interface IntegrationRecord {
  IntegrationId: string;
  IntegrationType: string;
  IntegrationUri?: string;
  IntegrationMethod?: string;
  PayloadFormatVersion: string;
  TimeoutInMillis: number;
  ConnectionType: string;
  CredentialsArn?: string;
  Description?: string;
  RequestParameters?: Record<string, string>;
  ResponseParameters?: Record<string, Record<string, string>>;
  ApiGatewayManaged?: boolean;
}

export interface AuthorizerRecord {
  AuthorizerId: string;
  AuthorizerType: string;
  Name: string;
  IdentitySource?: string[];
  AuthorizerUri?: string;
  AuthorizerCredentialsArn?: string;
  AuthorizerPayloadFormatVersion?: string;
  AuthorizerResultTtlInSeconds?: number;
  EnableSimpleResponses?: boolean;
  IdentityValidationExpression?: string;
  JwtConfiguration?: { Audience?: string[]; Issuer?: string };
}

export interface Snapshot {
  routes: Record<string, RouteRecord>;
  integrations: Record<string, IntegrationRecord>;
  authorizers: Record<string, AuthorizerRecord>;
}

export interface DeploymentRecord {
  DeploymentId: string;
  Description?: string;
  CreatedDate: number;
  AutoDeployed: boolean;
  snapshot: Snapshot;
}

export interface StageRecord {
  StageName: string;
  AutoDeploy: boolean;
  DeploymentId?: string;
  Description?: string;
  StageVariables?: Record<string, string>;
  DefaultRouteSettings?: { ThrottlingBurstLimit?: number; ThrottlingRateLimit?: number; DetailedMetricsEnabled?: boolean };
  RouteSettings?: Record<string, { ThrottlingBurstLimit?: number; ThrottlingRateLimit?: number }>;
  Tags?: Record<string, string>;
  CreatedDate: number;
  LastUpdatedDate: number;
  ApiGatewayManaged?: boolean;
}

export interface ApiRecord extends Snapshot {
  ApiId: string;
  Name: string;
  ProtocolType: string;
  RouteSelectionExpression: string;
  ApiKeySelectionExpression: string;
  CorsConfiguration?: CorsConfig;
  Description?: string;
  DisableExecuteApiEndpoint: boolean;
  IpAddressType: string;
  Version?: string;
  Tags?: Record<string, string>;
  CreatedDate: number;
  deployments: Record<string, DeploymentRecord>;
  stages: Record<string, StageRecord>;
}

export interface V2State {
  apis: Collection<ApiRecord>;
}

export function v2State(stores: Stores, account: string, region: string): V2State {
  return stores.scope('apigatewayv2', account, region, (c) => ({ apis: c.collection<ApiRecord>('apis') }));
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A lower-case alphanumeric id, as API Gateway issues (10 for APIs, 7 for their parts). */
export function v2Id(len: number): string {
  let out = '';
  for (const b of randomBytes(len)) out += ALNUM[b % ALNUM.length];
  return out;
}

export function apiOf(state: V2State, id: unknown): ApiRecord {
  const api = typeof id === 'string' ? state.apis.get(id) : undefined;
  if (!api) throw notFound(`Invalid API identifier specified ${String(id)}`, 'Api');
  return api;
}

export function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** What a deployment freezes. */
export function snapshotOf(api: ApiRecord): Snapshot {
  return structuredClone({ routes: api.routes, integrations: api.integrations, authorizers: api.authorizers });
}
