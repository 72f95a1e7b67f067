import type { Explanation } from './authorize.js';

/** The latest authorization decisions, by request id, for `drydock explain` (bounded). */
export class ExplanationLog {
  readonly #byRequest = new Map<string, Explanation[]>();
  constructor(readonly limit = 2000) {}

  record(e: Explanation): void {
    const list = this.#byRequest.get(e.requestId);
    if (list) list.push(e);
    else this.#byRequest.set(e.requestId, [e]);
    if (this.#byRequest.size > this.limit) this.#byRequest.delete(this.#byRequest.keys().next().value!);
  }

  get(requestId: string): Explanation[] | undefined {
    return this.#byRequest.get(requestId);
  }

  latest(n: number): Explanation[] {
    return [...this.#byRequest.values()].flat().slice(-n).reverse();
  }

  clear(): void {
    this.#byRequest.clear();
  }
}
