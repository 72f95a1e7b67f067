/**
 * On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
 * RestoreTableFromBackup) and point-in-time recovery (RestoreTableToPointInTime to any
 * second between enabling PITR and five minutes ago, as AWS allows). Restored tables keep
 * the source's keys, indexes and billing unless overridden; they start without a stream.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import { cloneItem, itemSize, type Item } from '../../engines/dynamodb/index.js';
import type { Handler, ServiceContext } from '../types.js';
import { stateOf, tableNameOf } from './context.js';
import { describeTable } from './describe.js';
import { checkTableName, checkThroughput } from './table-validate.js';
import { primaryToken, runtimeOf, storedItems, tableArn, type BackupRecord, type TableRecord } from './store.js';
import { commit } from './writes.js';

const LATEST_LAG_MS = 5 * 60 * 1000;

function tableOr(ctx: ServiceContext, name: unknown, code = 'TableNotFoundException'): TableRecord {
  const n = tableNameOf(name);
  const t = stateOf(ctx).tables.get(n);
  if (!t) throw new AwsError(code, `Table not found: ${n}`, 400);
  return t;
}

function details(b: BackupRecord, status = 'AVAILABLE') {
  return { BackupArn: b.arn, BackupName: b.name, BackupSizeBytes: b.bytes, BackupStatus: status, BackupType: 'USER', BackupCreationDateTime: new Date(b.createdMs) };
}

function backupOf(ctx: ServiceContext, arn: unknown): BackupRecord {
  const b = typeof arn === 'string' ? stateOf(ctx).backups.get(arn) : undefined;
  if (!b) throw new AwsError('BackupNotFoundException', `Backup not found: ${String(arn)}`, 400);
  return b;
}

function description(b: BackupRecord, status?: string) {
  const t = b.table;
  return {
    BackupDetails: details(b, status),
    SourceTableDetails: {
      TableName: t.name, TableId: t.id, TableArn: t.arn, TableSizeBytes: b.bytes, KeySchema: t.keySchema, ItemCount: b.items.length,
      TableCreationDateTime: new Date(t.createdMs), BillingMode: t.billingMode,
      ProvisionedThroughput: { ReadCapacityUnits: t.provisioned?.read ?? 0, WriteCapacityUnits: t.provisioned?.write ?? 0 },
    },
    SourceTableFeatureDetails: {
      ...(t.lsis.length ? { LocalSecondaryIndexes: t.lsis.map((i) => ({ IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection })) } : {}),
      ...(t.gsis.length ? { GlobalSecondaryIndexes: t.gsis.map((i) => ({ IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection })) } : {}),
    },
  };
}

export const createBackup: Handler = (input, ctx) => {
  const t = tableOr(ctx, input['TableName']);
  const name = checkTableName(input['BackupName'], 'backupName');
  const now = ctx.clock.nowMs();
  const items = [...storedItems(runtimeOf(stateOf(ctx), t))];
  const b: BackupRecord = {
    arn: `${t.arn}/backup/${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`, name, createdMs: now,
    table: structuredClone(t), items, bytes: items.reduce((n, i) => n + itemSize(i), 0),
  };
  stateOf(ctx).backups.set(b.arn, b);
  return { BackupDetails: details(b) };
};

export const describeBackup: Handler = (input, ctx) => ({ BackupDescription: description(backupOf(ctx, input['BackupArn'])) });

export const deleteBackup: Handler = (input, ctx) => {
  const b = backupOf(ctx, input['BackupArn']);
  stateOf(ctx).backups.delete(b.arn);
  return { BackupDescription: description(b, 'DELETED') };
};

export const listBackups: Handler = (input, ctx) => {
  const table = input['TableName'] === undefined ? undefined : tableNameOf(input['TableName']);
  const lo = (input['TimeRangeLowerBound'] as Date | undefined)?.getTime() ?? -Infinity;
  const hi = (input['TimeRangeUpperBound'] as Date | undefined)?.getTime() ?? Infinity;
  const start = input['ExclusiveStartBackupArn'] as string | undefined;
  const limit = (input['Limit'] as number | undefined) ?? 100;
  const type = (input['BackupType'] as string | undefined) ?? 'USER';
  const all = [...stateOf(ctx).backups.values()]
    .filter((b) => (table === undefined || b.table.name === table) && b.createdMs >= lo && b.createdMs < hi && (type === 'USER' || type === 'ALL'))
    .sort((a, b) => a.createdMs - b.createdMs || (a.arn < b.arn ? -1 : 1));
  const from = start ? all.findIndex((b) => b.arn === start) + 1 : 0;
  const page = all.slice(from, from + limit);
  return {
    BackupSummaries: page.map((b) => ({ TableName: b.table.name, TableId: b.table.id, TableArn: b.table.arn, ...details(b) })),
    ...(from + limit < all.length ? { LastEvaluatedBackupArn: page[page.length - 1]!.arn } : {}),
  };
};

/** Makes `target` from a source table's definition and items. */
function restore(ctx: ServiceContext, input: Record<string, unknown>, source: TableRecord, items: Iterable<Item>, summary: Record<string, unknown>) {
  const name = checkTableName(input['TargetTableName'], 'targetTableName');
  const state = stateOf(ctx);
  if (state.tables.has(name)) throw new AwsError('TableAlreadyExistsException', `Table already exists: ${name}`, 400);
  const mode = (input['BillingModeOverride'] as TableRecord['billingMode'] | undefined) ?? source.billingMode;
  const pt = input['ProvisionedThroughputOverride'] as never ?? (mode === 'PROVISIONED' && source.provisioned
    ? { ReadCapacityUnits: source.provisioned.read, WriteCapacityUnits: source.provisioned.write } : undefined);
  const provisioned = checkThroughput(mode, pt, 'provisionedThroughputOverride');
  const now = ctx.clock.nowMs();
  const t: TableRecord = {
    ...structuredClone(source), name, account: ctx.account, region: ctx.region, arn: tableArn(ctx.account, ctx.region, name), id: randomUUID(),
    createdMs: now, generation: now, billingMode: mode, provisioned: provisioned && { ...provisioned, decreasesToday: 0 },
    stream: undefined, replicas: [], pitr: false, deletionProtection: false, tags: {}, ttl: undefined,
  };
  state.tables.set(name, t);
  for (const item of items) commit(ctx, { table: t, token: primaryToken(t, item), next: cloneItem(item) }, { replicated: true });
  return { TableDescription: { ...describeTable(ctx, t, 'CREATING'), RestoreSummary: { ...summary, RestoreDateTime: new Date(now), RestoreInProgress: false } } };
}

export const restoreTableFromBackup: Handler = (input, ctx) => {
  const b = backupOf(ctx, input['BackupArn']);
  return restore(ctx, input, b.table, b.items, { SourceBackupArn: b.arn, SourceTableArn: b.table.arn });
};

/** Starts (or stops) keeping the history a point-in-time restore replays. */
export function setPitr(ctx: ServiceContext, t: TableRecord, on: boolean): void {
  const state = stateOf(ctx);
  const id = `${t.name}\u0000${t.generation}`;
  if (on && !state.history.has(id)) {
    const base = new Map([...storedItems(runtimeOf(state, t))].map((item) => [primaryToken(t, item), item]));
    state.history.set(id, { sinceMs: ctx.clock.nowMs(), base, log: [] });
  }
  if (!on) state.history.delete(id);
  t.pitr = on;
}

/** The window AWS allows: from enabling to five minutes ago. */
export function restorableWindow(ctx: ServiceContext, t: TableRecord): { earliest: number; latest: number } | undefined {
  const h = stateOf(ctx).history.get(`${t.name}\u0000${t.generation}`);
  if (!t.pitr || !h) return undefined;
  return { earliest: h.sinceMs, latest: Math.max(h.sinceMs, ctx.clock.nowMs() - LATEST_LAG_MS) };
}

export const restoreTableToPointInTime: Handler = (input, ctx) => {
  const source = tableOr(ctx, input['SourceTableName'] ?? input['SourceTableArn'], 'SourceTableNotFoundException');
  const window = restorableWindow(ctx, source);
  if (!window) throw new AwsError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${source.name}'`, 400);
  const at = input['UseLatestRestorableTime'] === true ? window.latest : (input['RestoreDateTime'] as Date | undefined)?.getTime();
  if (at === undefined) throw new AwsError('ValidationException', 'Either RestoreDateTime or UseLatestRestorableTime must be specified', 400);
  if (at < window.earliest || at > window.latest) {
    throw new AwsError('InvalidRestoreTimeException', `Restore time ${new Date(at).toISOString()} is outside the restorable window ${new Date(window.earliest).toISOString()} - ${new Date(window.latest).toISOString()}`, 400);
  }
  const h = stateOf(ctx).history.get(`${source.name}\u0000${source.generation}`)!;
  const items = new Map(h.base);
  for (const e of h.log) {
    if (e.ms > at) break;
    if (e.item) items.set(e.token, e.item);
    else items.delete(e.token);
  }
  return restore(ctx, input, source, items.values(), { SourceTableArn: source.arn });
};
