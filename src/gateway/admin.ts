import { modelIndex } from '../protocols/model.js';
import { implementedServices } from '../services/registry.js';
import type { AppRequest, AppResponse } from './context.js';
import type { Drydock } from './app.js';

/**
 * The admin API under `/_drydock/` (a JSON contract scripts and tests rely on), plus the
 * health and reset endpoints of the tools teams move from (`/_localstack/health`,
 * `/moto-api/reset`).
 */

export const VERSION = '0.1.0';

function json(status: number, body: unknown): AppResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function bad(message: string, status = 400): AppResponse {
  return json(status, { error: message });
}

function readJson(req: AppRequest): Record<string, unknown> | undefined {
  if (!req.body.length) return {};
  try {
    const v: unknown = JSON.parse(req.body.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function serviceStates(): Record<string, string> {
  const implemented = new Set(implementedServices());
  return Object.fromEntries(Object.keys(modelIndex()).map((s) => [s, implemented.has(s) ? 'available' : 'not-implemented']));
}

export function health(app: Drydock): Record<string, unknown> {
  return {
    status: app.ready ? 'ready' : 'starting',
    version: VERSION,
    endpoint: app.endpoint,
    now: app.clock.now().toISOString(),
    startedAt: app.startedAt.toISOString(),
    services: serviceStates(),
  };
}

export async function handleAdmin(app: Drydock, req: AppRequest): Promise<AppResponse | undefined> {
  const [path, query = ''] = req.url.split('?', 2) as [string, string?];
  if (!path.startsWith('/_drydock/') && !path.startsWith('/_localstack/') && !path.startsWith('/moto-api/')) return undefined;
  const params = new URLSearchParams(query);
  const m = req.method;
  // SNS's SigningCertURL, SubscribeURL and UnsubscribeURL: reachable without credentials, as on AWS.
  if (path.startsWith('/_drydock/sns/')) {
    await app.service('sns');
    const r = (await import('../services/sns/admin-routes.js')).handleSnsUrl(app, m, path, params);
    if (r) return r;
  }
  if (path === '/_drydock/health' && (m === 'GET' || m === 'HEAD')) return json(app.ready ? 200 : 503, health(app));
  if (path === '/_localstack/health' && (m === 'GET' || m === 'HEAD')) {
    return json(200, { services: Object.fromEntries(Object.entries(serviceStates()).map(([k, v]) => [k, v === 'available' ? 'running' : 'disabled'])), edition: 'drydock', version: VERSION });
  }
  if ((path === '/_drydock/reset' || path === '/_localstack/state/reset') && m === 'POST') {
    const service = params.get('service') ?? undefined;
    if (service && !modelIndex()[service]) return bad(`unknown service \`${service}\``);
    app.reset(service);
    return json(200, { reset: service ?? 'all' });
  }
  if (path === '/moto-api/reset' && m === 'POST') {
    app.reset();
    return json(200, { status: 'ok' });
  }
  if (path === '/_drydock/clock') return clock(app, req);
  if (path === '/_drydock/faults' || path.startsWith('/_drydock/faults/')) return faults(app, req, path);
  if (path === '/_drydock/audit' && m === 'GET') {
    const limit = Number(params.get('limit') ?? 100);
    return json(200, { records: app.audit.list({ service: params.get('service') ?? undefined, limit }) });
  }
  if (path.startsWith('/_drydock/explain') && m === 'GET') {
    const id = path.slice('/_drydock/explain/'.length);
    if (!id) return json(200, { decisions: app.explanations.latest(Number(params.get('limit') ?? 20)) });
    const found = app.explanations.get(id);
    return found ? json(200, { requestId: id, decisions: found }) : bad(`no authorization decision recorded for request \`${id}\``, 404);
  }
  if (path === '/_drydock/landing-zone' && m === 'POST') return landingZone(app, req);
  if (path === '/_drydock/web-identity-keys' && m === 'POST') {
    const body = readJson(req);
    if (!body || typeof body['issuer'] !== 'string' || !Array.isArray((body['jwks'] as { keys?: unknown })?.keys)) {
      return bad('give `issuer` and `jwks` ({"keys": [...]})');
    }
    const { registerWebIdentityKeys } = await import('../services/sts/web-identity-keys.js');
    registerWebIdentityKeys(app.stores, body['issuer'], body['jwks'] as never);
    return json(200, { issuer: body['issuer'] });
  }
  if (path === '/_drydock/network/traffic' && m === 'POST') return traffic(app, req);
  if (path === '/_drydock/usage' && m === 'GET') return json(200, { usage: app.meter.usage() });
  return bad(`no admin route for ${m} ${path}`, 404);
}

/** Simulated traffic: traced by the network engine, written to the flow logs that watch its path. */
async function traffic(app: Drydock, req: AppRequest): Promise<AppResponse> {
  const body = readJson(req);
  if (!body) return bad('the body must be a JSON object: {from, to, port, protocol?, packets?, bytes?, account?, region?}');
  await app.service('ec2');
  const { simulateTraffic, TrafficError } = await import('../services/ec2/traffic.js');
  try {
    return json(200, await simulateTraffic(app, body as never));
  } catch (e) {
    if (e instanceof TrafficError) return bad(e.message);
    throw e;
  }
}

function clock(app: Drydock, req: AppRequest): AppResponse {
  if (req.method === 'GET') return json(200, app.clock.state());
  if (req.method !== 'POST') return bad('use GET or POST', 405);
  const body = readJson(req);
  if (!body) return bad('the body must be a JSON object');
  try {
    if (typeof body['advanceSeconds'] === 'number') return json(200, app.clock.advance(body['advanceSeconds']));
    if (typeof body['set'] === 'string') return json(200, app.clock.set(body['set']));
    if (typeof body['freeze'] === 'boolean') return json(200, app.clock.freeze(body['freeze']));
    if (typeof body['scale'] === 'number') return json(200, app.clock.setScale(body['scale']));
  } catch (e) {
    return bad((e as Error).message);
  }
  return bad('give one of `advanceSeconds`, `set`, `freeze` or `scale`');
}

function faults(app: Drydock, req: AppRequest, path: string): AppResponse {
  const id = path.slice('/_drydock/faults/'.length);
  if (path === '/_drydock/faults' && req.method === 'GET') return json(200, { faults: app.faults.list() });
  if (path === '/_drydock/faults' && req.method === 'POST') {
    const body = readJson(req);
    if (!body) return bad('the body must be a JSON object');
    try {
      return json(200, app.faults.add(body as never));
    } catch (e) {
      return bad((e as Error).message);
    }
  }
  if (path === '/_drydock/faults' && req.method === 'DELETE') {
    app.faults.clear();
    return json(200, { removed: 'all' });
  }
  if (id && req.method === 'DELETE') return app.faults.remove(id) ? json(200, { removed: id }) : bad(`no fault \`${id}\``, 404);
  return bad(`no admin route for ${req.method} ${path}`, 404);
}

/** Builds the landing zone (organization, OUs, guardrail SCPs) from a spec; idempotent. */
async function landingZone(app: Drydock, req: AppRequest): Promise<AppResponse> {
  const spec = readJson(req);
  if (!spec) return bad('the body must be a JSON object (a landing-zone spec, or {} for the defaults)');
  await Promise.all([app.service('iam'), app.service('organizations')]);
  const { buildLandingZone } = await import('../services/organizations/landing-zone.js');
  try {
    return json(200, buildLandingZone({ stores: app.stores, clock: app.clock, ports: app.ports }, spec));
  } catch (e) {
    return bad((e as Error).message);
  }
}
