/**
 * Schedules fire on the clock: each enabled schedule keeps one timer for its next invocation
 * (its expression read in its time zone, within its start and end dates, shifted by a random
 * offset inside its flexible time window). A schedule with nothing left to run is complete,
 * and deleted when its ActionAfterCompletion is DELETE.
 */
import { randomUUID } from 'node:crypto';
import type { TimerId } from '../../core/clock.js';
import type { Stores } from '../../core/store.js';
import { nextFire, parseSchedule } from '../../engines/cron/index.js';
import type { ServiceHost } from '../types.js';
import { invoke } from './targets.js';
import { scheduleKey, schedulerState, type ScheduleRecord, type SchedulerState } from './store.js';

const hosts = new WeakMap<Stores, ServiceHost>();
const timers = new WeakMap<Stores, Map<string, TimerId>>();

export function rememberHost(host: ServiceHost): void {
  hosts.set(host.stores, host);
}

function timersOf(stores: Stores): Map<string, TimerId> {
  let m = timers.get(stores);
  if (!m) timers.set(stores, (m = new Map()));
  return m;
}

const idOf = (s: SchedulerState, r: ScheduleRecord) => `${s.account}|${s.region}|${scheduleKey(r.group, r.name)}`;

export function disarm(stores: Stores, s: SchedulerState, r: ScheduleRecord): void {
  const id = timersOf(stores).get(idOf(s, r));
  if (id === undefined) return;
  hosts.get(stores)?.clock.clearTimer(id);
  timersOf(stores).delete(idOf(s, r));
}

/** The next nominal invocation time after `afterMs`, or undefined when the schedule is complete. */
export function nextInvocation(r: ScheduleRecord, afterMs: number): number | undefined {
  const from = r.startMs !== undefined ? Math.max(afterMs, r.startMs - 1) : afterMs;
  const due = nextFire(parseSchedule(r.expression, { allowAt: true }), from, { timeZone: r.timezone, anchorMs: r.startMs ?? r.createdMs });
  return due === undefined || (r.endMs !== undefined && due > r.endMs) ? undefined : due;
}

/** (Re)schedules the next invocation; completes the schedule when there is none. */
export function arm(stores: Stores, s: SchedulerState, r: ScheduleRecord, afterMs?: number): void {
  disarm(stores, s, r);
  const host = hosts.get(stores);
  if (!host || r.state === 'DISABLED') return;
  const now = host.clock.nowMs();
  const due = nextInvocation(r, afterMs ?? now);
  if (due === undefined) return complete(s, r);
  const window = r.flexibleWindow.Mode === 'FLEXIBLE' ? (r.flexibleWindow.MaximumWindowInMinutes ?? 0) * 60_000 : 0;
  // Flexible windows spread invocations: any moment within the window after the nominal time.
  const at = due + Math.floor(Math.random() * window);
  const stamp = r.modifiedMs;
  timersOf(stores).set(idOf(s, r), host.clock.setTimer(() => fire(host, s.account, s.region, r.group, r.name, stamp, due), at - now));
}

function complete(s: SchedulerState, r: ScheduleRecord): void {
  if (r.actionAfterCompletion === 'DELETE') s.schedules.delete(scheduleKey(r.group, r.name));
}

async function fire(host: ServiceHost, account: string, region: string, group: string, name: string, stamp: number, due: number): Promise<void> {
  const s = schedulerState(host.stores, account, region);
  const r = s.schedules.get(scheduleKey(group, name));
  timersOf(host.stores).delete(`${account}|${region}|${scheduleKey(group, name)}`);
  // Updated or deleted since this timer was set: its own timer (if any) is the live one.
  if (!r || r.modifiedMs !== stamp || r.state === 'DISABLED') return;
  const last = nextInvocation(r, due) === undefined;
  if (!last) arm(host.stores, s, r, due);
  // Scheduler bills per invocation.
  host.meter.record({ account, region, service: 'scheduler', usageType: 'Invocations', operation: 'Invoke', resourceId: r.arn, quantity: 1, unit: 'Count' });
  await invoke(host, r, { scheduledMs: due, executionId: randomUUID() });
  if (last) complete(s, r);
}

/** Re-arms every schedule kept in the data directory (called once when the service loads). */
export function armAll(host: ServiceHost): void {
  for (const { account, region } of host.stores.accountsRegions('scheduler')) {
    const s = schedulerState(host.stores, account, region);
    for (const r of s.schedules.values()) arm(host.stores, s, r);
  }
}
