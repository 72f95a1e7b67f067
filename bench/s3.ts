/**
 * S3 side by side: Drydock (the built CLI) and `s3rver` (npm), each in its own process, driven
 * by the same AWS SDK v3 client from this process: 1 KB PUT and GET at a fixed concurrency (credentials test/test and s3rver's S3RVER), then
 * 100 MB PUT and GET, with a bare `node:http` server as the large-object baseline: it reads and
 * discards an upload and answers a download from memory. It is driven twice for PUT: by a plain
 * `node:http` request, and by the same SDK call as the S3 peers (which also hashes the body
 * client-side, as it does for them); GET is the SDK's GetObject. Checksums are WHEN_REQUIRED
 * for every peer, because s3rver cannot decode aws-chunked bodies. Needs `npm run build` first.
 *
 *   node --import tsx bench/s3.ts [--seconds 4] [--concurrency 10] [--large-mb 100] [--large-runs 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
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

/** Runs `op` from `concurrency` loops for `seconds`; ops/s and p99 latency in ms. */
async function closedLoop(seconds: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<Rate> {
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
  lat.sort((a, b) => a - b);
  return { ops: lat.length, rps: lat.length / seconds, p99: percentile(lat, 0.99) };
}

async function timedLarge(runs: number, op: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await op();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

type Options = { seconds: number; concurrency: number; big: Buffer; runs: number };

async function measureLarge(s3: S3Client, Bucket: string, o: Options) {
  const bigPut = await timedLarge(o.runs, () => s3.send(new PutObjectCommand({ Bucket, Key: 'big', Body: o.big })));
  const bigGet = await timedLarge(o.runs, async () => {
    const r = await s3.send(new GetObjectCommand({ Bucket, Key: 'big' }));
    const bytes = await r.Body!.transformToByteArray();
    if (bytes.length !== o.big.length) throw new Error(`GET returned ${bytes.length} bytes`);
  });
  return { bigPut, bigGet };
}

async function measure(port: number, key: string, o: Options) {
  const s3 = client(port, o.concurrency, key);
  const Bucket = 'bench';
  await s3.send(new CreateBucketCommand({ Bucket }));
  const small = Buffer.alloc(1024, 'x');
  // Every key the GET loop reads exists, however few PUTs a slow run manages.
  await Promise.all(Array.from({ length: 100 }, (_, i) => s3.send(new PutObjectCommand({ Bucket, Key: `k${i}`, Body: small }))));
  await closedLoop(1, o.concurrency, (i) => s3.send(new PutObjectCommand({ Bucket, Key: `k${i % 100}`, Body: small })));
  const put = await closedLoop(o.seconds, o.concurrency, (i) => s3.send(new PutObjectCommand({ Bucket, Key: `k${i % 100}`, Body: small })));
  const get = await closedLoop(o.seconds, o.concurrency, async (i) => {
    const r = await s3.send(new GetObjectCommand({ Bucket, Key: `k${i % 100}` }));
    await r.Body!.transformToByteArray();
  });
  const large = await measureLarge(s3, Bucket, o);
  s3.destroy();
  return { put, get, ...large };
}

async function sinkUpload(port: number, big: Buffer, runs: number): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  const { request } = await import('node:http');
  const once = () => new Promise<void>((resolve, reject) => {
    const req = request({ host: HOST, port, method: 'PUT', path: '/bench/big', agent, headers: { 'content-length': big.length } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(big);
  });
  const t = await timedLarge(runs, once);
  agent.destroy();
  return t;
}

async function main(): Promise<void> {
  checkBuild();
  const o = {
    seconds: Number(flag('seconds') ?? 4), concurrency: Number(flag('concurrency') ?? 10),
    big: Buffer.alloc(Number(flag('large-mb') ?? 100) * 1024 * 1024, 'b'), runs: Number(flag('large-runs') ?? 3),
  };
  const [dPort, sPort, kPort] = [await freePort(), await freePort(), await freePort()];
  const drydock = spawnServer('drydock', dPort);
  await pollUntil(drydock, '/_drydock/health');
  const d = await measure(dPort, 'test', o);
  await stopServer(drydock);
  const s3rver = spawnScript(S3RVER_SRC, sPort);
  await readyLine(s3rver);
  const s = await measure(sPort, 'S3RVER', o);
  s3rver.kill();
  const sink = spawnScript(SINK_SRC, kPort, String(o.big.length));
  await readyLine(sink);
  const sinkMs = await sinkUpload(kPort, o.big, o.runs);
  const bare = client(kPort, 1, 'test');
  const sdkSink = await measureLarge(bare, 'bench', o);
  bare.destroy();
  sink.kill();
  const mb = o.big.length / 1024 / 1024;
  console.log(`S3, ${o.concurrency} concurrent SDK v3 clients, ${o.seconds} s per small-object run; ${mb} MB objects, median of ${o.runs}`);
  console.log(table([
    ['measure', 'drydock', 's3rver', 'ratio', 'bare node:http'],
    ['1 KB PUT /s (p99 ms)', `${fmt(d.put.rps, 0)} (${fmt(d.put.p99)})`, `${fmt(s.put.rps, 0)} (${fmt(s.put.p99)})`, `${fmt(d.put.rps / s.put.rps, 2)}×`, ''],
    ['1 KB GET /s (p99 ms)', `${fmt(d.get.rps, 0)} (${fmt(d.get.p99)})`, `${fmt(s.get.rps, 0)} (${fmt(s.get.p99)})`, `${fmt(d.get.rps / s.get.rps, 2)}×`, ''],
    [`${mb} MB PUT MB/s`, fmt(mb / (d.bigPut / 1000)), fmt(mb / (s.bigPut / 1000)), `${fmt(s.bigPut / d.bigPut, 2)}×`,
      `${fmt(mb / (sinkMs / 1000))} (drydock at ${fmt((sinkMs / d.bigPut) * 100, 0)}%)`],
    [`${mb} MB PUT MB/s, SDK client`, '', '', '',
      `${fmt(mb / (sdkSink.bigPut / 1000))} (drydock at ${fmt((sdkSink.bigPut / d.bigPut) * 100, 0)}%)`],
    [`${mb} MB GET MB/s, SDK client`, fmt(mb / (d.bigGet / 1000)), fmt(mb / (s.bigGet / 1000)), `${fmt(s.bigGet / d.bigGet, 2)}×`,
      `${fmt(mb / (sdkSink.bigGet / 1000))} (drydock at ${fmt((sdkSink.bigGet / d.bigGet) * 100, 0)}%)`],
  ]));
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
