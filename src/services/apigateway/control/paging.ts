/** API Gateway list paging: `limit` (default 25, at most 500) and an opaque `position`. */
import { badRequest } from '../errors.js';

export function page<T>(items: T[], input: Record<string, unknown>): { items: T[]; position?: string } {
  const limit = input['limit'] === undefined ? 25 : Number(input['limit']);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest('Invalid limit specified. Must be between 1 and 500.');
  const start = typeof input['position'] === 'string' ? Number.parseInt(Buffer.from(input['position'], 'base64url').toString(), 10) || 0 : 0;
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return next === undefined ? { items: slice } : { items: slice, position: next };
}
