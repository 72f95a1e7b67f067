/**
 * Lambda: time to a function's first answer (cold start) beside a bare `node -e` process start
 * measured in the same run, warm Invoke latency p50/p99 and Drydock's overhead on it (latency
 * minus the function's own Duration), and warm throughput with concurrent callers.
 *
 *   node --import tsx bench/lambda.ts [--cold 7] [--warm 1000] [--duration 5] [--connections 10]
 *
 * Drydock runs in this process (the embedded server, a real socket); callers use the AWS SDK
 * for JavaScript v3 over keep-alive connections. serverless-offline, the peer the issue names,
 * is not installed here, so the peer is the bare process start.
 */
import { spawnSync } from 'node:child_process';
import { Agent } from 'node:http';
import { cpus } from 'node:os';
import { zipSync, strToU8 } from 'fflate';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startDrydock } from '../src/embedded/index.js';
import { hostOf, runtimeOf } from '../src/services/lambda/pool.js';
import { lambdaState } from '../src/services/lambda/store.js';
import { flag, fmt, machineLoad } from './lib.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

async function main(): Promise<void> {
  const coldRuns = Number(flag('cold') ?? 7);
  const warmCalls = Number(flag('warm') ?? 1000);
  const durationMs = 1000 * Number(flag('duration') ?? 5);
  const connections = Number(flag('connections') ?? 10);
  const load = machineLoad();
  console.log(`drydock lambda bench — node ${process.version}, ${cpus().length} CPUs, load ${fmt(load.load1, 2)}`);

  const bare: number[] = [];
  for (let i = 0; i < coldRuns; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
  }

  const dd = await startDrydock();
  const agent = new Agent({ keepAlive: true, maxSockets: connections + 2 });
  const cfg = { endpoint: dd.endpoint, region: 'us-east-1', credentials: dd.credentials, maxAttempts: 1, requestHandler: { httpAgent: agent } };
  const lambda = new LambdaClient(cfg);
  const { Role } = await new IAMClient(cfg).send(new CreateRoleCommand({
    RoleName: 'bench', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }));
  const code = zipSync({ 'index.js': strToU8('exports.handler = async (e) => e;') });
  const payload = strToU8('{"ping":1}');
  const invoke = (name: string) => lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload }));
  try {
    // Cold: a new function each time, so each first Invoke starts a process.
    const cold: number[] = [];
    const init: number[] = [];
    await dd.app.service('lambda');
    const state = lambdaState(dd.app.stores, '000000000000', 'us-east-1');
    const rt = runtimeOf(state, hostOf(dd.app.stores));
    for (let i = 0; i < coldRuns; i++) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: `cold-${i}`, Role: Role!.Arn!, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: code } }));
      const t = performance.now();
      await invoke(`cold-${i}`);
      cold.push(performance.now() - t);
      init.push(rt.records.at(-1)!.initMs ?? NaN);
    }

    await lambda.send(new CreateFunctionCommand({ FunctionName: 'warm', Role: Role!.Arn!, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: code } }));
    for (let i = 0; i < 50; i++) await invoke('warm');
    const from = rt.records.length;
    const lat: number[] = [];
    for (let i = 0; i < warmCalls; i++) {
      const t = performance.now();
      await invoke('warm');
      lat.push(performance.now() - t);
    }
    const fnDur = rt.records.slice(from).map((r) => r.durationMs ?? 0);
    // The same SDK and server answering a call that runs nothing: what any request costs here.
    const base: number[] = [];
    for (let i = 0; i < warmCalls; i++) {
      const t = performance.now();
      await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'warm' }));
      base.push(performance.now() - t);
    }
    base.sort((a, b) => a - b);
    const overhead = lat.map((l, i) => l - (fnDur[i] ?? 0)).sort((a, b) => a - b);
    lat.sort((a, b) => a - b);

    // Throughput: `connections` callers in a loop for the duration, after a round that warms
    // as many environments as there are callers.
    const callers = async (ms: number): Promise<number> => {
      let n = 0;
      const end = performance.now() + ms;
      await Promise.all(Array.from({ length: connections }, async () => {
        while (performance.now() < end) { await invoke('warm'); n++; }
      }));
      return n;
    };
    await callers(3000);
    const done = await callers(durationMs);

    console.log('');
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| bare \`node -e 0\` start, median of ${coldRuns} | ${fmt(median(bare))} ms |`);
    console.log(`| cold Invoke (time to first answer), median of ${coldRuns} | ${fmt(median(cold))} ms (${fmt(median(cold) / median(bare), 2)}× bare) |`);
    console.log(`| Init Duration reported, median | ${fmt(median(init))} ms |`);
    console.log(`| warm Invoke latency p50 / p99 (SDK, ${warmCalls} sequential) | ${fmt(percentile(lat, 50), 2)} / ${fmt(percentile(lat, 99), 2)} ms |`);
    console.log(`| warm overhead (latency − function Duration) p50 / p99 | ${fmt(percentile(overhead, 50), 2)} / ${fmt(percentile(overhead, 99), 2)} ms |`);
    console.log(`| GetFunctionConfiguration p50 / p99 (same SDK and server, runs nothing) | ${fmt(percentile(base, 50), 2)} / ${fmt(percentile(base, 99), 2)} ms |`);
    console.log(`| function Duration p50 (as REPORT shows it) | ${fmt(median(fnDur), 2)} ms |`);
    console.log(`| warm throughput, ${connections} callers, ${durationMs / 1000} s | ${fmt(done / (durationMs / 1000))} invokes/s |`);
  } finally {
    agent.destroy();
    await dd.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
