/**
 * Item and key validation against a table's schema and AWS's limits (400 KB items, 2048-byte
 * partition keys, 1024-byte sort keys, typed and non-empty key attributes, index keys).
 */
import { checkItem, itemSize as itemSizeOf, typeOf as typeName, type Item } from '../../engines/dynamodb/index.js';
import { engineCall, validation } from './errors.js';
import { hashKeyOf, rangeKeyOf, type TableRecord } from './store.js';

const MAX_ITEM = 400 * 1024;
const INVALID = 'One or more parameter values were invalid:';

function typeOfKey(t: TableRecord, name: string): string {
  return t.attributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType;
}

function keyBytes(v: Item[string]): number {
  // A UTF-16 unit takes at most 3 UTF-8 bytes: short strings need no count.
  if (v.S !== undefined) return v.S.length <= 341 ? v.S.length : Buffer.byteLength(v.S);
  return v.B !== undefined ? v.B.byteLength : 0;
}

/** Empty strings and binaries are allowed except in key attributes. */
function isEmpty(v: Item[string]): boolean {
  return v.S === '' || (v.B !== undefined && v.B.byteLength === 0);
}

function checkKeyValueSize(t: TableRecord, item: Item): void {
  const h = item[hashKeyOf(t.keySchema)]!;
  if (keyBytes(h) > 2048) throw validation(`${INVALID} Size of hashkey has exceeded the maximum size limit of2048 bytes`);
  const r = rangeKeyOf(t.keySchema);
  if (r && keyBytes(item[r]!) > 1024) throw validation(`${INVALID} Aggregated size of all range keys has exceeded the size limit of 1024 bytes`);
}

/** A whole item for PutItem: values valid, key attributes present and typed, indexes' keys typed, size. */
/** Answers the item's size. */
export function checkPutItem(t: TableRecord, item: Item): number {
  engineCall(() => checkItem(item));
  for (const k of t.keySchema) {
    const v = item[k.AttributeName];
    if (v === undefined) throw validation(`${INVALID} Missing the key ${k.AttributeName} in the item`);
    const expected = typeOfKey(t, k.AttributeName);
    const actual = typeName(v);
    if (actual !== expected) throw validation(`${INVALID} Type mismatch for key ${k.AttributeName} expected: ${expected} actual: ${actual}`);
    if (isEmpty(v)) {
      throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${actual === 'S' ? 'string' : 'binary'} value. Key: ${k.AttributeName}`);
    }
  }
  checkKeyValueSize(t, item);
  checkIndexKeys(t, item);
  const size = itemSizeOf(item);
  if (size > MAX_ITEM) throw validation('Item size has exceeded the maximum allowed size');
  return size;
}

/** Index key attributes present in an item must have the index's type and not be empty. */
export function checkIndexKeys(t: TableRecord, item: Item): void {
  if (!t.lsis.length && !t.gsis.length) return;
  for (const ix of [...t.lsis, ...t.gsis]) {
    for (const k of ix.keySchema) {
      const v = item[k.AttributeName];
      if (v === undefined) continue;
      const expected = typeOfKey(t, k.AttributeName);
      const actual = typeName(v);
      if (actual !== expected) {
        throw validation(`${INVALID} Type mismatch for Index Key ${k.AttributeName} Expected: ${expected} Actual: ${actual} IndexName: ${ix.name}`);
      }
      if (isEmpty(v)) {
        throw validation(`One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${actual === 'S' ? 'string' : 'binary'} value. IndexName: ${ix.name}, IndexKey: ${k.AttributeName}`);
      }
    }
  }
}

/** A key for Get/Update/Delete: exactly the table's key attributes, of the right types. */
export function checkKey(t: TableRecord, key: Item | undefined): Item {
  if (!key) throw validation('1 validation error detected: Value null at \'key\' failed to satisfy constraint: Member must not be null');
  engineCall(() => checkItem(key));
  const names = Object.keys(key);
  if (names.length !== t.keySchema.length || !t.keySchema.every((k) => key[k.AttributeName] !== undefined && typeName(key[k.AttributeName]!) === typeOfKey(t, k.AttributeName))) {
    throw validation('The provided key element does not match the schema');
  }
  for (const k of t.keySchema) {
    const v = key[k.AttributeName]!;
    if (isEmpty(v)) {
      throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${v.S !== undefined ? 'string' : 'binary'} value. Key: ${k.AttributeName}`);
    }
  }
  checkKeyValueSize(t, key);
  return key;
}

/** The size limit after an update. */
export function checkUpdatedItem(t: TableRecord, item: Item): number {
  checkIndexKeys(t, item);
  const size = itemSizeOf(item);
  if (size > MAX_ITEM) throw validation('Item size to update has exceeded the maximum allowed size');
  return size;
}
