/**
 * Route 53's presentation-form record values turned into `dns-packet` answers, and the
 * Drydock EDNS options: 65001 carries the querying VPC (or inbound endpoint) id as ASCII,
 * 65002 (empty) asks for the engine's explanation as TXT records in the additional section.
 */
import type { Answer } from 'dns-packet';
import { wireName, type AnswerRecord } from '../engines/dns/index.js';

/** EDNS option naming the VPC (or Resolver inbound endpoint) a query comes from. */
export const VPC_OPTION = 65001;
/** EDNS option asking for the explanation (`drydock dig` sends it). */
export const EXPLAIN_OPTION = 65002;
/** Owner name of the explanation TXT records. */
export const EXPLAIN_NAME = 'explanation.drydock';

const host = (s: string): string => (s.endsWith('.') ? s.slice(0, -1) : s);

/** `"a b" "c"` → ['a b', 'c'] (backslash escapes kept as the character). */
export function txtStrings(value: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(value); m; m = re.exec(value)) out.push(m[1]!.replace(/\\(\d{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e)));
  return out.length ? out : [value];
}

function data(type: string, value: string): unknown {
  const f = value.trim().split(/\s+/);
  switch (type) {
    case 'A': case 'AAAA': return value;
    case 'CNAME': case 'NS': case 'PTR': return host(value);
    case 'MX': return { preference: Number(f[0]), exchange: host(f[1] ?? '') };
    case 'SRV': return { priority: Number(f[0]), weight: Number(f[1]), port: Number(f[2]), target: host(f[3] ?? '') };
    case 'TXT': case 'SPF': return txtStrings(value);
    case 'SOA': return { mname: host(f[0]!), rname: host(f[1]!), serial: Number(f[2]), refresh: Number(f[3]), retry: Number(f[4]), expire: Number(f[5]), minimum: Number(f[6]) };
    case 'CAA': return { flags: Number(f[0]), tag: f[1], value: f.slice(2).join(' ').replace(/^"|"$/g, '') };
    case 'DS': return { keyTag: Number(f[0]), algorithm: Number(f[1]), digestType: Number(f[2]), digest: Buffer.from(f[3] ?? '', 'hex') };
    case 'NAPTR': return { order: Number(f[0]), preference: Number(f[1]), flags: f[2]!.replace(/"/g, ''), services: f[3]!.replace(/"/g, ''), regexp: f[4]!.replace(/"/g, ''), replacement: host(f[5] ?? '') };
    case 'SSHFP': return { algorithm: Number(f[0]), hash: Number(f[1]), fingerprint: f[2] };
    case 'TLSA': return { usage: Number(f[0]), selector: Number(f[1]), matchingType: Number(f[2]), certificate: Buffer.from(f[3] ?? '', 'hex') };
    default: return undefined;
  }
}

/** One engine record as a dns-packet answer; undefined for types dns-packet cannot write (SVCB, HTTPS). */
export function toPacket(r: AnswerRecord): Answer | undefined {
  const d = data(r.type, r.value);
  if (d === undefined) return undefined;
  return { name: wireName(r.name), type: r.type, class: 'IN', ttl: r.ttl, data: d } as Answer;
}
