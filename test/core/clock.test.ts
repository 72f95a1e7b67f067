import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Clock, wallClock, type TimerId } from '../../src/core/clock.js';

const T0 = '2024-01-01T00:00:00.000Z';
const t0 = Date.parse(T0);

/** A clock on fake real time, so scale arithmetic is exact. */
function fakeClock(opts: { frozen?: boolean; scale?: number } = {}) {
  let real = 1_000_000;
  const clock = new Clock({ start: T0, realNow: () => real, ...opts });
  return { clock, tick: (ms: number) => (real += ms) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a frozen clock stands still and advance moves it exactly', () => {
  const { clock, tick } = fakeClock({ frozen: true });
  tick(5000);
  assert.equal(clock.now().toISOString(), T0);
  const s = clock.advance(90.5);
  assert.equal(s.now, '2024-01-01T00:01:30.500Z');
  assert.equal(s.frozen, true);
  assert.equal(clock.nowMs(), t0 + 90_500);
});

test('a running clock follows real time times the scale, and state reports offset', () => {
  const { clock, tick } = fakeClock();
  tick(1000);
  assert.equal(clock.nowMs(), t0 + 1000);
  clock.setScale(3);
  tick(1000);
  assert.equal(clock.nowMs(), t0 + 4000);
  const s = clock.state();
  assert.equal(s.scale, 3);
  assert.equal(s.offsetMs, t0 + 4000 - 1_002_000);
  clock.freeze(true);
  tick(1000);
  assert.equal(clock.nowMs(), t0 + 4000);
  clock.freeze(false);
  tick(10);
  assert.equal(clock.nowMs(), t0 + 4030);
});

test('a default clock runs at real time with no offset', () => {
  const clock = new Clock();
  const s = clock.state();
  assert.ok(Math.abs(s.offsetMs) < 50);
  assert.equal(s.scale, 1);
  assert.equal(s.frozen, false);
  assert.ok(Math.abs(clock.nowMs() - wallClock().getTime()) < 50);
});

test('advance fires due timers in due order, each seeing its due time, then lands on target', () => {
  const { clock } = fakeClock({ frozen: true });
  const seen: [string, string][] = [];
  clock.setTimer(() => seen.push(['c', clock.now().toISOString()]), 30_000);
  clock.setTimer(() => seen.push(['a', clock.now().toISOString()]), 10_000);
  clock.setTimer(() => seen.push(['b', clock.now().toISOString()]), 20_000);
  clock.setTimer(() => seen.push(['late', clock.now().toISOString()]), 120_000);
  clock.advance(60);
  assert.deepEqual(seen, [
    ['a', '2024-01-01T00:00:10.000Z'],
    ['b', '2024-01-01T00:00:20.000Z'],
    ['c', '2024-01-01T00:00:30.000Z'],
  ]);
  assert.equal(clock.state().now, '2024-01-01T00:01:00.000Z');
  assert.equal(clock.pendingTimers, 1);
});

test('timers due at the same instant fire in the order they were set', () => {
  const { clock } = fakeClock({ frozen: true });
  const order: number[] = [];
  for (let i = 0; i < 5; i++) clock.setTimer(() => order.push(i), 1000);
  clock.advance(1);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
});

test('set forward fires timers; set backward fires none and keeps absolute due times', () => {
  const { clock } = fakeClock({ frozen: true });
  let fired = 0;
  clock.setTimer(() => fired++, 3_600_000);
  clock.set('2023-12-31T00:00:00Z');
  assert.equal(fired, 0);
  clock.set(new Date('2024-01-01T00:59:59.999Z'));
  assert.equal(fired, 0);
  clock.set('2024-01-01T01:00:00Z');
  assert.equal(fired, 1);
});

test('timers set by a callback fire in the same advance when due before the target', () => {
  const { clock } = fakeClock({ frozen: true });
  const times: number[] = [];
  const chain = () => {
    times.push(clock.nowMs() - t0);
    if (times.length < 4) clock.setTimer(chain, 1000);
  };
  clock.setTimer(chain, 1000);
  clock.advance(10);
  assert.deepEqual(times, [1000, 2000, 3000, 4000]);
});

test('repeating timers fire every period and can cancel themselves', () => {
  const { clock } = fakeClock({ frozen: true });
  let n = 0;
  const id: TimerId = clock.setRepeating(() => {
    n++;
    if (n === 3600) clock.clearTimer(id);
  }, 1000);
  clock.advance(7200);
  assert.equal(n, 3600);
  assert.equal(clock.pendingTimers, 0);
});

test('clearTimer cancels; unknown ids are ignored', () => {
  const { clock } = fakeClock({ frozen: true });
  let fired = false;
  const id = clock.setTimer(() => (fired = true), 1000);
  clock.clearTimer(id);
  clock.clearTimer(id);
  clock.advance(5);
  assert.equal(fired, false);
});

test('a throwing or rejecting callback is reported and does not stop later timers', async () => {
  const errors: unknown[] = [];
  const clock = new Clock({ start: T0, frozen: true, onTimerError: (e) => errors.push(e) });
  let ran = false;
  clock.setTimer(() => {
    throw new Error('boom');
  }, 1);
  clock.setTimer(() => Promise.reject(new Error('async boom')), 2);
  clock.setTimer(() => (ran = true), 3);
  clock.advance(1);
  assert.equal(ran, true);
  await sleep(0);
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ['boom', 'async boom'],
  );
});

test('moving the clock from inside a callback is refused', () => {
  const errors: unknown[] = [];
  const clock = new Clock({ start: T0, frozen: true, onTimerError: (e) => errors.push(e) });
  clock.setTimer(() => clock.advance(1), 1);
  clock.advance(1);
  assert.match(String(errors[0]), /cannot be moved from inside a timer callback/);
});

test('invalid arguments throw RangeError with the value', () => {
  const clock = new Clock();
  assert.throws(() => clock.setScale(0), /scale must be .* got `0`/);
  assert.throws(() => clock.advance(-1), RangeError);
  assert.throws(() => clock.set('not a time'), /invalid time `not a time`/);
  assert.throws(() => clock.setRepeating(() => {}, 0), RangeError);
  assert.throws(() => clock.setTimer(() => {}, NaN), RangeError);
});

test('a running clock fires timers in real time, each seeing its due time', async () => {
  // Frozen only while arming, so the due time is known exactly.
  const clock = new Clock({ frozen: true });
  const due = clock.nowMs() + 30;
  let seen: { clock: number; wall: number } | undefined;
  clock.setTimer(() => (seen = { clock: clock.nowMs(), wall: wallClock().getTime() }), 30);
  const setAt = wallClock().getTime();
  clock.freeze(false);
  await sleep(150);
  assert.ok(seen, 'fired');
  assert.equal(seen.clock, due);
  // Node may fire a timer up to a millisecond early by Date.now's rounding.
  assert.ok(seen.wall >= setAt + 28, `fired ${seen.wall - setAt} ms after being set`);
  clock.close();
});

test('a scaled clock fires in scaled real time, re-planned when the scale changes', async () => {
  const clock = new Clock();
  let fired = false;
  clock.setTimer(() => (fired = true), 60_000);
  await sleep(30);
  assert.equal(fired, false);
  clock.setScale(10_000); // the remaining minute now takes ~6 ms
  await sleep(80);
  assert.equal(fired, true);
  clock.close();
});

test('a frozen clock does not fire in real time until unfrozen', async () => {
  const clock = new Clock();
  let fired = false;
  clock.setTimer(() => (fired = true), 20);
  clock.freeze(true);
  await sleep(60);
  assert.equal(fired, false);
  clock.freeze(false);
  await sleep(60);
  assert.equal(fired, true);
  clock.close();
});

test('close cancels every timer', async () => {
  const clock = new Clock();
  let fired = false;
  clock.setTimer(() => (fired = true), 10);
  clock.close();
  await sleep(40);
  assert.equal(fired, false);
  assert.equal(clock.pendingTimers, 0);
});

test('clock timers do not keep the process alive', () => {
  const fixture = fileURLToPath(new URL('./fixtures/clock-unref.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'armed');
});

test('property: advance fires exactly the live timers due by the target, in (due, set-order) order', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ delay: fc.integer({ min: 0, max: 100 }), cancel: fc.boolean() }), { maxLength: 60 }),
      fc.integer({ min: 0, max: 120 }),
      (specs, target) => {
        const { clock } = fakeClock({ frozen: true });
        const fired: number[] = [];
        const ids = specs.map((s, i) => clock.setTimer(() => fired.push(i), s.delay));
        specs.forEach((s, i) => s.cancel && clock.clearTimer(ids[i]!));
        clock.advance(target / 1000);
        const expected = specs
          .map((s, i) => ({ ...s, i }))
          .filter((s) => !s.cancel && s.delay <= target)
          .sort((a, b) => a.delay - b.delay || a.i - b.i)
          .map((s) => s.i);
        assert.deepEqual(fired, expected);
        assert.equal(clock.pendingTimers, specs.filter((s) => !s.cancel && s.delay > target).length);
      },
    ),
  );
});
