import type { ServiceModel } from '../../../src/protocols/model.js';
import { shapeOf } from '../../../src/protocols/model.js';

/**
 * Normal forms for comparing what was generated with what came out the other side: Dates by
 * time, blobs and streams as base64, no undefined members, `$metadata` dropped.
 */

export async function normalize(v: unknown): Promise<unknown> {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return { $date: v.getTime() };
  if (v instanceof Uint8Array) return { $blob: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'object' && typeof (v as { transformToByteArray?: unknown }).transformToByteArray === 'function') {
    // A streaming body: what the client hands back is a stream with the bytes.
    const bytes = await (v as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    return bytes.length ? { $blob: Buffer.from(bytes).toString('base64') } : undefined;
  }
  // LazyJsonString and similar String wrappers compare by their text.
  if (v instanceof String) return v.toString();
  if (Array.isArray(v)) return Promise.all(v.map(async (e) => (await normalize(e)) ?? null));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
      if (k === '$metadata') continue;
      const n = await normalize(e);
      if (n !== undefined) out[k] = n;
    }
    return out;
  }
  return v;
}

/** Headers the client sets on its own (framing, checksums): members bound to them may appear unasked. */
const CLIENT_HEADERS = /^(content-type|content-length|content-md5|expect|x-amz-checksum-.*|x-amz-sdk-checksum-algorithm)$/i;

/**
 * Drops from the parsed input the top-level members the client fills in by itself when the
 * user leaves them out: idempotency tokens, framing and checksum headers, and the members
 * named in `clientFilled` (SDK customizations, e.g. EC2 CopySnapshot's presigned URL).
 */
export function dropClientFilled(
  model: ServiceModel, inputShape: string, generated: Record<string, unknown>, parsed: Record<string, unknown>,
  clientFilled: ReadonlySet<string>,
): Record<string, unknown> {
  const shape = shapeOf(model, inputShape);
  const out = { ...parsed };
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    if (generated[name] !== undefined || out[name] === undefined) continue;
    const t = { ...shapeOf(model, m.target).traits, ...m.traits };
    if (t.idempotencyToken || (t.httpHeader && CLIENT_HEADERS.test(t.httpHeader)) || clientFilled.has(`${inputShape}.${name}`)) {
      delete out[name];
    }
  }
  return out;
}

/** Fails with the first path at which two normal forms differ, for a one-line report. */
export function assertSame(actual: unknown, expected: unknown, path = ''): void {
  if (Object.is(actual, expected)) return;
  const show = (v: unknown): string => (v === undefined ? 'absent' : JSON.stringify(v));
  const bothObjects = actual && expected && typeof actual === 'object' && typeof expected === 'object';
  if (!bothObjects || Array.isArray(actual) !== Array.isArray(expected)) {
    throw new Error(`at ${path || '(top)'}: got ${show(actual)}, expected ${show(expected)}`);
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) assertSame(a[k], e[k], path ? `${path}.${k}` : k);
}
