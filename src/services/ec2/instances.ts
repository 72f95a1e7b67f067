/**
 * RunInstances, DescribeInstances and DescribeInstanceStatus. Launching itself (AMI, type,
 * subnet, groups, the primary interface) is in instances-launch.ts; state changes in
 * instances-state.ts.
 */
import { AwsError } from '../../core/errors.js';
import { parseCidr, size } from '../../engines/network/cidr.js';
import type { Handler } from '../types.js';
import { describe } from './describe.js';
import { invalidParam } from './errors.js';
import { checkInstanceId, dryRun, instances, instancesNotFound, settleInstances, stateOut, type InstanceRecord } from './instances-common.js';
import {
  checkLaunch, existingByToken, launch, launchTags, resolveInstanceProfile, tagOnCreate, type LaunchSpec,
} from './instances-launch.js';
import { reservationsOut } from './instances-out.js';
import { attachSpotRequests } from './spot.js';
import { checkSpotPrice } from './spot-prices.js';
import { zonesOf } from './regions.js';
import { ec2State, type Ec2State, type SubnetRecord } from './store.js';

function count(v: unknown, name: string): number {
  const n = Number(v);
  if (v === undefined) throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400);
  if (!Number.isInteger(n) || n < 1) throw invalidParam(`Value (${String(v)}) for parameter ${name.charAt(0).toLowerCase() + name.slice(1)} is invalid. Expected a positive integer.`);
  return n;
}

function freeAddresses(s: Ec2State, subnet: SubnetRecord): number {
  let used = 0;
  for (const e of s.enis.values()) if (e.subnetId === subnet.id) used += e.privateIps.length;
  return size(parseCidr(subnet.cidr)!) - 5 - used;
}

/** A zone that is down (an `az-outage` fault) has no capacity, which EC2 reports as a server error. */
function noCapacity(type: string, az: string, region: string): AwsError {
  const others = zonesOf(region).map((z) => z.name).filter((z) => z !== az);
  return new AwsError('InsufficientInstanceCapacity', `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${az}). Our system will be working on provisioning additional capacity. You can currently get ${type} capacity by not specifying an Availability Zone in your request or choosing ${others.join(', ')}.`, 500);
}

/** RunInstances' input as a launch spec (the primary interface may be given in NetworkInterfaces). */
function specOf(input: Record<string, unknown>): LaunchSpec {
  const nic = Array.isArray(input['NetworkInterfaces']) ? (input['NetworkInterfaces'] as Record<string, unknown>[])[0] : undefined;
  const placement = input['Placement'] as { AvailabilityZone?: string } | undefined;
  return {
    imageId: input['ImageId'], instanceType: input['InstanceType'], subnetId: input['SubnetId'] ?? nic?.['SubnetId'], az: placement?.AvailabilityZone,
    groupIds: input['SecurityGroupIds'] ?? nic?.['Groups'], groupNames: input['SecurityGroups'],
    privateIp: (input['PrivateIpAddress'] ?? nic?.['PrivateIpAddress']) as string | undefined, keyName: input['KeyName'] as string | undefined,
    userData: input['UserData'] as string | undefined, iamProfile: input['IamInstanceProfile'] as LaunchSpec['iamProfile'],
    ebsOptimized: input['EbsOptimized'] as boolean | undefined, monitoring: (input['Monitoring'] as { Enabled?: boolean } | undefined)?.Enabled,
    disableApiTermination: input['DisableApiTermination'] as boolean | undefined, disableApiStop: input['DisableApiStop'] as boolean | undefined,
    shutdownBehavior: input['InstanceInitiatedShutdownBehavior'] as string | undefined, clientToken: input['ClientToken'] as string | undefined,
    tags: launchTags(input), publicIp: nic?.['AssociatePublicIpAddress'] as boolean | undefined,
  };
}

/** What a repeated ClientToken must match: everything but DryRun. */
function fingerprint(input: Record<string, unknown>): string {
  const { DryRun: _d, ...rest } = input;
  return JSON.stringify(rest);
}

export const runInstances: Handler = async (input, ctx) => {
  const s = ec2State(ctx);
  const min = count(input['MinCount'], 'MinCount');
  const max = count(input['MaxCount'], 'MaxCount');
  if (max < min) throw invalidParam(`Value (${max}) for parameter maxCount is invalid. Must be greater than or equal to minCount.`);
  const spec = specOf(input);
  const token = spec.clientToken;
  const tokens = s.extra<{ id: string; fingerprint: string; reservationId: string }>('runTokens');
  if (token !== undefined) {
    if (token.length > 64) throw invalidParam('The client token must be 64 characters or fewer.');
    const seen = tokens.get(token);
    if (seen !== undefined) {
      if (seen.fingerprint !== fingerprint(input)) throw new AwsError('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).', 400);
      settleInstances(s, ctx.clock.nowMs());
      const again = existingByToken(s, token);
      if (again.length > 0) return reservationsOut(s, again, ctx.account, ctx.region)[0]!;
    }
  }
  const market = input['InstanceMarketOptions'] as { MarketType?: string; SpotOptions?: Record<string, unknown> } | undefined;
  const { subnet, type } = checkLaunch(s, ctx, spec);
  if (market?.MarketType !== undefined) {
    if (market.MarketType !== 'spot' && market.MarketType !== 'capacity-block') throw invalidParam(`Value (${market.MarketType}) for parameter marketType is invalid.`);
    if (market.MarketType === 'capacity-block') throw invalidParam('Capacity Blocks are not available in Drydock.');
    checkSpotPrice(market.SpotOptions?.['MaxPrice'], type.name, subnet.az, ctx.clock.nowMs());
    spec.lifecycle = 'spot';
  }
  if (ctx.faults.azDown(ctx.region, subnet.az)) throw noCapacity(type.name, subnet.az, ctx.region);
  const n = Math.min(max, freeAddresses(s, subnet));
  if (n < min) {
    throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`, 400);
  }
  spec.profile = await resolveInstanceProfile(ctx, spec.iamProfile);
  dryRun(input);
  const launched = launch(s, ctx, spec, n);
  await tagOnCreate(s, ctx, launched, spec.tags);
  if (spec.lifecycle === 'spot') attachSpotRequests(s, ctx, launched, market!.SpotOptions ?? {});
  if (token !== undefined) tokens.set(token, { id: token, fingerprint: fingerprint(input), reservationId: launched[0]!.reservationId });
  return reservationsOut(s, launched, ctx.account, ctx.region)[0]!;
};

/** Filter fields of DescribeInstances (and DescribeInstanceStatus's instance-state-*). */
function instanceFields(s: Ec2State) {
  return {
    'instance-id': (i: InstanceRecord) => i.id, 'instance-state-name': (i: InstanceRecord) => i.state,
    'instance-state-code': (i: InstanceRecord) => stateOut(i.state).Code, 'instance-type': (i: InstanceRecord) => i.instanceType,
    'image-id': (i: InstanceRecord) => i.imageId, 'vpc-id': (i: InstanceRecord) => i.vpcId, 'subnet-id': (i: InstanceRecord) => i.subnetId,
    'private-ip-address': (i: InstanceRecord) => i.privateIp, 'availability-zone': (i: InstanceRecord) => i.az,
    'reservation-id': (i: InstanceRecord) => i.reservationId, 'key-name': (i: InstanceRecord) => i.keyName,
    architecture: (i: InstanceRecord) => i.architecture, 'instance-lifecycle': (i: InstanceRecord) => i.lifecycle,
    'spot-instance-request-id': (i: InstanceRecord) => i.spotRequestId, 'iam-instance-profile.arn': (i: InstanceRecord) => i.iamProfileArn,
    'instance.group-id': (i: InstanceRecord) => i.groupIds, 'network-interface.network-interface-id': (i: InstanceRecord) => i.eniId,
    'client-token': (i: InstanceRecord) => i.clientToken, platform: (i: InstanceRecord) => i.platform,
    'ip-address': (i: InstanceRecord) => [...s.addresses.values()].find((a) => a.eniId === i.eniId)?.publicIp,
  };
}

function checkIds(ids: unknown): void {
  if (Array.isArray(ids)) for (const id of ids as string[]) checkInstanceId(id);
}

export const describeInstances: Handler = (input, ctx) => {
  dryRun(input);
  const s = ec2State(ctx);
  settleInstances(s, ctx.clock.nowMs());
  checkIds(input['InstanceIds']);
  const page = describe({
    items: instances(s).values(), idOf: (i) => i.id, tagsOf: (i) => i.tags, notFound: instancesNotFound, fields: instanceFields(s),
    ids: input['InstanceIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { Reservations: reservationsOut(s, page.items, ctx.account, ctx.region), NextToken: page.nextToken };
};

/** Status checks: ok while running, impaired while the instance's zone is down (an `az-outage` fault). */
function statusOut(i: InstanceRecord, zoneDown: boolean) {
  const running = i.state === 'running';
  const status = (name: string) => (running && zoneDown
    ? { Status: 'impaired', Details: [{ Name: name, Status: 'failed' }] }
    : { Status: running ? 'ok' : 'not-applicable', Details: running ? [{ Name: name, Status: 'passed' }] : undefined });
  return {
    InstanceId: i.id, AvailabilityZone: i.az, InstanceState: stateOut(i.state), Events: [],
    InstanceStatus: status('reachability'), SystemStatus: status('reachability'),
    AttachedEbsStatus: running ? status('reachability') : { Status: 'not-applicable' },
  };
}

export const describeInstanceStatus: Handler = (input, ctx) => {
  dryRun(input);
  const s = ec2State(ctx);
  settleInstances(s, ctx.clock.nowMs());
  checkIds(input['InstanceIds']);
  const all = input['IncludeAllInstances'] === true;
  const fields = instanceFields(s);
  const down = (i: InstanceRecord) => ctx.faults.azDown(ctx.region, i.az);
  const page = describe({
    // Named instances that are not running are left out rather than reported missing.
    items: [...instances(s).values()].filter((i) => all || i.state === 'running' || Array.isArray(input['InstanceIds'])), idOf: (i) => i.id, tagsOf: () => [],
    notFound: instancesNotFound,
    fields: {
      'instance-state-name': fields['instance-state-name'], 'instance-state-code': fields['instance-state-code'], 'availability-zone': fields['availability-zone'],
      'instance-status.status': (i) => statusOut(i, down(i)).InstanceStatus.Status, 'system-status.status': (i) => statusOut(i, down(i)).SystemStatus.Status,
    },
    ids: input['InstanceIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { InstanceStatuses: page.items.filter((i) => all || i.state === 'running').map((i) => statusOut(i, down(i))), NextToken: page.nextToken };
};
