/**
 * BatchGetItem (up to 100 keys, 16 MB of answer) and BatchWriteItem (up to 25 puts or deletes),
 * with AWS's request limits, duplicate detection and UnprocessedKeys/UnprocessedItems.
 */
import type { Item } from '../../engines/dynamodb/index.js';
import type { Handler } from '../types.js';
import { requireTable } from './context.js';
import { validation } from './errors.js';
import { consumedPerTable, projected, readExpressions, readUnits, writeUnits } from './expressions.js';
import { checkKey, checkPutItem } from './item-checks.js';
import { isLocked } from './locks.js';
import { takeCapacity, throughputExceeded } from './throughput.js';
import { primaryToken, type TableRecord } from './store.js';
import { commit, planDelete, planPut, planSizes, storedEntry } from './writes.js';

const MAX_GET_KEYS = 100;
const MAX_WRITES = 25;
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

interface GetRequest { Keys: Item[]; ConsistentRead?: boolean; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string>; AttributesToGet?: string[] }

export const batchGetItem: Handler = (input, ctx) => {
  const req = (input['RequestItems'] as Record<string, GetRequest> | undefined) ?? {};
  const tables = Object.entries(req);
  if (tables.length === 0) throw validation('1 validation error detected: Value \'{}\' at \'requestItems\' failed to satisfy constraint: Member must have length greater than or equal to 1');
  const total = tables.reduce((n, [, r]) => n + (r.Keys?.length ?? 0), 0);
  if (total > MAX_GET_KEYS) throw validation('Too many items requested for the BatchGetItem call');
  const plans = tables.map(([name, r]) => {
    const t = requireTable(ctx, name);
    if (!r.Keys?.length) throw validation(`1 validation error detected: Value '[]' at 'requestItems.${name}.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1`);
    const seen = new Set<string>();
    for (const k of r.Keys) {
      checkKey(t, k);
      const tok = primaryToken(t, k);
      if (seen.has(tok)) throw validation('Provided list of item keys contains duplicates');
      seen.add(tok);
    }
    return { name, t, r, ex: readExpressions(r as never, ['projection']) };
  });
  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, GetRequest> = {};
  // Each key read is its own read, rounded up to 4 KB (a missing item still costs the minimum).
  const units = new Map<TableRecord, number>();
  let bytes = 0;
  let throttled = 0;
  for (const { name, t, r, ex } of plans) {
    responses[name] = [];
    for (const k of r.Keys) {
      if (bytes > MAX_ANSWER_BYTES) {
        (unprocessed[name] ??= { ...r, Keys: [] }).Keys.push(k);
        continue;
      }
      const stored = storedEntry(ctx, t, k);
      const u = readUnits(stored?.size ?? 0, r.ConsistentRead === true);
      if (!takeCapacity(ctx, t, 'read', u)) {
        throttled++;
        (unprocessed[name] ??= { ...r, Keys: [] }).Keys.push(k);
        continue;
      }
      units.set(t, (units.get(t) ?? 0) + u);
      if (!stored) continue;
      bytes += stored.size;
      responses[name].push(projected(stored.item, ex.projection));
    }
  }
  if (throttled > 0 && throttled === total) throw throughputExceeded();
  return { Responses: responses, UnprocessedKeys: unprocessed, ...consumedPerTable(ctx, input, units, 'read') };
};

interface WriteRequest { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }

export const batchWriteItem: Handler = (input, ctx) => {
  const req = (input['RequestItems'] as Record<string, WriteRequest[]> | undefined) ?? {};
  const tables = Object.entries(req);
  if (tables.length === 0) throw validation('1 validation error detected: Value \'{}\' at \'requestItems\' failed to satisfy constraint: Member must have length greater than or equal to 1');
  for (const [name, list] of tables) {
    if (list.length < 1 || list.length > MAX_WRITES) {
      throw validation(`1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_WRITES}, Member must have length greater than or equal to 1] (table ${name})`);
    }
  }
  if (tables.reduce((n, [, l]) => n + l.length, 0) > MAX_WRITES) throw validation('Too many items requested for the BatchWriteItem call');
  // Validate everything first: one bad request fails the whole batch, as on AWS.
  const writes = tables.flatMap(([name, list]) => {
    const t = requireTable(ctx, name);
    const seen = new Set<string>();
    return list.map((w) => {
      if ((w.PutRequest ? 1 : 0) + (w.DeleteRequest ? 1 : 0) !== 1) {
        throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      }
      // A put's size is worked out once, here, and carried to its commit.
      const size = w.PutRequest ? checkPutItem(t, w.PutRequest.Item) : (checkKey(t, w.DeleteRequest!.Key), 0);
      const key = w.PutRequest?.Item ?? w.DeleteRequest!.Key;
      const token = primaryToken(t, key);
      if (seen.has(token)) throw validation('Provided list of item keys contains duplicates');
      seen.add(token);
      return { t, name, w, token, size };
    });
  });
  // Requests on items an ongoing transaction holds are left unprocessed, to be retried.
  const unprocessed: Record<string, WriteRequest[]> = {};
  // Each write is its own write: 1 KB steps of the larger of the old and the new item.
  const units = new Map<TableRecord, number>();
  let throttled = 0;
  for (const { t, name, w, token, size } of writes) {
    if (isLocked(ctx, t, token)) {
      (unprocessed[name] ??= []).push(w);
      continue;
    }
    const plan = w.PutRequest ? planPut(ctx, t, w.PutRequest.Item, undefined, size, false) : planDelete(ctx, t, w.DeleteRequest!.Key);
    const sizes = planSizes(plan);
    const u = writeUnits(Math.max(sizes.old, sizes.next));
    // A provisioned table out of capacity leaves the write unprocessed, to be retried.
    if (!takeCapacity(ctx, t, 'write', u)) {
      throttled++;
      (unprocessed[name] ??= []).push(w);
      continue;
    }
    commit(ctx, plan);
    units.set(t, (units.get(t) ?? 0) + u);
  }
  // Only when nothing at all could be written does the batch fail as a whole, as on AWS.
  if (throttled > 0 && throttled === writes.length) throw throughputExceeded();
  return { UnprocessedItems: unprocessed, ...consumedPerTable(ctx, input, units, 'write') };
};
