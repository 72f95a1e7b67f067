import type { ServiceModel } from '../../../src/protocols/model.js';
import { mergedTraits, shapeOf } from '../../../src/protocols/model.js';
import { asCarried, placeOf, type Direction } from './wire-limits.js';

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

/** Headers senders set on their own (framing, checksums, `Accept`): members bound to them may appear unasked. */
const FRAMING_HEADERS = /^(accept|content-type|content-length|content-md5|expect|x-amz-checksum-.*|x-amz-sdk-checksum-algorithm)$/i;

/**
 * Drops from what was received the top-level members the sender fills in by itself when
 * they were left out: idempotency tokens, framing and checksum headers, and the members named
 * in `filled` (SDK customizations, e.g. EC2 CopySnapshot's presigned URL).
 */
export function dropSenderFilled(
  model: ServiceModel, shapeId: string, generated: Record<string, unknown>, received: Record<string, unknown>,
  filled: ReadonlySet<string>,
): Record<string, unknown> {
  const shape = shapeOf(model, shapeId);
  const out = { ...received };
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    if (generated[name] !== undefined || out[name] === undefined) continue;
    const t = mergedTraits(model, m);
    if (t.idempotencyToken || (t.httpHeader && FRAMING_HEADERS.test(t.httpHeader)) || filled.has(`${shapeId}.${name}`)) {
      delete out[name];
    }
  }
  return out;
}

/** The generated top-level structure as it should arrive, without what the wire cannot carry. */
export function expectedAfterWire(model: ServiceModel, shapeId: string, value: Record<string, unknown>, direction: Direction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ctx = { protocol: model.protocol, direction };
  for (const [name, m] of Object.entries(shapeOf(model, shapeId).members ?? {})) {
    const v = asCarried(model, m, value[name], placeOf(model, m, false), ctx);
    if (v !== undefined) out[name] = v;
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
