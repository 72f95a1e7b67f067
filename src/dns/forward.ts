/** Sends a DNS query to another server over UDP (Resolver outbound rules) and returns its reply. */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

const TIMEOUT_MS = 2000;

/** Tries each target in turn; undefined when none answers in time. */
export async function forwardQuery(query: Buffer, targets: { ip: string; port: number }[]): Promise<{ reply: Buffer; target: string } | undefined> {
  for (const t of targets) {
    const reply = await new Promise<Buffer | undefined>((resolve) => {
      const sock = createSocket(isIPv6(t.ip) ? 'udp6' : 'udp4');
      const timer = setTimeout(() => { sock.close(); resolve(undefined); }, TIMEOUT_MS);
      sock.once('message', (msg) => { clearTimeout(timer); sock.close(); resolve(msg); });
      sock.once('error', () => { clearTimeout(timer); sock.close(); resolve(undefined); });
      sock.send(query, t.port, t.ip);
    });
    if (reply) return { reply, target: `${t.ip}:${t.port}` };
  }
  return undefined;
}
