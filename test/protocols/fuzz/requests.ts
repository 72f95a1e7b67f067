// Request drafts per protocol family: an operation of the service's real model, its input
// shaped wrong in places, surrounded by bad targets/actions, paths, query strings, headers and
// bodies. `materialize` (sign.ts) then signs each draft as sent.

import type { ServiceModel, Shape } from '../../../src/protocols/model.js';
import { loadModel, modelIndex, shapeOf } from '../../../src/protocols/model.js';
import type { Pick } from './pick.js';
import { BAD_ESCAPES, JUNK_KEYS, junkScalar, wireComponent } from './pick.js';
import { chunkPlan, decodedLength, formEncode, invalidUtf8, jsonBody, xmlBody } from './bodies.js';
import type { AuthMode, Draft, Streaming } from './sign.js';
import { chooseMembers, deepQuery, deepSteps, findCycle } from './values.js';

// ---- shared pieces --------------------------------------------------------------------------

export function authMode(p: Pick): AuthMode {
  return p.weighted<AuthMode>([
    [60, () => 'signed'],
    [4, () => 'signed-no-checksum-header'],
    [4, () => 'presigned'],
    [6, () => 'unsigned'],
    ...(['wrong-secret', 'unknown-key', 'tampered-body', 'tampered-signature', 'stale-date', 'future-date', 'garbage-authorization', 'odd-region', 'account-key'] as const)
      .map((m) => [2, () => m] as const),
  ]);
}

function today(): string {
  return new Date().toISOString().slice(0, 10).replace(/-/g, '');
}

function garbageAuthorization(p: Pick, signing: string): string {
  const scope = `${today()}/us-east-1/${signing}/aws4_request`;
  return p.one([
    '', ' ', 'AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256 ', 'AWS4-HMAC-SHA256 Credential=', 'AWS4-HMAC-SHA256 Credential=,,,',
    `AWS4-HMAC-SHA256 Credential=test/${scope}, SignedHeaders=host, Signature=00`,
    `AWS4-HMAC-SHA256 Credential=test/${scope}, SignedHeaders=host;x-amz-date, Signature=${'g'.repeat(64)}`,
    `AWS4-HMAC-SHA256 Credential=test/${scope}, SignedHeaders=, Signature=${'0'.repeat(64)}`,
    `AWS4-HMAC-SHA256 Credential=test/${scope}, SignedHeaders=HOST;;;X-AMZ-DATE;__proto__, Signature=${'0'.repeat(64)}`,
    `AWS4-HMAC-SHA256 Credential=test/${today()}/us-east-1/${signing}/aws4_request/extra, SignedHeaders=host, Signature=0`,
    'AWS4-HMAC-SHA256 Credential=test/x/y, SignedHeaders=host, Signature=0', 'AWS4-HMAC-SHA256 Credential=test//////, SignedHeaders=;;;, Signature=',
    'AWS4-HMAC-SHA256 a=b=c', 'AWS4-HMAC-SHA256 Credential=a,Credential=b,Signature=c,SignedHeaders=host',
    'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=', 'Bearer token', 'AWS4-ECDSA-P256-SHA256 Credential=test/x',
    'Basic dGVzdDp0ZXN0', `AWS4-HMAC-SHA256 Credential=${'k'.repeat(5000)}/${scope}, SignedHeaders=host, Signature=0`,
  ]);
}

const ODD_REGIONS = ['mars-east-9', 'US-EAST-1', 'x', '', 'a'.repeat(300), 'us-east-1 ', 'us_east_1', '..', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', '__proto__'];

const JUNK_CONTENT_TYPES: readonly (string | string[])[] = [
  '', 'text/plain', 'application/json', 'application/xml', 'text/xml', 'application/x-www-form-urlencoded',
  'application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=utf-16',
  '*/*', ';;;', 'application/json; charset=latin1', 'application/cbor', 'application/octet-stream', 'APPLICATION/JSON',
  ['application/json', 'text/xml'], ['application/x-www-form-urlencoded', 'application/json'],
];

const SIGNED_JUNK_HEADERS = [
  'x-amz-foo', 'x-amz-meta-a', 'content-md5', 'content-encoding', 'x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-sha256',
  'x-amz-sdk-checksum-algorithm', 'range', 'if-match', 'if-modified-since', 'date', 'x-amz-security-token', 'x-amz-user-agent', 'x-amz-acl',
  'x-amz-expected-bucket-owner', 'accept', 'content-language', 'x-amz-decoded-content-length', 'x-amz-trailer',
  'transfer-encoding', 'content-length', 'x-amz-client-context', 'x-amz-invocation-type', 'x-amz-copy-source', 'x-amz-tagging', 'x-amzn-trace-id',
  'x-amz-request-payer', 'x-amz-bypass-governance-retention', 'x-amz-object-lock-retain-until-date', 'x-amz-mfa', 'x-amz-api-version',
];

/** A header value with only visible ASCII (signable the same way by every side). */
function asciiValue(p: Pick): string {
  return junkScalar(p).replace(/[^\x21-\x7e]/g, '').slice(0, p.chance(5) ? 100_000 : 300) || 'x';
}

function latin1Value(p: Pick): string {
  return p.weighted<string>([
    [3, () => invalidUtf8(p).toString('latin1')],
    [2, () => Buffer.from(p.text(8, true), 'utf8').toString('latin1')],
    [1, () => 'v'.repeat(p.one([16_385, 1_000_000]))],
    [1, () => ' \t padded \t '],
  ]);
}

/** Signed junk headers and unsigned extras (oversized, non-ASCII, repeated many times). */
function junkHeaders(p: Pick, signed: Record<string, string | string[]>): Record<string, string | string[]> {
  if (p.chance(2)) signed['x-amz-content-sha256'] = p.one(['', 'x', 'UNSIGNED-PAYLOAD', 'unsigned-payload', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'f'.repeat(64), 'F'.repeat(64)]);
  for (const name of p.some(SIGNED_JUNK_HEADERS, 4)) {
    signed[name] = p.chance(15) ? [asciiValue(p), asciiValue(p)] : asciiValue(p);
  }
  const extra: Record<string, string | string[]> = {};
  if (p.chance(15)) {
    p.weighted<void>([
      [3, () => { extra[p.one(['x-fuzz', 'x-amz-meta-big', 'cookie', 'referer', 'user-agent'])] = latin1Value(p); }],
      [1, () => { extra['x-many'] = Array.from({ length: p.one([100, 5000]) }, (_, i) => `v${i}`); }],
      [1, () => { for (let i = 0; i < p.one([200, 3000]); i++) extra[`x-h${i}`] = 'v'; }],
      [1, () => { extra['user-agent'] = ['a', 'b']; extra['x-amzn-trace-id'] = 'Root=1-' + 'f'.repeat(4000); }],
    ]);
  }
  return extra;
}

function contentType(p: Pick, good: string): string | string[] | undefined {
  return p.weighted<string | string[] | undefined>([[14, () => good], [1, () => undefined], [4, () => p.one(JUNK_CONTENT_TYPES)]]);
}

let prefixOwner: Map<string, string> | undefined;
/** The service a `<prefix>.<region>.amazonaws.com` host names: the first with that endpoint prefix. */
function serviceOfPrefix(prefix: string): string | undefined {
  if (!prefixOwner) {
    prefixOwner = new Map();
    for (const [s, e] of Object.entries(modelIndex())) if (!prefixOwner.has(e.endpointPrefix)) prefixOwner.set(e.endpointPrefix, s);
  }
  return prefixOwner.get(prefix);
}

/** A Host header (or none) and the service it names, if any. */
function hostFor(p: Pick, service: string): { host?: string; hostService?: string } {
  const prefix = modelIndex()[service]!.endpointPrefix;
  const named = serviceOfPrefix(prefix);
  return p.weighted<{ host?: string; hostService?: string }>([
    [6, () => ({ host: 'localhost:4566' })],
    [4, () => ({ host: `${prefix}.us-east-1.amazonaws.com`, hostService: named })],
    [1, () => ({ host: `${prefix}.eu-west-1.localhost.localstack.cloud:4566`, hostService: named })],
    [1, () => ({ host: `${prefix}.amazonaws.com`, hostService: named })],
    [1, () => ({})],
    [1, () => ({ host: p.one(['127.0.0.1:4566', '[::1]:4566', 'x', 'a'.repeat(300), 'localhost:99999', ':', 'localhost:4566:4566']) })],
    [1, () => ({ host: p.one(['evil.localhost:4566', 'foo.s3.amazonaws.com', 'a.b.s3.localhost.localstack.cloud']), hostService: 's3' })],
  ]);
}

function randomPath(p: Pick): string {
  const n = p.int(0, 5);
  return '/' + Array.from({ length: n }, () => wireComponent(p)).join('/') + (p.chance(10) ? '/' : '');
}

function randomQuery(p: Pick): string {
  const n = p.int(0, 4);
  return Array.from({ length: n }, () => (p.chance(15) ? wireComponent(p) : `${wireComponent(p)}=${wireComponent(p)}`)).join('&');
}

function base(p: Pick, service: string, what: string): Draft {
  const auth = authMode(p);
  const { host, hostService } = hostFor(p, service);
  const d: Draft = { service, what, method: 'POST', path: '/', query: '', headers: {}, body: Buffer.alloc(0), auth, hostService };
  if (host !== undefined) d.headers['host'] = host;
  if (auth === 'garbage-authorization') d.garbageAuthorization = garbageAuthorization(p, modelIndex()[service]!.signingName);
  if (auth === 'odd-region') d.oddRegion = p.one(ODD_REGIONS);
  return d;
}

function finishHeaders(p: Pick, d: Draft): Draft {
  const extra = junkHeaders(p, d.headers);
  if (Object.keys(extra).length) d.extraHeaders = extra;
  return d;
}

const UNSAFE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineSetter__'];

// ---- awsJson1_0 / awsJson1_1 ----------------------------------------------------------------

export function awsJsonDraft(p: Pick, service: string): Draft {
  const model = loadModel(service);
  const ops = Object.keys(model.operations);
  const op = p.one(ops);
  const prefix = model.targetPrefix!;
  const d = base(p, service, `awsJson ${op}`);
  const target = p.weighted<string | string[] | undefined>([
    [24, () => `${prefix}.${op}`],
    [1, () => `${prefix}.${p.text(8)}`],
    [1, () => prefix],
    [1, () => `${prefix}.`],
    [1, () => `.${op}`],
    [1, () => op],
    [1, () => ''],
    [1, () => `${prefix}.${op.toLowerCase()}`],
    [1, () => `${p.one(['TrentService', 'DynamoDB_20120810', 'AmazonSQS', 'AWSEvents', 'Logs_20140328', 'AWSStepFunctions', 'Nope'])}.${op}`],
    [1, () => [`${prefix}.${op}`, `${prefix}.${op}`]],
    [1, () => `${prefix}.${op} `],
    [2, () => `${prefix}.${p.one(UNSAFE_NAMES)}`],
    [1, () => `${prefix}.${'x'.repeat(10_000)}`],
    [1, () => undefined],
  ]);
  if (target !== undefined) d.headers['x-amz-target'] = target;
  const ct = contentType(p, `application/x-amz-json-${model.protocol === 'awsJson1_1' ? '1.1' : '1.0'}`);
  if (ct !== undefined) d.headers['content-type'] = ct;
  d.method = p.weighted<string>([[20, () => 'POST'], [1, () => 'GET'], [1, () => 'PUT'], [1, () => 'post'], [1, () => 'OPTIONS'], [1, () => 'HEAD']]);
  if (p.chance(8)) d.path = randomPath(p);
  if (p.chance(10)) d.query = randomQuery(p);
  const inputOp = p.chance(90) ? op : p.one(ops);
  d.body = jsonBody(p, model, model.operations[inputOp]!.input, { jsonName: false, rest: false });
  return finishHeaders(p, d);
}

// ---- awsQuery / ec2Query (and SQS in query mode) --------------------------------------------

const LIST_INDEXES = ['1', '2', '3', '1', '0', '-1', 'x', '01', '', '1e3', '4294967295', '4294967296', '99999999999999999999', '2147483648', '1.5'];

function memberKey(name: string, m: { traits?: Record<string, unknown> }, ec2: boolean): string {
  const t = m.traits ?? {};
  if (ec2) {
    if (typeof t['ec2QueryName'] === 'string') return t['ec2QueryName'];
    const n = typeof t['xmlName'] === 'string' ? t['xmlName'] : name;
    return n[0]!.toUpperCase() + n.slice(1);
  }
  return typeof t['xmlName'] === 'string' ? t['xmlName'] : name;
}

function scalarParam(p: Pick, shape: Shape): string {
  return p.weighted<string>([
    [3, () => junkScalar(p)],
    [2, () => {
      switch (shape.type) {
        case 'number': case 'bigInteger': case 'bigDecimal': return p.one(['1', '0', '-1', '2147483648', '1.5']);
        case 'boolean': return p.one(['true', 'false']);
        case 'timestamp': return p.one(['2024-01-01T00:00:00Z', '1700000000']);
        case 'blob': return p.one(['YQ==', '']);
        default: return p.text(10);
      }
    }],
  ]);
}

function queryParams(p: Pick, model: ServiceModel, shapeId: string, prefix: string, ec2: boolean, flat: boolean, depth: number, out: Array<[string, string]>): void {
  const shape = shapeOf(model, shapeId);
  const join = (a: string, b: string): string => (a ? `${a}.${b}` : b);
  if (depth > 5) { out.push([prefix, junkScalar(p)]); return; }
  switch (shape.type) {
    case 'structure':
    case 'union':
      for (const [name, m] of chooseMembers(p, shape, Object.entries(shape.members ?? {}))) {
        queryParams(p, model, m.target, join(prefix, memberKey(name, m, ec2)), ec2, !!m.traits?.xmlFlattened, depth + 1, out);
      }
      return;
    case 'list': {
      if (p.chance(10)) { out.push([prefix, '']); return; }
      const mm = shape.member!;
      const holder = ec2 || flat ? prefix : join(prefix, typeof mm.traits?.xmlName === 'string' ? mm.traits.xmlName : 'member');
      for (let i = p.int(0, 2); i >= 0; i--) queryParams(p, model, mm.target, `${holder}.${p.one(LIST_INDEXES)}`, ec2, false, depth + 1, out);
      return;
    }
    case 'map': {
      const holder = ec2 || flat ? prefix : join(prefix, 'entry');
      const k = typeof shape.key!.traits?.xmlName === 'string' ? shape.key!.traits.xmlName : 'key';
      const v = typeof shape.value!.traits?.xmlName === 'string' ? shape.value!.traits.xmlName : 'value';
      for (let i = p.int(0, 2); i >= 0; i--) {
        const idx = p.one(LIST_INDEXES);
        out.push([`${holder}.${idx}.${k}`, p.one(JUNK_KEYS)]);
        queryParams(p, model, shape.value!.target, `${holder}.${idx}.${v}`, ec2, false, depth + 1, out);
      }
      return;
    }
    default:
      out.push([prefix, scalarParam(p, shape)]);
  }
}

function junkParamKey(p: Pick, members: string[]): string {
  const m = members.length ? p.one(members) : 'A';
  return p.one([
    'A.1.member.x', `${m}.member.x`, `${m}.1.member.x`, `${m}.member.0`, `${m}.member.-1`, `${m}.member.4294967295`, `${m}.4294967295`,
    `${m}.member.1.member.1`, `${m}.entry.1.key`, `${m}..x`, `${m}.`, `.${m}`, '.', '..', '', 'Attribute.1.Name', 'Tags.member.1.Key',
    `${m}.member.1e3`, `${m}.__proto__`, `__proto__.${m}`, `${m}.constructor.prototype`, `${m}.member.01`, 'x'.repeat(5000),
  ]);
}

export function queryDraft(p: Pick, service: string, opts: { sqsQueryMode?: boolean } = {}): Draft {
  const model = loadModel(service);
  const ec2 = model.protocol === 'ec2Query';
  const ops = Object.keys(model.operations);
  const op = p.one(ops);
  const d = base(p, service, `${ec2 ? 'ec2Query' : 'awsQuery'} ${op}`);
  const params: Array<[string, string]> = [];
  const action = p.weighted<string | string[] | undefined>([
    [24, () => op],
    [2, () => p.text(10)],
    [2, () => undefined],
    [1, () => op.toLowerCase()],
    [1, () => [op, p.one(ops)]],
    [2, () => p.one(UNSAFE_NAMES)],
    [1, () => ''],
    [1, () => `${op} `],
  ]);
  for (const a of action === undefined ? [] : Array.isArray(action) ? action : [action]) params.push(['Action', a]);
  const version = p.weighted<string | undefined>([[20, () => model.apiVersion], [2, () => undefined], [1, () => '1999-01-01'], [1, () => junkScalar(p)]]);
  if (version !== undefined) params.push(['Version', version]);
  const inputOp = p.chance(90) ? op : p.one(ops);
  const input = model.operations[inputOp]!.input;
  p.weighted<void>([
    [10, () => queryParams(p, model, input, '', ec2, false, 0, params)],
    [1, () => {
      const c = findCycle(model, input);
      if (c) params.push(...deepQuery(deepSteps(c, p.one([50, 500, 3000, 20_000])), ec2));
      else queryParams(p, model, input, '', ec2, false, 0, params);
    }],
  ]);
  const members = Object.entries(shapeOf(model, input).members ?? {}).map(([n, m]) => memberKey(n, m, ec2));
  for (let i = p.weighted<number>([[6, () => 0], [3, () => 1], [1, () => 3]]); i > 0; i--) params.push([junkParamKey(p, members), junkScalar(p)]);
  if (p.chance(10)) for (let i = 0; i < 2; i++) { const j = p.int(0, params.length); params.splice(j, 0, params[p.int(0, Math.max(0, params.length - 1))] ?? ['A', 'b']); }

  const where = p.weighted<'body' | 'query' | 'both'>([[12, () => 'body'], [3, () => 'query'], [1, () => 'both']]);
  const encoded = formEncode(p, params);
  if (where === 'body') d.body = encoded;
  else if (where === 'query') d.query = asciiOnly(encoded);
  else {
    const cut = encoded.indexOf('&', Math.floor(encoded.length / 2));
    d.query = asciiOnly(cut < 0 ? encoded : encoded.subarray(0, cut));
    d.body = cut < 0 ? Buffer.alloc(0) : encoded.subarray(cut + 1);
  }
  if (where !== 'body' && p.chance(10)) d.body = p.weighted<Buffer>([[1, () => p.bytes(64)], [1, () => Buffer.from('{"Action":"x"}')]]);
  d.method = where === 'query' ? p.weighted<string>([[6, () => 'GET'], [3, () => 'POST'], [1, () => 'DELETE']]) : p.weighted<string>([[14, () => 'POST'], [1, () => 'GET'], [1, () => 'PUT']]);
  const ct = contentType(p, p.one(['application/x-www-form-urlencoded; charset=utf-8', 'application/x-www-form-urlencoded']));
  if (ct !== undefined) d.headers['content-type'] = ct;
  if (opts.sqsQueryMode && p.chance(8)) d.headers['x-amz-target'] = p.one(['', 'AmazonSQS.SendMessage', 'AmazonSQS']);
  if (p.chance(5)) d.path = randomPath(p);
  return finishHeaders(p, d);
}

/** A request target holds visible ASCII only (Node's parser refuses the rest), so escape the others. */
function asciiOnly(b: Buffer): string {
  let s = '';
  for (const c of b) s += c > 0x20 && c < 0x7f && c !== 0x23 ? String.fromCharCode(c) : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
  return s;
}

// ---- restJson1 / restXml (S3 with its bucket in the host or the path) ------------------------

const METHODS_ODD = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'PROPFIND', 'get', 'TRACE', 'CONNECT', ''];
const BUCKETS = ['bucket', 'my.bucket', 'a', 'UPPER', 'x'.repeat(70), '..', 'b_c', '-', 'xn--a', '192.168.0.1', 'a..b', 'bucket-'];
const S3_BAD_PATH_BUCKETS = ['%zz', '%FF', '%2F', '%', '%C3%28', '.', '%2E%2E', 'b%20c'];

function labelValue(p: Pick, greedy: boolean): string {
  if (greedy) return Array.from({ length: p.int(1, 4) }, () => wireComponent(p)).join('/');
  return p.weighted<string>([[3, () => encodeURIComponent(p.text(10)) || 'x'], [5, () => wireComponent(p)]]);
}

function headerText(p: Pick, shape: Shape): string {
  const good = (): string => {
    switch (shape.type) {
      case 'number': case 'bigInteger': case 'bigDecimal': return p.one(['1', '0', '-1']);
      case 'boolean': return p.one(['true', 'false']);
      case 'timestamp': return p.one(['Mon, 01 Jan 2024 00:00:00 GMT', '2024-01-01T00:00:00Z', '1700000000']);
      case 'list': return p.one(['a,b', 'a, b', ',', '']);
      default: return p.text(10).replace(/[^\x21-\x7e]/g, '') || 'v';
    }
  };
  return p.weighted<string>([[3, good], [4, () => asciiValue(p)], [1, () => p.one(['eyJhIjoxfQ==', 'e30=', '!!!', 'bm90IGpzb24='])]]);
}

export function restDraft(p: Pick, service: string, opts: { s3Style?: 'path' | 'virtual' } = {}): Draft {
  const model = loadModel(service);
  const json = model.protocol === 'restJson1';
  const s3 = service === 's3';
  const ops = Object.entries(model.operations).filter(([, o]) => o.traits?.http);
  const [op, def] = p.one(ops);
  const [method, uri] = def.traits!.http!;
  const input = shapeOf(model, def.input);
  const d = base(p, service, `${model.protocol} ${op} (${method} ${uri})`);
  const [pathT, queryT = ''] = uri.split('?') as [string, string?];

  // Path from the URI template, labels filled with (mis-)encoded values.
  const segments = pathT.split('/').filter(Boolean).map((seg) => {
    const m = /^\{([^}+]+)(\+?)\}$/.exec(seg);
    if (m) return labelValue(p, m[2] === '+');
    return p.weighted<string>([[30, () => seg], [1, () => seg.toUpperCase()], [1, () => encodeURIComponent(seg).replace(/^./, (c) => `%${c.charCodeAt(0).toString(16)}`)], [1, () => seg + p.one(BAD_ESCAPES)]]);
  });
  let path = '/' + segments.join('/') + (pathT.endsWith('/') && segments.length ? '/' : '');
  if (p.chance(3)) path = path.replace(/\/$/, '') + '/';
  if (p.chance(3)) path = path.replace('/', '//');
  if (p.chance(6)) path = randomPath(p);

  if (s3) {
    const wantsBucket = !!input.members?.['Bucket']?.traits?.httpLabel;
    const bucket = p.weighted<string>([[10, () => p.one(BUCKETS)], [2, () => p.one(S3_BAD_PATH_BUCKETS)]]);
    const style = opts.s3Style ?? 'path';
    if (style === 'virtual' && wantsBucket) {
      const host = p.one([`${bucket}.s3.localhost.localstack.cloud:4566`, `${bucket}.s3.us-east-1.amazonaws.com`, `${bucket}.s3.amazonaws.com`, `${bucket}.localhost:4566`, `${bucket}.s3-us-west-2.amazonaws.com`]);
      d.headers['host'] = host.replace(/%/g, '');
      d.hostService = 's3';
      d.path = path;
    } else {
      d.headers['host'] = p.one(['localhost:4566', 's3.localhost.localstack.cloud:4566', 's3.us-east-1.amazonaws.com', 's3.amazonaws.com', 'localhost.localstack.cloud:4566']);
      d.hostService = d.headers['host'] === 'localhost:4566' || d.headers['host'] === 'localhost.localstack.cloud:4566' ? undefined : 's3';
      d.path = wantsBucket ? `/${bucket}${path === '/' ? p.one(['', '/']) : path}` : path;
    }
  } else d.path = path;

  // Query: the template's literal keys, bound members, then junk.
  const q: string[] = [];
  for (const kv of queryT.split('&').filter(Boolean)) if (p.chance(92)) q.push(kv);
  for (const [, m] of chooseMembers(p, input, Object.entries(input.members ?? {}).filter(([, m]) => m.traits?.httpQuery), 6)) {
    const target = shapeOf(model, m.target);
    const key = m.traits!.httpQuery!;
    const n = target.type === 'list' ? p.int(1, 3) : p.chance(10) ? 2 : 1;
    for (let i = 0; i < n; i++) q.push(`${encodeURIComponent(key)}=${p.chance(60) ? encodeURIComponent(headerText(p, target.type === 'list' ? shapeOf(model, target.member!.target) : target)) : wireComponent(p)}`);
  }
  if (p.chance(25)) q.push(randomQuery(p));
  d.query = q.filter(Boolean).join('&');

  // Headers bound to members, with wrong values.
  for (const [, m] of chooseMembers(p, input, Object.entries(input.members ?? {}).filter(([, m]) => m.traits?.httpHeader), 6)) {
    d.headers[m.traits!.httpHeader!.toLowerCase()] = headerText(p, shapeOf(model, m.target));
  }
  for (const [, m] of Object.entries(input.members ?? {})) {
    if (m.traits?.httpPrefixHeaders !== undefined && p.chance(20)) d.headers[`${m.traits.httpPrefixHeaders.toLowerCase()}${p.one(['a', 'b-c', '_', 'UPPER'])}`.toLowerCase()] = asciiValue(p);
  }

  // Body: the payload member, or the body members.
  const payload = Object.entries(input.members ?? {}).find(([, m]) => m.traits?.httpPayload);
  const hasBody = Object.values(input.members ?? {}).some((m) => {
    const t = m.traits ?? {};
    return !(t.httpHeader || t.httpQuery || t.httpLabel || t.httpPrefixHeaders !== undefined || t.httpQueryParams || t.httpPayload || t.httpResponseCode);
  });
  const structuredBody = (shapeId: string, root: string): Buffer => (json
    ? jsonBody(p, model, shapeId, { jsonName: true, rest: shapeId === def.input })
    : xmlBody(p, model, { root, shapeId }));
  if (payload) {
    const [name, m] = payload;
    const target = shapeOf(model, m.target);
    if (target.type === 'blob' || target.type === 'string') {
      d.body = p.weighted<Buffer>([[3, () => p.bytes(128)], [1, () => Buffer.from(p.text(40, true))], [1, () => Buffer.alloc(0)], [1, () => invalidUtf8(p)]]);
    } else {
      const root = (typeof m.traits?.xmlName === 'string' && m.traits.xmlName) || (typeof target.traits?.xmlName === 'string' && target.traits.xmlName) || m.target || name;
      d.body = structuredBody(m.target, root);
    }
  } else if (hasBody || p.chance(20)) {
    const root = (typeof input.traits?.xmlName === 'string' && input.traits.xmlName) || def.input;
    d.body = structuredBody(def.input, root);
  }
  const ct = contentType(p, json ? 'application/json' : 'application/xml');
  if (ct !== undefined) d.headers['content-type'] = ct;

  // S3 uploads: aws-chunked framing (with real chunk signatures in the signed modes).
  if (s3 && (op === 'PutObject' || op === 'UploadPart') && p.chance(30)) {
    const plan = chunkPlan(p);
    const mode = p.one<Streaming>(['STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER']);
    d.chunked = { plan, mode, corruptChunk: p.chance(10) };
    const len = p.weighted<string | undefined>([[8, () => String(decodedLength(plan))], [1, () => undefined], [1, () => p.one(['', '-1', 'x', '1e3', '99999999999', ' 1'])]]);
    if (len !== undefined) d.headers['x-amz-decoded-content-length'] = len;
    if (plan.trailers.length || p.chance(10)) {
      const names = plan.trailers.map((t) => t.split(':')[0]!.trim()).filter(Boolean);
      d.headers['x-amz-trailer'] = p.weighted<string>([[8, () => names.join(',') || 'x-amz-checksum-crc32'], [1, () => asciiValue(p)]]);
    }
    d.headers['content-encoding'] = p.one(['aws-chunked', 'aws-chunked', 'aws-chunked,gzip', 'gzip']);
    if (p.chance(50)) {
      // Often nothing else is wrong, so the decoded body reaches the operation.
      const keep = ['host', 'content-type', 'x-amz-decoded-content-length', 'x-amz-trailer', 'content-encoding'];
      d.headers = Object.fromEntries(Object.entries(d.headers).filter(([k]) => keep.includes(k)));
      d.method = method;
      return d;
    }
  }

  d.method = p.weighted<string>([[24, () => method], [1, () => p.one(METHODS_ODD)]]);
  return finishHeaders(p, d);
}
