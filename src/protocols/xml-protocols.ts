import { AwsError } from '../core/errors.js';
import type { ServiceModel } from './model.js';
import { errorShape, queryErrorCode, shapeOf } from './model.js';
import { readBoundMembers, writeBoundMembers } from './http-bindings.js';
import { queryTree, readQuery } from './query-codec.js';
import { matchRest } from './rest-routing.js';
import type { OperationMatch, Protocol, ResponseContext, WireRequest, WireResponse } from './protocol.js';
import { errorMembers, errorStatus, isUnitOutput, readInput } from './protocol.js';
import { quirksOf } from './quirks.js';
import { escapeXml, parseXmlDocument, readXml, writeXmlElement, writeXmlMembers } from './xml-codec.js';
import { toBuffer } from './values.js';
import { isStreamBody } from './body-file.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** Parameters of a query request: the URL query plus a form-encoded body. */
export function queryParams(req: WireRequest): URLSearchParams {
  const ct = String(req.headers['content-type'] ?? '');
  if (req.body.length && (ct.startsWith('application/x-www-form-urlencoded') || ct === '')) {
    // Routing, matching and parsing all ask; the body is read once per request. The answer is
    // kept on the request itself: a cache outside it would keep every request's parameters
    // alive past the young generation, and the garbage collector would copy them.
    const cached = req.form;
    if (cached && cached.body === req.body && cached.query === req.query) return cached.params;
    const params = new URLSearchParams(req.body.toString('utf8'));
    for (const [k, v] of req.query) if (!params.has(k)) params.append(k, v);
    req.form = { body: req.body, query: req.query, params };
    return params;
  }
  return req.query;
}

function xmlResponse(status: number, requestId: string, body: string, extra: Record<string, string> = {}): WireResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...extra }, body };
}

/**
 * awsQuery and ec2Query: `Action=…&Version=…` parameters in, XML out. EC2 names members by
 * `ec2QueryName`, never wraps lists, drops the `…Result` wrapper and has its own error form.
 */
export class QueryProtocol implements Protocol {
  constructor(readonly name: 'awsQuery' | 'ec2Query') {}
  get #ec2(): boolean { return this.name === 'ec2Query'; }

  match(model: ServiceModel, req: WireRequest): OperationMatch | undefined {
    const action = queryParams(req).get('Action');
    // Own properties only: an Action named `constructor` or `__proto__` is not an operation.
    return action && Object.hasOwn(model.operations, action) ? { name: action } : undefined;
  }

  parse(model: ServiceModel, match: OperationMatch, req: WireRequest): Record<string, unknown> {
    const params = [...queryParams(req)].filter(([k]) => k !== 'Action' && k !== 'Version');
    const style = quirksOf(model).validation ?? (this.#ec2 ? 'MissingParameter' : 'ValidationError');
    const malformed = this.#ec2 ? 'InvalidParameterValue' : 'MalformedQueryString';
    return readInput(style, malformed, (p) => readQuery(model, model.operations[match.name]!.input, queryTree(params), { ec2: this.#ec2 }, p));
  }

  #namespace(model: ServiceModel): string {
    return model.xmlNamespace ?? quirksOf(model).queryXmlNamespace ?? '';
  }

  serialize(model: ServiceModel, operation: string, output: Record<string, unknown>, rc: ResponseContext): WireResponse {
    const op = model.operations[operation]!;
    const ns = this.#namespace(model);
    const members = writeXmlMembers(model, op.output, output);
    if (this.#ec2) {
      return xmlResponse(200, rc.requestId,
        `${DECL}<${operation}Response xmlns="${ns}"><requestId>${rc.requestId}</requestId>${members}</${operation}Response>`);
    }
    const outName = shapeOf(model, op.output).traits?.xmlName ?? `${operation}Result`;
    const result = isUnitOutput(model, operation) && !members ? '' : `<${outName}>${members}</${outName}>`;
    return xmlResponse(200, rc.requestId,
      `<${operation}Response xmlns="${ns}">${result}<ResponseMetadata><RequestId>${rc.requestId}</RequestId></ResponseMetadata></${operation}Response>`);
  }

  serializeError(model: ServiceModel, err: AwsError, rc: ResponseContext): WireResponse {
    const q = queryErrorCode(model, err.code);
    const code = err.queryCode ?? q.code;
    const status = q.status ?? errorStatus(model, err);
    const msg = `<Message>${escapeXml(err.message)}</Message>`;
    if (this.#ec2) {
      return xmlResponse(status, rc.requestId,
        `${DECL}<Response><Errors><Error><Code>${escapeXml(code)}</Code>${msg}</Error></Errors><RequestID>${rc.requestId}</RequestID></Response>`,
        err.headers);
    }
    return xmlResponse(status, rc.requestId,
      `<ErrorResponse xmlns="${this.#namespace(model)}"><Error><Type>${err.sender}</Type><Code>${escapeXml(code)}</Code>${msg}${errorDetail(model, err)}</Error><RequestId>${rc.requestId}</RequestId></ErrorResponse>`,
      err.headers);
  }
}

function errorDetail(model: ServiceModel, err: AwsError): string {
  const { shapeId, values } = errorMembers(model, err);
  if (!shapeId) return '';
  const rest = Object.fromEntries(Object.entries(values).filter(([k]) => k.toLowerCase() !== 'message'));
  return writeXmlMembers(model, shapeId, rest);
}

/** restXml: HTTP bindings plus XML bodies; S3's differences come from its quirks. */
export class RestXmlProtocol implements Protocol {
  readonly name = 'restXml' as const;

  match(model: ServiceModel, req: WireRequest): OperationMatch | undefined {
    return matchRest(model, req);
  }

  parse(model: ServiceModel, match: OperationMatch, req: WireRequest): Record<string, unknown> {
    const op = model.operations[match.name]!;
    const shape = shapeOf(model, op.input);
    const style = quirksOf(model).validation ?? 'ValidationException';
    return readInput(style, 'MalformedXML', (p) => {
      const { values, payloadMember, hasBodyMembers } = readBoundMembers(model, match.name, match.labels ?? {}, req.query, req.headers);
      if (payloadMember) {
        const m = shape.members![payloadMember]!;
        const target = shapeOf(model, m.target);
        if (target.type === 'blob') values[payloadMember] = req.bodyFile ?? req.body;
        else if (target.type === 'string') {
          // An empty body is the empty string when the payload is required (the service then
          // judges it, e.g. S3's MalformedPolicy), and absent when it is optional.
          if (req.body.length || shape.required?.includes(payloadMember)) values[payloadMember] = req.body.toString('utf8');
        }
        else if (req.body.length) {
          const doc = parseXmlDocument(req.body.toString('utf8'));
          const root = Object.keys(doc).find((k) => !k.startsWith('?'));
          if (root) values[payloadMember] = readXml(model, m.target, doc[root], payloadMember, p);
        }
      } else if (hasBodyMembers && req.body.length) {
        const doc = parseXmlDocument(req.body.toString('utf8'));
        const root = Object.keys(doc).find((k) => !k.startsWith('?'));
        const body = root ? readXml(model, op.input, doc[root], '', p, false) as Record<string, unknown> : {};
        for (const [k, v] of Object.entries(body)) if (values[k] === undefined) values[k] = v;
      }
      for (const r of shape.required ?? []) if (values[r] === undefined) p.missing(r[0]!.toLowerCase() + r.slice(1));
      return values;
    });
  }

  serialize(model: ServiceModel, operation: string, output: Record<string, unknown>, rc: ResponseContext): WireResponse {
    const op = model.operations[operation]!;
    const shape = shapeOf(model, op.output);
    const bound = writeBoundMembers(model, shape, output, op.traits?.http?.[2] ?? 200);
    const headers: Record<string, string> = Object.assign(this.#idHeaders(model, rc), bound.headers);
    let body: WireResponse['body'] = '';
    if (bound.payloadMember) {
      const m = shape.members![bound.payloadMember]!;
      const v = output[bound.payloadMember];
      const target = shapeOf(model, m.target);
      if (v !== undefined && v !== null) {
        if (target.type === 'blob' || target.type === 'string') {
          body = target.type === 'blob' ? (isStreamBody(v) ? v : toBuffer(v)) : String(v);
        } else {
          const name = m.traits?.xmlName ?? target.traits?.xmlName ?? m.target;
          body = DECL + writeXmlElement(model, name, { target: m.target, traits: { xmlNamespace: model.xmlNamespace, ...target.traits, ...m.traits } }, v);
          headers['content-type'] ??= 'application/xml';
        }
      }
    } else if (bound.hasBodyMembers) {
      const name = shape.traits?.xmlName ?? op.output;
      const quirks = quirksOf(model);
      if (quirks.textRootOutputs?.includes(operation)) {
        const only = Object.keys(shape.members ?? {})[0]!;
        const text = output[only] === undefined || output[only] === null ? '' : escapeXml(String(output[only]));
        body = `${DECL}<${name} xmlns="${model.xmlNamespace ?? ''}">${text}</${name}>`;
      } else {
        body = DECL + writeXmlElement(model, name, { target: op.output, traits: { xmlNamespace: model.xmlNamespace } }, output);
      }
      headers['content-type'] ??= 'application/xml';
    }
    const partial = quirksOf(model).partialContentMember;
    const status = partial && bound.status === 200 && output[partial] !== undefined ? 206 : bound.status;
    return { status, headers, body };
  }

  #idHeaders(model: ServiceModel, rc: ResponseContext): Record<string, string> {
    return quirksOf(model).s3
      ? { 'x-amz-request-id': rc.requestId, 'x-amz-id-2': Buffer.from(rc.requestId).toString('base64') }
      : { 'x-amzn-requestid': rc.requestId };
  }

  serializeError(model: ServiceModel, err: AwsError, rc: ResponseContext): WireResponse {
    const { shapeId, values } = errorMembers(model, err);
    const bound = shapeId ? writeBoundMembers(model, shapeOf(model, shapeId), values, 0).headers : {};
    const headers: Record<string, string> = Object.assign(this.#idHeaders(model, rc), { 'content-type': 'application/xml' }, bound, err.headers);
    const status = errorStatus(model, err);
    // HEAD responses carry no body; clients read the status alone.
    if (rc.method === 'HEAD') return { status, headers, body: '' };
    const inner = `<Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>${errorDetail(model, err)}`;
    const body = quirksOf(model).s3
      ? `${DECL}<Error>${inner}${extraFields(model, err)}<RequestId>${rc.requestId}</RequestId><HostId>${headers['x-amz-id-2'] ?? ''}</HostId></Error>`
      : `${DECL}<ErrorResponse xmlns="${model.xmlNamespace ?? ''}"><Error><Type>${err.sender}</Type>${inner}</Error><RequestId>${rc.requestId}</RequestId></ErrorResponse>`;
    return { status, headers, body };
  }
}

/** S3 errors carry details (BucketName, Key, …) the model does not declare on the error shape. */
function extraFields(model: ServiceModel, err: AwsError): string {
  const declared = errorShape(model, err.code)?.members ?? {};
  return Object.entries(err.fields)
    .filter(([k, v]) => !(k in declared) && (typeof v === 'string' || typeof v === 'number'))
    .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('');
}

