/**
 * DynamoDB state of one account × region: table records and their items. Items live in
 * memory in {@link KeyIndex}es (the table's own and each secondary index's), encoded one
 * string per item; with a data directory every write also goes to one collection per table,
 * from which the indexes are rebuilt on first use after a restart.
 */
import type { Collection, Collections, Stores } from '../../core/store.js';
import { KeyIndex } from '../../engines/dynamodb/key-index.js';
import { decodeItem, encodedSize, encodeItem } from '../../engines/dynamodb/codec.js';
import { itemSize, keyToken, type AttributeValue, type Item } from '../../engines/dynamodb/index.js';

export interface KeySchemaElement { AttributeName: string; KeyType: 'HASH' | 'RANGE' }
export interface AttributeDefinition { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }
export interface Projection { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] }

export interface IndexRecord {
  name: string;
  keySchema: KeySchemaElement[];
  projection: Projection;
  provisioned?: { read: number; write: number };
  /** GSIs being added are CREATING until their backfill is done. */
  status?: 'CREATING' | 'ACTIVE' | 'DELETING';
}

export interface ReplicaRecord { region: string; status: 'CREATING' | 'ACTIVE' | 'DELETING' }

export interface TableRecord {
  name: string;
  account: string;
  region: string;
  arn: string;
  id: string;
  createdMs: number;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  provisioned?: { read: number; write: number; lastIncreaseMs?: number; lastDecreaseMs?: number; decreasesToday: number };
  lsis: IndexRecord[];
  gsis: IndexRecord[];
  stream?: { enabled: boolean; viewType?: string; label?: string; arn?: string };
  tableClass: string;
  deletionProtection: boolean;
  tags: Record<string, string>;
  ttl?: { attribute: string; enabled: boolean };
  sse?: { enabled: boolean; type?: string; kmsKeyArn?: string };
  pitr: boolean;
  /** Global table (2019.11.21) replicas, this region included once a replica is added. */
  replicas: ReplicaRecord[];
  /** The resource-based policy, if any. */
  policy?: { document: string; revision: string };
  /** Generation: a re-created table of the same name starts a new one (streams, replication). */
  generation: number;
}

/** An on-demand backup: the table as it was, and its items. */
export interface BackupRecord {
  arn: string;
  name: string;
  createdMs: number;
  table: TableRecord;
  items: Item[];
  bytes: number;
}

/**
 * The items of one table: its own index holds them (encoded, see codec.ts) and each secondary
 * index refers to them. With a data directory, `durable` also receives every write (encoded,
 * by primary key token) and is what the runtime is rebuilt from after a restart; in memory
 * there is no second copy.
 */
export interface TableRuntime {
  primary: KeyIndex;
  indexes: Map<string, KeyIndex>;
  bytes: number;
  durable?: Collection<string | Item>;
}

export interface DynamoState {
  tables: Collection<TableRecord>;
  collections: Collections;
  runtimes: Map<string, TableRuntime>;
  /** TransactWriteItems client tokens seen in the last ten minutes (not persisted). */
  txTokens: Map<string, { digest: string; expiresMs: number }>;
  /** On-demand backups by ARN, with their items. */
  backups: Collection<BackupRecord>;
  /** Point-in-time recovery: per table, the items when PITR was enabled and every write since (not persisted). */
  history: Map<string, { sinceMs: number; base: Map<string, Item>; log: Array<{ ms: number; token: string; item?: Item }> }>;
  /** Provisioned-capacity token buckets by table and kind (not persisted). */
  buckets: Map<string, { tokens: number; atMs: number; rate: number }>;
  /** Whether collections write through to a data directory. */
  persistent: boolean;
}

export function dynamoState(stores: Stores, account: string, region: string): DynamoState {
  return stores.scope('dynamodb', account, region, (c) => ({
    tables: c.collection<TableRecord>('tables'),
    collections: c,
    runtimes: new Map<string, TableRuntime>(),
    txTokens: new Map(),
    backups: c.collection<BackupRecord>('backups'),
    history: new Map(),
    buckets: new Map(),
    persistent: stores.persistent,
  }));
}

export function tableArn(account: string, region: string, name: string): string {
  // Every call names its table's ARN for authorization: the last one is kept, so the same
  // string (already flat, compared by identity) serves the calls that follow.
  if (name !== arnOf.name || account !== arnOf.account || region !== arnOf.region) {
    arnOf = { account, region, name, arn: `arn:aws:dynamodb:${region}:${account}:table/${name}` };
  }
  return arnOf.arn;
}
let arnOf = { account: '', region: '', name: '', arn: '' };

export function hashKeyOf(schema: KeySchemaElement[]): string {
  return schema.find((k) => k.KeyType === 'HASH')!.AttributeName;
}

export function rangeKeyOf(schema: KeySchemaElement[]): string | undefined {
  return schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
}

/** The string naming an item's primary key (the collection key). */
export function primaryToken(t: TableRecord, item: Item): string {
  const h = item[hashKeyOf(t.keySchema)]!;
  const r = rangeKeyOf(t.keySchema);
  return r === undefined ? keyToken(h) : `${keyToken(h)}\u0000${keyToken(item[r]!)}`;
}

function typeOfAttr(t: TableRecord, name: string | undefined): string | undefined {
  return name === undefined ? undefined : t.attributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType;
}

function secondaryIndex(t: TableRecord, ix: IndexRecord): KeyIndex {
  const rangeKey = rangeKeyOf(ix.keySchema);
  return new KeyIndex({ hashKey: hashKeyOf(ix.keySchema), rangeKey, rangeType: typeOfAttr(t, rangeKey), tableKey: (item) => primaryToken(t, item) });
}

/** The table's items with their indexes, built on first use (from the data directory, if any). */
export function runtimeOf(state: DynamoState, t: TableRecord): TableRuntime {
  let rt = byRecord.get(t);
  if (rt !== undefined) return rt;
  const id = `${t.name}\u0000${t.generation}`;
  rt = state.runtimes.get(id);
  if (rt !== undefined) {
    byRecord.set(t, rt);
    return rt;
  }
  const rangeKey = rangeKeyOf(t.keySchema);
  rt = { primary: new KeyIndex({ hashKey: hashKeyOf(t.keySchema), rangeKey, rangeType: typeOfAttr(t, rangeKey) }), indexes: new Map(), bytes: 0 };
  for (const ix of [...t.lsis, ...t.gsis]) rt.indexes.set(ix.name, secondaryIndex(t, ix));
  if (state.persistent) {
    rt.durable = state.collections.collection<string | Item>(`items:${t.name}`);
    for (const stored of rt.durable.values()) {
      // Data directories written before items were encoded hold them as objects.
      const item = typeof stored === 'string' ? decodeItem(stored) : stored;
      putStored(rt, t, item, typeof stored === 'string' ? stored : encodeFor(t, item));
    }
  }
  state.runtimes.set(id, rt);
  byRecord.set(t, rt);
  return rt;
}

/** The runtime of a table record of any account × region (the hot path: no scope lookup). */
export function tableRuntime(stores: Stores, t: TableRecord): TableRuntime {
  return byRecord.get(t) ?? runtimeOf(dynamoState(stores, t.account, t.region), t);
}

/** Runtimes by table record object: the hot path finds its runtime without building ids. */
const byRecord = new WeakMap<TableRecord, TableRuntime>();

/** The stored form of an item of table `t`. */
export function encodeFor(t: TableRecord, item: Item, size = itemSize(item)): string {
  return encodeItem(item, rangeKeyOf(t.keySchema), size);
}

function putStored(rt: TableRuntime, t: TableRecord, item: Item, enc: string): void {
  // The table's own index replaces what was under the key in the same lookup.
  const prev = rt.primary.put(item, enc);
  if (prev !== undefined) rt.bytes -= encodedSize(prev);
  for (const ix of rt.indexes.values()) ix.put(item, enc);
  rt.bytes += encodedSize(enc);
}

/**
 * Stores an item. `old` is the item now under its key, if any; it is needed (decoded) only
 * to take it out of secondary indexes, whose keys may differ: the table's own index replaces
 * it in place.
 */
export function storeItem(rt: TableRuntime, t: TableRecord, token: string, old: Item | undefined, next: Item, size = itemSize(next)): void {
  if (old && rt.indexes.size) for (const ix of rt.indexes.values()) ix.remove(old);
  const enc = encodeFor(t, next, size);
  putStored(rt, t, next, enc);
  rt.durable?.set(token, enc);
}

/** Removes the item `old` (as stored now) under `token`. */
export function removeItem(rt: TableRuntime, token: string, old: Item): void {
  unindex(rt, old);
  rt.durable?.delete(token);
}

function unindex(rt: TableRuntime, old: Item): void {
  const enc = rt.primary.get(old);
  if (enc !== undefined) rt.bytes -= encodedSize(enc);
  rt.primary.remove(old);
  for (const ix of rt.indexes.values()) ix.remove(old);
}

/** The item stored under `key`, decoded (a fresh copy), with its size. */
export function getStored(rt: TableRuntime, key: Item): { item: Item; size: number } | undefined {
  const enc = rt.primary.get(key);
  return enc === undefined ? undefined : { item: decodeItem(enc), size: encodedSize(enc) };
}

/** Every item of the table, decoded, in scan order. */
export function* storedItems(rt: TableRuntime): IterableIterator<Item> {
  for (const enc of rt.primary.encoded()) yield decodeItem(enc);
}

/** Drops the runtime and the items of a deleted table. */
export function dropItems(state: DynamoState, t: TableRecord): void {
  const rt = runtimeOf(state, t);
  rt.durable?.clear();
  rt.primary.clear();
  for (const ix of rt.indexes.values()) ix.clear();
  byRecord.delete(t);
  state.runtimes.delete(`${t.name}\u0000${t.generation}`);
}

/** Adds an index to a live runtime, backfilling it from the table's items. */
export function addIndex(rt: TableRuntime, t: TableRecord, ix: IndexRecord): void {
  const k = secondaryIndex(t, ix);
  for (const enc of rt.primary.encoded()) k.put(decodeItem(enc), enc);
  rt.indexes.set(ix.name, k);
}

/** Makes the runtime's secondary indexes those of the table record (a replica's changed). */
export function syncIndexes(rt: TableRuntime, t: TableRecord): void {
  const names = new Set([...t.lsis, ...t.gsis].map((ix) => ix.name));
  for (const name of [...rt.indexes.keys()]) if (!names.has(name)) rt.indexes.delete(name);
  for (const ix of [...t.lsis, ...t.gsis]) if (!rt.indexes.has(ix.name)) addIndex(rt, t, ix);
}

/** The key attributes of an item (table keys only). */
export function keyOf(t: TableRecord, item: Item): Item {
  const out: Item = {};
  for (const k of t.keySchema) out[k.AttributeName] = item[k.AttributeName] as AttributeValue;
  return out;
}
