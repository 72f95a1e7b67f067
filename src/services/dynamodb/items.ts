/**
 * PutItem, GetItem, UpdateItem, DeleteItem: conditions, every ReturnValues option,
 * ReturnValuesOnConditionCheckFailure and consumed capacity.
 */
import { cloneItem, project, type Item } from '../../engines/dynamodb/index.js';
import type { Handler, ServiceContext } from '../types.js';
import { requireTable } from './context.js';
import { conditionalCheckFailed, validation } from './errors.js';
import { consumed, projected, readExpressions, readUnits, writeUnits } from './expressions.js';
import { checkKey, checkPutItem } from './item-checks.js';
import { assertUnlocked } from './locks.js';
import { primaryToken, type TableRecord } from './store.js';
import { throttle } from './throughput.js';
import { commit, ConditionFailed, planDelete, planPut, planSizes, planUpdate, storedEntry, type WritePlan } from './writes.js';

function returnValues(input: Record<string, unknown>, allowed: string[]): string {
  const rv = (input['ReturnValues'] as string | undefined) ?? 'NONE';
  if (!allowed.includes(rv)) {
    if (allowed.length === 2) throw validation('Return values set to invalid value');
    throw validation(`1 validation error detected: Value '${rv}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return rv;
}

/** Runs a plan, answering a failed condition as AWS does (with the old item when asked). */
function run(ctx: ServiceContext, input: Record<string, unknown>, t: TableRecord, key: Item, plan: () => WritePlan): WritePlan {
  assertUnlocked(ctx, t, key);
  let p: WritePlan;
  try {
    p = plan();
  } catch (e) {
    if (e instanceof ConditionFailed) {
      const withItem = input['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD' && e.old;
      throw conditionalCheckFailed(withItem ? cloneItem(e.old!) : undefined);
    }
    throw e;
  }
  commit(ctx, p);
  return p;
}

function writeCapacity(ctx: ServiceContext, input: Record<string, unknown>, p: WritePlan): Record<string, unknown> {
  const sizes = planSizes(p);
  return consumed(ctx, input, p.table, writeUnits(Math.max(sizes.old, sizes.next)), 'write');
}

export const putItem: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName']);
  const rv = returnValues(input, ['NONE', 'ALL_OLD']);
  const item = input['Item'] as Item;
  const size = checkPutItem(t, item);
  const ex = readExpressions(input, ['condition']);
  throttle(ctx, t, 'write', writeUnits(size));
  const p = run(ctx, input, t, item, () => planPut(ctx, t, item, ex.condition, size, rv === 'ALL_OLD'));
  return { ...(rv === 'ALL_OLD' && p.old ? { Attributes: p.old } : {}), ...writeCapacity(ctx, input, p) };
};

export const deleteItem: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName']);
  const rv = returnValues(input, ['NONE', 'ALL_OLD']);
  const key = checkKey(t, input['Key'] as Item);
  const ex = readExpressions(input, ['condition']);
  throttle(ctx, t, 'write', 1);
  const p = run(ctx, input, t, key, () => planDelete(ctx, t, key, ex.condition));
  return { ...(rv === 'ALL_OLD' && p.old ? { Attributes: p.old } : {}), ...writeCapacity(ctx, input, p) };
};

export const updateItem: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName']);
  const rv = returnValues(input, ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']);
  const key = checkKey(t, input['Key'] as Item);
  const ex = readExpressions(input, ['update', 'condition']);
  throttle(ctx, t, 'write', 1);
  const actions = ex.update ?? [];
  const p = run(ctx, input, t, key, () => planUpdate(ctx, t, key, actions, ex.condition));
  const paths = actions.map((a) => a.path);
  let attributes: Item | undefined;
  if (rv === 'ALL_OLD') attributes = p.old;
  else if (rv === 'ALL_NEW') attributes = p.next;
  else if (rv === 'UPDATED_OLD') attributes = p.old ? project(p.old, paths) : undefined;
  else if (rv === 'UPDATED_NEW') attributes = p.next ? project(p.next, paths) : undefined;
  // Stored items are encoded strings: what a response carries never aliases the table.
  const show = attributes && Object.keys(attributes).length ? { Attributes: attributes } : {};
  return { ...show, ...writeCapacity(ctx, input, p) };
};

export const getItem: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName']);
  const key = checkKey(t, input['Key'] as Item);
  const ex = readExpressions(input, ['projection']);
  const stored = storedEntry(ctx, t, key);
  const units = readUnits(stored?.size ?? 0, input['ConsistentRead'] === true);
  throttle(ctx, t, 'read', units);
  const out = consumed(ctx, input, t, units, 'read');
  if (stored) out['Item'] = projected(stored.item, ex.projection);
  return out;
};
