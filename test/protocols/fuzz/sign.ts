// Turns a drafted request into what Drydock's app core receives, signed with the real
// @smithy/signature-v4 signer over exactly the method, path, query, headers and body sent, so
// that malformed content gets past authentication and reaches the protocol parsers. A share of
// drafts is sent unsigned or badly signed instead.

import { Sha256 } from '@aws-crypto/sha256-js';
import { getCanonicalHeaders, SignatureV4 } from '@smithy/signature-v4';
import { escapeUri } from '@smithy/util-uri-escape';
import { modelIndex } from '../../../src/protocols/model.js';
import type { ChunkPlan } from './bodies.js';
import { chunkBody } from './bodies.js';
import type { HostRequest } from './host.js';

export type AuthMode =
  | 'signed' | 'signed-no-checksum-header' | 'presigned' | 'unsigned' | 'wrong-secret' | 'unknown-key'
  | 'tampered-body' | 'tampered-signature' | 'stale-date' | 'future-date' | 'garbage-authorization' | 'odd-region' | 'account-key';

/** Modes whose Authorization names a credential scope Drydock can read (so routing uses it). */
export const SCOPED_MODES: ReadonlySet<AuthMode> = new Set<AuthMode>([
  'signed', 'signed-no-checksum-header', 'presigned', 'wrong-secret', 'unknown-key', 'tampered-body', 'tampered-signature',
  'stale-date', 'future-date', 'odd-region', 'account-key',
]);

export type Streaming = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

export interface Draft {
  /** Drydock's name of the service the request is meant for (a key of models/index.json). */
  service: string;
  /** What the generator built, for reports. */
  what: string;
  method: string;
  /** Raw path as on the wire (ASCII, percent-encoded, maybe wrongly). */
  path: string;
  /** Raw query string without '?' (ASCII). */
  query: string;
  /** Headers that are signed (lower-case names; arrays are repeated headers). */
  headers: Record<string, string | string[]>;
  /** Headers sent but never signed: oversized, non-ASCII, repeated oddly. */
  extraHeaders?: Record<string, string | string[]>;
  body: Buffer;
  auth: AuthMode;
  /** aws-chunked body framing, built after signing (signed chunks chain on the seed signature). */
  chunked?: { plan: ChunkPlan; mode: Streaming; corruptChunk: boolean };
  garbageAuthorization?: string;
  oddRegion?: string;
  /** The service the Host header names, when the generator chose such a host. */
  hostService?: string;
}

export interface Sent {
  req: HostRequest;
  /** The access key the request was signed with, if any. */
  accessKeyId?: string;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const h = new Sha256();
  h.update(data);
  return Buffer.from(await h.digest()).toString('hex');
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** RFC 3986 decoding to bytes; a '%' without two hex digits stays literal (as AWS reads it). */
function percentDecode(s: string): Buffer {
  const src = Buffer.from(s, 'latin1');
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 0x25 && i + 2 < src.length && isHex(src[i + 1]!) && isHex(src[i + 2]!)) {
      out.push(parseInt(String.fromCharCode(src[i + 1]!, src[i + 2]!), 16));
      i += 2;
    } else out.push(c);
  }
  return Buffer.from(out);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function utf8(b: Buffer): string | undefined {
  try { return UTF8.decode(b); } catch { return undefined; }
}

function splitQuery(raw: string): Array<[string, string]> {
  return raw.split('&').filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
  });
}

/**
 * The raw query as the decoded record smithy signs; undefined when some component is not UTF-8
 * (smithy's signer works on strings, so those requests are signed from the canonical bytes).
 */
function queryRecord(raw: string): Record<string, string | string[]> | undefined {
  const rec: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of splitQuery(raw)) {
    const key = utf8(percentDecode(k));
    const value = utf8(percentDecode(v));
    if (key === undefined || value === undefined) return undefined;
    const prev = rec[key];
    rec[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return { ...rec };
}

function encodeBytes(b: Buffer): string {
  let out = '';
  for (const c of b) {
    const unreserved = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
    out += unreserved ? String.fromCharCode(c) : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** SigV4's canonical query from raw bytes (for the requests smithy cannot take as strings). */
function canonicalQueryBytes(raw: string): string {
  return splitQuery(raw)
    .map(([k, v]) => [encodeBytes(percentDecode(k)), encodeBytes(percentDecode(v))] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
}

function amzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

const signingNames = new Map<string, string>();
function signingName(service: string): string {
  let n = signingNames.get(service);
  if (!n) signingNames.set(service, (n = modelIndex()[service]!.signingName));
  return n;
}

/** Builds, signs (or mis-signs) and returns the request to hand to `Drydock.handle`. */
export async function materialize(d: Draft): Promise<Sent> {
  const s3 = d.service === 's3';
  const service = signingName(d.service);
  let accessKeyId = 'test';
  let secret = 'test';
  let date = new Date();
  let region = 'us-east-1';
  switch (d.auth) {
    case 'wrong-secret': secret = 'not-the-secret'; break;
    case 'unknown-key': accessKeyId = 'AKIAFUZZUNKNOWNKEY00'; break;
    case 'account-key': accessKeyId = '123456789012'; break;
    case 'stale-date': date = new Date(date.getTime() - 20 * 60_000); break;
    case 'future-date': date = new Date(date.getTime() + 20 * 60_000); break;
    case 'odd-region': region = d.oddRegion ?? 'mars-east-9'; break;
    default: break;
  }

  const headers: Record<string, string | string[]> = { ...d.headers };
  if (d.chunked) headers['x-amz-content-sha256'] = d.chunked.mode;
  let body = d.body;
  const url = (q: string): string => d.path + (q ? `?${q}` : '');
  const finish = async (h: Record<string, string | string[]>, q: string, seed?: string): Promise<Sent> => {
    if (d.chunked) {
      const signed = d.chunked.mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' && seed !== undefined;
      let prev = seed ?? '';
      let n = 0;
      const scope = `${amzDate(date).slice(0, 8)}/${region}/${service}/aws4_request`;
      body = await chunkBody(d.chunked.plan, signed ? async (data) => {
        const sts = `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate(date)}\n${scope}\n${prev}\n${EMPTY_SHA256}\n${await sha256Hex(data)}`;
        let sig = await signer.sign(sts, { signingDate: date });
        if (d.chunked!.corruptChunk && n++ === 0) sig = sig.replace(/^./, (c) => (c === '0' ? '1' : '0'));
        prev = sig;
        return sig;
      } : undefined);
    }
    if (d.auth === 'tampered-body') body = body.length ? Buffer.concat([body.subarray(0, -1), Buffer.from([body[body.length - 1]! ^ 1])]) : Buffer.from('x');
    const out = { ...h, ...(d.extraHeaders ?? {}) };
    for (const [k, v] of Object.entries(h)) out[k] = v; // signed values win over extras
    return { req: { method: d.method, url: url(q), headers: out, body }, accessKeyId };
  };

  const signer = new SignatureV4({
    service, region, sha256: Sha256, uriEscapePath: !s3, applyChecksum: d.auth !== 'signed-no-checksum-header',
    credentials: { accessKeyId, secretAccessKey: secret },
  });

  if (d.auth === 'unsigned') return finish(headers, d.query);
  if (d.auth === 'garbage-authorization') {
    return finish({ ...headers, authorization: d.garbageAuthorization ?? 'garbage', 'x-amz-date': amzDate(date) }, d.query);
  }

  // Repeated headers are signed as their comma-joined value, which is how AWS canonicalizes them.
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) flat[k] = Array.isArray(v) ? v.join(',') : v;
  const hostname = (first(headers['host']) ?? 'localhost').replace(/:\d+$/, '');
  const record = queryRecord(d.query);
  const request = { method: d.method, protocol: 'http:', hostname, path: d.path, query: record ?? {}, headers: flat, body: d.chunked ? undefined : body };

  if (d.auth === 'presigned' && record) {
    const signed = await signer.presign(request, { signingDate: date, expiresIn: 300, unhoistableHeaders: new Set(Object.keys(flat)) });
    const extra: string[] = [];
    for (const [k, v] of Object.entries(signed.query ?? {})) {
      if (Object.hasOwn(record, k) || v === null) continue;
      for (const one of Array.isArray(v) ? v : [v]) extra.push(`${escapeUri(k)}=${escapeUri(String(one))}`);
    }
    const kept: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) if (Object.hasOwn(signed.headers, k)) kept[k] = v;
    return finish(kept, [d.query, ...extra].filter(Boolean).join('&'));
  }

  let authorization: string;
  const added: Record<string, string> = {};
  if (record) {
    const signed = await signer.sign(request, { signingDate: date });
    authorization = signed.headers['authorization']!;
    for (const k of ['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']) if (signed.headers[k] !== undefined) added[k] = signed.headers[k]!;
  } else {
    // Not-UTF-8 query bytes: canonical request from the bytes, signature from smithy's signer.
    const long = amzDate(date);
    const scope = `${long.slice(0, 8)}/${region}/${service}/aws4_request`;
    const payload = first(headers['x-amz-content-sha256']) ?? await sha256Hex(body);
    added['x-amz-date'] = long;
    if (d.auth !== 'signed-no-checksum-header' && headers['x-amz-content-sha256'] === undefined) added['x-amz-content-sha256'] = payload;
    const canon = getCanonicalHeaders({ headers: { ...flat, ...added } } as never);
    const names = Object.keys(canon).sort();
    const path = (signer as unknown as { getCanonicalPath(r: { path: string }): string }).getCanonicalPath({ path: d.path });
    const canonical = [d.method, path, canonicalQueryBytes(d.query), ...names.map((n) => `${n}:${canon[n]}`), '', names.join(';'), payload].join('\n');
    const sts = `AWS4-HMAC-SHA256\n${long}\n${scope}\n${await sha256Hex(canonical)}`;
    const signature = await signer.sign(sts, { signingDate: date });
    authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  }
  if (d.auth === 'tampered-signature') authorization = authorization.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
  const seed = /Signature=([0-9a-f]{64})/.exec(authorization)?.[1];
  return finish({ ...headers, ...added, authorization }, d.query, seed);
}
