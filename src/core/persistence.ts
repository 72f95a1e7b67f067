/**
 * Durable backing for {@link Stores} when Drydock runs with a data directory: one SQLite
 * table of rows keyed by (service, account, region, collection, key) holding the value as
 * JSON. Every `put`/`delete` is its own committed write before it returns, so an
 * acknowledged write survives `kill -9` of the process.
 *
 * SQLite runs in WAL mode with `synchronous=NORMAL`: a commit reaches the operating system
 * before it returns (safe from a process crash) but is fsync'd only at checkpoints, so a
 * power loss or kernel crash may lose the last writes. That trade keeps a write in the tens
 * of microseconds, which a local emulator needs more than power-loss durability.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

/** Where a collection's state lives: global services use region `''`, app-wide state account `''` too. */
export interface ScopeKey {
  service: string;
  account: string;
  region: string;
}

/** Thrown when a data directory cannot be used (busy, unreadable, not a Drydock database). */
export class PersistenceError extends Error {
  override name = 'PersistenceError';
}

/** File name of the database inside the data directory. */
export const DB_FILE = 'drydock.sqlite3';
// Bump when the table layout changes; open() refuses a database from a newer version.
const SCHEMA_VERSION = 1;

type ScopeArgs = [service: string, account: string, region: string];

/**
 * An open data directory. Create with {@link Persistence.open}; the better-sqlite3 native
 * module is loaded only then, so a start without a data directory never loads it.
 */
export class Persistence {
  /** Path of the database file. */
  readonly path: string;
  #db: BetterSqlite3.Database;
  #put: BetterSqlite3.Statement<[...ScopeArgs, string, string, string]>;
  #del: BetterSqlite3.Statement<[...ScopeArgs, string, string]>;
  #load: BetterSqlite3.Statement<[...ScopeArgs, string], { key: string; value: string }>;
  #clear: BetterSqlite3.Statement<[...ScopeArgs, string]>;

  /** Opens (creating if needed) the database in `dir`; fails if another process holds it. */
  static async open(dir: string): Promise<Persistence> {
    const { default: Database } = await import('better-sqlite3');
    const path = join(dir, DB_FILE);
    let db: BetterSqlite3.Database | undefined;
    try {
      mkdirSync(dir, { recursive: true });
      // A short busy timeout: the only contention is another process holding the dir.
      db = new Database(path, { timeout: 100 });
      // Exclusive locking: two Drydocks on one data dir would silently overwrite each
      // other's state, so the second one fails here instead. The OS drops the lock when the
      // holder dies, kill -9 included.
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new PersistenceError(`data dir \`${dir}\` was written by a newer Drydock (schema ${version})`);
      }
      db.exec(`CREATE TABLE IF NOT EXISTS items (
        service TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL,
        collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (service, account, region, collection, key)
      ) WITHOUT ROWID`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return new Persistence(db, path);
    } catch (err) {
      db?.close();
      if (err instanceof PersistenceError) throw err;
      const code = (err as { code?: string }).code;
      const why = code === 'SQLITE_BUSY' ? 'is in use by another process' : `cannot be opened: ${(err as Error).message}`;
      throw new PersistenceError(`data dir \`${dir}\` ${why}`, { cause: err });
    }
  }

  private constructor(db: BetterSqlite3.Database, path: string) {
    this.#db = db;
    this.path = path;
    this.#put = db.prepare(
      'INSERT OR REPLACE INTO items (service, account, region, collection, key, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#del = db.prepare('DELETE FROM items WHERE service = ? AND account = ? AND region = ? AND collection = ? AND key = ?');
    this.#load = db.prepare(
      'SELECT key, value FROM items WHERE service = ? AND account = ? AND region = ? AND collection = ?',
    );
    this.#clear = db.prepare('DELETE FROM items WHERE service = ? AND account = ? AND region = ? AND collection = ?');
  }

  /** Writes one value (see {@link encodeValue}); durable against a process crash on return. */
  put(scope: ScopeKey, collection: string, key: string, value: unknown): void {
    this.#put.run(scope.service, scope.account, scope.region, collection, key, encodeValue(value));
  }

  delete(scope: ScopeKey, collection: string, key: string): void {
    this.#del.run(scope.service, scope.account, scope.region, collection, key);
  }

  /** Every stored entry of one collection, decoded. */
  load(scope: ScopeKey, collection: string): Array<[string, unknown]> {
    const rows = this.#load.all(scope.service, scope.account, scope.region, collection);
    return rows.map((r) => [r.key, decodeValue(r.value)]);
  }

  /** Deletes every entry of one collection. */
  clearCollection(scope: ScopeKey, collection: string): void {
    this.#clear.run(scope.service, scope.account, scope.region, collection);
  }

  /** Scopes that have stored rows, for one service or all. */
  scopes(service?: string): ScopeKey[] {
    const sql = 'SELECT DISTINCT service, account, region FROM items';
    return service === undefined
      ? (this.#db.prepare(sql).all() as ScopeKey[])
      : (this.#db.prepare(`${sql} WHERE service = ?`).all(service) as ScopeKey[]);
  }

  /** Deletes the rows of one service, or of everything. */
  deleteService(service?: string): void {
    if (service === undefined) this.#db.prepare('DELETE FROM items').run();
    else this.#db.prepare('DELETE FROM items WHERE service = ?').run(service);
  }

  /** Closes the database; the object is unusable afterwards. */
  close(): void {
    this.#db.close();
  }
}

/**
 * Serializes a collection value: JSON, with `Uint8Array`s (Buffers included) written as
 * `{"$b64": "…"}` so binary state such as S3 bodies or KMS key material round-trips.
 * Values are plain data: a `Date` comes back as its ISO string, a `Map` as `{}`, and an
 * object whose only key is `$b64` is read back as bytes.
 */
export function encodeValue(value: unknown): string {
  const json = JSON.stringify(value, bytesReplacer);
  if (json === undefined) throw new TypeError(`collection values must be JSON data, got \`${typeof value}\``);
  return json;
}

/** Inverse of {@link encodeValue}; bytes come back as `Buffer`. */
export function decodeValue(json: string): unknown {
  return JSON.parse(json, bytesReviver);
}

function bytesReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // JSON.stringify applies Buffer#toJSON before calling us, so look at the holder's raw value.
  const raw = this[key];
  if (raw instanceof Uint8Array) {
    return { $b64: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
  }
  return value;
}

function bytesReviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && '$b64' in value) {
    const b64 = (value as { $b64: unknown }).$b64;
    if (typeof b64 === 'string' && Object.keys(value).length === 1) return Buffer.from(b64, 'base64');
  }
  return value;
}
