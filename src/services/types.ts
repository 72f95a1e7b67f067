import type { Clock } from '../core/clock.js';
import type { EventBus } from '../core/event-bus.js';
import type { FaultRegistry } from '../core/faults.js';
import type { Identities, Principal } from '../core/identity.js';
import type { Meter } from '../core/meter.js';
import type { Ports } from '../core/ports.js';
import type { Stores } from '../core/store.js';
import type { InternalCall } from '../gateway/internal-call.js';
import type { AppRequest, AppResponse } from '../gateway/context.js';

/** What a handler may use: who is calling, where, and the core facilities. */
export interface ServiceContext {
  requestId: string;
  service: string;
  operation: string;
  account: string;
  region: string;
  principal: Principal;
  accessKeyId?: string;
  sourceIp: string;
  /** The endpoint clients reach Drydock at (for URLs in responses such as queue URLs). */
  endpoint: string;
  clock: Clock;
  stores: Stores;
  meter: Meter;
  bus: EventBus;
  faults: FaultRegistry;
  identities: Identities;
  ports: Ports;
  /**
   * Makes another AWS call in-process, authorized and audited. Without a `principal` it is made
   * as this request's caller (its principal, access key, region and source address).
   */
  call(c: CallerCall): Promise<Record<string, unknown>>;
}

/** An in-process call whose principal and region default to the current caller's. */
export type CallerCall = Omit<InternalCall, 'principal' | 'region'> & Partial<Pick<InternalCall, 'principal' | 'region'>>;

/** What a service may hook into once, when it loads (e.g. to fill a port). */
export interface ServiceHost {
  clock: Clock;
  stores: Stores;
  bus: EventBus;
  identities: Identities;
  ports: Ports;
  meter: Meter;
  /** Makes an AWS call in-process on some principal's behalf, authorized and audited. */
  call(c: InternalCall): Promise<Record<string, unknown>>;
  /** Where clients reach Drydock (for endpoints handed to function code and URLs). */
  endpoint: string;
  faults: FaultRegistry;
  /** Runs `fn` when the app closes (stop child processes, sockets, timers outside the clock). */
  onClose(fn: () => void): void;
  /** Loads another service into this app (so it fills its ports) without importing it. */
  service(name: string): Promise<unknown>;
  /**
   * For front doors that take SigV4 (function URLs and API Gateway with AWS_IAM): verifies the
   * request's signature as `check.service` and decides `check.action` on `check.resource` with
   * the IAM engine (identity policies, the resource's policy, `check.context` condition keys).
   */
  authorizeRequest(http: AppRequest, check: FrontDoorCheck): Promise<FrontDoorAuth>;
}

export interface FrontDoorCheck {
  /** The signing name the credential scope must carry (`lambda`, `execute-api`). */
  service: string;
  action: string;
  resource: string;
  context?: Record<string, string>;
}

/** The caller, or why not: `unsigned` (no SigV4), `signature` (bad or unknown), `denied` (IAM said no). */
export type FrontDoorAuth =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'unsigned' | 'signature' | 'denied'; code: string; message: string };

/** A handler reads typed input (as parsed from the model) and returns typed output. */
export type Handler = (input: Record<string, unknown>, ctx: ServiceContext) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** A service: its model name and the operations it implements; the rest answer not-implemented. */
export interface ServiceDefinition {
  name: string;
  handlers: Record<string, Handler>;
  /** Called once per app when the service loads, before its first request. */
  install?(host: ServiceHost): void;
  /**
   * Answers HTTP requests that are not AWS API calls but the service's own data plane
   * (API Gateway invoke URLs, Lambda function URLs). The registry says which requests are
   * offered here (see `FRONT_DOORS`); `undefined` passes the request on.
   */
  frontDoor?(http: AppRequest, host: ServiceHost): Promise<AppResponse | undefined>;
}
