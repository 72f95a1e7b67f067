/**
 * BatchGetItem (up to 100 keys, 16 MB of answer) and BatchWriteItem (up to 25 puts or deletes),
 * with AWS's request limits, duplicate detection and UnprocessedKeys/UnprocessedItems.
 */
import { itemSize, type Item } from '../../engines/dynamodb/index.js';
import type { Handler } from '../types.js';
import { requireTable } from './context.js';
import { validation } from './errors.js';
import { projected, readExpressions } from './expressions.js';
import { checkKey, checkPutItem } from './item-checks.js';
import { isLocked } from './locks.js';
import { primaryToken } from './store.js';
import { commit, currentItem, planDelete, planPut } from './writes.js';

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
  let bytes = 0;
  for (const { name, t, r, ex } of plans) {
    responses[name] = [];
    for (const k of r.Keys) {
      if (bytes > MAX_ANSWER_BYTES) {
        (unprocessed[name] ??= { ...r, Keys: [] }).Keys.push(k);
        continue;
      }
      const item = currentItem(ctx, t, k);
      if (!item) continue;
      bytes += itemSize(item);
      responses[name].push(projected(item, ex.projection));
    }
  }
  return { Responses: responses, UnprocessedKeys: unprocessed };
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
  for (const { t, name, w, token, size } of writes) {
    if (isLocked(ctx, t, token)) {
      (unprocessed[name] ??= []).push(w);
      continue;
    }
    commit(ctx, w.PutRequest ? planPut(ctx, t, w.PutRequest.Item, undefined, size) : planDelete(ctx, t, w.DeleteRequest!.Key));
  }
  return { UnprocessedItems: unprocessed };
};
