/**
 * Private and transit virtual interfaces on a connection or LAG: a VLAN unique on that link,
 * the customer's BGP ASN, and the Direct Connect gateway (or virtual private gateway) they
 * reach. A VIF's state follows its link: pending until the link is provisioned, down with it.
 */
import { arn } from '../../core/ids.js';
import type { Handler, ServiceContext } from '../types.js';
import { lagOf } from './connections.js';
import { onPremCidrs, publishGateway } from './publish.js';
import { clientError, connectionState, dxId, global, lagState, regional, type DxRegional, type VifRecord } from './store.js';
import { readTags } from './tags.js';

function linkState(r: DxRegional, v: VifRecord, ctx: ServiceContext): string {
  const now = ctx.clock.nowMs();
  if (v.connectionId.startsWith('dxlag-')) {
    const l = r.lags.get(v.connectionId);
    if (l === undefined) return 'deleted';
    return lagState(l, [...r.connections.values()].filter((c) => c.lagId === l.id && !c.deleted), now, ctx.faults);
  }
  const c = r.connections.get(v.connectionId);
  return c === undefined ? 'deleted' : connectionState(c, now, ctx.faults);
}

function vifState(r: DxRegional, v: VifRecord, ctx: ServiceContext): string {
  if (v.deleted) return 'deleted';
  const link = linkState(r, v, ctx);
  return link === 'available' ? 'available' : link === 'down' ? 'down' : 'pending';
}

function vifOut(r: DxRegional, v: VifRecord, ctx: ServiceContext, state?: string) {
  const location = (v.connectionId.startsWith('dxlag-') ? r.lags.get(v.connectionId)?.location : r.connections.get(v.connectionId)?.location) ?? '';
  const gw = v.directConnectGatewayId ? global(ctx.stores, ctx.account).gateways.get(v.directConnectGatewayId) : undefined;
  const s = state ?? vifState(r, v, ctx);
  return {
    ownerAccount: ctx.account, virtualInterfaceId: v.id, location, connectionId: v.connectionId, virtualInterfaceType: v.type,
    virtualInterfaceName: v.name, vlan: v.vlan, asn: v.asn, asnLong: v.asn, amazonSideAsn: gw?.asn ?? 64512, authKey: v.authKey,
    amazonAddress: v.amazonAddress, customerAddress: v.customerAddress, addressFamily: v.addressFamily, virtualInterfaceState: s,
    mtu: v.mtu, jumboFrameCapable: true, directConnectGatewayId: v.directConnectGatewayId, virtualGatewayId: v.virtualGatewayId ?? '',
    routeFilterPrefixes: onPremCidrs(v).map((cidr) => ({ cidr })), region: v.region, tags: v.tags, siteLinkEnabled: false,
    bgpPeers: [{
      bgpPeerId: `dxpeer-${v.id.slice(6)}`, asn: v.asn, authKey: v.authKey, addressFamily: v.addressFamily, amazonAddress: v.amazonAddress,
      customerAddress: v.customerAddress, bgpPeerState: s === 'deleted' ? 'deleted' : 'available', bgpStatus: s === 'available' ? 'up' : 'down',
      awsDeviceV2: `${location}-abcd1`, awsLogicalDeviceId: `${location}-abcd1`,
    }],
  };
}

function create(type: 'private' | 'transit', member: string): Handler {
  return (input, ctx) => {
    const r = regional(ctx.stores, ctx.account, ctx.region);
    const linkId = String(input['connectionId'] ?? '');
    if (linkId.startsWith('dxlag-')) lagOf(r, linkId);
    else if (r.connections.get(linkId) === undefined || r.connections.get(linkId)!.deleted) throw clientError(`Connection ${linkId} does not exist`);
    const spec = (input[member] ?? {}) as Record<string, unknown>;
    const vlan = Number(spec['vlan']);
    if (!Number.isInteger(vlan) || vlan < 1 || vlan > 4094) throw clientError(`VLAN ${String(spec['vlan'])} is not valid. Must be between 1 and 4094`);
    if ([...r.vifs.values()].some((v) => !v.deleted && v.connectionId === linkId && v.vlan === vlan)) {
      throw clientError(`VLAN ${vlan} is already in use on ${linkId}`);
    }
    const asn = Number(spec['asnLong'] ?? spec['asn']);
    if (!Number.isInteger(asn) || asn < 1 || asn > 4294967294) throw clientError('A valid BGP ASN is required');
    const gwId = spec['directConnectGatewayId'] as string | undefined;
    const vgwId = spec['virtualGatewayId'] as string | undefined;
    if (type === 'transit' && gwId === undefined) throw clientError('A transit virtual interface must be attached to a Direct Connect gateway');
    if (gwId === undefined && vgwId === undefined) throw clientError('Either directConnectGatewayId or virtualGatewayId must be specified');
    if (gwId !== undefined) {
      const gw = global(ctx.stores, ctx.account).gateways.get(gwId);
      if (gw === undefined || gw.deleted) throw clientError(`Direct Connect Gateway ${gwId} does not exist`);
    }
    const mtu = Number(spec['mtu'] ?? (type === 'transit' ? 8500 : 1500));
    const allowedMtu = type === 'transit' ? [1500, 8500] : [1500, 9001];
    if (!allowedMtu.includes(mtu)) throw clientError(`MTU ${mtu} is not valid for a ${type} virtual interface`);
    const v: VifRecord = {
      id: dxId('dxvif'), type, name: String(spec['virtualInterfaceName'] ?? ''), connectionId: linkId, vlan, asn, mtu,
      amazonAddress: String(spec['amazonAddress'] ?? '169.254.255.1/30'), customerAddress: String(spec['customerAddress'] ?? '169.254.255.2/30'),
      addressFamily: String(spec['addressFamily'] ?? 'ipv4'), authKey: String(spec['authKey'] ?? `0x${vlan.toString(16)}drydock`),
      directConnectGatewayId: gwId, virtualGatewayId: vgwId, region: ctx.region, deleted: false, tags: readTags(spec['tags']),
    };
    r.vifs.set(v.id, v);
    if (gwId) publishGateway(ctx, ctx.account, gwId);
    return type === 'transit' ? { virtualInterface: vifOut(r, v, ctx, 'pending') } : vifOut(r, v, ctx, 'pending');
  };
}

export const createPrivateVirtualInterface = create('private', 'newPrivateVirtualInterface');
export const createTransitVirtualInterface = create('transit', 'newTransitVirtualInterface');

export const describeVirtualInterfaces: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const id = input['virtualInterfaceId'] as string | undefined;
  const link = input['connectionId'] as string | undefined;
  if (id !== undefined && (r.vifs.get(id) === undefined || r.vifs.get(id)!.deleted)) throw clientError(`Virtual interface ${id} does not exist`);
  const list = [...r.vifs.values()].filter((v) => !v.deleted && (id === undefined || v.id === id) && (link === undefined || v.connectionId === link));
  return { virtualInterfaces: list.map((v) => vifOut(r, v, ctx)) };
};

export const deleteVirtualInterface: Handler = (input, ctx) => {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  const v = r.vifs.get(String(input['virtualInterfaceId']));
  if (v === undefined || v.deleted) throw clientError(`Virtual interface ${String(input['virtualInterfaceId'])} does not exist`);
  v.deleted = true;
  r.vifs.set(v.id, v);
  if (v.directConnectGatewayId) publishGateway(ctx, ctx.account, v.directConnectGatewayId);
  return { virtualInterfaceState: 'deleting' };
};

export const vifArn = (ctx: ServiceContext, id: string) => arn({ service: 'directconnect', region: ctx.region, account: ctx.account, resource: `dxvif/${id}` });

/** VIF attachments of gateways in this region, for DescribeDirectConnectGatewayAttachments. */
export function vifAttachments(ctx: ServiceContext, gatewayId?: string, vifId?: string) {
  const r = regional(ctx.stores, ctx.account, ctx.region);
  return [...r.vifs.values()]
    .filter((v) => !v.deleted && v.directConnectGatewayId !== undefined && (gatewayId === undefined || v.directConnectGatewayId === gatewayId) && (vifId === undefined || v.id === vifId))
    .map((v) => ({
      directConnectGatewayId: v.directConnectGatewayId, virtualInterfaceId: v.id, virtualInterfaceRegion: v.region,
      virtualInterfaceOwnerAccount: ctx.account, attachmentState: 'attached', attachmentType: v.type === 'transit' ? 'TransitVirtualInterface' : 'PrivateVirtualInterface',
    }));
}
