/**
 * Injected faults: region and AZ outages, Direct Connect links down, added latency and
 * error rates. The admin API adds them from JSON; the gateway asks {@link FaultRegistry.check}
 * before dispatching a request, and engines ask `azDown`, `regionDown` and `linkDown` when
 * they decide health checks, failover and replication.
 */
import type { Clock } from './clock.js';

/** Requests to `region` (optionally only these services) fail as unreachable. */
export interface RegionOutageSpec {
  type: 'region-outage';
  region: string;
  services?: string[];
  until?: string;
}

/** An availability zone is down; engines query {@link FaultRegistry.azDown}. */
export interface AzOutageSpec {
  type: 'az-outage';
  region: string;
  az: string;
  until?: string;
}

/** Adds `ms` of latency to matching requests. */
export interface LatencySpec {
  type: 'latency';
  ms: number;
  service?: string;
  region?: string;
  operation?: string;
  until?: string;
}

/** Fails a fraction `rate` (0..1) of matching requests with an AWS error. */
export interface ErrorRateSpec {
  type: 'error-rate';
  rate: number;
  /** AWS error code; default `ServiceUnavailable`. */
  code?: string;
  /** HTTP status; defaults by code (throttling 400, InternalFailure 500, otherwise 503). */
  status?: number;
  message?: string;
  service?: string;
  region?: string;
  operation?: string;
  until?: string;
}

/** A Direct Connect connection is down; engines query {@link FaultRegistry.linkDown}. */
export interface DxLinkDownSpec {
  type: 'dx-link-down';
  connectionId: string;
  until?: string;
}

/** A fault as the admin API receives it. `until` (ISO-8601) ends it on the clock. */
export type FaultSpec = RegionOutageSpec | AzOutageSpec | LatencySpec | ErrorRateSpec | DxLinkDownSpec;

/** An active fault: its spec with defaults filled in, and the id to remove it by. */
export type Fault = FaultSpec & { id: string };

/** What a request runs into. The gateway waits `latencyMs`, then fails with `unavailable` or `error` if set. */
export interface FaultEffect {
  latencyMs?: number;
  unavailable?: { reason: string; faultId: string };
  error?: { code: string; status: number; message: string; faultId: string };
}

/** The request a fault check is about. */
export interface FaultTarget {
  service: string;
  region: string;
  operation?: string;
  az?: string;
}

/** Thrown by {@link FaultRegistry.add} for a spec that is not valid; the message says which field and why. */
export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

/** Options for a {@link FaultRegistry}. */
export interface FaultRegistryOptions {
  /** Seed for error-rate draws, so tests are deterministic. */
  seed?: number;
  /** Source of uniform numbers in [0, 1); overrides `seed`. */
  random?: () => number;
}

const DEFAULT_MESSAGES: Record<string, string> = {
  ServiceUnavailable: 'The request has failed due to a temporary failure of the server.',
  InternalFailure: 'The request processing has failed because of an unknown error, exception or failure.',
  InternalServerError: 'The request processing has failed because of an unknown error, exception or failure.',
  ThrottlingException: 'Rate exceeded',
  Throttling: 'Rate exceeded',
  RequestLimitExceeded: 'Request limit exceeded.',
};

/** The active faults of one app. Expired faults (past `until` on the clock) drop out on their own. */
export class FaultRegistry {
  #clock: Clock;
  #random: () => number;
  #faults: Fault[] = [];
  // Parsed once: check() runs on every request.
  #untilMs = new Map<string, number>();
  #nextId = 1;

  constructor(clock: Clock, opts: FaultRegistryOptions = {}) {
    this.#clock = clock;
    this.#random = opts.random ?? (opts.seed === undefined ? Math.random : mulberry32(opts.seed));
  }

  /** Validates `spec` (JSON as received) and activates it; throws {@link FaultSpecError} if invalid. */
  add(spec: unknown): Fault {
    const fault = { ...parseFaultSpec(spec), id: `fault-${this.#nextId++}` } as Fault;
    this.#faults.push(fault);
    if (fault.until !== undefined) this.#untilMs.set(fault.id, Date.parse(fault.until));
    return structuredClone(fault);
  }

  /** Active faults, oldest first. */
  list(): Fault[] {
    return this.#active().map((f) => structuredClone(f));
  }

  remove(id: string): boolean {
    const n = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    this.#untilMs.delete(id);
    return this.#faults.length < n;
  }

  clear(): void {
    this.#faults = [];
    this.#untilMs.clear();
  }

  /** The effect of the active faults on one request, or `undefined` if none applies. */
  check(target: FaultTarget): FaultEffect | undefined {
    const effect: FaultEffect = {};
    const active = this.#active();
    for (const f of active) {
      if (effect.unavailable !== undefined) break;
      if (f.type === 'region-outage' && f.region === target.region && (f.services?.includes(target.service) ?? true)) {
        effect.unavailable = { reason: `region \`${f.region}\` is unreachable`, faultId: f.id };
      } else if (f.type === 'az-outage' && f.region === target.region && f.az === target.az) {
        effect.unavailable = { reason: `availability zone \`${f.az}\` is down`, faultId: f.id };
      }
    }
    for (const f of active) {
      if (f.type === 'latency' && matches(f, target)) effect.latencyMs = (effect.latencyMs ?? 0) + f.ms;
    }
    if (effect.unavailable === undefined) {
      for (const f of active) {
        if (f.type !== 'error-rate' || !matches(f, target)) continue;
        if (this.#random() < f.rate) {
          effect.error = { code: f.code!, status: f.status!, message: f.message!, faultId: f.id };
          break;
        }
      }
    }
    return Object.keys(effect).length === 0 ? undefined : effect;
  }

  /** True while a region outage covers `region` (for `service`, if given). */
  regionDown(region: string, service?: string): boolean {
    return this.#active().some(
      (f) =>
        f.type === 'region-outage' &&
        f.region === region &&
        (f.services === undefined || service === undefined || f.services.includes(service)),
    );
  }

  /** True while an AZ outage covers `az` in `region`. */
  azDown(region: string, az: string): boolean {
    return this.#active().some((f) => f.type === 'az-outage' && f.region === region && f.az === az);
  }

  /** True while the Direct Connect connection `connectionId` is down. */
  linkDown(connectionId: string): boolean {
    return this.#active().some((f) => f.type === 'dx-link-down' && f.connectionId === connectionId);
  }

  #active(): Fault[] {
    if (this.#untilMs.size === 0) return this.#faults;
    const now = this.#clock.nowMs();
    for (const [id, until] of this.#untilMs) if (until <= now) this.remove(id);
    return this.#faults;
  }
}

function matches(f: { service?: string; region?: string; operation?: string }, t: FaultTarget): boolean {
  return (
    (f.service === undefined || f.service === t.service) &&
    (f.region === undefined || f.region === t.region) &&
    (f.operation === undefined || f.operation === t.operation)
  );
}

type Check = (v: unknown) => string | undefined;

const nonEmpty: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string');
const region: Check = (v) =>
  typeof v === 'string' && /^[a-z]{2}(-[a-z0-9]+)+$/.test(v) ? undefined : 'must be a region name such as `us-east-1`';
const names: Check = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((s) => nonEmpty(s) === undefined)
    ? undefined
    : 'must be a non-empty list of service names';
const isoTime: Check = (v) =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? undefined : 'must be an ISO-8601 time';
const ms: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'must be a number of milliseconds >= 0';
const rate: Check = (v) =>
  typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'must be a number from 0 to 1';
const code: Check = (v) =>
  typeof v === 'string' && /^[A-Za-z][A-Za-z0-9.]*$/.test(v) ? undefined : 'must be an AWS error code such as `ThrottlingException`';
const status: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 400 && (v as number) <= 599 ? undefined : 'must be an HTTP status from 400 to 599';
const text: Check = (v) => (typeof v === 'string' ? undefined : 'must be a string');

// Per type: field → [check, required]. `type` and `until` are common to all.
const FIELDS: Record<FaultSpec['type'], Record<string, [Check, boolean]>> = {
  'region-outage': { region: [region, true], services: [names, false] },
  'az-outage': { region: [region, true], az: [nonEmpty, true] },
  latency: { ms: [ms, true], service: [nonEmpty, false], region: [region, false], operation: [nonEmpty, false] },
  'error-rate': {
    rate: [rate, true],
    code: [code, false],
    status: [status, false],
    message: [text, false],
    service: [nonEmpty, false],
    region: [region, false],
    operation: [nonEmpty, false],
  },
  'dx-link-down': { connectionId: [nonEmpty, true] },
};

/** Validates a fault spec received as JSON and fills in defaults; throws {@link FaultSpecError}. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new FaultSpecError('a fault must be a JSON object');
  }
  const spec = input as Record<string, unknown>;
  const types = Object.keys(FIELDS);
  if (typeof spec.type !== 'string' || !types.includes(spec.type)) {
    throw new FaultSpecError(`fault \`type\` must be one of ${types.map((t) => `\`${t}\``).join(', ')}, got \`${show(spec.type)}\``);
  }
  const type = spec.type as FaultSpec['type'];
  const fields = FIELDS[type];
  for (const [name, value] of Object.entries(spec)) {
    if (name === 'type') continue;
    const check = name === 'until' ? isoTime : fields[name]?.[0];
    if (check === undefined) throw new FaultSpecError(`unknown field \`${name}\` for a \`${type}\` fault`);
    const why = check(value);
    if (why !== undefined) throw new FaultSpecError(`\`${name}\` ${why}, got \`${show(value)}\``);
  }
  for (const [name, [, required]] of Object.entries(fields)) {
    if (required && spec[name] === undefined) throw new FaultSpecError(`a \`${type}\` fault needs \`${name}\``);
  }
  const out = { ...spec } as unknown as FaultSpec;
  if (out.type === 'error-rate') {
    out.code ??= 'ServiceUnavailable';
    out.status ??= /throttl|limitexceeded/i.test(out.code) ? 400 : /internal/i.test(out.code) ? 500 : 503;
    out.message ??= DEFAULT_MESSAGES[out.code] ?? `injected fault: ${out.code}`;
  }
  return out;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

/** A small seeded PRNG (mulberry32): uniform enough for error rates, and reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
