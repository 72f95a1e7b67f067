/**
 * Request-level expression handling: parses the expressions a request carries with its
 * placeholders, refuses mixing them with legacy parameters as AWS does, and shapes the
 * consumed-capacity and return-value members shared by item calls.
 */
import {
  parseCondition, parseProjection, parseUpdate, project, type Condition, type Item, type Path, type Placeholders, type UpdateAction,
} from '../../engines/dynamodb/index.js';
import { checkAllUsed, placeholders } from './context.js';
import { engineCall, validation } from './errors.js';
import { legacyCondition, legacyProjection, legacyUpdate } from './legacy.js';
import type { ServiceContext } from '../types.js';
import type { TableRecord } from './store.js';

export interface RequestExpressions {
  ph: Placeholders;
  condition?: Condition;
  filter?: Condition;
  keyCondition?: Condition;
  update?: UpdateAction[];
  projection?: Path[];
}

/** Every expression string is limited to 4 KB. */
const MAX_EXPRESSION_BYTES = 4096;

const LEGACY: Record<string, string> = {
  Expected: 'ConditionExpression', AttributeUpdates: 'UpdateExpression', AttributesToGet: 'ProjectionExpression',
  QueryFilter: 'FilterExpression', ScanFilter: 'FilterExpression', KeyConditions: 'KeyConditionExpression',
};

/** Parses every expression of `input` (the members named in `kinds`) and checks placeholders. */
export function readExpressions(input: Record<string, unknown>, kinds: Array<keyof typeof EXPRESSION_MEMBERS>): RequestExpressions {
  // Most item calls carry no expression at all: nothing to parse or check.
  if (!carriesExpressions(input)) return NO_EXPRESSIONS;
  const legacy = Object.keys(LEGACY).filter((k) => input[k] !== undefined);
  const modern = Object.values(EXPRESSION_MEMBERS).filter((k) => input[k] !== undefined);
  if (legacy.length && modern.length) {
    throw validation(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${modern.join(', ')}}`);
  }
  const ph = placeholders(input);
  const out: RequestExpressions = { ph };
  engineCall(() => {
    for (const k of kinds) {
      const src = input[EXPRESSION_MEMBERS[k]];
      if (typeof src !== 'string') continue;
      if (Buffer.byteLength(src) > MAX_EXPRESSION_BYTES) {
        throw validation(`Invalid ${EXPRESSION_MEMBERS[k]}: Expression size has exceeded the maximum allowed size; expression size: ${Buffer.byteLength(src)}`);
      }
      if (k === 'update') out.update = parseUpdate(src, ph);
      else if (k === 'projection') out.projection = parseProjection(src, ph);
      else out[k] = parseCondition(src, EXPRESSION_MEMBERS[k], ph);
    }
  });
  checkAllUsed(ph, modern.length > 0);
  if (legacy.length) {
    if (input['Expected']) out.condition = legacyCondition(input['Expected'] as never, input['ConditionalOperator'] as string | undefined);
    if (input['QueryFilter'] ?? input['ScanFilter']) out.filter = legacyCondition((input['QueryFilter'] ?? input['ScanFilter']) as never, input['ConditionalOperator'] as string | undefined, true);
    if (input['AttributeUpdates']) out.update = legacyUpdate(input['AttributeUpdates'] as never);
    if (input['AttributesToGet']) out.projection = legacyProjection(input['AttributesToGet'] as string[]);
  }
  return out;
}

export const EXPRESSION_MEMBERS = {
  condition: 'ConditionExpression', filter: 'FilterExpression', keyCondition: 'KeyConditionExpression',
  update: 'UpdateExpression', projection: 'ProjectionExpression',
} as const;

const ANY_MEMBER = [...Object.keys(LEGACY), ...Object.values(EXPRESSION_MEMBERS), 'ExpressionAttributeNames', 'ExpressionAttributeValues'];

function carriesExpressions(input: Record<string, unknown>): boolean {
  for (const k of ANY_MEMBER) if (input[k] !== undefined) return true;
  return false;
}

/** What a call without expressions reads: shared and frozen, since no caller changes it. */
const NO_EXPRESSIONS: RequestExpressions = Object.freeze({ ph: Object.freeze({ usedNames: new Set<string>(), usedValues: new Set<string>() }) });

/** Applies a projection, if any. */
export function projected(item: Item, paths: Path[] | undefined): Item {
  return paths ? project(item, paths) : item;
}

/** Capacity units: reads in 4 KB steps (halved when eventually consistent), writes in 1 KB steps. */
export function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}

export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/**
 * Meters the request units a call consumed (on-demand tables bill them; provisioned tables
 * bill capacity hours instead) and answers the ConsumedCapacity member when asked for.
 */
export function consumed(ctx: ServiceContext, input: Record<string, unknown>, t: TableRecord, units: number, kind: 'read' | 'write'): Record<string, unknown> {
  if (t.billingMode === 'PAY_PER_REQUEST') {
    ctx.meter.record({
      account: t.account, region: t.region, service: 'dynamodb', usageType: kind === 'read' ? 'ReadRequestUnits' : 'WriteRequestUnits',
      operation: ctx.operation, resourceId: t.arn, quantity: units, unit: kind === 'read' ? 'ReadRequestUnits' : 'WriteRequestUnits',
    });
  }
  const mode = input['ReturnConsumedCapacity'];
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  const key = kind === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits';
  return {
    ConsumedCapacity: {
      TableName: t.name, CapacityUnits: units, [key]: units,
      ...(mode === 'INDEXES' ? { Table: { CapacityUnits: units, [key]: units } } : {}),
    },
  };
}

/**
 * Batches: each table's units metered, and ConsumedCapacity as a list with one entry per
 * table when asked for (BatchGetItem, BatchWriteItem).
 */
export function consumedPerTable(ctx: ServiceContext, input: Record<string, unknown>, units: Map<TableRecord, number>, kind: 'read' | 'write'): Record<string, unknown> {
  const list: unknown[] = [];
  for (const [t, n] of units) {
    const one = consumed(ctx, input, t, n, kind)['ConsumedCapacity'];
    if (one) list.push(one);
  }
  return list.length ? { ConsumedCapacity: list } : {};
}
