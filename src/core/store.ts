/**
 * Service state, partitioned by account × region, with one access pattern for every service
 * (LocalStack's AccountRegionBundle, moto's BackendDict): a service asks {@link Stores.scope}
 * for its state object in the caller's account and region, and keeps everything that must
 * outlive a restart in named {@link Collection}s inside it.
 */
import { dirname } from 'node:path';
import type { Persistence, ScopeKey } from './persistence.js';

/** Where a {@link Collection} sends its writes; the in-memory case has none. */
export interface CollectionSink {
  put(key: string, value: unknown): void;
  delete(key: string): void;
  clear(): void;
}

/**
 * A Map-like collection of string key → plain data (JSON values plus `Uint8Array`/Buffer).
 *
 * `set` is what persists: `get` returns the stored object itself, and a service that
 * changes it in place must call `set` again, or the change is lost at the next restart
 * when a data directory is in use (and silently kept in memory when not, which hides the
 * bug; tests with a data dir catch it).
 */
export class Collection<V> implements Iterable<[string, V]> {
  #map = new Map<string, V>();
  #sink: CollectionSink | undefined;

  /** `initial` entries are loaded without being written back; `sink` receives every change. */
  constructor(sink?: CollectionSink, initial?: Iterable<[string, V]>) {
    this.#sink = sink;
    if (initial !== undefined) for (const [k, v] of initial) this.#map.set(k, v);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  /** Stores `value`; with persistence, durable when this returns. */
  set(key: string, value: V): this {
    this.#sink?.put(key, value);
    this.#map.set(key, value);
    return this;
  }

  delete(key: string): boolean {
    if (!this.#map.has(key)) return false;
    this.#sink?.delete(key);
    return this.#map.delete(key);
  }

  clear(): void {
    this.#sink?.clear();
    this.#map.clear();
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  entries(): IterableIterator<[string, V]> {
    return this.#map.entries();
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.#map.entries();
  }
}

/** Handed to a scope's `init`: makes the scope's named collections. */
export interface Collections {
  /** The collection `name` of this scope; the same name gives the same collection. */
  collection<V>(name: string): Collection<V>;
}

/** An account × region pair that has state for a service. */
export interface AccountRegion {
  account: string;
  region: string;
}

interface Scope {
  key: ScopeKey;
  state: unknown;
  // Cleared by reset(): collections that callers still hold stop writing through, so a
  // late write cannot bring dropped state back from the database.
  live: boolean;
  collections: Map<string, Collection<unknown>>;
}

/**
 * All service state of one app. Pure memory by default; with a {@link Persistence}, every
 * collection write goes through to it and collections are loaded from it when first made.
 *
 * Callers should ask `scope()` again for each request rather than keep the state object:
 * after `reset()` a kept object is detached (memory only, never persisted).
 */
export class Stores {
  #persistence: Persistence | undefined;
  #scopes = new Map<string, Scope>();

  constructor(opts: { persistence?: Persistence } = {}) {
    this.#persistence = opts.persistence;
  }

  /** True when writes go to a data directory. */
  /** Closes the data directory (releasing its lock) so another app may open it. */
  close(): void {
    this.#persistence?.close();
  }

  get persistent(): boolean {
    return this.#persistence !== undefined;
  }

  /** The data directory when there is one (large S3 bodies and upload spools live beside the database). */
  get dataDir(): string | undefined {
    return this.#persistence ? dirname(this.#persistence.path) : undefined;
  }

  /**
   * The state of `service` in `account` × `region`, created by `init` on first use. Use
   * region `''` for account-global services such as IAM.
   */
  scope<S>(service: string, account: string, region: string, init: (c: Collections) => S): S {
    const id = scopeId(service, account, region);
    let scope = this.#scopes.get(id);
    if (scope === undefined) {
      if (service === '') throw new TypeError('service name must not be empty');
      scope = { key: { service, account, region }, state: undefined, live: true, collections: new Map() };
      this.#scopes.set(id, scope);
      try {
        scope.state = init(this.#collectionsOf(scope));
      } catch (err) {
        this.#scopes.delete(id);
        throw err;
      }
    }
    return scope.state as S;
  }

  /** App-wide state of `service` (account `''`, region `''`). */
  global<S>(service: string, init: (c: Collections) => S): S {
    return this.scope(service, '', '', init);
  }

  /** Services with state in memory or in the data directory. */
  services(): string[] {
    const names = new Set<string>();
    for (const s of this.#scopes.values()) names.add(s.key.service);
    for (const s of this.#persistence?.scopes() ?? []) names.add(s.service);
    return [...names].sort();
  }

  /**
   * Account × region pairs where `service` has state, including ones stored in the data
   * directory but not yet opened since start, so a service can resume background work.
   */
  accountsRegions(service: string): AccountRegion[] {
    const seen = new Map<string, AccountRegion>();
    const add = (k: ScopeKey) => seen.set(scopeId(service, k.account, k.region), { account: k.account, region: k.region });
    for (const s of this.#scopes.values()) if (s.key.service === service) add(s.key);
    for (const k of this.#persistence?.scopes(service) ?? []) add(k);
    return [...seen.values()].sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
  }

  /** Drops the state of one service, or of all, in memory and in the data directory. */
  reset(service?: string): void {
    for (const [id, scope] of this.#scopes) {
      if (service !== undefined && scope.key.service !== service) continue;
      scope.live = false;
      this.#scopes.delete(id);
    }
    this.#persistence?.deleteService(service);
  }

  #collectionsOf(scope: Scope): Collections {
    const p = this.#persistence;
    return {
      collection: <V>(name: string): Collection<V> => {
        let c = scope.collections.get(name);
        if (c === undefined) {
          const sink: CollectionSink | undefined =
            p === undefined
              ? undefined
              : {
                  put: (k, v) => scope.live && p.put(scope.key, name, k, v),
                  delete: (k) => scope.live && p.delete(scope.key, name, k),
                  clear: () => scope.live && p.clearCollection(scope.key, name),
                };
          c = new Collection<unknown>(sink, p?.load(scope.key, name));
          scope.collections.set(name, c);
        }
        return c as Collection<V>;
      },
    };
  }
}

function scopeId(service: string, account: string, region: string): string {
  // NUL cannot occur in service names, account ids or region names.
  return `${service}\u0000${account}\u0000${region}`;
}
