// State transitions per second of the States Language engine on a long Pass/Choice/Map
// workflow (a counter loop whose every turn maps 10 items through two Pass states and
// counts with an intrinsic), beside `aws-local-stepfunctions` running the same definition
// in the same run (each engine in a child process of its own, alternating). Both record nothing
// outside memory; Drydock's engine also writes the full execution history (every event AWS
// would show), the peer does not. Not a test: run
//   node --import tsx bench/stepfunctions.ts [--loops 200] [--runs 5]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Cancellation, History } from '../src/engines/states/history.js';
import { runExecution } from '../src/engines/states/execution.js';
import type { EngineHost } from '../src/engines/states/types.js';
import { flag, median } from './lib.js';

const LOOPS = Number(flag('loops') ?? 200);
const RUNS = Number(flag('runs') ?? 5);
const ITEMS = 10;

const definition = {
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Result: { i: 0, items: Array.from({ length: ITEMS }, (_, k) => ({ sku: `SKU-${k}`, qty: k })) }, Next: 'Loop' },
    Loop: {
      Type: 'Map', ItemsPath: '$.items', ResultPath: '$.mapped', Next: 'Inc',
      ItemProcessor: {
        StartAt: 'Price', States: {
          Price: { Type: 'Pass', Parameters: { 'sku.$': '$.sku', 'qty.$': '$.qty', price: 3 }, Next: 'Tag' },
          Tag: { Type: 'Pass', Result: 'ok', ResultPath: '$.status', End: true },
        },
      },
    },
    Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)', 'items.$': '$.items' }, Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: LOOPS, Next: 'Loop' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

// Init + per loop (Map + 2 per item + Inc + Check) + Done: what AWS bills as state transitions.
const TRANSITIONS = 1 + LOOPS * (1 + 2 * ITEMS + 2) + 1;

// Each timed run starts from a collected heap, so neither engine pays for the other's garbage.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const host: EngineHost = {
  region: 'us-east-1',
  now: () => performance.timeOrigin + performance.now(),
  random: Math.random,
  uuid: () => 'bench',
  sleep: () => Promise.resolve(),
  runTask: () => Promise.reject(new Error('no tasks in this workflow')),
};

async function drydockOnce(): Promise<number> {
  collect();
  const history = new History(host.now);
  const t0 = performance.now();
  const r = await runExecution({ definition, input: {}, host, history, context: { Execution: {}, StateMachine: {} }, cancel: new Cancellation() });
  const ms = performance.now() - t0;
  if (r.status !== 'SUCCEEDED') throw new Error(`drydock run ${r.status}: ${r.error} ${r.cause}`);
  const entered = history.events.filter((e) => e.type.endsWith('StateEntered')).length;
  if (entered !== TRANSITIONS) throw new Error(`expected ${TRANSITIONS} transitions, saw ${entered}`);
  return ms;
}

async function peerOnce(StateMachine: new (d: unknown) => { run(i: unknown): { result: Promise<unknown> } }): Promise<number> {
  const sm = new StateMachine(definition);
  collect();
  const t0 = performance.now();
  const out = await sm.run({}).result as { i?: number };
  const ms = performance.now() - t0;
  if (out.i !== LOOPS) throw new Error(`peer ended with ${JSON.stringify(out).slice(0, 200)}`);
  return ms;
}

/** Runs one engine's timed executions in this process and prints their times as JSON. */
async function worker(kind: string): Promise<void> {
  let once: () => Promise<number>;
  if (kind === 'drydock') once = drydockOnce;
  else {
    // aws-local-stepfunctions needs Promise.withResolvers (Node 22); Node 20 lacks it.
    const P = Promise as unknown as { withResolvers?: () => unknown };
    P.withResolvers ??= function withResolvers<T>() {
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
      return { promise, resolve, reject };
    };
    const { StateMachine } = await import('aws-local-stepfunctions') as unknown as { StateMachine: new (d: unknown) => { run(i: unknown): { result: Promise<unknown> } } };
    once = () => peerOnce(StateMachine);
  }
  await once();
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) times.push(await once());
  process.stdout.write(`${JSON.stringify(times)}\n`);
}

/** Each engine runs in its own process (its own heap: neither pays for the other's garbage), in alternating rounds. */
function spawnWorker(kind: string): number[] {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--worker', kind, '--loops', String(LOOPS), '--runs', String(RUNS)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${kind} worker failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as number[];
}

async function main(): Promise<void> {
  const kind = flag('worker');
  if (kind) return worker(kind);
  const ours: number[] = [];
  const peer: number[] = [];
  // Two rounds ordered drydock, peer, peer, drydock so drift in machine load hits both alike.
  ours.push(...spawnWorker('drydock'));
  peer.push(...spawnWorker('peer'));
  peer.push(...spawnWorker('peer'));
  ours.push(...spawnWorker('drydock'));
  const rate = (ms: number) => TRANSITIONS / (ms / 1000);
  const a = rate(median(ours));
  const b = rate(median(peer));
  console.log(`Step Functions engine: ${TRANSITIONS} state transitions per execution (${LOOPS} loops × Map of ${ITEMS}), median of ${ours.length} runs each`);
  console.log(`  drydock states engine     ${Math.round(a).toLocaleString('en-US').padStart(12)} transitions/s  (${median(ours).toFixed(1)} ms/execution, with full history)`);
  console.log(`  aws-local-stepfunctions   ${Math.round(b).toLocaleString('en-US').padStart(12)} transitions/s  (${median(peer).toFixed(1)} ms/execution)`);
  console.log(`  ratio                     ${(a / b).toFixed(1)}× (goal ≥ 10×)`);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
