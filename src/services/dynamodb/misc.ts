/**
 * Account-level and backup-related answers: DescribeEndpoints, DescribeLimits, and the
 * continuous backups settings (point-in-time recovery flag).
 */
import type { Handler } from '../types.js';
import { requireTable, stateOf } from './context.js';
import { constraint } from './errors.js';

export const describeEndpoints: Handler = (_input, ctx) => ({
  Endpoints: [{ Address: new URL(ctx.endpoint).host, CachePeriodInMinutes: 1440 }],
});

export const describeLimits: Handler = () => ({
  AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000,
  TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000,
});

function continuous(pitr: boolean, nowMs: number) {
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: pitr
      ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35, EarliestRestorableDateTime: new Date(nowMs - 35 * 86400_000), LatestRestorableDateTime: new Date(nowMs - 5 * 60_000) }
      : { PointInTimeRecoveryStatus: 'DISABLED' },
  };
}

export const describeContinuousBackups: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName'], true);
  return { ContinuousBackupsDescription: continuous(t.pitr, ctx.clock.nowMs()) };
};

export const updateContinuousBackups: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName'], true);
  const spec = input['PointInTimeRecoverySpecification'] as { PointInTimeRecoveryEnabled?: boolean } | undefined;
  if (!spec) throw constraint(undefined, 'pointInTimeRecoverySpecification', 'not be null');
  t.pitr = spec.PointInTimeRecoveryEnabled === true;
  stateOf(ctx).tables.set(t.name, t);
  return { ContinuousBackupsDescription: continuous(t.pitr, ctx.clock.nowMs()) };
};
