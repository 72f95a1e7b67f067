/**
 * Account-level and backup-related answers: DescribeEndpoints, DescribeLimits, and the
 * continuous backups settings (point-in-time recovery window).
 */
import type { Handler, ServiceContext } from '../types.js';
import { restorableWindow, setPitr } from './backups.js';
import type { TableRecord } from './store.js';
import { requireTable, stateOf } from './context.js';
import { constraint } from './errors.js';

export const describeEndpoints: Handler = (_input, ctx) => ({
  Endpoints: [{ Address: new URL(ctx.endpoint).host, CachePeriodInMinutes: 1440 }],
});

export const describeLimits: Handler = () => ({
  AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000,
  TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000,
});

function continuous(ctx: ServiceContext, t: TableRecord) {
  const w = restorableWindow(ctx, t);
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: w
      ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35, EarliestRestorableDateTime: new Date(w.earliest), LatestRestorableDateTime: new Date(w.latest) }
      : { PointInTimeRecoveryStatus: 'DISABLED' },
  };
}

export const describeContinuousBackups: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName'], true);
  return { ContinuousBackupsDescription: continuous(ctx, t) };
};

export const updateContinuousBackups: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName'], true);
  const spec = input['PointInTimeRecoverySpecification'] as { PointInTimeRecoveryEnabled?: boolean } | undefined;
  if (!spec) throw constraint(undefined, 'pointInTimeRecoverySpecification', 'not be null');
  setPitr(ctx, t, spec.PointInTimeRecoveryEnabled === true);
  stateOf(ctx).tables.set(t.name, t);
  return { ContinuousBackupsDescription: continuous(ctx, t) };
};
