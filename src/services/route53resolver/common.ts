/** What the Resolver handlers share: idempotency by CreatorRequestId, list paging and filters, tag lists. */
import type { Collection } from '../../core/store.js';
import { invalidParameter } from './errors.js';

const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;

export function checkVpcId(id: unknown): string {
  const s = String(id ?? '');
  if (!VPC_ID.test(s)) throw invalidParameter(`[RSLVR-00402] Malformed VPC ID: "Invalid id: "${s}" (expecting "vpc-...")".`, 'VPCId');
  return s;
}

/** Domain names as Resolver stores them: lowercase with the final dot. */
export const domainName = (d: unknown): string => {
  const s = String(d ?? '').toLowerCase();
  return s.endsWith('.') ? s : `${s}.`;
};

export const isoNow = (ms: number): string => new Date(ms).toISOString();

export const tagMap = (tags: unknown): Record<string, string> =>
  Object.fromEntries(((tags as { Key: string; Value: string }[] | undefined) ?? []).map((t) => [t.Key, t.Value]));

/** One page of `items` with Resolver's NextToken (an offset) and MaxResults (default 10, at most 100). */
export function page<T>(items: T[], input: Record<string, unknown>): { items: T[]; next?: string; max: number } {
  const max = Math.min(100, Number(input['MaxResults'] ?? 10));
  const start = input['NextToken'] === undefined ? 0 : Number(Buffer.from(String(input['NextToken']), 'base64url').toString()) || 0;
  const out = items.slice(start, start + max);
  return { items: out, max, next: start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined };
}

/** Resolver list filters: each `{ Name, Values }` must match one of its values (names as the API spells the fields, in upper snake case). */
export function filtered<T extends object>(items: T[], filters: unknown): T[] {
  const fs = (filters as { Name?: string; Values?: string[] }[] | undefined) ?? [];
  return items.filter((it) => fs.every((f) => {
    const key = Object.keys(it).find((k) => k.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() === (f.Name ?? '').toUpperCase() || k.toUpperCase() === (f.Name ?? '').toUpperCase());
    return key === undefined || (f.Values ?? []).includes(String((it as Record<string, unknown>)[key]));
  }));
}

/** An existing resource with this CreatorRequestId, for idempotent creates. */
export function byRequestId<T extends { CreatorRequestId: string }>(c: Collection<T>, id: string): T | undefined {
  for (const v of c.values()) if (v.CreatorRequestId === id) return v;
  return undefined;
}
