/**
 * What an execution environment is started with: the runtime's bootstrap, the task root and
 * /opt, and the environment variables Lambda defines, including the execution role's
 * temporary credentials, which `lambda.amazonaws.com` obtains from STS (so the role's trust
 * policy decides) and the endpoint of Drydock, so SDKs in the function talk to Drydock.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { servicePrincipal, type Principal } from '../../core/identity.js';
import type { ServiceHost } from '../types.js';
import { envDir, optDir, RUNTIMES_DIR, unpacked } from './code.js';
import type { EnvSpec } from './environment.js';
import { functionArn, lambdaState, type LambdaState, type VersionConfig } from './store.js';

/** The role session Lambda opens is named after the function (STS wants at least two characters). */
export function sessionName(fnName: string): string {
  return fnName.length < 2 ? `${fnName}_` : fnName;
}

/** Runtimes Drydock can run, and how. */
export function runtimeKind(runtime: string | undefined): 'node' | 'python' | 'provided' | undefined {
  if (runtime === undefined) return undefined;
  if (runtime.startsWith('nodejs')) return 'node';
  if (runtime.startsWith('python3')) return 'python';
  if (runtime.startsWith('provided')) return 'provided';
  return undefined;
}

interface Credentials { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresMs: number }

const credentialCache = new WeakMap<ServiceHost, Map<string, Credentials>>();

/**
 * The role's credentials as `lambda.amazonaws.com` gets them (AssumeRole, trust policy
 * enforced), cached until five minutes before they expire.
 */
export async function roleCredentials(host: ServiceHost, account: string, region: string, fnName: string, role: string): Promise<Credentials> {
  let cache = credentialCache.get(host);
  if (!cache) credentialCache.set(host, cache = new Map());
  const key = `${account}/${region}/${fnName}/${role}`;
  const hit = cache.get(key);
  if (hit && hit.expiresMs - 300_000 > host.clock.nowMs()) return hit;
  const out = await host.call({
    service: 'sts', operation: 'AssumeRole', json: true, region,
    principal: servicePrincipal('lambda.amazonaws.com', account),
    input: { RoleArn: role, RoleSessionName: sessionName(fnName) },
    sourceArn: functionArn(account, region, fnName), sourceAccount: account,
  });
  const c = out['Credentials'] as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: number | string };
  const expiresMs = typeof c.Expiration === 'number' ? c.Expiration * 1000 : Date.parse(c.Expiration);
  const creds = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiresMs };
  cache.set(key, creds);
  return creds;
}

export function logStreamName(nowMs: number, version: string, envId: string): string {
  const d = new Date(nowMs).toISOString().slice(0, 10).replace(/-/g, '/');
  return `${d}/[${version}]${envId}`;
}

function layerZips(state: LambdaState, host: ServiceHost, arns: string[]): { sha256Hex: string; bytes: () => Uint8Array | undefined }[] {
  return arns.map((arn) => {
    const m = /^arn:[^:]+:lambda:([^:]+):(\d{12}):layer:([^:]+):(\d+)$/.exec(arn);
    const owner = m ? lambdaState(host.stores, m[2]!, m[1]!) : state;
    const layer = m ? owner.layers.get(`${m[3]}:${m[4]}`) : undefined;
    const sha = layer?.codeSha256 ?? '';
    return { sha256Hex: sha, bytes: () => owner.code.get(sha) };
  });
}

/**
 * Drydock's own bootstraps reach the Runtime API over a pipe (channel.ts), cheaper per
 * invocation than HTTP; `DRYDOCK_LAMBDA_CHANNEL=http` makes them use HTTP like any other client.
 */
const PIPE = process.env['DRYDOCK_LAMBDA_CHANNEL'] !== 'http';

/** The spec of a new environment for one version of a function. */
export async function environmentSpec(
  host: ServiceHost, state: LambdaState, fnName: string, cfg: VersionConfig, opts: { provisioned: boolean },
): Promise<{ spec: EnvSpec; logStream: string }> {
  const { account, region } = state;
  const creds = await roleCredentials(host, account, region, fnName, cfg.role);
  const id = randomBytes(16).toString('hex');
  const task = unpacked('code', cfg.codeKey, () => state.code.get(cfg.codeKey));
  const opt = optDir(layerZips(state, host, cfg.layers));
  const tmp = envDir(id);
  const logStream = logStreamName(host.clock.nowMs(), cfg.version, id);
  const kind = runtimeKind(cfg.runtime);
  const env: Record<string, string> = {
    PATH: `${opt}/bin:${process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin'}`,
    LANG: 'en_US.UTF-8', TZ: ':UTC', HOME: tmp, TMPDIR: tmp,
    AWS_ENDPOINT_URL: host.endpoint,
    ...cfg.environment,
    _HANDLER: cfg.handler ?? '',
    AWS_REGION: region, AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${cfg.runtime ?? 'provided'}`,
    AWS_LAMBDA_FUNCTION_NAME: fnName,
    AWS_LAMBDA_FUNCTION_VERSION: cfg.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(cfg.memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: opts.provisioned ? 'provisioned-concurrency' : 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: cfg.logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: logStream,
    AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken,
    LAMBDA_TASK_ROOT: task, LAMBDA_RUNTIME_DIR: join(RUNTIMES_DIR, kind ?? 'provided'),
    // Layers' libraries as Lambda puts them on the search paths; Drydock's own packages last (the SDK).
    NODE_PATH: [`${opt}/nodejs/node_modules`, `${opt}/nodejs/node20/node_modules`, join(RUNTIMES_DIR, '..', '..', 'node_modules'), task].join(':'),
    PYTHONPATH: [task, `${opt}/python`, `${opt}/python/lib/python3/site-packages`].join(':'),
    PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1',
    LD_LIBRARY_PATH: `${opt}/lib:${task}/lib`,
  };
  const base = { id, cwd: task, env, clock: host.clock, timeoutSeconds: cfg.timeout };
  if (kind === 'node') return { spec: { ...base, pipe: PIPE, command: process.execPath, args: [join(RUNTIMES_DIR, 'nodejs', 'bootstrap.mjs')] }, logStream };
  if (kind === 'python') return { spec: { ...base, pipe: PIPE, command: 'python3', args: [join(RUNTIMES_DIR, 'python', 'bootstrap.py')] }, logStream };
  const bootstrap = existsSync(join(task, 'bootstrap')) ? join(task, 'bootstrap') : join(opt, 'bootstrap');
  return { spec: { ...base, command: bootstrap, args: [] }, logStream };
}

/** The execution role's session, to make AWS calls as the function (destinations, event source polling). */
export async function roleSession(host: ServiceHost, account: string, region: string, fnName: string, role: string): Promise<{ principal: Principal; accessKeyId: string }> {
  const c = await roleCredentials(host, account, region, fnName, role);
  const rec = host.identities.lookup(c.accessKeyId);
  if (!rec) throw new Error('the execution role session is not known');
  return { principal: rec.principal, accessKeyId: c.accessKeyId };
}
