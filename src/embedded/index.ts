import type { Server } from 'node:http';
import type { Clock } from '../core/clock.js';
import { Drydock } from '../gateway/app.js';
import { listen } from '../gateway/server.js';
import { startDnsServer } from '../dns/server.js';

export interface StartOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  dataDir?: string;
  /** Also serve DNS (Route 53 zones, Resolver rules) over UDP+TCP on this port; 0 picks a free one. Off unless set. */
  dnsPort?: number;
}

export interface RunningDrydock {
  /** e.g. `http://localhost:40123`: give it to an SDK client as `endpoint`. */
  endpoint: string;
  region: string;
  /** The root of account 000000000000. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  clock: Clock;
  app: Drydock;
  /** The DNS server's port when `dnsPort` was given. */
  dnsPort?: number;
  /** Drops all state (or one service's) without restarting. */
  reset(service?: string): void;
  stop(): Promise<void>;
}

/** Starts Drydock in this process, on a free port by default, for use from tests. */
export async function startDrydock(opts: StartOptions = {}): Promise<RunningDrydock> {
  const host = opts.host ?? '127.0.0.1';
  const app = await Drydock.create({ dataDir: opts.dataDir });
  const server: Server = await listen(app, opts.port ?? 0, host);
  if (opts.dataDir) await app.resumeStoredServices();
  const dns = opts.dnsPort === undefined ? undefined : await startDnsServer(app, { port: opts.dnsPort, host });
  return {
    endpoint: app.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    clock: app.clock,
    app,
    dnsPort: dns?.port,
    reset: (service) => app.reset(service),
    stop: () => new Promise((resolve, reject) => {
      void dns?.close();
      server.closeAllConnections();
      server.close((e) => {
        app.close();
        if (e) reject(e); else resolve();
      });
    }),
  };
}

export { Drydock };
