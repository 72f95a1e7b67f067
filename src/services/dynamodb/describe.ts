/**
 * TableDescription as DescribeTable, CreateTable, UpdateTable and DeleteTable answer it, with
 * live item counts and sizes (AWS refreshes them every six hours; exact is more useful here).
 */
import { encodedSize } from '../../engines/dynamodb/codec.js';
import type { ServiceContext } from '../types.js';
import { tableRuntime, type IndexRecord, type TableRecord } from './store.js';

function throughput(p: { read: number; write: number; decreasesToday?: number; lastIncreaseMs?: number; lastDecreaseMs?: number } | undefined) {
  return {
    NumberOfDecreasesToday: p?.decreasesToday ?? 0,
    ReadCapacityUnits: p?.read ?? 0,
    WriteCapacityUnits: p?.write ?? 0,
    ...(p?.lastIncreaseMs ? { LastIncreaseDateTime: new Date(p.lastIncreaseMs) } : {}),
    ...(p?.lastDecreaseMs ? { LastDecreaseDateTime: new Date(p.lastDecreaseMs) } : {}),
  };
}

function indexDescription(ctx: ServiceContext, t: TableRecord, ix: IndexRecord, global: boolean) {
  const rt = tableRuntime(ctx.stores, t);
  const k = rt.indexes.get(ix.name);
  let bytes = 0;
  if (k) for (const enc of k.encoded()) bytes += encodedSize(enc);
  return {
    IndexName: ix.name,
    KeySchema: ix.keySchema,
    Projection: ix.projection,
    IndexSizeBytes: bytes,
    ItemCount: k?.size ?? 0,
    IndexArn: `${t.arn}/index/${ix.name}`,
    ...(global ? {
      IndexStatus: ix.status ?? 'ACTIVE',
      ProvisionedThroughput: throughput(ix.provisioned),
      WarmThroughput: { ReadUnitsPerSecond: ix.provisioned?.read ?? 12000, WriteUnitsPerSecond: ix.provisioned?.write ?? 4000, Status: 'ACTIVE' },
    } : {}),
  };
}

/** The description of `t`; `status` overrides the status for the answer of a mutating call. */
export function describeTable(ctx: ServiceContext, t: TableRecord, status?: string): Record<string, unknown> {
  const rt = tableRuntime(ctx.stores, t);
  const onDemand = t.billingMode === 'PAY_PER_REQUEST';
  return {
    AttributeDefinitions: t.attributeDefinitions,
    TableName: t.name,
    KeySchema: t.keySchema,
    TableStatus: status ?? 'ACTIVE',
    CreationDateTime: new Date(t.createdMs),
    ProvisionedThroughput: throughput(t.provisioned),
    TableSizeBytes: rt.bytes,
    ItemCount: rt.primary.size,
    TableArn: t.arn,
    TableId: t.id,
    ...(onDemand ? { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date(t.createdMs) } } : {}),
    ...(t.lsis.length ? { LocalSecondaryIndexes: t.lsis.map((ix) => indexDescription(ctx, t, ix, false)) } : {}),
    ...(t.gsis.length ? { GlobalSecondaryIndexes: t.gsis.map((ix) => indexDescription(ctx, t, ix, true)) } : {}),
    ...(t.stream?.enabled ? { StreamSpecification: { StreamEnabled: true, StreamViewType: t.stream.viewType } } : {}),
    ...(t.stream?.label ? { LatestStreamLabel: t.stream.label, LatestStreamArn: t.stream.arn } : {}),
    ...(t.replicas.length ? {
      GlobalTableVersion: '2019.11.21',
      Replicas: t.replicas.filter((r) => r.region !== t.region).map((r) => ({ RegionName: r.region, ReplicaStatus: r.status })),
    } : {}),
    ...(t.sse?.enabled ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: t.sse.kmsKeyArn } } : {}),
    ...(t.tableClass !== 'STANDARD' ? { TableClassSummary: { TableClass: t.tableClass } } : {}),
    DeletionProtectionEnabled: t.deletionProtection,
    WarmThroughput: { ReadUnitsPerSecond: t.provisioned?.read ?? 12000, WriteUnitsPerSecond: t.provisioned?.write ?? 4000, Status: 'ACTIVE' },
  };
}
