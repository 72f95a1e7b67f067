/**
 * Non-proxy mapping: request parameters and templates on the way in, integration-response
 * selection, response parameters and templates on the way out.
 */
import { jsonPath, renderTemplate, TemplateError, type TemplateResult } from '../../../engines/vtl/index.js';
import type { IntegrationRecord, IntegrationResponseRecord } from '../store.js';
import { templateContext, type Invocation } from './context.js';
import { GatewayFailure } from './failure.js';
import { header } from './request.js';

/** What goes to the integration after request mapping. */
export interface MappedRequest {
  headers: Record<string, string>;
  query: Record<string, string>;
  path: Record<string, string>;
  body: Buffer;
}

function contentTypeOf(v: string | undefined): string {
  return (v ?? 'application/json').split(';')[0]!.trim().toLowerCase() || 'application/json';
}

/** Reads a mapping source (`method.request.header.X`, `stageVariables.x`, `context.x`, `'literal'`). */
export function sourceValue(expr: string, inv: Invocation): string | undefined {
  const lit = /^'(.*)'$/s.exec(expr);
  if (lit) return lit[1];
  let m: RegExpExecArray | null;
  if ((m = /^method\.request\.header\.(.+)$/.exec(expr))) return header(inv.req, m[1]!);
  if ((m = /^method\.request\.querystring\.(.+)$/.exec(expr))) return inv.req.query[m[1]!];
  if ((m = /^method\.request\.multivaluequerystring\.(.+)$/.exec(expr))) return inv.req.multiQuery[m[1]!]?.join(',');
  if ((m = /^method\.request\.multivalueheader\.(.+)$/.exec(expr))) return header(inv.req, m[1]!);
  if ((m = /^method\.request\.path\.(.+)$/.exec(expr))) return inv.match?.pathParameters[m[1]!];
  if (expr === 'method.request.body') return inv.req.body.toString();
  if ((m = /^method\.request\.body\.(.+)$/.exec(expr))) {
    try { return stringOf(jsonPath(JSON.parse(inv.req.body.toString()), `$.${m[1]}`)); } catch { return undefined; }
  }
  if ((m = /^stageVariables\.(.+)$/.exec(expr))) return inv.stage.variables?.[m[1]!];
  if ((m = /^context\.(.+)$/.exec(expr))) return stringOf(jsonPath(templateContext(inv), `$.${m[1]}`));
  return undefined;
}

function stringOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function render(template: string, body: string, inv: Invocation): TemplateResult {
  try {
    return renderTemplate(template, {
      body, params: { path: inv.match?.pathParameters ?? {}, querystring: inv.req.query, header: inv.req.headers },
      context: templateContext(inv), stageVariables: inv.stage.variables ?? {},
    });
  } catch (e) {
    if (e instanceof TemplateError) throw new GatewayFailure('API_CONFIGURATION_ERROR', 'Internal server error');
    throw e;
  }
}

/** Applies the integration's request parameters and the request template the content type selects. */
export function mapRequest(integration: IntegrationRecord, inv: Invocation): MappedRequest {
  const out: MappedRequest = { headers: {}, query: {}, path: {}, body: inv.req.body };
  for (const [target, expr] of Object.entries(integration.requestParameters ?? {})) {
    const m = /^integration\.request\.(header|querystring|path)\.(.+)$/.exec(target);
    const v = sourceValue(expr, inv);
    if (!m || v === undefined) continue;
    out[m[1] === 'header' ? 'headers' : m[1] === 'querystring' ? 'query' : 'path'][m[2]!] = v;
  }
  const templates = integration.requestTemplates ?? {};
  const ct = contentTypeOf(header(inv.req, 'content-type'));
  const template = templates[ct];
  if (template !== undefined) {
    out.body = Buffer.from(render(template, inv.req.body.toString(), inv).output);
    return out;
  }
  const behavior = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
  const hasTemplates = Object.keys(templates).length > 0;
  if (behavior === 'NEVER' || (behavior === 'WHEN_NO_TEMPLATES' && hasTemplates)) {
    throw new GatewayFailure('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type');
  }
  return out;
}

/**
 * The integration response for an outcome: the first whose selectionPattern matches the whole
 * `selector` (status code for HTTP, error message for Lambda), else the default one.
 */
export function selectResponse(integration: IntegrationRecord, selector: string): IntegrationResponseRecord | undefined {
  const responses = Object.values(integration.integrationResponses ?? {});
  for (const r of responses) {
    if (!r.selectionPattern) continue;
    try {
      if (new RegExp(`^(?:${r.selectionPattern})$`, 's').test(selector)) return r;
    } catch { /* an invalid pattern never matches */ }
  }
  return responses.find((r) => !r.selectionPattern);
}

export interface MappedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Applies an integration response's parameters and template to what the integration answered. */
export function mapResponse(
  r: IntegrationResponseRecord, inv: Invocation, body: string, integrationHeaders: Record<string, string>,
): MappedResponse {
  const headers: Record<string, string> = {};
  let parsed: unknown;
  for (const [target, expr] of Object.entries(r.responseParameters ?? {})) {
    const m = /^method\.response\.header\.(.+)$/.exec(target);
    if (!m) continue;
    let v: string | undefined;
    const lit = /^'(.*)'$/s.exec(expr);
    const h = /^integration\.response\.header\.(.+)$/.exec(expr);
    const b = /^integration\.response\.body\.(.+)$/.exec(expr);
    if (lit) v = lit[1];
    else if (h) v = Object.entries(integrationHeaders).find(([k]) => k.toLowerCase() === h[1]!.toLowerCase())?.[1];
    else if (expr === 'integration.response.body') v = body;
    else if (b) {
      try { parsed ??= JSON.parse(body); v = stringOf(jsonPath(parsed, `$.${b[1]}`)); } catch { v = undefined; }
    } else v = sourceValue(expr, inv);
    if (v !== undefined) headers[m[1]!] = v;
  }
  const templates = Object.entries(r.responseTemplates ?? {});
  let status = Number(r.statusCode);
  if (templates.length === 0) return { status, headers: { 'content-type': 'application/json', ...headers }, body };
  const [ct, template] = templates.find(([k]) => k === 'application/json') ?? templates[0]!;
  if (!template) return { status, headers: { 'content-type': ct, ...headers }, body };
  const res = render(template, body, inv);
  status = res.statusOverride ?? status;
  return { status, headers: { 'content-type': ct, ...headers, ...res.headerOverrides }, body: res.output };
}
