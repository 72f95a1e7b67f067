/** One invocation in flight, and the `$context`/`requestContext` views AWS builds from it. */
import type { ServiceHost } from '../../types.js';
import type { ApiSnapshot, RestApiRecord, StageRecord } from '../store.js';
import type { RouteMatch } from './match.js';
import { header, type InvokeRequest } from './request.js';

export interface Invocation {
  host: ServiceHost;
  account: string;
  region: string;
  api: RestApiRecord;
  snapshot: ApiSnapshot;
  stage: StageRecord;
  req: InvokeRequest;
  match?: RouteMatch;
  /** What a Lambda authorizer returned: principalId and its context. */
  authorizer?: Record<string, unknown>;
  apiKey?: { id: string; value: string };
  /** The API key an authorizer named (for APIs whose key source is AUTHORIZER). */
  usageIdentifierKey?: string;
  /** The signer of an AWS_IAM method's request, as `requestContext.identity` shows it. */
  iam?: { accountId: string; caller: string; accessKey: string | null; userArn: string; user: string };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `09/Apr/2015:12:34:56 +0000`, the CLF time AWS puts in requestTime. */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>` of the request. */
export function methodArn(inv: Invocation): string {
  const method = inv.match?.method.httpMethod ?? inv.req.method;
  return `arn:aws:execute-api:${inv.region}:${inv.account}:${inv.api.id}/${inv.stage.stageName}/${method}${inv.req.path}`;
}

/** The source ARN Lambda permissions match: the resource path with its variables, not the request's path. */
export function sourceArn(inv: Invocation): string {
  const method = inv.match?.method.httpMethod ?? inv.req.method;
  return `arn:aws:execute-api:${inv.region}:${inv.account}:${inv.api.id}/${inv.stage.stageName}/${method}${inv.match?.resource.path ?? inv.req.path}`;
}

export function identityOf(inv: Invocation): Record<string, unknown> {
  return {
    cognitoIdentityPoolId: null, accountId: null, cognitoIdentityId: null, caller: null, sourceIp: inv.req.sourceIp, principalOrgId: null,
    accessKey: null, cognitoAuthenticationType: null, cognitoAuthenticationProvider: null, userArn: null,
    userAgent: header(inv.req, 'user-agent') ?? null, user: null,
    ...(inv.apiKey ? { apiKey: inv.apiKey.value, apiKeyId: inv.apiKey.id } : {}),
    ...(inv.iam ?? {}),
  };
}

/** The proxy event's `requestContext` (also the base of `$context`). */
export function requestContextOf(inv: Invocation): Record<string, unknown> {
  const r = inv.req;
  return {
    resourceId: inv.match?.resource.id, resourcePath: inv.match?.resource.path, httpMethod: r.method,
    extendedRequestId: r.extendedRequestId, requestTime: clfTime(r.nowMs), path: `/${inv.stage.stageName}${r.path}`,
    accountId: inv.account, protocol: 'HTTP/1.1', stage: inv.stage.stageName, domainPrefix: r.domainName.split('.')[0],
    requestTimeEpoch: r.nowMs, requestId: r.requestId, identity: identityOf(inv), domainName: r.domainName, apiId: inv.api.id,
    ...(inv.authorizer ? { authorizer: inv.authorizer } : {}),
  };
}

/** `$context` for mapping templates, with `error` when rendering a gateway response. */
export function templateContext(inv: Invocation, error?: { message: string | null; responseType: string }): Record<string, unknown> {
  const ctx: Record<string, unknown> = { ...requestContextOf(inv), authorizer: inv.authorizer ?? {} };
  if (inv.authorizer?.['principalId'] !== undefined) (ctx['authorizer'] as Record<string, unknown>)['principalId'] = inv.authorizer['principalId'];
  if (error) ctx['error'] = { message: error.message, messageString: JSON.stringify(error.message), responseType: error.responseType };
  return ctx;
}
