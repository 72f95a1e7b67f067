/**
 * Answers a failed invocation with the API's gateway response for the failure type: status,
 * headers (`gatewayresponse.header.*` mappings) and the rendered body template.
 */
import type { AppResponse } from '../../../gateway/context.js';
import { renderTemplate } from '../../../engines/vtl/index.js';
import { DEFAULT_STATUS, effectiveResponse } from '../gateway-responses.js';
import { templateContext, type Invocation } from './context.js';
import { sourceValue } from './mapping.js';

/** A failure on the way to the integration: its gateway-response type and AWS's message. */
export class GatewayFailure extends Error {
  /** `status` replaces the type's default status (a Lambda proxy's bad answer is a 502 DEFAULT_5XX). */
  /** `defaultBody` is what AWS sends when the API does not customize this type (authorizer denials say `Message`). */
  constructor(
    readonly type: string, message: string, readonly headers: Record<string, string> = {}, readonly status?: string, readonly defaultBody?: string,
  ) {
    super(message);
  }
}

export function gatewayResponse(inv: Invocation, f: GatewayFailure): AppResponse {
  const type = f.type;
  // Authorizer configuration errors carry no message: AWS answers {"message": null}.
  const message = type === 'AUTHORIZER_CONFIGURATION_ERROR' || type === 'AUTHORIZER_FAILURE' ? null : f.message;
  const customized = inv.snapshot.gatewayResponses[type] ?? inv.snapshot.gatewayResponses[(eff0(type).startsWith('5') ? 'DEFAULT_5XX' : 'DEFAULT_4XX')];
  const eff = effectiveResponse(inv.snapshot.gatewayResponses, type, f.status);
  const extraHeaders = f.headers;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': inv.req.requestId, 'x-amzn-errortype': errorTypeOf(type), ...extraHeaders };
  for (const [target, expr] of Object.entries(eff.responseParameters)) {
    const h = /^gatewayresponse\.header\.(.+)$/.exec(target);
    const v = h ? sourceValue(expr, inv) : undefined;
    if (h && v !== undefined) headers[h[1]!] = v;
  }
  const [contentType, template] = Object.entries(eff.responseTemplates)[0] ?? ['application/json', ''];
  headers['content-type'] = contentType;
  if (f.defaultBody !== undefined && !customized?.responseTemplates?.[contentType]) return { status: Number(eff.statusCode), headers, body: f.defaultBody };
  let body = '';
  try {
    body = renderTemplate(template, {
      body: '', params: { path: inv.match?.pathParameters ?? {}, querystring: inv.req.query, header: inv.req.headers },
      context: templateContext(inv, { message, responseType: type }), stageVariables: inv.stage.variables ?? {},
    }).output;
  } catch {
    body = JSON.stringify({ message });
  }
  return { status: Number(eff.statusCode), headers, body };
}

function eff0(type: string): string {
  return DEFAULT_STATUS[type] ?? '500';
}

/** The `x-amzn-ErrorType` AWS sends with each gateway response. */
function errorTypeOf(type: string): string {
  switch (type) {
    case 'MISSING_AUTHENTICATION_TOKEN': return 'MissingAuthenticationTokenException';
    case 'ACCESS_DENIED': return 'AccessDeniedException';
    case 'UNAUTHORIZED': return 'UnauthorizedException';
    case 'THROTTLED': case 'QUOTA_EXCEEDED': return 'TooManyRequestsException';
    case 'INVALID_API_KEY': return 'ForbiddenException';
    case 'BAD_REQUEST_BODY': case 'BAD_REQUEST_PARAMETERS': return 'BadRequestException';
    case 'RESOURCE_NOT_FOUND': return 'NotFoundException';
    case 'UNSUPPORTED_MEDIA_TYPE': return 'UnsupportedMediaTypeException';
    default: return type.includes('INTEGRATION') || type.includes('AUTHORIZER') || type.includes('5XX') ? 'InternalServerErrorException' : 'BadRequestException';
  }
}
