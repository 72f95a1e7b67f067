/**
 * Gateway responses: what API Gateway answers when a request fails before or at the
 * integration. Each type has AWS's default status; an API may override status, headers and
 * body per type, and DEFAULT_4XX/DEFAULT_5XX customizations apply to every type of that class.
 */
import type { GatewayResponseRecord } from './store.js';

export const DEFAULT_STATUS: Record<string, string | undefined> = {
  ACCESS_DENIED: '403', API_CONFIGURATION_ERROR: '500', AUTHORIZER_CONFIGURATION_ERROR: '500', AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_PARAMETERS: '400', BAD_REQUEST_BODY: '400', DEFAULT_4XX: undefined, DEFAULT_5XX: undefined, EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504', INTEGRATION_TIMEOUT: '504', INVALID_API_KEY: '403', INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403', QUOTA_EXCEEDED: '429', REQUEST_TOO_LARGE: '413', RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429', UNAUTHORIZED: '401', UNSUPPORTED_MEDIA_TYPE: '415', WAF_FILTERED: '403',
};

export const RESPONSE_TYPES = Object.keys(DEFAULT_STATUS);

export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** The response an API has for `type`: its own, else its DEFAULT_4XX/5XX, else AWS's default. */
export function effectiveResponse(
  custom: Record<string, GatewayResponseRecord>, type: string, status = DEFAULT_STATUS[type] ?? '500',
): Required<Omit<GatewayResponseRecord, 'statusCode'>> & { statusCode: string } {
  const family = custom[status.startsWith('5') ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
  const own = custom[type];
  return {
    responseType: type,
    statusCode: own?.statusCode ?? status,
    responseParameters: { ...(family?.responseParameters ?? {}), ...(own?.responseParameters ?? {}) },
    responseTemplates: own?.responseTemplates ?? family?.responseTemplates ?? { 'application/json': DEFAULT_TEMPLATE },
  };
}
