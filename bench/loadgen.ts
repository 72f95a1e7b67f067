/**
 * A small closed-loop keep-alive HTTP/1.1 load generator, run as its own process (forked by
 * throughput.ts) so the server under test and the generator each get one of the two cores.
 *
 * `connections` sockets each keep exactly one request in flight (no pipelining). Requests are
 * pre-signed by the parent and rotated, so no signing happens while measuring. Two clients:
 *
 * - `raw` (default): `node:net` sockets writing pre-built request bytes and reading just enough
 *   of each response (status line, Content-Length) to know it is complete — a few µs per
 *   request, so the generator is not what limits the bare peer;
 * - `http`: `node:http` with a keep-alive Agent (`maxSockets = connections`), the way an SDK
 *   client talks; several times the client CPU per request, kept for cross-checking.
 *
 * Latency is per request, from write to the last byte of the response, for requests that
 * start inside the measured window (after warm-up).
 */
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { SignedRequest } from './lib.js';

export interface LoadConfig {
  host: string;
  port: number;
  connections: number;
  warmupMs: number;
  durationMs: number;
  client: 'raw' | 'http';
  requests: SignedRequest[];
}

export interface LoadResult {
  requests: number;
  /** Measured-window requests that did not answer 200 (or failed). */
  errors: number;
  firstError?: string;
  reconnects: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** CPU seconds the generator used during the measured window. */
  clientCpu: number;
}

export type LoadMessage =
  | { type: 'measure-start' }
  | { type: 'measure-end' }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };

type Done = (status: number, err?: string) => void;
interface Conn { send(i: number, done: Done): void; close(): void }

/**
 * One raw keep-alive connection; `send` writes request `i` and calls `done` on the full
 * response. A dropped connection fails the request in flight and reconnects (at most
 * `maxReconnects` times in all, so a dead server cannot spin this).
 */
function rawConn(cfg: LoadConfig, raw: Buffer[], reconnect: () => boolean): Conn {
  let sock: Socket;
  let buf: Buffer | undefined;
  let pending: Done | undefined;
  let closing = false;
  let dead = false;
  let why = '';
  const open = (): void => {
    const s = connect({ host: cfg.host, port: cfg.port, noDelay: true });
    sock = s;
    s.on('data', (chunk: Buffer) => {
      buf = buf ? Buffer.concat([buf, chunk]) : chunk;
      const headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = buf.toString('latin1', 0, headEnd);
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!m) { why = 'response without content-length'; s.destroy(); return; }
      if (buf.length < headEnd + 4 + Number(m[1])) return;
      const status = Number(head.slice(9, 12));
      buf = undefined;
      const d = pending; pending = undefined;
      d?.(status);
    });
    s.on('error', (e) => { why ||= e.message; });
    s.on('close', () => {
      if (closing) return;
      buf = undefined;
      const d = pending; pending = undefined;
      const msg = why || 'connection closed by server';
      why = '';
      if (reconnect()) open(); else dead = true;
      d?.(0, msg);
    });
  };
  open();
  return {
    send(i, done) {
      if (dead) { setImmediate(() => done(0, 'connection lost (too many reconnects)')); return; }
      pending = done;
      sock.write(raw[i]!);
    },
    close() { closing = true; sock.destroy(); },
  };
}

function httpConn(cfg: LoadConfig, agent: Agent): Conn {
  return {
    send(i, cb) {
      let called = false;
      const done: Done = (status, err) => { if (!called) { called = true; cb(status, err); } };
      const r = cfg.requests[i]!;
      const req = request({ host: cfg.host, port: cfg.port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', (e) => done(0, e.message));
      });
      req.on('error', (e) => done(0, e.message));
      req.end(r.body);
    },
    close() { /* the agent is destroyed at the end */ },
  };
}

export async function runLoad(cfg: LoadConfig, notify: (m: LoadMessage) => void = () => undefined): Promise<LoadResult> {
  const { rawRequest } = await import('./lib.js');
  const raw = cfg.requests.map((r) => Buffer.from(rawRequest(r), 'latin1'));
  const agent = new Agent({ keepAlive: true, maxSockets: cfg.connections, maxFreeSockets: cfg.connections });
  let reconnects = 0;
  const conns: Conn[] = [];
  for (let c = 0; c < cfg.connections; c++) conns.push(cfg.client === 'raw' ? rawConn(cfg, raw, () => ++reconnects <= 1000) : httpConn(cfg, agent));

  const start = performance.now();
  const measureFrom = start + cfg.warmupMs;
  const measureTo = measureFrom + cfg.durationMs;
  // Room for ~1M latencies; beyond that, later ones still count towards requests/s.
  const lat = new Float64Array(1 << 20);
  let n = 0;
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let cpuAtEnd: NodeJS.CpuUsage | undefined;
  let measuring = false;
  // The parent reads the server's CPU time when told the window opens and closes.
  const mark = (now: number): void => {
    if (!measuring && now >= measureFrom) { measuring = true; cpuAtStart = process.cpuUsage(); notify({ type: 'measure-start' }); }
    if (measuring && now >= measureTo && !cpuAtEnd) { cpuAtEnd = process.cpuUsage(cpuAtStart); notify({ type: 'measure-end' }); }
  };
  const marks = setInterval(() => mark(performance.now()), 5);

  // In-flight requests get a grace period after the window; a server that stops answering
  // cannot hold the generator longer than that.
  let grace: NodeJS.Timeout | undefined;
  const giveUp = new Promise<void>((resolve) => { grace = setTimeout(resolve, cfg.warmupMs + cfg.durationMs + 5000); });
  const loops = Promise.all(conns.map((conn) => new Promise<void>((resolve) => {
    const loop = (): void => {
      const t = performance.now();
      mark(t);
      if (t >= measureTo) { resolve(); return; }
      const i = next++ % raw.length;
      conn.send(i, (status, err) => {
        const end = performance.now();
        if (t >= measureFrom && t < measureTo) {
          count++;
          if (status === 200) { if (n < lat.length) lat[n++] = end - t; }
          else { errors++; firstError ??= err ?? `HTTP ${status}`; }
        } else if (status !== 200 && t < measureFrom) {
          firstError ??= `during warm-up: ${err ?? `HTTP ${status}`}`;
        }
        loop();
      });
    };
    loop();
  })));
  await Promise.race([loops, giveUp]);
  clearTimeout(grace);
  clearInterval(marks);
  mark(Math.max(performance.now(), measureTo));
  for (const c of conns) c.close();
  agent.destroy();

  const sorted = lat.subarray(0, n).sort();
  const pct = (p: number): number => (n ? sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]! : NaN);
  const seconds = cfg.durationMs / 1000;
  return {
    requests: count, errors, firstError, reconnects, seconds,
    rps: (count - errors) / seconds,
    p50: pct(50), p90: pct(90), p99: pct(99), max: n ? sorted[n - 1]! : NaN,
    clientCpu: cpuAtEnd ? (cpuAtEnd.user + cpuAtEnd.system) / 1e6 : NaN,
  };
}

// Forked by throughput.ts: one config in over IPC, marks and one result out, then exit.
if (process.send) {
  const send = process.send.bind(process);
  process.once('message', (cfg: LoadConfig) => {
    runLoad(cfg, (m) => send(m))
      .then((result) => send({ type: 'result', result } satisfies LoadMessage, undefined, undefined, () => process.exit(0)))
      .catch((e: unknown) => send({ type: 'error', message: String((e as Error).stack ?? e) } satisfies LoadMessage, undefined, undefined, () => process.exit(1)));
  });
}
