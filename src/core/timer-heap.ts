/**
 * A binary min-heap of clock timers ordered by due time, then by insertion order, so timers
 * due at the same instant fire in the order they were scheduled. Each entry remembers its
 * slot so that cancelling is O(log n): services cancel and re-arm timers constantly (SQS
 * visibility changes), and lazy deletion would let cancelled timers pile up.
 */
export interface HeapTimer {
  due: number;
  seq: number;
  /** Position in the heap; -1 when not in it. */
  slot: number;
}

/** Min-heap of {@link HeapTimer}s; see the module comment for why slots are tracked. */
export class TimerHeap<T extends HeapTimer> {
  #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(t: T): void {
    t.slot = this.#items.length;
    this.#items.push(t);
    this.#up(t.slot);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(t: T): boolean {
    const i = t.slot;
    if (i < 0 || this.#items[i] !== t) return false;
    const last = this.#items.pop()!;
    t.slot = -1;
    if (last !== t) {
      this.#items[i] = last;
      last.slot = i;
      this.#down(i);
      this.#up(last.slot);
    }
    return true;
  }

  clear(): void {
    for (const t of this.#items) t.slot = -1;
    this.#items = [];
  }

  #less(a: T, b: T): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  #swap(i: number, j: number): void {
    const a = this.#items[i]!;
    const b = this.#items[j]!;
    this.#items[i] = b;
    this.#items[j] = a;
    b.slot = i;
    a.slot = j;
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(this.#items[i]!, this.#items[parent]!)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.#less(this.#items[l]!, this.#items[m]!)) m = l;
      if (r < n && this.#less(this.#items[r]!, this.#items[m]!)) m = r;
      if (m === i) return;
      this.#swap(i, m);
      i = m;
    }
  }
}
