/**
 * Routing an accepted event: archives on its bus keep a copy (replays excepted), the bus's
 * enabled rules whose patterns match (one pass over all of them, see PatternSet) hand it to
 * each of their targets. Events on a bus that does not exist are dropped, as AWS drops them.
 */
import type { Stores } from '../../core/store.js';
import { archiveEvent } from './archives.js';
import { dispatch } from './deliver.js';
import { hostFor } from './host.js';
import { busArn, eventsState, matcherOf, ruleKey, type EventEnvelope, type ReplayRecord } from './store.js';

/** AWS's `time`: ISO-8601 to the second. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface BusRef { account: string; region: string; name: string }

/** How far an event may travel from bus to bus before it is dropped (loops end here). */
const MAX_HOPS = 5;

export interface RouteOptions {
  replay?: ReplayRecord;
  hops?: number;
}

/** Routes one event on a bus; resolves when every target had its first delivery attempt. */
export async function route(env: { stores: Stores }, bus: BusRef, event: EventEnvelope, ingestedMs: number, opts: RouteOptions = {}): Promise<void> {
  const host = hostFor(env.stores);
  const s = eventsState(host.stores, bus.account, bus.region, ingestedMs);
  if (!s.buses.has(bus.name) || (opts.hops ?? 0) > MAX_HOPS) return;
  if (!opts.replay) archiveEvent(s, busArn(bus.account, bus.region, bus.name), event, ingestedMs);
  const filter = opts.replay?.destination.FilterArns;
  for (const name of matcherOf(s, bus.name).match(event)) {
    const rule = s.rules.get(ruleKey(bus.name, name));
    if (!rule || rule.state === 'DISABLED') continue;
    if (filter?.length && !filter.includes(rule.arn)) continue;
    for (const target of rule.targets) {
      await dispatch(host, { account: s.account, region: s.region, rule, target, event, ingestedMs, hops: opts.hops ?? 0 });
    }
  }
}
