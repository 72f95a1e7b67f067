import type { Explanation } from './authorize.js';

/**
 * A decision as recorded: its explanation is written out only when someone reads it, since
 * most are never read and wording every decision cost more than making it.
 */
export type PendingExplanation = Omit<Explanation, 'lines'> & { lines: () => string[] };

/**
 * The last `limit` requests' decisions, by request id (bounded): a ring of request ids plus an
 * index. Dropping the oldest is one slot overwritten, where a Map trimmed from its front keeps
 * scanning the holes it leaves behind.
 */
class Ring {
  readonly byRequest = new Map<string, Recorded[]>();
  readonly #ids: (string | undefined)[];
  #next = 0;
  constructor(readonly limit: number) {
    this.#ids = new Array<string | undefined>(limit).fill(undefined);
  }

  add(e: Recorded): void {
    const list = this.byRequest.get(e.requestId);
    if (list) {
      list.push(e);
      return;
    }
    const oldest = this.#ids[this.#next];
    if (oldest !== undefined) this.byRequest.delete(oldest);
    this.#ids[this.#next] = e.requestId;
    this.#next = (this.#next + 1) % this.limit;
    this.byRequest.set(e.requestId, [e]);
  }

  /** Up to `n` entries, newest first. */
  newest(n: number): Recorded[] {
    const out: Recorded[] = [];
    for (let k = 1; k <= this.limit && out.length < n; k++) {
      const id = this.#ids[(this.#next - k + this.limit) % this.limit];
      if (id === undefined) break;
      const list = this.byRequest.get(id)!;
      for (let i = list.length - 1; i >= 0 && out.length < n; i--) out.push(list[i]!);
    }
    return out;
  }

  clear(): void {
    this.byRequest.clear();
    this.#ids.fill(undefined);
    this.#next = 0;
  }
}

type Recorded = PendingExplanation & { seq: number };

/**
 * The latest authorization decisions, for `drydock explain`. Refusals are kept for the last
 * `limit` requests that had one; allowed decisions only for the last `allowedLimit` requests.
 * Every allowed call records one, and keeping thousands of them alive made the garbage
 * collector copy each out of the young generation: a tenth of a KMS call's cost.
 */
export class ExplanationLog {
  readonly #allowed: Ring;
  readonly #refused: Ring;
  #seq = 0;
  constructor(readonly limit = 2000, readonly allowedLimit = Math.min(limit, 200)) {
    this.#allowed = new Ring(allowedLimit);
    this.#refused = new Ring(limit);
  }

  record(e: PendingExplanation): void {
    const r = e as Recorded;
    r.seq = this.#seq++;
    (e.decision === 'Allow' ? this.#allowed : this.#refused).add(r);
  }

  get(requestId: string): Explanation[] | undefined {
    const a = this.#allowed.byRequest.get(requestId);
    const d = this.#refused.byRequest.get(requestId);
    if (!a && !d) return undefined;
    // A call stops at its first refusal, so its allowed decisions came first.
    return [...(a ?? []), ...(d ?? [])].map(written);
  }

  /** The newest `n` decisions, newest first. */
  latest(n: number): Explanation[] {
    const a = this.#allowed.newest(n);
    const d = this.#refused.newest(n);
    const out: Recorded[] = [];
    let i = 0;
    let j = 0;
    while (out.length < n && (i < a.length || j < d.length)) {
      out.push(j >= d.length || (i < a.length && a[i]!.seq > d[j]!.seq) ? a[i++]! : d[j++]!);
    }
    return out.map(written);
  }

  clear(): void {
    this.#allowed.clear();
    this.#refused.clear();
  }
}

function written(e: Recorded): Explanation {
  return { requestId: e.requestId, action: e.action, principal: e.principal, decision: e.decision, lines: e.lines() };
}
