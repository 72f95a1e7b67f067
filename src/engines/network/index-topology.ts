/**
 * A topology indexed for tracing: every lookup the walker makes (an ENI by address, the route
 * table of a subnet, the longest-prefix route of a transit gateway route table) is a map probe,
 * so tracing a path costs the same in a network of 5 VPCs as in one of 5,000.
 */
import { containsIp, parseCidr, parseIp, PrefixTable, type Cidr } from './cidr.js';
import type {
  NetDxGateway, NetDxUplink, NetEndpointService, NetEni, NetGateway, NetInterfaceEndpoint, NetNetworkAcl, NetPeering, NetRouteTable, NetSecurityGroup, NetSubnet,
  NetTgw, NetTgwAttachment, NetTgwRouteTable, NetVpc, Topology, VpcRoute,
} from './topology.js';

/** A transit gateway route in effect: static, blackhole or propagated from an attachment. */
export interface EffectiveTgwRoute {
  destination: string;
  attachmentId?: string;
  type: 'static' | 'propagated';
  state: 'active' | 'blackhole';
}

function byId<T extends { id: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((i) => [i.id, i]));
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list === undefined) m.set(k, [i]);
    else list.push(i);
  }
  return m;
}

/** CIDRs an attachment advertises when it propagates into a route table. */
function propagatedCidrs(t: Topology, a: NetTgwAttachment, vpcs: Map<string, NetVpc>, dx: Map<string, NetDxGateway>): string[] {
  if (a.type === 'vpc') return vpcs.get(a.resourceId)?.cidrs ?? [];
  if (a.type === 'direct-connect-gateway') {
    return [...new Set((dx.get(a.resourceId)?.uplinks ?? []).flatMap((u) => u.onPremCidrs))];
  }
  void t;
  return [];
}

/**
 * The routes of every TGW route table: static and blackhole routes first (a static route wins
 * over a propagated one for the same prefix, as on AWS), then propagated ones.
 */
export function effectiveTgwRoutes(t: Topology): Map<string, EffectiveTgwRoute[]> {
  const vpcs = byId(t.vpcs);
  const dx = byId(t.dxGateways);
  const out = new Map<string, EffectiveTgwRoute[]>();
  const taken = new Map<string, Set<string>>();
  for (const rt of t.tgwRouteTables) {
    out.set(rt.id, rt.staticRoutes.map((r) => ({ ...r, type: 'static' as const })));
    taken.set(rt.id, new Set(rt.staticRoutes.map((r) => r.destination)));
  }
  for (const a of t.tgwAttachments) {
    if (!a.available) continue;
    for (const rtId of a.propagatesTo) {
      const routes = out.get(rtId);
      if (routes === undefined) continue;
      const seen = taken.get(rtId)!;
      for (const cidr of propagatedCidrs(t, a, vpcs, dx)) {
        if (seen.has(cidr)) continue;
        seen.add(cidr);
        routes.push({ destination: cidr, attachmentId: a.id, type: 'propagated', state: 'active' });
      }
    }
  }
  return out;
}

/** Lookups over one topology snapshot. Build once per analysis; read-only afterwards. */
export class NetIndex {
  readonly vpcs: Map<string, NetVpc>;
  readonly subnets: Map<string, NetSubnet>;
  readonly routeTables: Map<string, NetRouteTable>;
  readonly securityGroups: Map<string, NetSecurityGroup>;
  readonly enis: Map<string, NetEni>;
  readonly gateways: Map<string, NetGateway>;
  readonly peerings: Map<string, NetPeering>;
  readonly tgws: Map<string, NetTgw>;
  readonly attachments: Map<string, NetTgwAttachment>;
  readonly tgwRouteTables: Map<string, NetTgwRouteTable>;
  readonly dxGateways: Map<string, NetDxGateway>;
  readonly tgwRoutes: Map<string, EffectiveTgwRoute[]>;
  readonly subnetsOfVpc: Map<string, NetSubnet[]>;
  readonly prefixLists: Map<string, string[]>;
  readonly endpointServices: Map<string, NetEndpointService>;
  #endpointOfEni = new Map<string, NetInterfaceEndpoint>();
  #rtOfSubnet = new Map<string, NetRouteTable>();
  #mainRt = new Map<string, NetRouteTable>();
  #aclOfSubnet = new Map<string, NetNetworkAcl>();
  #eniByIp = new Map<number, NetEni>();
  #eniByPublicIp = new Map<number, NetEni>();
  #attachByVpcTgw = new Map<string, NetTgwAttachment>();
  #tgwLpm = new Map<string, PrefixTable<EffectiveTgwRoute>>();
  #vpcRouteLpm = new Map<string, PrefixTable<VpcRoute>>();
  #subnetCidrs = new Map<string, Cidr>();

  constructor(readonly topology: Topology) {
    const t = topology;
    this.vpcs = byId(t.vpcs);
    this.subnets = byId(t.subnets);
    this.routeTables = byId(t.routeTables);
    this.securityGroups = byId(t.securityGroups);
    this.enis = byId(t.enis);
    this.gateways = byId(t.gateways);
    this.peerings = byId(t.peerings);
    this.tgws = byId(t.tgws);
    this.attachments = byId(t.tgwAttachments);
    this.tgwRouteTables = byId(t.tgwRouteTables);
    this.dxGateways = byId(t.dxGateways);
    this.prefixLists = new Map(t.prefixLists.map((p) => [p.id, p.cidrs]));
    this.endpointServices = byId(t.endpointServices ?? []);
    for (const ep of t.interfaceEndpoints ?? []) for (const e of ep.eniIds) this.#endpointOfEni.set(e, ep);
    this.subnetsOfVpc = group(t.subnets, (s) => s.vpcId);
    for (const rt of t.routeTables) {
      if (rt.main) this.#mainRt.set(rt.vpcId, rt);
      for (const s of rt.subnetIds) this.#rtOfSubnet.set(s, rt);
    }
    for (const acl of t.networkAcls) for (const s of acl.subnetIds) this.#aclOfSubnet.set(s, acl);
    for (const e of t.enis) {
      for (const ip of e.privateIps) this.#eniByIp.set(parseIp(ip) ?? -1, e);
      if (e.publicIp !== undefined) this.#eniByPublicIp.set(parseIp(e.publicIp) ?? -1, e);
    }
    for (const a of t.tgwAttachments) if (a.type === 'vpc') this.#attachByVpcTgw.set(`${a.resourceId}/${a.tgwId}`, a);
    this.tgwRoutes = effectiveTgwRoutes(t);
    for (const s of t.subnets) {
      const c = parseCidr(s.cidr);
      if (c !== undefined) this.#subnetCidrs.set(s.id, c);
    }
  }

  /** The route table that routes a subnet's traffic: its explicit association, else the VPC's main table. */
  routeTableOfSubnet(subnetId: string): NetRouteTable | undefined {
    const s = this.subnets.get(subnetId);
    return this.#rtOfSubnet.get(subnetId) ?? (s === undefined ? undefined : this.#mainRt.get(s.vpcId));
  }

  /** The interface endpoint an ENI belongs to, if any. */
  interfaceEndpointOfEni(eniId: string): NetInterfaceEndpoint | undefined {
    return this.#endpointOfEni.get(eniId);
  }

  /** Interface endpoints of a VPC. */
  interfaceEndpointsOf(vpcId: string): NetInterfaceEndpoint[] {
    return (this.topology.interfaceEndpoints ?? []).filter((e) => e.vpcId === vpcId);
  }

  aclOfSubnet(subnetId: string): NetNetworkAcl | undefined {
    return this.#aclOfSubnet.get(subnetId);
  }

  eniByIp(ip: number): NetEni | undefined {
    return this.#eniByIp.get(ip);
  }

  eniByPublicIp(ip: number): NetEni | undefined {
    return this.#eniByPublicIp.get(ip);
  }

  /** The subnet of `vpcId` whose CIDR holds `ip`. */
  subnetOfIp(vpcId: string, ip: number): NetSubnet | undefined {
    return (this.subnetsOfVpc.get(vpcId) ?? []).find((s) => containsIp(this.#subnetCidrs.get(s.id)!, ip));
  }

  /** Any subnet anywhere whose CIDR holds `ip` (first found). */
  anySubnetOfIp(ip: number): NetSubnet | undefined {
    for (const s of this.subnets.values()) if (containsIp(this.#subnetCidrs.get(s.id)!, ip)) return s;
    return undefined;
  }

  subnetCidr(subnetId: string): Cidr | undefined {
    return this.#subnetCidrs.get(subnetId);
  }

  vpcHasIp(vpcId: string, ip: number): boolean {
    return (this.vpcs.get(vpcId)?.cidrs ?? []).some((c) => {
      const p = parseCidr(c);
      return p !== undefined && containsIp(p, ip);
    });
  }

  vpcAttachment(vpcId: string, tgwId: string): NetTgwAttachment | undefined {
    return this.#attachByVpcTgw.get(`${vpcId}/${tgwId}`);
  }

  /** Longest-prefix route of a VPC route table; a blackhole route is returned too (it blocks). */
  vpcRoute(rt: NetRouteTable, ip: number): VpcRoute | undefined {
    let table = this.#vpcRouteLpm.get(rt.id);
    if (table === undefined) {
      table = new PrefixTable();
      for (const r of rt.routes) {
        const c = parseCidr(r.destination);
        if (c !== undefined) table.add(c, r);
      }
      this.#vpcRouteLpm.set(rt.id, table);
    }
    return table.lookup(ip)?.value;
  }

  /** Longest-prefix route of a transit gateway route table. */
  tgwRoute(rtId: string, ip: number): EffectiveTgwRoute | undefined {
    let table = this.#tgwLpm.get(rtId);
    if (table === undefined) {
      table = new PrefixTable();
      for (const r of this.tgwRoutes.get(rtId) ?? []) {
        const c = parseCidr(r.destination);
        if (c !== undefined) table.add(c, r);
      }
      this.#tgwLpm.set(rtId, table);
    }
    return table.lookup(ip)?.value;
  }

  /** The uplinks of a Direct Connect gateway that advertise a network holding `ip`. */
  uplinksFor(dxGatewayId: string, ip: number): NetDxUplink[] {
    return (this.dxGateways.get(dxGatewayId)?.uplinks ?? []).filter((u) =>
      u.onPremCidrs.some((c) => {
        const p = parseCidr(c);
        return p !== undefined && containsIp(p, ip);
      }),
    );
  }

  /** Why an uplink cannot carry traffic now, or undefined while it can. */
  uplinkDown(u: NetDxUplink): string | undefined {
    if (!u.available) return `virtual interface \`${u.vifId}\` is not available`;
    const down = new Set(this.topology.faults.linksDown);
    const up = u.connectionIds.filter((c) => !down.has(c)).length;
    if (u.lagId !== undefined && up < u.minimumLinks) {
      return `LAG \`${u.lagId}\` has ${up} of ${u.connectionIds.length} links up, fewer than its minimum of ${u.minimumLinks}`;
    }
    if (up === 0) return `Direct Connect connection${u.connectionIds.length > 1 ? 's' : ''} ${u.connectionIds.map((c) => `\`${c}\``).join(', ')} down`;
    return undefined;
  }

  regionDown(region: string): boolean {
    return this.topology.faults.regionsDown.includes(region);
  }
}
