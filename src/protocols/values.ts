import type { Member, ServiceModel, Shape } from './model.js';
import { shapeOf } from './model.js';

/**
 * Scalar conversions shared by every codec: timestamps in AWS's three formats, blobs, and the
 * validation-path naming AWS uses in "Value null at 'a.1.member.b'" messages.
 */

export type TimestampFormat = 'date-time' | 'http-date' | 'epoch-seconds';

/** Raised by a codec when the wire value cannot be read as the model's type. */
export class SerdeError extends Error {
  constructor(readonly path: string, message: string) { super(message); }
}

/** Collects constraint problems while a request is read, to answer them all at once as AWS does. */
export class Problems {
  readonly list: string[] = [];
  missing(path: string): void {
    this.list.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  }
}

export function lowerFirst(s: string): string {
  return s ? s[0]!.toLowerCase() + s.slice(1) : s;
}

export function upperFirst(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** Path of a member in AWS's validation messages. */
export function memberPath(parent: string, name: string): string {
  const n = lowerFirst(name);
  return parent ? `${parent}.${n}` : n;
}

export function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v * 1000);
  if (typeof v === 'string') {
    const d = new Date(/^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

/** Reads a timestamp in any of AWS's formats (clients differ in what they send). */
export function parseTimestamp(v: unknown, path: string): Date {
  const d = toDate(v);
  if (!d) throw new SerdeError(path, `could not parse timestamp ${JSON.stringify(v)} at '${path}'`);
  return d;
}

export function formatTimestamp(v: unknown, format: TimestampFormat): string | number {
  const d = toDate(v);
  if (!d) throw new Error(`not a timestamp: ${String(v)}`);
  switch (format) {
    case 'epoch-seconds': return Math.round(d.getTime()) / 1000;
    case 'http-date': return d.toUTCString();
    default: {
      // AWS writes whole seconds without fractions and keeps milliseconds when present.
      const iso = d.toISOString();
      return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
    }
  }
}

export function toBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  throw new Error('not a blob');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
export function fromBase64(v: string, path: string): Buffer {
  const s = v.replace(/\s+/g, '');
  if (s.length % 4 === 1 || !BASE64.test(s)) throw new SerdeError(path, `invalid base64 value at '${path}'`);
  return Buffer.from(s, 'base64');
}

/** Whether the value may be used as a number of the model's numeric type. */
export function parseNumber(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (!Number.isNaN(n)) return n;
  }
  throw new SerdeError(path, `expected a number at '${path}' but found ${JSON.stringify(v)}`);
}

export function parseBoolean(v: unknown, path: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new SerdeError(path, `expected a boolean at '${path}' but found ${JSON.stringify(v)}`);
}

/** Iterates the members of a structure shape with their resolved target shapes. */
export function* membersOf(model: ServiceModel, shape: Shape): Generator<[string, Member, Shape]> {
  for (const [name, m] of Object.entries(shape.members ?? {})) yield [name, m, shapeOf(model, m.target)];
}

/** Checks that every required member is present, recording AWS-style problems. */
export function checkRequired(shape: Shape, value: Record<string, unknown>, path: string, problems: Problems): void {
  for (const r of shape.required ?? []) if (value[r] === undefined) problems.missing(memberPath(path, r));
}
