/**
 * The legacy conditional parameters old code still sends (Expected, QueryFilter, ScanFilter,
 * KeyConditions, AttributeUpdates, AttributesToGet), translated to the same parsed forms the
 * expression language produces, so one evaluator serves both.
 */
import type { AttributeValue, Condition, Path, UpdateAction } from '../../engines/dynamodb/index.js';
import { checkValue } from '../../engines/dynamodb/index.js';
import { engineCall, validation } from './errors.js';

interface LegacyCondition {
  Value?: AttributeValue;
  Exists?: boolean;
  ComparisonOperator?: string;
  AttributeValueList?: AttributeValue[];
}

const ARGS: Record<string, number> = {
  EQ: 1, NE: 1, LE: 1, LT: 1, GE: 1, GT: 1, NOT_NULL: 0, NULL: 0, CONTAINS: 1, NOT_CONTAINS: 1, BEGINS_WITH: 1, BETWEEN: 2,
};
const CMP: Record<string, '=' | '<>' | '<=' | '<' | '>=' | '>'> = { EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>' };

function one(name: string, c: LegacyCondition, filter: boolean): Condition {
  const path = { kind: 'path' as const, path: [name] };
  const val = (v: AttributeValue, i: number) => { engineCall(() => checkValue(v)); return { kind: 'value' as const, value: v, ref: `:legacy${i}` }; };
  if (!c.ComparisonOperator) {
    if (filter) throw validation('1 validation error detected: Value null at \'comparisonOperator\' failed to satisfy constraint: Member must not be null');
    if (c.Exists === false) {
      if (c.Value) throw validation('One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: ' + name);
      return { kind: 'function', name: 'attribute_not_exists', args: [path] };
    }
    if (!c.Value) throw validation(`One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: ${name}`);
    return { kind: 'compare', op: '=', left: path, right: val(c.Value, 0) };
  }
  const op = c.ComparisonOperator;
  const list = c.AttributeValueList ?? (c.Value ? [c.Value] : []);
  if (op === 'IN') {
    if (!list.length) throw validation(`One or more parameter values were invalid: Invalid number of argument(s) for the IN ComparisonOperator`);
    return { kind: 'in', arg: path, list: list.map(val) };
  }
  if (!(op in ARGS)) throw validation(`1 validation error detected: Value '${op}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]`);
  if (list.length !== ARGS[op]) throw validation(`One or more parameter values were invalid: Invalid number of argument(s) for the ${op} ComparisonOperator`);
  const args = list.map(val);
  if (op in CMP) return { kind: 'compare', op: CMP[op]!, left: path, right: args[0]! };
  switch (op) {
    case 'NOT_NULL': return { kind: 'function', name: 'attribute_exists', args: [path] };
    case 'NULL': return { kind: 'function', name: 'attribute_not_exists', args: [path] };
    case 'CONTAINS': return { kind: 'function', name: 'contains', args: [path, args[0]!] };
    case 'NOT_CONTAINS': return { kind: 'and', left: { kind: 'function', name: 'attribute_exists', args: [path] }, right: { kind: 'not', arg: { kind: 'function', name: 'contains', args: [path, args[0]!] } } };
    case 'BEGINS_WITH': return { kind: 'function', name: 'begins_with', args: [path, args[0]!] };
    default: return { kind: 'between', arg: path, low: args[0]!, high: args[1]! };
  }
}

/** Expected / QueryFilter / ScanFilter / KeyConditions as one condition (AND unless ConditionalOperator is OR). */
export function legacyCondition(map: Record<string, LegacyCondition>, operator?: string, filter = false): Condition | undefined {
  const parts = Object.entries(map).map(([k, c]) => one(k, c, filter));
  if (!parts.length) return undefined;
  const kind = operator === 'OR' ? 'or' : 'and';
  return parts.reduce((a, b) => ({ kind, left: a, right: b }));
}

/** AttributeUpdates as update actions. */
export function legacyUpdate(map: Record<string, { Value?: AttributeValue; Action?: string }>): UpdateAction[] {
  return Object.entries(map).map(([name, u]): UpdateAction => {
    const action = u.Action ?? 'PUT';
    if (u.Value) engineCall(() => checkValue(u.Value!));
    if (action === 'PUT') {
      if (!u.Value) throw validation(`One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified`);
      return { kind: 'SET', path: [name], value: { kind: 'value', value: u.Value, ref: ':legacy' } };
    }
    if (action === 'DELETE') return u.Value ? { kind: 'DELETE', path: [name], value: u.Value } : { kind: 'REMOVE', path: [name] };
    if (!u.Value) throw validation(`One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified`);
    return { kind: 'ADD', path: [name], value: u.Value };
  });
}

export function legacyProjection(names: string[]): Path[] {
  return [...new Set(names)].map((n) => [n]);
}
