/**
 * The in-memory index of one queue: its messages in arrival order, FIFO message groups in
 * delivery rotation, live deduplication records, and the receivers waiting in a long poll.
 * Rebuilt from the stored messages after a restart; never persisted itself.
 */
import type { Clock, TimerId } from '../../core/clock.js';
import { TimerHeap, type HeapTimer } from '../../core/timer-heap.js';
import type { DedupRecord, MessageRecord } from './store.js';

/** A message's place in the due-time heap: when it next becomes visible. */
interface Due extends HeapTimer {
  m: MessageRecord;
}

/** A long-polling receive; `attempt` tries to take messages and says whether it is done. */
export interface Waiter {
  attempt(): boolean;
}

/** Message counts as the Approximate* queue attributes report them. */
export interface MessageCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** Read access to a queue's messages by id, in arrival order. */
export interface MessageIndex {
  readonly size: number;
  get(id: string): MessageRecord | undefined;
  values(): IterableIterator<MessageRecord>;
}

/** The in-memory index of one queue (see the module comment). */
export class QueueRuntime {
  readonly fifo: boolean;
  /** Messages by id, in arrival order: a view of the heap entries, so a message costs one map entry, not two. */
  readonly messages: MessageIndex;
  /** FIFO: each group's messages in arrival order. */
  readonly groups = new Map<string, MessageRecord[]>();
  /**
   * FIFO: groups in the order receives visit them. A group a receive took messages from moves
   * to the back, which reproduces the group interleaving AWS shows.
   */
  readonly groupOrder = new Map<string, true>();
  /** FIFO: deduplication key → record, oldest first. */
  readonly dedup = new Map<string, DedupRecord>();
  readonly waiters = new Set<Waiter>();
  /** The clock of the app the waiters belong to; set when the first one registers. */
  clock: Clock | undefined;
  #wakeTimer: TimerId | undefined;
  /** No message expires before this time, so retention sweeps can be skipped until then. */
  nextExpiryMs = 0;
  /** Set when the queue is deleted or purged away under waiting receivers. */
  deleted = false;
  // Messages not yet visible (delayed or in flight), by the time they become visible; and,
  // for standard queues, those that became visible, oldest first. Receives and long-poll
  // wake-ups then cost O(log n) however many messages are in flight.
  #due = new TimerHeap<Due>();
  /** Every message's heap entry by id, in arrival order (in the heap or not). */
  #entries = new Map<string, Due>();
  #ready: Due[] = [];
  #readyHead = 0;

  constructor(fifo: boolean) {
    this.fifo = fifo;
    const entries = this.#entries;
    this.messages = {
      get size() { return entries.size; },
      get: (id) => entries.get(id)?.m,
      *values() { for (const e of entries.values()) yield e.m; },
    };
  }

  add(m: MessageRecord): void {
    this.touch(m);
    if (this.fifo && m.groupId !== undefined) {
      let g = this.groups.get(m.groupId);
      if (g === undefined) this.groups.set(m.groupId, (g = []));
      g.push(m);
      if (!this.groupOrder.has(m.groupId)) this.groupOrder.set(m.groupId, true);
    }
  }

  remove(m: MessageRecord): void {
    const e = this.#entries.get(m.id);
    if (e === undefined) return;
    this.#due.remove(e);
    this.#entries.delete(m.id);
    if (this.fifo && m.groupId !== undefined) {
      const g = this.groups.get(m.groupId);
      if (g === undefined) return;
      const i = g.indexOf(m);
      if (i >= 0) g.splice(i, 1);
      if (g.length === 0) {
        this.groups.delete(m.groupId);
        this.groupOrder.delete(m.groupId);
      }
    }
  }

  clear(): void {
    this.#due.clear();
    this.#entries.clear();
    this.#ready = [];
    this.#readyHead = 0;
    this.groups.clear();
    this.groupOrder.clear();
  }

  /** Re-files a message after its visibility time changed. */
  touch(m: MessageRecord): void {
    let e = this.#entries.get(m.id);
    if (e === undefined) this.#entries.set(m.id, (e = { m, due: 0, seq: m.seq, slot: -1 }));
    else this.#due.remove(e);
    e.m = m;
    e.due = m.visibleAtMs;
    this.#due.push(e);
  }

  /**
   * Standard queues: the next visible message, oldest first by the time it became visible.
   * Each message is handed out once per call sequence until it is touched again.
   */
  nextVisible(now: number): MessageRecord | undefined {
    this.#promote(now);
    while (this.#readyHead < this.#ready.length) {
      const e = this.#ready[this.#readyHead++]!;
      // Stale copies: the message was deleted, or touched (back in the heap) since.
      if (e.slot === -1 && this.#entries.get(e.m.id) === e && e.m.visibleAtMs <= now) return e.m;
    }
    this.#ready = [];
    this.#readyHead = 0;
    return undefined;
  }

  #promote(now: number): void {
    for (let top = this.#due.peek(); top !== undefined && top.due <= now; top = this.#due.peek()) {
      this.#due.pop();
      if (!this.fifo) this.#ready.push(top);
    }
    if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready = this.#ready.slice(this.#readyHead);
      this.#readyHead = 0;
    }
  }

  /** Moves a group to the back of the delivery rotation. */
  rotate(groupId: string): void {
    if (!this.groupOrder.delete(groupId)) return;
    this.groupOrder.set(groupId, true);
  }

  counts(now: number): MessageCounts {
    const c: MessageCounts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const { m } of this.#entries.values()) {
      if (m.visibleAtMs <= now) c.visible++;
      else if (m.receiveCount > 0) c.inFlight++;
      else c.delayed++;
    }
    return c;
  }

  /**
   * Tells waiting receivers that messages may have become available (a send, a visibility
   * change, a delay ending), and re-arms the timer for the next message to become visible.
   * Each waiter removes itself once it got messages or gave up.
   */
  signal(): void {
    if (this.waiters.size > 0) for (const w of [...this.waiters]) w.attempt();
    this.rearm();
  }

  /** Re-arms the wake-up timer for the next message to become visible, while receivers wait. */
  rearm(): void {
    const clock = this.clock;
    if (!clock) return;
    if (this.#wakeTimer !== undefined) clock.clearTimer(this.#wakeTimer);
    this.#wakeTimer = undefined;
    if (this.waiters.size === 0 || this.deleted) return;
    const now = clock.nowMs();
    const next = this.nextVisibleAfter(now);
    if (next === undefined) return;
    this.#wakeTimer = clock.setTimer(() => {
      this.#wakeTimer = undefined;
      this.signal();
    }, next - now);
  }

  /** The earliest time after `now` at which a message becomes visible. */
  nextVisibleAfter(now: number): number | undefined {
    this.#promote(now);
    return this.#due.peek()?.due;
  }

}
