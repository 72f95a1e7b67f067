import type { Explanation } from './authorize.js';

/**
 * A decision as recorded: its explanation is written out only when someone reads it, since
 * most are never read and wording every decision cost more than making it.
 */
export type PendingExplanation = Omit<Explanation, 'lines'> & { lines: () => string[] };

/**
 * The latest authorization decisions, by request id, for `drydock explain` (bounded). A ring of
 * the last `limit` requests plus an index: dropping the oldest is one slot overwritten, where a
 * Map trimmed from its front keeps scanning the holes it leaves behind.
 */
export class ExplanationLog {
  readonly #byRequest = new Map<string, PendingExplanation[]>();
  readonly #ring: (string | undefined)[];
  #next = 0;
  constructor(readonly limit = 2000) {
    this.#ring = new Array<string | undefined>(limit).fill(undefined);
  }

  record(e: PendingExplanation): void {
    const list = this.#byRequest.get(e.requestId);
    if (list) {
      list.push(e);
      return;
    }
    const oldest = this.#ring[this.#next];
    if (oldest !== undefined) this.#byRequest.delete(oldest);
    this.#ring[this.#next] = e.requestId;
    this.#next = (this.#next + 1) % this.limit;
    this.#byRequest.set(e.requestId, [e]);
  }

  get(requestId: string): Explanation[] | undefined {
    return this.#byRequest.get(requestId)?.map(written);
  }

  /** The newest `n` decisions, newest first. */
  latest(n: number): Explanation[] {
    const out: PendingExplanation[] = [];
    for (let k = 1; k <= this.limit && out.length < n; k++) {
      const id = this.#ring[(this.#next - k + this.limit) % this.limit];
      if (id === undefined) break;
      const list = this.#byRequest.get(id)!;
      for (let i = list.length - 1; i >= 0 && out.length < n; i--) out.push(list[i]!);
    }
    return out.map(written);
  }

  clear(): void {
    this.#byRequest.clear();
    this.#ring.fill(undefined);
    this.#next = 0;
  }
}

function written(e: PendingExplanation): Explanation {
  return { ...e, lines: e.lines() };
}
