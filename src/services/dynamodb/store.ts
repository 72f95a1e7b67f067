/**
 * DynamoDB state of one account × region: table records and their items. Items are kept in
 * one collection per table (so a data directory keeps them) and indexed in memory by
 * {@link KeyIndex} for the table and each secondary index, rebuilt from the collection on
 * first use after a restart.
 */
import type { Collection, Collections, Stores } from '../../core/store.js';
import { KeyIndex } from '../../engines/dynamodb/key-index.js';
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

/** The in-memory indexes of one table's items. */
export interface TableRuntime {
  items: Collection<Item>;
  primary: KeyIndex;
  indexes: Map<string, KeyIndex>;
  bytes: number;
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
  }));
}

export function tableArn(account: string, region: string, name: string): string {
  return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
}

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

/** The table's items with their indexes, built on first use. */
export function runtimeOf(state: DynamoState, t: TableRecord): TableRuntime {
  const id = `${t.name}\u0000${t.generation}`;
  let rt = state.runtimes.get(id);
  if (rt !== undefined) return rt;
  const items = state.collections.collection<Item>(`items:${t.name}`);
  const tokenOf = (item: Item) => primaryToken(t, item);
  rt = { items, primary: new KeyIndex(hashKeyOf(t.keySchema), rangeKeyOf(t.keySchema), tokenOf), indexes: new Map(), bytes: 0 };
  for (const ix of [...t.lsis, ...t.gsis]) rt.indexes.set(ix.name, new KeyIndex(hashKeyOf(ix.keySchema), rangeKeyOf(ix.keySchema), tokenOf));
  for (const item of items.values()) {
    addToIndexes(rt, item);
    rt.bytes += itemSize(item);
  }
  state.runtimes.set(id, rt);
  return rt;
}

function addToIndexes(rt: TableRuntime, item: Item): void {
  rt.primary.put(item);
  for (const ix of rt.indexes.values()) ix.put(item);
}

/** Drops the runtime and the items of a deleted table. */
export function dropItems(state: DynamoState, t: TableRecord): void {
  runtimeOf(state, t).items.clear();
  state.runtimes.delete(`${t.name}\u0000${t.generation}`);
}

/** Adds an index to a live runtime, backfilling it from the table's items. */
export function addIndex(rt: TableRuntime, t: TableRecord, ix: IndexRecord): void {
  const k = new KeyIndex(hashKeyOf(ix.keySchema), rangeKeyOf(ix.keySchema), (item) => primaryToken(t, item));
  for (const item of rt.items.values()) k.put(item);
  rt.indexes.set(ix.name, k);
}

/** The key attributes of an item (table keys only). */
export function keyOf(t: TableRecord, item: Item): Item {
  const out: Item = {};
  for (const k of t.keySchema) out[k.AttributeName] = item[k.AttributeName] as AttributeValue;
  return out;
}
