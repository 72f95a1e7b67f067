/**
 * Items ordered as DynamoDB orders them: grouped by partition key, partitions in the order of
 * a hash of their key (what Scan walks, and what parallel scan segments split), items inside
 * a partition by sort key. Items are held in their encoded form (see codec.ts).
 *
 * The table's own index is the store of its items: a table without a sort key keeps one
 * map from partition key to item (no per-item partition objects); with a sort key, each
 * partition is a sorted array of encoded items, ordered by the sort key in their header.
 * A secondary index holds small entries (its sort key, the table key, the encoded item) and
 * orders ties on its keys by the table's primary key.
 */
import { compareRangeText, encodedRange, rangeText } from './codec.js';
import type { KeyCondition } from './key-condition.js';
import { keyToken, type Item } from './values.js';

/** An entry of a secondary index. */
export interface IndexEntry { r: string; k: string; v: string }
export type Entry = string | IndexEntry;

export interface Partition { token: string; order: number; items: Entry[] }

/** FNV-1a over the key token: stable across restarts, spread evenly over 32 bits. */
export function hashOrder(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function encodedOf(e: Entry): string {
  return typeof e === 'string' ? e : e.v;
}

export interface KeyIndexOptions {
  hashKey: string;
  rangeKey?: string;
  /** The sort key's type (S, N or B), when there is one. */
  rangeType?: string;
  /** Secondary indexes only: the table's primary key token of an item (orders ties). */
  tableKey?: (item: Item) => string;
}

export class KeyIndex {
  readonly hashKey: string;
  readonly rangeKey: string | undefined;
  readonly rangeType: string;
  readonly #tableKey: ((item: Item) => string) | undefined;
  /** Partitions, unless this is a table's index without a sort key. */
  readonly #partitions = new Map<string, Partition>();
  /** A table's index without a sort key: partition key token → encoded item. */
  readonly #single: Map<string, string> | undefined;
  #sorted: string[] | undefined = [];
  #size = 0;

  constructor(o: KeyIndexOptions) {
    this.hashKey = o.hashKey;
    this.rangeKey = o.rangeKey;
    this.rangeType = o.rangeType ?? 'S';
    this.#tableKey = o.tableKey;
    if (!o.tableKey && o.rangeKey === undefined) this.#single = new Map();
  }

  get size(): number { return this.#size; }

  /** Whether the item carries this index's keys (indexes are sparse). */
  covers(item: Item): boolean {
    return item[this.hashKey] !== undefined && (this.rangeKey === undefined || item[this.rangeKey] !== undefined);
  }

  /** The sort key text of an entry ('' without a sort key). */
  rangeOf(e: Entry): string {
    return typeof e === 'string' ? encodedRange(e) : e.r;
  }

  #cmp(a: string, b: string): number {
    return compareRangeText(this.rangeType, a, b);
  }

  /** First position whose entry is not before (r, k); `k` undefined compares on the sort key only. */
  #lowerBound(items: Entry[], r: string, k?: string, strict = false): number {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = items[mid]!;
      let c = this.rangeKey === undefined ? 0 : this.#cmp(this.rangeOf(e), r);
      if (c === 0 && k !== undefined && typeof e !== 'string') c = e.k === k ? 0 : e.k < k ? -1 : 1;
      if (c < 0 || (strict && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #probe(item: Item): { r: string; k: string | undefined } {
    return { r: this.rangeKey === undefined ? '' : rangeText(item[this.rangeKey]!), k: this.#tableKey?.(item) };
  }

  /** A table's index: the encoded item under `key`. */
  get(key: Item): string | undefined {
    const token = keyToken(key[this.hashKey]!);
    if (this.#single) return this.#single.get(token);
    const p = this.#partitions.get(token);
    if (!p) return undefined;
    const { r } = this.#probe(key);
    const i = this.#lowerBound(p.items, r);
    const e = p.items[i];
    return e !== undefined && this.#cmp(this.rangeOf(e), r) === 0 ? encodedOf(e) : undefined;
  }

  /**
   * Adds or replaces the item (given decoded, for its keys, and encoded, to keep); answers
   * the encoded item it replaced, if any, so a write needs no second lookup to learn it.
   */
  put(item: Item, enc: string): string | undefined {
    if (!this.covers(item)) return undefined;
    const token = keyToken(item[this.hashKey]!);
    if (this.#single) {
      const prev = this.#single.get(token);
      if (prev === undefined) { this.#size++; this.#sorted = undefined; }
      this.#single.set(token, enc);
      return prev;
    }
    let p = this.#partitions.get(token);
    if (p === undefined) {
      p = { token, order: hashOrder(token), items: [] };
      this.#partitions.set(token, p);
      this.#sorted = undefined;
    }
    const { r, k } = this.#probe(item);
    const e: Entry = this.#tableKey ? { r, k: k!, v: enc } : enc;
    const i = this.#lowerBound(p.items, r, k);
    const at = p.items[i];
    if (at !== undefined && this.#same(at, r, k)) { p.items[i] = e; return encodedOf(at); }
    p.items.splice(i, 0, e);
    this.#size++;
    return undefined;
  }

  #same(e: Entry, r: string, k: string | undefined): boolean {
    return (this.rangeKey === undefined || this.#cmp(this.rangeOf(e), r) === 0) && (typeof e === 'string' || e.k === k);
  }

  remove(item: Item): void {
    if (!this.covers(item)) return;
    const token = keyToken(item[this.hashKey]!);
    if (this.#single) {
      if (this.#single.delete(token)) { this.#size--; this.#sorted = undefined; }
      return;
    }
    const p = this.#partitions.get(token);
    if (p === undefined) return;
    const { r, k } = this.#probe(item);
    const i = this.#lowerBound(p.items, r, k);
    const at = p.items[i];
    if (at !== undefined && this.#same(at, r, k)) {
      p.items.splice(i, 1);
      this.#size--;
      if (p.items.length === 0) { this.#partitions.delete(token); this.#sorted = undefined; }
    }
  }

  clear(): void {
    this.#partitions.clear();
    this.#single?.clear();
    this.#sorted = [];
    this.#size = 0;
  }

  /** The partition of a partition key token, if it has items. */
  partition(token: string): Partition | undefined {
    if (this.#single) {
      const v = this.#single.get(token);
      return v === undefined ? undefined : { token, order: hashOrder(token), items: [v] };
    }
    return this.#partitions.get(token);
  }

  /** Partition tokens in scan order (sorted lazily: writes are far more frequent than scans). */
  scanOrder(): string[] {
    if (this.#sorted === undefined) {
      const keys = [...(this.#single ?? this.#partitions).keys()];
      const orders = new Map(keys.map((k) => [k, hashOrder(k)]));
      this.#sorted = keys.sort((a, b) => orders.get(a)! - orders.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
    }
    return this.#sorted;
  }

  /** Every encoded item, in scan order. */
  *encoded(): IterableIterator<string> {
    for (const token of this.scanOrder()) for (const e of this.partition(token)!.items) yield encodedOf(e);
  }

  /** Position of the first entry after `start` inside its partition (for ExclusiveStartKey). */
  after(items: Entry[], start: Item, descending: boolean): number {
    const { r, k } = this.#probe(start);
    const i = this.#lowerBound(items, r, k);
    const exact = i < items.length && this.#same(items[i]!, r, k);
    if (!descending) return exact ? i + 1 : i;
    return i - 1;
  }

  /** The span [from, to) of a partition's entries whose sort key meets a Query's range condition. */
  span(items: Entry[], range: KeyCondition['range']): [number, number] {
    if (!range || this.rangeKey === undefined) return [0, items.length];
    const [a, b] = range.values.map(rangeText) as [string, string | undefined];
    const lower = (x: string) => this.#lowerBound(items, x);
    const upper = (x: string) => this.#lowerBound(items, x, undefined, true);
    switch (range.op) {
      case '=': return [lower(a), upper(a)];
      case '<': return [0, lower(a)];
      case '<=': return [0, upper(a)];
      case '>': return [upper(a), items.length];
      case '>=': return [lower(a), items.length];
      case 'between': return [lower(a), Math.max(lower(a), upper(b!))];
      case 'begins_with': {
        // Items with the prefix follow each other from the first one not before the prefix.
        const from = lower(a);
        let lo = from;
        let hi = items.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (this.rangeOf(items[mid]!).startsWith(a)) lo = mid + 1;
          else hi = mid;
        }
        return [from, lo];
      }
    }
  }
}
