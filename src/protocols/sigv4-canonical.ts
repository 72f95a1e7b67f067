import type { SignedRequest } from './sigv4.js';

/**
 * The canonical form of SigV4: URI, query and headers encoded and ordered exactly as AWS's
 * signers do, including the variants clients disagree on (path normalization, `+` in queries).
 */

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** S3 signs the path as sent. Other services encode it once more, first dropping empty and dot
 * segments as the JavaScript SDK and botocore do. */
export function canonicalUri(rawPath: string, s3: boolean): string {
  if (rawPath === '/' || rawPath === '') return '/';
  const path = rawPath;
  if (s3) return path;
  return uriEncode(/\/\/|\/\.\.?(?:\/|$)/.test(path) ? normalizePath(path, true) : path, true);
}

/** Every canonical path a client signs: normalized (JavaScript, Python), with only dot segments
 * removed (Java), untouched (Go). */
export function uriCandidates(rawPath: string, s3: boolean): string[] {
  const path = rawPath || '/';
  if (s3) return [path];
  return [...new Set([normalizePath(path, true), normalizePath(path, false), path].map((p) => uriEncode(p, true)))];
}

function normalizePath(path: string, dropEmpty: boolean): string {
  if (!path.startsWith('/')) return path;
  const out: string[] = [];
  for (const seg of path.split('/').slice(1)) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && (seg !== '' || !dropEmpty)) out.push(seg);
  }
  return `/${out.join('/')}${dropEmpty && out.length && path.endsWith('/') ? '/' : ''}`;
}

/** `name:value\n` per signed header: values trimmed, runs of spaces and tabs collapsed, repeats
 * joined with ',' (as the JavaScript SDK canonicalizes). */
export function canonicalHeaders(headers: SignedRequest['headers'], names: string[]): string {
  let out = '';
  for (const name of names) {
    // Own properties only: a signed header named `__proto__` must not reach Object.prototype.
    const v = Object.hasOwn(headers, name) ? headers[name] : undefined;
    if (typeof v === 'string' && !NEEDS_TRIM.test(v)) { out += `${name}:${v}\n`; continue; }
    const values = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
    out += `${name}:${values.map((x) => x.replace(/[ \t]+/g, ' ').replace(/^ | $/g, '')).join(',')}\n`;
  }
  return out;
}
/** A value the trimming below would change (Node already strips the edges of most headers). */
const NEEDS_TRIM = /\t| {2}|^ | $/;

/** Each key and value decoded and re-encoded the AWS way, sorted by key then value. */
export function canonicalQuery(rawQuery: string, presigned: boolean, plusAsSpace: boolean): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of splitQuery(rawQuery)) {
    const key = canonicalComponent(k, plusAsSpace);
    if (!(presigned && key === 'X-Amz-Signature')) pairs.push([key, canonicalComponent(v, plusAsSpace)]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export function splitQuery(rawQuery: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    if (part) out.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return out;
}

/** Decoded pre-signing parameters (first value of each), or undefined when there are none. */
export function presignParams(rawQuery: string): Map<string, string> | undefined {
  const q = new Map<string, string>();
  for (const [k, v] of splitQuery(rawQuery)) {
    const key = decode(k);
    if (key.startsWith('X-Amz-') && !q.has(key)) q.set(key, decode(v));
  }
  return q.has('X-Amz-Algorithm') || q.has('X-Amz-Credential') || q.has('X-Amz-Signature') ? q : undefined;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
const ESCAPES = Array.from({ length: 256 }, (_, i) => `%${i.toString(16).toUpperCase().padStart(2, '0')}`);

function canonicalComponent(s: string, plusAsSpace: boolean): string {
  return UNRESERVED.test(s) ? s : encodeBytes(percentDecode(s, plusAsSpace), false);
}

function uriEncode(s: string, keepSlash: boolean): string {
  return (keepSlash ? UNRESERVED_PATH : UNRESERVED).test(s) ? s : encodeBytes(toBytes(s), keepSlash);
}

/** Percent-encodes every byte outside RFC 3986's unreserved set (and '/' when `keepSlash`). */
function encodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (const b of bytes) {
    const keep = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
      || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e || (keepSlash && b === 0x2f);
    out += keep ? String.fromCharCode(b) : ESCAPES[b];
  }
  return out;
}

/** Node hands URLs and headers over as latin1 (one char per wire byte); wider strings are UTF-8. */
function toBytes(s: string): Buffer {
  return Buffer.from(s, /[^\u0000-\u00ff]/.test(s) ? 'utf8' : 'latin1');
}

/** %XX escapes to bytes; a '%' without two hex digits after it stays a literal '%'. */
function percentDecode(s: string, plusAsSpace: boolean): Buffer {
  const src = toBytes(s);
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 0x25 && isHex(src[i + 1]) && isHex(src[i + 2])) {
      out[n++] = parseInt(String.fromCharCode(src[i + 1]!, src[i + 2]!), 16);
      i += 2;
    } else out[n++] = c === 0x2b && plusAsSpace ? 0x20 : c;
  }
  return out.subarray(0, n);
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

export function decode(s: string): string {
  return percentDecode(s, false).toString('utf8');
}
