import type { ServiceModel } from './model.js';
import { loadModel, modelIndex } from './model.js';
import { isRegionLike } from '../core/account.js';
import { matchRest } from './rest-routing.js';
import { quirksFor } from './quirks.js';
import type { WireRequest } from './protocol.js';

/**
 * Decides which service a request is for, from (in order of trust) the `X-Amz-Target`
 * header, the SigV4 credential scope, the Host header, the query `Action`/`Version` and finally
 * the REST path. S3's bucket is taken from a virtual host or the first path segment.
 */
export interface RouteInput {
  method: string;
  path: string;
  /**
   * The query, or a function that reads it (a form body is parsed only when routing needs it).
   * A function, not a getter: V8 builds an object literal with an accessor through the runtime,
   * and the closure it captures then outlives young-generation collections, dragging the whole
   * request with it into the old generation.
   */
  query: URLSearchParams | (() => URLSearchParams);
  headers: Record<string, string | string[] | undefined>;
  /** Service and region named by the SigV4 credential scope, when signed. */
  scope?: { service: string; region: string };
}

export interface RouteResult {
  service: string;
  region?: string;
  /** S3: the bucket, and the path with the bucket removed for path-style requests. */
  bucket?: string;
  path: string;
}

const HOST_SUFFIXES = ['.amazonaws.com', '.localhost.localstack.cloud', '.localhost'];

interface Tables { byTarget: Map<string, string>; bySigning: Map<string, string[]>; byPrefix: Map<string, string>; byVersion: Map<string, string> }
let tables: Tables | undefined;

function lookupTables(): Tables {
  if (tables) return tables;
  const t: Tables = { byTarget: new Map(), bySigning: new Map(), byPrefix: new Map(), byVersion: new Map() };
  for (const [service, e] of Object.entries(modelIndex())) {
    if (e.targetPrefix && e.protocol.startsWith('awsJson')) t.byTarget.set(e.targetPrefix, service);
    for (const name of [e.signingName, ...(quirksFor(service).alsoSignedAs ?? [])]) {
      t.bySigning.set(name, [...(t.bySigning.get(name) ?? []), service]);
    }
    if (!t.byPrefix.has(e.endpointPrefix)) t.byPrefix.set(e.endpointPrefix, service);
    if (e.protocol === 'awsQuery' || e.protocol === 'ec2Query' || service === 'sqs') t.byVersion.set(e.apiVersion, service);
  }
  return (tables = t);
}

function header(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

/** Whether a SigV4 signing name (e.g. `states`) belongs to a modelled service. */
export function isModelledSigningName(name: string): boolean {
  return lookupTables().bySigning.has(name);
}

export interface HostParts { service?: string; region?: string; bucket?: string }

/**
 * Parses a Host header into service, region and (for S3 virtual hosts) bucket. Clients send the
 * same few hosts over and over, so answers are kept (bounded); they are frozen, being shared.
 */
export function parseHost(host: string): Readonly<HostParts> {
  let parts = hostCache.get(host);
  if (parts === undefined) {
    parts = Object.freeze(readHost(host));
    if (hostCache.size >= 512) hostCache.clear();
    hostCache.set(host, parts);
  }
  return parts;
}
const hostCache = new Map<string, Readonly<HostParts>>();

function readHost(host: string): HostParts {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  const suffix = HOST_SUFFIXES.find((s) => name.endsWith(s));
  if (!suffix) return {};
  const labels = name.slice(0, -suffix.length).split('.').filter(Boolean);
  if (!labels.length) return {};
  const t = lookupTables();
  const s3At = labels.findIndex((l) => l === 's3' || l.startsWith('s3-'));
  if (s3At > 0) {
    const region = labels[s3At + 1] && isRegionLike(labels[s3At + 1]!) ? labels[s3At + 1] : undefined;
    return { service: 's3', bucket: labels.slice(0, s3At).join('.'), region };
  }
  // `<bucket>.localhost` names a bucket when the label is not a service endpoint prefix.
  for (let n = Math.min(labels.length, 2); n >= 1; n--) {
    const prefix = labels.slice(0, n).join('.');
    const service = t.byPrefix.get(prefix);
    if (service) {
      const region = labels[n];
      return { service, region: region && isRegionLike(region) ? region : undefined };
    }
  }
  if (suffix === '.localhost' || suffix === '.localhost.localstack.cloud') return { service: 's3', bucket: labels.join('.') };
  return {};
}

function s3PathStyle(path: string): { bucket?: string; path: string } {
  const m = /^\/([^/]+)(\/.*)?$/.exec(path);
  if (!m) return { path: '/' };
  // An undecodable bucket segment is passed on as sent: S3 then refuses the name itself.
  let bucket = m[1]!;
  try { bucket = decodeURIComponent(bucket); } catch { /* kept raw */ }
  return { bucket, path: m[2] ?? '/' };
}

// Fills the fresh route in place: on Node 20 an object literal that opens with a spread and
// adds more properties is about ten times slower than assigning them.
function withS3(route: RouteResult, hostBucket: string | undefined, path: string): RouteResult {
  if (hostBucket) { route.bucket = hostBucket; route.path = path; return route; }
  return Object.assign(route, s3PathStyle(path));
}

/** Routes a request to a service; S3 takes what nothing else identifies. */
export function routeRequest(req: RouteInput): RouteResult {
  const t = lookupTables();
  const host = parseHost(header(req.headers['host']) ?? '');
  const region = req.scope?.region ?? host.region;
  const target = header(req.headers['x-amz-target']);
  if (target) {
    const service = t.byTarget.get(target.slice(0, target.lastIndexOf('.')));
    if (service) return { service, region, path: req.path };
  }
  if (req.scope) {
    const candidates = t.bySigning.get(req.scope.service) ?? [];
    if (candidates.length === 1) {
      const service = candidates[0]!;
      return service === 's3' ? withS3({ service, region, path: req.path }, host.bucket, req.path) : { service, region, path: req.path };
    }
    if (candidates.length > 1) {
      const service = byRestPath(candidates, req) ?? candidates[0]!;
      return { service, region, path: req.path };
    }
  }
  if (host.service) {
    return host.service === 's3' ? withS3({ service: 's3', region, path: req.path }, host.bucket, req.path) : { service: host.service, region, path: req.path };
  }
  const query = queryOf(req);
  const version = query.get('Version');
  if (query.get('Action') && version && t.byVersion.has(version)) return { service: t.byVersion.get(version)!, region, path: req.path };
  const rest = byRestPath(Object.keys(modelIndex()).filter((s) => s !== 's3' && modelIndex()[s]!.protocol.startsWith('rest')), req);
  if (rest) return { service: rest, region, path: req.path };
  // As on AWS's S3 endpoint, a request nothing else claims is an (anonymous) S3 request.
  return withS3({ service: 's3', region, path: req.path }, undefined, req.path);
}

function queryOf(req: RouteInput): URLSearchParams {
  return typeof req.query === 'function' ? req.query() : req.query;
}

/** Among REST services, the one whose model has an operation for this method and path. */
function byRestPath(services: string[], req: RouteInput): string | undefined {
  for (const service of services) {
    let model: ServiceModel;
    try { model = loadModel(service); } catch { continue; }
    if (!model.protocol.startsWith('rest')) continue;
    const wire: WireRequest = { method: req.method, path: req.path, query: queryOf(req), headers: req.headers, body: Buffer.alloc(0) };
    try { if (matchRest(model, wire)) return service; } catch { /* a malformed path matches nothing */ }
  }
  return undefined;
}
