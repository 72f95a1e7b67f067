/**
 * Running executions of one app: each runs the States Language engine with a host wired to
 * the app clock and to in-process AWS calls, writes its history into the execution record,
 * and can be stopped. Task tokens (`.waitForTaskToken`, activities) and waiters for `.sync`
 * and StartSyncExecution live here, in memory: a restart does not resume running executions.
 */
import { randomUUID } from 'node:crypto';
import { Cancellation, History, type HistoryEvent } from '../../engines/states/history.js';
import { runExecution } from '../../engines/states/execution.js';
import { ExecutionStopped, StatesError, type Json, type JsonObject } from '../../engines/states/json.js';
import type { EngineHost, TaskRequest } from '../../engines/states/types.js';
import type { Stores } from '../../core/store.js';
import type { ServiceHost } from '../types.js';
import { runIntegration } from './integrations.js';
import { sfnState, type ExecutionRecord } from './store.js';
import { mapRunHost } from './map-runs.js';

/** A task waiting for SendTaskSuccess / SendTaskFailure. */
export interface TokenWait {
  account: string;
  region: string;
  executionArn: string;
  resolve(output: Json): void;
  reject(e: StatesError): void;
  heartbeat(): void;
  /** Activities: the input a worker receives from GetActivityTask, and the activity it waits on. */
  activityArn?: string;
  input?: string;
  started?(worker: string): void;
}

export class SfnRuntime {
  readonly host: ServiceHost;
  readonly running = new Map<string, Cancellation>();
  readonly tokens = new Map<string, TokenWait>();
  readonly #done = new Map<string, ((r: ExecutionRecord) => void)[]>();
  /** Activity tasks not yet handed to a worker, per activity ARN. */
  readonly activityQueue = new Map<string, string[]>();
  readonly activityPollers = new Map<string, ((token: string | undefined) => void)[]>();

  constructor(host: ServiceHost) {
    this.host = host;
  }

  /** Resolves when the execution reaches a terminal status. */
  whenDone(arn: string, rec: ExecutionRecord): Promise<ExecutionRecord> {
    if (rec.status !== 'RUNNING') return Promise.resolve(rec);
    return new Promise((resolve) => {
      const list = this.#done.get(arn) ?? [];
      list.push(resolve);
      this.#done.set(arn, list);
    });
  }

  /** Starts (or, for a redrive, continues) the execution in the background. */
  launch(account: string, region: string, rec: ExecutionRecord, opts: { redrive?: boolean; resume?: boolean } = {}): void {
    const state = sfnState(this.host.stores, account, region);
    const persist = rec.type === 'STANDARD';
    const cancel = new Cancellation();
    this.running.set(rec.arn, cancel);
    let dirty = false;
    const flush = (): void => { dirty = false; if (persist && state.executions.get(rec.arn) === rec) state.executions.set(rec.arn, rec); };
    const history = new History(() => this.host.clock.nowMs(), (e: HistoryEvent) => {
      if (persist) rec.events.push(e);
      if (e.type.endsWith('StateEntered') && rec.type === 'STANDARD') this.#meter(account, region, rec.machineArn);
      if (!dirty) { dirty = true; queueMicrotask(flush); }
    }, opts.redrive || opts.resume ? rec.events.slice() : []);
    const definition = JSON.parse(rec.definition) as JsonObject;
    let input = JSON.parse(rec.input) as Json;
    let startAt: string | undefined;
    if (opts.redrive || opts.resume) {
      // A redrive (or a resume after a restart) restarts the top-level state that did not finish, with the input it had.
      const top = definition['States'] as JsonObject;
      const entered = [...history.events].reverse().find((e) => e.type.endsWith('StateEntered') && String(e.state) in top);
      if (entered) {
        startAt = entered.state!;
        input = entered.data as Json;
      }
      if (opts.redrive) history.emit({ last: history.lastId }, 'ExecutionRedriven', { redriveCount: rec.redriveCount });
    }
    const machineName = rec.machineArn.split(':')[6]!;
    const context: JsonObject = {
      Execution: { Id: rec.arn, Input: JSON.parse(rec.input) as Json, Name: rec.name, RoleArn: rec.roleArn, StartTime: new Date(rec.startDate).toISOString(), RedriveCount: rec.redriveCount },
      StateMachine: { Id: rec.versionArn ?? rec.machineArn, Name: machineName },
    };
    const engineHost = this.engineHost(account, region, rec);
    void runExecution({ definition, input, host: engineHost, history, context, cancel, roleArn: rec.roleArn, started: opts.redrive || opts.resume, startAt }).then((r) => {
      this.running.delete(rec.arn);
      if (r.status !== 'ABORTED') {
        rec.status = r.status;
        rec.stopDate = this.host.clock.nowMs();
        if (r.output !== undefined) rec.output = JSON.stringify(r.output);
        if (r.error !== undefined) rec.error = r.error;
        if (r.cause !== undefined) rec.cause = r.cause;
      }
      if (rec.type === 'EXPRESS') {
        state.executions.delete(rec.arn);
        this.#meterExpress(account, region, rec);
      } else flush();
      this.#finish(rec);
    });
  }

  resumeAll(): void {
    for (const { account, region } of this.host.stores.accountsRegions('sfn')) {
      const state = sfnState(this.host.stores, account, region);
      for (const rec of state.executions.values()) {
        if (rec.status === 'RUNNING' && rec.type === 'STANDARD' && !this.running.has(rec.arn)) this.launch(account, region, rec, { resume: true });
      }
    }
  }

  /** Stops a running execution: ExecutionAborted, status ABORTED. */
  stop(account: string, region: string, rec: ExecutionRecord, error?: string, cause?: string): void {
    const now = this.host.clock.nowMs();
    this.running.get(rec.arn)?.cancel();
    this.running.delete(rec.arn);
    for (const [token, w] of this.tokens) if (w.executionArn === rec.arn) this.tokens.delete(token);
    const details: JsonObject = {};
    if (error !== undefined) details['error'] = error;
    if (cause !== undefined) details['cause'] = cause;
    rec.events.push({ id: rec.events.length + 1, previousEventId: 0, timestamp: now, type: 'ExecutionAborted', details });
    rec.status = 'ABORTED';
    rec.stopDate = now;
    if (error !== undefined) rec.error = error;
    if (cause !== undefined) rec.cause = cause;
    const state = sfnState(this.host.stores, account, region);
    if (rec.type === 'EXPRESS') state.executions.delete(rec.arn); else state.executions.set(rec.arn, rec);
    this.#finish(rec);
  }

  #finish(rec: ExecutionRecord): void {
    const list = this.#done.get(rec.arn) ?? [];
    this.#done.delete(rec.arn);
    for (const f of list) f(rec);
  }

  #meter(account: string, region: string, machineArn: string): void {
    this.host.meter.record({ account, region, service: 'states', usageType: 'StateTransition', operation: 'StateTransition', resourceId: machineArn, quantity: 1, unit: 'Transitions' });
  }

  // Express workflows are billed per request and per GB-second (64 MB, in 100 ms steps).
  #meterExpress(account: string, region: string, rec: ExecutionRecord): void {
    const base = { account, region, service: 'states', resourceId: rec.machineArn, operation: 'StartExecution' };
    const ms = Math.max(100, Math.ceil(((rec.stopDate ?? rec.startDate) - rec.startDate) / 100) * 100);
    this.host.meter.record({ ...base, usageType: 'ExpressRequest', quantity: 1, unit: 'Requests' });
    this.host.meter.record({ ...base, usageType: 'ExpressDuration', quantity: (ms / 1000) * (64 / 1024), unit: 'GB-Seconds' });
  }

  engineHost(account: string, region: string, rec: ExecutionRecord): EngineHost {
    const clock = this.host.clock;
    return {
      region,
      now: () => clock.nowMs(),
      random: () => Math.random(),
      uuid: () => randomUUID(),
      sleep: (ms, cancel) => new Promise<void>((resolve, reject) => {
        const id = clock.setTimer(() => { off(); resolve(); }, ms);
        const off = cancel.onCancel(() => { clock.clearTimer(id); reject(new ExecutionStopped()); });
      }),
      runTask: (req: TaskRequest) => runIntegration(this, { account, region, execution: rec }, req),
      mapRuns: mapRunHost(this.host, account, region, rec.arn),
    };
  }
}

const runtimes = new WeakMap<Stores, SfnRuntime>();

export function installRuntime(host: ServiceHost): SfnRuntime {
  let r = runtimes.get(host.stores);
  if (!r) {
    const rt = new SfnRuntime(host);
    runtimes.set(host.stores, rt);
    r = rt;
    // Executions a data directory kept as RUNNING go on from the state they were in (a task
    // waiting for a token is called again: tokens do not survive a restart).
    host.clock.setTimer(() => rt.resumeAll(), 0);
  }
  return r;
}

export function runtimeOf(stores: Stores): SfnRuntime {
  const r = runtimes.get(stores);
  if (!r) throw new Error('sfn runtime not installed');
  return r;
}
