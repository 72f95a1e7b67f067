/**
 * The one clock. Every time Drydock reports or schedules comes from a {@link Clock}, so a
 * test or the admin API can freeze, set, advance or speed up time for the whole app, and
 * an hour of visibility timeouts, Wait states or schedules can pass in a millisecond.
 *
 * This is the only module allowed to read the system clock.
 */
import { TimerHeap, type HeapTimer } from './timer-heap.js';

/** What the admin API shows about the clock. */
export interface ClockState {
  /** Clock time, ISO-8601. */
  now: string;
  frozen: boolean;
  /** How many clock milliseconds pass per real millisecond while running. */
  scale: number;
  /** Clock time minus real time, in milliseconds, at the moment of the call. */
  offsetMs: number;
}

/** Handle of a timer scheduled on a {@link Clock}; branded so it cannot be mixed up with a Node timer. */
export type TimerId = number & { readonly __brand: 'TimerId' };

/** A timer callback. A returned promise is not awaited; its rejection goes to `onTimerError`. */
export type TimerFn = () => unknown;

/** Options for a {@link Clock}. */
export interface ClockOptions {
  /** Initial clock time; defaults to real time. */
  start?: Date | string;
  frozen?: boolean;
  scale?: number;
  /** Receives errors thrown by timer callbacks, which must not stop other timers. */
  onTimerError?: (err: unknown) => void;
  /** Source of real time in epoch ms; tests inject a fake one. */
  realNow?: () => number;
}

interface ClockTimer extends HeapTimer {
  id: TimerId;
  fn: TimerFn;
  /** Present for repeating timers. */
  period?: number;
}

// setTimeout overflows above this and fires at once.
const MAX_NODE_DELAY = 2 ** 31 - 1;

/**
 * Real (wall) time. Only for checks that compare with the caller's own clock, such as the
 * SigV4 request-time skew check; everything else uses a {@link Clock}.
 */
export function wallClock(): Date {
  return new Date();
}

/**
 * A clock that runs in real time by default and can be frozen, set, advanced and scaled,
 * with timers whose delays are measured in clock time.
 *
 * Moving the clock forward (advance, or set to a later time) fires every timer that falls
 * due on the way, synchronously and in due-time order; each callback sees `now()` equal to
 * its own due time, and the clock then lands on the target. While running, timers also fire
 * in (scaled) real time. Node timers used for that are unref'd, so a clock never keeps the
 * process alive. Not thread-safe; like everything in Node it is meant for one event loop.
 */
export class Clock {
  #realNow: () => number;
  #onTimerError: (err: unknown) => void;
  // Clock time = base + (real - baseReal) * scale while running; base while frozen.
  #base: number;
  #baseReal: number;
  #frozen: boolean;
  #scale: number;
  // Set while a timer callback runs, so it sees its own due time.
  #pinned: number | undefined;
  #firing = false;
  #timers = new Map<TimerId, ClockTimer>();
  #heap = new TimerHeap<ClockTimer>();
  #nextId = 1;
  #nextSeq = 1;
  #handle: NodeJS.Timeout | undefined;
  #plannedDue: number | undefined;

  constructor(opts: ClockOptions = {}) {
    this.#realNow = opts.realNow ?? Date.now;
    this.#onTimerError = opts.onTimerError ?? ((err) => console.error('drydock: clock timer failed:', err));
    this.#baseReal = this.#realNow();
    this.#base = opts.start === undefined ? this.#baseReal : parseTime(opts.start);
    this.#frozen = opts.frozen ?? false;
    this.#scale = opts.scale === undefined ? 1 : checkScale(opts.scale);
  }

  /** Clock time as a Date. */
  now(): Date {
    return new Date(this.#ms());
  }

  /** Clock time in epoch milliseconds. */
  nowMs(): number {
    return this.#ms();
  }

  state(): ClockState {
    const ms = this.#ms();
    return {
      now: new Date(ms).toISOString(),
      frozen: this.#frozen,
      scale: this.#scale,
      offsetMs: ms - this.#realNow(),
    };
  }

  /** Stops (`true`) or restarts (`false`) the clock at its current time. */
  freeze(on: boolean): ClockState {
    this.#rebase(this.#ms());
    this.#frozen = on;
    this.#plan(true);
    return this.state();
  }

  /**
   * Sets the clock to `t`. Moving forward fires the timers due on the way; moving back
   * fires nothing, and timers keep their absolute due times.
   */
  set(t: Date | string): ClockState {
    const target = parseTime(t);
    if (target >= this.#ms()) this.#moveTo(target);
    else {
      this.#checkNotFiring();
      this.#rebase(target);
      this.#plan(true);
    }
    return this.state();
  }

  /** Moves the clock forward by `seconds` (fractions allowed), firing due timers on the way. */
  advance(seconds: number): ClockState {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError(`seconds to advance must be a finite number >= 0, got \`${seconds}\``);
    }
    this.#moveTo(this.#ms() + Math.round(seconds * 1000));
    return this.state();
  }

  /** From now on the clock runs `x` times as fast as real time (x > 0). */
  setScale(x: number): ClockState {
    const scale = checkScale(x);
    this.#rebase(this.#ms());
    this.#scale = scale;
    this.#plan(true);
    return this.state();
  }

  /** Runs `fn` once `delayMs` of clock time have passed (negative delays count as 0). */
  setTimer(fn: TimerFn, delayMs: number): TimerId {
    return this.#add(fn, checkDelay(delayMs), undefined);
  }

  /** Runs `fn` every `periodMs` of clock time, first after one period. */
  setRepeating(fn: TimerFn, periodMs: number): TimerId {
    if (!Number.isFinite(periodMs) || periodMs <= 0) {
      throw new RangeError(`timer period must be a finite number > 0, got \`${periodMs}\``);
    }
    return this.#add(fn, periodMs, periodMs);
  }

  /** Cancels a timer; unknown or already-fired ids are ignored, as with clearTimeout. */
  clearTimer(id: TimerId): void {
    const t = this.#timers.get(id);
    if (t === undefined) return;
    this.#timers.delete(id);
    this.#heap.remove(t);
    this.#plan(false);
  }

  /** Number of timers still scheduled. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Cancels every timer; for shutting an app down without stray callbacks. */
  close(): void {
    this.#timers.clear();
    this.#heap.clear();
    this.#plan(true);
  }

  #ms(): number {
    if (this.#pinned !== undefined) return this.#pinned;
    if (this.#frozen) return this.#base;
    return this.#base + Math.floor((this.#realNow() - this.#baseReal) * this.#scale);
  }

  #rebase(clockMs: number): void {
    this.#base = clockMs;
    this.#baseReal = this.#realNow();
  }

  #add(fn: TimerFn, delay: number, period: number | undefined): TimerId {
    const id = this.#nextId++ as TimerId;
    const t: ClockTimer = { id, fn, period, due: this.#ms() + delay, seq: this.#nextSeq++, slot: -1 };
    this.#timers.set(id, t);
    this.#heap.push(t);
    this.#plan(false);
    return id;
  }

  #checkNotFiring(): void {
    // Moving the clock from inside a callback would make "now" jump under the loop that is
    // walking the timers in order; no service needs it, so refuse rather than misorder.
    if (this.#firing) throw new Error('the clock cannot be moved from inside a timer callback');
  }

  #moveTo(target: number): void {
    this.#checkNotFiring();
    this.#fireDue(target);
    this.#rebase(target);
    this.#plan(true);
  }

  /** Fires, in order, every timer due at or before `limit`, including ones the callbacks add. */
  #fireDue(limit: number): void {
    this.#firing = true;
    try {
      for (;;) {
        const t = this.#heap.peek();
        if (t === undefined || t.due > limit) break;
        const due = t.due;
        this.#heap.pop();
        // Re-arm before running, so the callback can cancel its own repeating timer.
        if (t.period !== undefined) {
          t.due += t.period;
          t.seq = this.#nextSeq++;
          this.#heap.push(t);
        } else {
          this.#timers.delete(t.id);
        }
        this.#pinned = due;
        this.#run(t.fn);
      }
    } finally {
      this.#pinned = undefined;
      this.#firing = false;
    }
  }

  #run(fn: TimerFn): void {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch(this.#onTimerError);
    } catch (err) {
      this.#onTimerError(err);
    }
  }

  /**
   * Keeps one unref'd Node timer armed for the earliest clock timer. `force` after any
   * change of clock state; otherwise only when the earliest timer changed.
   */
  #plan(force: boolean): void {
    const top = this.#heap.peek();
    const due = this.#frozen || this.#firing ? undefined : top?.due;
    if (!force && due === this.#plannedDue) return;
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#plannedDue = due;
    if (due === undefined) return;
    const realDelay = Math.min(MAX_NODE_DELAY, Math.max(0, Math.ceil((due - this.#ms()) / this.#scale)));
    this.#handle = setTimeout(() => this.#onRealTimeout(), realDelay);
    this.#handle.unref();
  }

  #onRealTimeout(): void {
    this.#handle = undefined;
    this.#plannedDue = undefined;
    this.#fireDue(this.#ms());
    this.#plan(true);
  }
}

function parseTime(t: Date | string): number {
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`invalid time \`${String(t)}\`, expected ISO-8601`);
  return ms;
}

function checkScale(x: number): number {
  if (!Number.isFinite(x) || x <= 0) throw new RangeError(`clock scale must be a finite number > 0, got \`${x}\``);
  return x;
}

function checkDelay(ms: number): number {
  if (Number.isNaN(ms)) throw new RangeError('timer delay must be a number, got `NaN`');
  return Math.max(0, ms);
}
