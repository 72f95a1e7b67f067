/**
 * Retry and Catch: which retrier or catcher an error matches, and how long the next retry
 * waits (IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds, with FULL jitter
 * drawing uniformly below it).
 */
import type { JsonObject } from './json.js';

// Terminal errors: States.ALL and States.TaskFailed never match them.
const TERMINAL = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/** Whether an `ErrorEquals` list matches `error`. */
export function errorMatches(errorEquals: string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === 'States.ALL' && !TERMINAL.has(error)) return true;
    if (name === 'States.TaskFailed' && error !== 'States.Timeout' && !TERMINAL.has(error)) return true;
  }
  return false;
}

/** The index of the first retrier or catcher that matches, or -1. */
export function findHandler(handlers: JsonObject[] | undefined, error: string): number {
  if (!handlers) return -1;
  for (let i = 0; i < handlers.length; i++) {
    if (errorMatches(handlers[i]!['ErrorEquals'] as string[], error)) return i;
  }
  return -1;
}

/** Delay before retry number `attempt` (0-based) in ms, or undefined when attempts are used up. */
export function retryDelayMs(retrier: JsonObject, attempt: number, random: () => number): number | undefined {
  const max = (retrier['MaxAttempts'] as number | undefined) ?? 3;
  if (attempt >= max) return undefined;
  const interval = (retrier['IntervalSeconds'] as number | undefined) ?? 1;
  const rate = (retrier['BackoffRate'] as number | undefined) ?? 2;
  let seconds = interval * Math.pow(rate, attempt);
  const cap = retrier['MaxDelaySeconds'] as number | undefined;
  if (cap !== undefined) seconds = Math.min(seconds, cap);
  if (retrier['JitterStrategy'] === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}
