/**
 * Spot interruptions: when a zone loses capacity (an `az-outage` fault), every Spot instance
 * running there gets AWS's two-minute warning (its request's status becomes
 * `marked-for-termination`) and is then terminated with `Server.SpotInstanceTermination`; its
 * request closes (one-time) or reopens (persistent) with `instance-terminated-no-capacity`.
 * Checked every 30 s of clock time (cheap when no zone is down), so an advanced clock
 * interrupts on time, within one check.
 */
import type { FaultRegistry } from '../../core/faults.js';
import type { Meter } from '../../core/meter.js';
import type { Stores } from '../../core/store.js';
import { instances, moveTo, settleInstances } from './instances-common.js';
import { accrue } from './instances-metering.js';
import { markForTermination, spotInstanceEnded } from './spot.js';
import { stateOf } from './store.js';

export const WARNING_MS = 120_000;
export const CHECK_EVERY_MS = 30_000;

export function interruptSpotInstances(stores: Stores, faults: FaultRegistry, meter: Meter, nowMs: number): void {
  if (!faults.list().some((f) => f.type === 'az-outage')) return;
  for (const { account, region } of stores.accountsRegions('ec2')) {
    const s = stateOf(stores, account, region);
    settleInstances(s, nowMs);
    for (const i of [...instances(s).values()]) {
      if (i.lifecycle !== 'spot' || (i.state !== 'running' && i.state !== 'pending') || !faults.azDown(region, i.az)) continue;
      if (i.interruptAtMs === undefined) {
        i.interruptAtMs = nowMs + WARNING_MS;
        instances(s).set(i.id, i);
        markForTermination(s, i, nowMs);
      } else if (i.interruptAtMs <= nowMs) {
        if (i.state === 'running') accrue(meter, s, i, nowMs);
        delete i.runningFromMs;
        i.stateReason = { Code: 'Server.SpotInstanceTermination', Message: 'Server.SpotInstanceTermination: Spot instance termination' };
        i.stateTransitionReason = `Service initiated (${new Date(nowMs).toISOString().slice(0, 19).replace('T', ' ')} GMT)`;
        moveTo(s, i, 'shutting-down', nowMs);
        spotInstanceEnded(s, i, nowMs, 'instance-terminated-no-capacity', 'Spot Instance terminated due to no available capacity.');
      }
    }
  }
}
