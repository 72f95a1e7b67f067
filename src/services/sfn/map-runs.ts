/**
 * Map runs of Distributed Map states: created when the state starts, counted as its child
 * workflows finish, read by DescribeMapRun / ListMapRuns and tuned by UpdateMapRun.
 */
import type { MapRunHost } from '../../engines/states/types.js';
import { randomUUID } from 'node:crypto';
import type { Handler, ServiceHost } from '../types.js';
import { resourceNotFound, validation } from './errors.js';
import { sfnState, type MapRunRecord } from './store.js';
import { checkArn, page } from './validate.js';

export function mapRunHost(host: ServiceHost, account: string, region: string, executionArn: string): MapRunHost {
  const state = () => sfnState(host.stores, account, region);
  return {
    start(stateName, label, config) {
      // arn:aws:states:<region>:<account>:mapRun:<machine>/<label or state name>:<id>
      const parts = executionArn.split(':');
      const machine = parts[6]!;
      const arn = `arn:aws:states:${region}:${account}:mapRun:${machine}/${label ?? stateName}:${randomUUID()}`;
      const rec: MapRunRecord = {
        arn, executionArn, status: 'RUNNING', startDate: host.clock.nowMs(), ...config,
        counts: { pending: 0, running: 0, succeeded: 0, failed: 0, total: 0 },
      };
      state().mapRuns.set(arn, rec);
      return arn;
    },
    update(arn, counts) {
      const rec = state().mapRuns.get(arn);
      if (rec) { rec.counts = counts; state().mapRuns.set(arn, rec); }
    },
    finish(arn, status) {
      const rec = state().mapRuns.get(arn);
      if (rec) { rec.status = status; rec.stopDate = host.clock.nowMs(); state().mapRuns.set(arn, rec); }
    },
  };
}

function find(ctxStores: Parameters<typeof sfnState>[0], arn: unknown): MapRunRecord {
  const p = checkArn(arn, ['mapRun']);
  const rec = sfnState(ctxStores, p.account, p.region).mapRuns.get(String(arn));
  if (!rec) throw resourceNotFound(`Resource not found: '${String(arn)}'`);
  return rec;
}

function counts(r: MapRunRecord): Record<string, number> {
  return { ...r.counts, timedOut: 0, aborted: r.status === 'ABORTED' ? r.counts.pending : 0, resultsWritten: r.counts.succeeded + r.counts.failed, failuresNotRedrivable: 0, pendingRedrive: 0 };
}

export const describeMapRun: Handler = (input, ctx) => {
  const r = find(ctx.stores, input['mapRunArn']);
  const out: Record<string, unknown> = {
    mapRunArn: r.arn, executionArn: r.executionArn, status: r.status, startDate: new Date(r.startDate), maxConcurrency: r.maxConcurrency,
    toleratedFailurePercentage: r.toleratedFailurePercentage, toleratedFailureCount: r.toleratedFailureCount,
    itemCounts: counts(r), executionCounts: counts(r), redriveCount: 0,
  };
  if (r.stopDate !== undefined) out['stopDate'] = new Date(r.stopDate);
  return out;
};

export const listMapRuns: Handler = (input, ctx) => {
  const p = checkArn(input['executionArn'], ['execution']);
  const all = [...sfnState(ctx.stores, p.account, p.region).mapRuns.values()].filter((r) => r.executionArn === input['executionArn']);
  const { items, nextToken } = page(all, input);
  return {
    mapRuns: items.map((r) => ({ executionArn: r.executionArn, mapRunArn: r.arn, stateMachineArn: r.executionArn.replace(':execution:', ':stateMachine:').split(':').slice(0, 7).join(':'), startDate: new Date(r.startDate), ...(r.stopDate ? { stopDate: new Date(r.stopDate) } : {}) })),
    ...(nextToken ? { nextToken } : {}),
  };
};

export const updateMapRun: Handler = (input, ctx) => {
  const r = find(ctx.stores, input['mapRunArn']);
  if (input['maxConcurrency'] === undefined && input['toleratedFailurePercentage'] === undefined && input['toleratedFailureCount'] === undefined) {
    throw validation(['at least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be set']);
  }
  if (typeof input['maxConcurrency'] === 'number') r.maxConcurrency = input['maxConcurrency'];
  if (typeof input['toleratedFailurePercentage'] === 'number') r.toleratedFailurePercentage = input['toleratedFailurePercentage'];
  if (typeof input['toleratedFailureCount'] === 'number') r.toleratedFailureCount = input['toleratedFailureCount'];
  const p = checkArn(r.arn, ['mapRun']);
  sfnState(ctx.stores, p.account, p.region).mapRuns.set(r.arn, r);
  return {};
};
