/**
 * Transaction conflicts. Drydock runs each handler to completion, so two requests can only
 * overlap where a request waits; a TransactWriteItems therefore takes a modelled commit time
 * on the clock (0 by default: it commits at once and nothing can conflict) and holds a lock
 * on each of its items for that time. Set it per table with the tag
 * `drydock:transaction-commit-ms`, or for every table with
 * `DRYDOCK_DYNAMODB_TRANSACTION_COMMIT_MS`; a transaction takes the longest of its tables'.
 *
 * While the locks are held, as AWS documents for transaction conflicts:
 * - PutItem, UpdateItem, DeleteItem (and PartiQL writes) on a locked item fail with
 *   TransactionConflictException;
 * - another TransactWriteItems, or a TransactGetItems, naming a locked item is cancelled with
 *   the reason TransactionConflict for that item;
 * - a BatchWriteItem request on a locked item is answered in UnprocessedItems;
 * - plain reads (GetItem, Query, Scan, BatchGetItem) read the last committed item.
 */
import { AwsError } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import { dynamoState, primaryToken, type DynamoState, type TableRecord } from './store.js';
import type { Item } from '../../engines/dynamodb/index.js';
import type { Stores } from '../../core/store.js';

export const CONFLICT_MESSAGE = 'Transaction is ongoing for the item';

/** The item locks of one account × region: lock id → holding transaction. */
const locksOf = new WeakMap<DynamoState, Map<string, string>>();

function locks(stores: Stores, t: TableRecord): Map<string, string> {
  const state = dynamoState(stores, t.account, t.region);
  let m = locksOf.get(state);
  if (!m) locksOf.set(state, (m = new Map()));
  return m;
}

function lockId(t: TableRecord, token: string): string {
  return `${t.name}\u0000${t.generation}\u0000${token}`;
}

/** The commit time a transaction over `tables` takes, in clock milliseconds. */
export function commitDelayMs(tables: TableRecord[]): number {
  let ms = 0;
  for (const raw of [process.env['DRYDOCK_DYNAMODB_TRANSACTION_COMMIT_MS'], ...tables.map((t) => t.tags['drydock:transaction-commit-ms'])]) {
    const v = Number(raw);
    if (raw !== undefined && raw !== '' && Number.isFinite(v) && v > 0) ms = Math.max(ms, v);
  }
  return ms;
}

/**
 * Transactions holding locks right now, in every app of the process. Zero in the common case:
 * then no item is locked, and a write learns it without finding its state or building an id.
 */
let holding = 0;

/** Whether an ongoing transaction holds the item. */
export function isLocked(f: { stores: Stores }, t: TableRecord, token: string): boolean {
  if (holding === 0) return false;
  const held = locksOf.get(dynamoState(f.stores, t.account, t.region));
  return held !== undefined && held.size > 0 && held.has(lockId(t, token));
}

/** For single-item writes: refuses the item under `key` when an ongoing transaction holds it. */
export function assertUnlocked(f: { stores: Stores }, t: TableRecord, key: Item): void {
  if (holding > 0 && isLocked(f, t, primaryToken(t, key))) throw new AwsError('TransactionConflictException', CONFLICT_MESSAGE, 400);
}

/**
 * Holds the items for the commit time, then runs `commit` and releases them. Resolves once
 * committed: the caller answers only then, as AWS answers a committed transaction.
 */
export function holdForCommit(f: { stores: Stores; clock: Clock }, items: Array<{ t: TableRecord; token: string }>, ms: number, commit: () => void): Promise<void> {
  const tx = `tx-${++txCounter}`;
  const held = items.map(({ t, token }) => ({ map: locks(f.stores, t), id: lockId(t, token) }));
  for (const h of held) h.map.set(h.id, tx);
  holding++;
  return new Promise<void>((resolve, reject) => {
    f.clock.setTimer(() => {
      try {
        commit();
        resolve();
      } catch (e) {
        reject(e);
      } finally {
        for (const h of held) if (h.map.get(h.id) === tx) h.map.delete(h.id);
        holding--;
      }
    }, ms);
  });
}

let txCounter = 0;
