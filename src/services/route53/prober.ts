/**
 * Health checkers: each health check is probed on the clock at its RequestInterval with a
 * real HTTP, HTTPS or TCP request from this machine. The status flips after FailureThreshold
 * consecutive results that disagree with it, as Route 53 does. A region outage in the fault
 * registry fails the checks of endpoints in that region without probing.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { TimerId } from '../../core/clock.js';
import { placeOf } from '../../engines/dns/index.js';
import type { Clock } from '../../core/clock.js';
import type { FaultRegistry } from '../../core/faults.js';
import type { Stores } from '../../core/store.js';
import { stateOf, type HealthCheckRecord, type Route53State } from './store.js';

/** What the checkers need: a handler's context or the service host. */
export interface CheckEnv { clock: Clock; stores: Stores; faults: FaultRegistry }

export interface ProbeResult { ok: boolean; report: string; atMs: number }

export interface CheckStatus {
  healthy: boolean;
  /** Consecutive results that disagree with `healthy`. */
  streak: number;
  last?: ProbeResult;
  lastFailure?: ProbeResult;
  /** Endpoint Region the check was attributed to, for explanations. */
  region?: string;
}

interface Checkers { timers: Map<string, TimerId>; status: Map<string, CheckStatus> }

const byHost = new WeakMap<object, Checkers>();

export function checkersOf(host: { clock: object }): Checkers {
  let c = byHost.get(host.clock);
  if (!c) byHost.set(host.clock, (c = { timers: new Map(), status: new Map() }));
  return c;
}

/** The Region an endpoint is in: the `drydock:region` tag, a record that names one, or the test-network table. */
export function endpointRegion(state: Route53State, hc: HealthCheckRecord): string | undefined {
  if (hc.tags['drydock:region']) return hc.tags['drydock:region'];
  for (const z of state.zones.values()) {
    for (const r of z.records) {
      if (r.HealthCheckId !== hc.Id) continue;
      const region = r.Region ?? r.GeoProximityLocation?.AWSRegion;
      if (region) return region;
    }
  }
  return placeOf(hc.HealthCheckConfig['IPAddress'] as string | undefined)?.region;
}

const TIMEOUT_MS = 4000;

function probe(cfg: Record<string, unknown>): Promise<{ ok: boolean; report: string }> {
  const type = String(cfg['Type']);
  const host = String(cfg['IPAddress'] ?? cfg['FullyQualifiedDomainName']);
  const port = Number(cfg['Port'] ?? (type.startsWith('HTTPS') ? 443 : 80));
  if (type === 'TCP') {
    return new Promise((resolve) => {
      const s = connect({ host, port, timeout: TIMEOUT_MS });
      s.once('connect', () => { s.destroy(); resolve({ ok: true, report: 'Success: TCP connection established.' }); });
      s.once('timeout', () => { s.destroy(); resolve({ ok: false, report: 'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.' }); });
      s.once('error', (e) => resolve({ ok: false, report: `Failure: Connection refused. The endpoint refused the connection (${(e as NodeJS.ErrnoException).code ?? e.message}).` }));
    });
  }
  const search = cfg['SearchString'] as string | undefined;
  const req = type.startsWith('HTTPS') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const r = req({
      host, port, path: String(cfg['ResourcePath'] ?? '/'), method: 'GET', timeout: TIMEOUT_MS, rejectUnauthorized: false,
      headers: { host: String(cfg['FullyQualifiedDomainName'] ?? host), 'user-agent': 'Amazon-Route53-Health-Check-Service (ref drydock)' },
    }, (res) => {
      const status = res.statusCode ?? 0;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { if (body.length < 5120) body += d; });
      res.on('end', () => {
        if (status < 200 || status >= 400) return resolve({ ok: false, report: `Failure: HTTP Status Code ${status}, ${res.statusMessage ?? ''}. Resolved IP: ${host}` });
        if (search !== undefined && !body.slice(0, 5120).includes(search)) {
          return resolve({ ok: false, report: `Failure: Search string '${search}' was not found in the response body (first 5120 bytes). Resolved IP: ${host}` });
        }
        resolve({ ok: true, report: `Success: HTTP Status Code ${status}, ${res.statusMessage ?? 'OK'}` });
      });
    });
    r.on('timeout', () => { r.destroy(); resolve({ ok: false, report: 'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.' }); });
    r.on('error', (e) => resolve({ ok: false, report: `Failure: Connection refused. The endpoint refused the connection (${(e as NodeJS.ErrnoException).code ?? e.message}). Resolved IP: ${host}` }));
    r.end();
  });
}

function record(c: Checkers, hc: HealthCheckRecord, result: ProbeResult, region?: string): void {
  const s = c.status.get(hc.Id) ?? { healthy: true, streak: 0 };
  const threshold = Number(hc.HealthCheckConfig['FailureThreshold'] ?? 3);
  s.last = result;
  s.region = region;
  if (!result.ok) s.lastFailure = result;
  if (result.ok === s.healthy) s.streak = 0;
  else if (++s.streak >= threshold) { s.healthy = result.ok; s.streak = 0; }
  c.status.set(hc.Id, s);
}

/** One round of checking: the fault registry first, then a real probe. */
async function runCheck(host: CheckEnv, account: string, id: string): Promise<void> {
  const state = stateOf(host.stores, account);
  const hc = state.healthChecks.get(id);
  const c = checkersOf(host);
  if (!hc) return stop(host, id);
  const atMs = host.clock.nowMs();
  const region = endpointRegion(state, hc);
  if (region && host.faults.regionDown(region)) {
    record(c, hc, { ok: false, atMs, report: `Failure: Connection timed out. The endpoint's region ${region} is unreachable (region outage).` }, region);
    return;
  }
  const r = await probe(hc.HealthCheckConfig);
  if (state.healthChecks.get(id) === hc) record(c, hc, { ...r, atMs }, region);
}

export function schedule(host: CheckEnv, account: string, hc: HealthCheckRecord): void {
  const type = String(hc.HealthCheckConfig['Type']);
  if (!['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'].includes(type)) return;
  stop(host, hc.Id);
  const c = checkersOf(host);
  const interval = Number(hc.HealthCheckConfig['RequestInterval'] ?? 30) * 1000;
  c.timers.set(hc.Id, host.clock.setRepeating(() => runCheck(host, account, hc.Id), interval));
}

export function stop(host: CheckEnv, id: string): void {
  const c = checkersOf(host);
  const t = c.timers.get(id);
  if (t !== undefined) host.clock.clearTimer(t);
  c.timers.delete(id);
  c.status.delete(id);
}

/** Healthy as Route 53 decides: disabled checks pass, inverted ones flip, calculated ones count children. */
export function isHealthy(host: { clock: object }, state: Route53State, id: string, depth = 0): boolean {
  const hc = state.healthChecks.get(id);
  if (!hc || depth > 8) return true;
  const cfg = hc.HealthCheckConfig;
  if (cfg['Disabled'] === true) return true;
  let ok: boolean;
  if (cfg['Type'] === 'CALCULATED') {
    const children = (cfg['ChildHealthChecks'] as string[] | undefined) ?? [];
    const up = children.filter((ch) => isHealthy(host, state, ch, depth + 1)).length;
    ok = up >= Number(cfg['HealthThreshold'] ?? children.length);
  } else if (cfg['Type'] === 'CLOUDWATCH_METRIC') {
    ok = cfg['InsufficientDataHealthStatus'] !== 'Unhealthy';
  } else {
    ok = checkersOf(host).status.get(id)?.healthy ?? true;
  }
  return cfg['Inverted'] === true ? !ok : ok;
}

/** Restarts the checkers of every stored health check (after a restart with a data directory). */
export function resumeAll(host: CheckEnv): void {
  for (const { account } of host.stores.accountsRegions('route53')) {
    for (const hc of stateOf(host.stores, account).healthChecks.values()) schedule(host, account, hc);
  }
}
