/**
 * `drydock dig NAME [TYPE] [--server H] [-p PORT] [--subnet IP[/N]] [--vpc VPC-ID] [--tcp]`:
 * a DNS query to Drydock's DNS server that also asks for the engine's explanation (EDNS
 * option 65002) and prints the answer the way dig does, then why those records were chosen.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import * as packet from 'dns-packet';
import { EXPLAIN_NAME, EXPLAIN_OPTION, VPC_OPTION } from '../dns/wire.js';

export interface DigOptions { server: string; port: number; subnet?: string; vpc?: string; tcp?: boolean }

export function digQuery(name: string, type: string, o: Pick<DigOptions, 'subnet' | 'vpc'>): Buffer {
  const options: unknown[] = [{ code: EXPLAIN_OPTION, data: Buffer.alloc(0) }];
  if (o.vpc) options.push({ code: VPC_OPTION, data: Buffer.from(o.vpc, 'ascii') });
  if (o.subnet) {
    const [ip, len] = o.subnet.split('/');
    options.push({ code: 8, family: ip!.includes(':') ? 2 : 1, sourcePrefixLength: Number(len ?? (ip!.includes(':') ? 56 : 24)), scopePrefixLength: 0, ip });
  }
  return packet.encode({
    type: 'query', id: Math.floor(Math.random() * 65535), flags: packet.RECURSION_DESIRED,
    questions: [{ type: type as packet.RecordType, name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, options } as unknown as packet.Answer],
  });
}

/** Sends one query and returns the decoded reply. */
export function send(query: Buffer, o: DigOptions): Promise<packet.Packet> {
  return new Promise((resolve, reject) => {
    const fail = (e: Error) => reject(new Error(`no DNS answer from ${o.server}:${o.port} (${e.message}); is Drydock running with DNS?`));
    if (o.tcp) {
      const s = connect(o.port, o.server, () => { const h = Buffer.alloc(2); h.writeUInt16BE(query.length); s.write(Buffer.concat([h, query])); });
      let buf = Buffer.alloc(0);
      s.setTimeout(3000, () => { s.destroy(); fail(new Error('timed out')); });
      s.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) { s.end(); resolve(packet.decode(buf.subarray(2))); }
      });
      s.on('error', fail);
      return;
    }
    const sock = createSocket(o.server.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => { sock.close(); fail(new Error('timed out')); }, 3000);
    sock.once('message', (m) => { clearTimeout(timer); sock.close(); resolve(packet.decode(m)); });
    sock.once('error', (e) => { clearTimeout(timer); sock.close(); fail(e); });
    sock.send(query, o.port, o.server);
  });
}

const show = (d: unknown): string => {
  if (typeof d === 'string') return d;
  if (Array.isArray(d)) return d.map((x) => `"${Buffer.isBuffer(x) ? x.toString() : String(x)}"`).join(' ');
  if (d && typeof d === 'object') return Object.values(d as Record<string, unknown>).map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : String(v))).join(' ');
  return String(d);
};

/** The reply as dig-like text, then the explanation lines. */
export function formatReply(r: packet.Packet): string {
  const f = (r.flags ?? 0);
  const flags = ['qr', f & packet.AUTHORITATIVE_ANSWER && 'aa', f & packet.TRUNCATED_RESPONSE && 'tc', f & packet.RECURSION_DESIRED && 'rd', f & packet.RECURSION_AVAILABLE && 'ra']
    .filter(Boolean).join(' ');
  const row = (a: packet.Answer) => `${a.name}.\t${(a as { ttl?: number }).ttl ?? 0}\tIN\t${a.type}\t${show((a as { data?: unknown }).data)}`;
  const lines = [`;; status: ${(r as { rcode?: string }).rcode ?? 'NOERROR'}, flags: ${flags}, answers: ${r.answers?.length ?? 0}`];
  if (r.answers?.length) lines.push(';; ANSWER SECTION:', ...r.answers.map(row));
  if (r.authorities?.length) lines.push(';; AUTHORITY SECTION:', ...r.authorities.map(row));
  const why = (r.additionals ?? []).filter((a) => a.name === EXPLAIN_NAME).map((a) => show((a as { data?: unknown }).data).replace(/^"|"$/g, ''));
  if (why.length) lines.push(';; WHY (drydock DNS engine):', ...why.map((l) => `;;   ${l}`));
  return lines.join('\n');
}

export async function dig(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { server: { type: 'string' }, port: { type: 'string', short: 'p' }, subnet: { type: 'string' }, vpc: { type: 'string' }, tcp: { type: 'boolean' } },
  });
  const [name, type = 'A'] = positionals;
  if (!name) throw new Error('usage: drydock dig NAME [TYPE] [--server H] [-p PORT] [--subnet IP/N] [--vpc VPC-ID] [--tcp]');
  const o: DigOptions = {
    server: values.server ?? '127.0.0.1', port: Number(values.port ?? process.env['DRYDOCK_DNS_PORT'] ?? 5353), subnet: values.subnet, vpc: values.vpc, tcp: values.tcp,
  };
  console.log(formatReply(await send(digQuery(name, type.toUpperCase(), o), o)));
  return 0;
}
