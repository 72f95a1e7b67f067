/**
 * Network Access Analyzer: every path a scope's match paths describe and its exclude paths do
 * not, as findings with their hops. Paths that speak of VPCs and subnets are traced subnet to
 * subnet (security groups are not considered at that level); destinations are subnets, address
 * ranges (on-premises or anywhere) and the internet. Paths that name network interfaces,
 * security groups or instances are traced ENI to ENI with security groups (access-eni.ts).
 *
 * Scale comes from one observation: two subnets whose route tables hold the same non-local
 * routes, whose VPCs use the same transit gateway route tables and whose network ACLs have
 * the same entries reach exactly the same subnets of other VPCs. Sources are grouped into such
 * classes and each class is traced once per destination, so a hub-and-spoke network of N VPCs
 * costs O(N), not O(N²). Destinations behind a restrictive network ACL (whose answer depends
 * on the source address) are traced per pair.
 */
import { admitsEni, eniFindings, eniLevel } from './access-eni.js';
import { containsIp, overlaps, parseCidr } from './cidr.js';
import { NetIndex } from './index-topology.js';
import type { Hop } from './path.js';
import type { Protocol } from './rules.js';
import type { NetEni, NetNetworkAcl, NetSubnet, Topology } from './topology.js';
import { Walker, type Arrival } from './walk.js';

/** What a source or destination statement of an access scope says (AWS's ResourceStatement + PacketHeaderStatement). */
export interface ScopeStatement {
  resources?: string[];
  resourceTypes?: string[];
  addresses?: string[];
}

export interface ScopePath {
  source?: ScopeStatement;
  destination?: ScopeStatement;
  protocols?: Protocol[];
  destinationPorts?: number[];
}

export interface AccessScope {
  matchPaths: ScopePath[];
  excludePaths: ScopePath[];
}

/** One path the scope matches: from a VPC or subnet to a VPC, subnet, address range or the internet. */
export interface AccessFinding {
  sourceId: string;
  destinationId: string;
  hops: Hop[];
}

interface Dest {
  id: string;
  vpcId?: string;
  subnetId?: string;
  ip: number;
  kind: 'subnet' | 'address' | 'internet';
  cidr?: string;
}

const VPC = 'AWS::EC2::VPC';
const SUBNET = 'AWS::EC2::Subnet';
const ENI = 'AWS::EC2::NetworkInterface';
const IGW = 'AWS::EC2::InternetGateway';

function vpcLevel(st: ScopeStatement | undefined): boolean {
  return (st?.resourceTypes ?? []).includes(VPC) || (st?.resources ?? []).some((r) => r.startsWith('vpc-'));
}

/** Whether a statement admits a subnet as an end. An absent statement admits every subnet. */
function admitsSubnet(ix: NetIndex, st: ScopeStatement | undefined, s: NetSubnet): boolean {
  if (st === undefined) return true;
  const types = st.resourceTypes ?? [];
  const res = st.resources ?? [];
  const hasEni = () => [...ix.enis.values()].some((e) => e.subnetId === s.id);
  const namesEni = res.some((r) => r.startsWith('eni-'));
  const byResource = res.length === 0 && types.length === 0
    || types.includes(VPC) || types.includes(SUBNET) || (types.includes(ENI) && hasEni())
    || res.includes(s.id) || res.includes(s.vpcId) || (namesEni && [...ix.enis.values()].some((e) => e.subnetId === s.id && res.includes(e.id)));
  const c = parseCidr(s.cidr)!;
  const byAddress = (st.addresses ?? []).length === 0 || st.addresses!.some((a) => { const p = parseCidr(a); return p !== undefined && overlaps(p, c); });
  return byResource && byAddress && (res.length > 0 || types.length > 0 || (st.addresses ?? []).length > 0);
}

function destinationsOf(ix: NetIndex, st: ScopeStatement | undefined): Dest[] {
  const out: Dest[] = [];
  const onlyAddresses = st !== undefined && (st.resources ?? []).length === 0 && (st.resourceTypes ?? []).length === 0;
  if (!onlyAddresses) {
    for (const s of ix.subnets.values()) {
      if (admitsSubnet(ix, st, s)) out.push({ id: s.id, vpcId: s.vpcId, subnetId: s.id, ip: ix.subnetCidr(s.id)!.base + 4, kind: 'subnet' });
    }
  }
  if (onlyAddresses) {
    for (const a of st.addresses ?? []) {
      const c = parseCidr(a);
      if (c !== undefined) out.push({ id: a, ip: c.len === 32 ? c.base : c.base + 1, kind: 'address', cidr: a });
    }
  }
  if ((st?.resourceTypes ?? []).includes(IGW) || (st?.resources ?? []).some((r) => r.startsWith('igw-'))) {
    out.push({ id: 'internet', ip: 0xcb00710a, kind: 'internet' });
  }
  return out;
}

/** Sources that reach the same destinations of other VPCs, and what their representative reaches. */
interface SourceClass {
  rep: NetSubnet;
  reachable: Dest[];
  /** What the class reaches in the representative's own VPC (traced by a second member). */
  repVpcReachable?: Dest[];
  /** Destinations whose network ACL decides by source address: traced per source. */
  perPair: Dest[];
}

function aclOpen(acl: NetNetworkAcl | undefined): boolean {
  if (acl === undefined) return true;
  const inbound = acl.entries.filter((e) => !e.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  const first = inbound[0];
  return first !== undefined && first.action === 'allow' && first.cidr === '0.0.0.0/0' && first.protocol === '-1';
}

/** Where the packet must arrive for the path to count. */
function arrived(ix: NetIndex, d: Dest, a: Arrival | undefined): boolean {
  if (a === undefined) return false;
  if (d.kind === 'subnet') return (a.kind === 'subnet' && a.subnetId === d.subnetId) || (a.kind === 'eni' && ix.enis.get(a.eniId)?.subnetId === d.subnetId);
  if (d.kind === 'internet') return a.kind === 'internet';
  // An address: the walker only arrives where that address lives (a subnet, on-premises, the internet).
  return a.kind !== 'service';
}

/** Everything about a source subnet that decides where its traffic to other VPCs can go. */
function classKey(ix: NetIndex, s: NetSubnet): string {
  const rt = ix.routeTableOfSubnet(s.id);
  const routes = (rt?.routes ?? []).filter((r) => r.targetType !== 'local').map((r) => {
    const assoc = r.targetType === 'tgw' ? ix.vpcAttachment(s.vpcId, r.targetId) : undefined;
    return `${r.destination}>${r.targetType}:${r.targetId}:${r.state}:${assoc ? `${assoc.routeTableId}/${assoc.available}` : ''}`;
  });
  const acl = ix.aclOfSubnet(s.id);
  const aclKey = acl ? JSON.stringify(acl.entries.filter((e) => e.egress)) : '';
  return `${ix.vpcs.get(s.vpcId)?.region}|${routes.sort().join(',')}|${aclKey}`;
}

function trace(ix: NetIndex, from: NetSubnet, d: Dest, protocol: Protocol, port: number | undefined): { ok: boolean; hops: Hop[] } {
  const w = new Walker(ix, { srcIp: ix.subnetCidr(from.id)!.base + 4, dstIp: d.ip, protocol, port }, { checkSecurityGroups: false, sourceSubnetId: from.id, publicSource: true });
  w.hop({ componentId: from.id, type: 'subnet', vpcId: from.vpcId, subnetId: from.id });
  const out = w.run((x) => x.fromSubnet(from.id));
  return { ok: out.block === undefined && arrived(ix, d, out.arrival), hops: out.hops };
}

function excluded(ix: NetIndex, scope: AccessScope, src: NetSubnet, d: Dest): boolean {
  return scope.excludePaths.some((p) => admitsSubnet(ix, p.source, src)
    && (p.destination === undefined || (d.subnetId !== undefined ? admitsSubnet(ix, p.destination, ix.subnets.get(d.subnetId)!)
      : (p.destination.addresses ?? []).some((a) => containsIp(parseCidr(a)!, d.ip)))));
}

/** All findings of a scope over a topology (or an index built from one). */
export function analyzeAccess(topology: Topology | NetIndex, scope: AccessScope): AccessFinding[] {
  const ix = topology instanceof NetIndex ? topology : new NetIndex(topology);
  const findings = new Map<string, AccessFinding>();
  for (const path of scope.matchPaths) {
    if (eniLevel(path.source) || eniLevel(path.destination)) {
      // Network interfaces and their security groups: traced ENI by ENI.
      const excludedPair = (a: NetEni, b: NetEni) => scope.excludePaths.some((p) => admitsEni(p.source, a) && admitsEni(p.destination, b));
      for (const f of eniFindings(ix, path, excludedPair)) findings.set(`${f.sourceId}>${f.destinationId}`, f);
      continue;
    }
    const protocol = path.protocols?.[0] ?? 'tcp';
    const port = path.destinationPorts?.[0];
    const sources = [...ix.subnets.values()].filter((s) => admitsSubnet(ix, path.source ?? { resourceTypes: [SUBNET] }, s));
    const dests = destinationsOf(ix, path.destination ?? { resourceTypes: [SUBNET] });
    const openDest = new Map(dests.map((d) => [d.id, d.subnetId === undefined || aclOpen(ix.aclOfSubnet(d.subnetId))]));
    const srcVpcLevel = vpcLevel(path.source);
    const dstVpcLevel = vpcLevel(path.destination);
    const destsByVpc = new Map<string, Dest[]>();
    for (const d of dests) if (d.vpcId !== undefined) destsByVpc.set(d.vpcId, [...(destsByVpc.get(d.vpcId) ?? []), d]);
    const classes = new Map<string, SourceClass>();
    for (const s of sources) {
      const key = classKey(ix, s);
      let cls = classes.get(key);
      if (cls === undefined) {
        // Traced once from a representative: destinations of other VPCs behind open ACLs.
        const rep = s;
        cls = {
          rep, reachable: dests.filter((d) => d.vpcId !== rep.vpcId && openDest.get(d.id) && trace(ix, rep, d, protocol, port).ok),
          perPair: dests.filter((d) => d.vpcId !== rep.vpcId && !openDest.get(d.id)),
        };
        classes.set(key, cls);
      }
      // The representative's own VPC is remote for the rest of the class: a second representative traces it.
      if (s.vpcId !== cls.rep.vpcId && cls.repVpcReachable === undefined) {
        cls.repVpcReachable = (destsByVpc.get(cls.rep.vpcId) ?? []).filter((d) => openDest.get(d.id) && trace(ix, s, d, protocol, port).ok);
        cls.perPair.push(...(destsByVpc.get(cls.rep.vpcId) ?? []).filter((d) => !openDest.get(d.id)));
      }
      const own = srcVpcLevel && dstVpcLevel ? [] : (destsByVpc.get(s.vpcId) ?? []);
      const candidates = [
        ...cls.reachable.filter((d) => d.vpcId !== s.vpcId),
        ...(s.vpcId !== cls.rep.vpcId ? cls.repVpcReachable ?? [] : []),
        ...cls.perPair.filter((d) => d.vpcId !== s.vpcId && trace(ix, s, d, protocol, port).ok),
        // Inside its own VPC (a subnet reaching itself is not a path).
        ...own.filter((d) => d.subnetId !== s.id && trace(ix, s, d, protocol, port).ok),
      ];
      for (const d of candidates) {
        if (excluded(ix, scope, s, d)) continue;
        const sourceId = srcVpcLevel ? s.vpcId : s.id;
        const destinationId = dstVpcLevel && d.vpcId ? d.vpcId : d.id;
        const k = `${sourceId}>${destinationId}`;
        if (!findings.has(k)) findings.set(k, { sourceId, destinationId, hops: trace(ix, s, d, protocol, port).hops });
      }
    }
  }
  return [...findings.values()];
}

