/**
 * Applies UpdateExpression actions to an item. Every operand is read from the item as it was
 * before the update (AWS evaluates all actions against the old item), then SET, REMOVE, ADD
 * and DELETE are written in order; list removals happen from the highest index down so
 * `REMOVE a[1], a[2]` removes the two original elements.
 */
import type { Operand, Path, UpdateAction } from './ast.js';
import { addDecimal, formatDecimal, negateDecimal, parseDecimal } from './decimal.js';
import { DynamoValidation } from './errors.js';
import { resolvePath } from './evaluate.js';
import { cloneItem, cloneValue, typeOf, valuesEqual, type AttributeValue, type Item } from './values.js';

const BAD_TYPE = 'An operand in the update expression has an incorrect data type';
const INVALID_PATH = 'The document path provided in the update expression is invalid for update';

/** The new item after `actions`; the old item is left untouched. */
export function applyUpdate(old: Item, actions: UpdateAction[]): Item {
  // Resolve SET values against the old item first.
  const values = actions.map((a) => (a.kind === 'SET' ? setValue(a.value, old) : undefined));
  const item = cloneItem(old);
  const removals: Path[] = [];
  actions.forEach((a, i) => {
    switch (a.kind) {
      case 'SET': writePath(item, a.path, values[i]!); break;
      case 'REMOVE': removals.push(a.path); break;
      case 'ADD': add(item, a.path, a.value); break;
      case 'DELETE': del(item, a.path, a.value); break;
    }
  });
  // Highest list index first, so earlier indexes still name the original elements.
  removals.sort((x, y) => (typeof x[x.length - 1] === 'number' && typeof y[y.length - 1] === 'number' ? (y[y.length - 1] as number) - (x[x.length - 1] as number) : 0));
  for (const p of removals) removePath(item, p);
  return item;
}

function setValue(op: Operand, item: Item): AttributeValue {
  switch (op.kind) {
    case 'value': return cloneValue(op.value);
    case 'path': {
      const v = resolvePath(item, op.path);
      if (v === undefined) throw new DynamoValidation('The provided expression refers to an attribute that does not exist in the item');
      return cloneValue(v);
    }
    case 'if_not_exists': {
      const v = resolvePath(item, op.path);
      return v !== undefined ? cloneValue(v) : setValue(op.fallback, item);
    }
    case 'list_append': {
      const a = setValue(op.left, item);
      const b = setValue(op.right, item);
      if (a.L === undefined || b.L === undefined) throw new DynamoValidation(BAD_TYPE);
      return { L: [...a.L, ...b.L] };
    }
    case 'arith': {
      const a = setValue(op.left, item);
      const b = setValue(op.right, item);
      if (a.N === undefined || b.N === undefined) throw new DynamoValidation(BAD_TYPE);
      const y = parseDecimal(b.N);
      return { N: formatDecimal(addDecimal(parseDecimal(a.N), op.op === '+' ? y : negateDecimal(y))) };
    }
    case 'size': throw new DynamoValidation('Invalid UpdateExpression: The function is not allowed in an update expression; function: size');
  }
}

/** The container that holds the last element of `path`, or undefined when a step is missing. */
function parentOf(item: Item, path: Path): AttributeValue | Item | undefined {
  if (path.length === 1) return item;
  const v = resolvePath(item, path.slice(0, -1));
  return v;
}

function writePath(item: Item, path: Path, value: AttributeValue): void {
  const last = path[path.length - 1]!;
  const parent = parentOf(item, path);
  if (path.length === 1) { item[last as string] = value; return; }
  const p = parent as AttributeValue | undefined;
  if (typeof last === 'number') {
    if (p?.L === undefined) throw new DynamoValidation(INVALID_PATH);
    // An index past the end appends, as AWS does.
    if (last >= p.L.length) p.L.push(value);
    else p.L[last] = value;
    return;
  }
  if (p?.M === undefined) throw new DynamoValidation(INVALID_PATH);
  p.M[last] = value;
}

function removePath(item: Item, path: Path): void {
  const last = path[path.length - 1]!;
  if (path.length === 1) { delete item[last as string]; return; }
  const p = parentOf(item, path) as AttributeValue | undefined;
  if (typeof last === 'number') {
    if (p?.L !== undefined && last < p.L.length) p.L.splice(last, 1);
    else if (p !== undefined && p.L === undefined) throw new DynamoValidation(INVALID_PATH);
    return;
  }
  if (p?.M !== undefined) delete p.M[last];
  else if (p !== undefined) throw new DynamoValidation(INVALID_PATH);
}

function add(item: Item, path: Path, value: AttributeValue): void {
  const cur = resolvePath(item, path);
  if (cur === undefined) { writePath(item, path, cloneValue(value)); return; }
  const t = typeOf(value);
  if (typeOf(cur) !== t) throw new DynamoValidation(BAD_TYPE);
  if (t === 'N') { cur.N = formatDecimal(addDecimal(parseDecimal(cur.N!), parseDecimal(value.N!))); return; }
  const set = (cur as Record<string, unknown[]>)[t]!;
  for (const e of (value as Record<string, unknown[]>)[t]!) {
    if (!set.some((x) => valuesEqual(wrap(t, x), wrap(t, e)))) set.push(e);
  }
}

function del(item: Item, path: Path, value: AttributeValue): void {
  const cur = resolvePath(item, path);
  if (cur === undefined) return;
  const t = typeOf(value);
  if (typeOf(cur) !== t) throw new DynamoValidation(BAD_TYPE);
  const remove = (value as Record<string, unknown[]>)[t]!;
  const kept = (cur as Record<string, unknown[]>)[t]!.filter((x) => !remove.some((e) => valuesEqual(wrap(t, x), wrap(t, e))));
  // An empty set cannot exist: the attribute goes away.
  if (kept.length === 0) removePath(item, path);
  else (cur as Record<string, unknown[]>)[t] = kept;
}

function wrap(setType: string, e: unknown): AttributeValue {
  return setType === 'SS' ? { S: e as string } : setType === 'NS' ? { N: e as string } : { B: e as Uint8Array };
}
