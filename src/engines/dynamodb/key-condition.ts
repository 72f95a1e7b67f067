/**
 * A KeyConditionExpression reduced to what a Query needs: the partition key value and an
 * optional sort key condition. AWS allows only `=` on the partition key and one of `=`, `<`,
 * `<=`, `>`, `>=`, BETWEEN or begins_with on the sort key, joined by AND.
 */
import type { Condition, Operand } from './ast.js';
import { DynamoValidation, invalidExpression } from './errors.js';
import { compareScalars, showValue, typeOf, type AttributeValue } from './values.js';

export type RangeOp = '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';

export interface KeyCondition {
  hash: AttributeValue;
  range?: { op: RangeOp; values: AttributeValue[] };
}

export interface KeySchemaInfo {
  hashKey: string;
  hashType: string;
  rangeKey?: string;
  rangeType?: string;
}

const KIND = 'KeyConditionExpression';

/** Reads the key condition, refusing anything a Query cannot serve with AWS's messages. */
export function analyzeKeyCondition(cond: Condition, schema: KeySchemaInfo): KeyCondition {
  const parts: Condition[] = [];
  const flatten = (c: Condition): void => {
    if (c.kind === 'and') { flatten(c.left); flatten(c.right); return; }
    if (c.kind === 'or' || c.kind === 'not' || c.kind === 'in') throw invalidExpression(KIND, `Invalid operator used in KeyConditionExpression: ${c.kind.toUpperCase()}`);
    parts.push(c);
  };
  flatten(cond);
  if (parts.length > 2) throw new DynamoValidation('Query key condition not supported');
  const found = new Map<string, { op: RangeOp; values: AttributeValue[] }>();
  for (const p of parts) {
    const { attr, op, values } = readPart(p);
    if (found.has(attr)) throw new DynamoValidation('KeyConditionExpressions must only contain one condition per key');
    if (attr !== schema.hashKey && attr !== schema.rangeKey) throw new DynamoValidation('Query condition missed key schema element');
    found.set(attr, { op, values });
  }
  const hash = found.get(schema.hashKey);
  if (!hash) throw new DynamoValidation(`Query condition missed key schema element: ${schema.hashKey}`);
  if (hash.op !== '=') throw new DynamoValidation('Query key condition not supported');
  checkType(hash.values, schema.hashType, '=');
  const range = schema.rangeKey ? found.get(schema.rangeKey) : undefined;
  if (range) {
    checkType(range.values, schema.rangeType!, range.op);
    if (range.op === 'begins_with' && schema.rangeType === 'N') {
      throw invalidExpression(KIND, 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
    }
    if (range.op === 'between' && compareScalars(range.values[0]!, range.values[1]!)! > 0) {
      throw invalidExpression(KIND, `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: ${showValue(range.values[0]!)}, upper bound operand: AttributeValue: ${showValue(range.values[1]!)}`);
    }
  }
  return { hash: hash.values[0]!, range };
}

function readPart(p: Condition): { attr: string; op: RangeOp; values: AttributeValue[] } {
  if (p.kind === 'compare') {
    if (p.op === '<>') throw invalidExpression(KIND, 'Invalid operator used in KeyConditionExpression: <>');
    const attr = keyAttr(p.left);
    return { attr, op: p.op, values: [valueOf(p.right)] };
  }
  if (p.kind === 'between') return { attr: keyAttr(p.arg), op: 'between', values: [valueOf(p.low), valueOf(p.high)] };
  if (p.kind === 'function' && p.name === 'begins_with') return { attr: keyAttr(p.args[0]!), op: 'begins_with', values: [valueOf(p.args[1]!)] };
  const name = p.kind === 'function' ? p.name : p.kind;
  throw invalidExpression(KIND, `Invalid operator used in KeyConditionExpression: ${name}`);
}

function keyAttr(o: Operand): string {
  if (o.kind !== 'path') throw new DynamoValidation('Query key condition not supported');
  if (o.path.length !== 1) throw invalidExpression(KIND, 'Nested attributes are not supported for keys');
  return o.path[0] as string;
}

function valueOf(o: Operand): AttributeValue {
  if (o.kind !== 'value') throw new DynamoValidation('Query key condition not supported');
  return o.value;
}

function checkType(values: AttributeValue[], type: string, _op: string): void {
  for (const v of values) {
    if (typeOf(v) !== type) throw new DynamoValidation('One or more parameter values were invalid: Condition parameter type does not match schema type');
  }
}

/** True when a sort key value satisfies the range condition. */
export function rangeMatches(v: AttributeValue, range: KeyCondition['range']): boolean {
  if (!range) return true;
  const [a, b] = range.values;
  if (range.op === 'begins_with') {
    if (v.S !== undefined) return v.S.startsWith(a!.S!);
    return Buffer.from(v.B!).subarray(0, a!.B!.byteLength).equals(Buffer.from(a!.B!));
  }
  const c = compareScalars(v, a!)!;
  switch (range.op) {
    case '=': return c === 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
    case 'between': return c >= 0 && compareScalars(v, b!)! <= 0;
  }
}
