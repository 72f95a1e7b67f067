/**
 * Launching instances, shared by RunInstances and Spot requests: the AMI and type checked
 * against each other, the subnet (given, or the default VPC's), security groups of that VPC,
 * and a primary network interface per instance with an address from the subnet, attached as
 * device 0 so the network engine sees the instance behind it.
 */
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import { rootPrincipal } from '../../core/identity.js';
import type { ServiceContext } from '../types.js';
import { groupsFor, newEni } from './enis.js';
import { groupNotFound, invalidParam } from './errors.js';
import { imageOf } from './images.js';
import { instances, moveTo, setPublicIp, type InstanceRecord } from './instances-common.js';
import { launchableType } from './instance-types.js';
import { keyPairNamed } from './key-pairs.js';
import type { Ec2State, SubnetRecord, Tag } from './store.js';
import { subnetOf } from './subnets.js';
import { readTags } from './tags.js';

/** A launch request, as RunInstances and Spot launch specifications both describe one. */
export interface LaunchSpec {
  imageId?: unknown;
  instanceType?: unknown;
  subnetId?: unknown;
  az?: string;
  groupIds?: unknown;
  groupNames?: unknown;
  privateIp?: string;
  keyName?: string;
  userData?: string;
  iamProfile?: { Arn?: string; Name?: string };
  /** The profile `iamProfile` names, once looked up (see resolveInstanceProfile). */
  profile?: { arn: string; id: string };
  ebsOptimized?: boolean;
  monitoring?: boolean;
  disableApiTermination?: boolean;
  disableApiStop?: boolean;
  shutdownBehavior?: string;
  clientToken?: string;
  tags: { instance: Tag[]; volume: Tag[]; eni: Tag[] };
  lifecycle?: 'spot';
  /** AssociatePublicIpAddress of the primary interface; the subnet's MapPublicIpOnLaunch when absent. */
  publicIp?: boolean;
}

/** Splits `TagSpecifications` by resource type, for the types a launch tags. */
export function launchTags(input: Record<string, unknown>, extra: string[] = []): LaunchSpec['tags'] & Record<string, Tag[]> {
  const out: Record<string, Tag[]> = { instance: [], volume: [], eni: [] };
  const specs = Array.isArray(input['TagSpecifications']) ? (input['TagSpecifications'] as { ResourceType?: string; Tags?: unknown }[]) : [];
  const names: Record<string, string> = { instance: 'instance', volume: 'volume', 'network-interface': 'eni' };
  for (const e of extra) names[e] = e;
  for (const spec of specs) {
    const key = names[spec.ResourceType ?? ''];
    if (key === undefined) throw invalidParam(`'${String(spec.ResourceType)}' is not a valid taggable resource type for this operation.`);
    out[key] = [...(out[key] ?? []), ...readTags(spec.Tags)];
  }
  return out as LaunchSpec['tags'] & Record<string, Tag[]>;
}

/** The subnet a launch goes to: the one named, or the default VPC's in the zone asked for. */
function launchSubnet(s: Ec2State, spec: LaunchSpec): SubnetRecord {
  if (spec.subnetId !== undefined) {
    const sn = subnetOf(s, spec.subnetId);
    if (spec.az !== undefined && spec.az !== sn.az) {
      throw invalidParam(`Invalid availability zone: [${spec.az}]`);
    }
    return sn;
  }
  const vpc = [...s.vpcs.values()].find((v) => v.isDefault);
  const subnets = vpc ? [...s.subnets.values()].filter((x) => x.vpcId === vpc.id && x.defaultForAz) : [];
  const sn = subnets.find((x) => spec.az === undefined || x.az === spec.az);
  if (sn === undefined) {
    throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.', 400);
  }
  return sn;
}

/** Security group ids, from ids or names (names are looked up in the launch VPC). */
function launchGroups(s: Ec2State, vpcId: string, spec: LaunchSpec): string[] {
  const names = Array.isArray(spec.groupNames) ? (spec.groupNames as string[]) : [];
  const byName = names.map((n) => {
    const g = [...s.securityGroups.values()].find((x) => x.vpcId === vpcId && x.name === n);
    if (g === undefined) throw new AwsError('InvalidGroup.NotFound', `The security group '${n}' does not exist in VPC '${vpcId}'`, 400);
    return g.id;
  });
  const ids = Array.isArray(spec.groupIds) ? (spec.groupIds as string[]) : [];
  for (const id of ids) if (!s.securityGroups.has(id)) throw groupNotFound(id);
  return groupsFor(s, vpcId, [...new Set([...ids, ...byName])]);
}

/** Checks a launch without making anything; returns what `launch` needs. */
export function checkLaunch(s: Ec2State, ctx: ServiceContext, spec: LaunchSpec) {
  if (spec.imageId === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter ImageId', 400);
  const image = imageOf(ctx.region, spec.imageId);
  const type = launchableType(spec.instanceType);
  if (type.architecture !== image.architecture) {
    throw invalidParam(`The architecture '${type.architecture}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use DescribeInstanceTypes or DescribeImages to find matching instance types and AMIs.`);
  }
  // The limit applies to the data before base64 encoding.
  if (spec.userData !== undefined && Buffer.from(spec.userData, 'base64').length > 16 * 1024) {
    throw invalidParam('User data is limited to 16384 bytes');
  }
  const behavior = spec.shutdownBehavior ?? 'stop';
  if (behavior !== 'stop' && behavior !== 'terminate') throw invalidParam(`Value (${behavior}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
  if (spec.keyName !== undefined) keyPairNamed(s, spec.keyName);
  const subnet = launchSubnet(s, spec);
  return { image, type, subnet, groups: launchGroups(s, subnet.vpcId, spec), behavior: behavior as 'stop' | 'terminate' };
}

/** Launches `count` instances of a spec in one new reservation, each pending from `at`, untagged (see tagOnCreate). */
export function launch(s: Ec2State, ctx: ServiceContext, spec: LaunchSpec, count: number, at = ctx.clock.nowMs()): InstanceRecord[] {
  const { image, type, subnet, groups, behavior } = checkLaunch(s, ctx, spec);
  if (spec.privateIp !== undefined && count > 1) {
    throw new AwsError('InvalidParameterCombination', 'Cannot specify a private IP address when launching more than one instance', 400);
  }
  const now = at;
  const reservationId = awsId('r');
  const out: InstanceRecord[] = [];
  for (let n = 0; n < count; n++) {
    const id = awsId('i');
    const eni = newEni(s, subnet, { ip: spec.privateIp, groups, description: '', now });
    eni.attachment = { id: awsId('eni-attach'), instanceId: id, deviceIndex: 0 };
    s.enis.set(eni.id, eni);
    const i: InstanceRecord = {
      id, tags: [], createdMs: now, reservationId, imageId: image.id, instanceType: type.name,
      architecture: image.architecture, platform: image.platform, platformDetails: image.platformDetails, usageOperation: image.usageOperation,
      rootDeviceName: image.rootDeviceName, rootVolumeId: awsId('vol'), rootSizeGiB: image.rootSizeGiB, volumeTags: spec.tags.volume,
      state: 'pending', launchMs: now, stateTransitionReason: '', subnetId: subnet.id, vpcId: subnet.vpcId, az: subnet.az,
      eniId: eni.id, privateIp: eni.privateIps[0]!, groupIds: groups, keyName: spec.keyName, userData: spec.userData,
      iamProfileArn: spec.profile?.arn, iamProfileId: spec.profile?.id, clientToken: spec.clientToken, amiLaunchIndex: n, disableApiTermination: spec.disableApiTermination ?? false,
      disableApiStop: spec.disableApiStop ?? false, shutdownBehavior: behavior, ebsOptimized: spec.ebsOptimized ?? false,
      monitoring: spec.monitoring ?? false, lifecycle: spec.lifecycle, autoPublicIp: spec.publicIp ?? subnet.mapPublicIpOnLaunch,
    };
    moveTo(s, i, 'pending', now);
    setPublicIp(s, i, true);
    out.push(i);
  }
  return out;
}

/**
 * Tags given at launch are applied by an in-process ec2:CreateTags call made as the caller, so
 * IAM decides them as AWS does for tag-on-create: the caller needs ec2:CreateTags on the new
 * resources, and `aws:RequestTag/*` and `aws:TagKeys` conditions see the tags. If it is
 * refused, nothing launched remains and the refusal is the answer.
 */
export async function tagOnCreate(s: Ec2State, ctx: ServiceContext, launched: InstanceRecord[], tags: LaunchSpec['tags']): Promise<void> {
  const sets = [
    { ids: launched.map((i) => i.id), tags: tags.instance },
    { ids: launched.map((i) => i.eniId), tags: tags.eni },
  ].filter((x) => x.tags.length > 0);
  try {
    for (const x of sets) await ctx.call({ service: 'ec2', operation: 'CreateTags', input: { Resources: x.ids, Tags: x.tags } });
  } catch (e) {
    for (const i of launched) {
      s.enis.delete(i.eniId);
      instances(s).delete(i.id);
    }
    throw e;
  }
  for (const i of launched) i.tags = instances(s).get(i.id)?.tags ?? i.tags;
}

/**
 * The instance profile a launch names (by ARN or name) must exist in the caller's account;
 * EC2 looks it up in IAM on the account's behalf, so the caller needs no IAM read access.
 */
export async function resolveInstanceProfile(ctx: ServiceContext, given: LaunchSpec['iamProfile']): Promise<{ arn: string; id: string } | undefined> {
  if (given === undefined || (given.Arn === undefined && given.Name === undefined)) return undefined;
  const byArn = given.Arn !== undefined;
  const refused = () => invalidParam(byArn
    ? `Value (${given.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`
    : `Value (${given.Name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
  const m = byArn ? /^arn:aws:iam::(\d{12}):instance-profile\/(?:.*\/)?([^/]+)$/.exec(given.Arn!) : undefined;
  if (byArn && (m === null || m![1] !== ctx.account)) throw refused();
  const name = byArn ? m![2]! : given.Name!;
  try {
    const out = await ctx.call({ service: 'iam', operation: 'GetInstanceProfile', input: { InstanceProfileName: name }, principal: rootPrincipal(ctx.account) });
    const p = out['InstanceProfile'] as { Arn: string; InstanceProfileId: string };
    if (byArn && p.Arn !== given.Arn) throw refused();
    return { arn: p.Arn, id: p.InstanceProfileId };
  } catch (e) {
    if (e instanceof AwsError && e.code.startsWith('NoSuchEntity')) throw refused();
    throw e;
  }
}

export function existingByToken(s: Ec2State, token: string): InstanceRecord[] {
  return [...instances(s).values()].filter((i) => i.clientToken === token);
}
