/**
 * Throughput and latency of one AWS operation under a keep-alive load, Drydock beside the bare
 * `node:http` peer answering a canned response (the near-physical limit on this machine). The
 * operation is STS GetCallerIdentity by default; `--operation kms-encrypt|sqs-send` drives KMS
 * Encrypt or SQS SendMessage instead (bench/operations.ts), against a key or queue made first.
 *
 * Each server runs as its own child process (`node bin/drydock.js start`, or the `node -e`
 * peer) and the load generator (bench/loadgen.ts) as another, so the two share the machine's
 * cores fairly. Requests are signed before the run (64 distinct ones, rotated, all inside
 * SigV4's 15-minute validity): signing is the client's cost, verifying is the server's.
 * Each measurement is a 1 s warm-up then a fixed 5 s window.
 *
 *   node --import tsx bench/throughput.ts [--duration 5] [--warmup 1] [--connections 10]
 *                                         [--rounds 1] [--client raw|http] [--profile [bare]]
 *                                         [--operation gci|kms-encrypt|sqs-send|sqs-receive|sqs-delete]
 *                                         [--floor]
 *
 * `--floor` adds a third peer to every round, the floor (bench/floor-server.mjs): a server doing
 * only what the operation cannot do without (SigV4, the body read, the crypto, a fresh answer).
 * Its ratio to the bare peer is the most any faithful server reaches on this machine.
 *
 * `--profile [drydock|bare]` measures that server only (Drydock by default), under
 * `node --cpu-prof`, and prints the top self-time functions of its process.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadConfig, LoadResult } from './loadgen.js';
import {
  HOST, checkBuild, flag, fmt, forkLoad, freePort, isMain, median, once, pollUntil,
  spawnServer, stopServer, table, type Kind,
} from './lib.js';
import { OPERATION_SPECS, operationNamed, type OperationName } from './operations.js';
import { profileReport, summariseProfile } from './profile.js';

export const THROUGHPUT_TARGET_RATIO = 0.5;
const SIGNED_REQUESTS = 64;

export interface ThroughputOptions {
  warmupMs?: number;
  durationMs?: number;
  connections?: number;
  rounds?: number;
  client?: 'raw' | 'http';
  /** Record a CPU profile of this server (only it is measured then). */
  profile?: Kind | false;
  operation?: OperationName;
  /** Also measure the floor server (bench/floor-server.mjs) in every round. */
  floor?: boolean;
}

export interface ThroughputRun {
  kind: Kind;
  load: LoadResult;
  /** Share of one core the server process used during the measured window. */
  serverCpuPct: number;
  /** Server CPU per answered request in the window, µs, user and system (kernel: mostly the socket writes). */
  serverUserUs: number;
  serverSysUs: number;
  /** Share of one core the load generator used during the measured window. */
  clientCpuPct: number;
  rssUnderLoadMB: number;
}

export interface ThroughputSummary {
  kind: Kind;
  runs: ThroughputRun[];
  rps: number;
  p50: number;
  p99: number;
  serverCpuPct: number;
  serverUserUs: number;
  serverSysUs: number;
  clientCpuPct: number;
  rssUnderLoadMB: number;
  profile?: string;
}

async function oneRun(kind: Kind, o: Required<ThroughputOptions>, profileDir?: string): Promise<ThroughputRun> {
  const port = await freePort();
  const op = OPERATION_SPECS[o.operation];
  const s = spawnServer(kind, port, profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [], op.canned, o.operation);
  try {
    await pollUntil(s, kind === 'drydock' ? '/_drydock/health' : '/', 200);
    // The floor keeps no keys or queues: it is signed for stand-ins it does not look up.
    const vars = kind === 'drydock' ? await op.setup(port) : { keyId: 'alias/floor', queueUrl: `http://${HOST}:${port}/000000000000/floor`, handle: 'AAAA' };
    const requests = await Promise.all(Array.from({ length: SIGNED_REQUESTS }, (_, i) => op.sign(port, i, vars)));
    const check = await once(port, requests[0]!.method, requests[0]!.path, requests[0]!.headers, requests[0]!.body);
    if (check.status !== 200 || !op.expect.test(check.body)) {
      throw new Error(`${kind}: ${op.label} answered ${check.status}: ${check.body.slice(0, 300)}`);
    }
    const cfg: LoadConfig = {
      host: HOST, port, connections: o.connections, warmupMs: o.warmupMs, durationMs: o.durationMs, client: o.client, requests,
    };
    const { load, cpu0, cpu1, rssMB: rssUnderLoadMB } = await forkLoad(cfg, s.pid);
    if (load.errors) throw new Error(`${kind}: ${load.errors} of ${load.requests} requests failed (first: ${load.firstError})`);
    return {
      kind, load,
      serverCpuPct: (100 * (cpu1.user + cpu1.system - cpu0.user - cpu0.system)) / load.seconds,
      serverUserUs: (1e6 * (cpu1.user - cpu0.user)) / load.requests,
      serverSysUs: (1e6 * (cpu1.system - cpu0.system)) / load.requests,
      clientCpuPct: (100 * load.clientCpu) / load.seconds,
      rssUnderLoadMB,
    };
  } finally {
    await stopServer(s);
  }
}

function summarise(kind: Kind, runs: ThroughputRun[]): ThroughputSummary {
  return {
    kind, runs,
    rps: median(runs.map((r) => r.load.rps)),
    p50: median(runs.map((r) => r.load.p50)),
    p99: median(runs.map((r) => r.load.p99)),
    serverCpuPct: median(runs.map((r) => r.serverCpuPct)),
    serverUserUs: median(runs.map((r) => r.serverUserUs)),
    serverSysUs: median(runs.map((r) => r.serverSysUs)),
    clientCpuPct: median(runs.map((r) => r.clientCpuPct)),
    rssUnderLoadMB: median(runs.map((r) => r.rssUnderLoadMB)),
  };
}

/** Bare peer and Drydock alternately (order flipped each round), `rounds` times each. */
export async function benchThroughput(opts: ThroughputOptions = {}, log: (line: string) => void = () => undefined): Promise<ThroughputSummary[]> {
  checkBuild();
  const o: Required<ThroughputOptions> = {
    warmupMs: 1000, durationMs: 5000, connections: 10, rounds: 1, client: 'raw', profile: false, operation: 'gci', floor: false, ...opts,
  };
  const say = (r: ThroughputRun, round: number): void => log(`  throughput ${r.kind.padEnd(7)} round ${round}/${o.rounds}: ${fmt(r.load.rps, 0)} req/s, `
    + `p50 ${fmt(r.load.p50, 2)} ms, p99 ${fmt(r.load.p99, 2)} ms, server CPU ${fmt(r.serverCpuPct, 0)}% `
    + `(${fmt(r.serverUserUs, 0)}+${fmt(r.serverSysUs, 0)} µs/req user+sys), client CPU ${fmt(r.clientCpuPct, 0)}%`);

  if (o.profile) {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-prof-'));
    try {
      const run = await oneRun(o.profile, o, dir);
      say(run, 1);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`${o.profile} wrote no .cpuprofile (did it exit cleanly on SIGTERM?)`);
      return [{ ...summarise(o.profile, [run]), profile: profileReport(summariseProfile(join(dir, file))) }];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const runs: Record<Kind, ThroughputRun[]> = { drydock: [], bare: [], floor: [] };
  const kinds: Kind[] = o.floor ? ['bare', 'drydock', 'floor'] : ['bare', 'drydock'];
  for (let round = 1; round <= o.rounds; round++) {
    const order = round % 2 ? kinds : [...kinds].reverse();
    for (const kind of order) {
      const r = await oneRun(kind, o);
      runs[kind].push(r);
      say(r, round);
    }
  }
  // Drydock first, then its peers in table order.
  return KIND_ORDER.filter((k) => runs[k].length > 0).map((k) => summarise(k, runs[k]));
}

const KIND_ORDER: Kind[] = ['drydock', 'bare', 'floor'];
const KIND_LABEL: Record<Kind, string> = { drydock: 'drydock', bare: 'bare node:http', floor: 'floor' };

export function throughputTable(results: ThroughputSummary[], o: ThroughputOptions = {}): string {
  const d = results.find((r) => r.kind === 'drydock') ?? results[0]!;
  const b = results.find((r) => r.kind === 'bare' && r !== d);
  const f = results.find((r) => r.kind === 'floor' && r !== d);
  const n = d.runs.length;
  const ratio = b ? d.rps / b.rps : NaN;
  const target = o.operation ? OPERATION_SPECS[o.operation].target : THROUGHPUT_TARGET_RATIO;
  const head = `${OPERATION_SPECS[o.operation ?? 'gci'].label}, ${o.connections ?? 10} keep-alive conns, ${o.client ?? 'raw'} client${n > 1 ? ` (median of ${n})` : ''}`;
  // One cell per peer beside Drydock: the bare peer, then the floor when it ran.
  const peers = [b, f].filter((x): x is ThroughputSummary => x !== undefined);
  const cells = (g: (s: ThroughputSummary) => string): string[] => (peers.length ? peers.map(g) : ['—']);
  const rows: string[][] = [
    [head, KIND_LABEL[d.kind], ...cells((p) => KIND_LABEL[p.kind]), 'ratio', 'target'],
    ['requests/s', fmt(d.rps, 0), ...cells((p) => fmt(p.rps, 0)), b ? `${fmt(100 * ratio, 0)}%` : '',
      b ? `≥ ${100 * target}% ${ratio >= target ? 'ok' : 'MISS'}` : ''],
    ['p50 latency (ms)', fmt(d.p50, 2), ...cells((p) => fmt(p.p50, 2)), b ? `${fmt(d.p50 / b.p50, 2)}×` : '', ''],
    ['p99 latency (ms)', fmt(d.p99, 2), ...cells((p) => fmt(p.p99, 2)), b ? `${fmt(d.p99 / b.p99, 2)}×` : '', ''],
    ['server CPU per request, user+sys (µs)', `${fmt(d.serverUserUs, 0)}+${fmt(d.serverSysUs, 0)}`,
      ...cells((p) => `${fmt(p.serverUserUs, 0)}+${fmt(p.serverSysUs, 0)}`),
      b ? `${fmt((d.serverUserUs + d.serverSysUs) / (b.serverUserUs + b.serverSysUs), 2)}×` : '', ''],
    ['server CPU during window (% of a core)', fmt(d.serverCpuPct, 0), ...cells((p) => fmt(p.serverCpuPct, 0)), '', ''],
    ['load generator CPU (% of a core)', fmt(d.clientCpuPct, 0), ...cells((p) => fmt(p.clientCpuPct, 0)), '', ''],
    ['server RSS under load (MB)', fmt(d.rssUnderLoadMB), ...cells((p) => fmt(p.rssUnderLoadMB)), '', ''],
  ];
  if (b && f) {
    rows.push(['floor ÷ bare: the most a faithful server reaches here', '', ...cells((p) => (p === f ? `${fmt((100 * f.rps) / b.rps, 0)}%` : '')), '', '']);
    rows.push(['drydock ÷ floor', `${fmt((100 * d.rps) / f.rps, 0)}%`, ...cells(() => ''), '', '']);
  }
  return table(rows);
}

if (isMain(import.meta.url)) {
  const client = flag('client') ?? 'raw';
  if (client !== 'raw' && client !== 'http') throw new Error('--client is raw or http');
  const opts: ThroughputOptions = {
    durationMs: 1000 * Number(flag('duration') ?? 5),
    warmupMs: 1000 * Number(flag('warmup') ?? 1),
    connections: Number(flag('connections') ?? 10),
    rounds: Number(flag('rounds') ?? 1),
    client,
    // --profile [drydock|bare]
    profile: flag('profile', true) ? (flag('profile') === 'bare' ? 'bare' : 'drydock') : false,
    operation: operationNamed(flag('operation')),
    floor: flag('floor', true),
  };
  const results = await benchThroughput(opts, (l) => console.log(l));
  console.log(`\n${throughputTable(results, opts)}`);
  if (results[0]!.profile) console.log(`\n${results[0]!.profile}`);
}
