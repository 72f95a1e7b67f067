import type { AwsError } from '../core/errors.js';
import type { Principal } from '../core/identity.js';
import type { ServiceModel } from '../protocols/model.js';
import type { OperationMatch, Protocol, WireRequest, WireResponse } from '../protocols/protocol.js';
import type { AuthProblem, ParsedAuth } from '../protocols/sigv4.js';
import type { StreamBody } from '../protocols/body-file.js';
import type { SpooledRequestBody } from './spool.js';

/** An HTTP request as the app core receives it from any adapter (server, embedded, tests). */
export interface AppRequest {
  method: string;
  /** Path and query as sent, e.g. `/bucket/key?acl`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** A large body the HTTP adapter wrote to disk (then `body` is empty); authentication settles it. */
  spooled?: SpooledRequestBody;
  sourceIp?: string;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  /** A {@link StreamBody} (an S3 object on disk) is piped by the HTTP adapter. */
  body: Buffer | string | StreamBody;
}

/** The typed state one request carries through the pipeline; each step fills its part. */
export interface RequestContext {
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly http: AppRequest;
  /** Raw path (still percent-encoded) and raw query string. */
  readonly rawPath: string;
  readonly rawQuery: string;
  wire: WireRequest;
  service?: string;
  region: string;
  account: string;
  model?: ServiceModel;
  protocol?: Protocol;
  match?: OperationMatch;
  /** SigV4 parameters as read before routing, or the problem with them. */
  signature?: ParsedAuth | AuthProblem;
  /** The verified SigV4 parameters. */
  auth?: ParsedAuth;
  accessKeyId?: string;
  principal?: Principal;
  input?: Record<string, unknown>;
  /** Condition keys an in-process caller supplies (`aws:SourceArn` of the invoking resource, …). */
  extraContext?: Record<string, string>;
  output?: Record<string, unknown>;
  error?: AwsError;
  response?: WireResponse;
}

/** The query of a request that has none: shared, so it refuses to be changed. */
class NoQuery extends URLSearchParams {
  override append(): never { throw new TypeError('the empty query of a request is shared and cannot change'); }
  override set(): never { throw new TypeError('the empty query of a request is shared and cannot change'); }
  override delete(): never { throw new TypeError('the empty query of a request is shared and cannot change'); }
  override sort(): never { throw new TypeError('the empty query of a request is shared and cannot change'); }
}
const NO_QUERY: URLSearchParams = new NoQuery();

/** A fresh context for a request: raw path and query split off, nothing decided yet. */
export function newRequestContext(http: AppRequest, requestId: string, receivedAt: Date): RequestContext {
  const q = http.url.indexOf('?');
  const rawPath = q < 0 ? http.url : http.url.slice(0, q);
  const rawQuery = q < 0 ? '' : http.url.slice(q + 1);
  return {
    requestId, receivedAt, http, rawPath, rawQuery,
    // Most requests (every JSON and query-protocol POST) have no query: no object made for it.
    wire: { method: http.method, path: rawPath, query: rawQuery === '' ? NO_QUERY : new URLSearchParams(rawQuery), headers: http.headers, body: http.body },
    region: '', account: '',
  };
}
