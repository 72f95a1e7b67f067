/**
 * KMS list pagination: `Limit` and an opaque `Marker`; answers carry `Truncated` and, when
 * there is more, `NextMarker`.
 */
import * as E from './errors.js';

/** One page of `all` per the request's Limit and Marker. */
export function paginate<T>(all: T[], input: Record<string, unknown>, maxLimit: number, defaultLimit: number): { items: T[]; more: { Truncated: boolean; NextMarker?: string } } {
  const limit = input['Limit'] === undefined ? defaultLimit : Number(input['Limit']);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw E.outOfRange('limit', limit, 1, maxLimit);
  let start = 0;
  if (input['Marker'] !== undefined) {
    const m = /^dd1\.(\d+)$/.exec(Buffer.from(String(input['Marker']), 'base64url').toString('utf8'));
    if (!m) throw E.invalidMarker();
    start = Number(m[1]);
  }
  const items = all.slice(start, start + limit);
  const next = start + limit;
  if (next >= all.length) return { items, more: { Truncated: false } };
  return { items, more: { Truncated: true, NextMarker: Buffer.from(`dd1.${next}`, 'utf8').toString('base64url') } };
}
