import { AwsError } from '../core/errors.js';
import type { ProtocolName, ServiceModel } from './model.js';
import { queryErrorCode, shapeOf } from './model.js';
import type { JsonSettings } from './json-codec.js';
import { readJson, writeJson } from './json-codec.js';
import { readBoundMembers, writeBoundMembers } from './http-bindings.js';
import { matchRest } from './rest-routing.js';
import type { OperationMatch, Protocol, ResponseContext, WireRequest, WireResponse } from './protocol.js';
import { errorMembers, errorStatus, readInput } from './protocol.js';
import { toBuffer } from './values.js';
import { quirksOf } from './quirks.js';

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
  }
}

function jsonError(model: ServiceModel, err: AwsError, rc: ResponseContext, settings: JsonSettings, rest: boolean): WireResponse {
  const { shapeId, values } = errorMembers(model, err);
  const body = (shapeId ? writeJson(model, shapeId, values, settings) : values) as Record<string, unknown>;
  const headers: Record<string, string> = {
    'content-type': rest ? 'application/json' : `application/x-amz-json-${model.protocol === 'awsJson1_1' ? '1.1' : '1.0'}`,
    'x-amzn-requestid': rc.requestId,
    'x-amzn-errortype': err.code,
    ...(rest && shapeId ? writeBoundMembers(model, shapeOf(model, shapeId), values, 0).headers : {}),
    ...err.headers,
  };
  // Clients read the message from `message` (or `Message`) even when the shape declares none.
  if (!Object.keys(body).some((k) => k.toLowerCase() === 'message' && body[k] !== undefined)) body['message'] = err.message;
  if (!rest) body['__type'] = `${model.namespace}#${err.code}`;
  if (model.awsQueryCompatible) {
    const q = err.queryCode ?? queryErrorCode(model, err.code).code;
    headers['x-amzn-query-error'] = `${q};${err.sender}`;
  }
  return { status: errorStatus(model, err), headers, body: JSON.stringify(body) };
}

/** awsJson1_0 and awsJson1_1: POST `/`, operation in `X-Amz-Target`, members by name. */
export class AwsJsonProtocol implements Protocol {
  readonly #settings: JsonSettings = { useJsonName: false, timestampFormat: 'epoch-seconds', httpBindings: false };
  constructor(readonly name: ProtocolName) {}

  match(model: ServiceModel, req: WireRequest): OperationMatch | undefined {
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string') return undefined;
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot);
    const name = target.slice(dot + 1);
    if (prefix !== model.targetPrefix || !Object.hasOwn(model.operations, name)) return undefined;
    return { name };
  }

  parse(model: ServiceModel, match: OperationMatch, req: WireRequest): Record<string, unknown> {
    const op = model.operations[match.name]!;
    const body = parseJsonBody(req.body);
    const style = quirksOf(model).validation ?? 'ValidationException';
    return readInput(style, 'SerializationException',
      (p) => (readJson(model, op.input, body, '', this.#settings, p) ?? {}) as Record<string, unknown>);
  }

  serialize(model: ServiceModel, operation: string, output: Record<string, unknown>, rc: ResponseContext): WireResponse {
    const op = model.operations[operation]!;
    const body = writeJson(model, op.output, output, this.#settings) ?? {};
    return {
      status: 200,
      headers: { 'content-type': `application/x-amz-json-${this.name === 'awsJson1_1' ? '1.1' : '1.0'}`, 'x-amzn-requestid': rc.requestId },
      body: JSON.stringify(body),
    };
  }

  serializeError(model: ServiceModel, err: AwsError, rc: ResponseContext): WireResponse {
    return jsonError(model, err, rc, this.#settings, false);
  }
}

/** restJson1: HTTP bindings plus a JSON body named by `jsonName`. */
export class RestJsonProtocol implements Protocol {
  readonly name = 'restJson1' as const;
  readonly #settings: JsonSettings = { useJsonName: true, timestampFormat: 'epoch-seconds', httpBindings: true };

  match(model: ServiceModel, req: WireRequest): OperationMatch | undefined {
    return matchRest(model, req);
  }

  parse(model: ServiceModel, match: OperationMatch, req: WireRequest): Record<string, unknown> {
    const op = model.operations[match.name]!;
    const shape = shapeOf(model, op.input);
    const style = quirksOf(model).validation ?? 'ValidationException';
    return readInput(style, 'SerializationException', (p) => {
      const { values, payloadMember, hasBodyMembers } = readBoundMembers(model, match.name, match.labels ?? {}, req.query, req.headers);
      if (payloadMember) {
        const m = shape.members![payloadMember]!;
        const target = shapeOf(model, m.target);
        if (target.type === 'blob') {
          if (req.body.length) values[payloadMember] = req.body;
        } else if (target.type === 'string') {
          if (req.body.length || shape.required?.includes(payloadMember)) values[payloadMember] = req.body.toString('utf8');
        } else if (req.body.length) {
          values[payloadMember] = readJson(model, m.target, parseJsonBody(req.body), payloadMember, this.#settings, p);
        }
      } else if (hasBodyMembers) {
        const body = readJson(model, op.input, parseJsonBody(req.body), '', this.#settings, p, false) as Record<string, unknown>;
        for (const [k, v] of Object.entries(body ?? {})) if (values[k] === undefined) values[k] = v;
      }
      for (const r of shape.required ?? []) if (values[r] === undefined) p.missing(r[0]!.toLowerCase() + r.slice(1));
      return values;
    });
  }

  serialize(model: ServiceModel, operation: string, output: Record<string, unknown>, rc: ResponseContext): WireResponse {
    const op = model.operations[operation]!;
    const shape = shapeOf(model, op.output);
    const bound = writeBoundMembers(model, shape, output, op.traits?.http?.[2] ?? 200);
    const headers: Record<string, string> = { 'x-amzn-requestid': rc.requestId, ...bound.headers };
    let body: Buffer | string = '';
    if (bound.payloadMember) {
      const m = shape.members![bound.payloadMember]!;
      const v = output[bound.payloadMember];
      const target = shapeOf(model, m.target);
      if (v !== undefined && v !== null) {
        if (target.type === 'blob' || target.type === 'string') {
          body = target.type === 'blob' ? toBuffer(v) : String(v);
          headers['content-type'] ??= 'application/octet-stream';
        } else {
          body = JSON.stringify(writeJson(model, m.target, v, this.#settings));
          headers['content-type'] ??= 'application/json';
        }
      }
    } else if (bound.hasBodyMembers) {
      body = JSON.stringify(writeJson(model, op.output, output, this.#settings));
      headers['content-type'] ??= 'application/json';
    }
    return { status: bound.status, headers, body };
  }

  serializeError(model: ServiceModel, err: AwsError, rc: ResponseContext): WireResponse {
    return jsonError(model, err, rc, this.#settings, true);
  }
}
