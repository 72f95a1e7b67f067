/**
 * Shared plumbing for the S3 suites: path-style and virtual-host clients, unique bucket
 * names, and error capture that keeps S3's extra error elements.
 */
import { randomBytes } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent } from 'node:http';
import { CreateBucketCommand, S3Client, type CreateBucketCommandInput } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { sdkConfig } from '../../helpers.js';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * `<bucket>.localhost` resolves to the loopback address in browsers and systemd-resolved, but
 * not through glibc's resolver on every machine (this one included), so the virtual-host
 * client resolves `*.localhost` itself.
 */
function localhostLookup(host: string, options: LookupOptions, callback: LookupCallback): void {
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(host, options, callback as never);
}

const vhostAgent = new Agent({ keepAlive: true, lookup: localhostLookup } as never);

export interface ClientOptions {
  /** `true` (the default): `localhost:port/bucket/key`; `false`: `bucket.localhost:port/key`. */
  pathStyle?: boolean;
  region?: string;
  accessKeyId?: string;
}

/** An S3 client for the test Drydock. */
export function s3Client(dd: RunningDrydock, opts: ClientOptions = {}): S3Client {
  const cfg = sdkConfig(dd, {
    forcePathStyle: opts.pathStyle ?? true,
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.accessKeyId ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: 'test' } } : {}),
  });
  return new S3Client({ ...cfg, ...(opts.pathStyle === false ? { requestHandler: new NodeHttpHandler({ httpAgent: vhostAgent }) } : {}) });
}

/** A bucket name no other test uses. */
export function bucketName(prefix = 'b'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Creates a bucket with a fresh name and returns the name. */
export async function newBucket(c: S3Client, input: Partial<CreateBucketCommandInput> = {}): Promise<string> {
  const Bucket = input.Bucket ?? bucketName();
  await c.send(new CreateBucketCommand({ ...input, Bucket }));
  return Bucket;
}

/** What the SDK reports of an S3 error, S3's extra `<Error>` elements included. */
export interface SeenError {
  name: string;
  message: string;
  status?: number;
  fields: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Runs `fn`, expecting it to fail; returns what the SDK reported. */
export async function failure(fn: () => Promise<unknown>): Promise<SeenError> {
  try {
    await fn();
  } catch (e) {
    const err = e as Record<string, unknown> & { name: string; message: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(err)) if (/^[A-Z]/.test(k) && k !== 'Code' && k !== 'Message') fields[k] = v;
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, fields, headers: err.$response?.headers };
  }
  throw new Error('expected the call to fail');
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A raw response: status, lower-case headers and body text. */
export interface RawResponse { status: number; headers: Record<string, string>; body: string }

/**
 * Sends a request signed with SigV4 for S3 (the real @smithy signer), for what the SDK will not
 * send as is (a CreateBucket without LocationConstraint outside us-east-1, odd headers).
 */
export async function signedFetch(
  dd: RunningDrydock, req: { method: string; path: string; query?: Record<string, string>; headers?: Record<string, string>; body?: string; region?: string; accessKeyId?: string },
): Promise<RawResponse> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Sha256 } = await import('@aws-crypto/sha256-js');
  const url = new URL(dd.endpoint);
  const signer = new SignatureV4({
    service: 's3', region: req.region ?? 'us-east-1', sha256: Sha256, uriEscapePath: false, applyChecksum: true,
    credentials: { accessKeyId: req.accessKeyId ?? 'test', secretAccessKey: 'test' },
  });
  const body = req.body ?? '';
  const hash = new Sha256();
  hash.update(body);
  const digest = Buffer.from(await hash.digest()).toString('hex');
  const signed = await signer.sign({
    method: req.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: req.path, query: req.query ?? {},
    headers: { host: url.host, 'x-amz-content-sha256': digest, ...(req.headers ?? {}) }, body,
  });
  const qs = new URLSearchParams(req.query ?? {}).toString();
  const res = await fetch(`${dd.endpoint}${req.path}${qs ? `?${qs}` : ''}`, {
    method: req.method, headers: signed.headers as Record<string, string>, body: body === '' ? undefined : Buffer.from(body),
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => { headers[k] = v; });
  return { status: res.status, headers, body: await res.text() };
}
