/** Connections (HTTP authorization for API destinations) and API destinations. */
import { randomUUID } from 'node:crypto';
import { partitionOf } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { page, stateOf, str, withDefined, type In } from './common.js';
import { alreadyExists, check, constraintErrors, NAME, notFound } from './errors.js';
import type { ApiDestinationRecord, ConnectionRecord, EventsState } from './store.js';

const AUTH_TYPES = ['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY'];
const METHODS = ['HEAD', 'POST', 'PATCH', 'DELETE', 'PUT', 'GET', 'OPTIONS'];
const CONNECTION_ARN = /^arn:aws([a-z]|-)*:events:([a-z]|\d|-)*:([0-9]{12})?:connection\/[.\-_A-Za-z0-9]+\/[-A-Za-z0-9]+$/;
const CONNECTION_ARN_TEXT = '^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$';

function enumProblem(problems: string[], value: unknown, path: string, allowed: string[]): void {
  if (typeof value === 'string' && !allowed.includes(value)) {
    problems.push(`Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
}

function arnOf(s: EventsState, kind: string, name: string): string {
  return `arn:${partitionOf(s.region)}:events:${s.region}:${s.account}:${kind}/${name}/${randomUUID()}`;
}

/** What DescribeConnection shows: the parameters without their secrets. */
function publicAuth(c: ConnectionRecord): In {
  const p = c.authParameters as Record<string, Record<string, unknown> | undefined>;
  const out: In = {};
  if (p['BasicAuthParameters']) out['BasicAuthParameters'] = { Username: p['BasicAuthParameters']['Username'] };
  if (p['ApiKeyAuthParameters']) out['ApiKeyAuthParameters'] = { ApiKeyName: p['ApiKeyAuthParameters']['ApiKeyName'] };
  const o = p['OAuthParameters'];
  if (o) {
    out['OAuthParameters'] = withDefined({
      ClientParameters: { ClientID: (o['ClientParameters'] as In | undefined)?.['ClientID'] }, AuthorizationEndpoint: o['AuthorizationEndpoint'],
      HttpMethod: o['HttpMethod'], OAuthHttpParameters: o['OAuthHttpParameters'],
    });
  }
  out['InvocationHttpParameters'] = p['InvocationHttpParameters'] ?? {};
  return out;
}

function findConnection(s: EventsState, name: string, describing = false): ConnectionRecord {
  const c = s.connections.get(name);
  if (!c) throw notFound(describing ? `Failed to describe the connection(s). Connection '${name}' does not exist.` : `Connection '${name}' does not exist.`);
  return c;
}

function connectionSummary(c: ConnectionRecord): In {
  return { ConnectionArn: c.arn, ConnectionState: c.state, CreationTime: new Date(c.createdMs), LastModifiedTime: new Date(c.modifiedMs), LastAuthorizedTime: new Date(c.authorizedMs) };
}

export const createConnection: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = str(input, 'Name')!;
  const problems: string[] = [];
  check(problems, name, 'name', NAME);
  enumProblem(problems, input['AuthorizationType'], 'authorizationType', AUTH_TYPES);
  if (problems.length) throw constraintErrors(problems);
  if (s.connections.has(name)) throw alreadyExists(`Connection ${name} already exists.`);
  const now = ctx.clock.nowMs();
  const arn = arnOf(s, 'connection', name);
  const c: ConnectionRecord = {
    name, arn, authorizationType: input['AuthorizationType'] as ConnectionRecord['authorizationType'], authParameters: (input['AuthParameters'] ?? {}) as In,
    state: 'AUTHORIZED', secretArn: `arn:${partitionOf(s.region)}:secretsmanager:${s.region}:${s.account}:secret:events!connection/${name}/${randomUUID()}`,
    createdMs: now, modifiedMs: now, authorizedMs: now,
  };
  if (str(input, 'Description') !== undefined) c.description = str(input, 'Description')!;
  s.connections.set(name, c);
  return { ConnectionArn: arn, ConnectionState: c.state, CreationTime: new Date(now), LastModifiedTime: new Date(now) };
};

export const describeConnection: Handler = (input, ctx) => {
  const c = findConnection(stateOf(ctx), str(input, 'Name')!, true);
  return withDefined({
    ...connectionSummary(c), Name: c.name, Description: c.description, AuthorizationType: c.authorizationType, AuthParameters: publicAuth(c), SecretArn: c.secretArn,
  });
};

export const listConnections: Handler = (input, ctx) => {
  const prefix = str(input, 'NamePrefix') ?? '';
  const state = str(input, 'ConnectionState');
  const all = [...stateOf(ctx).connections.values()].filter((c) => c.name.startsWith(prefix) && (!state || c.state === state)).sort((a, b) => a.name.localeCompare(b.name));
  const p = page(all, input);
  return withDefined({ Connections: p.items.map((c) => ({ ...connectionSummary(c), Name: c.name, AuthorizationType: c.authorizationType })), NextToken: p.next });
};

export const updateConnection: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const c = findConnection(s, str(input, 'Name')!);
  const problems: string[] = [];
  enumProblem(problems, input['AuthorizationType'], 'authorizationType', AUTH_TYPES);
  if (problems.length) throw constraintErrors(problems);
  if (input['AuthorizationType'] !== undefined) c.authorizationType = input['AuthorizationType'] as ConnectionRecord['authorizationType'];
  if (input['AuthParameters'] !== undefined) c.authParameters = { ...c.authParameters, ...(input['AuthParameters'] as In) };
  if (str(input, 'Description') !== undefined) c.description = str(input, 'Description')!;
  c.modifiedMs = c.authorizedMs = ctx.clock.nowMs();
  c.state = 'AUTHORIZED';
  s.connections.set(c.name, c);
  return connectionSummary(c);
};

export const deauthorizeConnection: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const c = findConnection(s, str(input, 'Name')!);
  c.state = 'DEAUTHORIZED';
  c.modifiedMs = ctx.clock.nowMs();
  s.connections.set(c.name, c);
  return connectionSummary(c);
};

export const deleteConnection: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const c = findConnection(s, str(input, 'Name')!);
  s.connections.delete(c.name);
  return { ...connectionSummary(c), ConnectionState: 'DELETING' };
};

function destinationOut(d: ApiDestinationRecord, full: boolean): In {
  return withDefined({
    ApiDestinationArn: d.arn, Name: full ? d.name : undefined, Description: full ? d.description : undefined, ApiDestinationState: 'ACTIVE',
    ConnectionArn: full ? d.connectionArn : undefined, InvocationEndpoint: full ? d.endpoint : undefined, HttpMethod: full ? d.httpMethod : undefined,
    InvocationRateLimitPerSecond: full ? d.rateLimit : undefined, CreationTime: new Date(d.createdMs), LastModifiedTime: new Date(d.modifiedMs),
  });
}

function checkDestination(s: EventsState, input: In, problems: string[]): void {
  const arn = str(input, 'ConnectionArn');
  if (arn !== undefined && !CONNECTION_ARN.test(arn)) {
    problems.push(`Value '${arn}' at 'connectionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${CONNECTION_ARN_TEXT}`);
  }
  enumProblem(problems, input['HttpMethod'], 'httpMethod', METHODS);
  const rate = input['InvocationRateLimitPerSecond'];
  if (typeof rate === 'number' && rate < 1) problems.push(`Value '${rate}' at 'invocationRateLimitPerSecond' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (problems.length) throw constraintErrors(problems);
  if (arn !== undefined && ![...s.connections.values()].some((c) => c.arn === arn)) throw notFound(`Connection '${arn.split('/')[1]}' does not exist.`);
}

export const createApiDestination: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const name = str(input, 'Name')!;
  const problems: string[] = [];
  check(problems, name, 'name', NAME);
  checkDestination(s, input, problems);
  if (s.destinations.has(name)) throw alreadyExists(`An api-destination '${name}' already exists.`);
  const now = ctx.clock.nowMs();
  const d: ApiDestinationRecord = {
    name, arn: arnOf(s, 'api-destination', name), connectionArn: str(input, 'ConnectionArn')!, endpoint: str(input, 'InvocationEndpoint')!,
    httpMethod: str(input, 'HttpMethod')!, rateLimit: (input['InvocationRateLimitPerSecond'] as number | undefined) ?? 300, createdMs: now, modifiedMs: now,
  };
  if (str(input, 'Description') !== undefined) d.description = str(input, 'Description')!;
  s.destinations.set(name, d);
  return destinationOut(d, false);
};

function findDestination(s: EventsState, name: string, describing = false): ApiDestinationRecord {
  const d = s.destinations.get(name);
  if (!d) throw notFound(describing ? `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.` : `An api-destination '${name}' does not exist.`);
  return d;
}

export const describeApiDestination: Handler = (input, ctx) => destinationOut(findDestination(stateOf(ctx), str(input, 'Name')!, true), true);

export const listApiDestinations: Handler = (input, ctx) => {
  const prefix = str(input, 'NamePrefix') ?? '';
  const conn = str(input, 'ConnectionArn');
  const all = [...stateOf(ctx).destinations.values()].filter((d) => d.name.startsWith(prefix) && (!conn || d.connectionArn === conn))
    .sort((a, b) => a.name.localeCompare(b.name));
  const p = page(all, input);
  return withDefined({ ApiDestinations: p.items.map((d) => ({ ...destinationOut(d, true), Description: undefined })), NextToken: p.next });
};

export const updateApiDestination: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  const d = findDestination(s, str(input, 'Name')!);
  checkDestination(s, input, []);
  if (str(input, 'ConnectionArn') !== undefined) d.connectionArn = str(input, 'ConnectionArn')!;
  if (str(input, 'InvocationEndpoint') !== undefined) d.endpoint = str(input, 'InvocationEndpoint')!;
  if (str(input, 'HttpMethod') !== undefined) d.httpMethod = str(input, 'HttpMethod')!;
  if (typeof input['InvocationRateLimitPerSecond'] === 'number') d.rateLimit = input['InvocationRateLimitPerSecond'];
  if (str(input, 'Description') !== undefined) d.description = str(input, 'Description')!;
  d.modifiedMs = ctx.clock.nowMs();
  s.destinations.set(d.name, d);
  return destinationOut(d, false);
};

export const deleteApiDestination: Handler = (input, ctx) => {
  const s = stateOf(ctx);
  s.destinations.delete(findDestination(s, str(input, 'Name')!).name);
  return {};
};
