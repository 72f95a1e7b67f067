/**
 * The execution history as GetExecutionHistory reports it: numbered events, each pointing at
 * the event that led to it (`previousEventId`), stamped with clock time, carrying the details
 * object AWS names after the event type (`taskScheduledEventDetails`, and the shared
 * `stateEnteredEventDetails` / `stateExitedEventDetails` for every state type).
 */

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** Clock time, epoch ms. */
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** A line of events within the history: the execution's own, or one branch or iteration's. */
export interface Thread {
  last: number;
}

/** The details member of an event type, as AWS names it. */
export function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
}

/** Collects events; `onEvent` lets the owner persist or stream them. */
export class History {
  readonly events: HistoryEvent[] = [];
  #now: () => number;
  #onEvent: ((e: HistoryEvent) => void) | undefined;

  constructor(now: () => number, onEvent?: (e: HistoryEvent) => void, existing: HistoryEvent[] = []) {
    this.#now = now;
    this.#onEvent = onEvent;
    this.events.push(...existing);
  }

  get lastId(): number {
    return this.events.length;
  }

  /** Appends an event on `thread` and moves the thread on to it. */
  emit(thread: Thread, type: string, details?: Record<string, unknown>): HistoryEvent {
    const e: HistoryEvent = { id: this.events.length + 1, previousEventId: thread.last, timestamp: this.#now(), type };
    if (details !== undefined) e[detailsKey(type)] = details;
    this.events.push(e);
    thread.last = e.id;
    this.#onEvent?.(e);
    return e;
  }
}

/** Stops a running execution, branch or iteration: waits and tasks listen to it. */
export class Cancellation {
  #cancelled = false;
  #listeners = new Set<() => void>();
  readonly parent: Cancellation | undefined;

  constructor(parent?: Cancellation) {
    this.parent = parent;
    if (parent) {
      const off = parent.onCancel(() => this.cancel());
      this.onCancel(off);
    }
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Calls `fn` once when cancelled; returns a function that removes it. */
  onCancel(fn: () => void): () => void {
    if (this.#cancelled) { fn(); return () => {}; }
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    const fns = [...this.#listeners];
    this.#listeners.clear();
    for (const f of fns) f();
  }
}
