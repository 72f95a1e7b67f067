/**
 * Scheduled rules fire on the clock: each enabled rule with a ScheduleExpression keeps one
 * timer for its next fire time (rates count from the rule's creation, cron in UTC), and each
 * firing hands a `Scheduled Event` from `aws.events` to the rule's targets.
 */
import { randomUUID } from 'node:crypto';
import type { TimerId } from '../../core/clock.js';
import type { Stores } from '../../core/store.js';
import { nextFire, parseSchedule } from '../../engines/cron/index.js';
import type { ServiceHost } from '../types.js';
import { dispatch } from './deliver.js';
import { hostFor } from './host.js';
import { eventTime } from './router.js';
import { eventsState, ruleKey, type EventEnvelope, type EventsState, type RuleRecord } from './store.js';

const timers = new WeakMap<Stores, Map<string, TimerId>>();

function timersOf(stores: Stores): Map<string, TimerId> {
  let m = timers.get(stores);
  if (!m) timers.set(stores, (m = new Map()));
  return m;
}

const idOf = (s: EventsState, r: RuleRecord) => `${s.account}|${s.region}|${ruleKey(r.bus, r.name)}`;

/** Cancels a rule's pending firing. */
export function disarmRule(stores: Stores, s: EventsState, r: RuleRecord): void {
  const m = timersOf(stores);
  const id = m.get(idOf(s, r));
  if (id === undefined) return;
  hostFor(stores).clock.clearTimer(id);
  m.delete(idOf(s, r));
}

/** (Re)schedules a rule's next firing, or cancels it when the rule is disabled or has no schedule. */
export function armRule(stores: Stores, s: EventsState, r: RuleRecord): void {
  disarmRule(stores, s, r);
  if (r.scheduleExpression === undefined || r.state === 'DISABLED') return;
  const host = hostFor(stores);
  const now = host.clock.nowMs();
  const due = nextFire(parseSchedule(r.scheduleExpression), now, { anchorMs: r.createdMs });
  if (due === undefined) return;
  const key = idOf(s, r);
  timersOf(stores).set(key, host.clock.setTimer(() => fire(host, s.account, s.region, r.bus, r.name, r.scheduleExpression!), due - now));
}

async function fire(host: ServiceHost, account: string, region: string, bus: string, name: string, expression: string): Promise<void> {
  const s = eventsState(host.stores, account, region);
  const rule = s.rules.get(ruleKey(bus, name));
  timersOf(host.stores).delete(`${account}|${region}|${ruleKey(bus, name)}`);
  if (!rule || rule.scheduleExpression !== expression || rule.state === 'DISABLED') return;
  const now = host.clock.nowMs();
  armRule(host.stores, s, rule);
  const event: EventEnvelope = {
    version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account, time: eventTime(now), region,
    resources: [rule.arn], detail: {},
  };
  for (const target of rule.targets) await dispatch(host, { account, region, rule, target, event, ingestedMs: now, hops: 0 });
}

/** Re-arms every scheduled rule kept in the data directory (called once when the service loads). */
export function armAll(host: ServiceHost): void {
  for (const { account, region } of host.stores.accountsRegions('events')) {
    const s = eventsState(host.stores, account, region);
    for (const r of s.rules.values()) if (r.scheduleExpression !== undefined) armRule(host.stores, s, r);
  }
}
