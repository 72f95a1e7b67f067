/**
 * The write path shared by single-item calls, batches, transactions, TTL and replication:
 * a write is first planned (condition checked, new item computed, nothing changed) and then
 * committed (items, indexes, size, stream record, replication). Transactions plan all their
 * writes before committing any, which is what makes them all-or-nothing.
 */
import type { Clock } from '../../core/clock.js';
import type { EventBus } from '../../core/event-bus.js';
import type { Stores } from '../../core/store.js';
import {
  applyUpdate, evaluate, itemSize, type Condition, type Item, type UpdateAction,
} from '../../engines/dynamodb/index.js';
import type { StreamRecord } from '../../engines/dynamodb/stream-events.js';
import { engineCall, validation } from './errors.js';
import { checkUpdatedItem } from './item-checks.js';
import { encodedSize } from '../../engines/dynamodb/codec.js';
import { dynamoState, getStored, primaryToken, removeItem, storeItem, tableRuntime, type TableRecord } from './store.js';
import { publishChange } from './stream-publish.js';

/** What committing needs from a request context or the service host. */
export interface WriteFacilities { stores: Stores; bus: EventBus; clock: Clock }

/** A failed ConditionExpression; carries the item as it was (ReturnValuesOnConditionCheckFailure). */
export class ConditionFailed extends Error {
  constructor(readonly old: Item | undefined) { super('The conditional request failed'); }
}

export interface WritePlan {
  table: TableRecord;
  token: string;
  /**
   * The item under the key before the write. A put that needs nothing of it (see
   * {@link planPut}) leaves it out and gives only `oldSize`.
   */
  old?: Item;
  next?: Item;
  /** Item sizes when already known (computed once per write); `oldSize` 0 or absent: there was no item. */
  oldSize?: number;
  nextSize?: number;
}

/** The stored item under `key`, if any. */
export function currentItem(f: { stores: Stores }, t: TableRecord, key: Item): Item | undefined {
  return storedEntry(f, t, key)?.item;
}

/** The stored item under `key` with its size. */
export function storedEntry(f: { stores: Stores }, t: TableRecord, key: Item): { item: Item; size: number } | undefined {
  return getStored(tableRuntime(f.stores, t), key);
}

/** The sizes of a plan's old and new item (0 when absent). */
export function planSizes(p: WritePlan): { old: number; next: number } {
  return { old: p.oldSize ?? (p.old ? itemSize(p.old) : 0), next: p.next ? p.nextSize ?? itemSize(p.next) : 0 };
}

function check(cond: Condition | undefined, old: Item | undefined): void {
  if (cond && !engineCall(() => evaluate(cond, old ?? {}))) throw new ConditionFailed(old);
}

/**
 * Whether committing a write to `t` reads the item it replaces: a stream record carries it
 * (or tells INSERT from MODIFY), secondary indexes drop its entries, replication may send it.
 */
function commitReadsOld(t: TableRecord): boolean {
  return t.stream?.enabled === true || t.lsis.length > 0 || t.gsis.length > 0 || t.replicas.length > 0;
}

/**
 * `size`: the item's size, when the caller has checked it already. `wantOld`: the caller
 * answers the old item (ReturnValues ALL_OLD). Otherwise an unconditional put on a table
 * whose commit reads nothing of the old item leaves it encoded (only its size is kept).
 */
export function planPut(f: { stores: Stores }, t: TableRecord, item: Item, cond?: Condition, size?: number, wantOld = true): WritePlan {
  const token = primaryToken(t, item);
  if (!cond && !wantOld && !commitReadsOld(t)) {
    const enc = tableRuntime(f.stores, t).primary.get(item);
    return { table: t, token, oldSize: enc === undefined ? undefined : encodedSize(enc), next: item, nextSize: size };
  }
  const old = storedEntry(f, t, item);
  check(cond, old?.item);
  return { table: t, token, old: old?.item, oldSize: old?.size, next: item, nextSize: size };
}

export function planDelete(f: { stores: Stores }, t: TableRecord, key: Item, cond?: Condition): WritePlan {
  const old = storedEntry(f, t, key);
  check(cond, old?.item);
  return { table: t, token: primaryToken(t, key), old: old?.item, oldSize: old?.size };
}

/** UpdateItem: creates the item from its key when absent, refuses changes to key attributes. */
export function planUpdate(f: { stores: Stores }, t: TableRecord, key: Item, actions: UpdateAction[], cond?: Condition): WritePlan {
  const stored = storedEntry(f, t, key);
  const old = stored?.item;
  check(cond, old);
  for (const a of actions) {
    if (t.keySchema.some((k) => k.AttributeName === a.path[0])) {
      throw validation(`One or more parameter values were invalid: Cannot update attribute ${String(a.path[0])}. This attribute is part of the key`);
    }
  }
  const next = engineCall(() => applyUpdate(old ?? key, actions));
  const nextSize = checkUpdatedItem(t, next);
  return { table: t, token: primaryToken(t, key), old, oldSize: stored?.size, next, nextSize };
}

export interface CommitOptions {
  userIdentity?: StreamRecord['userIdentity'];
  /** Set when the write arrives from another replica: not replicated again. */
  replicated?: boolean;
}

/** Hook the replication module sets, so writes reach the other replicas of a global table. */
export const afterCommitHooks = new WeakMap<Stores, (f: WriteFacilities, plan: WritePlan) => void>();

/** Applies a planned write: items, indexes, table size, stream record, replication. */
export function commit(f: WriteFacilities, plan: WritePlan, opts: CommitOptions = {}): void {
  const t = plan.table;
  const rt = tableRuntime(f.stores, t);
  const sizes = planSizes(plan);
  if (plan.next) storeItem(rt, t, plan.token, plan.old, plan.next, sizes.next);
  else if (plan.old) removeItem(rt, plan.token, plan.old);
  if (t.pitr) {
    const h = dynamoState(f.stores, t.account, t.region).history.get(`${t.name}\u0000${t.generation}`);
    h?.log.push({ ms: f.clock.nowMs(), token: plan.token, item: plan.next });
  }
  if (t.stream?.enabled) publishChange({ ...f, account: t.account, region: t.region }, t, plan.old, plan.next, opts.userIdentity);
  if (!opts.replicated && t.replicas.length) afterCommitHooks.get(f.stores)?.(f, plan);
}
