import type { Server } from 'node:http';
import type { Clock } from '../core/clock.js';
import { Drydock } from '../gateway/app.js';
import { listen } from '../gateway/server.js';

export interface StartOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  dataDir?: string;
}

export interface RunningDrydock {
  /** e.g. `http://localhost:40123`: give it to an SDK client as `endpoint`. */
  endpoint: string;
  region: string;
  /** The root of account 000000000000. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  clock: Clock;
  app: Drydock;
  /** Drops all state (or one service's) without restarting. */
  reset(service?: string): void;
  stop(): Promise<void>;
}

/** Starts Drydock in this process, on a free port by default, for use from tests. */
export async function startDrydock(opts: StartOptions = {}): Promise<RunningDrydock> {
  const host = opts.host ?? '127.0.0.1';
  const app = await Drydock.create({ dataDir: opts.dataDir });
  const server: Server = await listen(app, opts.port ?? 0, host);
  return {
    endpoint: app.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    clock: app.clock,
    app,
    reset: (service) => app.reset(service),
    stop: () => new Promise((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => {
        app.close();
        if (e) reject(e); else resolve();
      });
    }),
  };
}

export { Drydock };
