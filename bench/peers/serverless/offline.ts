/**
 * serverless-offline (with serverless@3) as a benchmark peer for bench/lambda.ts.
 *
 * It is large (hundreds of MB), so it lives in its own package here, pinned by the committed
 * package-lock.json, and is installed with `npm ci` the first time a benchmark needs it. A
 * service with one nodejs20.x function and an HTTP API route is generated in a temporary
 * folder and `serverless offline` is started on free ports: the function answers through the
 * Invoke API on the lambda port and through the route on the HTTP port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../lib.js';

const HERE = join(ROOT, 'bench', 'peers', 'serverless');
const MODULES = join(HERE, 'node_modules');

/** How serverless-offline runs handlers: its default (worker threads) or in its own thread (`--useInProcess`). */
export type OfflineMode = 'worker-threads' | 'in-process';

export interface Offline {
  mode: OfflineMode;
  /** The Lambda Invoke API endpoint (the lambda port). */
  lambdaEndpoint: string;
  httpPort: number;
  /** The function's name as the Invoke API knows it (`<service>-<stage>-<function>`). */
  functionName: string;
  /** Milliseconds from spawning `serverless offline` until both ports listen. */
  startMs: number;
  /** The `serverless offline` process (its worker threads run inside it). */
  pid: number;
  stop(): Promise<void>;
}

/** Installs the pinned peer on first use (`npm ci`: the lock file decides every version). */
export function ensureInstalled(): void {
  if (existsSync(join(MODULES, 'serverless-offline', 'package.json'))) return;
  console.log('installing the serverless-offline peer (npm ci, once; about a minute)…');
  const r = spawnSync('npm', ['ci', '--prefix', HERE, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm ci for bench/peers/serverless failed');
}

function serviceYaml(): string {
  return [
    'service: bench',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  region: us-east-1',
    '  stage: dev',
    'functions:',
    '  echo:',
    '    handler: handler.echo',
    '    events:',
    '      - httpApi:',
    '          method: GET',
    '          path: /echo',
    'plugins:',
    '  - serverless-offline',
    '',
  ].join('\n');
}

/** Starts `serverless offline` with `code` as handler.js and waits until it serves. */
export async function startOffline(code: string, mode: OfflineMode, ports: { http: number; lambda: number }): Promise<Offline> {
  ensureInstalled();
  // The service lives inside the (ignored) node_modules so the framework and the plugin
  // resolve from it as from a project of their own (a symlinked node_modules loads them twice).
  const dir = mkdtempSync(join(MODULES, '.bench-service-'));
  writeFileSync(join(dir, 'serverless.yml'), serviceYaml());
  writeFileSync(join(dir, 'handler.js'), code);
  const args = [
    // serverless@3 loads ESM plugins with import() after require() refuses them; Node 20.19+
    // would hand it a frozen module namespace instead, which it cannot label.
    ...(process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module') ? ['--no-experimental-require-module'] : []),
    join(MODULES, 'serverless', 'bin', 'serverless.js'), 'offline', '--httpPort', String(ports.http), '--lambdaPort', String(ports.lambda),
    '--host', '127.0.0.1', '--noPrependStageInUrl', '--noTimeout', ...(mode === 'in-process' ? ['--useInProcess'] : []),
  ];
  const t = performance.now();
  const proc: ChildProcess = spawn(process.execPath, args, {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_DEPRECATION_DISABLE: '*',
      AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
    },
  });
  let out = '';
  const collect = (c: Buffer): void => { out = (out + c.toString()).slice(-8000); };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (proc.exitCode === null) proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when the HTTP server listens: serverless-offline starts it after the lambda one.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) { await stop(); throw new Error(`serverless offline exited:\n${out}`); }
    if (await answers(ports.http)) break;
    if (Date.now() > deadline) { await stop(); throw new Error(`serverless offline did not start within 60 s:\n${out}`); }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { mode, lambdaEndpoint: `http://127.0.0.1:${ports.lambda}`, httpPort: ports.http, functionName: 'bench-dev-echo', startMs: performance.now() - t, pid: proc.pid!, stop };
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/__ready`, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}
