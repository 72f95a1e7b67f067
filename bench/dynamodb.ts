/**
 * DynamoDB beside dynalite (the npm package, started in its own process with
 * `require('dynalite')({ createTableMs: 0 })`), both measured in the same run: PutItem,
 * GetItem and Query (100-item pages) throughput and latency under the same closed-loop load
 * (both servers up side by side, each operation measured on one right after the other, the
 * order flipped every round), then a bulk load with BatchWriteItem and the server memory it costs per million 200-byte
 * items. Drydock runs from source in its own process (`--import tsx`), so no build is needed.
 *
 *   node --import tsx bench/dynamodb.ts [--duration 5] [--warmup 1] [--connections 10] [--items 100000]
 *                                       [--rounds 1] [--ops GetItem,PutItem] [--profile [drydock|dynalite]]
 *
 * Beside them runs a ceiling: bare node:http answering each operation with a canned copy of
 * Drydock's answer; `bare / dynalite` is the most any server could reach on this machine.
 * The table also gives each server's CPU per answered request (user + system, from /proc), which
 * a busy machine moves less than requests/s. `--profile` measures one peer only, under
 * `node --cpu-prof`, and prints where its server spent its time.
 *
 * Requests are pre-signed (SigV4, as SDK v3 signs them) and sent by the raw keep-alive load
 * generator of bench/loadgen.ts, so client cost is the same for both servers. Exits 0 whether
 * or not a target is met; 1 only when the benchmark could not run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../test/support/node-sha256.js';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuTimes, flag, fmt, freePort, HOST, isMain, machineLoad, ROOT, rssMB, table, type SignedRequest } from './lib.js';
import { profileReport, summariseProfile } from './profile.js';
import { runLoad, type LoadResult } from './loadgen.js';

type Peer = 'dynalite' | 'drydock' | 'bare';

interface Server { peer: Peer; port: number; child: ChildProcess }

const TABLE = 'bench';
const PAD = 'x'.repeat(160);

/**
 * The ceiling: bare node:http answering each operation with a canned copy of Drydock's answer
 * (no parsing, no signature, no work), so `bare / dynalite` is the most any server could reach.
 */
const BARE_SRC = `
const http = require('node:http');
const canned = JSON.parse(process.env.DYNAMO_CANNED);
http.createServer({ keepAlive: true, keepAliveTimeout: 65000, requestTimeout: 0 }, (req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    const body = canned[req.headers['x-amz-target']] || '{}';
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': '7acb4e50-8cdf-48dd-be5b-3992786d2f41', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(Number(process.argv[1]), '${HOST}', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));`;

async function start(peer: Peer, nodeArgs: string[] = [], canned: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const args = peer === 'dynalite'
    ? [...nodeArgs, '-e', `require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }).listen(${port}, '${HOST}', () => console.log('ready'))`]
    : peer === 'bare' ? [...nodeArgs, '-e', BARE_SRC, String(port)]
      : [...nodeArgs, '--import', 'tsx', '--input-type=module', '-e',
        `const { startDrydock } = await import('./src/embedded/index.js'); await startDrydock({ port: ${port} }); process.on('SIGTERM', () => process.exit(0)); console.log('ready');`];
  const env = { ...process.env, NODE_NO_WARNINGS: '1', DYNAMO_CANNED: JSON.stringify(canned) };
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); if (out.includes('ready')) resolve(); });
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', (code) => reject(new Error(`${peer} exited (${code}) before it was ready:\n${out}`)));
  });
  return { peer, port, child };
}

function stop(s: Server): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

const signer = new SignatureV4({ service: 'dynamodb', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

async function signed(port: number, operation: string, input: unknown, n: number): Promise<SignedRequest> {
  const body = JSON.stringify(input);
  const headers: Record<string, string> = {
    host: `${HOST}:${port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}`,
    'content-length': String(Buffer.byteLength(body)), 'amz-sdk-invocation-id': `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
  };
  const s = await signer.sign({ method: 'POST', protocol: 'http:', hostname: HOST, port, path: '/', query: {}, headers, body });
  return { method: 'POST', path: '/', headers: s.headers as Record<string, string>, body };
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One signed call, answered as parsed JSON; throws on a non-200 answer. */
async function call(port: number, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const r = await signed(port, operation, input, 0);
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method: 'POST', path: '/', headers: r.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) reject(new Error(`${operation} answered ${res.statusCode}: ${text}`));
        else resolve(JSON.parse(text) as Record<string, unknown>);
      });
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Waits until the table is ACTIVE: dynalite answers CreateTable while CREATING (a 0 ms timer), and refuses writes until then. */
async function tableActive(port: number, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const d = await call(port, 'DescribeTable', { TableName: name });
    if ((d['Table'] as { TableStatus?: string } | undefined)?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`table ${name} never became ACTIVE on port ${port}`);
}

/** A 200-byte item (attribute names and values as DynamoDB counts them). */
function item(pk: string, sk: number): Record<string, unknown> {
  return { pk: { S: pk }, sk: { N: String(sk) }, pad: { S: PAD.slice(0, 200 - 2 - pk.length - 2 - 3 - 3) } };
}

async function setup(s: Server): Promise<void> {
  await call(s.port, 'CreateTable', {
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  });
  await tableActive(s.port, TABLE);
  // 1,000 items read by GetItem, and one partition of 500 for Query pages.
  const writes: Array<Promise<unknown>> = [];
  for (let i = 0; i < 1000; i += 25) {
    writes.push(call(s.port, 'BatchWriteItem', { RequestItems: { [TABLE]: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: item(`g${i + j}`, 0) } })) } }));
  }
  for (let i = 0; i < 500; i += 25) {
    writes.push(call(s.port, 'BatchWriteItem', { RequestItems: { [TABLE]: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: item('q', i + j) } })) } }));
  }
  await Promise.all(writes);
}

const OPERATIONS: Record<string, (n: number) => [string, unknown]> = {
  PutItem: (n) => ['PutItem', { TableName: TABLE, Item: item(`p${n}`, n) }],
  GetItem: (n) => ['GetItem', { TableName: TABLE, Key: { pk: { S: `g${n % 1000}` }, sk: { N: '0' } } }],
  'Query (100)': (n) => ['Query', { TableName: TABLE, KeyConditionExpression: 'pk = :p AND sk >= :s', Limit: 100,
    ExpressionAttributeValues: { ':p': { S: 'q' }, ':s': { N: String((n * 100) % 400) } } }],
};

/** A load result with the server's CPU per answered request in the measured window (µs, user + system). */
type Measured = LoadResult & { serverUs: number; serverSysUs: number };

async function measure(s: Server, op: string, o: { connections: number; warmupMs: number; durationMs: number }): Promise<Measured> {
  const requests = await Promise.all(Array.from({ length: 2000 }, (_, n) => { const [name, input] = OPERATIONS[op]!(n); return signed(s.port, name, input, n); }));
  const pid = s.child.pid!;
  let cpu0 = cpuTimes(pid);
  let cpu1 = cpu0;
  const r = await runLoad({ host: HOST, port: s.port, connections: o.connections, warmupMs: o.warmupMs, durationMs: o.durationMs, client: 'raw', requests },
    (m) => { if (m.type === 'measure-start') cpu0 = cpuTimes(pid); else if (m.type === 'measure-end') cpu1 = cpuTimes(pid); });
  const n = Math.max(1, r.requests);
  return { ...r, serverUs: (1e6 * (cpu1.user + cpu1.system - cpu0.user - cpu0.system)) / n, serverSysUs: (1e6 * (cpu1.system - cpu0.system)) / n };
}

/** Loads `count` items with BatchWriteItem (8 in flight); answers items/s and server MB per million items. */
async function bulkLoad(s: Server, count: number): Promise<{ itemsPerSec: number; mbPerMillion: number }> {
  await call(s.port, 'CreateTable', {
    TableName: 'load', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  });
  await tableActive(s.port, 'load');
  const rssBefore = rssMB(s.child.pid!);
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const base = next;
      next += 25;
      const batch = Array.from({ length: Math.min(25, count - base) }, (_, j) => ({ PutRequest: { Item: item(`l${(base + j) % 10_000}`, base + j) } }));
      await call(s.port, 'BatchWriteItem', { RequestItems: { load: batch } });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const seconds = (performance.now() - t0) / 1000;
  // RSS of the server, uncollected: heap slack weighs on small loads (a 50 k-item run moves by
  // hundreds of MB per million between runs); bench/dynamodb-memory.ts measures the heap itself.
  const rssAfter = rssMB(s.child.pid!);
  return { itemsPerSec: count / seconds, mbPerMillion: ((rssAfter - rssBefore) * 1e6) / count };
}

/** 8 clients × `n` conditional increments of one counter: the final value must be exactly 8n. */
async function increments(s: Server, n: number): Promise<{ seconds: number; value: string }> {
  await call(s.port, 'PutItem', { TableName: TABLE, Item: { pk: { S: 'counter' }, sk: { N: '0' }, n: { N: '0' } } });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let i = 0; i < n; i++) {
      await call(s.port, 'UpdateItem', { TableName: TABLE, Key: { pk: { S: 'counter' }, sk: { N: '0' } }, UpdateExpression: 'SET n = n + :one',
        ConditionExpression: 'attribute_exists(n)', ExpressionAttributeValues: { ':one': { N: '1' } } });
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const got = await call(s.port, 'GetItem', { TableName: TABLE, Key: { pk: { S: 'counter' }, sk: { N: '0' } }, ConsistentRead: true });
  return { seconds, value: ((got['Item'] as Record<string, { N: string }>)['n'])!.N };
}

export interface DynamoBenchOptions {
  connections: number; warmupMs: number; durationMs: number; items: number;
  /** Record a CPU profile of this peer's server while it serves `ops` (only that peer is measured). */
  profile?: Peer;
  /** Operations to measure (all by default); naming some also skips the increments and the bulk load. */
  ops?: string[];
  /** Rounds of the operation measurements (order of the peers flipped each round); medians are reported. */
  rounds?: number;
}

/** Profiles one peer's server under the load of `ops` and answers the profile's summary. */
async function profileDynamo(o: DynamoBenchOptions, peer: Peer, log: (l: string) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'dynamodb-prof-'));
  const s = await start(peer, ['--cpu-prof', '--cpu-prof-dir', dir]);
  try {
    await setup(s);
    for (const op of o.ops ?? Object.keys(OPERATIONS)) {
      const r = await measure(s, op, o);
      log(`${peer} ${op}: ${fmt(r.rps, 0)} req/s, p99 ${fmt(r.p99, 2)} ms, server ${fmt(r.serverUs, 0)} µs CPU/request (${fmt(r.serverSysUs, 0)} system)${r.errors ? `, ${r.errors} errors (${r.firstError ?? ''})` : ''}`);
    }
  } finally {
    await stop(s);
  }
  // The main thread's profile (tsx's module loader thread writes one too).
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  const file = files.find((f) => /\.0\.\d+\.cpuprofile$/.test(f)) ?? files[0];
  if (!file) throw new Error(`no profile written in ${dir}`);
  return `${join(dir, file)}\n${profileReport(summariseProfile(join(dir, file), 40))}`;
}

/** The run whose requests/s is the median of `runs` (its p99 and CPU travel with it). */
function medianRun(runs: Measured[]): Measured {
  return [...runs].sort((x, y) => x.rps - y.rps)[(runs.length - 1) >> 1]!;
}

export async function benchDynamo(o: DynamoBenchOptions, log: (l: string) => void): Promise<string> {
  if (o.profile) return profileDynamo(o, o.profile, log);
  const runs: Record<string, Record<Peer, Measured[]>> = {};
  const loads: Partial<Record<Peer, { itemsPerSec: number; mbPerMillion: number }>> = {};
  const counters: Partial<Record<Peer, { seconds: number; value: string }>> = {};
  const load0 = machineLoad();
  const ops = o.ops ?? Object.keys(OPERATIONS);
  // The servers run side by side; each operation is measured on one right after the other,
  // the order flipped every round, so a change in the machine's load hits them alike.
  const servers = { dynalite: await start('dynalite'), drydock: await start('drydock') } as Record<Peer, Server>;
  try {
    await Promise.all([servers.dynalite, servers.drydock].map(setup));
    const canned: Record<string, string> = {};
    for (const op of ops) {
      const [name, input] = OPERATIONS[op]!(0);
      canned[`DynamoDB_20120810.${name}`] = JSON.stringify(await call(servers.drydock.port, name, input));
    }
    servers.bare = await start('bare', [], canned);
    for (let round = 0; round < (o.rounds ?? 1); round++) {
      for (const op of ops) {
        const order: Peer[] = round % 2 === 0 ? ['dynalite', 'drydock', 'bare'] : ['bare', 'drydock', 'dynalite'];
        for (const peer of order) {
          const r = await measure(servers[peer], op, o);
          if (r.errors) log(`${peer} ${op}: ${r.errors} errors (${r.firstError ?? ''})`);
          ((runs[op] ??= { dynalite: [], drydock: [], bare: [] })[peer]).push(r);
          log(`${peer} ${op}: ${fmt(r.rps, 0)} req/s, p99 ${fmt(r.p99, 2)} ms, server ${fmt(r.serverUs, 0)} µs CPU/request (${fmt(r.serverSysUs, 0)} system)`);
        }
      }
    }
    await stop(servers.bare);
    if (!o.ops) {
      for (const peer of ['dynalite', 'drydock'] as Peer[]) {
        counters[peer] = await increments(servers[peer], 1000);
        log(`${peer} 8 × 1000 conditional increments: ${counters[peer]!.value} in ${fmt(counters[peer]!.seconds, 1)} s`);
        loads[peer] = await bulkLoad(servers[peer], o.items);
        log(`${peer} load: ${fmt(loads[peer]!.itemsPerSec, 0)} items/s`);
        await stop(servers[peer]); // its memory is measured: give it back before the next load
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map(stop));
  }
  const load1 = machineLoad();
  const rows = [['operation', 'drydock req/s', 'dynalite req/s', 'ratio', 'drydock p99 ms', 'dynalite p99 ms', 'drydock CPU µs/req', 'dynalite CPU µs/req',
    'bare req/s (ceiling)', 'bare / dynalite']];
  for (const [op, r] of Object.entries(runs)) {
    const d = medianRun(r.drydock);
    const p = medianRun(r.dynalite);
    const b = medianRun(r.bare);
    rows.push([op, fmt(d.rps, 0), fmt(p.rps, 0), `${fmt(d.rps / p.rps, 2)}×`, fmt(d.p99, 2), fmt(p.p99, 2), fmt(d.serverUs, 0), fmt(p.serverUs, 0),
      fmt(b.rps, 0), `${fmt(b.rps / p.rps, 2)}×`]);
  }
  const end = `${o.rounds ?? 1} round(s), medians; machine load (1 min) ${fmt(load0.load1, 2)} → ${fmt(load1.load1, 2)}, CPU pressure ${fmt(load0.cpuPressure10s, 0)}% → ${fmt(load1.cpuPressure10s, 0)}%`;
  if (o.ops) return `${table(rows)}\n${end}`;
  const l = { d: loads.drydock!, p: loads.dynalite! };
  const k = { d: counters.drydock!, p: counters.dynalite! };
  rows.push(['8 × 1000 conditional increments (counter = 8000?)', `${k.d.value} in ${fmt(k.d.seconds, 1)} s`, `${k.p.value} in ${fmt(k.p.seconds, 1)} s`,
    `${fmt(k.p.seconds / k.d.seconds, 2)}×`, '', '', '', '', '', '']);
  rows.push([`BatchWrite load (${o.items} items)`, `${fmt(l.d.itemsPerSec, 0)} items/s`, `${fmt(l.p.itemsPerSec, 0)} items/s`, `${fmt(l.d.itemsPerSec / l.p.itemsPerSec, 2)}×`, '', '', '', '', '', '']);
  rows.push(['server MB per 1 M 200-byte items (raw: 200 MB)', fmt(l.d.mbPerMillion, 0), fmt(l.p.mbPerMillion, 0), `${fmt(l.d.mbPerMillion / 200, 2)}× raw`, '', '', '', '', '', '']);
  return `${table(rows)}\n${end}`;
}

if (isMain(import.meta.url)) {
  const named = flag('profile');
  const peer: Peer | undefined = flag('profile', true) ? (named === 'dynalite' ? 'dynalite' : 'drydock') : undefined;
  const o: DynamoBenchOptions = {
    durationMs: 1000 * Number(flag('duration') ?? 5), warmupMs: 1000 * Number(flag('warmup') ?? 1),
    connections: Number(flag('connections') ?? 10), items: Number(flag('items') ?? 100_000),
    profile: peer, ops: flag('ops')?.split(','), rounds: Number(flag('rounds') ?? 1),
  };
  benchDynamo(o, (l) => console.log(l)).then((t) => { console.log(`\n${t}`); process.exit(0); }, (e: unknown) => {
    console.error(`bench failed: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  });
}
