/**
 * CORS of HTTP APIs: with a CORS configuration, API Gateway answers preflight requests
 * itself (whatever the routes) and adds the allow headers to every answer for an allowed origin.
 */
import type { AppResponse } from '../../../gateway/context.js';
import type { CorsConfig } from '../store.js';

function allowedOrigin(cors: CorsConfig, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const list = cors.AllowOrigins ?? [];
  if (list.includes('*')) return '*';
  return list.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** The preflight answer, or undefined when the request is not a preflight. */
export function preflight(cors: CorsConfig | undefined, method: string, headers: Record<string, string>): AppResponse | undefined {
  if (!cors || method !== 'OPTIONS' || !headers['origin'] || !headers['access-control-request-method']) return undefined;
  const origin = allowedOrigin(cors, headers['origin']);
  const out: Record<string, string> = {};
  const wanted = headers['access-control-request-method'].toUpperCase();
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  if (origin && (methods.includes('*') || methods.includes(wanted))) {
    out['access-control-allow-origin'] = origin;
    out['access-control-allow-methods'] = methods.includes('*') ? wanted : methods.join(',');
    const allowHeaders = cors.AllowHeaders ?? [];
    if (allowHeaders.length) out['access-control-allow-headers'] = allowHeaders.includes('*') ? headers['access-control-request-headers'] ?? '*' : allowHeaders.join(',');
    if (cors.MaxAge !== undefined) out['access-control-max-age'] = String(cors.MaxAge);
    if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
  }
  return { status: 204, headers: out, body: '' };
}

/** Adds the CORS headers an allowed origin gets on an ordinary answer. */
export function withCors(cors: CorsConfig | undefined, origin: string | undefined, res: AppResponse): AppResponse {
  const allowed = cors && allowedOrigin(cors, origin);
  if (!cors || !allowed) return res;
  res.headers['access-control-allow-origin'] = allowed;
  if (cors.ExposeHeaders?.length) res.headers['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  if (cors.AllowCredentials) res.headers['access-control-allow-credentials'] = 'true';
  return res;
}
