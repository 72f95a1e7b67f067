import type { Explanation } from './authorize.js';

/**
 * A decision as recorded: its explanation is written out only when someone reads it, since
 * most are never read and wording every decision cost more than making it.
 */
export type PendingExplanation = Omit<Explanation, 'lines'> & { lines: () => string[] };

/** The latest authorization decisions, by request id, for `drydock explain` (bounded). */
export class ExplanationLog {
  readonly #byRequest = new Map<string, PendingExplanation[]>();
  constructor(readonly limit = 2000) {}

  record(e: PendingExplanation): void {
    const list = this.#byRequest.get(e.requestId);
    if (list) list.push(e);
    else this.#byRequest.set(e.requestId, [e]);
    if (this.#byRequest.size > this.limit) this.#byRequest.delete(this.#byRequest.keys().next().value!);
  }

  get(requestId: string): Explanation[] | undefined {
    return this.#byRequest.get(requestId)?.map(written);
  }

  latest(n: number): Explanation[] {
    return [...this.#byRequest.values()].flat().slice(-n).reverse().map(written);
  }

  clear(): void {
    this.#byRequest.clear();
  }
}

function written(e: PendingExplanation): Explanation {
  return { ...e, lines: e.lines() };
}
