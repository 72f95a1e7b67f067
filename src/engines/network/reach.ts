/**
 * "Can traffic from A reach B on this protocol and port?" — the forward path hop by hop, then
 * the reply's path (network ACLs are stateless, routes must lead back), or the component that
 * blocks and why. Endpoints are ENIs, subnets, addresses, the internet and on-premises networks.
 */
import { containsIp, formatIp, parseCidr } from './cidr.js';
import { NetIndex } from './index-topology.js';
import type { EndpointPolicyCheck, Explanation, Hop, ReachResult, ServiceRequest } from './path.js';
import { aclDecision, ipOrThrow, type Packet, type Protocol } from './rules.js';
import type { Topology } from './topology.js';
import { Walker, type Arrival, type WalkOptions, type WalkOutcome } from './walk.js';

/** One end of a path. */
export type Endpoint =
  | { type: 'eni'; id: string; ip?: string }
  | { type: 'subnet'; id: string; ip?: string }
  | { type: 'internet'; ip?: string }
  | { type: 'on-premises'; ip: string }
  | { type: 'service'; endpointId: string; ip?: string }
  /** A PrivateLink endpoint service (`vpce-svc-…`), reached through an interface endpoint of the source's VPC. */
  | { type: 'endpoint-service'; id: string }
  /** An AWS service by name (`s3`), at the address its name resolves to from the source's VPC. */
  | { type: 'aws-service'; service: string }
  | { type: 'ip'; ip: string };

export interface ReachQuery {
  source: Endpoint;
  destination: Endpoint;
  /** Default `tcp`. */
  protocol?: Protocol;
  /** Destination port (TCP/UDP); absent means any port. */
  port?: number;
  /** The API request the traffic carries (checked against VPC endpoint policies). */
  request?: ServiceRequest;
}

/** What the caller lends the engine: the policy evaluator for VPC endpoint policies. */
export interface ReachOptions {
  endpointPolicy?: EndpointPolicyCheck;
}

/** Thrown for a query that names something the topology does not have. */
export class UnknownEndpointError extends Error {
  override name = 'UnknownEndpointError';
}

// A documentation address (TEST-NET-3) stands for "some host on the internet".
const INTERNET_HOST = '203.0.113.10';

/** Answers one reachability question over a topology (or an index built from one). */
export function analyzeReachability(topology: Topology | NetIndex, q: ReachQuery, opts: ReachOptions = {}): ReachResult {
  const ix = topology instanceof NetIndex ? topology : new NetIndex(topology);
  const src = resolve(ix, q.source);
  const dst = resolve(ix, q.destination, src);
  const pkt: Packet = { srcIp: ipOrThrow(src.ip), dstIp: ipOrThrow(addressTowards(ix, dst, src)), protocol: q.protocol ?? 'tcp', port: q.port };
  const through = dst.type === 'endpoint-service' || dst.type === 'aws-service' || dst.type === 'service';
  const addresses = { source: formatIp(pkt.srcIp), destination: formatIp(pkt.dstIp) };
  const forward = walkFrom(ix, src, pkt, true, { throughEndpoints: through, request: q.request, endpointPolicy: opts.endpointPolicy });
  const fwdBlock = forward.block ?? mismatch(dst, forward, ix);
  if (fwdBlock !== undefined) {
    return { reachable: false, forward: forward.hops, returnPath: [], explanations: [fwdBlock], blockedOn: 'forward', addresses };
  }
  const back = replyPath(ix, src, dst, pkt, forward);
  if (back.block !== undefined) {
    return { reachable: false, forward: forward.hops, returnPath: back.hops, explanations: [back.block], blockedOn: 'return', addresses };
  }
  return { reachable: true, forward: forward.hops, returnPath: back.hops, explanations: [], addresses };
}

/** An endpoint resolved to a concrete kind and address. */
type Place =
  | { type: 'eni'; id: string; ip: string }
  | { type: 'subnet'; id: string; ip: string }
  | { type: 'internet'; ip: string }
  | { type: 'on-premises'; ip: string }
  | { type: 'service'; endpointId: string; ip: string }
  | { type: 'endpoint-service'; id: string; ip: string }
  | { type: 'aws-service'; service: string; ip: string };

function resolve(ix: NetIndex, e: Endpoint, from?: Place): Place {
  switch (e.type) {
    case 'eni': {
      const eni = ix.enis.get(e.id);
      if (eni === undefined) throw new UnknownEndpointError(`network interface \`${e.id}\` is not in the topology`);
      const ip = e.ip ?? eni.privateIps[0];
      if (ip === undefined) throw new UnknownEndpointError(`network interface \`${e.id}\` has no address`);
      return { type: 'eni', id: eni.id, ip };
    }
    case 'subnet': {
      const c = ix.subnetCidr(e.id);
      if (c === undefined) throw new UnknownEndpointError(`subnet \`${e.id}\` is not in the topology`);
      // The first address EC2 hands out (the first four are reserved).
      return { type: 'subnet', id: e.id, ip: e.ip ?? formatIp(c.base + 4) };
    }
    case 'internet': return { type: 'internet', ip: e.ip ?? INTERNET_HOST };
    case 'on-premises': return { type: 'on-premises', ip: e.ip };
    case 'service': return { type: 'service', endpointId: e.endpointId, ip: e.ip ?? serviceAddress(ix, e.endpointId) };
    case 'ip': return placeOfIp(ix, e.ip);
    case 'endpoint-service': return { type: 'endpoint-service', id: e.id, ip: endpointServiceAddress(ix, e.id, from) };
    case 'aws-service': return { type: 'aws-service', service: e.service, ip: awsServiceAddress(ix, e.service, from) };
  }
}

function sourceVpc(ix: NetIndex, from: Place | undefined): string | undefined {
  if (from?.type === 'eni') return ix.enis.get(from.id)?.vpcId;
  if (from?.type === 'subnet') return ix.subnets.get(from.id)?.vpcId;
  return undefined;
}

/** A PrivateLink service's address as the consumer sees it: its interface endpoint's ENI in the source's VPC. */
function endpointServiceAddress(ix: NetIndex, serviceId: string, from: Place | undefined): string {
  const vpcId = sourceVpc(ix, from);
  const ep = vpcId === undefined ? undefined : ix.interfaceEndpointsOf(vpcId).find((x) => x.serviceId === serviceId);
  const ip = ep?.eniIds.map((id) => ix.enis.get(id)?.privateIps[0]).find((x) => x !== undefined);
  if (ip === undefined) throw new UnknownEndpointError(`no interface endpoint of \`${vpcId ?? 'the source'}\` connects to endpoint service \`${serviceId}\``);
  return ip;
}

/**
 * Where an AWS service's name resolves from the source's VPC: an interface endpoint with private
 * DNS wins (as Route 53 answers), else a public address from the service's prefix list.
 */
function awsServiceAddress(ix: NetIndex, service: string, from: Place | undefined): string {
  const vpcId = sourceVpc(ix, from);
  const region = vpcId === undefined ? undefined : ix.vpcs.get(vpcId)?.region;
  const suffix = `.${service}`;
  const ep = vpcId === undefined ? undefined : ix.interfaceEndpointsOf(vpcId).find((x) => x.privateDns && x.serviceId === undefined && x.serviceName.endsWith(suffix));
  const eniIp = ep?.eniIds.map((id) => ix.enis.get(id)?.privateIps[0]).find((x) => x !== undefined);
  if (eniIp !== undefined) return eniIp;
  const pl = ix.topology.prefixLists.find((p) => p.name === `com.amazonaws.${region ?? ''}${suffix}`) ?? ix.topology.prefixLists.find((p) => p.name.endsWith(suffix));
  const c = parseCidr(pl?.cidrs[0] ?? '');
  if (c === undefined) throw new UnknownEndpointError(`no address is known for the AWS service \`${service}\``);
  return formatIp(c.base + 1);
}

/** A gateway endpoint's service is one of its prefix list's addresses; an interface endpoint is reached at its ENI. */
function serviceAddress(ix: NetIndex, endpointId: string): string {
  const pl = ix.gateways.get(endpointId)?.prefixListId;
  const c = parseCidr((pl && ix.prefixLists.get(pl)?.[0]) || '');
  if (c !== undefined) return formatIp(c.base + 1);
  const ip = (ix.topology.interfaceEndpoints ?? []).find((e) => e.id === endpointId)?.eniIds.map((id) => ix.enis.get(id)?.privateIps[0]).find((x) => x !== undefined);
  if (ip === undefined) throw new UnknownEndpointError(`VPC endpoint \`${endpointId}\` is not in the topology`);
  return ip;
}

/** Where an address lives: an ENI, a subnet, an on-premises network, else the internet. */
export function placeOfIp(ix: NetIndex, ip: string): Place {
  const n = ipOrThrow(ip);
  const eni = ix.eniByIp(n);
  if (eni !== undefined) return { type: 'eni', id: eni.id, ip };
  const subnet = ix.anySubnetOfIp(n);
  if (subnet !== undefined) return { type: 'subnet', id: subnet.id, ip };
  for (const gw of ix.dxGateways.values()) {
    if (gw.uplinks.some((u) => u.onPremCidrs.some((c) => containsIp(parseCidr(c)!, n)))) return { type: 'on-premises', ip };
  }
  return { type: 'internet', ip };
}

/** The address a packet is sent to: the internet reaches an ENI at its public address. */
function addressTowards(ix: NetIndex, dst: Place, src: Place): string {
  if (src.type === 'internet' && dst.type === 'eni') return ix.enis.get(dst.id)?.publicIp ?? dst.ip;
  return dst.ip;
}

function walkFrom(ix: NetIndex, from: Place, pkt: Packet, checkSecurityGroups: boolean, extra: Partial<WalkOptions> = {}): WalkOutcome {
  const sourceSubnetId = from.type === 'eni' ? ix.enis.get(from.id)?.subnetId : from.type === 'subnet' ? from.id : undefined;
  const publicSource = from.type === 'eni' ? ix.enis.get(from.id)?.publicIp !== undefined : from.type !== 'subnet';
  const w = new Walker(ix, pkt, { ...extra, checkSecurityGroups, sourceSubnetId, publicSource });
  switch (from.type) {
    case 'eni': return w.run((x) => x.fromEni(ix.enis.get(from.id)!));
    case 'subnet': return w.run((x) => x.fromSubnet(from.id));
    case 'internet': return w.run((x) => fromInternet(ix, x));
    case 'on-premises': return w.run((x) => fromOnPrem(ix, x));
    case 'service': return w.run((x) => x.block('CANNOT_ROUTE', from.endpointId, 'vpc-endpoint', 'an AWS service behind a gateway endpoint does not start connections'));
    case 'endpoint-service': case 'aws-service':
      return w.run((x) => x.block('CANNOT_ROUTE', from.ip, 'vpc-endpoint', 'a service behind a VPC endpoint does not start connections to the consumer'));
  }
}

/** Inbound from the internet: to a public address, through the VPC's internet gateway. */
function fromInternet(ix: NetIndex, w: Walker): Arrival {
  w.hop({ componentId: formatIp(w.pkt.srcIp), type: 'internet' });
  const eni = ix.eniByPublicIp(w.pkt.dstIp);
  if (eni === undefined) {
    return w.block('NO_PUBLIC_IP', formatIp(w.pkt.dstIp), 'internet', `${formatIp(w.pkt.dstIp)} is not a public address of any network interface`);
  }
  const igw = [...ix.gateways.values()].find((g) => g.type === 'igw' && g.vpcId === eni.vpcId && g.available);
  if (igw === undefined) {
    return w.block('BAD_STATE_ATTACHMENT', eni.vpcId, 'vpc', `\`${eni.vpcId}\` has no internet gateway attached`, { vpcId: eni.vpcId });
  }
  w.hop({ componentId: igw.id, type: 'internet-gateway', vpcId: eni.vpcId, note: `destination translated to ${eni.privateIps[0]}` });
  w.pkt = { ...w.pkt, dstIp: ipOrThrow(eni.privateIps[0]!) };
  return w.deliverInVpc(eni.vpcId);
}

/** From an on-premises network: over an uplink that advertises it, into a transit gateway. */
function fromOnPrem(ix: NetIndex, w: Walker): Arrival {
  const src = formatIp(w.pkt.srcIp);
  w.hop({ componentId: src, type: 'on-premises' });
  const candidates = [...ix.attachments.values()].filter((a) => a.type === 'direct-connect-gateway');
  for (const att of candidates) {
    const uplinks = ix.uplinksFor(att.resourceId, w.pkt.srcIp);
    const up = uplinks.find((u) => ix.uplinkDown(u) === undefined);
    if (up === undefined) {
      if (uplinks.length > 0) {
        w.block('BAD_STATE', uplinks[0]!.vifId, 'direct-connect-virtual-interface', `no path from on-premises: ${uplinks.map((u) => ix.uplinkDown(u)).join('; ')}`, { state: 'down' });
      }
      continue;
    }
    w.hop({ componentId: up.vifId, type: 'direct-connect-virtual-interface', note: `over ${up.lagId ?? up.connectionIds.join(', ')}` });
    w.hop({ componentId: att.resourceId, type: 'direct-connect-gateway' });
    return w.enterTgw(att, new Set());
  }
  return w.block('CANNOT_ROUTE', src, 'on-premises', `no Direct Connect gateway attached to a transit gateway carries traffic from ${src}`);
}

function arrivedAt(dst: Place, a: Arrival | undefined, ix: NetIndex): boolean {
  if (a === undefined) return false;
  switch (dst.type) {
    case 'eni': return a.kind === 'eni' && a.eniId === dst.id;
    case 'subnet': return (a.kind === 'subnet' && a.subnetId === dst.id) || (a.kind === 'eni' && ix.enis.get(a.eniId)?.subnetId === dst.id);
    // An AWS service address reached through a gateway endpoint counts as arriving.
    case 'internet': return a.kind === 'internet' || a.kind === 'service';
    case 'on-premises': return a.kind === 'on-premises';
    case 'service': return (a.kind === 'service' || a.kind === 'endpoint-service') && a.endpointId === dst.endpointId;
    case 'endpoint-service': return a.kind === 'endpoint-service' && a.serviceId === dst.id;
    // Through a gateway or interface endpoint, or over the internet (a NAT gateway) to its public address.
    case 'aws-service': return a.kind === 'service' || a.kind === 'internet';
  }
}

function mismatch(dst: Place, out: WalkOutcome, ix: NetIndex): Explanation | undefined {
  return arrivedAt(dst, out.arrival, ix) ? undefined : wrongPlace(dst, out);
}

function wrongPlace(dst: Place, out: WalkOutcome): Explanation {
  const last = out.hops[out.hops.length - 1];
  const where = out.arrival?.kind ?? 'nowhere';
  return {
    code: 'CANNOT_ROUTE', componentId: last?.componentId ?? dst.ip, type: last?.type ?? 'vpc', address: dst.ip,
    reason: `the traffic for ${dst.ip} is delivered to ${where === 'on-premises' ? 'the on-premises network' : `the ${where}`}${last ? ` via \`${last.componentId}\`` : ''}, not to the destination`,
  };
}

/**
 * The reply: routed back from the destination when it is an ENI, a subnet or on-premises;
 * for the internet and AWS services the gateway returns it along the connection, so only the
 * network ACLs of the subnets it crosses (stateless) are checked, in reverse.
 */
function replyPath(ix: NetIndex, src: Place, dst: Place, pkt: Packet, forward: WalkOutcome): { hops: Hop[]; block?: Explanation } {
  const reply: Packet = { srcIp: pkt.dstIp, dstIp: pkt.srcIp, protocol: pkt.protocol, port: undefined };
  if (dst.type === 'internet' || dst.type === 'service' || dst.type === 'endpoint-service' || dst.type === 'aws-service' || src.type === 'internet') {
    return aclsInReverse(ix, forward.hops, reply);
  }
  const back = walkFrom(ix, dst, reply, false);
  if (back.block === undefined && !arrivedAt(src, back.arrival, ix)) return { hops: back.hops, block: wrongPlace(src, back) };
  return back;
}

function aclsInReverse(ix: NetIndex, hops: Hop[], reply: Packet): { hops: Hop[]; block?: Explanation } {
  const out: Hop[] = [];
  for (const h of [...hops].reverse()) {
    if (h.type !== 'network-acl' || h.aclRule === undefined) {
      out.push({ ...h, aclRule: undefined, securityGroupRule: undefined });
      continue;
    }
    // The reply crosses the same ACL the other way (inbound where the request went out).
    const acl = ix.aclOfSubnet(h.subnetId!);
    if (acl === undefined) continue;
    const egress = !h.aclRule.egress;
    const entry = aclDecision(acl, egress, reply);
    if (entry === undefined || entry.action === 'deny') {
      return {
        hops: out,
        block: {
          code: 'SUBNET_ACL_RESTRICTION', componentId: acl.id, type: 'network-acl', direction: egress ? 'egress' : 'ingress',
          vpcId: acl.vpcId, subnetId: h.subnetId,
          reason: `network ACL \`${acl.id}\` blocks the reply ${egress ? 'leaving' : 'entering'} subnet \`${h.subnetId}\` (${entry ? `rule ${entry.ruleNumber} denies it` : 'no rule allows its ephemeral port'})`,
        },
      };
    }
    out.push({ ...h, aclRule: { cidr: entry.cidr, egress, protocol: entry.protocol, ruleAction: entry.action, ruleNumber: entry.ruleNumber } });
  }
  return { hops: out };
}
