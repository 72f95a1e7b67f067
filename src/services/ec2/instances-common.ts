/**
 * What every instance operation shares: the instance record, its state machine on the clock,
 * AWS's state codes, lookups with AWS's errors, and DryRun.
 *
 * States move lazily: a record keeps its state and when the next transition is due, and every
 * reader settles it against the clock first. This is the same as a timer firing at `dueMs`
 * (clock freezes, advances and scaling are honoured) but survives a restart with a data
 * directory, where in-memory timers would be lost.
 */
import { randomInt } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Ec2State, Tag } from './store.js';

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

/** AWS's state codes (the low byte of InstanceState.Code). */
export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80,
};

/** How long each transient state lasts, and how long a terminated instance stays visible. */
export const DURATIONS_MS = { pending: 5_000, stopping: 10_000, 'shutting-down': 10_000, terminatedVisible: 3_600_000 };

export interface InstanceRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  reservationId: string;
  imageId: string;
  instanceType: string;
  architecture: string;
  platform?: string;
  platformDetails: string;
  usageOperation: string;
  rootDeviceName: string;
  rootVolumeId: string;
  rootSizeGiB: number;
  volumeTags: Tag[];
  state: InstanceStateName;
  /** When the current transient state ends (or a terminated instance disappears). */
  dueMs?: number;
  launchMs: number;
  stateTransitionReason: string;
  stateReason?: { Code: string; Message: string };
  subnetId: string;
  vpcId: string;
  az: string;
  eniId: string;
  privateIp: string;
  groupIds: string[];
  keyName?: string;
  userData?: string;
  iamProfileArn?: string;
  iamProfileId?: string;
  clientToken?: string;
  amiLaunchIndex: number;
  disableApiTermination: boolean;
  disableApiStop: boolean;
  shutdownBehavior: 'stop' | 'terminate';
  ebsOptimized: boolean;
  monitoring: boolean;
  lifecycle?: 'spot';
  spotRequestId?: string;
  /** Gets an auto-assigned public address whenever it runs (AssociatePublicIpAddress / MapPublicIpOnLaunch). */
  autoPublicIp: boolean;
  /** Since when it has been running (billed), and up to when that time went to the meter. */
  runningFromMs?: number;
  meteredToMs?: number;
  /** A Spot instance warned of interruption is terminated at this time. */
  interruptAtMs?: number;
}

export const instances = (s: Ec2State) => s.extra<InstanceRecord>('instances');

/** Answers DryRun after the caller was authorized (the gateway already refused the unauthorized). */
export function dryRun(input: Record<string, unknown>): void {
  if (input['DryRun'] === true) throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}

const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;

export function checkInstanceId(id: string): void {
  if (!INSTANCE_ID.test(id)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`, 400);
}

export function instancesNotFound(ids: string[]): AwsError {
  return ids.length === 1
    ? new AwsError('InvalidInstanceID.NotFound', `The instance ID '${ids[0]}' does not exist`, 400)
    : new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${ids.join(', ')}' do not exist`, 400);
}

/** Moves one instance along its state machine up to `nowMs`; returns false once it is gone. */
function settleOne(s: Ec2State, i: InstanceRecord, nowMs: number): boolean {
  let changed = false;
  while (i.dueMs !== undefined && i.dueMs <= nowMs) {
    const at = i.dueMs;
    changed = true;
    if (i.state === 'pending') { i.state = 'running'; i.runningFromMs = at; delete i.dueMs; }
    else if (i.state === 'stopping') {
      i.state = 'stopped';
      delete i.dueMs;
      setPublicIp(s, i, false);
    } else if (i.state === 'shutting-down') {
      i.state = 'terminated';
      i.dueMs = at + DURATIONS_MS.terminatedVisible;
      // The primary interface (DeleteOnTermination) and its addresses go with the instance.
      s.enis.delete(i.eniId);
      for (const a of s.addresses.values()) {
        if (a.eniId !== i.eniId) continue;
        delete a.eniId; delete a.privateIp; delete a.associationId;
        s.addresses.set(a.allocationId, a);
      }
    } else if (i.state === 'terminated') {
      instances(s).delete(i.id);
      return false;
    } else delete i.dueMs;
  }
  if (changed) instances(s).set(i.id, i);
  return true;
}

/**
 * Gives or takes the auto-assigned public address of an instance's primary interface: AWS
 * hands out a new one from its pool at each start and releases it at stop. (Drydock's pool is
 * 3.0.0.0/8; Elastic IPs come from 54.0.0.0/8, so the two never collide.)
 */
export function setPublicIp(s: Ec2State, i: InstanceRecord, on: boolean): void {
  const eni = s.enis.get(i.eniId);
  if (eni === undefined) return;
  if (!on || !i.autoPublicIp) delete eni.publicIp;
  else {
    const used = new Set([...s.enis.values()].map((e) => e.publicIp));
    do eni.publicIp = `3.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}`; while (used.has(eni.publicIp));
  }
  s.enis.set(eni.id, eni);
}

/** Settles every instance of a scope against the clock. */
export function settleInstances(s: Ec2State, nowMs: number): void {
  for (const i of [...instances(s).values()]) settleOne(s, i, nowMs);
}

/** Instances named by `ids` (settled), or AWS's Malformed / NotFound errors. */
export function instancesByIds(s: Ec2State, ids: unknown, nowMs: number): InstanceRecord[] {
  const list = Array.isArray(ids) ? (ids as string[]) : [];
  if (list.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter InstanceId', 400);
  for (const id of list) checkInstanceId(id);
  settleInstances(s, nowMs);
  const missing = list.filter((id) => !instances(s).has(id));
  if (missing.length > 0) throw instancesNotFound(missing);
  return [...new Set(list)].map((id) => instances(s).get(id)!);
}

/** Puts an instance into `state`, with the transition due after its duration. */
export function moveTo(s: Ec2State, i: InstanceRecord, state: InstanceStateName, nowMs: number): void {
  i.state = state;
  const d = state === 'pending' ? DURATIONS_MS.pending : state === 'stopping' ? DURATIONS_MS.stopping : state === 'shutting-down' ? DURATIONS_MS['shutting-down'] : undefined;
  if (d === undefined) delete i.dueMs;
  else i.dueMs = nowMs + d;
  instances(s).set(i.id, i);
}

export function stateOut(state: InstanceStateName) {
  return { Code: STATE_CODES[state], Name: state };
}
