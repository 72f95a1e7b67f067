/**
 * Shared pieces of the benchmarks: spawning the two servers under test (Drydock as
 * `node bin/drydock.js start`, and the bare `node:http` peer), signing GetCallerIdentity
 * requests ahead of time, polling, /proc readings and small statistics.
 *
 * Benchmarks are not tests (ARCHITECTURE §9): they print numbers and ratios against a peer
 * measured in the same run, and fail only when the benchmark itself cannot run.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../test/support/node-sha256.js';
import type { LoadConfig, LoadMessage, LoadResult } from './loadgen.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HOST = '127.0.0.1';
export const GCI_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
export const ACCOUNT_RE = /<Account>000000000000<\/Account>/;

/**
 * What Drydock answers to GetCallerIdentity for test/test (same bytes, request id aside);
 * the bare peer serves it canned.
 */
export const CANNED_GCI_XML = '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
  + '<GetCallerIdentityResult><UserId>000000000000</UserId><Account>000000000000</Account>'
  + '<Arn>arn:aws:iam::000000000000:root</Arn></GetCallerIdentityResult>'
  + '<ResponseMetadata><RequestId>7acb4e50-8cdf-48dd-be5b-3992786d2f41</RequestId></ResponseMetadata>'
  + '</GetCallerIdentityResponse>';

/**
 * The peer: the smallest keep-alive `node:http` server that reads the request body and answers
 * a canned response (GetCallerIdentity's unless argv[2] and argv[3] give another body and its
 * content type). Plain CommonJS for `node -e`; the port is argv[1].
 */
export const BARE_SERVER_SRC = `
const http = require('node:http');
const body = Buffer.from(process.argv[2] || ${JSON.stringify(CANNED_GCI_XML)});
const headers = { 'content-type': process.argv[3] || 'text/xml', 'x-amzn-requestid': '7acb4e50-8cdf-48dd-be5b-3992786d2f41', 'content-length': body.length };
http.createServer({ keepAlive: true, keepAliveTimeout: 65000, requestTimeout: 0 }, (req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.writeHead(200, headers); res.end(body); });
}).listen(Number(process.argv[1]), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

/** Drydock; the bare peer (a canned answer); the floor (bench/floor-server.mjs: the least an operation needs). */
export type Kind = 'drydock' | 'bare' | 'floor';

export interface Spawned {
  kind: Kind;
  child: ChildProcess;
  pid: number;
  port: number;
  /** performance.now() just before spawn. */
  t0: number;
  /** performance.now() when the Drydock banner appeared on stdout (Drydock only). */
  tBanner?: number;
  /** The last few KB of the child's stdout+stderr, for diagnostics. */
  output(): string;
  exited: Promise<number | null>;
}

/** A port nobody listens on right now (the tiny race with other processes is acceptable here). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let buildChecked = false;
/** Fails early and clearly when `npm run build` has not been run (and warns, once, when it is older than src/). */
export function checkBuild(): void {
  if (buildChecked) return;
  buildChecked = true;
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) {
    throw new Error('dist/ is missing: run `npm run build` before the benchmarks (they start bin/drydock.js)');
  }
  const newest = (dir: string, ext: string): number => {
    let t = 0;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) t = Math.max(t, newest(p, ext));
      else if (name.endsWith(ext)) t = Math.max(t, st.mtimeMs);
    }
    return t;
  };
  if (newest(join(ROOT, 'src'), '.ts') > newest(join(ROOT, 'dist'), '.js') + 1000) {
    console.error('bench: warning: src/ is newer than dist/; run `npm run build` to measure the current code');
  }
}

/**
 * Starts one server under test as a child process; `nodeArgs` go before the script (e.g.
 * --cpu-prof); `canned` is what the bare peer answers instead of GetCallerIdentity.
 */
export function spawnServer(
  kind: Kind, port: number, nodeArgs: string[] = [], canned?: { contentType: string; body: string }, operation = 'gci',
): Spawned {
  const args = kind === 'drydock'
    ? [...nodeArgs, join(ROOT, 'bin', 'drydock.js'), 'start', '--port', String(port), '--host', HOST]
    : kind === 'floor'
      ? [...nodeArgs, join(ROOT, 'bench', 'floor-server.mjs'), String(port), operation]
      : [...nodeArgs, '-e', BARE_SERVER_SRC, String(port), ...(canned ? [canned.body, canned.contentType] : [])];
  let out = '';
  const keep = (c: Buffer): void => { out = (out + c.toString()).slice(-4096); };
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...scrubEnv(process.env), NODE_NO_WARNINGS: '1' },
  });
  if (child.pid === undefined) throw new Error(`could not spawn the ${kind} server`);
  const s: Spawned = {
    kind, child, pid: child.pid, port, t0, output: () => out,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (c: Buffer) => {
    if (s.tBanner === undefined && c.toString().includes('Drydock is serving')) s.tBanner = performance.now();
    keep(c);
  });
  child.stderr!.on('data', keep);
  return s;
}

/**
 * Environment for the servers under test: no inherited DRYDOCK_* settings (a data dir would
 * change what is measured), no NODE_OPTIONS, and no NODE_EXTRA_CA_CERTS: Node reads that
 * bundle eagerly at start-up (~60 ms of CPU on this sandbox, which sets it), and neither
 * server makes a TLS connection. Both peers get the same environment.
 */
export const SCRUBBED_ENV_VARS = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'];
function scrubEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('DRYDOCK_') && !SCRUBBED_ENV_VARS.includes(k)) out[k] = v;
  return out;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
export async function stopServer(s: Spawned, graceMs = 3000): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
  await s.exited;
  clearTimeout(timer);
}

export interface HttpAnswer { status: number; body: string }

/** One request on a fresh connection (no agent), bounded by `timeoutMs`. */
export function once(port: number, method: string, path: string, headers: Record<string, string>, body?: string, timeoutMs = 2000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method, path, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Polls `GET path` until it answers `expectStatus`, retrying refused connections every ~1 ms.
 * Bounded by `timeoutMs` and by the child exiting. Resolves with performance.now() of the answer.
 */
export async function pollUntil(s: Spawned, path: string, expectStatus = 200, timeoutMs = 15_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  for (let attempt = 0; attempt < 100_000 && performance.now() < deadline; attempt++) {
    if (s.child.exitCode !== null) throw new Error(`${s.kind} exited (${s.child.exitCode}) before answering:\n${s.output()}`);
    try {
      const r = await once(s.port, 'GET', path, {}, undefined, Math.max(1, deadline - performance.now()));
      if (r.status === expectStatus) return performance.now();
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`${s.kind} did not answer ${path} with ${expectStatus} within ${timeoutMs} ms (last: ${last})\n${s.output()}`);
}


const signer = new SignatureV4({
  service: 'sts', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

export interface SignedRequest { method: string; path: string; headers: Record<string, string>; body: string }

/**
 * A GetCallerIdentity request signed the way SDK v3 signs it (awsQuery POST, signed payload
 * hash, a unique invocation id). Signed now, so valid for the 15 minutes of allowed skew.
 */
export async function signedGetCallerIdentity(port: number, n = 0): Promise<SignedRequest> {
  const headers: Record<string, string> = {
    host: `${HOST}:${port}`,
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(GCI_BODY)),
    'user-agent': 'drydock-bench/1 aws-sdk-js/3',
    'amz-sdk-invocation-id': `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    'amz-sdk-request': 'attempt=1; max=1',
  };
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: HOST, port, path: '/', query: {}, headers, body: GCI_BODY,
  });
  return { method: 'POST', path: '/', headers: signed.headers as Record<string, string>, body: GCI_BODY };
}

/** The request as raw HTTP/1.1 bytes, for the raw-socket load generator. */
export function rawRequest(r: SignedRequest): string {
  let s = `${r.method} ${r.path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(r.headers)) s += `${k}: ${v}\r\n`;
  return `${s}connection: keep-alive\r\n\r\n${r.body}`;
}

/** VmRSS of a live process in MB (from /proc/<pid>/status), or NaN when unavailable. */
export function rssMB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

let clkTck: number | undefined;
/** User and system CPU seconds a live process has used so far (from /proc/<pid>/stat), or NaN. */
export function cpuTimes(pid: number): { user: number; system: number } {
  clkTck ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
    return { user: Number(fields[11]) / clkTck, system: Number(fields[12]) / clkTck };
  } catch {
    return { user: NaN, system: NaN };
  }
}

/** How busy the machine is: 1-minute load average and CPU pressure (share of time some task waited for a CPU). */
export function machineLoad(): { load1: number; cpuPressure10s: number } {
  const load1 = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  let cpuPressure10s = NaN;
  try {
    const m = /^some avg10=([\d.]+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    if (m) cpuPressure10s = Number(m[1]);
  } catch { /* no PSI on this kernel */ }
  return { load1, cpuPressure10s };
}

export function median(xs: number[]): number {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Nearest-rank percentile of an already sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** Left-aligned first column, right-aligned others. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export function isMain(importMetaUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(importMetaUrl) === process.argv[1];
}

/** `--name value` / `--flag` from argv, for the standalone entry points. */
export function flag(name: string): string | undefined;
export function flag(name: string, bool: true): boolean;
export function flag(name: string, bool?: true): string | boolean | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (bool) return i >= 0;
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const LOADGEN = fileURLToPath(new URL('./loadgen.ts', import.meta.url));

/** A load run and what the server under it used during the measured window. */
export interface ForkedLoad {
  load: LoadResult;
  /** The server's CPU seconds (/proc) at the window's start and end. */
  cpu0: { user: number; system: number };
  cpu1: { user: number; system: number };
  /** The server's RSS at the window's end. */
  rssMB: number;
}

/**
 * Runs bench/loadgen.ts as its own process (so server and generator each get a core) against
 * `serverPid`'s port, reading the server's CPU and RSS when the generator marks its window.
 */
export function forkLoad(cfg: LoadConfig, serverPid: number): Promise<ForkedLoad> {
  const gen = fork(LOADGEN, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let cpu0 = { user: NaN, system: NaN };
  let cpu1 = { user: NaN, system: NaN };
  let rss = NaN;
  return new Promise<ForkedLoad>((resolve, reject) => {
    const limit = setTimeout(() => { gen.kill('SIGKILL'); reject(new Error('load generator did not finish in time')); }, cfg.warmupMs + cfg.durationMs + 20_000);
    gen.on('message', (m: LoadMessage) => {
      if (m.type === 'measure-start') cpu0 = cpuTimes(serverPid);
      else if (m.type === 'measure-end') { cpu1 = cpuTimes(serverPid); rss = rssMB(serverPid); }
      else if (m.type === 'result') { clearTimeout(limit); resolve({ load: m.result, cpu0, cpu1, rssMB: rss }); }
      else { clearTimeout(limit); reject(new Error(`load generator failed: ${m.message}`)); }
    });
    gen.on('exit', (code) => { clearTimeout(limit); reject(new Error(`load generator exited (${code}) without a result`)); });
    gen.send(cfg);
  });
}
