/**
 * The internal bus for cross-service effects (S3 → EventBridge, Config → Lambda,
 * EventBridge → Step Functions): a service never imports another service, it publishes a
 * typed event here and the other subscribes. Handlers run after the publisher returns, as
 * AWS delivers events after the API call that caused them, and a failing handler cannot
 * break the publisher or other subscribers.
 */

/** Every bus event says where it happened. */
export interface BusEvent {
  account: string;
  region: string;
}

/**
 * The app's topics: topic name → event type. Empty here because core knows no service;
 * a service adds its topics by declaration merging:
 *
 * ```ts
 * declare module '../../core/event-bus.js' {
 *   interface BusTopics { 's3:object-created': S3ObjectCreated }
 * }
 * ```
 */
export interface BusTopics {}

/** A topic map: every topic's event is a {@link BusEvent}. */
export type TopicMap<M> = { [K in keyof M]: BusEvent };

/** A subscriber; a returned promise is awaited only to catch its rejection and for {@link EventBus.idle}. */
export type BusHandler<E> = (event: E) => void | Promise<void>;

/** Receives what a handler threw, with the event it was handling. */
export type BusErrorHook = (err: unknown, ctx: { topic: string; event: BusEvent }) => void;

/**
 * A publish/subscribe bus typed by a topic map (by default the app's {@link BusTopics}).
 * Delivery is in-process and at most once; each handler runs in its own `setImmediate`.
 */
export class EventBus<M extends TopicMap<M> = BusTopics> {
  #handlers = new Map<keyof M, Set<BusHandler<never>>>();
  #onError: BusErrorHook;
  #pending = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(opts: { onError?: BusErrorHook } = {}) {
    this.#onError = opts.onError ?? ((err, ctx) => console.error(`drydock: bus handler for \`${ctx.topic}\` failed:`, err));
  }

  /** Delivers `event` to the topic's current subscribers, after this call returns. */
  publish<K extends keyof M & string>(topic: K, event: M[K]): void {
    const handlers = this.#handlers.get(topic);
    if (handlers === undefined) return;
    // Snapshot: a handler subscribed by another handler sees only later events.
    for (const h of [...handlers] as BusHandler<M[K]>[]) {
      this.#pending++;
      setImmediate(() => {
        // Unsubscribed between publish and delivery: AWS would not deliver either.
        if (!handlers.has(h as BusHandler<never>)) return this.#settle();
        let result: void | Promise<void>;
        try {
          result = h(event);
        } catch (err) {
          this.#report(err, topic, event);
          return this.#settle();
        }
        if (result instanceof Promise) {
          result.catch((err: unknown) => this.#report(err, topic, event)).finally(() => this.#settle());
        } else {
          this.#settle();
        }
      });
    }
  }

  /** Calls `handler` for every later event on `topic`; returns the function that unsubscribes. */
  subscribe<K extends keyof M & string>(topic: K, handler: BusHandler<M[K]>): () => void {
    let set = this.#handlers.get(topic);
    if (set === undefined) this.#handlers.set(topic, (set = new Set()));
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const h: BusHandler<M[K]> = (e) => handler(e);
    set.add(h as BusHandler<never>);
    return () => {
      set.delete(h as BusHandler<never>);
      if (set.size === 0 && this.#handlers.get(topic) === set) this.#handlers.delete(topic);
    };
  }

  /** Resolves once every published event, and every event its handlers published, is handled. For tests. */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #report(err: unknown, topic: string, event: BusEvent): void {
    try {
      this.#onError(err, { topic, event });
    } catch {
      // An error hook that throws must not take the bus down with it.
    }
  }

  #settle(): void {
    if (--this.#pending > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
