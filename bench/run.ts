/**
 * All benchmarks, one compact report: start-up time and idle memory (bench/startup.ts), then
 * GetCallerIdentity throughput and latency (bench/throughput.ts), each beside its bare
 * `node:http` peer measured in the same run; then what authorization adds to a request
 * (bench/authz-overhead.ts) and IAM decisions per second beside `@cloud-copilot/iam-simulate`
 * (bench/iam-engine.ts), both in this process. Needs `npm run build` first. ~1.5 minutes.
 *
 *   npm run bench
 *   node --import tsx bench/run.ts [--runs 7] [--rounds 2] [--duration 5] [--warmup 1]
 *                                  [--connections 10] [--client raw|http]
 *                                  [--authz-calls 20000] [--iam-duration 6] [--verbose]
 *
 * Exits 0 whether or not a target is met (benchmarks are not tests); 1 only when a
 * benchmark could not run.
 */
import { cpus } from 'node:os';
import { SCRUBBED_ENV_VARS, flag, fmt, machineLoad } from './lib.js';
import { benchStartup, startupTable } from './startup.js';
import { benchThroughput, throughputTable, type ThroughputOptions } from './throughput.js';
import { authzOverheadTable, benchAuthzOverhead } from './authz-overhead.js';
import { benchIamEngine, iamEngineTable } from './iam-engine.js';

const WATCHDOG_MS = 5 * 60_000;

async function main(): Promise<void> {
  const verbose = flag('verbose', true);
  const log = (l: string): void => { if (verbose) console.log(l); };
  const client = flag('client') ?? 'raw';
  if (client !== 'raw' && client !== 'http') throw new Error('--client is raw or http');
  const opts: ThroughputOptions = {
    durationMs: 1000 * Number(flag('duration') ?? 5),
    warmupMs: 1000 * Number(flag('warmup') ?? 1),
    connections: Number(flag('connections') ?? 10),
    // Two rounds, ordered bare, drydock, drydock, bare, so drift in machine load hits both alike.
    rounds: Number(flag('rounds') ?? 2),
    client,
  };
  const t0 = performance.now();
  const before = machineLoad();
  const ncpu = cpus().length;
  console.log(`drydock bench — node ${process.version}, ${ncpu} CPUs, load ${fmt(before.load1, 2)}, `
    + `CPU pressure ${fmt(before.cpuPressure10s)}%; servers run without ${SCRUBBED_ENV_VARS.join(', ')}`);

  const startup = await benchStartup(Number(flag('runs') ?? 7), log);
  console.log(`\n${startupTable(startup)}`);
  const throughput = await benchThroughput(opts, log);
  console.log(`\n${throughputTable(throughput, opts)}`);
  // In this process, authorization first, on a heap not yet holding iam-simulate's service data.
  const authz = await benchAuthzOverhead({ calls: Number(flag('authz-calls') ?? 20_000) }, log);
  console.log(`\n${authzOverheadTable(authz)}`);
  const iam = await benchIamEngine({ durationMs: 1000 * Number(flag('iam-duration') ?? 6) }, log);
  console.log(`\n${iamEngineTable(iam)}`);

  const after = machineLoad();
  console.log(`\ndone in ${fmt((performance.now() - t0) / 1000)} s; load ${fmt(after.load1, 2)}, CPU pressure ${fmt(after.cpuPressure10s)}%`);
  if (Math.max(before.load1, after.load1) > ncpu || Math.max(before.cpuPressure10s, after.cpuPressure10s) > 20) {
    console.log('note: other work competed for the CPUs during this run; absolute numbers are inflated, ratios and CPU/request less so');
  }
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; giving up`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main().then(() => process.exit(0), (e: unknown) => {
  console.error(`bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
