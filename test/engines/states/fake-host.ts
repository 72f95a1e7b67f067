/** A host for the engine in tests: a manual clock with timers, and scripted task executors. */
import { Cancellation, History } from '../../../src/engines/states/history.js';
import { ExecutionStopped, type Json, type JsonObject } from '../../../src/engines/states/json.js';
import { runExecution, type ExecutionResult } from '../../../src/engines/states/execution.js';
import type { EngineHost, TaskRequest } from '../../../src/engines/states/types.js';

export class FakeHost implements EngineHost {
  region = 'us-east-1';
  time = Date.parse('2026-01-01T00:00:00Z');
  #timers: { at: number; fire: () => void }[] = [];
  #ids = 0;
  tasks: TaskRequest[] = [];
  handler: (req: TaskRequest) => Promise<Json> = async (req) => req.input;

  now(): number { return this.time; }
  random(): number { return 0.5; }
  uuid(): string { return `id-${++this.#ids}`; }

  sleep(ms: number, cancel: Cancellation): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = { at: this.time + ms, fire: () => resolve() };
      this.#timers.push(t);
      cancel.onCancel(() => { this.#timers = this.#timers.filter((x) => x !== t); reject(new ExecutionStopped()); });
    });
  }

  runTask(req: TaskRequest): Promise<Json> {
    this.tasks.push(req);
    return this.handler(req);
  }

  /** Moves the clock on, firing due timers in order and letting the engine settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at);
      const t = this.#timers[0];
      if (!t || t.at > target) break;
      this.#timers.shift();
      this.time = t.at;
      t.fire();
      await settle();
    }
    this.time = target;
  }

  get pending(): number { return this.#timers.length; }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
}

/** Runs a definition to its end on `host`, advancing the clock while it waits. */
export async function execute(definition: JsonObject, input: Json = {}, host = new FakeHost()): Promise<ExecutionResult & { history: History; host: FakeHost }> {
  const history = new History(() => host.now());
  const context = { Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:sm:run', Input: input, Name: 'run', StartTime: new Date(host.time).toISOString(), RoleArn: 'arn:aws:iam::000000000000:role/r' }, StateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:sm', Name: 'sm' } };
  let done: ExecutionResult | undefined;
  const p = runExecution({ definition, input, host, history, context }).then((r) => { done = r; return r; });
  for (let i = 0; i < 1000 && done === undefined; i++) await host.advance(60_000);
  const r = await p;
  return { ...r, history, host };
}
