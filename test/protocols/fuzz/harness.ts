// The fuzzer's side of the worker that hosts Drydock: posts requests, waits for answers with a
// deadline, and replaces the worker when one does not come (a hang) or the worker dies (a crash).

import { Worker } from 'node:worker_threads';
import type { HostRequest } from './host.js';

export type Outcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: Buffer; bodyIsString: boolean; logs: string[]; ms: number }
  | { kind: 'thrown'; error: string; logs: string[]; ms: number }
  | { kind: 'timeout'; ms: number }
  | { kind: 'crash'; error: string };

type Pending = (o: Outcome) => void;

export class Host {
  #worker?: Worker;
  #starting?: Promise<Worker>;
  #pending = new Map<number, Pending>();
  #next = 1;
  /** How many workers were replaced after a hang or crash. */
  restarts = 0;
  requests = 0;

  async #start(): Promise<Worker> {
    if (this.#worker) return this.#worker;
    this.#starting ??= new Promise<Worker>((resolve, reject) => {
      // The main thread's stack (V8's default, ~1 MB), not a worker's 4 MB: the real server runs
      // Drydock on the main thread, and stack overflows must show as they would there.
      const w = new Worker(new URL('./host-entry.mjs', import.meta.url), { stdout: false, stderr: false, resourceLimits: { stackSizeMb: 1 } });
      const onBoot = (m: { kind?: string }) => {
        if (m.kind !== 'ready') return;
        w.off('message', onBoot);
        w.off('error', reject);
        w.on('message', (msg: { id: number } & Outcome) => {
          const p = this.#pending.get(msg.id);
          if (!p) return;
          this.#pending.delete(msg.id);
          if (msg.kind === 'response') msg.body = Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength);
          p(msg);
        });
        w.on('error', (e) => this.#died(w, `worker error: ${e instanceof Error ? e.stack : String(e)}`));
        w.on('exit', (code) => this.#died(w, `worker exited with code ${code}`));
        this.#worker = w;
        this.#starting = undefined;
        resolve(w);
      };
      w.on('message', onBoot);
      w.once('error', reject);
    });
    return this.#starting;
  }

  #died(w: Worker, error: string): void {
    if (this.#worker !== w) return;
    this.#worker = undefined;
    this.restarts++;
    for (const [id, p] of this.#pending) { this.#pending.delete(id); p({ kind: 'crash', error }); }
  }

  /** Sends one request; resolves with the answer, or `timeout` after `timeoutMs`. Never rejects. */
  async send(req: HostRequest, timeoutMs: number): Promise<Outcome> {
    const w = await this.#start();
    this.requests++;
    return new Promise<Outcome>((resolve) => {
      const id = this.#next++;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        if (this.#worker === w) { this.#worker = undefined; this.restarts++; }
        void w.terminate();
        resolve({ kind: 'timeout', ms: timeoutMs });
      }, timeoutMs);
      this.#pending.set(id, (o) => { clearTimeout(timer); resolve(o); });
      w.postMessage({ id, req });
    });
  }

  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = undefined;
    if (w) { w.removeAllListeners('exit'); await w.terminate(); }
  }
}
