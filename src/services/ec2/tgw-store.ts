/**
 * Transit gateway records (kept in the EC2 scope's extra collections) and the lookups every
 * transit gateway handler shares. Associations and propagations live on the attachment: an
 * attachment is associated with at most one route table and propagates into any number.
 */
import { AwsError } from '../../core/errors.js';
import type { Collection } from '../../core/store.js';
import { found, tgwNotFound } from './errors.js';
import type { Ec2State, Tag } from './store.js';

export type TgwAttachmentType = 'vpc' | 'peering' | 'direct-connect-gateway';

export interface TgwRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  description: string;
  asn: number;
  defaultAssociation: boolean;
  defaultPropagation: boolean;
  associationDefaultRouteTableId?: string;
  propagationDefaultRouteTableId?: string;
  autoAccept: boolean;
  dnsSupport: boolean;
  vpnEcmpSupport: boolean;
  state: 'available' | 'deleted';
}

export interface TgwAttachmentRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  tgwId: string;
  type: TgwAttachmentType;
  resourceId: string;
  resourceOwner: string;
  subnetIds: string[];
  eniIds: string[];
  state: 'available' | 'pendingAcceptance' | 'deleted' | 'rejected';
  routeTableId?: string;
  propagations: string[];
  options?: Record<string, string>;
  /** Peering: the other side (same attachment id there) and which side this is. */
  peer?: { tgwId: string; account: string; region: string; role: 'requester' | 'accepter' };
}

export interface TgwRouteRecord {
  destination: string;
  attachmentId?: string;
  blackhole: boolean;
}

export interface TgwRouteTableRecord {
  id: string;
  tags: Tag[];
  createdMs: number;
  tgwId: string;
  routes: TgwRouteRecord[];
  state: 'available' | 'deleted';
}

export const tgws = (s: Ec2State): Collection<TgwRecord> => s.extra('tgws');
export const attachments = (s: Ec2State): Collection<TgwAttachmentRecord> => s.extra('tgwAttachments');
export const tgwRouteTables = (s: Ec2State): Collection<TgwRouteTableRecord> => s.extra('tgwRouteTables');

export function tgwOf(s: Ec2State, id: unknown): TgwRecord {
  return found(tgws(s), id, (i) => tgwNotFound('InvalidTransitGatewayID.NotFound', 'Transit Gateway', i), (t) => t.state !== 'deleted');
}

export function attachmentOf(s: Ec2State, id: unknown): TgwAttachmentRecord {
  return found(attachments(s), id, (i) => tgwNotFound('InvalidTransitGatewayAttachmentID.NotFound', 'Transit Gateway Attachment', i), (a) => a.state !== 'deleted');
}

export function tgwRouteTableOf(s: Ec2State, id: unknown): TgwRouteTableRecord {
  return found(tgwRouteTables(s), id, (i) => tgwNotFound('InvalidRouteTableID.NotFound', 'Transit Gateway Route Table', i), (r) => r.state !== 'deleted');
}

/** The attachment must be usable (not waiting for acceptance) to be associated or to propagate. */
export function usable(a: TgwAttachmentRecord): void {
  if (a.state !== 'available') {
    throw new AwsError('IncorrectState', `${a.id} is in invalid state`, 400);
  }
}

/** AWS names the resource type of an attachment like this in every output. */
export function resourceType(a: TgwAttachmentRecord): string {
  return a.type;
}

/** The association/propagation row shape shared by several outputs. */
export function attachmentRef(a: TgwAttachmentRecord) {
  return { TransitGatewayAttachmentId: a.id, ResourceId: a.resourceId, ResourceType: resourceType(a) };
}

/** Associates with and propagates into the TGW's default route tables, when its options say so. */
export function applyDefaults(s: Ec2State, tgw: TgwRecord, a: TgwAttachmentRecord): void {
  if (tgw.defaultAssociation && tgw.associationDefaultRouteTableId !== undefined) a.routeTableId = tgw.associationDefaultRouteTableId;
  if (tgw.defaultPropagation && tgw.propagationDefaultRouteTableId !== undefined) a.propagations = [tgw.propagationDefaultRouteTableId];
}
