/** A stand-in on-premises DNS server on loopback: authoritative for `domain` (every A name under it is `ip`), NXDOMAIN otherwise. */
import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';

export async function onPremDns(domain: string, ip: string): Promise<{ port: number; seen: string[]; close(): void }> {
  const sock = createSocket('udp4');
  const seen: string[] = [];
  sock.on('message', (msg, rinfo) => {
    const q = packet.decode(msg);
    const question = q.questions![0]!;
    seen.push(question.name);
    const ours = question.name === domain || question.name.endsWith(`.${domain}`);
    const answers = ours && question.type === 'A' ? [{ name: question.name, type: 'A' as const, ttl: 300, data: ip }] : [];
    sock.send(packet.encode({ type: 'response', id: q.id, flags: packet.AUTHORITATIVE_ANSWER | (ours ? 0 : 3), questions: q.questions, answers }), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  return { port: sock.address().port, seen, close: () => sock.close() };
}
