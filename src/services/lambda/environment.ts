/**
 * One execution environment: a real child process running a bootstrap, and the Lambda Runtime
 * API Drydock serves it on its own 127.0.0.1 port (AWS_LAMBDA_RUNTIME_API). The bootstrap
 * long-polls `invocation/next`; an invocation answers that poll, and the bootstrap's
 * `response` or `error` post settles it. Drydock's own bootstraps speak the same API over a
 * pipe instead (channel.ts) when the spec asks for it. What the process prints while an
 * invocation runs is that invocation's log; what it prints before (init) goes with the first one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { wallClock, type Clock, type TimerId } from '../../core/clock.js';
import { CHANNEL_FD, encodeFrame, FrameReader, type ChannelMessage } from './channel.js';

export interface EnvSpec {
  id: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  clock: Clock;
  timeoutSeconds: number;
  /** The bootstrap also gets the framed pipe on fd 3 (`_DRYDOCK_RUNTIME_CHANNEL`), and uses it. */
  pipe?: boolean;
}

export interface InvocationRequest {
  requestId: string;
  payload: Buffer;
  invokedArn: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

export interface InvocationOutcome {
  payload: Buffer;
  /** `Unhandled` when the function failed (AWS's X-Amz-Function-Error). */
  functionError?: string;
  errorType?: string;
  /** What the process printed for this invocation. */
  log: string;
  /** What it printed before, during init (cold starts). */
  initLog: string;
  durationMs: number;
  maxMemoryMb: number;
  timedOut: boolean;
}

interface Running {
  req: InvocationRequest;
  resolve(o: InvocationOutcome): void;
  log: string;
  initLog: string;
  started: number;
  timer?: TimerId;
}

const BASE = '/2018-06-01/runtime';

/** Hands an event to a bootstrap waiting for one: the answer to its HTTP poll, or a frame on its pipe. */
type Waiter = (headers: Record<string, string>, payload: Buffer) => void;

export class Environment {
  readonly id: string;
  /** Milliseconds from spawn to the first `next` poll (the Init Duration). */
  initMs = 0;
  state: 'init' | 'idle' | 'busy' | 'dead' = 'init';
  lastUsedMs: number;
  invocations = 0;
  readonly ready: Promise<void>;
  #spec: EnvSpec;
  #server: Server;
  #proc: ChildProcess | undefined;
  #poll: Waiter | undefined;
  #queued: Running | undefined;
  #running: Running | undefined;
  #preLog = '';
  #spawnedAt = performance.now();
  #initError: Buffer | undefined;
  #initialized = false;
  #readyResolve!: () => void;
  #onDeath: Array<() => void> = [];
  #maxMemory = 0;

  constructor(spec: EnvSpec) {
    this.id = spec.id;
    this.#spec = spec;
    this.lastUsedMs = spec.clock.nowMs();
    this.ready = new Promise((resolve) => { this.#readyResolve = resolve; });
    this.#server = createServer((req, res) => this.#route(req, res));
    // The bootstrap's poll for the next event may wait for as long as the environment idles.
    this.#server.requestTimeout = 0;
    this.#server.keepAliveTimeout = 0;
    // Nothing here may keep Drydock's process alive: the environment dies with it (its stdin closes).
    this.#server.unref();
    this.#server.on('connection', (socket) => socket.unref());
  }

  /** Starts the runtime API and the process. */
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const port = (this.#server.address() as AddressInfo).port;
    const s = this.#spec;
    this.#spawnedAt = performance.now();
    const env: Record<string, string> = { ...s.env, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}` };
    if (s.pipe) env['_DRYDOCK_RUNTIME_CHANNEL'] = String(CHANNEL_FD);
    const proc = spawn(s.command, s.args, { cwd: s.cwd, env, stdio: s.pipe ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'] });
    this.#proc = proc;
    proc.unref();
    for (const stream of proc.stdio) (stream as unknown as { unref?: () => void } | null)?.unref?.();
    if (s.pipe) this.#openPipe(proc.stdio[CHANNEL_FD] as Socket);
    const onData = (chunk: Buffer): void => {
      if (this.#running) this.#running.log += chunk.toString('utf8');
      else this.#preLog += chunk.toString('utf8');
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.stdin!.on('error', () => undefined);
    proc.on('error', (e) => { this.#preLog += `${e.message}\n`; this.#die('Runtime.InvalidEntrypoint'); });
    proc.on('exit', (code, signal) => this.#die('Runtime.ExitError', code, signal));
  }

  /** Runs one invocation; the environment must be idle or initializing. */
  invoke(req: InvocationRequest): Promise<InvocationOutcome> {
    const wasDead = this.state === 'dead';
    if (!wasDead) this.state = 'busy';
    this.invocations++;
    return new Promise((resolve) => {
      const run: Running = { req, resolve, log: '', initLog: '', started: performance.now() };
      if (wasDead) {
        resolve({ payload: Buffer.from(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${req.requestId} Error: Runtime exited` })),
          functionError: 'Unhandled', errorType: 'Runtime.ExitError', log: '', initLog: this.#preLog, durationMs: 0, maxMemoryMb: 0, timedOut: false });
      } else if (this.#poll) this.#dispatch(run, this.#poll);
      else this.#queued = run;
    });
  }

  /** Called once when the process is gone. */
  onDeath(fn: () => void): void {
    this.#onDeath.push(fn);
  }

  kill(): void {
    if (this.#proc && this.#proc.exitCode === null) this.#proc.kill('SIGKILL');
    this.#die('Runtime.ExitError');
  }

  #dispatch(run: Running, poll: Waiter): void {
    this.#poll = undefined;
    this.#queued = undefined;
    this.#running = run;
    run.initLog = this.#preLog;
    this.#preLog = '';
    run.started = performance.now();
    const s = this.#spec;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': run.req.requestId,
      // The function compares the deadline with its own process's clock: real time.
      'lambda-runtime-deadline-ms': String(wallClock().getTime() + s.timeoutSeconds * 1000),
      'lambda-runtime-invoked-function-arn': run.req.invokedArn,
      'lambda-runtime-trace-id': `Root=1-${Math.floor(s.clock.nowMs() / 1000).toString(16)}-${run.req.requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`,
    };
    if (run.req.clientContext) headers['lambda-runtime-client-context'] = run.req.clientContext;
    if (run.req.cognitoIdentity) headers['lambda-runtime-cognito-identity'] = run.req.cognitoIdentity;
    poll(headers, run.req.payload);
    run.timer = s.clock.setTimer(() => this.#timeout(run), s.timeoutSeconds * 1000);
  }

  #timeout(run: Running): void {
    if (this.#running !== run) return;
    const msg = `RequestId: ${run.req.requestId} Error: Task timed out after ${this.#spec.timeoutSeconds.toFixed(2)} seconds`;
    const log = `${run.log}${this.#spec.clock.now().toISOString()} ${run.req.requestId} Task timed out after ${this.#spec.timeoutSeconds.toFixed(2)} seconds\n`;
    this.#finish(run, Buffer.from(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: msg })), 'Sandbox.Timedout', { log, timedOut: true });
    this.kill();
  }

  #finish(run: Running, payload: Buffer, errorType: string | undefined, over: { log?: string; timedOut?: boolean } = {}): void {
    if (this.#running !== run) return;
    this.#running = undefined;
    if (run.timer !== undefined) this.#spec.clock.clearTimer(run.timer);
    const durationMs = over.timedOut ? this.#spec.timeoutSeconds * 1000 : performance.now() - run.started;
    this.lastUsedMs = this.#spec.clock.nowMs();
    if (this.state === 'busy') this.state = 'idle';
    run.resolve({
      payload, log: over.log ?? run.log, initLog: run.initLog, durationMs, maxMemoryMb: this.#maxMemory, timedOut: over.timedOut === true,
      ...(errorType !== undefined ? { functionError: 'Unhandled', errorType } : {}),
    });
  }

  #die(errorType: string, code?: number | null, signal?: NodeJS.Signals | null): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.#readyResolve();
    this.#server.close();
    this.#server.closeAllConnections();
    const run = this.#running ?? this.#queued;
    if (run) {
      const neverStarted = this.#running === undefined;
      this.#running = run;
      this.#queued = undefined;
      const detail = signal ? `signal: ${signal.toLowerCase().replace(/^sig/, '')}` : `exit status ${code ?? 1}`;
      const body = this.#initError ?? Buffer.from(JSON.stringify({ errorType, errorMessage: `RequestId: ${run.req.requestId} Error: Runtime exited with error: ${detail}` }));
      const type = this.#initError ? (JSON.parse(this.#initError.toString()) as { errorType?: string }).errorType ?? errorType : errorType;
      if (neverStarted) run.initLog = this.#preLog;
      else run.log += this.#preLog;
      this.#preLog = '';
      this.#finish(run, body, type);
    }
    for (const fn of this.#onDeath.splice(0)) fn();
  }

  /** The bootstrap waits for an event (HTTP `invocation/next`, or `next` on the pipe). */
  #next(waiter: Waiter): void {
    if (!this.#initialized) {
      this.#initialized = true;
      this.initMs = performance.now() - this.#spawnedAt;
      if (this.state === 'init') this.state = 'idle';
      this.#readyResolve();
    }
    if (this.#queued) this.#dispatch(this.#queued, waiter);
    else this.#poll = waiter;
  }

  /** A result for `requestId`; false when no invocation with that id is running. */
  #result(requestId: string, body: Buffer, errorType: string | undefined, memoryMb: number): boolean {
    if (memoryMb > this.#maxMemory) this.#maxMemory = memoryMb;
    const run = this.#running;
    if (!run || run.req.requestId !== requestId) return false;
    // Output the process printed before answering is in its pipe already; let it be read first.
    setImmediate(() => this.#finish(run, body, errorType));
    return true;
  }

  #openPipe(pipe: Socket): void {
    const send: Waiter = (headers, payload) => pipe.write(encodeFrame(headers, payload));
    const reader = new FrameReader((m: ChannelMessage, body) => {
      if (m.t === 'next') this.#next(send);
      else if (m.t === 'response' || m.t === 'error') this.#result(m.id ?? '', body, m.t === 'error' ? m.type ?? 'Unhandled' : undefined, m.mem ?? 0);
      else if (m.t === 'init-error') this.#initError = body;
    });
    pipe.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch {
        this.kill(); // not a frame: the process wrote something else on fd 3
      }
    });
    pipe.on('error', () => undefined);
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${BASE}/invocation/next`) {
      this.#next((headers, payload) => { res.writeHead(200, headers); res.end(payload); });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const mem = Number(req.headers['x-drydock-max-memory-mb']) || 0;
      if (req.method === 'POST' && url === `${BASE}/init/error`) {
        if (mem > this.#maxMemory) this.#maxMemory = mem;
        this.#initError = body;
        return accepted(res);
      }
      const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      if (req.method !== 'POST' || m === null) return reply(res, 404, { errorMessage: 'not found', errorType: 'InvalidRequest' });
      const errorType = m[2] === 'error' ? String(req.headers['lambda-runtime-function-error-type'] ?? 'Unhandled') : undefined;
      if (!this.#result(decodeURIComponent(m[1]!), body, errorType, mem)) {
        return reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
      }
      accepted(res);
    });
  }
}

function accepted(res: ServerResponse): void {
  reply(res, 202, { status: 'OK' });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
