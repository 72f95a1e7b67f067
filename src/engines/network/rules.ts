/**
 * Security group and network ACL evaluation for one packet. Security groups are stateful
 * allow-lists (any matching rule admits, replies pass untouched); network ACLs are stateless
 * and ordered (the lowest-numbered matching entry decides, the implicit last entry denies).
 */
import { containsIp, parseCidr, parseIp } from './cidr.js';
import type { NetAclEntry, NetNetworkAcl, NetSecurityGroup, NetSgRule } from './topology.js';

/** Transport protocol of the analysed traffic. */
export type Protocol = 'tcp' | 'udp' | 'icmp' | '-1';

/** The packet being traced; `port` undefined on a return path means "an ephemeral port". */
export interface Packet {
  srcIp: number;
  dstIp: number;
  protocol: Protocol;
  port?: number;
}

const PROTO_NUMBERS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', all: '-1' };

/** `tcp`, `6`, `-1`, `all` → one canonical form (`6`, `17`, `1`, `-1`). */
export function protoNumber(p: string): string {
  const lower = p.toLowerCase();
  return PROTO_NUMBERS[lower] ?? lower;
}

// Return traffic goes to the client's ephemeral port, which Reachability Analyzer takes as
// the range Linux and Windows clients use.
const EPHEMERAL: [number, number] = [1024, 65535];

function portsMatch(rule: { protocol: string; fromPort?: number; toPort?: number }, pkt: Packet): boolean {
  const rp = protoNumber(rule.protocol);
  if (rp === '-1') return true;
  if (rp !== protoNumber(pkt.protocol)) return false;
  if (rp !== '6' && rp !== '17') return true;
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  if (pkt.port === undefined) return from <= EPHEMERAL[0] && to >= EPHEMERAL[1];
  return pkt.port >= from && pkt.port <= to;
}

function cidrMatch(cidr: string, ip: number): boolean {
  const c = parseCidr(cidr);
  return c !== undefined && containsIp(c, ip);
}

/** The rule of a security group that admits the packet, and why. */
export interface SgMatch {
  groupId: string;
  rule: NetSgRule;
  /** The CIDR, prefix list or group that matched the peer. */
  peer: { cidr?: string; prefixListId?: string; groupId?: string };
}

/** What the evaluator needs besides the groups: prefix list contents and the groups of the peer. */
export interface SgContext {
  prefixList(id: string): string[];
  /** Security groups of the ENI that owns `ip`, if any. */
  groupsOfIp(ip: number): string[];
}

/**
 * The first rule (of any of `groups`) that admits the packet in `direction`, checking the peer
 * (source for ingress, destination for egress) against CIDRs, prefix lists and referenced groups.
 */
export function sgAllows(
  groups: NetSecurityGroup[], direction: 'ingress' | 'egress', pkt: Packet, ctx: SgContext,
): SgMatch | undefined {
  const peerIp = direction === 'ingress' ? pkt.srcIp : pkt.dstIp;
  for (const g of groups) {
    for (const rule of direction === 'ingress' ? g.ingress : g.egress) {
      if (!portsMatch(rule, pkt)) continue;
      const cidr = rule.cidrs.find((c) => cidrMatch(c, peerIp));
      if (cidr !== undefined) return { groupId: g.id, rule, peer: { cidr } };
      const pl = rule.prefixListIds.find((id) => ctx.prefixList(id).some((c) => cidrMatch(c, peerIp)));
      if (pl !== undefined) return { groupId: g.id, rule, peer: { prefixListId: pl } };
      const peerGroups = rule.groupIds.length > 0 ? ctx.groupsOfIp(peerIp) : [];
      const ref = rule.groupIds.find((id) => peerGroups.includes(id));
      if (ref !== undefined) return { groupId: g.id, rule, peer: { groupId: ref } };
    }
  }
  return undefined;
}

/** The entry of a network ACL that decided, or undefined for the implicit final deny (`*`). */
export function aclDecision(acl: NetNetworkAcl, egress: boolean, pkt: Packet): NetAclEntry | undefined {
  // Outbound entries match on the destination, inbound ones on the source.
  const peer = egress ? pkt.dstIp : pkt.srcIp;
  const entries = acl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  return entries.find((e) => cidrMatch(e.cidr, peer) && portsMatch(e, pkt));
}

/** Parses a dotted-quad address or throws a plain error naming it. */
export function ipOrThrow(s: string): number {
  const n = parseIp(s);
  if (n === undefined) throw new Error(`\`${s}\` is not an IPv4 address`);
  return n;
}
