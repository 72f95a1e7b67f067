import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { buildQueryString } from '@smithy/querystring-builder';
import type { ServiceModel } from '../../../src/protocols/model.js';
import type { WireRequest, WireResponse } from '../../../src/protocols/protocol.js';
import { routeRequest } from '../../../src/protocols/router.js';
import { queryParams } from '../../../src/protocols/xml-protocols.js';

/**
 * The real SDK v3 client of a service with its HTTP handler swapped out: requests are
 * captured instead of sent, and responses are whatever Drydock serialized. No network.
 */

const require = createRequire(import.meta.url);

/** Thrown by the capturing handler once the client has built (and signed) its request. */
export class Captured extends Error {
  constructor(readonly request: HttpRequest) { super('captured'); }
}

type Handle = (req: HttpRequest) => Promise<{ response: HttpResponse }>;
interface SdkClient { send(command: unknown): Promise<Record<string, unknown>> }
type CommandClass = new (input: unknown) => unknown;

export interface SdkHarness {
  /** Lets the client serialize `input` for `operation`; returns the request it would send. */
  capture(operation: string, input: Record<string, unknown>): Promise<HttpRequest>;
  /** Sends `input` and answers with `response`; returns what the client made of it. */
  respond(operation: string, input: Record<string, unknown>, response: WireResponse): Promise<Record<string, unknown>>;
}

/** Client settings beyond the common ones, for client features that get in the way of serde. */
const CLIENT_CONFIG: Record<string, Record<string, unknown>> = {
  // Path-style keeps the bucket in the path; flexible checksums only where the model demands them.
  s3: {
    forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    disableS3ExpressSessionAuth: true,
  },
  // The client checks MD5 digests of messages against the response; random outputs have none.
  sqs: { md5: false },
};

export function sdkHarness(model: ServiceModel): SdkHarness {
  const pkg = model.sdkPackage.slice(0, model.sdkPackage.lastIndexOf('@'));
  const mod = require(pkg) as Record<string, unknown>;
  const clientName = Object.keys(mod).find((k) => k.endsWith('Client') && k !== 'ServiceException' && typeof mod[k] === 'function'
    && /^[A-Z]/.test(k) && !k.startsWith('__'))!;
  let handle: Handle = async () => { throw new Error('no handler set'); };
  const Client = mod[clientName] as new (config: Record<string, unknown>) => SdkClient;
  const client = new Client({
    endpoint: 'http://localhost:4566',
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { handle: (req: HttpRequest) => handle(req) },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    ...CLIENT_CONFIG[model.service],
  });
  const command = (operation: string): CommandClass => {
    const C = mod[`${operation}Command`];
    if (typeof C !== 'function') throw new Error(`${pkg} has no ${operation}Command`);
    return C as CommandClass;
  };
  return {
    async capture(operation, input) {
      handle = async (req) => { throw new Captured(req); };
      try {
        await client.send(new (command(operation))(input));
      } catch (e) {
        if (e instanceof Captured) return e.request;
        throw e;
      }
      throw new Error('the client sent nothing');
    },
    async respond(operation, input, response) {
      handle = async () => ({ response: toHttpResponse(response) });
      return client.send(new (command(operation))(input));
    },
  };
}

/** What node's HTTP client would hand the SDK: lower-case header names, the body as a stream. */
function toHttpResponse(r: WireResponse): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  const body = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  return new HttpResponse({ statusCode: r.status, headers, body: Readable.from([body]) });
}

async function readBody(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const c of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
    return Buffer.concat(chunks);
  }
  throw new Error(`unreadable request body of type ${Object.prototype.toString.call(body)}`);
}

export interface RoutedWire { service: string | undefined; wire: WireRequest }

/**
 * The request as the gateway would see it: raw path and query string, lower-case headers,
 * the body read fully, then routed as `src/gateway` does (S3's bucket comes off the path).
 */
export async function toWire(req: HttpRequest): Promise<RoutedWire> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  const rawQuery = buildQueryString(req.query ?? {});
  const query = new URLSearchParams(rawQuery);
  const body = await readBody(req.body);
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(headers['authorization'] ?? '');
  // As the gateway does: a form body's Action and Version route a query request.
  const form = (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const routingQuery = form ? queryParams({ method: req.method, path: req.path, query, headers, body }) : query;
  const route = routeRequest({
    method: req.method, path: req.path, query: routingQuery, headers,
    scope: scope ? { region: scope[1]!, service: scope[2]! } : undefined,
  });
  const wire: WireRequest = { method: req.method, path: route?.path ?? req.path, query, headers, body, bucket: route?.bucket };
  return { service: route?.service, wire };
}
