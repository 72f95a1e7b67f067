/** Health checks: create (idempotent by caller reference), read, update, delete, list, status and failure reasons. */
import { AwsError } from '../../core/errors.js';
import { randomUUID } from 'node:crypto';
import type { Handler } from '../types.js';
import { invalidInput, noSuchHealthCheck } from './errors.js';
import { checkersOf, isHealthy, schedule, stop } from './prober.js';
import { markerPage, stateOf, type HealthCheckRecord, type Route53State } from './store.js';

const TYPES = ['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP', 'CALCULATED', 'CLOUDWATCH_METRIC', 'RECOVERY_CONTROL'];
const ENDPOINT_TYPES = ['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'];
/** The checker Regions Route 53 uses when a check names none. */
const CHECKER_REGIONS = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];

/** Fills AWS's defaults and checks the combinations AWS refuses. */
function completeConfig(cfg: Record<string, unknown>): Record<string, unknown> {
  const type = String(cfg['Type']);
  if (!TYPES.includes(type)) throw invalidInput(`Invalid request: Invalid health check type '${type}'`);
  const out: Record<string, unknown> = { ...cfg };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  if (ENDPOINT_TYPES.includes(type)) {
    if (out['IPAddress'] === undefined && out['FullyQualifiedDomainName'] === undefined) {
      throw invalidInput('Invalid request: A health check of this type requires either IPAddress or FullyQualifiedDomainName.');
    }
    if (type.includes('STR_MATCH') && out['SearchString'] === undefined) throw invalidInput('Invalid request: SearchString is required for a health check of type ' + type + '.');
    out['Port'] ??= type.startsWith('HTTPS') ? 443 : 80;
    if (type !== 'TCP') out['ResourcePath'] ??= '/';
    out['RequestInterval'] ??= 30;
    out['FailureThreshold'] ??= 3;
    out['MeasureLatency'] ??= false;
    out['EnableSNI'] ??= type.startsWith('HTTPS');
    if (![10, 30].includes(Number(out['RequestInterval']))) throw invalidInput('Invalid request: RequestInterval must be 10 or 30.');
    const ft = Number(out['FailureThreshold']);
    if (!Number.isInteger(ft) || ft < 1 || ft > 10) throw invalidInput(`1 validation error detected: Value '${ft}' at 'healthCheckConfig.failureThreshold' failed to satisfy constraint: Member must have value between 1 and 10`);
  }
  if (type === 'CALCULATED') {
    const children = (out['ChildHealthChecks'] as string[] | undefined) ?? [];
    if (children.length > 256) throw invalidInput('Invalid request: A calculated health check can have at most 256 child health checks.');
    out['HealthThreshold'] ??= children.length;
    out['ChildHealthChecks'] = children;
  }
  out['Inverted'] ??= false;
  out['Disabled'] ??= false;
  return out;
}

function getCheck(state: Route53State, id: unknown): HealthCheckRecord {
  const hc = state.healthChecks.get(String(id));
  if (!hc) throw noSuchHealthCheck(String(id));
  return hc;
}

const out = (hc: HealthCheckRecord): Record<string, unknown> => ({
  Id: hc.Id, CallerReference: hc.CallerReference, HealthCheckConfig: hc.HealthCheckConfig, HealthCheckVersion: hc.HealthCheckVersion,
});

export const createHealthCheck: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const ref = String(input['CallerReference']);
  const config = completeConfig(input['HealthCheckConfig'] as Record<string, unknown>);
  const prior = [...state.healthChecks.values()].find((h) => h.CallerReference === ref);
  if (prior) {
    if (JSON.stringify(prior.HealthCheckConfig) === JSON.stringify(config)) return { HealthCheck: out(prior), Location: location(prior.Id) };
    throw new AwsError('HealthCheckAlreadyExists', `A health check with the same CallerReference ${ref} already exists.`, 409);
  }
  const hc: HealthCheckRecord = { Id: randomUUID(), CallerReference: ref, HealthCheckConfig: config, HealthCheckVersion: 1, tags: {}, createdMs: ctx.clock.nowMs() };
  state.healthChecks.set(hc.Id, hc);
  schedule(ctx, ctx.account, hc);
  return { HealthCheck: out(hc), Location: location(hc.Id) };
};

const location = (id: string): string => `https://route53.amazonaws.com/2013-04-01/healthcheck/${id}`;

export const getHealthCheck: Handler = (input, ctx) => ({ HealthCheck: out(getCheck(stateOf(ctx.stores, ctx.account), input['HealthCheckId'])) });

export const getHealthCheckCount: Handler = (_input, ctx) => ({ HealthCheckCount: stateOf(ctx.stores, ctx.account).healthChecks.size });

export const listHealthChecks: Handler = (input, ctx) => {
  const p = markerPage([...stateOf(ctx.stores, ctx.account).healthChecks.values()], (h) => h.Id, input, 1000);
  return { HealthChecks: p.page.map(out), Marker: p.marker ?? '', IsTruncated: p.next !== undefined, ...(p.next ? { NextMarker: p.next.Id } : {}), MaxItems: p.max };
};

export const deleteHealthCheck: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const hc = getCheck(state, input['HealthCheckId']);
  for (const z of state.zones.values()) {
    if (z.records.some((r) => r.HealthCheckId === hc.Id)) {
      throw new AwsError('HealthCheckInUse', `The health check ${hc.Id} is still referenced from a resource record set.`, 400);
    }
  }
  state.healthChecks.delete(hc.Id);
  stop(ctx, hc.Id);
  return {};
};

export const updateHealthCheck: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const hc = getCheck(state, input['HealthCheckId']);
  if (input['HealthCheckVersion'] !== undefined && Number(input['HealthCheckVersion']) !== hc.HealthCheckVersion) {
    throw new AwsError('HealthCheckVersionMismatch', 'The value of HealthCheckVersion in the request doesn\'t match the value of HealthCheckVersion in the health check.', 409);
  }
  const patch: Record<string, unknown> = {};
  for (const k of ['IPAddress', 'Port', 'ResourcePath', 'FullyQualifiedDomainName', 'SearchString', 'FailureThreshold', 'Inverted', 'Disabled',
    'HealthThreshold', 'ChildHealthChecks', 'EnableSNI', 'Regions', 'AlarmIdentifier', 'InsufficientDataHealthStatus']) {
    if (input[k] !== undefined) patch[k] = input[k];
  }
  hc.HealthCheckConfig = completeConfig({ ...hc.HealthCheckConfig, ...patch });
  hc.HealthCheckVersion++;
  state.healthChecks.set(hc.Id, hc);
  schedule(ctx, ctx.account, hc);
  return { HealthCheck: out(hc) };
};

function observations(input: Record<string, unknown>, ctx: Parameters<Handler>[1], failuresOnly: boolean): Record<string, unknown> {
  const state = stateOf(ctx.stores, ctx.account);
  const hc = getCheck(state, input['HealthCheckId']);
  const regions = (hc.HealthCheckConfig['Regions'] as string[] | undefined) ?? CHECKER_REGIONS;
  if (hc.HealthCheckConfig['Type'] === 'CALCULATED') {
    throw invalidInput('Invalid request: GetHealthCheckStatus and GetHealthCheckLastFailureReason are not supported for calculated health checks.');
  }
  const s = checkersOf(ctx).status.get(hc.Id);
  const r = failuresOnly ? s?.lastFailure : s?.last;
  const healthy = isHealthy(ctx, state, hc.Id);
  // One checker result, reported from each checker Region (Drydock probes once, from here).
  const report = r ? { Status: r.report, CheckedTime: new Date(r.atMs) }
    : failuresOnly ? undefined : { Status: healthy ? 'Success: no check has run yet' : 'Failure: no check has run yet', CheckedTime: ctx.clock.now() };
  return {
    HealthCheckObservations: report ? regions.map((region, i) => ({ Region: region, IPAddress: `15.177.${i * 8}.${10 + i}`, StatusReport: report })) : [],
  };
}

export const getHealthCheckStatus: Handler = (input, ctx) => observations(input, ctx, false);
export const getHealthCheckLastFailureReason: Handler = (input, ctx) => observations(input, ctx, true);
