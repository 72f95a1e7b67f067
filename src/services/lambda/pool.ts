/**
 * The concurrency model of one account × region and its execution environments.
 *
 * An invocation is admitted or throttled before anything starts: a function with reserved
 * concurrency may run that many at once (0: never), the others share what the account limit
 * leaves unreserved. Admitted invocations take an idle environment of their version
 * (provisioned ones first, then the most recently used), or start one: a cold start. Idle
 * environments are retired after {@link IDLE_MS} of clock time. Every invocation leaves a
 * record (cold or warm, provisioned, the function's concurrency at its start) to measure.
 */
import type { TimerId } from '../../core/clock.js';
import type { ServiceHost } from '../types.js';
import { invalidParameter, throttled, type ThrottleReason } from './errors.js';
import { Environment } from './environment.js';
import { environmentSpec } from './launch.js';
import { accountLimit, totalReserved, type FunctionRecord, type LambdaState, type VersionConfig } from './store.js';

/** How long an idle environment is kept warm (clock time); `DRYDOCK_LAMBDA_IDLE_SECONDS` overrides. */
export const IDLE_MS = (Number(process.env['DRYDOCK_LAMBDA_IDLE_SECONDS']) || 300) * 1000;
const SWEEP_MS = 15_000;
const MAX_RECORDS = 50_000;

export interface InvocationRecord {
  requestId: string;
  functionName: string;
  version: string;
  atMs: number;
  cold: boolean;
  provisioned: boolean;
  /** Invocations of the function running at its start, itself included. */
  concurrency: number;
  throttled?: ThrottleReason;
  initMs?: number;
  durationMs?: number;
  error?: string;
}

interface Pool {
  idle: Environment[];
  provisionedIdle: Environment[];
  all: Set<Environment>;
  provisioned: Set<Environment>;
  logStreams: Map<Environment, string>;
}

export interface Lease {
  env: Environment;
  cold: boolean;
  provisioned: boolean;
  logStream: string;
  record: InvocationRecord;
  release(): void;
}

export class LambdaRuntime {
  readonly records: InvocationRecord[] = [];
  #host: ServiceHost;
  #pools = new Map<string, Pool>();
  #byFunction = new Map<string, number>();
  #unreserved = 0;
  #reservedSum: number | undefined;
  #sweeper: TimerId | undefined;
  #peak = new Map<string, number>();

  constructor(host: ServiceHost) {
    this.#host = host;
  }

  /** Running invocations of a function now, and the most ever seen. */
  concurrency(fnName: string): { now: number; peak: number } {
    return { now: this.#byFunction.get(fnName) ?? 0, peak: this.#peak.get(fnName) ?? 0 };
  }

  /** Reserved concurrency changed somewhere: the unreserved pool is recomputed on next use. */
  reservationsChanged(): void {
    this.#reservedSum = undefined;
  }

  /** Whether an invocation may start now, or AWS's reason for throttling it. */
  admit(state: LambdaState, fn: FunctionRecord): ThrottleReason | undefined {
    const used = this.#byFunction.get(fn.name) ?? 0;
    if (fn.reserved !== undefined) return used >= fn.reserved ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : undefined;
    this.#reservedSum ??= totalReserved(state);
    return this.#unreserved >= accountLimit(state) - this.#reservedSum ? 'ConcurrentInvocationLimitExceeded' : undefined;
  }

  /** Admits an invocation and gives it an environment (starting one if none is idle). */
  async acquire(state: LambdaState, fn: FunctionRecord, cfg: VersionConfig, requestId: string): Promise<Lease> {
    const atMs = this.#host.clock.nowMs();
    const reason = this.admit(state, fn);
    if (reason !== undefined) {
      this.#remember({ requestId, functionName: fn.name, version: cfg.version, atMs, cold: false, provisioned: false, concurrency: this.#byFunction.get(fn.name) ?? 0, throttled: reason });
      throw throttled(reason);
    }
    const reserved = fn.reserved !== undefined;
    const running = (this.#byFunction.get(fn.name) ?? 0) + 1;
    this.#byFunction.set(fn.name, running);
    if (running > (this.#peak.get(fn.name) ?? 0)) this.#peak.set(fn.name, running);
    if (!reserved) this.#unreserved++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#byFunction.set(fn.name, (this.#byFunction.get(fn.name) ?? 1) - 1);
      if (!reserved) this.#unreserved--;
    };
    const pool = this.#pool(fn.name, cfg);
    let env = pool.provisionedIdle.pop();
    const provisioned = env !== undefined;
    env ??= pool.idle.pop();
    let cold = false;
    if (env === undefined) {
      try {
        env = await this.#start(state, fn.name, cfg, pool, false);
      } catch (e) {
        release();
        throw e;
      }
      cold = true;
    }
    // A literal, like every object made per invocation here: spreading a fresh one costs µs each.
    const record: InvocationRecord = { requestId, functionName: fn.name, version: cfg.version, atMs, cold, provisioned, concurrency: running };
    this.#remember(record);
    const chosen = env;
    return {
      env: chosen, cold, provisioned, logStream: pool.logStreams.get(chosen) ?? '', record,
      release: () => {
        release();
        if (chosen.state !== 'idle') return;
        if (pool.provisioned.has(chosen)) pool.provisionedIdle.push(chosen);
        else pool.idle.push(chosen);
      },
    };
  }

  /** Starts `count` provisioned environments for a version; resolves when all are initialized. */
  async provision(state: LambdaState, fnName: string, cfg: VersionConfig, count: number): Promise<void> {
    const pool = this.#pool(fnName, cfg);
    for (const env of [...pool.provisioned]) { pool.provisioned.delete(env); env.kill(); }
    pool.provisionedIdle.length = 0;
    const started = await Promise.all(Array.from({ length: count }, () => this.#start(state, fnName, cfg, pool, true)));
    for (const env of started) { pool.provisioned.add(env); pool.provisionedIdle.push(env); }
  }

  /** Stops the environments of a function (all versions, or one): after updates and deletes. */
  retire(fnName: string, version?: string): void {
    for (const [key, pool] of this.#pools) {
      if (!key.startsWith(`${fnName}\n`) || (version !== undefined && !key.startsWith(`${fnName}\n${version}\n`))) continue;
      for (const env of pool.all) if (env.state !== 'busy') env.kill();
      this.#pools.delete(key);
    }
  }

  /** Stops every environment (the app is going away). */
  close(): void {
    for (const pool of this.#pools.values()) for (const env of pool.all) env.kill();
    this.#pools.clear();
    if (this.#sweeper !== undefined) this.#host.clock.clearTimer(this.#sweeper);
  }

  #pool(fnName: string, cfg: VersionConfig): Pool {
    const key = `${fnName}\n${cfg.version}\n${cfg.revisionId}`;
    let pool = this.#pools.get(key);
    if (!pool) this.#pools.set(key, pool = { idle: [], provisionedIdle: [], all: new Set(), provisioned: new Set(), logStreams: new Map() });
    return pool;
  }

  async #start(state: LambdaState, fnName: string, cfg: VersionConfig, pool: Pool, provisioned: boolean): Promise<Environment> {
    let made;
    try {
      made = await environmentSpec(this.#host, state, fnName, cfg, { provisioned });
    } catch {
      throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
    }
    const env = new Environment(made.spec);
    pool.all.add(env);
    pool.logStreams.set(env, made.logStream);
    env.onDeath(() => {
      pool.all.delete(env);
      pool.provisioned.delete(env);
      pool.logStreams.delete(env);
      removeFrom(pool.idle, env);
      removeFrom(pool.provisionedIdle, env);
    });
    await env.start();
    if (provisioned) await env.ready;
    this.#sweeper ??= this.#host.clock.setRepeating(() => this.#sweep(), SWEEP_MS);
    return env;
  }

  #sweep(): void {
    const cutoff = this.#host.clock.nowMs() - IDLE_MS;
    for (const pool of this.#pools.values()) {
      for (const env of [...pool.idle]) if (env.lastUsedMs <= cutoff) env.kill();
    }
  }

  #remember(r: InvocationRecord): void {
    if (this.records.length >= MAX_RECORDS) this.records.splice(0, MAX_RECORDS / 10);
    this.records.push(r);
  }
}

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

const runtimes = new WeakMap<LambdaState, LambdaRuntime>();
const hosts = new WeakMap<object, ServiceHost>();

/** Remembers the app a store belongs to (set at install), so work outside a request finds it. */
export function registerHost(host: ServiceHost): void {
  hosts.set(host.stores, host);
}

export function hostOf(stores: object): ServiceHost {
  const host = hosts.get(stores);
  if (!host) throw new Error('lambda is not installed in this app');
  return host;
}

const runtimesOfHost = new WeakMap<ServiceHost, Set<LambdaRuntime>>();

/** The runtime of a state (one per account × region, made on first use). */
export function runtimeOf(state: LambdaState, host: ServiceHost): LambdaRuntime {
  let rt = runtimes.get(state);
  if (!rt) {
    runtimes.set(state, rt = new LambdaRuntime(host));
    let all = runtimesOfHost.get(host);
    if (!all) runtimesOfHost.set(host, all = new Set());
    all.add(rt);
  }
  return rt;
}

/** Stops every execution environment of an app (it is closing). */
export function closeRuntimes(host: ServiceHost): void {
  for (const rt of runtimesOfHost.get(host) ?? []) rt.close();
  runtimesOfHost.delete(host);
}
