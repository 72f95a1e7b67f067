/**
 * Instance-hours for the bill: an instance is billed while it is running (from the moment it
 * leaves pending until it starts stopping or shutting down), per second, under AWS's usage
 * types (`BoxUsage:t3.micro`, `SpotUsage:…`, with the region's prefix outside us-east-1) and
 * the AMI's operation (`RunInstances`, `RunInstances:0002` for Windows). Running time is handed
 * to the meter when the instance leaves running and at every clock hour.
 * Not modelled: the 60-second minimum per start, and EBS volume hours.
 */
import type { Meter } from '../../core/meter.js';
import type { Stores } from '../../core/store.js';
import { instances, settleInstances, type InstanceRecord } from './instances-common.js';
import { stateOf, type Ec2State } from './store.js';

// AWS's usage-type prefixes; us-east-1 has none.
const PREFIX: Record<string, string> = {
  'us-east-1': '', 'us-east-2': 'USE2-', 'us-west-1': 'USW1-', 'us-west-2': 'USW2-', 'eu-west-1': 'EU-', 'eu-west-2': 'EUW2-',
  'eu-west-3': 'EUW3-', 'eu-central-1': 'EUC1-', 'eu-north-1': 'EUN1-', 'ap-northeast-1': 'APN1-', 'ap-northeast-2': 'APN2-',
  'ap-southeast-1': 'APS1-', 'ap-southeast-2': 'APS2-', 'ap-south-1': 'APS3-', 'ca-central-1': 'CAN1-', 'sa-east-1': 'SAE1-',
};

export function usageType(region: string, i: InstanceRecord): string {
  return `${PREFIX[region] ?? `${region.toUpperCase()}-`}${i.lifecycle === 'spot' ? 'SpotUsage' : 'BoxUsage'}:${i.instanceType}`;
}

/** Hands the running time since the last hand-over up to `toMs` to the meter. */
export function accrue(meter: Meter, s: Ec2State, i: InstanceRecord, toMs: number): void {
  if (i.runningFromMs === undefined) return;
  const from = Math.max(i.runningFromMs, i.meteredToMs ?? 0);
  if (toMs > from) {
    meter.record({
      account: s.account, region: s.region, service: 'ec2', usageType: usageType(s.region, i), operation: i.usageOperation,
      resourceId: i.id, quantity: (toMs - from) / 3_600_000, unit: 'Hrs',
    });
  }
  i.meteredToMs = toMs;
  instances(s).set(i.id, i);
}

/** The hourly hand-over for every running instance of every account and region. */
export function meterAllInstances(stores: Stores, meter: Meter, nowMs: number): void {
  for (const { account, region } of stores.accountsRegions('ec2')) {
    const s = stateOf(stores, account, region);
    settleInstances(s, nowMs);
    for (const i of instances(s).values()) if (i.state === 'running') accrue(meter, s, i, nowMs);
  }
}
