// State transitions per second of the States Language engine on a long Pass/Choice/Map
// workflow (a counter loop whose every turn maps 10 items through two Pass states and
// counts with an intrinsic), beside `aws-local-stepfunctions` running the same definition
// in the same process. Both record nothing outside memory; Drydock's engine also writes the
// full execution history (every event AWS would show), the peer does not. Not a test: run
//   node --import tsx bench/stepfunctions.ts [--loops 200] [--runs 5]
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

const host: EngineHost = {
  region: 'us-east-1',
  now: () => performance.timeOrigin + performance.now(),
  random: Math.random,
  uuid: () => 'bench',
  sleep: () => Promise.resolve(),
  runTask: () => Promise.reject(new Error('no tasks in this workflow')),
};

async function drydockOnce(): Promise<number> {
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
  const t0 = performance.now();
  const out = await sm.run({}).result as { i?: number };
  const ms = performance.now() - t0;
  if (out.i !== LOOPS) throw new Error(`peer ended with ${JSON.stringify(out).slice(0, 200)}`);
  return ms;
}

async function main(): Promise<void> {
  // aws-local-stepfunctions needs Promise.withResolvers (Node 22); Node 20 lacks it.
  const P = Promise as unknown as { withResolvers?: () => unknown };
  P.withResolvers ??= function withResolvers<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
  const { StateMachine } = await import('aws-local-stepfunctions') as unknown as { StateMachine: new (d: unknown) => { run(i: unknown): { result: Promise<unknown> } } };
  await drydockOnce();
  await peerOnce(StateMachine);
  const ours: number[] = [];
  const peer: number[] = [];
  // Alternate so drift in machine load hits both alike.
  for (let r = 0; r < RUNS; r++) {
    ours.push(await drydockOnce());
    peer.push(await peerOnce(StateMachine));
  }
  const rate = (ms: number) => TRANSITIONS / (ms / 1000);
  const a = rate(median(ours));
  const b = rate(median(peer));
  console.log(`Step Functions engine: ${TRANSITIONS} state transitions per execution (${LOOPS} loops × Map of ${ITEMS}), median of ${RUNS} runs`);
  console.log(`  drydock states engine     ${Math.round(a).toLocaleString('en-US').padStart(12)} transitions/s  (${median(ours).toFixed(1)} ms/execution, with full history)`);
  console.log(`  aws-local-stepfunctions   ${Math.round(b).toLocaleString('en-US').padStart(12)} transitions/s  (${median(peer).toFixed(1)} ms/execution)`);
  console.log(`  ratio                     ${(a / b).toFixed(1)}× (goal ≥ 10×)`);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
