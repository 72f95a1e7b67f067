/**
 * Drydock's DNS server: UDP and TCP on one port (default 127.0.0.1:5353), answering from
 * Route 53 hosted zones through the DNS engine, and acting as the VPC resolver for queries
 * that name a VPC (EDNS option 65001): private hosted zones of that VPC, and Route 53
 * Resolver rules that forward a domain to other DNS servers.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { Ports } from '../core/ports.js';

export interface DnsHost {
  ports: Ports;
  service(name: string): Promise<unknown>;
}

export interface DnsServer {
  port: number;
  host: string;
  close(): Promise<void>;
}

/** The answering half loads with the first query: binding the port is all start-up pays. */
let answering: Promise<typeof import('./answer.js')> | undefined;
function answerMessage(host: DnsHost, msg: Buffer, sourceIp: string, udp: boolean): Promise<Buffer | undefined> {
  answering ??= import('./answer.js');
  return answering.then((a) => a.answerMessage(host, msg, sourceIp, udp));
}

function bindUdp(sock: Socket, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, address, () => { sock.off('error', reject); resolve(sock.address().port); });
  });
}

function listenTcp(server: Server, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => { server.off('error', reject); resolve(); });
  });
}

function serveTcp(host: DnsHost): Server {
  return createServer((conn) => {
    let buf = Buffer.alloc(0);
    conn.on('error', () => conn.destroy());
    conn.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        void answerMessage(host, msg, conn.remoteAddress ?? '127.0.0.1', false).then((out) => {
          if (!out || conn.destroyed) return;
          const head = Buffer.alloc(2);
          head.writeUInt16BE(out.length);
          conn.write(Buffer.concat([head, out]));
        });
      }
    });
  });
}

/** Starts the server; port 0 picks a free port shared by UDP and TCP. */
export async function startDnsServer(host: DnsHost, opts: { port?: number; host?: string } = {}): Promise<DnsServer> {
  const address = opts.host ?? '127.0.0.1';
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    const tcp = serveTcp(host);
    try {
      const port = await bindUdp(udp, opts.port ?? 5353, address);
      await listenTcp(tcp, port, address);
      udp.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
        void answerMessage(host, msg, rinfo.address, true).then((out) => { if (out) udp.send(out, rinfo.port, rinfo.address); });
      });
      return {
        port, host: address,
        close: () => new Promise((resolve) => { udp.close(); tcp.close(() => resolve()); }),
      };
    } catch (e) {
      udp.close();
      tcp.close();
      if (opts.port || attempt >= 5) throw e;
    }
  }
}
