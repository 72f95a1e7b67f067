// The oracle: what every answer to a malformed request must look like. A 4xx (or 501
// NotImplemented) AWS error in the protocol of the service the request was routed to, with the
// request-id header its clients read, headers a real HTTP server could send, and never a 5xx,
// a thrown exception, a dead worker or a hang.

import { validateHeaderName, validateHeaderValue } from 'node:http';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { modelIndex } from '../../../src/protocols/model.js';
import { implementedServices } from '../../../src/services/registry.js';
import type { Outcome } from './harness.js';
import type { Draft } from './sign.js';
import { SCOPED_MODES } from './sign.js';

export type Family = 'awsJson' | 'restJson' | 'queryXml' | 'ec2' | 's3' | 'fallback';

/** Services with handlers (more arrive as services are built): their answers may be successes. */
const IMPLEMENTED = new Set(implementedServices());

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The error family a request for `service` is answered in. */
export function familyOf(service: string, d: Pick<Draft, 'headers'>): Family {
  const e = modelIndex()[service]!;
  if (service === 's3') return 's3';
  if (service === 'sqs') {
    const t = d.headers['x-amz-target'];
    return (Array.isArray(t) ? t.length > 0 : !!t) ? 'awsJson' : 'queryXml';
  }
  switch (e.protocol) {
    case 'awsJson1_0':
    case 'awsJson1_1': return 'awsJson';
    case 'restJson1': return 'restJson';
    case 'awsQuery': return 'queryXml';
    case 'ec2Query': return 'ec2';
    case 'restXml': return 'queryXml';
  }
}

let targets: Map<string, string> | undefined;
function serviceByTarget(target: string): string | undefined {
  if (!targets) {
    targets = new Map();
    for (const [s, e] of Object.entries(modelIndex())) if (e.targetPrefix && e.protocol.startsWith('awsJson')) targets.set(e.targetPrefix, s);
  }
  return targets.get(target.slice(0, target.lastIndexOf('.')));
}

/** Families the answer may come in: those of every service the request names. */
export function allowedFamilies(d: Draft): Set<Family> | 'any' {
  const out = new Set<Family>();
  const target = first(d.headers['x-amz-target']);
  const byTarget = target ? serviceByTarget(target) : undefined;
  if (byTarget) out.add(familyOf(byTarget, d));
  if (SCOPED_MODES.has(d.auth)) out.add(familyOf(d.service, d));
  if (d.hostService) out.add(familyOf(d.hostService, d));
  // A garbage Authorization may still carry a readable credential scope naming the service.
  if (d.auth === 'garbage-authorization' && out.size) out.add(familyOf(d.service, d));
  return out.size ? out : 'any';
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, processEntities: false });

interface Classified { family: Family | 'empty'; code: string; problems: string[] }

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '#text' in v) return String((v as Record<string, unknown>)['#text']);
  return undefined;
}

function classify(status: number, headers: Record<string, string>, body: string): Classified {
  const problems: string[] = [];
  const ct = headers['content-type'] ?? '';
  const errType = headers['x-amzn-errortype'];
  if (body.trim() === '') return { family: 'empty', code: errType ?? '', problems };
  if (ct.includes('json') || /^\s*[{[]/.test(body)) {
    let v: unknown;
    try { v = JSON.parse(body); } catch { return { family: 'restJson', code: '', problems: [`error body is not JSON (content-type ${ct})`] }; }
    if (!v || typeof v !== 'object' || Array.isArray(v)) return { family: 'restJson', code: '', problems: ['error body is JSON but not an object'] };
    const o = v as Record<string, unknown>;
    if (!headers['x-amzn-requestid']) problems.push('no x-amzn-requestid header');
    if ('__type' in o) {
      const t = String(o['__type']);
      if (ct.startsWith('application/x-amz-json-1.')) {
        const code = t.slice(t.lastIndexOf('#') + 1);
        if (!t.includes('#')) problems.push(`__type ${JSON.stringify(t)} lacks the namespace#`);
        if (errType !== undefined && errType.split(':')[0] !== code) problems.push(`x-amzn-errortype ${errType} differs from __type ${t}`);
        return { family: 'awsJson', code, problems };
      }
      return { family: 'fallback', code: t, problems };
    }
    if (!errType) problems.push('restJson error without x-amzn-errortype header');
    return { family: 'restJson', code: (errType ?? '').split(':')[0]!, problems };
  }
  if (XMLValidator.validate(body) !== true) return { family: 's3', code: '', problems: [`error body is neither JSON nor well-formed XML: ${body.slice(0, 200)}`] };
  const doc = xml.parse(body) as Record<string, Record<string, unknown>>;
  const root = Object.keys(doc).find((k) => !k.startsWith('?'));
  const r = root ? doc[root] ?? {} : {};
  if (root === 'ErrorResponse') {
    const e = (r['Error'] ?? {}) as Record<string, unknown>;
    const code = str(e['Code']) ?? '';
    const type = str(e['Type']);
    if (type !== 'Sender' && type !== 'Receiver') problems.push(`<Type> is ${JSON.stringify(type)}`);
    if (type === 'Sender' && status >= 500) problems.push('<Type>Sender</Type> with a 5xx status');
    if (str(e['Message']) === undefined && e['Message'] !== '') problems.push('no <Message>');
    if (!str(r['RequestId'])) problems.push('no <RequestId>');
    return { family: 'queryXml', code, problems };
  }
  if (root === 'Response') {
    const e = (((r['Errors'] ?? {}) as Record<string, unknown>)['Error'] ?? {}) as Record<string, unknown>;
    if (!str(r['RequestID'])) problems.push('no <RequestID>');
    return { family: 'ec2', code: str(e['Code']) ?? '', problems };
  }
  if (root === 'Error') {
    if (!str(r['RequestId'])) problems.push('no <RequestId>');
    if (!headers['x-amz-request-id']) problems.push('no x-amz-request-id header');
    return { family: 's3', code: str(r['Code']) ?? '', problems };
  }
  return { family: 's3', code: '', problems: [`unknown XML error root <${root}>`] };
}

export interface Verdict { ok: boolean; problems: string[]; status?: number; code?: string; family?: string }

/** Judges one answer to a draft. */
export function judge(d: Draft, o: Outcome): Verdict {
  if (o.kind === 'timeout') return { ok: false, problems: [`HANG: no answer within ${o.ms} ms`] };
  if (o.kind === 'crash') return { ok: false, problems: [`CRASH: the worker hosting Drydock died: ${o.error}`] };
  if (o.kind === 'thrown') return { ok: false, problems: [`THROWN: Drydock.handle rejected: ${o.error}`] };
  const problems: string[] = [];
  for (const [k, v] of Object.entries(o.headers)) {
    try {
      validateHeaderName(k);
      if (typeof v !== 'string') throw new Error(`value is ${typeof v}`);
      validateHeaderValue(k, v);
    } catch (e) { problems.push(`response header ${JSON.stringify(k)} cannot be sent by node:http: ${(e as Error).message}`); }
  }
  const body = o.body.toString('utf8');
  if (body.includes('root:x:0:0')) problems.push('XXE: the body contains /etc/passwd');
  const status = o.status;
  if (status >= 200 && status < 300) {
    // Only a service with handlers may succeed (a request can be well formed by chance), and
    // only with a body its clients can read.
    const allowed = allowedFamilies(d);
    const target = first(d.headers['x-amz-target']);
    const services = allowed === 'any' ? [...IMPLEMENTED]
      : [d.service, d.hostService, target ? serviceByTarget(target) : undefined].filter((s): s is string => !!s);
    if (!services.some((s) => IMPLEMENTED.has(s))) problems.push(`success status ${status} from a service without handlers`);
    const trimmed = body.trim();
    if (trimmed.startsWith('{')) { try { JSON.parse(trimmed); } catch { problems.push('success body is not valid JSON'); } }
    else if (trimmed.startsWith('<') && XMLValidator.validate(trimmed) !== true) problems.push('success body is not well-formed XML');
    const op = /<(\w+)Response[\s>]/.exec(body)?.[1];
    return { ok: problems.length === 0, problems, status, code: op ?? 'success' };
  }
  const c = classify(status, o.headers, body);
  problems.push(...c.problems);
  if (status === 501) {
    if (c.code !== 'NotImplemented' && c.family !== 'empty') problems.push(`501 with code ${JSON.stringify(c.code)} instead of NotImplemented`);
  } else if (status < 400 || status > 499) {
    problems.push(`status ${status} (only 4xx and 501 NotImplemented are acceptable)`);
  }
  if (/^Internal(Failure|Error|ServerError)$/.test(c.code)) problems.push(`internal error code ${c.code}`);
  if (c.family !== 'empty' && !c.code) problems.push('error without a code');
  if (c.family === 'empty') {
    if (d.method !== 'HEAD') problems.push('error with an empty body for a non-HEAD request');
  } else {
    const allowed = allowedFamilies(d);
    if (allowed === 'any') {
      // nothing names a service: any AWS error form will do
    } else if (!allowed.has(c.family)) {
      problems.push(`error in ${c.family} form; the request named a service answering in ${[...allowed].join(' or ')}`);
    }
    if (c.family === 'awsJson' && allowed !== 'any' && allowed.has('awsJson')) {
      const t = first(d.headers['x-amz-target']);
      const svc = (t && serviceByTarget(t)) || d.service;
      if (svc === 'sqs' && !o.headers['x-amzn-query-error']) problems.push('SQS JSON error without x-amzn-query-error');
    }
  }
  return { ok: problems.length === 0, problems, status, code: c.code, family: c.family };
}
