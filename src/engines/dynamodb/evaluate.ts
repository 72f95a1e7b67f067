/**
 * Evaluates parsed conditions against an item and applies projections. Comparisons between
 * values of different types are false, never errors, as in DynamoDB; `<>` is true when the
 * attribute is missing.
 */
import type { Condition, Operand, Path } from './ast.js';
import { DynamoValidation, invalidExpression } from './errors.js';
import { compareScalars, showValue, TYPE_NAMES, typeOf, valuesEqual, type AttributeValue, type Item } from './values.js';

/** The value at a document path, or undefined when any step is missing or of the wrong type. */
export function resolvePath(item: Item, path: Path): AttributeValue | undefined {
  let cur: AttributeValue | undefined = item[path[0] as string];
  for (let i = 1; i < path.length && cur !== undefined; i++) {
    const e = path[i]!;
    if (typeof e === 'number') cur = cur.L?.[e];
    else cur = cur.M?.[e];
  }
  return cur;
}

/** An operand's value in a condition (no update functions here). */
function operandValue(op: Operand, item: Item): AttributeValue | undefined {
  switch (op.kind) {
    case 'path': return resolvePath(item, op.path);
    case 'value': return op.value;
    case 'size': {
      const v = resolvePath(item, op.path);
      const n = v === undefined ? undefined : sizeOf(v);
      return n === undefined ? undefined : { N: String(n) };
    }
    default: return undefined;
  }
}

function sizeOf(v: AttributeValue): number | undefined {
  if (v.S !== undefined) return [...v.S].length;
  if (v.B !== undefined) return v.B.byteLength;
  if (v.SS !== undefined) return v.SS.length;
  if (v.NS !== undefined) return v.NS.length;
  if (v.BS !== undefined) return v.BS.length;
  if (v.L !== undefined) return v.L.length;
  if (v.M !== undefined) return Object.keys(v.M).length;
  return undefined;
}

/** True when `cond` holds for `item` (an absent item is the empty item). */
export function evaluate(cond: Condition, item: Item, kind = 'ConditionExpression'): boolean {
  switch (cond.kind) {
    case 'and': return evaluate(cond.left, item, kind) && evaluate(cond.right, item, kind);
    case 'or': return evaluate(cond.left, item, kind) || evaluate(cond.right, item, kind);
    case 'not': return !evaluate(cond.arg, item, kind);
    case 'compare': {
      const a = operandValue(cond.left, item);
      const b = operandValue(cond.right, item);
      if (cond.op === '=') return a !== undefined && b !== undefined && valuesEqual(a, b);
      if (cond.op === '<>') return a === undefined || b === undefined || !valuesEqual(a, b);
      if (a === undefined || b === undefined) return false;
      const c = compareScalars(a, b);
      if (c === undefined) return false;
      return cond.op === '<' ? c < 0 : cond.op === '<=' ? c <= 0 : cond.op === '>' ? c > 0 : c >= 0;
    }
    case 'between': {
      const v = operandValue(cond.arg, item);
      const lo = operandValue(cond.low, item);
      const hi = operandValue(cond.high, item);
      if (lo && hi) {
        const order = compareScalars(lo, hi);
        if (order !== undefined && order > 0) {
          throw invalidExpression(kind, `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: ${showValue(lo)}, upper bound operand: AttributeValue: ${showValue(hi)}`);
        }
      }
      if (!v || !lo || !hi) return false;
      const a = compareScalars(v, lo);
      const b = compareScalars(v, hi);
      return a !== undefined && b !== undefined && a >= 0 && b <= 0;
    }
    case 'in': {
      const v = operandValue(cond.arg, item);
      return v !== undefined && cond.list.some((o) => { const x = operandValue(o, item); return x !== undefined && valuesEqual(v, x); });
    }
    case 'function': return callFunction(cond.name, cond.args, item, kind);
  }
}

function callFunction(name: string, args: Operand[], item: Item, kind: string): boolean {
  const first = operandValue(args[0]!, item);
  switch (name) {
    case 'attribute_exists': return first !== undefined;
    case 'attribute_not_exists': return first === undefined;
    case 'attribute_type': {
      const t = operandValue(args[1]!, item);
      if (t?.S === undefined || !(TYPE_NAMES as string[]).includes(t.S)) {
        throw invalidExpression(kind, `Invalid attribute type name found; type: ${t?.S ?? (t ? showValue(t) : 'null')}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
      }
      return first !== undefined && typeOf(first) === t.S;
    }
    case 'begins_with': {
      const prefix = operandValue(args[1]!, item);
      if (!first || !prefix) return false;
      if (first.S !== undefined && prefix.S !== undefined) return first.S.startsWith(prefix.S);
      if (first.B !== undefined && prefix.B !== undefined) return Buffer.from(first.B).subarray(0, prefix.B.byteLength).equals(Buffer.from(prefix.B));
      return false;
    }
    case 'contains': {
      const needle = operandValue(args[1]!, item);
      if (!first || !needle) return false;
      if (first.S !== undefined) return needle.S !== undefined && first.S.includes(needle.S);
      if (first.B !== undefined) return needle.B !== undefined && Buffer.from(first.B).includes(Buffer.from(needle.B));
      if (first.SS !== undefined) return needle.S !== undefined && first.SS.includes(needle.S);
      if (first.NS !== undefined) return needle.N !== undefined && first.NS.some((n) => valuesEqual({ N: n }, needle));
      if (first.BS !== undefined) return needle.B !== undefined && first.BS.some((b) => valuesEqual({ B: b }, needle));
      if (first.L !== undefined) return first.L.some((e) => valuesEqual(e, needle));
      return false;
    }
  }
  throw new DynamoValidation(`Invalid ${kind}: Invalid function name; function: ${name}`);
}

/** The item reduced to the projected paths (list elements keep their relative order). */
export function project(item: Item, paths: Path[]): Item {
  const out: Item = {};
  for (const path of paths) {
    const v = resolvePath(item, path);
    if (v === undefined) continue;
    copyInto(out, item, path, v);
  }
  return compactLists(out) as Item;
}

// Projected list elements are first placed at their original index in a sparse array, then
// compacted, so `a[3], a[1]` answers `[a[1], a[3]]` as AWS does.
function copyInto(out: Item, item: Item, path: Path, v: AttributeValue): void {
  let dst: Record<string, AttributeValue> | AttributeValue[] = out;
  let src: AttributeValue | undefined;
  for (let i = 0; i < path.length; i++) {
    const e = path[i]!;
    src = i === 0 ? item[e as string] : typeof e === 'number' ? src!.L![e] : src!.M![e];
    const last = i === path.length - 1;
    const key = e as never;
    if (last) { (dst as Record<string | number, AttributeValue>)[key] = v; return; }
    const existing = (dst as Record<string | number, AttributeValue>)[key];
    const child: AttributeValue = existing ?? (src!.L !== undefined ? { L: [] } : { M: {} });
    (dst as Record<string | number, AttributeValue>)[key] = child;
    dst = child.L ?? child.M!;
  }
}

function compactLists(v: Record<string, AttributeValue>): Record<string, AttributeValue> {
  for (const k in v) {
    const x = v[k]!;
    if (x.L !== undefined && x.L.length !== x.L.filter(() => true).length) x.L = x.L.filter(() => true);
    if (x.M !== undefined) compactLists(x.M);
    if (x.L !== undefined) for (const e of x.L) if (e.M !== undefined) compactLists(e.M);
  }
  return v;
}
