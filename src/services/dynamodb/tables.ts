/**
 * Table lifecycle: CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables. Tables
 * answer CREATING from CreateTable and are ACTIVE (usable) right after, as a fast AWS would.
 */
import { randomUUID } from 'node:crypto';
import type { Handler, ServiceContext } from '../types.js';
import { requireTable, stateOf } from './context.js';
import { describeTable } from './describe.js';
import { constraint, resourceInUse, resourceNotFound, validation } from './errors.js';
import { checkedPolicy } from './policies.js';
import { updateReplicas } from './replication.js';
import { addIndex, dropItems, dynamoState, runtimeOf, syncIndexes, tableArn, type AttributeDefinition, type KeySchemaElement, type TableRecord } from './store.js';
import { disableStream, enableStream } from './stream-publish.js';
import {
  checkDefinitions, checkGsis, checkKeySchema, checkLsis, checkStreamSpec, checkTableName, checkThroughput, checkUniqueIndexNames,
} from './table-validate.js';
import { checkTags } from './tags.js';

/** Tables per account and region (AWS's default quota). */
const MAX_TABLES = 2500;

export const createTable: Handler = (input, ctx) => {
  const name = checkTableName(input['TableName']);
  const mode = (input['BillingMode'] as string | undefined) ?? 'PROVISIONED';
  const keySchema = checkKeySchema(input['KeySchema'] as KeySchemaElement[] | undefined, 'keySchema');
  const defs = input['AttributeDefinitions'] as AttributeDefinition[] | undefined;
  if (!defs) throw constraint(undefined, 'attributeDefinitions', 'not be null');
  const provisioned = checkThroughput(mode, input['ProvisionedThroughput'] as never, 'provisionedThroughput');
  const lsis = checkLsis(input['LocalSecondaryIndexes'] as never, keySchema);
  const gsis = checkGsis(input['GlobalSecondaryIndexes'] as never, mode);
  checkUniqueIndexNames([...lsis, ...gsis]);
  checkDefinitions(defs, [keySchema, ...lsis.map((i) => i.keySchema), ...gsis.map((i) => i.keySchema)]);
  const stream = checkStreamSpec(input['StreamSpecification'] as never);
  const tags = checkTags(input['Tags'] as never);
  const policy = typeof input['ResourcePolicy'] === 'string' ? checkedPolicy(ctx, input['ResourcePolicy']) : undefined;
  const state = stateOf(ctx);
  if (state.tables.has(name)) throw resourceInUse(`Table already exists: ${name}`);
  if (state.tables.size >= MAX_TABLES) throw validation(`Subscriber limit exceeded: You have exceeded the maximum number of tables (${MAX_TABLES}) for this account and region`);
  const sse = input['SSESpecification'] as { Enabled?: boolean; KMSMasterKeyId?: string } | undefined;
  const t: TableRecord = {
    name, account: ctx.account, region: ctx.region, arn: tableArn(ctx.account, ctx.region, name), id: randomUUID(),
    createdMs: ctx.clock.nowMs(), keySchema, attributeDefinitions: defs, billingMode: mode as TableRecord['billingMode'],
    provisioned: provisioned ? { ...provisioned, decreasesToday: 0 } : undefined, lsis, gsis,
    tableClass: (input['TableClass'] as string | undefined) ?? 'STANDARD',
    deletionProtection: input['DeletionProtectionEnabled'] === true, tags,
    sse: sse?.Enabled ? { enabled: true, kmsKeyArn: sse.KMSMasterKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.account}:key/dynamodb-managed` } : undefined,
    pitr: false, replicas: [], generation: ctx.clock.nowMs(), policy,
  };
  if (stream?.enabled) enableStream(ctx, t, stream.viewType!);
  state.tables.set(name, t);
  return { TableDescription: describeTable(ctx, t, 'CREATING') };
};

export const describeTableHandler: Handler = (input, ctx) => ({ Table: describeTable(ctx, requireTable(ctx, input['TableName'], true)) });

export const deleteTable: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName'], true);
  if (t.deletionProtection) {
    throw validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
  }
  const out = describeTable(ctx, t, 'DELETING');
  const state = stateOf(ctx);
  if (t.stream?.enabled) disableStream(ctx, t);
  dropItems(state, t);
  state.tables.delete(t.name);
  return { TableDescription: out };
};

export const listTables: Handler = (input, ctx) => {
  const limit = (input['Limit'] as number | undefined) ?? 100;
  if (limit < 1) throw constraint(limit, 'limit', 'have value greater than or equal to 1');
  if (limit > 100) throw constraint(limit, 'limit', 'have value less than or equal to 100');
  const start = input['ExclusiveStartTableName'] as string | undefined;
  const names = [...stateOf(ctx).tables.keys()].sort().filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  return { TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}) };
};

export const updateTable: Handler = async (input, ctx) => {
  const t = requireTable(ctx, input['TableName'], true);
  const state = stateOf(ctx);
  const known = ['ProvisionedThroughput', 'BillingMode', 'StreamSpecification', 'GlobalSecondaryIndexUpdates', 'SSESpecification',
    'ReplicaUpdates', 'TableClass', 'DeletionProtectionEnabled', 'OnDemandThroughput', 'WarmThroughput'];
  if (!known.some((k) => input[k] !== undefined)) {
    throw validation('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  if (input['AttributeDefinitions']) mergeDefinitions(t, input['AttributeDefinitions'] as AttributeDefinition[]);
  if (input['BillingMode'] !== undefined) t.billingMode = input['BillingMode'] as TableRecord['billingMode'];
  if (input['ProvisionedThroughput'] !== undefined || input['BillingMode'] === 'PROVISIONED') {
    const p = checkThroughput(t.billingMode, input['ProvisionedThroughput'] as never, 'provisionedThroughput');
    updateThroughput(ctx, t, p);
  } else if (t.billingMode === 'PAY_PER_REQUEST') t.provisioned = undefined;
  if (input['DeletionProtectionEnabled'] !== undefined) t.deletionProtection = input['DeletionProtectionEnabled'] === true;
  if (input['TableClass'] !== undefined) t.tableClass = input['TableClass'] as string;
  const stream = checkStreamSpec(input['StreamSpecification'] as never);
  if (stream) {
    if (stream.enabled && t.stream?.enabled) throw validation(`Table already has an enabled stream: TableName: ${t.name}`);
    if (!stream.enabled && !t.stream?.enabled) throw validation(`Table already has no enabled stream: TableName: ${t.name}`);
    if (stream.enabled) enableStream(ctx, t, stream.viewType!);
    else disableStream(ctx, t);
  }
  const gsiUpdates = (input['GlobalSecondaryIndexUpdates'] as Record<string, Record<string, unknown>>[] | undefined) ?? [];
  for (const u of gsiUpdates) gsiUpdate(ctx, t, u);
  state.tables.set(t.name, t);
  if (gsiUpdates.length) propagateIndexes(ctx, t);
  if (input['ReplicaUpdates']) await updateReplicas(ctx, t, input['ReplicaUpdates'] as never);
  return { TableDescription: describeTable(ctx, t, 'UPDATING') };
};

function mergeDefinitions(t: TableRecord, defs: AttributeDefinition[]): void {
  for (const d of defs) {
    const old = t.attributeDefinitions.find((x) => x.AttributeName === d.AttributeName);
    if (old && old.AttributeType !== d.AttributeType) {
      throw validation(`One or more parameter values were invalid: Cannot change the type of an existing attribute: ${d.AttributeName}`);
    }
    if (!old) t.attributeDefinitions.push(d);
  }
}

function updateThroughput(ctx: ServiceContext, t: TableRecord, p: { read: number; write: number } | undefined): void {
  if (!p) return;
  const old = t.provisioned;
  const now = ctx.clock.nowMs();
  if (old && old.read === p.read && old.write === p.write) {
    throw validation(`The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${old.read}. Requested ReadCapacityUnits: ${p.read}. Current WriteCapacityUnits provisioned for the table: ${old.write}. Requested WriteCapacityUnits: ${p.write}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`);
  }
  const decrease = old !== undefined && (p.read < old.read || p.write < old.write);
  t.provisioned = {
    ...p, decreasesToday: (old?.decreasesToday ?? 0) + (decrease ? 1 : 0),
    lastIncreaseMs: decrease ? old?.lastIncreaseMs : now, lastDecreaseMs: decrease ? now : old?.lastDecreaseMs,
  };
}

function gsiUpdate(ctx: ServiceContext, t: TableRecord, u: Record<string, Record<string, unknown>>): void {
  const state = stateOf(ctx);
  if (u['Create']) {
    const [ix] = checkGsis([u['Create'] as never], t.billingMode, 'globalSecondaryIndexUpdates');
    if ([...t.gsis, ...t.lsis].some((x) => x.name === ix!.name)) {
      throw validation(`One or more parameter values were invalid: Index already exists: ${ix!.name}`);
    }
    const defs = new Set(t.attributeDefinitions.map((d) => d.AttributeName));
    const missing = ix!.keySchema.filter((k) => !defs.has(k.AttributeName)).map((k) => k.AttributeName);
    if (missing.length) {
      throw validation(`One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${[...defs].join(', ')}]`);
    }
    t.gsis.push(ix!);
    // The backfill is done before the call returns, so the index is queryable at once.
    addIndex(runtimeOf(state, t), t, ix!);
  } else if (u['Delete']) {
    const name = u['Delete']['IndexName'] as string;
    if (!t.gsis.some((x) => x.name === name)) throw resourceNotFound(`Requested resource not found: Index: ${name} not found`);
    t.gsis = t.gsis.filter((x) => x.name !== name);
    runtimeOf(state, t).indexes.delete(name);
  } else if (u['Update']) {
    const name = u['Update']['IndexName'] as string;
    const ix = t.gsis.find((x) => x.name === name);
    if (!ix) throw validation(`One or more parameter values were invalid: Index not found: ${name}`);
    const p = checkThroughput(t.billingMode, u['Update']['ProvisionedThroughput'] as never, 'provisionedThroughput', name);
    if (p) ix.provisioned = p;
  }
}

/** A global table's replicas share its secondary indexes: each replica rebuilds its own. */
function propagateIndexes(ctx: ServiceContext, t: TableRecord): void {
  for (const r of t.replicas) {
    if (r.region === t.region) continue;
    const s = dynamoState(ctx.stores, ctx.account, r.region);
    const rec = s.tables.get(t.name);
    if (!rec) continue;
    rec.gsis = structuredClone(t.gsis);
    rec.attributeDefinitions = structuredClone(t.attributeDefinitions);
    s.tables.set(rec.name, rec);
    syncIndexes(runtimeOf(s, rec), rec);
  }
}
