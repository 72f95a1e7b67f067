/** NextToken paging for the List* operations: the token is the position of the next item. */
import { invalidParameter } from './errors.js';

/** One page of `all` from the position a NextToken names; `next` when more remain. */
export function page<T>(all: T[], token: unknown, size: number): { items: T[]; next?: string } {
  let start = 0;
  if (typeof token === 'string' && token !== '') {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (!/^\d+$/.test(decoded)) throw invalidParameter('NextToken');
    start = Number(decoded);
  }
  const items = all.slice(start, start + size);
  const end = start + items.length;
  return end < all.length ? { items, next: Buffer.from(String(end), 'utf8').toString('base64url') } : { items };
}
