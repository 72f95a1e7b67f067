/**
 * Shared plumbing for the end-to-end suite: free ports, child processes that are always
 * killed, and a clean environment for Debian's AWS CLI and boto3 (no user config leaks in).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(REPO, 'test/e2e/fixtures');
/** Debian's AWS CLI v2 and Python with boto3; another `aws` may come first on PATH. */
export const AWS = '/usr/bin/aws';
export const PYTHON = '/usr/bin/python3';

/** A port nobody listens on right now: bind port 0, read it, let it go. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Every child this process started; killed on exit so none outlives a crashed test run. */
const children = new Set<ChildProcess>();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export interface RunResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs a command to completion (killed after `timeoutMs`), capturing its output. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((ok, fail) => {
    const child = track(spawn(cmd, args, { cwd: REPO, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.once('error', (e) => { clearTimeout(timer); fail(e); });
    child.once('close', (code, signal) => { clearTimeout(timer); ok({ code, signal, stdout, stderr }); });
  });
}

/** The Drydock CLI from source (no build needed): `node --import tsx fixtures/drydock-cli.ts …`. */
export const CLI_ARGS = ['--import', 'tsx', join(FIXTURES, 'drydock-cli.ts')];

export function drydockCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run(process.execPath, [...CLI_ARGS, ...args], { env: { ...process.env, ...env } });
}

export interface ServerProcess {
  child: ChildProcess;
  endpoint: string;
  /** Everything the server printed to stdout so far. */
  output(): string;
  stderr(): string;
  /** Ends the server (SIGTERM, then SIGKILL after a grace period); resolves with its exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `drydock start …` as a child and resolves once its banner names the endpoint. */
export function startServer(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = track(spawn(process.execPath, [...CLI_ARGS, 'start', ...args], {
    cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => {
    child.once('exit', (code, signal) => r({ code, signal }));
  });
  const server = (endpoint: string): ServerProcess => ({
    child, endpoint, output: () => out, stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
        const r = await exited;
        clearTimeout(t);
        return r;
      }
      return exited;
    },
  });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`drydock start printed no banner within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /Drydock is serving AWS on (\S+)/.exec(out);
      if (m && out.includes('\n')) { clearTimeout(timer); ok(server(m[1]!)); }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`drydock start exited (code ${code}, signal ${signal}) before serving\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** A throw-away directory, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Environment for the AWS CLI / boto3: test/test in us-east-1, an empty HOME and config
 * files that do not exist, no retries (so a 5xx is seen once), no pager, no IMDS.
 */
export function awsEnv(home: string, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...overrides,
  };
}
