/**
 * Items ordered as DynamoDB orders them: grouped by partition key, partitions in the order of
 * a hash of their key (what Scan walks, and what parallel scan segments split), items inside
 * a partition by sort key. The same structure serves a table and each of its secondary
 * indexes (an index orders ties on its keys by the table's primary key).
 */
import { compareScalars, keyToken, type AttributeValue, type Item } from './values.js';

export interface Partition {
  hash: AttributeValue;
  token: string;
  /** 32-bit hash of the partition key: the scan order and the parallel-scan segment. */
  order: number;
  items: Item[];
}

/** FNV-1a over the key token: stable across restarts, spread evenly over 32 bits. */
export function hashOrder(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class KeyIndex {
  readonly partitions = new Map<string, Partition>();
  #sorted: Partition[] | undefined = [];
  #size = 0;

  /** `tableKey` names each item uniquely (the table's primary key token). */
  constructor(readonly hashKey: string, readonly rangeKey: string | undefined, readonly tableKey: (item: Item) => string) {}

  get size(): number { return this.#size; }

  /** Whether the item carries this index's keys (indexes are sparse). */
  covers(item: Item): boolean {
    return item[this.hashKey] !== undefined && (this.rangeKey === undefined || item[this.rangeKey] !== undefined);
  }

  #compare(a: Item, b: Item): number {
    if (this.rangeKey !== undefined) {
      const c = compareScalars(a[this.rangeKey]!, b[this.rangeKey]!)!;
      if (c !== 0) return c;
    }
    const x = this.tableKey(a);
    const y = this.tableKey(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }

  /** First position in `items` whose item is not before `probe`. */
  #lowerBound(items: Item[], probe: Item): number {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#compare(items[mid]!, probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  put(item: Item): void {
    if (!this.covers(item)) return;
    const token = keyToken(item[this.hashKey]!);
    let p = this.partitions.get(token);
    if (p === undefined) {
      p = { hash: item[this.hashKey]!, token, order: hashOrder(token), items: [] };
      this.partitions.set(token, p);
      this.#sorted = undefined;
    }
    const i = this.#lowerBound(p.items, item);
    if (i < p.items.length && this.#compare(p.items[i]!, item) === 0) { p.items[i] = item; return; }
    p.items.splice(i, 0, item);
    this.#size++;
  }

  remove(item: Item): void {
    if (!this.covers(item)) return;
    const token = keyToken(item[this.hashKey]!);
    const p = this.partitions.get(token);
    if (p === undefined) return;
    const i = this.#lowerBound(p.items, item);
    if (i < p.items.length && this.#compare(p.items[i]!, item) === 0) {
      p.items.splice(i, 1);
      this.#size--;
      if (p.items.length === 0) { this.partitions.delete(token); this.#sorted = undefined; }
    }
  }

  clear(): void {
    this.partitions.clear();
    this.#sorted = [];
    this.#size = 0;
  }

  /** Partitions in scan order (sorted lazily: writes are far more frequent than scans). */
  scanOrder(): Partition[] {
    if (this.#sorted === undefined) {
      this.#sorted = [...this.partitions.values()].sort((a, b) => a.order - b.order || (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
    }
    return this.#sorted;
  }

  /** Position of the first item after `start` inside its partition (for ExclusiveStartKey). */
  after(items: Item[], start: Item, descending: boolean): number {
    const i = this.#lowerBound(items, start);
    const exact = i < items.length && this.#compare(items[i]!, start) === 0;
    if (!descending) return exact ? i + 1 : i;
    return i - 1;
  }
}
