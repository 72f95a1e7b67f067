import { AuditLog } from '../core/audit.js';
import { Clock } from '../core/clock.js';
import { AwsError, asAwsError } from '../core/errors.js';
import { EventBus } from '../core/event-bus.js';
import { FaultRegistry } from '../core/faults.js';
import { Identities } from '../core/identity.js';
import { requestId } from '../core/ids.js';
import { Meter } from '../core/meter.js';
import { Persistence } from '../core/persistence.js';
import { Ports } from '../core/ports.js';
import { Stores } from '../core/store.js';
import type { ResponseContext, WireResponse } from '../protocols/protocol.js';
import { FRONT_DOORS, implementedServices, serviceDefinition } from '../services/registry.js';
import type { FrontDoorAuth, FrontDoorCheck, ServiceDefinition } from '../services/types.js';
import { handleAdmin } from './admin.js';
import { ExplanationLog } from './explanations.js';
import type { AppRequest, AppResponse, RequestContext } from './context.js';
import { newRequestContext } from './context.js';
import { FINALLY, PIPELINE, runSteps } from './pipeline.js';
import type { InternalCall } from './internal-call.js';
import { callInternally } from './internal-call.js';
import { authorizeFrontDoor } from './front-door-auth.js';

/** Every admin route (`/_drydock/`, `/_localstack/`, `/moto-api/`) starts so; other URLs skip the admin router. */
const ADMIN_PREFIX = /^\/(?:_|moto-api\/)/;

export interface DrydockOptions {
  /** Where clients reach this instance, used in URLs Drydock hands out (queue URLs, …). */
  endpoint?: string;
  /** Directory for durable state; without it state lives in memory only. */
  dataDir?: string;
  clock?: Clock;
}

/**
 * The app core: `(request) => Promise<response>`. The HTTP server, the embedded test helper
 * and in-process tests are thin adapters around `handle`.
 */
export class Drydock {
  readonly clock: Clock;
  readonly stores: Stores;
  readonly faults: FaultRegistry;
  readonly audit: AuditLog;
  readonly meter: Meter;
  readonly bus = new EventBus();
  readonly identities = new Identities();
  readonly ports = new Ports();
  readonly explanations = new ExplanationLog();
  readonly #installed = new Map<string, Promise<ServiceDefinition | undefined>>();
  /** Services whose install has finished (null: modelled only), for the synchronous path. */
  readonly #ready = new Map<string, ServiceDefinition | null>();
  readonly startedAt: Date;
  endpoint: string;
  ready = false;

  private constructor(opts: DrydockOptions, persistence: Persistence | undefined) {
    this.clock = opts.clock ?? new Clock();
    this.stores = new Stores({ persistence });
    this.faults = new FaultRegistry(this.clock);
    this.audit = new AuditLog(this.clock);
    this.meter = new Meter(this.clock);
    this.endpoint = opts.endpoint ?? 'http://localhost:4566';
    this.startedAt = this.clock.now();
  }

  static async create(opts: DrydockOptions = {}): Promise<Drydock> {
    const persistence = opts.dataDir ? await Persistence.open(opts.dataDir) : undefined;
    return new Drydock(opts, persistence);
  }

  /** A service's definition, installed into this app on first use (undefined: modelled only). */
  service(name: string): Promise<ServiceDefinition | undefined> {
    let p = this.#installed.get(name);
    if (!p) {
      p = serviceDefinition(name).then((def) => {
        def?.install?.(this);
        this.#ready.set(name, def ?? null);
        return def;
      });
      this.#installed.set(name, p);
    }
    return p;
  }

  /**
   * Installs every service that has durable state, so what it scheduled before a restart
   * (schedules, delayed messages, key deletions, executions, TTL sweeps) runs on the clock
   * again without waiting for someone to call it. A no-op without a data directory.
   */
  async resumeStoredServices(): Promise<string[]> {
    const names = this.stores.services().filter((n) => implementedServices().includes(n));
    await Promise.all(names.map((n) => this.service(n)));
    return names;
  }

  /**
   * A service's definition if it is already installed (null: modelled only), else undefined:
   * the request path then takes it without waiting on a promise.
   */
  installedService(name: string): ServiceDefinition | null | undefined {
    return this.#ready.get(name);
  }

  /** SigV4 and IAM for a front door's request (function URLs, API Gateway with AWS_IAM). */
  authorizeRequest(http: AppRequest, check: FrontDoorCheck): Promise<FrontDoorAuth> {
    return authorizeFrontDoor(this, http, check);
  }

  /** An AWS API call made inside Drydock on a principal's behalf, authorized and audited. */
  call(c: InternalCall): Promise<Record<string, unknown>> {
    return callInternally(this, c);
  }

  /** Answers one HTTP request: admin routes first, then front doors, then the AWS pipeline. */
  handle(http: AppRequest): Promise<AppResponse> {
    const r = this.answer(http);
    return r instanceof Promise ? r : Promise.resolve(r);
  }

  /**
   * {@link handle} without a promise for a request answered without waiting (most are): the
   * HTTP adapter then writes the response in the same turn, as a plain `node:http` handler does.
   */
  answer(http: AppRequest): AppResponse | Promise<AppResponse> {
    if (ADMIN_PREFIX.test(http.url)) return this.#admin(http);
    for (const door of FRONT_DOORS) if (door.claims(http.method, http.url, http.headers)) return this.#frontDoors(http);
    return this.#pipeline(http);
  }

  async #admin(http: AppRequest): Promise<AppResponse> {
    return (await handleAdmin(this, http)) ?? this.#frontDoors(http);
  }

  async #frontDoors(http: AppRequest): Promise<AppResponse> {
    for (const door of FRONT_DOORS) {
      if (!door.claims(http.method, http.url, http.headers)) continue;
      const def = await this.service(door.service);
      const answer = await def?.frontDoor?.(http, this).catch((e: unknown) => this.#frontDoorError(e));
      if (answer) return answer;
    }
    return this.#pipeline(http);
  }

  #pipeline(http: AppRequest): AppResponse | Promise<AppResponse> {
    const ctx = newRequestContext(http, requestId(), this.clock.now());
    const pending = runSteps(PIPELINE, ctx, this);
    return pending ? pending.then(() => this.#closing(ctx, 0)) : this.#closing(ctx, 0);
  }

  /** The steps that always run (serialize, CORS headers, audit) from `from` on; a failing one leaves a fallback answer. */
  #closing(ctx: RequestContext, from: number): AppResponse | Promise<AppResponse> {
    for (let i = from; i < FINALLY.length; i++) {
      let r: void | Promise<void>;
      try {
        r = FINALLY[i]![1](ctx, this);
      } catch (e) {
        this.#closingFailed(ctx, e);
        continue;
      }
      if (r) return r.then(() => this.#closing(ctx, i + 1), (e: unknown) => { this.#closingFailed(ctx, e); return this.#closing(ctx, i + 1); });
    }
    return ctx.response!;
  }

  #closingFailed(ctx: RequestContext, e: unknown): void {
    ctx.error = asAwsError(e);
    ctx.response = this.fallbackError(ctx.error, { requestId: ctx.requestId, method: ctx.http.method });
  }

  #frontDoorError(e: unknown): AppResponse {
    const err = asAwsError(e);
    return { status: err.status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code }, body: JSON.stringify({ message: err.message }) };
  }

  /** An error for a request no service claimed: JSON, which every AWS client can read. */
  fallbackError(err: AwsError, rc: ResponseContext): WireResponse {
    return {
      status: err.status,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': rc.requestId, 'x-amzn-errortype': err.code },
      body: JSON.stringify({ __type: err.code, message: err.message }),
    };
  }

  /** Stops timers and closes the data directory. */
  close(): void {
    for (const fn of this.#closeHooks.splice(0)) {
      try { fn(); } catch (e) { console.error('drydock: a close hook failed:', e); }
    }
    this.clock.close();
    this.stores.close();
  }

  readonly #closeHooks: (() => void)[] = [];

  /** Runs `fn` when the app closes (services stop their child processes and sockets). */
  onClose(fn: () => void): void {
    this.#closeHooks.push(fn);
  }

  /** Drops all state, or one service's. */
  reset(service?: string): void {
    this.stores.reset(service);
    // Keys made by IAM (AKIA…) and sessions made by STS (ASIA…) go with their service's state.
    if (service === 'iam') this.identities.clear((r) => r.accessKeyId.startsWith('AKIA'));
    if (service === 'sts') this.identities.clear((r) => r.accessKeyId.startsWith('ASIA'));
    if (!service) {
      this.faults.clear();
      this.audit.reset();
      this.meter.reset();
      this.identities.clear();
      this.explanations.clear();
    }
  }
}
