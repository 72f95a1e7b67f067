/**
 * Request validation as a method's request validator asks: required parameters present
 * (400 "Missing required request parameters: [...]") and the body valid against the model
 * of its content type (400 "Invalid request body").
 */
import type { Invocation } from './context.js';
import { GatewayFailure } from './failure.js';
import { validateSchema } from './json-schema.js';
import { header } from './request.js';

function present(inv: Invocation, param: string): boolean {
  const m = /^method\.request\.(header|querystring|path|multivaluequerystring|multivalueheader)\.(.+)$/.exec(param);
  if (!m) return true;
  const name = m[2]!;
  if (m[1]!.endsWith('header')) return header(inv.req, name) !== undefined;
  if (m[1]!.endsWith('querystring')) return inv.req.query[name] !== undefined;
  return (inv.match!.pathParameters[name] ?? '') !== '';
}

export function validateRequest(inv: Invocation): void {
  const method = inv.match!.method;
  const validator = method.requestValidatorId ? inv.snapshot.validators[method.requestValidatorId] : undefined;
  if (!validator) return;
  if (validator.validateRequestParameters) {
    const missing = Object.entries(method.requestParameters ?? {}).filter(([p, required]) => required && !present(inv, p)).map(([p]) => p.split('.').pop());
    if (missing.length) throw new GatewayFailure('BAD_REQUEST_PARAMETERS', `Missing required request parameters: [${missing.join(', ')}]`);
  }
  if (validator.validateRequestBody) {
    const models = method.requestModels ?? {};
    const ct = (header(inv.req, 'content-type') ?? 'application/json').split(';')[0]!.trim();
    const name = models[ct] ?? models['$default'];
    const model = name === undefined ? undefined : Object.values(inv.snapshot.models).find((m) => m.name === name);
    if (!model?.schema || name === 'Empty') return;
    let body: unknown;
    try { body = JSON.parse(inv.req.body.toString() || 'null'); } catch { throw new GatewayFailure('BAD_REQUEST_BODY', 'Invalid request body'); }
    let schema: Record<string, unknown>;
    try { schema = JSON.parse(model.schema) as Record<string, unknown>; } catch { return; }
    if (validateSchema(body, schema) !== undefined) throw new GatewayFailure('BAD_REQUEST_BODY', 'Invalid request body');
  }
}
