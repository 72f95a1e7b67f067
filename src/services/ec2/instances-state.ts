/**
 * Start, stop, reboot and terminate, answered with AWS's `InstanceStateChange` shapes, and the
 * instance attributes that govern them (DisableApiTermination, DisableApiStop, …). Which
 * state may go where follows EC2's instance lifecycle: a request for the state an instance is
 * already in or heading to is answered without change; one from a state that cannot lead
 * there is IncorrectInstanceState.
 */
import { AwsError } from '../../core/errors.js';
import type { Handler, ServiceContext } from '../types.js';
import { invalidParam } from './errors.js';
import {
  dryRun, instances, instancesByIds, moveTo, setPublicIp, stateOut, type InstanceRecord, type InstanceStateName,
} from './instances-common.js';
import { launchableType } from './instance-types.js';
import { accrue } from './instances-metering.js';
import { groupsFor } from './enis.js';
import { isOneTimeSpot, spotInstanceEnded } from './spot.js';
import { ec2State, type Ec2State } from './store.js';

type Change = { InstanceId: string; PreviousState: ReturnType<typeof stateOut>; CurrentState: ReturnType<typeof stateOut> };

/** Checks every instance first (AWS changes none when one is refused), then applies `to`. */
function change(
  ctx: ServiceContext, input: Record<string, unknown>, check: (i: InstanceRecord) => void,
  to: (i: InstanceRecord) => InstanceStateName | undefined, after?: (s: Ec2State, i: InstanceRecord) => void,
): Change[] {
  const s = ec2State(ctx);
  const now = ctx.clock.nowMs();
  const list = instancesByIds(s, input['InstanceIds'], now);
  list.forEach(check);
  dryRun(input);
  return list.map((i) => {
    const previous = stateOut(i.state);
    const next = to(i);
    if (next !== undefined && next !== i.state) {
      // Billing ends where running does.
      if (i.state === 'running') {
        accrue(ctx.meter, s, i, now);
        delete i.runningFromMs;
      }
      moveTo(s, i, next, now);
      after?.(s, i);
    }
    return { InstanceId: i.id, PreviousState: previous, CurrentState: stateOut(i.state) };
  });
}

function incorrect(message: string): AwsError {
  return new AwsError('IncorrectInstanceState', message, 400);
}

export const startInstances: Handler = (input, ctx) => ({
  StartingInstances: change(ctx, input, (i) => {
    if (!['pending', 'running', 'stopped'].includes(i.state)) throw incorrect(`The instance '${i.id}' is not in a state from which it can be started.`);
  }, (i) => (i.state === 'stopped' ? 'pending' : undefined), (s, i) => {
    i.stateTransitionReason = '';
    delete i.stateReason;
    instances(s).set(i.id, i);
    setPublicIp(s, i, true);
  }),
});

export const stopInstances: Handler = (input, ctx) => ({
  StoppingInstances: change(ctx, input, (i) => {
    if (!['running', 'stopping', 'stopped'].includes(i.state)) throw incorrect(`This instance '${i.id}' is not in a state from which it can be stopped.`);
    if (isOneTimeSpot(ec2State(ctx), i)) {
      throw new AwsError('UnsupportedOperation', `You can't stop the Spot Instance '${i.id}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.`, 400);
    }
    if (i.disableApiStop && i.state === 'running') {
      throw new AwsError('OperationNotPermitted', `The instance '${i.id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`, 400);
    }
  }, (i) => (i.state === 'running' ? 'stopping' : undefined), (s, i) => {
    i.stateTransitionReason = `User initiated (${new Date(ctx.clock.nowMs()).toISOString().slice(0, 19).replace('T', ' ')} GMT)`;
    i.stateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
    instances(s).set(i.id, i);
  }),
});

export const terminateInstances: Handler = (input, ctx) => ({
  TerminatingInstances: change(ctx, input, (i) => {
    if (i.disableApiTermination && i.state !== 'terminated') {
      throw new AwsError('OperationNotPermitted', `The instance '${i.id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`, 400);
    }
  }, (i) => (i.state === 'terminated' || i.state === 'shutting-down' ? undefined : 'shutting-down'), (s, i) => {
    i.stateTransitionReason = `User initiated (${new Date(ctx.clock.nowMs()).toISOString().slice(0, 19).replace('T', ' ')} GMT)`;
    i.stateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
    instances(s).set(i.id, i);
    spotInstanceEnded(s, i, ctx.clock.nowMs());
  }),
});

export const rebootInstances: Handler = (input, ctx) => {
  change(ctx, input, (i) => {
    if (i.state !== 'running' && i.state !== 'pending') throw incorrect(`The instance '${i.id}' is not in a state from which it can be rebooted.`);
  }, () => undefined);
  return {};
};

const ATTRIBUTES = ['instanceType', 'userData', 'disableApiTermination', 'disableApiStop', 'instanceInitiatedShutdownBehavior', 'rootDeviceName', 'blockDeviceMapping', 'groupSet', 'sourceDestCheck', 'ebsOptimized'];

export const describeInstanceAttribute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const [i] = instancesByIds(s, [input['InstanceId']].filter((x) => x !== undefined), ctx.clock.nowMs());
  const attr = String(input['Attribute']);
  if (!ATTRIBUTES.includes(attr)) throw invalidParam(`Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
  dryRun(input);
  const eni = s.enis.get(i!.eniId);
  const out: Record<string, unknown> = {
    instanceType: { InstanceType: { Value: i!.instanceType } }, userData: { UserData: i!.userData === undefined ? {} : { Value: i!.userData } },
    disableApiTermination: { DisableApiTermination: { Value: i!.disableApiTermination } }, disableApiStop: { DisableApiStop: { Value: i!.disableApiStop } },
    instanceInitiatedShutdownBehavior: { InstanceInitiatedShutdownBehavior: { Value: i!.shutdownBehavior } },
    rootDeviceName: { RootDeviceName: { Value: i!.rootDeviceName } }, ebsOptimized: { EbsOptimized: { Value: i!.ebsOptimized } },
    blockDeviceMapping: { BlockDeviceMappings: [{ DeviceName: i!.rootDeviceName, Ebs: { VolumeId: i!.rootVolumeId, Status: 'attached', DeleteOnTermination: true, AttachTime: new Date(i!.launchMs) } }] },
    groupSet: { Groups: i!.groupIds.map((id) => ({ GroupId: id, GroupName: s.securityGroups.get(id)?.name })) },
    sourceDestCheck: { SourceDestCheck: { Value: eni?.sourceDestCheck ?? true } },
  };
  return { InstanceId: i!.id, ...(out[attr] as object) };
};

/** ModifyInstanceAttribute takes `Attribute`+`Value` or one of the typed members. */
function wanted(input: Record<string, unknown>, member: string, attr: string): unknown {
  const typed = (input[member] as { Value?: unknown } | undefined)?.Value;
  if (typed !== undefined) return typed;
  return input['Attribute'] === attr ? input['Value'] : undefined;
}

const bool = (v: unknown) => v === true || v === 'true';

export const modifyInstanceAttribute: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const [i] = instancesByIds(s, [input['InstanceId']].filter((x) => x !== undefined), ctx.clock.nowMs());
  const type = wanted(input, 'InstanceType', 'instanceType');
  if (type !== undefined) {
    if (i!.state !== 'stopped') throw incorrect(`The instance '${i!.id}' is not in the 'stopped' state.`);
    const t = launchableType(type);
    if (t.architecture !== i!.architecture) throw invalidParam(`The instance type '${t.name}' does not support the architecture '${i!.architecture}' of the instance.`);
  }
  const userData = (input['UserData'] as { Value?: Uint8Array } | undefined)?.Value;
  if (userData !== undefined && i!.state !== 'stopped') throw incorrect(`The instance '${i!.id}' is not in the 'stopped' state.`);
  const behavior = wanted(input, 'InstanceInitiatedShutdownBehavior', 'instanceInitiatedShutdownBehavior');
  if (behavior !== undefined && behavior !== 'stop' && behavior !== 'terminate') throw invalidParam(`Value (${String(behavior)}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
  const groups = Array.isArray(input['Groups']) ? groupsFor(s, i!.vpcId, input['Groups']) : undefined;
  dryRun(input);
  if (type !== undefined) i!.instanceType = String(type);
  if (userData !== undefined) i!.userData = Buffer.from(userData).toString('base64');
  if (behavior !== undefined) i!.shutdownBehavior = behavior as 'stop' | 'terminate';
  const term = wanted(input, 'DisableApiTermination', 'disableApiTermination');
  if (term !== undefined) i!.disableApiTermination = bool(term);
  const stop = wanted(input, 'DisableApiStop', 'disableApiStop');
  if (stop !== undefined) i!.disableApiStop = bool(stop);
  const eni = s.enis.get(i!.eniId);
  const sdc = wanted(input, 'SourceDestCheck', 'sourceDestCheck');
  if (eni !== undefined && (sdc !== undefined || groups !== undefined)) {
    if (sdc !== undefined) eni.sourceDestCheck = bool(sdc);
    if (groups !== undefined) eni.groupIds = groups;
    s.enis.set(eni.id, eni);
  }
  if (groups !== undefined) i!.groupIds = groups;
  instances(s).set(i!.id, i!);
  return {};
};

/** Detailed monitoring on or off; AWS answers `pending` while it switches. */
function monitoring(on: boolean): Handler {
  return (input, ctx) => {
    const s = ec2State(ctx);
    const list = instancesByIds(s, input['InstanceIds'], ctx.clock.nowMs());
    dryRun(input);
    return {
      InstanceMonitorings: list.map((i) => {
        i.monitoring = on;
        instances(s).set(i.id, i);
        return { InstanceId: i.id, Monitoring: { State: on ? 'pending' : 'disabling' } };
      }),
    };
  };
}

export const monitorInstances = monitoring(true);
export const unmonitorInstances = monitoring(false);
