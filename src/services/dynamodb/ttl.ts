/**
 * Time to Live: UpdateTimeToLive / DescribeTimeToLive, and the sweeper that deletes expired
 * items on the clock. Deletions by TTL carry the TTL service's identity on their stream
 * records, as AWS marks them. AWS ignores TTL values more than five years in the past.
 */
import { compareNumberText, type Item } from '../../engines/dynamodb/index.js';
import type { Handler, ServiceHost } from '../types.js';
import { requireTable, stateOf } from './context.js';
import { constraint, validation } from './errors.js';
import { dynamoState, primaryToken, runtimeOf, storedItems } from './store.js';
import { commit } from './writes.js';

/** How often the sweeper looks for expired items (AWS: typically within a few days; here, soon). */
const SWEEP_MS = 30_000;
const FIVE_YEARS_S = 5 * 365 * 24 * 3600;
const TTL_IDENTITY = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' };

export const updateTimeToLive: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName'], true);
  const spec = input['TimeToLiveSpecification'] as { Enabled?: boolean; AttributeName?: string } | undefined;
  if (!spec) throw constraint(undefined, 'timeToLiveSpecification', 'not be null');
  const name = spec.AttributeName ?? '';
  if (name.length < 1) throw constraint(name, 'timeToLiveSpecification.attributeName', 'have length greater than or equal to 1');
  if (spec.Enabled && t.ttl?.enabled) throw validation('TimeToLive is already enabled');
  if (!spec.Enabled && !t.ttl?.enabled) throw validation('TimeToLive is already disabled');
  if (!spec.Enabled && t.ttl && t.ttl.attribute !== name) throw validation('TimeToLive is active on a different AttributeName: current AttributeName is ' + t.ttl.attribute);
  t.ttl = { attribute: name, enabled: spec.Enabled === true };
  stateOf(ctx).tables.set(t.name, t);
  return { TimeToLiveSpecification: { Enabled: spec.Enabled === true, AttributeName: name } };
};

export const describeTimeToLive: Handler = (input, ctx) => {
  const t = requireTable(ctx, input['TableName'], true);
  const d = t.ttl?.enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: t.ttl.attribute } : { TimeToLiveStatus: 'DISABLED' };
  return { TimeToLiveDescription: d };
};

function expired(item: Item, attribute: string, nowS: string, floorS: string): boolean {
  const v = item[attribute]?.N;
  return v !== undefined && compareNumberText(v, nowS) <= 0 && compareNumberText(v, floorS) >= 0;
}

/** Deletes expired items of every table with TTL enabled. */
export function sweepExpired(host: ServiceHost): number {
  const nowS = Math.floor(host.clock.nowMs() / 1000);
  let n = 0;
  for (const { account, region } of host.stores.accountsRegions('dynamodb')) {
    const state = dynamoState(host.stores, account, region);
    for (const t of state.tables.values()) {
      if (!t.ttl?.enabled) continue;
      const rt = runtimeOf(state, t);
      const doomed = [...storedItems(rt)].filter((item) => expired(item, t.ttl!.attribute, String(nowS), String(nowS - FIVE_YEARS_S)));
      for (const item of doomed) {
        commit(host, { table: t, token: primaryToken(t, item), old: item }, { userIdentity: TTL_IDENTITY });
        n++;
      }
    }
  }
  return n;
}

export function installTtl(host: ServiceHost): void {
  host.clock.setRepeating(() => sweepExpired(host), SWEEP_MS);
}
