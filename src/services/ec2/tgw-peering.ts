/**
 * Transit gateway peering attachments, across regions and accounts: one attachment id seen
 * from both sides, `pendingAcceptance` until the peer side accepts it. Once available it can
 * be associated, and static routes can point at it, on each side.
 */
import { AwsError } from '../../core/errors.js';
import { awsId } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { describe } from './describe.js';
import { invalidParam, tgwNotFound } from './errors.js';
import { ec2State, stateOf } from './store.js';
import { tagsFor } from './tags.js';
import { attachmentOf, attachments, tgwOf, type TgwAttachmentRecord } from './tgw-store.js';

function sides(a: TgwAttachmentRecord, ctx: Pick<ServiceContext, 'account' | 'region'>) {
  const me = { TransitGatewayId: a.tgwId, OwnerId: ctx.account, Region: ctx.region };
  const peer = { TransitGatewayId: a.peer!.tgwId, OwnerId: a.peer!.account, Region: a.peer!.region };
  return a.peer!.role === 'requester' ? { requester: me, accepter: peer } : { requester: peer, accepter: me };
}

const STATUS: Record<string, string> = {
  pendingAcceptance: 'Pending Acceptance', available: 'Available', rejected: 'Rejected', deleted: 'Deleted', initiatingRequest: 'Initiating Request',
};

function peeringOut(a: TgwAttachmentRecord, ctx: Pick<ServiceContext, 'account' | 'region'>, state: string = a.state) {
  const { requester, accepter } = sides(a, ctx);
  return {
    TransitGatewayAttachmentId: a.id, RequesterTgwInfo: requester, AccepterTgwInfo: accepter, State: state,
    Status: { Code: state, Message: STATUS[state] ?? state }, CreationTime: new Date(a.createdMs), Tags: a.tags,
    Options: { DynamicRouting: 'disable' },
  };
}

/** The same attachment as the other side stores it. */
function twin(ctx: ServiceContext, a: TgwAttachmentRecord) {
  const s = stateOf(ctx.stores, a.peer!.account, a.peer!.region);
  return { s, twin: attachments(s).get(a.id) };
}

export const createTransitGatewayPeeringAttachment: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const tgw = tgwOf(s, input['TransitGatewayId']);
  const peerAccount = (input['PeerAccountId'] as string | undefined) ?? ctx.account;
  const peerRegion = (input['PeerRegion'] as string | undefined) ?? ctx.region;
  const peerTgwId = String(input['PeerTransitGatewayId']);
  const ps = stateOf(ctx.stores, peerAccount, peerRegion);
  const peerTgw = ps.extra<{ state: string }>('tgws').get(peerTgwId);
  if (peerTgw === undefined || peerTgw.state === 'deleted') throw tgwNotFound('InvalidTransitGatewayID.NotFound', 'Transit Gateway', peerTgwId);
  if (peerTgwId === tgw.id) throw invalidParam('A transit gateway cannot peer with itself');
  const now = ctx.clock.nowMs();
  const id = awsId('tgw-attach');
  const base = { id, createdMs: now, type: 'peering' as const, subnetIds: [], eniIds: [], propagations: [], state: 'pendingAcceptance' as const };
  const mine: TgwAttachmentRecord = {
    ...base, tags: tagsFor(input, 'transit-gateway-attachment'), tgwId: tgw.id, resourceId: peerTgwId, resourceOwner: peerAccount,
    peer: { tgwId: peerTgwId, account: peerAccount, region: peerRegion, role: 'requester' },
  };
  const theirs: TgwAttachmentRecord = {
    ...base, tags: [], tgwId: peerTgwId, resourceId: tgw.id, resourceOwner: ctx.account,
    peer: { tgwId: tgw.id, account: ctx.account, region: ctx.region, role: 'accepter' },
  };
  attachments(s).set(id, mine);
  attachments(ps).set(id, theirs);
  return { TransitGatewayPeeringAttachment: peeringOut(mine, ctx, 'initiatingRequest') };
};

function setBoth(ctx: ServiceContext, a: TgwAttachmentRecord, state: TgwAttachmentRecord['state']): void {
  a.state = state;
  attachments(ec2State(ctx)).set(a.id, a);
  const other = twin(ctx, a);
  if (other.twin !== undefined) {
    other.twin.state = state;
    if (state === 'deleted') { delete other.twin.routeTableId; other.twin.propagations = []; }
    attachments(other.s).set(a.id, other.twin);
  }
}

function pendingPeering(ctx: ServiceContext, id: unknown): TgwAttachmentRecord {
  const a = attachmentOf(ec2State(ctx), id);
  if (a.type !== 'peering') throw invalidParam(`${a.id} is not a peering attachment`);
  if (a.state !== 'pendingAcceptance') throw new AwsError('IncorrectState', `${a.id} is in invalid state`, 400);
  if (a.peer!.role !== 'accepter') throw new AwsError('InvalidParameterValue', `${a.id} can only be accepted or rejected by the accepter`, 400);
  return a;
}

export const acceptTransitGatewayPeeringAttachment: Handler = (input, ctx) => {
  const a = pendingPeering(ctx, input['TransitGatewayAttachmentId']);
  setBoth(ctx, a, 'available');
  return { TransitGatewayPeeringAttachment: peeringOut(a, ctx, 'pending') };
};

export const rejectTransitGatewayPeeringAttachment: Handler = (input, ctx) => {
  const a = pendingPeering(ctx, input['TransitGatewayAttachmentId']);
  setBoth(ctx, a, 'rejected');
  return { TransitGatewayPeeringAttachment: peeringOut(a, ctx, 'rejecting') };
};

export const deleteTransitGatewayPeeringAttachment: Handler = (input, ctx) => {
  const a = attachmentOf(ec2State(ctx), input['TransitGatewayAttachmentId']);
  if (a.type !== 'peering') throw invalidParam(`${a.id} is not a peering attachment`);
  delete a.routeTableId;
  a.propagations = [];
  setBoth(ctx, a, 'deleted');
  return { TransitGatewayPeeringAttachment: peeringOut(a, ctx, 'deleting') };
};

export const describeTransitGatewayPeeringAttachments: Handler = (input, ctx) => {
  const s = ec2State(ctx);
  const page = describe({
    items: [...attachments(s).values()].filter((a) => a.type === 'peering'), idOf: (a) => a.id, tagsOf: (a) => a.tags,
    notFound: (ids) => tgwNotFound('InvalidTransitGatewayAttachmentID.NotFound', 'Transit Gateway Attachment', ids[0]!),
    fields: {
      'transit-gateway-attachment-id': (a) => a.id, state: (a) => a.state, 'transit-gateway-id': (a) => a.tgwId,
      'requester-tgw-info.transit-gateway-id': (a) => sides(a, ctx).requester.TransitGatewayId,
      'accepter-tgw-info.transit-gateway-id': (a) => sides(a, ctx).accepter.TransitGatewayId,
    },
    ids: input['TransitGatewayAttachmentIds'], filters: input['Filters'], maxResults: input['MaxResults'], nextToken: input['NextToken'],
  });
  return { TransitGatewayPeeringAttachments: page.items.map((a) => peeringOut(a, ctx)), NextToken: page.nextToken };
};
