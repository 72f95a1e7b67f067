/**
 * VPC peering, also across accounts and regions: one connection id seen from both sides,
 * `pending-acceptance` until the accepter's account accepts it, `failed` at once when the
 * CIDRs overlap. Routes to it carry traffic only while it is `active` (peering is not
 * transitive: the network engine delivers only into the peer VPC).
 */
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import { overlaps, parseCidr } from '../../engines/network/cidr.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { ec2State, stateOf, type Ec2State, type Tag } from './store.js';
import { tagsFor } from './tags.js';
import { vpcOf } from './vpcs.js';
import { found, notFound } from './errors.js';

interface Side { vpcId: string; account: string; region: string; cidrs: string[] }

interface PeeringRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  requesterVpcId: string;
  accepterVpcId: string;
  requester: Side;
  accepter: Side;
  state: 'pending-acceptance' | 'active' | 'rejected' | 'deleted' | 'failed';
  role: 'requester' | 'accepter';
}

const peerings = (s: Ec2State) => s.extra<PeeringRecord>('peerings');
const MESSAGES: Record<string, (p: PeeringRecord) => string> = {
  'pending-acceptance': (p) => `Pending Acceptance by ${p.accepter.account}`, active: () => 'Active', rejected: (p) => `Rejected by ${p.accepter.account}`,
  deleted: (p) => `Deleted by ${p.requester.account}`, failed: () => 'Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range.',
};

function info(side: Side, full: boolean) {
  return {
    VpcId: side.vpcId, OwnerId: side.account, Region: side.region,
    ...(full ? {
      CidrBlock: side.cidrs[0], CidrBlockSet: side.cidrs.map((c) => ({ CidrBlock: c })),
      PeeringOptions: { AllowDnsResolutionFromRemoteVpc: false, AllowEgressFromLocalClassicLinkToRemoteVpc: false, AllowEgressFromLocalVpcToRemoteClassicLink: false },
    } : {}),
  };
}

function peeringOut(p: PeeringRecord) {
  return {
    VpcPeeringConnectionId: p.id, Tags: p.tags, RequesterVpcInfo: info(p.requester, true), AccepterVpcInfo: info(p.accepter, p.state === 'active'),
    Status: { Code: p.state, Message: MESSAGES[p.state]!(p) },
    ...(p.state === 'pending-acceptance' ? { ExpirationTime: new Date(p.createdMs + 7 * 86_400_000) } : {}),
  };
}

export const createVpcPeeringConnection: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const vpc = vpcOf(s, input['VpcId']);
  const peerAccount = (input['PeerOwnerId'] as string | undefined) ?? ctx.account;
  const peerRegion = (input['PeerRegion'] as string | undefined) ?? ctx.region;
  const ps = stateOf(ctx.stores, peerAccount, peerRegion);
  const peerId = String(input['PeerVpcId'] ?? '');
  const peer = ps.vpcs.get(peerId);
  if (peer === undefined) throw new AwsError('InvalidVpcID.NotFound', `The vpc ID '${peerId}' does not exist`, 400);
  const requester: Side = { vpcId: vpc.id, account: ctx.account, region: ctx.region, cidrs: vpc.cidrs.map((c) => c.cidr) };
  const accepter: Side = { vpcId: peer.id, account: peerAccount, region: peerRegion, cidrs: peer.cidrs.map((c) => c.cidr) };
  const clash = requester.cidrs.some((a) => accepter.cidrs.some((b) => overlaps(parseCidr(a)!, parseCidr(b)!)));
  const base = { id: awsId('pcx'), createdMs: ctx.clock.nowMs(), requesterVpcId: vpc.id, accepterVpcId: peer.id, requester, accepter, state: clash ? 'failed' as const : 'pending-acceptance' as const };
  const mine: PeeringRecord = { ...base, tags: tagsFor(input, 'vpc-peering-connection'), role: 'requester' };
  peerings(s).set(mine.id, mine);
  peerings(ps).set(mine.id, { ...base, tags: [], role: peerAccount === ctx.account && peerRegion === ctx.region ? 'requester' : 'accepter' });
  return { VpcPeeringConnection: { ...peeringOut(mine), Status: { Code: 'initiating-request', Message: `Initiating Request to ${peerAccount}` } } };
};

function both(ctx: ServiceContext, p: PeeringRecord, state: PeeringRecord['state']): void {
  for (const side of [p.requester, p.accepter]) {
    const s = stateOf(ctx.stores, side.account, side.region);
    const rec = peerings(s).get(p.id);
    if (rec !== undefined) peerings(s).set(p.id, { ...rec, state });
  }
  p.state = state;
}

function peeringOf(ctx: ServiceContext, id: unknown): PeeringRecord {
  return found(peerings(ec2State(ctx)), id, (i) => notFound('InvalidVpcPeeringConnectionID.NotFound', 'vpcPeeringConnection', i), (p) => p.state !== 'deleted');
}

function pendingForAccepter(ctx: ServiceContext, id: unknown): PeeringRecord {
  const p = peeringOf(ctx, id);
  if (p.state !== 'pending-acceptance') throw new AwsError('InvalidStateTransition', `Invalid state transition for pcx ${p.id}, attempted to transition from ${p.state} to active`, 400);
  if (p.accepter.account !== ctx.account || p.accepter.region !== ctx.region) {
    throw new AwsError('OperationNotPermitted', `User ${ctx.account} cannot accept peering ${p.id}`, 400);
  }
  return p;
}

export const acceptVpcPeeringConnection: Handler = (input, ctx) => {
  const p = pendingForAccepter(ctx, input['VpcPeeringConnectionId']);
  both(ctx, p, 'active');
  return { VpcPeeringConnection: { ...peeringOut(p), Status: { Code: 'provisioning', Message: 'Provisioning' } } };
};

export const rejectVpcPeeringConnection: Handler = (input, ctx) => {
  both(ctx, pendingForAccepter(ctx, input['VpcPeeringConnectionId']), 'rejected');
  return { Return: true };
};

export const deleteVpcPeeringConnection: Handler = (input, ctx) => {
  both(ctx, peeringOf(ctx, input['VpcPeeringConnectionId']), 'deleted');
  return { Return: true };
};

export const describeVpcPeeringConnections: Handler = (input, ctx) => {
  const page = describe({
    items: peerings(ec2State(ctx)).values(), idOf: (p) => p.id, tagsOf: (p) => p.tags,
    notFound: (ids) => new AwsError('InvalidVpcPeeringConnectionID.NotFound', `The vpcPeeringConnection ID '${ids[0]}' does not exist`, 400),
    fields: {
      'vpc-peering-connection-id': (p) => p.id, 'status-code': (p) => p.state, 'requester-vpc-info.vpc-id': (p) => p.requester.vpcId,
      'accepter-vpc-info.vpc-id': (p) => p.accepter.vpcId, 'requester-vpc-info.owner-id': (p) => p.requester.account,
      'accepter-vpc-info.owner-id': (p) => p.accepter.account,
    },
    ids: input['VpcPeeringConnectionIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { VpcPeeringConnections: page.items.map(peeringOut), NextToken: page.nextToken };
};
