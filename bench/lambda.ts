/**
 * Lambda beside serverless-offline (serverless@3): time to a function's first answer (cold
 * start, with a bare `node -e` process start measured in the same run), warm latency p50/p99
 * and throughput through the Invoke API (AWS SDK v3 LambdaClient) and through an HTTP API
 * route, and Drydock's overhead on a warm Invoke (latency minus the function's own Duration).
 *
 *   node --import tsx bench/lambda.ts [--cold 7] [--warm 1000] [--duration 5] [--connections 10]
 *                                     [--rounds 2] [--peer worker-threads|in-process|none]
 *
 * Each server runs in a process of its own (Drydock from src/ through tsx) and the callers
 * share this one: the same AWS SDK v3 client, keep-alive agent and number of callers for both.
 * serverless-offline is installed on first run (bench/peers/serverless, a pinned lock file) and
 * runs the same handler code behind `GET /echo`, in its default mode (a worker thread per
 * function instance) unless `--peer in-process` asks for `--useInProcess` (the handler is a
 * function call in the server's own thread: its best warm numbers, no isolation at all).
 * Drydock runs every function in a process of its own speaking the Lambda Runtime API, as
 * Lambda does.
 *
 * Both servers stay up while throughput is measured, in rounds that alternate which one goes
 * first (the best round of each counts): whichever side ran first used to pay for the callers'
 * warm-up (measured: up to 1.5× the SDK's CPU per call, and that much less throughput).
 * Throughput rows also give the CPU each call cost the callers (this process) and the server
 * (with its function processes), since on a small machine both share the cores, and a third
 * Invoke row drives the same signed request through plain node:http, so what the SDK client
 * costs is not what limits the servers.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { zipSync, strToU8 } from 'fflate';
import { ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../test/support/node-sha256.js';
import { cpuTimes, flag, fmt, freePort, machineLoad, median, percentile, ROOT } from './lib.js';
import { startOffline, type OfflineMode } from './peers/serverless/offline.js';

/** The function both sides run: answers an Invoke with a proxy response, and the route with its body. */
const HANDLER_JS = "exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{\"ok\":true}' });\n";
const PAYLOAD = strToU8('{"ping":1}');

interface Side {
  /** The server's process (its function processes are its children). */
  pid: number;
  invoke(): Promise<unknown>;
  http(): Promise<unknown>;
  /** Invoke with a request signed once, through node:http (no SDK in the loop). */
  invokeRaw(): Promise<unknown>;
}

/** Calls per second with `connections` callers, and CPU µs per call of the callers and of the server. */
interface Tput { rps: number; clientUs: number; serverUs: number }

interface Latencies {
  first: number;
  invoke: number[];
  http: number[];
}

/** A started server, measured sequentially, kept up for the throughput rounds. */
interface Prepared { side: Side; lat: Latencies; stop(): Promise<void> }

type Kind = 'invoke' | 'http' | 'invokeRaw';
const KINDS: readonly Kind[] = ['invoke', 'http', 'invokeRaw'];

const opts = {
  cold: Number(flag('cold') ?? 7),
  warm: Number(flag('warm') ?? 1000),
  durationMs: 1000 * Number(flag('duration') ?? 5),
  connections: Number(flag('connections') ?? 10),
  rounds: Math.max(1, Number(flag('rounds') ?? 2)),
  peer: (flag('peer') ?? 'worker-threads') as OfflineMode | 'none',
};

async function sequential(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    lat.push(performance.now() - t);
  }
  return lat.sort((a, b) => a - b);
}

/** CPU seconds used so far by a process and its children (Drydock's function processes). */
function treeCpu(pid: number): number {
  let kids: number[] = [];
  try { kids = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').map(Number); } catch { /* none */ }
  return [pid, ...kids].reduce((sum, p) => { const t = cpuTimes(p); return Number.isNaN(t.user) ? sum : sum + t.user + t.system; }, 0);
}

/** `connections` callers in a loop: calls per second, after a warm-up round as long as a third of it. */
async function throughput(pid: number, call: () => Promise<unknown>): Promise<Tput> {
  const run = async (ms: number): Promise<number> => {
    let n = 0;
    const end = performance.now() + ms;
    await Promise.all(Array.from({ length: opts.connections }, async () => {
      while (performance.now() < end) { await call(); n++; }
    }));
    return n;
  };
  // Every caller at once, a few times: both servers start the function instances this
  // concurrency needs (Drydock: processes, serverless-offline: worker threads) before the clock
  // runs, so no cold start lands in the measured window on a slow machine.
  for (let i = 0; i < 3; i++) await Promise.all(Array.from({ length: opts.connections }, call));
  await run(opts.durationMs / 3);
  const server0 = treeCpu(pid);
  const client0 = process.cpuUsage();
  const n = await run(opts.durationMs);
  const client = process.cpuUsage(client0);
  const serverUs = ((treeCpu(pid) - server0) * 1e6) / n;
  return { rps: n / (opts.durationMs / 1000), clientUs: (client.user + client.system) / n, serverUs };
}

async function latencies(side: Side, first: number): Promise<Latencies> {
  for (let i = 0; i < 50; i++) { await side.invoke(); await side.http(); await side.invokeRaw(); }
  return { first, invoke: await sequential(opts.warm, side.invoke), http: await sequential(opts.warm, side.http) };
}

/** Each kind of call, `rounds` times for every side, the first side alternating; the best round of each side. */
async function throughputs(sides: Side[]): Promise<Record<Kind, Tput>[]> {
  const best = sides.map(() => ({}) as Record<Kind, Tput>);
  for (const kind of KINDS) {
    for (let r = 0; r < opts.rounds; r++) {
      const order = sides.map((_, i) => i);
      if (r % 2 === 1) order.reverse();
      for (const i of order) {
        const t = await throughput(sides[i]!.pid, sides[i]![kind]);
        if (!best[i]![kind] || t.rps > best[i]![kind].rps) best[i]![kind] = t;
      }
    }
  }
  return best;
}

/** An Invoke request signed once (valid for SigV4's 15 minutes) as SDK v3 signs it, and a caller sending it through `agent`. */
async function rawInvoker(agent: Agent, endpoint: string, fnName: string): Promise<() => Promise<void>> {
  const url = new URL(endpoint);
  const path = `/2015-03-31/functions/${fnName}/invocations`;
  const body = Buffer.from(PAYLOAD);
  const signer = new SignatureV4({ service: 'lambda', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query: {}, body,
    headers: { host: url.host, 'content-type': 'application/octet-stream', 'content-length': String(body.length), 'x-amz-invocation-type': 'RequestResponse' },
  });
  const headers = signed.headers as Record<string, string>;
  return () => new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path, agent, headers }, (r) => {
      r.resume();
      r.on('end', () => (r.statusCode === 200 ? resolve() : reject(new Error(`Invoke answered HTTP ${r.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET through a keep-alive agent; fails on anything but 200. */
function get(agent: Agent, port: number, path: string, hostHeader: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { host: hostHeader } }, (r) => {
      r.resume();
      r.on('end', () => (r.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${r.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function clientConfig(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }, agent: Agent) {
  return { endpoint, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: { httpAgent: agent } };
}

/** Drydock in a process of its own, as serverless-offline runs, so callers and server do not share a thread. */
async function spawnDrydock(): Promise<{ endpoint: string; pid: number; stop: () => Promise<void> }> {
  const src = `const { startDrydock } = await import(${JSON.stringify(join(ROOT, 'src', 'embedded', 'index.ts'))});
const dd = await startDrydock(); console.log('READY ' + dd.endpoint); process.stdin.on('end', () => dd.stop().then(() => process.exit(0))); process.stdin.resume();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', src], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); const m = /READY (\S+)/.exec(out); if (m) resolve(m[1]!); });
    child.once('exit', (code) => reject(new Error(`drydock exited (${code})`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  return { endpoint, pid: child.pid!, stop: async () => { child.stdin!.end(); await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]); child.kill('SIGKILL'); } };
}

/** `Duration` and `Init Duration` of the REPORT line in a Tail log. */
function report(logResult: string | undefined): { duration: number; init: number } {
  const text = Buffer.from(logResult ?? '', 'base64').toString('utf8');
  return { duration: Number(/\tDuration: ([\d.]+) ms/.exec(text)?.[1]), init: Number(/Init Duration: ([\d.]+) ms/.exec(text)?.[1]) };
}

async function drydock(agent: Agent): Promise<Prepared & { cold: number[]; init: number[]; overhead: number[]; durations: number[]; base: number[] }> {
  const dd = await spawnDrydock();
  try {
    const cfg = clientConfig(dd.endpoint, { accessKeyId: 'test', secretAccessKey: 'test' }, agent);
    const lambda = new LambdaClient(cfg);
    const { Role } = await new IAMClient(cfg).send(new CreateRoleCommand({
      RoleName: 'bench', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }));
    const code = zipSync({ 'index.js': strToU8(HANDLER_JS) });
    const create = (name: string) => lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: Role!.Arn!, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: code } }));
    const invokeOf = (name: string, tail = false) => () => lambda.send(new InvokeCommand({ FunctionName: name, Payload: PAYLOAD, ...(tail ? { LogType: 'Tail' } : {}) }));

    // Cold: a new function each time, so each first Invoke starts a process.
    const cold: number[] = [];
    const init: number[] = [];
    for (let i = 0; i < opts.cold; i++) {
      await create(`cold-${i}`);
      const t = performance.now();
      const out = await invokeOf(`cold-${i}`, true)();
      cold.push(performance.now() - t);
      init.push(report(out.LogResult).init);
    }

    const fnArn = (await create('warm')).FunctionArn!;
    await lambda.send(new AddPermissionCommand({ FunctionName: 'warm', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
    const v2 = new ApiGatewayV2Client(cfg);
    const api = await v2.send(new CreateApiCommand({ Name: 'bench', ProtocolType: 'HTTP' }));
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: '2.0' }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /echo', Target: `integrations/${integ.IntegrationId}` }));
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const port = Number(new URL(dd.endpoint).port);
    const hostHeader = `${api.ApiId}.execute-api.localhost.localstack.cloud:${port}`;

    const side: Side = { pid: dd.pid, invoke: invokeOf('warm'), http: () => get(agent, port, '/echo', hostHeader), invokeRaw: await rawInvoker(agent, dd.endpoint, 'warm') };
    const lat = await latencies(side, median(cold));
    // Overhead: each call of a pass with LogType Tail minus the Duration its REPORT line gives.
    const durations: number[] = [];
    const overhead: number[] = [];
    const tailed = invokeOf('warm', true);
    for (let i = 0; i < Math.min(opts.warm, 500); i++) {
      const t = performance.now();
      const d = report((await tailed()).LogResult).duration;
      overhead.push(performance.now() - t - d);
      durations.push(d);
    }
    durations.sort((a, b) => a - b);
    overhead.sort((a, b) => a - b);
    // The same SDK and server answering a call that runs nothing: what any request costs here.
    const base = await sequential(Math.min(opts.warm, 500), () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'warm' })));
    return { side, lat, cold, init, overhead, durations, base, stop: dd.stop };
  } catch (e) {
    await dd.stop();
    throw e;
  }
}

async function offline(agent: Agent, mode: OfflineMode): Promise<Prepared & { startMs: number }> {
  const o = await startOffline(HANDLER_JS.replace('exports.handler', 'exports.echo'), mode, { http: await freePort(), lambda: await freePort() });
  try {
    const lambda = new LambdaClient(clientConfig(o.lambdaEndpoint, { accessKeyId: 'test', secretAccessKey: 'test' }, agent));
    const invoke = () => lambda.send(new InvokeCommand({ FunctionName: o.functionName, Payload: PAYLOAD }));
    const t = performance.now();
    await invoke();
    const first = performance.now() - t;
    const side: Side = { pid: o.pid, invoke, http: () => get(agent, o.httpPort, '/echo', `127.0.0.1:${o.httpPort}`), invokeRaw: await rawInvoker(agent, o.lambdaEndpoint, o.functionName) };
    return { side, lat: await latencies(side, first), startMs: o.startMs, stop: o.stop };
  } catch (e) {
    await o.stop();
    throw e;
  }
}

function pq(xs: number[]): string {
  return `${fmt(percentile(xs, 50), 2)} / ${fmt(percentile(xs, 99), 2)} ms`;
}

async function main(): Promise<void> {
  const load = machineLoad();
  console.log(`drydock lambda bench — node ${process.version}, ${cpus().length} CPUs, load ${fmt(load.load1, 2)}, peer: serverless-offline ${opts.peer}`);
  const bare: number[] = [];
  for (let i = 0; i < opts.cold; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections + 2 });
  const d = await drydock(agent);
  let peer: Awaited<ReturnType<typeof offline>> | undefined;
  let ours: Record<Kind, Tput>;
  let theirs: Record<Kind, Tput> | undefined;
  try {
    peer = opts.peer === 'none' ? undefined : await offline(agent, opts.peer);
    [ours, theirs] = await throughputs(peer ? [d.side, peer.side] : [d.side]) as [Record<Kind, Tput>, Record<Kind, Tput> | undefined];
  } finally {
    await Promise.all([d.stop(), peer?.stop()]);
    agent.destroy();
  }

  const row = (what: string, ours: string, theirs: string, ratio: string): void => console.log(`| ${what} | ${ours} | ${theirs} | ${ratio} |`);
  const x = (a: number, b: number): string => `${fmt(a / b, 1)}×`;
  const p = peer?.lat;
  console.log('');
  row('measure', 'Drydock', `serverless-offline (${opts.peer})`, 'Drydock vs peer (>1×: Drydock better)');
  console.log('|---|---|---|---|');
  row(`bare \`node -e 0\` start, median of ${opts.cold}`, `${fmt(median(bare))} ms`, '', '');
  row('first answer of a new function (Invoke)', `${fmt(d.lat.first)} ms (median of ${opts.cold}; ${x(d.lat.first, median(bare))} bare)`, p ? `${fmt(p.first)} ms (after ${fmt((peer?.startMs ?? NaN) / 1000, 1)} s to start \`serverless offline\`)` : '', p ? x(p.first, d.lat.first) : '');
  row('Init Duration reported, median', `${fmt(median(d.init))} ms`, '', '');
  row(`warm Invoke p50 / p99 (SDK, ${opts.warm} sequential)`, pq(d.lat.invoke), p ? pq(p.invoke) : '', p ? `${x(percentile(p.invoke, 50), percentile(d.lat.invoke, 50))} (p50)` : '');
  row(`warm HTTP API route p50 / p99 (${opts.warm} sequential)`, pq(d.lat.http), p ? pq(p.http) : '', p ? `${x(percentile(p.http, 50), percentile(d.lat.http, 50))} (p50)` : '');
  row('warm Invoke overhead (each call\'s latency − its own Duration, LogType Tail) p50 / p99', pq(d.overhead), '', '');
  row('function Duration p50 / p99 (REPORT line; includes the Runtime API round trip)', pq(d.durations), '', '');
  row('GetFunctionConfiguration p50 / p99 (same SDK and server, runs nothing)', pq(d.base), '', '');
  const tput = (what: string, ours: Tput, theirs: Tput | undefined): void => {
    const cpu = (t: Tput): string => `${fmt(t.rps)}/s (CPU per call: callers ${fmt(t.clientUs)} µs, server ${fmt(t.serverUs)} µs)`;
    row(`${what}, ${opts.connections} callers, ${opts.durationMs / 1000} s`, cpu(ours), theirs ? cpu(theirs) : '', theirs ? x(ours.rps, theirs.rps) : '');
  };
  const best = opts.rounds > 1 ? `, best of ${opts.rounds} alternating rounds` : '';
  tput(`Invoke throughput (SDK)${best}`, ours.invoke, theirs?.invoke);
  tput(`HTTP route throughput (node:http)${best}`, ours.http, theirs?.http);
  tput(`Invoke throughput (node:http, request signed once)${best}`, ours.invokeRaw, theirs?.invokeRaw);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
