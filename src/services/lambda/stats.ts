/**
 * What Drydock measured about a function's invocations, for rehearsals such as the thundering
 * herd: served on the Lambda front door at
 * `http://stats.lambda-url.<region>.<domain>/<account>/<function>?since=<epoch ms>`
 * (AWS shows the same facts as CloudWatch metrics: Invocations, Throttles, ConcurrentExecutions).
 */
import type { ServiceHost } from '../types.js';
import { hostOf, runtimeOf } from './pool.js';
import { lambdaState } from './store.js';

export interface FunctionStats {
  /** The clock now, to pass back as `since` for a later window. */
  now: number;
  invocations: number;
  throttles: number;
  throttleReasons: Record<string, number>;
  coldStarts: number;
  provisioned: number;
  errors: number;
  /** The most invocations of the function running at once, in the window. */
  peakConcurrency: number;
}

export function functionStats(host: ServiceHost, account: string, region: string, fnName: string, sinceMs = 0): FunctionStats {
  const state = lambdaState(host.stores, account, region);
  const rt = runtimeOf(state, hostOf(host.stores));
  const s: FunctionStats = { now: host.clock.nowMs(), invocations: 0, throttles: 0, throttleReasons: {}, coldStarts: 0, provisioned: 0, errors: 0, peakConcurrency: 0 };
  for (const r of rt.records) {
    if (r.functionName !== fnName || r.atMs < sinceMs) continue;
    if (r.throttled) {
      s.throttles++;
      s.throttleReasons[r.throttled] = (s.throttleReasons[r.throttled] ?? 0) + 1;
      continue;
    }
    s.invocations++;
    if (r.cold) s.coldStarts++;
    if (r.provisioned) s.provisioned++;
    if (r.error) s.errors++;
    s.peakConcurrency = Math.max(s.peakConcurrency, r.concurrency);
  }
  return s;
}
