/**
 * S3 side by side: Drydock (the built CLI) and `s3rver` (npm), each in its own process and all
 * started at once. Small objects (1 KB PUT and GET at a fixed concurrency, credentials test/test
 * and s3rver's S3RVER) are measured twice:
 *
 * - by SDK v3 clients in this process: what an application sees, but the SDK spends about a
 *   millisecond of CPU per call, on the same two cores, so this mostly measures the client;
 * - by the raw keep-alive load generator (bench/loadgen.ts, its own process) sending requests
 *   signed ahead of time as the SDK signs them (64 distinct ones, rotated): the servers' rate.
 *
 * Both print the CPU each server used per request (/proc/<pid>/stat) beside the client's.
 * Then 100 MB PUT and GET, with a bare `node:http` server as the large-object baseline: it
 * reads and discards an upload and answers a download from memory. It is driven twice for PUT:
 * by a plain `node:http` request, and by the same SDK call as the S3 peers (which also hashes
 * the body client-side, as it does for them); GET is the SDK's GetObject. The same server is
 * also the PUT floor: to a key holding `md5` it hashes the body with MD5 as it arrives and
 * answers that ETag, the one digest S3 cannot answer a PutObject without, so no faithful
 * server uploads faster on this machine (Drydock also checks the signed SHA-256 and keeps the
 * bytes). Checksums are
 * WHEN_REQUIRED for every peer, because s3rver cannot decode aws-chunked bodies. Needs
 * `npm run build` first; `--large-runs 0` measures small objects only.
 *
 *   node --import tsx bench/s3.ts [--seconds 4] [--rounds 4] [--concurrency 10] [--large-mb 100] [--large-runs 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../test/support/node-sha256.js';
import type { LoadConfig } from './loadgen.js';
import {
  HOST, ROOT, checkBuild, cpuTimes, flag, fmt, forkLoad, freePort, median, percentile, pollUntil, spawnServer, stopServer, table,
  type SignedRequest,
} from './lib.js';

const S3RVER_SRC = `
const S3rver = require('s3rver');
const fs = require('node:fs'); const os = require('node:os'); const path = require('node:path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
new S3rver({ port: Number(process.argv[1]), address: '127.0.0.1', silent: true, directory: dir }).run().then(() => console.log('ready'));
`;

const SINK_SRC = `
const big = Buffer.alloc(Number(process.argv[2]), 'b');
require('node:http').createServer((req, res) => {
  const md5 = req.method === 'PUT' && req.url.includes('md5') ? require('node:crypto').createHash('md5') : undefined;
  req.on('data', md5 ? (c) => md5.update(c) : () => {});
  req.on('end', () => {
    if (md5) { res.writeHead(200, { etag: '"' + md5.digest('hex') + '"' }); res.end(); return; }
    if (req.method !== 'GET') { res.end(''); return; }
    res.writeHead(200, { 'content-length': big.length, 'content-type': 'binary/octet-stream' });
    res.end(big);
  });
}).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));
`;

function spawnScript(src: string, port: number, ...args: string[]): ChildProcess {
  return spawn(process.execPath, ['-e', src, String(port), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
}

async function readyLine(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => { if (c.toString().includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

function client(port: number, concurrency: number, key: string): S3Client {
  return new S3Client({
    endpoint: `http://${HOST}:${port}`, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: key, secretAccessKey: key },
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) }),
  });
}

/** One small-object measure of one peer, summed over its turns. */
interface Measure { requests: number; seconds: number; p99s: number[]; serverCpu: number; clientCpu: number }
const measure = (): Measure => ({ requests: 0, seconds: 0, p99s: [], serverCpu: 0, clientCpu: 0 });

/** Runs `op` from `concurrency` loops for `seconds`; every latency in ms. */
async function closedLoop(seconds: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await op(n++);
      lat.push(performance.now() - t);
    }
  }));
  return lat;
}

const cpuOf = (pid: number): number => { const c = cpuTimes(pid); return c.user + c.system; };

/** One SDK turn: the closed loop in this process, with the CPU the server and this process used. */
async function sdkTurn(m: Measure, pid: number, seconds: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<void> {
  const [s0, c0] = [cpuOf(pid), process.cpuUsage()];
  const lat = await closedLoop(seconds, concurrency, op);
  const c1 = process.cpuUsage(c0);
  m.serverCpu += cpuOf(pid) - s0;
  m.clientCpu += (c1.user + c1.system) / 1e6;
  m.requests += lat.length;
  m.seconds += seconds;
  m.p99s.push(percentile(lat.sort((a, b) => a - b), 0.99));
}

/**
 * One raw turn: bench/loadgen.ts in its own process sends pre-signed requests over `concurrency`
 * keep-alive sockets for a short warm-up and then `seconds`, the server's CPU read over its window.
 */
async function rawTurn(m: Measure, pid: number, port: number, requests: SignedRequest[], seconds: number, concurrency: number): Promise<void> {
  const cfg: LoadConfig = { host: HOST, port, connections: concurrency, warmupMs: 300, durationMs: seconds * 1000, client: 'raw', requests };
  const { load: r, cpu0, cpu1 } = await forkLoad(cfg, pid);
  if (r.errors) throw new Error(`${r.errors} of ${r.requests} raw requests to port ${port} failed (first: ${r.firstError})`);
  m.serverCpu += cpu1.user + cpu1.system - cpu0.user - cpu0.system;
  m.clientCpu += r.clientCpu;
  m.requests += r.requests;
  m.seconds += r.seconds;
  m.p99s.push(r.p99);
}

const SIGNED_REQUESTS = 64;
const sha256Hex = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * PUTs of the 1 KB body to k0…k63, or GETs of them, with the headers SDK v3 sends and signed
 * the way it signs S3 over plain http (path-style, `?x-id=`, the body's SHA-256 in
 * x-amz-content-sha256, no checksum), each with its own invocation id: the 64 are rotated,
 * and stay valid for SigV4's 15 minutes.
 */
function signedS3(port: number, key: string, method: 'PUT' | 'GET'): Promise<SignedRequest[]> {
  const signer = new SignatureV4({
    service: 's3', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: key, secretAccessKey: key },
    uriEscapePath: false, applyChecksum: false,
  });
  const body = method === 'PUT' ? SMALL.toString('latin1') : '';
  return Promise.all(Array.from({ length: SIGNED_REQUESTS }, async (_, i) => {
    const [path, id] = [`/${Bucket}/k${i}`, method === 'PUT' ? 'PutObject' : 'GetObject'];
    const headers: Record<string, string> = {
      host: `${HOST}:${port}`, 'x-amz-content-sha256': sha256Hex(body),
      'x-amz-user-agent': 'aws-sdk-js/3', 'user-agent': 'drydock-bench/1 aws-sdk-js/3 api/s3',
      'amz-sdk-invocation-id': `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, 'amz-sdk-request': 'attempt=1; max=1',
    };
    if (method === 'PUT') Object.assign(headers, { 'content-type': 'application/octet-stream', 'content-length': String(SMALL.length) });
    const signed = await signer.sign({ method, protocol: 'http:', hostname: HOST, port, path, query: { 'x-id': id }, headers, body });
    return { method, path: `${path}?x-id=${id}`, headers: signed.headers as Record<string, string>, body };
  }));
}

type Options = { seconds: number; rounds: number; concurrency: number; big: Buffer; runs: number };

/** One S3 peer under test: its client, its pre-signed requests and what it has measured so far. */
interface Peer {
  pid: number; port: number; s3: S3Client; rawPuts: SignedRequest[]; rawGets: SignedRequest[];
  put: Measure; get: Measure; rawPut: Measure; rawGet: Measure; bigPut: number[]; bigGet: number[];
}

const Bucket = 'bench';
const SMALL = Buffer.alloc(1024, 'x');

async function prepare(pid: number, port: number, key: string, o: Options): Promise<Peer> {
  const s3 = client(port, o.concurrency, key);
  await s3.send(new CreateBucketCommand({ Bucket }));
  // Every key the GET loop reads exists, however few PUTs a slow run manages.
  await Promise.all(Array.from({ length: 100 }, (_, i) => s3.send(new PutObjectCommand({ Bucket, Key: `k${i}`, Body: SMALL }))));
  await closedLoop(1, o.concurrency, (i) => s3.send(new PutObjectCommand({ Bucket, Key: `k${i % 100}`, Body: SMALL })));
  const [rawPuts, rawGets] = [await signedS3(port, key, 'PUT'), await signedS3(port, key, 'GET')];
  return { pid, port, s3, rawPuts, rawGets, put: measure(), get: measure(), rawPut: measure(), rawGet: measure(), bigPut: [], bigGet: [] };
}

const smallPut = (p: Peer) => (i: number) => p.s3.send(new PutObjectCommand({ Bucket, Key: `k${i % 100}`, Body: SMALL }));
const smallGet = (p: Peer) => async (i: number) => {
  const r = await p.s3.send(new GetObjectCommand({ Bucket, Key: `k${i % 100}` }));
  await r.Body!.transformToByteArray();
};

async function timed(op: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await op();
  return performance.now() - t;
}

const bigPut = (p: { s3: S3Client }, big: Buffer, Key = 'big') => () => p.s3.send(new PutObjectCommand({ Bucket, Key, Body: big }));
const bigGet = (p: { s3: S3Client }, big: Buffer) => async () => {
  const r = await p.s3.send(new GetObjectCommand({ Bucket, Key: 'big' }));
  const bytes = await r.Body!.transformToByteArray();
  if (bytes.length !== big.length) throw new Error(`GET returned ${bytes.length} bytes`);
};

function sinkUpload(port: number, big: Buffer, agent: Agent, path = '/bench/big'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = request({ host: HOST, port, method: 'PUT', path, agent, headers: { 'content-length': big.length } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(big);
  });
}

/**
 * The peers take turns: each round runs every small-object measure on Drydock, then on s3rver
 * (the order swapping each round), and each large-object run goes round all peers, so a change
 * of load on a shared machine falls on both sides of every ratio.
 */
async function main(): Promise<void> {
  checkBuild();
  const o: Options = {
    seconds: Number(flag('seconds') ?? 4), rounds: Number(flag('rounds') ?? 4), concurrency: Number(flag('concurrency') ?? 10),
    big: Buffer.alloc(Number(flag('large-mb') ?? 100) * 1024 * 1024, 'b'), runs: Number(flag('large-runs') ?? 3),
  };
  const [dPort, sPort, kPort] = [await freePort(), await freePort(), await freePort()];
  const drydock = spawnServer('drydock', dPort);
  await pollUntil(drydock, '/_drydock/health');
  const s3rver = spawnScript(S3RVER_SRC, sPort);
  await readyLine(s3rver);
  const sink = spawnScript(SINK_SRC, kPort, String(o.big.length));
  await readyLine(sink);
  try {
    const d = await prepare(drydock.pid, dPort, 'test', o);
    const s = await prepare(s3rver.pid!, sPort, 'S3RVER', o);
    const bare = { s3: client(kPort, 1, 'test'), bigPut: [] as number[], bigGet: [] as number[], floorPut: [] as number[] };
    const slice = o.seconds / o.rounds;
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 ? [s, d] : [d, s];
      for (const p of order) await sdkTurn(p.put, p.pid, slice, o.concurrency, smallPut(p));
      for (const p of order) await sdkTurn(p.get, p.pid, slice, o.concurrency, smallGet(p));
      for (const p of order) await rawTurn(p.rawPut, p.pid, p.port, p.rawPuts, slice, o.concurrency);
      for (const p of order) await rawTurn(p.rawGet, p.pid, p.port, p.rawGets, slice, o.concurrency);
    }
    const agent = new Agent({ keepAlive: true });
    const raw: number[] = [];
    const rawFloor: number[] = [];
    if (o.runs > 0) for (const p of [d, s, bare]) await bigPut(p, o.big)();
    for (let r = 0; r < o.runs; r++) {
      // The order turns each run: the first GET after the PUTs meets the kernel writing back
      // their files and this process collecting the last run's garbage.
      const peers = [d, s, bare];
      const order = [...peers.slice(r % 3), ...peers.slice(0, r % 3)];
      for (const p of order) p.bigPut.push(await timed(bigPut(p, o.big)));
      raw.push(await timed(() => sinkUpload(kPort, o.big, agent)));
      rawFloor.push(await timed(() => sinkUpload(kPort, o.big, agent, '/bench/md5')));
      bare.floorPut.push(await timed(bigPut(bare, o.big, 'md5')));
      for (const p of order) p.bigGet.push(await timed(bigGet(p, o.big)));
    }
    agent.destroy();
    for (const p of [d, s, bare]) p.s3.destroy();
    report(o, d, s, bare, median(raw), median(rawFloor));
  } finally {
    await stopServer(drydock);
    s3rver.kill();
    sink.kill();
  }
}

function report(o: Options, d: Peer, s: Peer, bare: { bigPut: number[]; bigGet: number[]; floorPut: number[] }, rawMs: number, rawFloorMs: number): void {
  const rps = (m: Measure) => m.requests / m.seconds;
  const cell = (m: Measure) => `${fmt(rps(m), 0)} (${fmt(median(m.p99s))})`;
  const small = (label: string, dm: Measure, sm: Measure) => [label, cell(dm), cell(sm), `${fmt(rps(dm) / rps(sm), 2)}×`, ''];
  const us = (cpu: number, m: Measure) => fmt((1e6 * cpu) / m.requests, 0);
  const cpu = (label: string, dm: Measure, sm: Measure) => [label, us(dm.serverCpu, dm), us(sm.serverCpu, sm), us(dm.clientCpu, dm), us(sm.clientCpu, sm)];
  console.log(`S3, ${o.concurrency} concurrent clients, ${o.seconds} s per small-object measure in ${o.rounds} turns per peer`);
  console.log(table([
    ['1 KB objects, requests/s (p99 ms, median of turns)', 'drydock', 's3rver', 'ratio', ''],
    small('PUT, SDK v3 client in the bench process', d.put, s.put),
    small('GET, SDK v3 client in the bench process', d.get, s.get),
    small('PUT, raw pre-signed client (bench/loadgen.ts)', d.rawPut, s.rawPut),
    small('GET, raw pre-signed client (bench/loadgen.ts)', d.rawGet, s.rawGet),
  ]));
  console.log(`\nCPU per request, user+sys µs (server from /proc/<pid>/stat; client: the bench process or the load generator)`);
  console.log(table([
    ['measure', 'drydock server', 's3rver server', 'client → drydock', 'client → s3rver'],
    cpu('PUT, SDK client', d.put, s.put), cpu('GET, SDK client', d.get, s.get),
    cpu('PUT, raw client', d.rawPut, s.rawPut), cpu('GET, raw client', d.rawGet, s.rawGet),
  ]));
  if (!o.runs) return;
  const mb = o.big.length / 1024 / 1024;
  const [dBigPut, sBigPut, kBigPut, fBigPut] = [median(d.bigPut), median(s.bigPut), median(bare.bigPut), median(bare.floorPut)];
  const [dBigGet, sBigGet, kBigGet] = [median(d.bigGet), median(s.bigGet), median(bare.bigGet)];
  const mbps = (ms: number) => fmt(mb / (ms / 1000));
  console.log(`\n${mb} MB objects, one SDK v3 client, median of ${o.runs}`);
  console.log(table([
    ['measure', 'drydock', 's3rver', 'ratio', 'bare node:http'],
    [`${mb} MB PUT MB/s`, mbps(dBigPut), mbps(sBigPut), `${fmt(sBigPut / dBigPut, 2)}×`, `${mbps(rawMs)} (drydock at ${fmt((rawMs / dBigPut) * 100, 0)}%)`],
    [`${mb} MB PUT MB/s, SDK client`, '', '', '', `${mbps(kBigPut)} (drydock at ${fmt((kBigPut / dBigPut) * 100, 0)}%)`],
    [`floor: ${mb} MB PUT, MD5 as it arrives, raw client`, '', '', '', `${mbps(rawFloorMs)} (${fmt((rawMs / rawFloorMs) * 100, 0)}% of bare)`],
    [`floor: ${mb} MB PUT, MD5 as it arrives, SDK client`, '', '', '',
      `${mbps(fBigPut)} (${fmt((kBigPut / fBigPut) * 100, 0)}% of bare; drydock at ${fmt((fBigPut / dBigPut) * 100, 0)}% of it)`],
    [`${mb} MB GET MB/s, SDK client`, mbps(dBigGet), mbps(sBigGet), `${fmt(sBigGet / dBigGet, 2)}×`, `${mbps(kBigGet)} (drydock at ${fmt((kBigGet / dBigGet) * 100, 0)}%)`],
  ]));
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
