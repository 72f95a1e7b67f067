/**
 * Lookups every DynamoDB handler shares: the caller's state, a table by name or ARN, and the
 * request-level placeholder bookkeeping AWS checks after all expressions are parsed.
 */
import type { Placeholders } from '../../engines/dynamodb/index.js';
import { checkValue, type AttributeValue } from '../../engines/dynamodb/index.js';
import type { ServiceContext } from '../types.js';
import { engineCall, resourceNotFound, tableNotFound, validation } from './errors.js';
import { dynamoState, type DynamoState, type TableRecord } from './store.js';

export function stateOf(ctx: ServiceContext): DynamoState {
  return dynamoState(ctx.stores, ctx.account, ctx.region);
}

/** TableName members also accept the table's ARN. */
export function tableNameOf(input: unknown): string {
  const s = typeof input === 'string' ? input : '';
  const m = /^arn:aws[\w-]*:dynamodb:[^:]*:\d{12}:table\/([^/]+)$/.exec(s);
  return m ? m[1]! : s;
}

/**
 * The table, or AWS's not-found error (control-plane calls name the table, data-plane calls do
 * not). Data-plane calls may name another account's table by ARN: the gateway has already
 * authorized them against that table's resource policy.
 */
export function requireTable(ctx: ServiceContext, name: unknown, controlPlane = false): TableRecord {
  if (typeof name === 'string' && !name.startsWith('arn:')) {
    const found = stateOf(ctx).tables.get(name);
    if (found) return found;
  }
  const n = tableNameOf(name);
  const arn = typeof name === 'string' ? /^arn:aws[\w-]*:dynamodb:([^:]+):(\d{12}):table\//.exec(name) : null;
  const state = arn && !controlPlane ? dynamoState(ctx.stores, arn[2]!, arn[1]!) : stateOf(ctx);
  const t = state.tables.get(n);
  if (!t) throw controlPlane ? tableNotFound(n) : resourceNotFound();
  return t;
}

/** Placeholders of a request, validated as AWS validates them before any expression is read. */
export function placeholders(input: Record<string, unknown>): Placeholders {
  const names = input['ExpressionAttributeNames'] as Record<string, string> | undefined;
  const values = input['ExpressionAttributeValues'] as Record<string, AttributeValue> | undefined;
  if (names && Object.keys(names).length === 0) throw validation('ExpressionAttributeNames must not be empty');
  if (values && Object.keys(values).length === 0) throw validation('ExpressionAttributeValues must not be empty');
  if (names) {
    for (const k of Object.keys(names)) {
      if (!/^#[A-Za-z0-9_]+$/.test(k)) throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: ${JSON.stringify(k)}`);
    }
  }
  if (values) {
    for (const [k, v] of Object.entries(values)) {
      if (!/^:[A-Za-z0-9_]+$/.test(k)) throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: ${JSON.stringify(k)}`);
      engineCall(() => checkValue(v));
    }
  }
  return { names, values, usedNames: new Set(), usedValues: new Set() };
}

/** AWS refuses placeholders no expression of the request used. */
export function checkAllUsed(ph: Placeholders, anyExpression: boolean): void {
  if (!anyExpression) {
    if (ph.names) throw validation('ExpressionAttributeNames can only be specified when using expressions');
    if (ph.values) throw validation('ExpressionAttributeValues can only be specified when using expressions');
    return;
  }
  const unusedNames = Object.keys(ph.names ?? {}).filter((k) => !ph.usedNames.has(k));
  if (unusedNames.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
  const unusedValues = Object.keys(ph.values ?? {}).filter((k) => !ph.usedValues.has(k));
  if (unusedValues.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
}
