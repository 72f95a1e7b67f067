/**
 * S3 side by side: Drydock (the built CLI) and `s3rver` (npm), each in its own process and all
 * started at once, driven in turns by the same AWS SDK v3 client from this process: 1 KB PUT
 * and GET at a fixed concurrency (credentials test/test and s3rver's S3RVER), then
 * 100 MB PUT and GET, with a bare `node:http` server as the large-object baseline: it reads and
 * discards an upload and answers a download from memory. It is driven twice for PUT: by a plain
 * `node:http` request, and by the same SDK call as the S3 peers (which also hashes the body
 * client-side, as it does for them); GET is the SDK's GetObject. Checksums are WHEN_REQUIRED
 * for every peer, because s3rver cannot decode aws-chunked bodies. Needs `npm run build` first.
 *
 *   node --import tsx bench/s3.ts [--seconds 4] [--rounds 4] [--concurrency 10] [--large-mb 100] [--large-runs 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HOST, ROOT, checkBuild, flag, fmt, freePort, percentile, pollUntil, spawnServer, stopServer, table } from './lib.js';

const S3RVER_SRC = `
const S3rver = require('s3rver');
const fs = require('node:fs'); const os = require('node:os'); const path = require('node:path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
new S3rver({ port: Number(process.argv[1]), address: '127.0.0.1', silent: true, directory: dir }).run().then(() => console.log('ready'));
`;

const SINK_SRC = `
const big = Buffer.alloc(Number(process.argv[2]), 'b');
require('node:http').createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
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

interface Rate { ops: number; rps: number; p99: number }

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

function rate(lat: number[], seconds: number): Rate {
  lat.sort((a, b) => a - b);
  return { ops: lat.length, rps: lat.length / seconds, p99: percentile(lat, 0.99) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

type Options = { seconds: number; rounds: number; concurrency: number; big: Buffer; runs: number };

/** One S3 peer under test: its client and what it has measured so far. */
interface Peer { s3: S3Client; put: number[]; get: number[]; bigPut: number[]; bigGet: number[] }

const Bucket = 'bench';
const SMALL = Buffer.alloc(1024, 'x');

async function prepare(port: number, key: string, o: Options): Promise<Peer> {
  const s3 = client(port, o.concurrency, key);
  await s3.send(new CreateBucketCommand({ Bucket }));
  // Every key the GET loop reads exists, however few PUTs a slow run manages.
  await Promise.all(Array.from({ length: 100 }, (_, i) => s3.send(new PutObjectCommand({ Bucket, Key: `k${i}`, Body: SMALL }))));
  await closedLoop(1, o.concurrency, (i) => s3.send(new PutObjectCommand({ Bucket, Key: `k${i % 100}`, Body: SMALL })));
  return { s3, put: [], get: [], bigPut: [], bigGet: [] };
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

const bigPut = (p: Peer, big: Buffer) => () => p.s3.send(new PutObjectCommand({ Bucket, Key: 'big', Body: big }));
const bigGet = (p: Peer, big: Buffer) => async () => {
  const r = await p.s3.send(new GetObjectCommand({ Bucket, Key: 'big' }));
  const bytes = await r.Body!.transformToByteArray();
  if (bytes.length !== big.length) throw new Error(`GET returned ${bytes.length} bytes`);
};

function sinkUpload(port: number, big: Buffer, agent: Agent): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = request({ host: HOST, port, method: 'PUT', path: '/bench/big', agent, headers: { 'content-length': big.length } }, (res) => {
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
    const d = await prepare(dPort, 'test', o);
    const s = await prepare(sPort, 'S3RVER', o);
    const bare: Peer = { s3: client(kPort, 1, 'test'), put: [], get: [], bigPut: [], bigGet: [] };
    const slice = o.seconds / o.rounds;
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 ? [s, d] : [d, s];
      for (const p of order) p.put.push(...await closedLoop(slice, o.concurrency, smallPut(p)));
      for (const p of order) p.get.push(...await closedLoop(slice, o.concurrency, smallGet(p)));
    }
    const agent = new Agent({ keepAlive: true });
    const raw: number[] = [];
    for (const p of [d, s, bare]) await bigPut(p, o.big)();
    for (let r = 0; r < o.runs; r++) {
      for (const p of [d, s, bare]) p.bigPut.push(await timed(bigPut(p, o.big)));
      raw.push(await timed(() => sinkUpload(kPort, o.big, agent)));
      for (const p of [d, s, bare]) p.bigGet.push(await timed(bigGet(p, o.big)));
    }
    agent.destroy();
    for (const p of [d, s, bare]) p.s3.destroy();
    report(o, d, s, bare, median(raw));
  } finally {
    await stopServer(drydock);
    s3rver.kill();
    sink.kill();
  }
}

function report(o: Options, d: Peer, s: Peer, bare: Peer, rawMs: number): void {
  const mb = o.big.length / 1024 / 1024;
  const [dPut, sPut, dGet, sGet] = [rate(d.put, o.seconds), rate(s.put, o.seconds), rate(d.get, o.seconds), rate(s.get, o.seconds)];
  const [dBigPut, sBigPut, kBigPut] = [median(d.bigPut), median(s.bigPut), median(bare.bigPut)];
  const [dBigGet, sBigGet, kBigGet] = [median(d.bigGet), median(s.bigGet), median(bare.bigGet)];
  const mbps = (ms: number) => fmt(mb / (ms / 1000));
  console.log(`S3, ${o.concurrency} concurrent SDK v3 clients, ${o.seconds} s per small-object measure in ${o.rounds} turns per peer; ${mb} MB objects, median of ${o.runs}`);
  console.log(table([
    ['measure', 'drydock', 's3rver', 'ratio', 'bare node:http'],
    ['1 KB PUT /s (p99 ms)', `${fmt(dPut.rps, 0)} (${fmt(dPut.p99)})`, `${fmt(sPut.rps, 0)} (${fmt(sPut.p99)})`, `${fmt(dPut.rps / sPut.rps, 2)}×`, ''],
    ['1 KB GET /s (p99 ms)', `${fmt(dGet.rps, 0)} (${fmt(dGet.p99)})`, `${fmt(sGet.rps, 0)} (${fmt(sGet.p99)})`, `${fmt(dGet.rps / sGet.rps, 2)}×`, ''],
    [`${mb} MB PUT MB/s`, mbps(dBigPut), mbps(sBigPut), `${fmt(sBigPut / dBigPut, 2)}×`, `${mbps(rawMs)} (drydock at ${fmt((rawMs / dBigPut) * 100, 0)}%)`],
    [`${mb} MB PUT MB/s, SDK client`, '', '', '', `${mbps(kBigPut)} (drydock at ${fmt((kBigPut / dBigPut) * 100, 0)}%)`],
    [`${mb} MB GET MB/s, SDK client`, mbps(dBigGet), mbps(sBigGet), `${fmt(sBigGet / dBigGet, 2)}×`, `${mbps(kBigGet)} (drydock at ${fmt((kBigGet / dBigGet) * 100, 0)}%)`],
  ]));
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
