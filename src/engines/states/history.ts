/**
 * The execution history as GetExecutionHistory reports it: numbered events, each pointing at
 * the event that led to it (`previousEventId`), stamped with clock time, carrying the details
 * object AWS names after the event type (`taskScheduledEventDetails`, and the shared
 * `stateEnteredEventDetails` / `stateExitedEventDetails` for every state type).
 */

/**
 * One event. The details object is kept under `details`; {@link detailsKey} names the member
 * AWS shows it as (`taskScheduledEventDetails`, …) when the event is read.
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** Clock time, epoch ms. */
  timestamp: number;
  type: string;
  details?: Record<string, unknown>;
  /**
   * `…StateEntered` / `…StateExited` and `MapIteration…` (most of any history) keep only the
   * state's name and data (the iteration's index); {@link eventDetails} makes their details when the event is read. One object per
   * transition instead of three keeps long executions light on the garbage collector.
   */
  state?: string;
  data?: unknown;
}

/** The details object AWS shows for an event (made on demand for state events). */
export function eventDetails(e: HistoryEvent): Record<string, unknown> | undefined {
  if (e.details !== undefined || e.state === undefined) return e.details;
  if (e.type.startsWith('MapIteration')) return { index: e.data, name: e.state };
  const text = JSON.stringify(e.data) ?? 'null';
  return e.type.endsWith('Entered')
    ? { name: e.state, input: text, inputDetails: { truncated: false } }
    : { name: e.state, output: text, outputDetails: { truncated: false } };
}

/**
 * A JSON value shown as text in an event (`input`, `output`, `parameters`): serialized only
 * when someone reads or stores it, since values in the engine are never mutated. Most
 * executions' histories are written far more often than they are read.
 */
export class JsonText {
  readonly value: unknown;
  #text: string | undefined;

  constructor(value: unknown) {
    this.value = value;
  }

  get text(): string {
    return (this.#text ??= JSON.stringify(this.value) ?? 'null');
  }

  toJSON(): string {
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}

/** A details value as AWS shows it: JsonText becomes its text. */
export function shown(v: unknown): unknown {
  return v instanceof JsonText ? v.text : v;
}

/** A line of events within the history: the execution's own, or one branch or iteration's. */
export interface Thread {
  last: number;
}

const keys = new Map<string, string>();

/** The details member of an event type, as AWS names it. */
export function detailsKey(type: string): string {
  let k = keys.get(type);
  if (k === undefined) {
    if (type.endsWith('StateEntered')) k = 'stateEnteredEventDetails';
    else if (type.endsWith('StateExited')) k = 'stateExitedEventDetails';
    else k = `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
    keys.set(type, k);
  }
  return k;
}

/** `inputDetails` / `outputDetails` of every event: payloads are never truncated here. Shared, never mutated. */
export const NOT_TRUNCATED = Object.freeze({ truncated: false }) as { truncated: boolean };

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

  /** Appends a `…StateEntered` / `…StateExited` event for state `name` carrying `data`. */
  stateEvent(thread: Thread, type: string, name: string, data: unknown): HistoryEvent {
    const e: HistoryEvent = { id: this.events.length + 1, previousEventId: thread.last, timestamp: this.#now(), type, state: name, data };
    this.events.push(e);
    thread.last = e.id;
    this.#onEvent?.(e);
    return e;
  }

  /** Appends an event on `thread` and moves the thread on to it. */
  emit(thread: Thread, type: string, details?: Record<string, unknown>): HistoryEvent {
    const e: HistoryEvent = { id: this.events.length + 1, previousEventId: thread.last, timestamp: this.#now(), type, details };
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
