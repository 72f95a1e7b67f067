/**
 * The network engine's view of an account: every region's VPC resources, transit gateways
 * and the Direct Connect gateways they reach, plus the active faults, as one plain-data
 * {@link Topology}. Built per analysis; the engine never reads the stores itself.
 */
import type { FaultRegistry } from '../../core/faults.js';
import type { Stores } from '../../core/store.js';
import type { NetDxGateway, NetTgwAttachment, Topology, VpcRoute } from '../../engines/network/topology.js';
import { emptyTopology } from '../../engines/network/topology.js';
import { servicesBehind } from './endpoint-services-store.js';
import { awsPrefixLists } from './endpoints.js';
import { settleNatGateways } from './gateways.js';
import { settleInstances } from './instances-common.js';
import { routeState } from './route-tables.js';
import { stateOf, type Ec2State } from './store.js';
import { attachments, tgwRouteTables, tgws, type TgwAttachmentRecord } from './tgw-store.js';

/** What EC2 keeps of a Direct Connect gateway (from Direct Connect's bus events). */
export type DxGatewayView = NetDxGateway & { name: string };

/** Managed prefix lists and VPC endpoints register their contents here (see endpoints). */
export interface PrefixListView { id: string; name: string; cidrs: string[] }
export interface EndpointView {
  id: string; vpcId: string; serviceName: string; prefixListId?: string; type: string; state: string; routeTableIds: string[];
  eniIds?: string[]; privateDns?: boolean; policy?: string; serviceId?: string;
}

export const dxGateways = (s: Ec2State) => s.extra<DxGatewayView>('dxGateways');

/** Topology of `account` across the regions where it has EC2 state. */
export function snapshot(stores: Stores, faults: FaultRegistry, account: string, nowMs: number): Topology {
  const t = emptyTopology();
  const regions = stores.accountsRegions('ec2').filter((x) => x.account === account).map((x) => x.region);
  const dx = new Map<string, NetDxGateway>();
  for (const region of regions) {
    const s = stateOf(stores, account, region);
    settleNatGateways(s, nowMs);
    // Terminated instances give up their interfaces, so they leave the topology.
    settleInstances(s, nowMs);
    addRegion(t, s, region, account);
    for (const g of dxGateways(s).values()) {
      const prev = dx.get(g.id);
      dx.set(g.id, prev ? { ...prev, associations: [...prev.associations, ...g.associations] } : { id: g.id, uplinks: g.uplinks, associations: g.associations });
    }
  }
  t.dxGateways = [...dx.values()];
  // PrivateLink services the account's interface endpoints reach, whichever account provides them.
  t.endpointServices = servicesBehind(stores, t.interfaceEndpoints ?? [], (vpcId) => t.vpcs.find((v) => v.id === vpcId)?.region);
  for (const f of faults.list()) {
    if (f.type === 'region-outage' && (f.services === undefined || f.services.includes('ec2'))) t.faults.regionsDown.push(f.region);
    if (f.type === 'dx-link-down') t.faults.linksDown.push(f.connectionId);
  }
  return t;
}

function addRegion(t: Topology, s: Ec2State, region: string, account: string): void {
  const prefixLists = new Map([...awsPrefixLists(region), ...s.extra<PrefixListView>('prefixLists').values()].map((p) => [p.id, p]));
  for (const p of prefixLists.values()) if (!t.prefixLists.some((x) => x.id === p.id)) t.prefixLists.push({ id: p.id, name: p.name, cidrs: p.cidrs });
  for (const v of s.vpcs.values()) t.vpcs.push({ id: v.id, account, region, cidrs: v.cidrs.map((c) => c.cidr) });
  for (const sn of s.subnets.values()) t.subnets.push({ id: sn.id, vpcId: sn.vpcId, cidr: sn.cidr, az: sn.az });
  const aclBySubnet = new Map<string, string>();
  for (const a of s.networkAcls.values()) {
    t.networkAcls.push({ id: a.id, vpcId: a.vpcId, subnetIds: a.associations.map((x) => x.subnetId), entries: a.entries });
    for (const x of a.associations) aclBySubnet.set(x.subnetId, a.id);
  }
  for (const rt of s.routeTables.values()) {
    const routes: VpcRoute[] = [];
    for (const r of rt.routes) {
      const state = routeState(s, rt, r);
      // A route to a prefix list stands for one route per CIDR in the list.
      const dests = r.destination !== undefined ? [r.destination] : prefixLists.get(r.prefixListId ?? '')?.cidrs ?? [];
      for (const d of dests) routes.push({ destination: d, prefixListId: r.prefixListId, targetType: r.targetType, targetId: r.targetId, state });
    }
    t.routeTables.push({
      id: rt.id, vpcId: rt.vpcId, main: rt.main, routes,
      subnetIds: rt.associations.flatMap((a) => (a.subnetId ? [a.subnetId] : [])),
      gatewayIds: rt.associations.flatMap((a) => (a.gatewayId ? [a.gatewayId] : [])),
    });
  }
  for (const g of s.securityGroups.values()) {
    const rules = (egress: boolean) => g.rules.filter((r) => r.egress === egress).map((r) => ({
      protocol: r.protocol, fromPort: r.fromPort, toPort: r.toPort,
      cidrs: r.cidr ? [r.cidr] : [], groupIds: r.groupId ? [r.groupId] : [], prefixListIds: r.prefixListId ? [r.prefixListId] : [],
    }));
    t.securityGroups.push({ id: g.id, vpcId: g.vpcId, ingress: rules(false), egress: rules(true) });
  }
  const publicIps = new Map([...s.addresses.values()].filter((a) => a.eniId).map((a) => [a.eniId!, a.publicIp]));
  for (const e of s.enis.values()) {
    t.enis.push({
      id: e.id, subnetId: e.subnetId, vpcId: e.vpcId, privateIps: e.privateIps, publicIp: publicIps.get(e.id) ?? e.publicIp,
      groupIds: e.groupIds, instanceId: e.attachment?.instanceId, interfaceType: e.interfaceType,
    });
  }
  for (const g of s.gateways.values()) t.gateways.push({ id: g.id, type: g.kind, vpcId: g.vpcId, available: g.vpcId !== undefined });
  for (const n of s.natGateways.values()) {
    t.gateways.push({ id: n.id, type: 'nat', vpcId: n.vpcId, subnetId: n.subnetId, eniId: n.eniId, available: n.state === 'available' });
  }
  for (const ep of s.extra<EndpointView>('endpoints').values()) {
    if (ep.state === 'deleted') continue;
    if (ep.type === 'Interface') {
      t.interfaceEndpoints!.push({
        id: ep.id, vpcId: ep.vpcId, serviceName: ep.serviceName, eniIds: ep.eniIds ?? [], state: ep.state, privateDns: ep.privateDns ?? false, policy: ep.policy, serviceId: ep.serviceId,
      });
    }
    if (ep.type !== 'Gateway') continue;
    t.gateways.push({ id: ep.id, type: 'vpce', vpcId: ep.vpcId, prefixListId: ep.prefixListId, serviceName: ep.serviceName, policy: ep.policy, available: ep.state === 'available' });
  }
  for (const p of s.extra<{ id: string; requesterVpcId: string; accepterVpcId: string; state: string; role?: string }>('peerings').values()) {
    if (p.role !== 'accepter') t.peerings.push({ id: p.id, requesterVpcId: p.requesterVpcId, accepterVpcId: p.accepterVpcId, active: p.state === 'active' });
  }
  for (const g of tgws(s).values()) if (g.state !== 'deleted') t.tgws.push({ id: g.id, account, region });
  const accepters = new Set([...attachments(s).values()].filter((a) => a.peer?.role === 'accepter').map((a) => a.id));
  const engineId = (id: string | undefined) => (id !== undefined && accepters.has(id) ? id + ACCEPTER_SUFFIX : id);
  for (const rt of tgwRouteTables(s).values()) {
    if (rt.state === 'deleted') continue;
    t.tgwRouteTables.push({
      id: rt.id, tgwId: rt.tgwId,
      staticRoutes: rt.routes.map((r) => ({ destination: r.destination, attachmentId: engineId(r.attachmentId), state: r.blackhole ? 'blackhole' : 'active' })),
    });
  }
  for (const a of attachments(s).values()) {
    if (a.state === 'deleted') continue;
    t.tgwAttachments.push(engineAttachment(a));
  }
}

/** Peering attachments share one id on both sides; the engine tells the sides apart by suffix. */
export const ACCEPTER_SUFFIX = '#accepter';

function engineAttachment(a: TgwAttachmentRecord): NetTgwAttachment {
  const accepter = a.peer?.role === 'accepter';
  return {
    id: accepter ? a.id + ACCEPTER_SUFFIX : a.id, tgwId: a.tgwId, type: a.type, resourceId: a.resourceId, subnetIds: a.subnetIds,
    routeTableId: a.routeTableId, propagatesTo: a.propagations, available: a.state === 'available',
    ...(a.peer ? { peerAttachmentId: accepter ? a.id : a.id + ACCEPTER_SUFFIX } : {}),
  };
}
