/**
 * CORS: Put/Get/DeleteBucketCors, and the two answers the gateway needs from a bucket's CORS
 * rules, since browsers' preflight requests are unsigned `OPTIONS` calls that S3's model has
 * no operation for: {@link corsPreflight} answers an `OPTIONS` request, and {@link corsHeaders}
 * gives the `Access-Control-*` headers to add to an ordinary response to a request with `Origin`.
 */
import { AwsError } from '../../core/errors.js';
import type { Stores } from '../../core/store.js';
import type { ServiceContext } from '../types.js';
import { requireBucket, str } from './common.js';
import { invalidRequest, malformedXml, noSuchConfiguration } from './errors.js';
import { s3Global, type BucketRecord } from './store.js';

type In = Record<string, unknown>;

const METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);

/** PutBucketCors: up to 100 rules of known methods and origins with at most one wildcard. */
export function putBucketCors(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  const rules = (input['CORSConfiguration'] as In | undefined)?.['CORSRules'];
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 100) throw malformedXml();
  for (const r of rules as In[]) {
    const methods = r['AllowedMethods'];
    const origins = r['AllowedOrigins'];
    if (!Array.isArray(methods) || !methods.length || !Array.isArray(origins) || !origins.length) throw malformedXml();
    for (const m of methods as string[]) {
      if (!METHODS.has(m)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
    for (const o of origins as string[]) {
      if ((o.match(/\*/g) ?? []).length > 1) throw invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    }
  }
  bucket.cors = rules as In[];
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

/** GetBucketCors: NoSuchCORSConfiguration when none is set. */
export function getBucketCors(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  if (!bucket.cors) throw noSuchConfiguration('NoSuchCORSConfiguration', 'The CORS configuration does not exist', bucket.name);
  return { CORSRules: bucket.cors };
}

/** DeleteBucketCors: idempotent. */
export function deleteBucketCors(input: In, ctx: ServiceContext): In {
  const bucket = requireBucket(ctx, input);
  delete bucket.cors;
  s3Global(ctx.stores).buckets.set(bucket.name, bucket);
  return {};
}

function wildcard(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

/** The first rule allowing `origin`, `method` and every requested header. */
function matchRule(bucket: BucketRecord, origin: string, method: string, headers: string[]): In | undefined {
  return bucket.cors?.find((r) => {
    if (!(r['AllowedMethods'] as string[]).includes(method)) return false;
    if (!(r['AllowedOrigins'] as string[]).some((o) => wildcard(o, origin))) return false;
    const allowed = ((r['AllowedHeaders'] as string[] | undefined) ?? []).map((h) => h.toLowerCase());
    return headers.every((h) => allowed.some((a) => wildcard(a, h)));
  });
}

function ruleHeaders(rule: In, origin: string): Record<string, string> {
  const anyOrigin = (rule['AllowedOrigins'] as string[]).includes('*');
  const h: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': (rule['AllowedMethods'] as string[]).join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!anyOrigin) h['access-control-allow-credentials'] = 'true';
  if (rule['MaxAgeSeconds'] !== undefined) h['access-control-max-age'] = String(rule['MaxAgeSeconds']);
  const expose = rule['ExposeHeaders'] as string[] | undefined;
  if (expose?.length) h['access-control-expose-headers'] = expose.join(', ');
  return h;
}

/** What the gateway needs to answer a preflight: the headers of a 200, or the S3 error to send. */
export type PreflightAnswer = { ok: true; headers: Record<string, string> } | { ok: false; error: AwsError };

const NOT_ALLOWED = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

function forbidden(message: string, method: string, key: string | undefined): PreflightAnswer {
  return { ok: false, error: new AwsError('AccessForbidden', message, 403, { fields: { Method: method, ResourceType: key ? 'OBJECT' : 'BUCKET' } }) };
}

/**
 * Answers a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) for
 * a bucket (and key, when the path names one). Unsigned, as browsers send it.
 */
export function corsPreflight(
  stores: Stores, req: { bucket: string; key?: string; origin?: string; method?: string; requestHeaders?: string },
): PreflightAnswer {
  if (!req.origin) return { ok: false, error: new AwsError('BadRequest', 'Insufficient information. Origin request header needed.', 400) };
  const method = req.method ?? 'OPTIONS';
  const bucket = s3Global(stores).buckets.get(req.bucket);
  if (!bucket) return forbidden('CORSResponse: Bucket not found', method, req.key);
  if (!bucket.cors) return forbidden('CORSResponse: CORS is not enabled for this bucket.', method, req.key);
  const headers = (req.requestHeaders ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const rule = req.method ? matchRule(bucket, req.origin, req.method, headers) : undefined;
  if (!rule) return forbidden(NOT_ALLOWED, method, req.key);
  const out = ruleHeaders(rule, req.origin);
  if (headers.length) out['access-control-allow-headers'] = headers.join(', ');
  return { ok: true, headers: out };
}

/**
 * The `Access-Control-*` headers S3 adds to an ordinary response when the request carries an
 * `Origin` that a rule allows for its method; undefined when none applies.
 */
export function corsHeaders(stores: Stores, bucketName: string, origin: string | undefined, method: string): Record<string, string> | undefined {
  if (!origin) return undefined;
  const bucket = s3Global(stores).buckets.get(bucketName);
  if (!bucket?.cors) return undefined;
  const rule = matchRule(bucket, origin, method, []);
  return rule ? ruleHeaders(rule, origin) : undefined;
}

/** The origin header of a request, for callers holding raw headers. */
export function originOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  return str({ o: Array.isArray(headers['origin']) ? headers['origin'][0] : headers['origin'] }, 'o');
}
