// Many patterns against one event in one pass. The event is flattened once (along the
// union of the paths the patterns read). Identical `$or` alternatives across patterns form
// one group, tested once per event for all its patterns. Each group that tests some field
// for plain exact values (`"source": ["aws.ec2"]`) is filed under that field and those
// values, so an event only wakes the groups whose indexed value it carries; groups with no
// such field are tested on every event. Within an event, identical field tests are also
// evaluated once (see FieldCache).
import type { Branch } from './compile.js';
import { matchBranch, type FieldCache } from './evaluate.js';
import { FlatEvent } from './flatten.js';
import { valueKey } from './matchers.js';
import { compilePattern, Pattern, type CompileOptions } from './pattern.js';

interface Group {
  readonly branch: Branch;
  /** Slots of the live patterns that contain this alternative. */
  readonly slots: Set<number>;
  /** The event this group was last tested on (to test it once per event). */
  seen: number;
}

interface Entry<Id> {
  readonly id: Id;
  readonly pattern: Pattern;
  readonly groups: readonly Group[];
}

/** The field an alternative is filed under: plain exact values only, fewest values first. */
function indexField(branch: Branch): { path: string; keys: string[] } | undefined {
  let best: { path: string; keys: string[] } | undefined;
  for (const spec of branch.values()) {
    if (spec.absent || spec.matchers.length === 0) continue;
    const keys = spec.matchers.map((m) => m.key);
    if (keys.some((k) => k === undefined)) continue;
    if (best === undefined || keys.length < best.keys.length) best = { path: spec.path, keys: keys as string[] };
  }
  return best;
}

const signature = (b: Branch) => [...b.values()].map((f) => f.key).sort().join('\u0003');

/**
 * A mutable set of named patterns (EventBridge rules on a bus, SNS subscriptions on a topic)
 * matched together. Not safe to mutate while a `match` is running on another task.
 */
export class PatternSet<Id = string> {
  #slots: Array<Entry<Id> | undefined> = [];
  #byId = new Map<Id, number>();
  #groups = new Map<string, Group>();
  #index = new Map<string, Map<string, Group[]>>();
  #scan: Group[] = [];
  #dead = 0;
  #events = 0;
  #wanted: Set<string> | undefined;

  /** Builds a set from `[id, pattern]` pairs. */
  constructor(entries: Iterable<readonly [Id, Pattern]> = []) {
    for (const [id, p] of entries) this.add(id, p);
  }

  /** Number of patterns in the set. */
  get size(): number {
    return this.#byId.size;
  }

  /** True when a pattern is filed under `id`. */
  has(id: Id): boolean {
    return this.#byId.has(id);
  }

  /** The pattern filed under `id`. */
  get(id: Id): Pattern | undefined {
    const slot = this.#byId.get(id);
    return slot === undefined ? undefined : this.#slots[slot]?.pattern;
  }

  /** Adds (or replaces) a pattern; raw JSON is compiled with `opts` first (and may throw). */
  add(id: Id, pattern: Pattern | string | object, opts?: CompileOptions): Pattern {
    const p = pattern instanceof Pattern ? pattern : compilePattern(pattern, opts);
    this.delete(id);
    const slot = this.#slots.length;
    const groups = p.branches.map((b) => this.#group(b));
    for (const g of groups) g.slots.add(slot);
    this.#slots.push({ id, pattern: p, groups });
    this.#byId.set(id, slot);
    this.#wanted = undefined;
    return p;
  }

  /** Removes the pattern filed under `id`. */
  delete(id: Id): boolean {
    const slot = this.#byId.get(id);
    if (slot === undefined) return false;
    for (const g of this.#slots[slot]?.groups ?? []) g.slots.delete(slot);
    this.#byId.delete(id);
    this.#slots[slot] = undefined;
    this.#wanted = undefined;
    if (++this.#dead > 64 && this.#dead > this.#byId.size) this.#compact();
    return true;
  }

  /** Ids of the patterns the event matches, in the order they were added. */
  match(event: unknown): Id[] {
    this.#wanted ??= new Set(this.#slots.flatMap((e) => (e ? [...e.pattern.wanted] : [])));
    const flat = FlatEvent.from(event, this.#wanted);
    if (flat === undefined) return [];
    const stamp = ++this.#events;
    const cache: FieldCache = new Map();
    const hits: number[] = [];
    const test = (g: Group) => {
      if (g.seen === stamp || g.slots.size === 0) return;
      g.seen = stamp;
      if (matchBranch(g.branch, flat, cache)) for (const s of g.slots) hits.push(s);
    };
    for (const [path, byKey] of this.#index) {
      for (const leaf of flat.leaves(path)) {
        const groups = byKey.get(valueKey(leaf.value));
        if (groups) for (const g of groups) test(g);
      }
    }
    for (const g of this.#scan) test(g);
    return [...new Set(hits)].sort((a, b) => a - b).map((s) => (this.#slots[s] as Entry<Id>).id);
  }

  #group(branch: Branch): Group {
    const sig = signature(branch);
    let g = this.#groups.get(sig);
    if (g !== undefined) return g;
    g = { branch, slots: new Set(), seen: 0 };
    this.#groups.set(sig, g);
    const f = indexField(branch);
    if (f === undefined) {
      this.#scan.push(g);
      return g;
    }
    let byKey = this.#index.get(f.path);
    if (byKey === undefined) this.#index.set(f.path, (byKey = new Map()));
    for (const key of new Set(f.keys)) {
      const list = byKey.get(key);
      if (list) list.push(g);
      else byKey.set(key, [g]);
    }
    return g;
  }

  #compact(): void {
    const live = this.#slots.filter((e): e is Entry<Id> => e !== undefined);
    this.#slots = [];
    this.#byId.clear();
    this.#groups.clear();
    this.#index.clear();
    this.#scan = [];
    this.#dead = 0;
    for (const e of live) this.add(e.id, e.pattern);
  }
}

/**
 * Ids of the patterns an event matches. Pass a {@link PatternSet} to reuse its index across
 * events; pairs are indexed for this one call.
 */
export function matchAll<Id>(patterns: PatternSet<Id> | Iterable<readonly [Id, Pattern]>, event: unknown): Id[] {
  return (patterns instanceof PatternSet ? patterns : new PatternSet(patterns)).match(event);
}
