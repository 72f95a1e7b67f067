/**
 * TransactWriteItems and TransactGetItems. A write transaction plans every action (checking
 * every condition against the current items) before committing any, so it applies all or
 * nothing; a failed condition cancels it with one reason per action. A transaction given a
 * commit time on the clock holds its items meanwhile, and conflicting calls are refused as
 * AWS refuses them (see locks.ts). ClientRequestToken makes a write idempotent for ten minutes.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { cloneItem, type Item } from '../../engines/dynamodb/index.js';
import type { Handler, ServiceContext } from '../types.js';
import { requireTable, stateOf } from './context.js';
import { constraint, validation } from './errors.js';
import { projected, readExpressions } from './expressions.js';
import { checkKey, checkPutItem } from './item-checks.js';
import { primaryToken, type TableRecord } from './store.js';
import { CONFLICT_MESSAGE, commitDelayMs, holdForCommit, isLocked } from './locks.js';
import { commit, ConditionFailed, currentItem, planDelete, planPut, planUpdate, storedEntry, type WritePlan } from './writes.js';

const MAX_ACTIONS = 100;
const TOKEN_TTL_MS = 10 * 60 * 1000;


type Action = Record<string, unknown>;

function checkCount(list: unknown[] | undefined): unknown[] {
  if (!list?.length) throw constraint('[]', 'transactItems', 'have length greater than or equal to 1');
  if (list.length > MAX_ACTIONS) throw constraint('[...]', 'transactItems', `have length less than or equal to ${MAX_ACTIONS}`);
  return list;
}

/** A repeated token within ten minutes answers success without writing again. */
function idempotent(ctx: ServiceContext, input: Record<string, unknown>): boolean {
  const token = input['ClientRequestToken'] as string | undefined;
  if (!token) return false;
  const tokens = stateOf(ctx).txTokens;
  const id = token;
  const digest = createHash('sha256').update(JSON.stringify(input['TransactItems'])).digest('hex');
  const now = ctx.clock.nowMs();
  const seen = tokens.get(id);
  if (seen && seen.expiresMs > now) {
    if (seen.digest !== digest) throw new AwsError('IdempotentParameterMismatchException', 'Request with same client-token has different request parameters', 400);
    return true;
  }
  tokens.set(id, { digest, expiresMs: now + TOKEN_TTL_MS });
  return false;
}

interface Planned { t: TableRecord; token: string; plan?: WritePlan; failed?: ConditionFailed; returnOld: boolean }

function planAction(ctx: ServiceContext, a: Action, seen: Set<string>): Planned {
  const present = Object.entries(a).filter(([, v]) => v !== undefined);
  if (present.length !== 1) {
    throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
  }
  const [kind, body] = present[0] as [string, Record<string, unknown>];
  const t: TableRecord = requireTable(ctx, body['TableName']);
  const item = body['Item'] as Item | undefined;
  const key = kind === 'Put' ? (checkPutItem(t, item!), item!) : checkKey(t, body['Key'] as Item);
  const itemToken = primaryToken(t, key);
  const token = `${t.name}\u0000${itemToken}`;
  if (seen.has(token)) throw validation('Transaction request cannot include multiple operations on one item');
  seen.add(token);
  const ex = readExpressions(body, kind === 'Update' ? ['update', 'condition'] : ['condition']);
  const at = { t, token: itemToken };
  if (kind === 'ConditionCheck' && !ex.condition) throw validation('The ConditionExpression parameter is required for a ConditionCheck');
  const returnOld = body['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD';
  try {
    switch (kind) {
      case 'Put': return { ...at, plan: planPut(ctx, t, item!, ex.condition), returnOld };
      case 'Delete': return { ...at, plan: planDelete(ctx, t, key, ex.condition), returnOld };
      case 'Update': return { ...at, plan: planUpdate(ctx, t, key, ex.update ?? [], ex.condition), returnOld };
      default: planDelete(ctx, t, key, ex.condition); return { ...at, returnOld };
    }
  } catch (e) {
    if (e instanceof ConditionFailed) return { ...at, failed: e, returnOld };
    throw e;
  }
}

export const transactWriteItems: Handler = (input, ctx) => {
  const actions = checkCount(input['TransactItems'] as unknown[]) as Action[];
  if (idempotent(ctx, input)) return {};
  const seen = new Set<string>();
  const planned = actions.map((a) => planAction(ctx, a, seen));
  const conflicts = planned.map((p) => isLocked(ctx, p.t, p.token));
  if (planned.some((p, i) => p.failed || conflicts[i])) {
    const reasons = planned.map((p, i) => (conflicts[i]
      ? { Code: 'TransactionConflict', Message: CONFLICT_MESSAGE }
      : p.failed
        ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(p.returnOld && p.failed.old ? { Item: cloneItem(p.failed.old) } : {}) }
        : { Code: 'None' }));
    // A cancelled request may be retried with the same token.
    stateOf(ctx).txTokens.delete(String(input['ClientRequestToken']));
    throw cancelled(reasons);
  }
  const ms = commitDelayMs(planned.map((p) => p.t));
  if (ms === 0) {
    for (const p of planned) if (p.plan) commit(ctx, p.plan);
    return {};
  }
  return holdForCommit(ctx, planned, ms, () => {
    for (const p of planned) {
      if (!p.plan) continue;
      // Only replication may have changed a held item meanwhile: write over what is there now.
      const now = storedEntry(ctx, p.t, p.plan.next ?? p.plan.old!);
      commit(ctx, { ...p.plan, old: now?.item, oldSize: now?.size });
    }
  }).then(() => ({}));
};

function cancelled(reasons: Array<{ Code: string }>): AwsError {
  return new AwsError('TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, 400,
    { fields: { CancellationReasons: reasons } });
}

export const transactGetItems: Handler = (input, ctx) => {
  const actions = checkCount(input['TransactItems'] as unknown[]) as Array<{ Get: Record<string, unknown> }>;
  const seen = new Set<string>();
  const reads = actions.map(({ Get }) => {
    if (!Get) throw validation('1 validation error detected: Value null at \'transactItems.1.member.get\' failed to satisfy constraint: Member must not be null');
    const t = requireTable(ctx, Get['TableName']);
    const key = checkKey(t, Get['Key'] as Item);
    const token = `${t.name}\u0000${primaryToken(t, key)}`;
    if (seen.has(token)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(token);
    return { t, key, ex: readExpressions(Get, ['projection']) };
  });
  const conflicts = reads.map(({ t, key }) => isLocked(ctx, t, primaryToken(t, key)));
  if (conflicts.some(Boolean)) throw cancelled(conflicts.map((c) => (c ? { Code: 'TransactionConflict', Message: CONFLICT_MESSAGE } : { Code: 'None' })));
  return {
    Responses: reads.map(({ t, key, ex }) => {
      const item = currentItem(ctx, t, key);
      return item ? { Item: projected(item, ex.projection) } : {};
    }),
  };
};
