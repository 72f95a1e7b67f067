/**
 * The packet walker: moves one packet hop by hop through ENIs, security groups, network ACLs,
 * route tables, gateways, transit gateways and Direct Connect, recording each hop, until it
 * arrives where its destination address lives or a component stops it.
 */
import { containsIp, formatIp, parseCidr } from './cidr.js';
import type { NetIndex } from './index-topology.js';
import { checkEndpointPolicy, throughInterfaceEndpoint } from './endpoints.js';
import type { ComponentType, EndpointPolicyCheck, Explanation, Hop, ServiceRequest } from './path.js';
import { aclDecision, sgAllows, type Packet, type SgContext } from './rules.js';
import type { NetEni, NetRouteTable, NetTgwAttachment, VpcRoute } from './topology.js';

/** Where the packet ended: delivered to an ENI or subnet, or handed to the internet, on-premises or a service. */
export type Arrival =
  | { kind: 'eni'; eniId: string }
  | { kind: 'subnet'; subnetId: string }
  | { kind: 'internet' }
  | { kind: 'on-premises'; dxGatewayId: string; cidr: string }
  | { kind: 'service'; endpointId: string }
  | { kind: 'endpoint-service'; serviceId: string; endpointId: string };

export interface WalkOutcome {
  hops: Hop[];
  arrival?: Arrival;
  block?: Explanation;
}

/** Options of one walk: the reply direction skips security groups (they are stateful). */
export interface WalkOptions {
  checkSecurityGroups: boolean;
  /** The subnet the packet left (traffic inside one subnet skips its network ACL). */
  sourceSubnetId?: string;
  /** The sender has a public address (ENI public IP / EIP, or a public NAT gateway). */
  publicSource: boolean;
  /** Traffic delivered to an interface endpoint's ENI goes on to the endpoint's service. */
  throughEndpoints?: boolean;
  /** The API request the packet carries, checked against VPC endpoint policies on the way. */
  request?: ServiceRequest;
  endpointPolicy?: EndpointPolicyCheck;
}

// Reachability Analyzer gives up past 64 hops (a routing loop).
const MAX_HOPS = 64;

// Thrown to unwind a blocked walk; not an Error, so no stack trace is captured (walks that
// block are the common case when analysing isolation at scale).
class Stop {
  constructor(readonly explanation: Explanation) {}
}

/** Walks one packet; never throws for network reasons (a block is an outcome). */
export class Walker {
  readonly hops: Hop[] = [];
  #sg: SgContext;

  constructor(readonly ix: NetIndex, public pkt: Packet, public opts: WalkOptions) {
    this.#sg = {
      prefixList: (id) => ix.prefixLists.get(id) ?? [],
      groupsOfIp: (ip) => ix.eniByIp(ip)?.groupIds ?? [],
    };
  }

  /** Runs `start` and turns a block into an outcome. */
  run(start: (w: Walker) => Arrival): WalkOutcome {
    try {
      return { hops: this.hops, arrival: start(this) };
    } catch (e) {
      if (e instanceof Stop) return { hops: this.hops, block: e.explanation };
      throw e;
    }
  }

  hop(h: Hop): void {
    if (this.hops.length >= MAX_HOPS) {
      this.block('MAX_HOPS', h.componentId, h.type, `the path exceeds ${MAX_HOPS} hops (a routing loop)`);
    }
    this.hops.push(h);
  }

  block(code: string, componentId: string, type: ComponentType, reason: string, extra: Partial<Explanation> = {}): never {
    throw new Stop({ code, componentId, type, reason, ...extra });
  }

  get dst(): string {
    return formatIp(this.pkt.dstIp);
  }

  /** From an ENI: its security groups (egress), then its subnet. */
  fromEni(eni: NetEni): Arrival {
    this.hop({ componentId: eni.id, type: 'network-interface', vpcId: eni.vpcId, subnetId: eni.subnetId });
    if (this.opts.checkSecurityGroups) this.#securityGroups(eni, 'egress');
    return this.fromSubnet(eni.subnetId, eni.id);
  }

  /** From a subnet: its network ACL (egress), its route table, and where the route leads. */
  fromSubnet(subnetId: string, fromEniId?: string): Arrival {
    const subnet = this.ix.subnets.get(subnetId)!;
    const vpc = this.ix.vpcs.get(subnet.vpcId)!;
    if (this.ix.regionDown(vpc.region)) {
      this.block('BAD_STATE', vpc.id, 'vpc', `region \`${vpc.region}\` is in outage`, { vpcId: vpc.id, state: 'outage' });
    }
    const dstSubnet = this.ix.subnetOfIp(vpc.id, this.pkt.dstIp);
    if (dstSubnet?.id !== subnetId) this.#acl(subnetId, true, fromEniId);
    const rt = this.ix.routeTableOfSubnet(subnetId);
    if (rt === undefined) this.block('NO_ROUTE_TO_DESTINATION', subnetId, 'subnet', `subnet \`${subnetId}\` has no route table`);
    const route = this.ix.vpcRoute(rt, this.pkt.dstIp);
    const routeInfo = route && routeInfoOf(route);
    if (route === undefined) {
      this.block('NO_ROUTE_TO_DESTINATION', rt.id, 'route-table',
        `route table \`${rt.id}\` has no route to ${this.dst}`, { vpcId: vpc.id, subnetId, address: this.dst });
    }
    this.hop({ componentId: rt.id, type: 'route-table', vpcId: vpc.id, subnetId, routeTableRoute: routeInfo });
    if (route.state === 'blackhole') {
      this.block('BAD_STATE_ROUTE', rt.id, 'route-table',
        `the route to ${route.destination} in \`${rt.id}\` is a blackhole (its target \`${route.targetId}\` is gone)`,
        { vpcId: vpc.id, routeTableRoute: routeInfo });
    }
    return this.#follow(rt, route, subnetId, fromEniId);
  }

  #follow(rt: NetRouteTable, route: VpcRoute, subnetId: string, fromEniId?: string): Arrival {
    const vpcId = rt.vpcId;
    switch (route.targetType) {
      case 'local': return this.deliverInVpc(vpcId);
      case 'igw': return this.#toInternet(route.targetId, vpcId);
      case 'nat': return this.#viaNat(route.targetId);
      case 'tgw': return this.#toTgw(route.targetId, vpcId, subnetId);
      case 'pcx': return this.#viaPeering(route.targetId, vpcId);
      case 'vpce': return this.#toEndpoint(route.targetId);
      case 'eni': {
        const eni = this.ix.enis.get(route.targetId);
        if (eni === undefined || eni.id === fromEniId) {
          this.block('BAD_STATE_ROUTE', rt.id, 'route-table', `the route's network interface \`${route.targetId}\` cannot forward`);
        }
        this.hop({ componentId: eni.id, type: 'network-interface', vpcId: eni.vpcId, subnetId: eni.subnetId, note: 'appliance forwards the packet' });
        return this.fromSubnet(eni.subnetId, eni.id);
      }
      default:
        return this.block('CANNOT_ROUTE', route.targetId, 'route-table',
          `a \`${route.targetType}\` target cannot carry IPv4 traffic to ${this.dst}`, { routeTableRoute: routeInfoOf(route) });
    }
  }

  /** Delivery inside a VPC: the destination subnet's network ACL (ingress), then the ENI's security groups. */
  deliverInVpc(vpcId: string): Arrival {
    const subnet = this.ix.subnetOfIp(vpcId, this.pkt.dstIp);
    if (subnet === undefined) {
      this.block('CANNOT_ROUTE', vpcId, 'vpc', `no subnet of \`${vpcId}\` holds ${this.dst}`, { vpcId, address: this.dst });
    }
    const eni = this.ix.eniByIp(this.pkt.dstIp);
    if (subnet.id !== this.opts.sourceSubnetId) this.#acl(subnet.id, false, eni?.subnetId === subnet.id ? eni.id : undefined);
    if (eni === undefined) return { kind: 'subnet', subnetId: subnet.id };
    if (this.opts.checkSecurityGroups) this.#securityGroups(eni, 'ingress');
    this.hop({ componentId: eni.id, type: 'network-interface', vpcId, subnetId: subnet.id });
    const ep = this.opts.throughEndpoints ? this.ix.interfaceEndpointOfEni(eni.id) : undefined;
    if (ep !== undefined) return throughInterfaceEndpoint(this, ep);
    return { kind: 'eni', eniId: eni.id };
  }

  #acl(subnetId: string, egress: boolean, eniId?: string): void {
    const acl = this.ix.aclOfSubnet(subnetId);
    if (acl === undefined) return;
    const entry = aclDecision(acl, egress, this.pkt);
    const vpcId = acl.vpcId;
    const dir = egress ? 'egress' : 'ingress';
    if (entry === undefined || entry.action === 'deny') {
      const rule = entry ? `rule ${entry.ruleNumber} denies it` : 'no rule allows it (the final `*` rule denies)';
      this.block('SUBNET_ACL_RESTRICTION', acl.id, 'network-acl',
        `network ACL \`${acl.id}\` of subnet \`${subnetId}\` blocks ${dir === 'egress' ? 'outbound' : 'inbound'} traffic: ${rule}`,
        { direction: dir, vpcId, subnetId, networkInterfaceId: eniId });
    }
    this.hop({
      componentId: acl.id, type: 'network-acl', vpcId, subnetId,
      aclRule: {
        cidr: entry.cidr, egress, protocol: entry.protocol, ruleAction: entry.action, ruleNumber: entry.ruleNumber,
        ...(entry.fromPort !== undefined ? { portRange: { from: entry.fromPort, to: entry.toPort ?? entry.fromPort } } : {}),
      },
    });
  }

  #securityGroups(eni: NetEni, direction: 'ingress' | 'egress'): void {
    const groups = eni.groupIds.map((g) => this.ix.securityGroups.get(g)).filter((g) => g !== undefined);
    const m = sgAllows(groups, direction, this.pkt, this.#sg);
    if (m === undefined) {
      const first = eni.groupIds[0] ?? eni.id;
      this.block('ENI_SG_RULES_MISMATCH', first, 'security-group',
        `no ${direction} rule of ${eni.groupIds.map((g) => `\`${g}\``).join(', ') || 'any security group'} on \`${eni.id}\` allows this traffic`,
        { direction, vpcId: eni.vpcId, subnetId: eni.subnetId, networkInterfaceId: eni.id });
    }
    const r = m.rule;
    this.hop({
      componentId: m.groupId, type: 'security-group', vpcId: eni.vpcId,
      securityGroupRule: {
        securityGroupId: m.groupId, direction, protocol: r.protocol, cidr: m.peer.cidr, prefixListId: m.peer.prefixListId,
        referencedGroupId: m.peer.groupId,
        ...(r.fromPort !== undefined ? { portRange: { from: r.fromPort, to: r.toPort ?? r.fromPort } } : {}),
      },
    });
  }

  #toInternet(igwId: string, vpcId: string): Arrival {
    const igw = this.ix.gateways.get(igwId);
    if (igw === undefined || !igw.available || igw.vpcId !== vpcId) {
      this.block('BAD_STATE_ATTACHMENT', igwId, 'internet-gateway', `internet gateway \`${igwId}\` is not attached to \`${vpcId}\``, { vpcId });
    }
    this.hop({ componentId: igw.id, type: 'internet-gateway', vpcId });
    if (!this.opts.publicSource) {
      this.block('NO_PUBLIC_IP', igw.id, 'internet-gateway',
        `the source has no public IPv4 address, so \`${igw.id}\` cannot carry its traffic to ${this.dst}`, { vpcId });
    }
    if (this.ix.vpcs.has(vpcId) && this.#insideAnyVpc(this.pkt.dstIp)) {
      this.block('CANNOT_ROUTE', igw.id, 'internet-gateway', `${this.dst} is a private address; the internet does not route it`, { vpcId });
    }
    return { kind: 'internet' };
  }

  #insideAnyVpc(ip: number): boolean {
    for (const v of this.ix.vpcs.values()) if (this.ix.vpcHasIp(v.id, ip)) return true;
    return false;
  }

  #viaNat(natId: string): Arrival {
    const nat = this.ix.gateways.get(natId);
    if (nat === undefined || !nat.available || nat.subnetId === undefined) {
      this.block('BAD_STATE', natId, 'nat-gateway', `NAT gateway \`${natId}\` is not available`, { state: nat?.available === false ? 'pending' : 'deleted' });
    }
    const natEni = nat.eniId === undefined ? undefined : this.ix.enis.get(nat.eniId);
    const natIp = natEni?.privateIps[0];
    this.hop({ componentId: nat.id, type: 'nat-gateway', vpcId: nat.vpcId, subnetId: nat.subnetId,
      note: natIp ? `source address translated to ${natIp}${natEni?.publicIp ? ` (public ${natEni.publicIp})` : ''}` : undefined });
    // Past the NAT gateway the packet carries its address; its subnet's ACL and route table apply.
    if (natIp !== undefined) this.pkt = { ...this.pkt, srcIp: ipNum(natIp) };
    this.opts = { ...this.opts, sourceSubnetId: nat.subnetId, publicSource: natEni?.publicIp !== undefined };
    return this.fromSubnet(nat.subnetId);
  }

  #toTgw(tgwId: string, vpcId: string, subnetId: string): Arrival {
    const att = this.ix.vpcAttachment(vpcId, tgwId);
    if (att === undefined) {
      this.block('BAD_STATE_ATTACHMENT', tgwId, 'transit-gateway', `\`${vpcId}\` has no attachment to transit gateway \`${tgwId}\``, { vpcId, subnetId });
    }
    return this.enterTgw(att, new Set());
  }

  /** Into a transit gateway through attachment `att`: its associated route table decides. */
  enterTgw(att: NetTgwAttachment, seen: Set<string>): Arrival {
    const tgw = this.ix.tgws.get(att.tgwId);
    this.hop({ componentId: att.id, type: 'transit-gateway-attachment', transitGatewayId: att.tgwId });
    if (!att.available) this.block('BAD_STATE_ATTACHMENT', att.id, 'transit-gateway-attachment', `attachment \`${att.id}\` is not available`);
    if (tgw === undefined) return this.block('BAD_STATE', att.tgwId, 'transit-gateway', `transit gateway \`${att.tgwId}\` does not exist`);
    if (this.ix.regionDown(tgw.region)) this.block('BAD_STATE', tgw.id, 'transit-gateway', `region \`${tgw.region}\` is in outage`, { state: 'outage' });
    if (seen.has(tgw.id)) this.block('MAX_HOPS', tgw.id, 'transit-gateway', `the path returns to \`${tgw.id}\` (a routing loop)`);
    seen.add(tgw.id);
    this.hop({ componentId: tgw.id, type: 'transit-gateway', transitGatewayId: tgw.id });
    const rtId = att.routeTableId;
    if (rtId === undefined) {
      this.block('TGW_ATTACH_NO_ROUTE_TABLE', att.id, 'transit-gateway-attachment',
        `attachment \`${att.id}\` is not associated with a transit gateway route table`, { transitGatewayId: tgw.id });
    }
    const route = this.ix.tgwRoute(rtId, this.pkt.dstIp);
    if (route === undefined) {
      this.block('TGW_RTB_CANNOT_ROUTE', rtId, 'transit-gateway-route-table',
        `transit gateway route table \`${rtId}\` has no route to ${this.dst}`, { transitGatewayId: tgw.id, address: this.dst });
    }
    const out = route.attachmentId === undefined ? undefined : this.ix.attachments.get(route.attachmentId);
    const tgwRoute = {
      destinationCidr: route.destination, attachmentId: route.attachmentId, routeOrigin: route.type, state: route.state,
      resourceId: out?.resourceId, resourceType: out?.type,
    };
    this.hop({ componentId: rtId, type: 'transit-gateway-route-table', transitGatewayId: tgw.id, tgwRoute });
    if (route.state === 'blackhole' || out === undefined) {
      this.block('BAD_STATE_ROUTE', rtId, 'transit-gateway-route-table',
        `the route to ${route.destination} in \`${rtId}\` is a blackhole`, { transitGatewayId: tgw.id, tgwRoute });
    }
    this.hop({ componentId: out.id, type: 'transit-gateway-attachment', transitGatewayId: tgw.id });
    if (!out.available) this.block('BAD_STATE_ATTACHMENT', out.id, 'transit-gateway-attachment', `attachment \`${out.id}\` is not available`);
    if (out.type === 'vpc') return this.#intoVpcFromTgw(out);
    if (out.type === 'peering') {
      const peer = out.peerAttachmentId === undefined ? undefined : this.ix.attachments.get(out.peerAttachmentId);
      if (peer === undefined) return this.block('BAD_STATE_ATTACHMENT', out.id, 'transit-gateway-attachment', `peering attachment \`${out.id}\` is not accepted`);
      return this.enterTgw(peer, seen);
    }
    return this.toOnPrem(out.resourceId);
  }

  #intoVpcFromTgw(att: NetTgwAttachment): Arrival {
    const vpcId = att.resourceId;
    if (this.ix.vpcHasIp(vpcId, this.pkt.dstIp)) return this.deliverInVpc(vpcId);
    // Not for this VPC (an inspection or egress VPC): the attachment subnet's route table forwards it.
    const subnetId = att.subnetIds[0];
    if (subnetId === undefined) return this.block('CANNOT_ROUTE', vpcId, 'vpc', `\`${vpcId}\` does not hold ${this.dst}`, { vpcId });
    return this.fromSubnet(subnetId);
  }

  /** Out of a Direct Connect gateway to the on-premises network that holds the destination. */
  toOnPrem(dxGatewayId: string): Arrival {
    this.hop({ componentId: dxGatewayId, type: 'direct-connect-gateway' });
    const uplinks = this.ix.uplinksFor(dxGatewayId, this.pkt.dstIp);
    if (uplinks.length === 0) {
      this.block('CANNOT_ROUTE', dxGatewayId, 'direct-connect-gateway',
        `no on-premises network behind Direct Connect gateway \`${dxGatewayId}\` holds ${this.dst}`, { address: this.dst });
    }
    const up = uplinks.find((u) => this.ix.uplinkDown(u) === undefined);
    if (up === undefined) {
      const why = uplinks.map((u) => this.ix.uplinkDown(u)).join('; ');
      this.block('BAD_STATE', uplinks[0]!.vifId, 'direct-connect-virtual-interface', `no path to on-premises: ${why}`, { state: 'down', address: this.dst });
    }
    const cidr = up.onPremCidrs.find((c) => containsIp(parseCidr(c)!, this.pkt.dstIp))!;
    this.hop({ componentId: up.vifId, type: 'direct-connect-virtual-interface', note: `over ${up.lagId ?? up.connectionIds.join(', ')}` });
    this.hop({ componentId: cidr, type: 'on-premises' });
    return { kind: 'on-premises', dxGatewayId, cidr };
  }

  #viaPeering(pcxId: string, vpcId: string): Arrival {
    const pcx = this.ix.peerings.get(pcxId);
    if (pcx === undefined || !pcx.active) this.block('BAD_STATE', pcxId, 'vpc-peering-connection', `peering connection \`${pcxId}\` is not active`, { vpcId });
    this.hop({ componentId: pcx.id, type: 'vpc-peering-connection', vpcId });
    const peer = pcx.requesterVpcId === vpcId ? pcx.accepterVpcId : pcx.requesterVpcId;
    if (!this.ix.vpcHasIp(peer, this.pkt.dstIp)) {
      this.block('CANNOT_ROUTE', pcx.id, 'vpc-peering-connection', `${this.dst} is not in the peer VPC \`${peer}\` (peering is not transitive)`);
    }
    return this.deliverInVpc(peer);
  }

  #toEndpoint(vpceId: string): Arrival {
    const ep = this.ix.gateways.get(vpceId);
    if (ep === undefined || !ep.available) this.block('BAD_STATE', vpceId, 'vpc-endpoint', `VPC endpoint \`${vpceId}\` is not available`);
    this.hop({ componentId: ep.id, type: 'vpc-endpoint', vpcId: ep.vpcId, note: ep.serviceName });
    checkEndpointPolicy(this, ep.id, ep.policy);
    return { kind: 'service', endpointId: ep.id };
  }
}

function routeInfoOf(r: VpcRoute) {
  return { destinationCidr: r.destination, destinationPrefixListId: r.prefixListId, targetType: r.targetType, targetId: r.targetId, state: r.state };
}

function ipNum(s: string): number {
  const c = parseCidr(`${s}/32`);
  return c?.base ?? 0;
}
