/**
 * Answering one DNS message for Drydock's DNS server: Route 53 hosted zones through the DNS
 * engine, and the VPC resolver for queries that name a VPC (EDNS option 65001): private hosted
 * zones of that VPC, and Resolver rules that forward a domain. The server loads this module
 * (and `dns-packet` with it) with the first query, so serving DNS costs start-up nothing.
 */
import * as packet from 'dns-packet';
import type { DnsAnswer } from '../engines/dns/index.js';
import { fastReply, questionEnd } from './fast-answer.js';
import { forwardQuery } from './forward.js';
import type { DnsHost } from './server.js';
import { EXPLAIN_NAME, EXPLAIN_OPTION, toPacket, VPC_OPTION } from './wire.js';

const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

interface OptOption { code: number; data?: Buffer; ip?: string; sourcePrefixLength?: number }

function optionsOf(q: packet.Packet): { opt?: packet.Answer; options: OptOption[] } {
  const opt = q.additionals?.find((a) => a.type === 'OPT');
  return { opt, options: ((opt as { options?: OptOption[] } | undefined)?.options) ?? [] };
}

/**
 * Route 53 and Resolver fill the ports the answers come from; they load with the first query,
 * not at start-up, so serving DNS does not delay the first API answer.
 */
const loading = new WeakMap<DnsHost, Promise<unknown>>();
function servicesOf(host: DnsHost): Promise<unknown> {
  let p = loading.get(host);
  if (!p) loading.set(host, (p = Promise.all([host.service('route53'), host.service('route53resolver')])));
  return p;
}

/** Answers one DNS message (wire bytes in, wire bytes out); `udpLimit` applies truncation. */
export async function answerMessage(host: DnsHost, msg: Buffer, sourceIp: string, udp: boolean): Promise<Buffer | undefined> {
  await servicesOf(host);
  let q: packet.Packet;
  try {
    q = packet.decode(msg);
  } catch {
    return undefined;
  }
  const question = q.questions?.[0];
  const { opt, options } = optionsOf(q);
  const rd = (q.flags ?? 0) & packet.RECURSION_DESIRED;
  const base = { type: 'response' as const, id: q.id, questions: q.questions ?? [] };
  if (!question) return packet.encode({ ...base, flags: RCODES['FORMERR']! });
  const ecs = options.find((o) => o.code === 8);
  const via = options.find((o) => o.code === VPC_OPTION)?.data?.toString('ascii');
  const explain = options.some((o) => o.code === EXPLAIN_OPTION);
  const decision = host.ports.resolverDns?.decide(question.name, via);
  const vpcId = decision?.vpcId ?? via;
  if (decision?.forward) {
    const fwd = await forwardQuery(msg, decision.forward.targets);
    const lines = [...decision.explanation, fwd ? `answered by ${fwd.target}` : 'no target answered: SERVFAIL'];
    if (fwd && !explain) return fwd.reply;
    const reply: packet.Packet = fwd ? packet.decode(fwd.reply) : { ...base, flags: rd | packet.RECURSION_AVAILABLE | RCODES['SERVFAIL']! };
    reply.additionals = [...(reply.additionals ?? []).filter((a) => a.type !== 'OPT'), ...explanation(lines, explain)];
    logQuery(host, vpcId, question, fwd ? String((reply as { rcode?: string }).rcode ?? 'NOERROR') : 'SERVFAIL', sourceIp, reply.answers ?? []);
    return packet.encode(reply);
  }
  const clientIp = ecs?.ip ?? sourceIp;
  const answer: DnsAnswer | undefined = host.ports.route53Dns?.answer({
    name: question.name, type: question.type, clientIp, clientIpSource: ecs ? 'edns-client-subnet' : 'source-address', vpcId, explain,
  });
  const rcode = answer?.rcode ?? 'REFUSED';
  const baseFlags = (answer?.authoritative ? packet.AUTHORITATIVE_ANSWER : 0) | rd | (vpcId ? packet.RECURSION_AVAILABLE : 0);
  if (answer && rcode === 'NOERROR' && !explain && !ecs && answer.authority.length === 0 && answer.answers.length > 0 && !vpcId) {
    const qEnd = questionEnd(msg);
    const fast = qEnd > 0 && (!opt || msg.length > qEnd) ? fastReply(msg, qEnd, baseFlags, answer.answers, opt !== undefined) : undefined;
    if (fast && (!udp || fast.length <= (opt ? 4096 : 512))) return fast;
  }
  const answers = (answer?.answers ?? []).map(toPacket).filter((a): a is packet.Answer => a !== undefined);
  const authorities = (answer?.authority ?? []).map(toPacket).filter((a): a is packet.Answer => a !== undefined);
  const flags = baseFlags | RCODES[rcode]!;
  const additionals: packet.Answer[] = [];
  if (opt) {
    const echo = ecs ? [{ code: 8, family: ecs.ip?.includes(':') ? 2 : 1, sourcePrefixLength: ecs.sourcePrefixLength ?? 0, scopePrefixLength: 0, ip: ecs.ip }] : [];
    additionals.push({ name: '.', type: 'OPT', udpPayloadSize: 4096, flags: 0, options: echo } as unknown as packet.Answer);
  }
  additionals.push(...explanation([...(decision?.explanation ?? []), ...(answer?.explanation ?? ['Route 53 is not loaded'])], explain));
  if (vpcId) logQuery(host, vpcId, question, rcode, sourceIp, answers);
  const out = packet.encode({ ...base, flags, answers, authorities, additionals });
  const limit = udp ? (opt ? Math.min(4096, Math.max(512, (opt as { udpPayloadSize?: number }).udpPayloadSize ?? 512)) : 512) : 65535;
  if (out.length <= limit) return out;
  return packet.encode({ ...base, flags: flags | packet.TRUNCATED_RESPONSE, additionals: additionals.filter((a) => a.type === 'OPT') });
}

function explanation(lines: string[], wanted: boolean): packet.Answer[] {
  if (!wanted) return [];
  return lines.map((l) => ({ name: EXPLAIN_NAME, type: 'TXT', class: 'IN', ttl: 0, data: [Buffer.from(l).subarray(0, 255)] }) as packet.Answer);
}

function logQuery(host: DnsHost, vpcId: string | undefined, q: packet.Question, rcode: string, srcIp: string, answers: packet.Answer[]): void {
  if (!vpcId || !host.ports.resolverDns?.logQuery) return;
  host.ports.resolverDns.logQuery({ vpcId, name: q.name, type: q.type, rcode, srcIp, answers: answers.map((a) => { const d = (a as { data?: unknown }).data; return `${a.type} ${typeof d === 'string' ? d : JSON.stringify(d)}`; }) });
}

