// Events are matched flattened, as Ruler matches them: every leaf value under its dotted
// path (`{"a": {"b": 1}}` and `{"a.b": 1}` both give `a.b`), arrays crushed into their
// parent field, each leaf remembering which element of which array holds it so that two
// fields are only matched together from the same array element.
import type { Leaf, Scalar } from './matchers.js';

const NO_TRAIL: readonly number[] = [];

/** The leaves of one event, by dotted path. */
export class FlatEvent {
  readonly #leaves = new Map<string, Leaf[]>();
  readonly #wanted: ReadonlySet<string> | undefined;
  #arrays = 0;

  private constructor(wanted: ReadonlySet<string> | undefined) {
    this.#wanted = wanted;
  }

  /**
   * Flattens an event (a JSON object). `wanted`, when given, holds every path prefix some
   * pattern reads; other subtrees are skipped. Returns undefined for a non-object event.
   */
  static from(event: unknown, wanted?: ReadonlySet<string>): FlatEvent | undefined {
    if (!isObject(event)) return undefined;
    const flat = new FlatEvent(wanted);
    flat.#walk(event, undefined, NO_TRAIL);
    return flat;
  }

  /** True when some leaf sits inside an array (array consistency may then matter). */
  get hasArrays(): boolean {
    return this.#arrays > 0;
  }

  /** Leaves at a path (empty when the field is absent or holds only empty arrays/objects). */
  leaves(path: string): readonly Leaf[] {
    return this.#leaves.get(path) ?? NO_TRAIL as unknown as readonly Leaf[];
  }

  /** Every path that holds at least one leaf. */
  paths(): IterableIterator<string> {
    return this.#leaves.keys();
  }

  #walk(obj: Record<string, unknown>, prefix: string | undefined, trail: readonly number[]): void {
    for (const key of Object.keys(obj)) {
      const path = prefix === undefined ? key : `${prefix}.${key}`;
      if (this.#wanted !== undefined && !this.#wanted.has(path)) continue;
      this.#value(obj[key], path, trail);
    }
  }

  #value(v: unknown, path: string, trail: readonly number[]): void {
    if (Array.isArray(v)) {
      const id = ++this.#arrays;
      for (let i = 0; i < v.length; i++) this.#value(v[i], path, [...trail, id, i]);
    } else if (isObject(v)) {
      this.#walk(v, path, trail);
    } else if (isScalar(v)) {
      const list = this.#leaves.get(path);
      const leaf: Leaf = { value: v, trail };
      if (list) list.push(leaf);
      else this.#leaves.set(path, [leaf]);
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Every dotted prefix of the given paths (`a.b.c` gives `a`, `a.b`, `a.b.c`). */
export function pathPrefixes(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    let at = p.indexOf('.');
    while (at >= 0) {
      out.add(p.slice(0, at));
      at = p.indexOf('.', at + 1);
    }
    out.add(p);
  }
  return out;
}

/** True when two leaves can be matched together: same element of every array they share. */
export function compatible(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i += 2) {
    for (let j = 0; j < b.length; j += 2) {
      if (a[i] === b[j] && a[i + 1] !== b[j + 1]) return false;
    }
  }
  return true;
}
