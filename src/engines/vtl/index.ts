/**
 * API Gateway's Velocity mapping templates: `velocityjs` does the language; this module
 * provides the variables API Gateway defines (`$input`, `$util`, `$context`,
 * `$stageVariables`) and a JSONPath subset for `$input.json`/`$input.path`.
 *
 * Pure: data in, rendered text out. `$context.responseOverride.status` and `.header.<name>`
 * that a template sets are returned so the caller can apply them.
 */
import velocity from 'velocityjs';
import { jsonPath } from './json-path.js';

/** The request as a template sees it. */
export interface TemplateInput {
  /** The payload: the request body, or the integration's response body. */
  body: string;
  /** Request parameters by location (names as sent; header lookups are case-insensitive). */
  params: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> };
  /** `$context` members (requestId, identity, authorizer, stage, …). */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface TemplateResult {
  output: string;
  /** What the template set in `$context.responseOverride`. */
  statusOverride?: number;
  headerOverrides: Record<string, string>;
}

export class TemplateError extends Error {}

function parseBody(body: string): unknown {
  if (body.trim() === '') return {};
  try { return JSON.parse(body); } catch { return undefined; }
}

function lookupParam(params: TemplateInput['params'], name: string): string {
  if (name in params.path) return params.path[name]!;
  if (name in params.querystring) return params.querystring[name]!;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(params.header)) if (k.toLowerCase() === lower) return v;
  return '';
}

/** `$util` as API Gateway documents it. */
export const util = {
  escapeJavaScript: (s: unknown): string => JSON.stringify(String(s ?? '')).slice(1, -1).replace(/'/g, "\\'"),
  parseJson: (s: unknown): unknown => JSON.parse(String(s)),
  urlEncode: (s: unknown): string => encodeURIComponent(String(s ?? '')),
  urlDecode: (s: unknown): string => decodeURIComponent(String(s ?? '')),
  base64Encode: (s: unknown): string => Buffer.from(String(s ?? '')).toString('base64'),
  base64Decode: (s: unknown): string => Buffer.from(String(s ?? ''), 'base64').toString(),
};

/** Renders `template` against `input`; a template that does not parse throws TemplateError. */
export function renderTemplate(template: string, input: TemplateInput): TemplateResult {
  const parsed = parseBody(input.body);
  const $input = {
    body: input.body,
    json: (path: string): string => JSON.stringify(jsonPath(parsed, path) ?? null),
    path: (path: string): unknown => jsonPath(parsed, path),
    params: (name?: string): unknown => (name === undefined ? input.params : lookupParam(input.params, name)),
  };
  const responseOverride = { status: undefined as unknown, header: {} as Record<string, unknown> };
  const context = { ...input.context, responseOverride };
  let output: string;
  try {
    output = velocity.render(template, { input: $input, util, context, stageVariables: input.stageVariables }, {}, { escape: false });
  } catch (e) {
    throw new TemplateError(e instanceof Error ? e.message : String(e));
  }
  const status = Number(responseOverride.status);
  return {
    output,
    statusOverride: Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined,
    headerOverrides: Object.fromEntries(Object.entries(responseOverride.header).map(([k, v]) => [k, String(v)])),
  };
}

export { jsonPath };
