import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignedRequest } from './sigv4.js';

/**
 * S3's legacy Signature Version 2, which boto3 1.26 still uses for pre-signed URLs by default
 * (`?AWSAccessKeyId=…&Expires=…&Signature=…`) and some old tools for the `Authorization: AWS
 * key:signature` header. Only S3 accepts it, as on AWS.
 */
export interface SigV2Auth {
  kind: 'presigned' | 'header';
  accessKeyId: string;
  signature: string;
  /** Pre-signed: the expiry, seconds since the epoch. */
  expires?: number;
}

/** Sub-resources that enter the canonicalized resource, per the S3 SigV2 specification. */
const SUBRESOURCES = new Set([
  'acl', 'cors', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy', 'requestPayment',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
  'response-content-type', 'response-expires', 'restore', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId',
  'versioning', 'versions', 'website', 'replication', 'encryption', 'accelerate', 'inventory', 'analytics', 'metrics',
  'publicAccessBlock', 'ownershipControls', 'object-lock', 'retention', 'legal-hold', 'intelligent-tiering', 'select', 'select-type',
]);

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Reads SigV2 parameters from the query or the Authorization header; undefined if absent. */
export function parseSigV2(req: SignedRequest): SigV2Auth | undefined {
  const q = new URLSearchParams(req.rawQuery);
  const key = q.get('AWSAccessKeyId');
  const signature = q.get('Signature');
  if (key && signature && q.has('Expires')) {
    const expires = Number(q.get('Expires'));
    return { kind: 'presigned', accessKeyId: key, signature, expires: Number.isFinite(expires) ? expires : 0 };
  }
  const m = /^AWS ([^:\s]+):(\S+)$/.exec(first(req.headers['authorization']) ?? '');
  return m ? { kind: 'header', accessKeyId: m[1]!, signature: m[2]! } : undefined;
}

/** The string to sign; `resourcePath` is `/bucket/key` (virtual-host requests add the bucket). */
export function sigV2StringToSign(req: SignedRequest, auth: SigV2Auth, resourcePath: string): string {
  const h = req.headers;
  const amz = Object.keys(h).filter((k) => k.startsWith('x-amz-')).sort()
    .map((k) => `${k}:${(Array.isArray(h[k]) ? (h[k] as string[]) : [String(h[k])]).map((v) => v.trim()).join(',')}\n`).join('');
  const date = auth.kind === 'presigned' ? String(auth.expires) : h['x-amz-date'] !== undefined ? '' : first(h['date']) ?? '';
  const sub = new URLSearchParams(req.rawQuery);
  const params = [...new Set(sub.keys())].filter((k) => SUBRESOURCES.has(k)).sort()
    .map((k) => (sub.get(k) === '' ? k : `${k}=${sub.get(k)}`));
  const resource = resourcePath + (params.length ? `?${params.join('&')}` : '');
  return `${req.method}\n${first(h['content-md5']) ?? ''}\n${first(h['content-type']) ?? ''}\n${date}\n${amz}${resource}`;
}

/** Whether the signature matches the secret. */
export function verifySigV2(req: SignedRequest, auth: SigV2Auth, secret: string, resourcePath: string): boolean {
  const expected = createHmac('sha1', secret).update(sigV2StringToSign(req, auth, resourcePath), 'utf8').digest();
  const given = Buffer.from(auth.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
