/**
 * Spot Instance requests: RequestSpotInstances opens requests that are evaluated a moment
 * later on the clock and fulfilled with a launched instance when the maximum price covers the
 * zone's current Spot price (spot-prices.ts), else they wait with `price-too-low`. RunInstances
 * with a spot market makes one-time requests that are fulfilled at once. Terminating the
 * instance closes a one-time request and reopens a persistent one.
 */
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { invalidParam } from './errors.js';
import { dryRun, instances, type InstanceRecord } from './instances-common.js';
import { checkLaunch, launch, launchTags, resolveInstanceProfile, type LaunchSpec } from './instances-launch.js';
import { instanceTypeInfo } from './instance-types.js';
import { priceText, spotPrice } from './spot-prices.js';
import { ec2State, type Ec2State, type Tag } from './store.js';

interface SpotRequest {
  id: string;
  tags: Tag[];
  createdMs: number;
  type: 'one-time' | 'persistent';
  state: 'open' | 'active' | 'closed' | 'cancelled' | 'failed';
  statusCode: string;
  statusMessage: string;
  statusMs: number;
  maxPrice?: string;
  instanceType: string;
  imageId: string;
  az?: string;
  spec: LaunchSpec;
  instanceId?: string;
  interruptionBehavior: string;
  validUntilMs?: number;
  /** When an open request is next evaluated. */
  dueMs?: number;
}

/** How long AWS takes to evaluate a request before it is fulfilled (or found too cheap). */
const EVALUATION_MS = 2_000;

const requests = (s: Ec2State) => s.extra<SpotRequest>('spotRequests');

function setStatus(s: Ec2State, r: SpotRequest, state: SpotRequest['state'], code: string, message: string, nowMs: number): void {
  Object.assign(r, { state, statusCode: code, statusMessage: message, statusMs: nowMs });
  requests(s).set(r.id, r);
}

/** Evaluates open requests that are due: fulfil when the price allows, else wait. */
export function settleSpot(s: Ec2State, ctx: ServiceContext): void {
  const now = ctx.clock.nowMs();
  for (const r of [...requests(s).values()]) {
    if (r.state !== 'open' || r.dueMs === undefined || r.dueMs > now) continue;
    if (r.validUntilMs !== undefined && r.validUntilMs <= now) {
      setStatus(s, r, r.type === 'one-time' ? 'closed' : 'cancelled', 'schedule-expired', 'Your Spot request has expired.', now);
      continue;
    }
    let subnet;
    try {
      subnet = checkLaunch(s, ctx, r.spec).subnet;
    } catch (e) {
      // What was valid at request time may be gone (a deleted subnet or key pair).
      if (!(e instanceof AwsError)) throw e;
      delete r.dueMs;
      setStatus(s, r, 'failed', 'bad-parameters', `The Spot request contains an invalid parameter: ${e.message}`, now);
      continue;
    }
    if (ctx.faults.azDown(ctx.region, subnet.az)) {
      r.dueMs = now + EVALUATION_MS;
      setStatus(s, r, 'open', 'capacity-not-available', 'There is no Spot capacity available that matches your request.', now);
      continue;
    }
    const price = spotPrice(r.instanceType, subnet.az, now);
    if (r.maxPrice !== undefined && Number(r.maxPrice) < price) {
      r.dueMs = now + EVALUATION_MS;
      setStatus(s, r, 'open', 'price-too-low', `Your Spot request price of ${r.maxPrice} is lower than the minimum required Spot request fulfillment price of ${price}.`, now);
      continue;
    }
    // Fulfilled when it was due, so the instance's own clock starts then.
    const [i] = launch(s, ctx, r.spec, 1, r.dueMs);
    i!.spotRequestId = r.id;
    instances(s).set(i!.id, i!);
    r.instanceId = i!.id;
    r.az = i!.az;
    delete r.dueMs;
    setStatus(s, r, 'active', 'fulfilled', 'Your spot request is fulfilled.', now);
  }
}

/** RunInstances with a spot market: one fulfilled one-time request per launched instance. */
export function attachSpotRequests(s: Ec2State, ctx: ServiceContext, launched: InstanceRecord[], options: Record<string, unknown>): void {
  const now = ctx.clock.nowMs();
  const type = options['SpotInstanceType'] === 'persistent' ? 'persistent' : 'one-time';
  for (const i of launched) {
    const r: SpotRequest = {
      id: awsId('sir', 8), tags: [], createdMs: now, type, state: 'active', statusCode: 'fulfilled', statusMessage: 'Your spot request is fulfilled.',
      statusMs: now, maxPrice: options['MaxPrice'] as string | undefined, instanceType: i.instanceType, imageId: i.imageId, az: i.az,
      spec: { imageId: i.imageId, instanceType: i.instanceType, subnetId: i.subnetId, groupIds: i.groupIds, tags: { instance: [], volume: [], eni: [] }, lifecycle: 'spot' },
      instanceId: i.id, interruptionBehavior: String(options['InstanceInterruptionBehavior'] ?? 'terminate'),
    };
    requests(s).set(r.id, r);
    i.spotRequestId = r.id;
    instances(s).set(i.id, i);
  }
}

export function isOneTimeSpot(s: Ec2State, i: InstanceRecord): boolean {
  const r = i.spotRequestId ? requests(s).get(i.spotRequestId) : undefined;
  return r !== undefined && r.type === 'one-time';
}

/** The instance of a request was terminated: close a one-time request, reopen a persistent one. */
export function spotInstanceEnded(s: Ec2State, i: InstanceRecord, nowMs: number, code = 'instance-terminated-by-user',
  message = 'Spot Instance terminated due to user-initiated termination.'): void {
  const r = i.spotRequestId ? requests(s).get(i.spotRequestId) : undefined;
  if (r === undefined || (r.state !== 'active' && r.statusCode !== 'marked-for-termination')) return;
  if (r.type === 'persistent') {
    delete r.instanceId;
    r.dueMs = nowMs + EVALUATION_MS;
    setStatus(s, r, 'open', code, message, nowMs);
  } else {
    setStatus(s, r, 'closed', code, message, nowMs);
  }
}

/** An interruption notice on the request of a Spot instance (the two-minute warning). */
export function markForTermination(s: Ec2State, i: InstanceRecord, nowMs: number): void {
  const r = i.spotRequestId ? requests(s).get(i.spotRequestId) : undefined;
  if (r !== undefined && r.state === 'active') {
    setStatus(s, r, 'active', 'marked-for-termination', 'Your Spot Instance is marked for termination because there is no capacity available.', nowMs);
  }
}

export const requestSpotInstances: Handler = async (input, ctx) => {
  const s = ec2State(ctx);
  const spec = (input['LaunchSpecification'] ?? {}) as Record<string, unknown>;
  const count = input['InstanceCount'] === undefined ? 1 : Number(input['InstanceCount']);
  if (!Number.isInteger(count) || count < 1 || count > 20) throw invalidParam(`Value (${String(input['InstanceCount'])}) for parameter instanceCount is invalid.`);
  const type = String(input['Type'] ?? 'one-time');
  if (type !== 'one-time' && type !== 'persistent') throw invalidParam(`Value (${type}) for parameter type is invalid.`);
  const maxPrice = input['SpotPrice'] as string | undefined;
  if (maxPrice !== undefined && !(Number(maxPrice) > 0)) throw invalidParam(`Value (${maxPrice}) for parameter price is invalid.`);
  const tags = launchTags(input, ['spot-instances-request']);
  const launchSpec: LaunchSpec = {
    imageId: spec['ImageId'], instanceType: spec['InstanceType'], subnetId: spec['SubnetId'],
    az: (spec['Placement'] as { AvailabilityZone?: string } | undefined)?.AvailabilityZone, groupIds: spec['SecurityGroupIds'],
    groupNames: spec['SecurityGroups'], keyName: spec['KeyName'] as string | undefined, userData: spec['UserData'] as string | undefined,
    iamProfile: spec['IamInstanceProfile'] as LaunchSpec['iamProfile'], ebsOptimized: spec['EbsOptimized'] as boolean | undefined,
    tags: { instance: [], volume: [], eni: [] }, lifecycle: 'spot',
  };
  const { type: itype, image } = checkLaunch(s, ctx, launchSpec);
  launchSpec.profile = await resolveInstanceProfile(ctx, launchSpec.iamProfile);
  dryRun(input);
  const now = ctx.clock.nowMs();
  const validUntil = input['ValidUntil'] instanceof Date ? input['ValidUntil'].getTime() : undefined;
  const made: SpotRequest[] = [];
  for (let n = 0; n < count; n++) {
    const r: SpotRequest = {
      id: awsId('sir', 8), tags: [], createdMs: now, type, state: 'open', statusCode: 'pending-evaluation',
      statusMessage: 'Your Spot request has been submitted for review, and is pending evaluation.', statusMs: now, maxPrice,
      instanceType: itype.name, imageId: image.id, spec: launchSpec, interruptionBehavior: String(input['InstanceInterruptionBehavior'] ?? 'terminate'),
      validUntilMs: validUntil, dueMs: now + EVALUATION_MS,
    };
    requests(s).set(r.id, r);
    made.push(r);
  }
  // Tag-on-create is decided by IAM as an ec2:CreateTags of the caller (see instances-launch).
  const requestTags = tags['spot-instances-request'] ?? [];
  if (requestTags.length > 0) {
    try {
      await ctx.call({ service: 'ec2', operation: 'CreateTags', input: { Resources: made.map((r) => r.id), Tags: requestTags } });
    } catch (e) {
      for (const r of made) requests(s).delete(r.id);
      throw e;
    }
  }
  return { SpotInstanceRequests: made.map((r) => requestOut(requests(s).get(r.id) ?? r, ctx)) };
};

function requestOut(r: SpotRequest, ctx: ServiceContext) {
  const s = r.spec;
  return {
    SpotInstanceRequestId: r.id, Type: r.type, State: r.state, CreateTime: new Date(r.createdMs), InstanceId: r.instanceId,
    // Without a maximum, the on-demand price is the cap.
    SpotPrice: r.maxPrice ?? priceText(instanceTypeInfo(r.instanceType)?.onDemandUsd ?? 0), ProductDescription: 'Linux/UNIX', InstanceInterruptionBehavior: r.interruptionBehavior,
    Status: { Code: r.statusCode, Message: r.statusMessage, UpdateTime: new Date(r.statusMs) },
    LaunchedAvailabilityZone: r.az, Tags: r.tags, ValidUntil: r.validUntilMs === undefined ? undefined : new Date(r.validUntilMs),
    LaunchSpecification: {
      ImageId: r.imageId, InstanceType: r.instanceType, KeyName: s.keyName, SubnetId: s.subnetId as string | undefined,
      SecurityGroups: (Array.isArray(s.groupIds) ? (s.groupIds as string[]) : []).map((id) => ({ GroupId: id, GroupName: ec2State(ctx).securityGroups.get(id)?.name })),
      Placement: s.az ? { AvailabilityZone: s.az } : undefined, Monitoring: { Enabled: false },
    },
  };
}

function requestsNotFound(ids: string[]): AwsError {
  return new AwsError('InvalidSpotInstanceRequestID.NotFound', `The spot instance request ID '${ids.join(', ')}' does not exist`, 400);
}

export const describeSpotInstanceRequests: Handler = (input, ctx) => {
  dryRun(input);
  const s = ec2State(ctx);
  settleSpot(s, ctx);
  const page = describe({
    items: requests(s).values(), idOf: (r) => r.id, tagsOf: (r) => r.tags, notFound: requestsNotFound,
    fields: {
      'spot-instance-request-id': (r) => r.id, state: (r) => r.state, 'status-code': (r) => r.statusCode, type: (r) => r.type,
      'instance-id': (r) => r.instanceId, 'launch.instance-type': (r) => r.instanceType, 'launch.image-id': (r) => r.imageId,
      'launched-availability-zone': (r) => r.az, 'spot-price': (r) => r.maxPrice,
    },
    ids: input['SpotInstanceRequestIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { SpotInstanceRequests: page.items.map((r) => requestOut(r, ctx)), NextToken: page.nextToken };
};

export const cancelSpotInstanceRequests: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  settleSpot(s, ctx);
  const ids = Array.isArray(input['SpotInstanceRequestIds']) ? (input['SpotInstanceRequestIds'] as string[]) : [];
  if (ids.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter SpotInstanceRequestId', 400);
  const missing = ids.filter((id) => !requests(s).has(id));
  if (missing.length > 0) throw requestsNotFound(missing);
  dryRun(input);
  const now = ctx.clock.nowMs();
  return {
    CancelledSpotInstanceRequests: ids.map((id) => {
      const r = requests(s).get(id)!;
      if (r.state === 'open' || r.state === 'active') {
        // Cancelling leaves a running instance running, as on AWS.
        const running = r.state === 'active';
        delete r.dueMs;
        setStatus(s, r, 'cancelled', running ? 'request-canceled-and-instance-running' : 'canceled-before-fulfillment',
          running ? 'Spot Instance request is canceled, and the instance is running.' : 'You canceled the Spot request before it was fulfilled.', now);
      }
      return { SpotInstanceRequestId: id, State: r.state };
    }),
  };
};
