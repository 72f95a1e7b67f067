/**
 * Network Access Analyzer at network interface level: when a scope's path names network
 * interfaces, security groups or instances (`AWS::EC2::NetworkInterface`,
 * `AWS::EC2::SecurityGroup`, `AWS::EC2::Instance`, or `eni-`/`sg-`/`i-` ids), every source ENI
 * is traced to every destination with its security groups applied on both ends, for each
 * protocol and port of the path's packet header. Findings name the two ENIs; their hops carry
 * the security group rules that let the traffic through.
 */
import { containsIp, parseCidr, parseIp } from './cidr.js';
import type { NetIndex } from './index-topology.js';
import type { Hop } from './path.js';
import type { Protocol } from './rules.js';
import type { NetEni } from './topology.js';
import { Walker } from './walk.js';

/** The statement shape of access.ts (kept structural to avoid an import cycle). */
interface Statement { resources?: string[]; resourceTypes?: string[]; addresses?: string[] }
interface PathLike { source?: Statement; destination?: Statement; protocols?: Protocol[]; destinationPorts?: number[] }

const ENI_TYPES = ['AWS::EC2::NetworkInterface', 'AWS::EC2::SecurityGroup', 'AWS::EC2::Instance'];

/** Whether a statement speaks of network interfaces (so the path is analysed ENI by ENI). */
export function eniLevel(st: Statement | undefined): boolean {
  return (st?.resourceTypes ?? []).some((t) => ENI_TYPES.includes(t)) || (st?.resources ?? []).some((r) => /^(eni|sg|i)-/.test(r));
}

/** Whether a statement admits an ENI: by id, security group, instance, subnet or VPC, type, and address. */
export function admitsEni(st: Statement | undefined, eni: NetEni): boolean {
  if (st === undefined) return true;
  const res = st.resources ?? [];
  const types = st.resourceTypes ?? [];
  const addresses = st.addresses ?? [];
  const byResource = (res.length === 0 && types.length === 0)
    || res.includes(eni.id) || res.includes(eni.subnetId) || res.includes(eni.vpcId) || eni.groupIds.some((g) => res.includes(g))
    || (eni.instanceId !== undefined && res.includes(eni.instanceId))
    || types.includes('AWS::EC2::NetworkInterface') || types.includes('AWS::EC2::VPC') || types.includes('AWS::EC2::Subnet')
    || (types.includes('AWS::EC2::SecurityGroup') && eni.groupIds.length > 0) || (types.includes('AWS::EC2::Instance') && eni.instanceId !== undefined);
  const byAddress = addresses.length === 0 || eni.privateIps.some((ip) => addresses.some((a) => {
    const c = parseCidr(a);
    return c !== undefined && containsIp(c, parseIp(ip)!);
  }));
  return byResource && byAddress;
}

export interface EniFinding { sourceId: string; destinationId: string; hops: Hop[] }

/** Forward trace from one ENI to another's address, security groups on both ends. */
function trace(ix: NetIndex, from: NetEni, to: NetEni, protocol: Protocol, port: number | undefined): Hop[] | undefined {
  const w = new Walker(ix, { srcIp: parseIp(from.privateIps[0]!)!, dstIp: parseIp(to.privateIps[0]!)!, protocol, port },
    { checkSecurityGroups: true, sourceSubnetId: from.subnetId, publicSource: from.publicIp !== undefined });
  const out = w.run((x) => x.fromEni(from));
  return out.block === undefined && out.arrival?.kind === 'eni' && out.arrival.eniId === to.id ? out.hops : undefined;
}

/**
 * ENIs in one subnet with the same security groups (and public address or not) are treated
 * alike by every rule on the way, so a pair of such classes is decided once — unless some
 * security group rule or network ACL entry names a range narrower than a subnet, which can
 * tell two ENIs of one subnet apart; then every ENI is its own class.
 */
function classifier(ix: NetIndex): (e: NetEni) => string {
  const cidrs = [
    ...ix.topology.securityGroups.flatMap((g) => [...g.ingress, ...g.egress].flatMap((r) => r.cidrs)),
    ...ix.topology.networkAcls.flatMap((a) => a.entries.map((e) => e.cidr)),
  ];
  const narrow = cidrs.some((c) => {
    const p = parseCidr(c);
    const sub = p === undefined ? undefined : ix.anySubnetOfIp(p.base);
    return p !== undefined && sub !== undefined && ix.subnetCidr(sub.id)!.len < p.len;
  });
  return narrow ? (e) => e.id : (e) => `${e.subnetId}|${[...e.groupIds].sort().join(',')}|${e.publicIp !== undefined}`;
}

/** The ENI-to-ENI findings of one match path; `excluded` says whether an exclude path covers a pair. */
export function eniFindings(ix: NetIndex, path: PathLike, excluded: (src: NetEni, dst: NetEni) => boolean): EniFinding[] {
  const enis = [...ix.enis.values()].filter((e) => e.privateIps.length > 0);
  const sources = enis.filter((e) => admitsEni(path.source, e));
  const dests = enis.filter((e) => admitsEni(path.destination, e));
  const headers = (path.protocols ?? ['tcp']).flatMap((proto) => (path.destinationPorts ?? [undefined]).map((port) => ({ proto, port })));
  const first = (s: NetEni, d: NetEni) => {
    for (const h of headers) {
      const hops = trace(ix, s, d, h.proto, h.port);
      if (hops !== undefined) return hops;
    }
    return undefined;
  };
  const classOf = classifier(ix);
  const decided = new Map<string, boolean>();
  const out: EniFinding[] = [];
  for (const s of sources) {
    for (const d of dests) {
      if (s.id === d.id || excluded(s, d)) continue;
      const key = `${classOf(s)}>${classOf(d)}`;
      if (decided.get(key) === false) continue;
      const hops = first(s, d);
      decided.set(key, hops !== undefined);
      if (hops !== undefined) out.push({ sourceId: s.id, destinationId: d.id, hops });
    }
  }
  return out;
}
