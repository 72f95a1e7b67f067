/**
 * PartiQL: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction. Statements are
 * parsed by the engine into the same conditions and update actions as expressions, then run
 * through the shared write path (planned first, so a transaction stays all-or-nothing).
 */
import { AwsError } from '../../core/errors.js';
import {
  checkValue, cloneItem, evaluate, keyToken as tokenOf, project, type AttributeValue, type Condition, type Item,
} from '../../engines/dynamodb/index.js';
import { keyFromWhere, parseStatement, type Statement } from '../../engines/dynamodb/partiql.js';
import type { Handler, ServiceContext } from '../types.js';
import { requireTable } from './context.js';
import { constraint, engineCall, validation } from './errors.js';
import { checkKey, checkPutItem } from './item-checks.js';
import { decodeItem } from '../../engines/dynamodb/codec.js';
import { encodedOf } from '../../engines/dynamodb/key-index.js';
import { assertUnlocked } from './locks.js';
import { primaryToken, tableRuntime, type TableRecord } from './store.js';
import { commit, ConditionFailed, planDelete, planPut, planUpdate, type WritePlan } from './writes.js';

const MAX_BATCH = 25;
const MAX_TRANSACTION = 100;

function parse(input: Record<string, unknown>): Statement {
  const params = input['Parameters'] as AttributeValue[] | undefined;
  if (params && params.length === 0) throw constraint('[]', 'parameters', 'have length greater than or equal to 1');
  for (const p of params ?? []) engineCall(() => checkValue(p));
  return engineCall(() => parseStatement(String(input['Statement'] ?? ''), params ?? []));
}

function keyNames(t: TableRecord): string[] {
  return t.keySchema.map((k) => k.AttributeName);
}

function itemKey(t: TableRecord, where: Condition): { key: Item; rest?: Condition } {
  const k = keyFromWhere(where, keyNames(t));
  if (!k) throw validation('Where clause does not contain a mandatory equality on all key attributes');
  checkKey(t, k.key);
  return k;
}

/** Plans a write statement; `null` for a SELECT. */
function planWrite(ctx: ServiceContext, s: Statement): { plan: WritePlan; returning?: string } | null {
  if (s.kind === 'select') return null;
  const t = requireTable(ctx, s.table);
  if (s.kind === 'insert') {
    checkPutItem(t, s.item);
    assertUnlocked(ctx, t, s.item);
    const notThere: Condition = { kind: 'function', name: 'attribute_not_exists', args: [{ kind: 'path', path: [t.keySchema[0]!.AttributeName] }] };
    try {
      return { plan: planPut(ctx, t, s.item, notThere) };
    } catch (e) {
      if (e instanceof ConditionFailed) throw new AwsError('DuplicateItemException', 'Duplicate primary key exists in table', 400);
      throw e;
    }
  }
  const { key, rest } = itemKey(t, s.where);
  assertUnlocked(ctx, t, key);
  if (s.kind === 'delete') return { plan: planDelete(ctx, t, key, rest), returning: s.returning };
  // UPDATE changes an existing item only.
  const exists: Condition = { kind: 'function', name: 'attribute_exists', args: [{ kind: 'path', path: [t.keySchema[0]!.AttributeName] }] };
  return { plan: planUpdate(ctx, t, key, s.actions, rest ? { kind: 'and', left: exists, right: rest } : exists), returning: s.returning };
}

function returned(p: { plan: WritePlan; returning?: string }, s: Statement): Item[] {
  const r = p.returning;
  if (!r || r === 'NONE') return [];
  const paths = s.kind === 'update' ? s.actions.map((a) => a.path) : [];
  const src = r.endsWith('OLD') ? p.plan.old : p.plan.next;
  if (!src) return [];
  return [r.startsWith('UPDATED') ? project(src, paths) : cloneItem(src)];
}

/** A SELECT: by key when the WHERE names the partition key, else a scan; filtered and projected. */
function select(ctx: ServiceContext, s: Extract<Statement, { kind: 'select' }>): Item[] {
  const t = requireTable(ctx, s.table);
  const rt = tableRuntime(ctx.stores, t);
  let source = rt.primary;
  if (s.index) {
    const ix = rt.indexes.get(s.index);
    if (!ix) throw validation(`The table does not have the specified index: ${s.index}`);
    source = ix;
  }
  const eq = s.where && keyFromWhere(s.where, [source.hashKey]);
  const tokens = eq ? [tokenOf(eq.key[source.hashKey]!)] : source.scanOrder();
  const out: Item[] = [];
  for (const token of tokens) {
    for (const e of source.partition(token)?.items ?? []) {
      const item = decodeItem(encodedOf(e));
      if (s.where && !engineCall(() => evaluate(s.where!, item))) continue;
      out.push(s.projection ? project(item, s.projection) : item);
    }
  }
  return out;
}

export const executeStatement: Handler = (input, ctx) => {
  const s = parse(input);
  if (s.kind === 'select') {
    const limit = input['Limit'] as number | undefined;
    const offset = input['NextToken'] ? Number(Buffer.from(String(input['NextToken']), 'base64').toString()) || 0 : 0;
    const all = select(ctx, s);
    const page = limit === undefined ? all.slice(offset) : all.slice(offset, offset + limit);
    const more = limit !== undefined && offset + limit < all.length;
    return { Items: page, ...(more ? { NextToken: Buffer.from(String(offset + limit)).toString('base64') } : {}) };
  }
  let p: { plan: WritePlan; returning?: string } | null;
  try {
    p = planWrite(ctx, s);
  } catch (e) {
    if (e instanceof ConditionFailed) {
      const withItem = input['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD' && e.old;
      throw new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, { fields: withItem ? { Item: cloneItem(e.old!) } : {} });
    }
    throw e;
  }
  commit(ctx, p!.plan);
  return { Items: returned(p!, s) };
};

export const batchExecuteStatement: Handler = (input, ctx) => {
  const list = (input['Statements'] as Array<Record<string, unknown>> | undefined) ?? [];
  if (list.length < 1 || list.length > MAX_BATCH) {
    throw constraint(`[${list.length} statements]`, 'statements', list.length < 1 ? 'have length greater than or equal to 1' : `have length less than or equal to ${MAX_BATCH}`);
  }
  const parsed = list.map(parse);
  if (parsed.some((s) => s.kind === 'select') && parsed.some((s) => s.kind !== 'select')) {
    throw validation('Batch request must contain either all read statements or all write statements');
  }
  return {
    Responses: parsed.map((s, i) => {
      const table = { TableName: s.table };
      try {
        if (s.kind === 'select') {
          const t = requireTable(ctx, s.table);
          if (!s.where || !keyFromWhere(s.where, keyNames(t))) throw validation('Select statements within BatchExecuteStatement are only supported on primary keys');
          const item = select(ctx, s)[0];
          return { ...table, ...(item ? { Item: item } : {}) };
        }
        const p = planWrite(ctx, s)!;
        commit(ctx, p.plan);
        return table;
      } catch (e) {
        if (e instanceof ConditionFailed) {
          const withItem = list[i]!['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD' && e.old;
          return { ...table, Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(withItem ? { Item: cloneItem(e.old!) } : {}) } };
        }
        if (e instanceof AwsError) return { ...table, Error: { Code: e.code.replace(/Exception$/, ''), Message: e.message } };
        throw e;
      }
    }),
  };
};

export const executeTransaction: Handler = (input, ctx) => {
  const list = (input['TransactStatements'] as Array<Record<string, unknown>> | undefined) ?? [];
  if (list.length < 1 || list.length > MAX_TRANSACTION) {
    throw constraint(`[${list.length} statements]`, 'transactStatements', list.length < 1 ? 'have length greater than or equal to 1' : `have length less than or equal to ${MAX_TRANSACTION}`);
  }
  const parsed = list.map(parse);
  const reads = parsed.filter((s) => s.kind === 'select').length;
  if (reads && reads !== parsed.length) throw validation('Transaction must contain either all read statements or all write statements');
  if (reads) return { Responses: parsed.map((s) => { const item = select(ctx, s as Extract<Statement, { kind: 'select' }>)[0]; return item ? { Item: item } : {}; }) };
  const planned = parsed.map((s) => {
    try {
      return { p: planWrite(ctx, s)! };
    } catch (e) {
      if (e instanceof ConditionFailed) return { failed: e };
      if (e instanceof AwsError && e.code === 'DuplicateItemException') return { failed: new ConditionFailed(undefined), reason: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } };
      if (e instanceof AwsError && e.code === 'TransactionConflictException') return { failed: new ConditionFailed(undefined), reason: { Code: 'TransactionConflict', Message: e.message } };
      throw e;
    }
  });
  if (planned.some((x) => x.failed)) {
    const reasons = planned.map((x) => (x.failed ? x.reason ?? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } : { Code: 'None' }));
    throw new AwsError('TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, 400, { fields: { CancellationReasons: reasons } });
  }
  for (const x of planned) commit(ctx, x.p!.plan);
  return { Responses: [] };
};
