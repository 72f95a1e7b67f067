/**
 * Function configuration: reading CreateFunction/UpdateFunctionConfiguration input with
 * Lambda's limits and messages, and showing a version as FunctionConfiguration.
 */
import { randomUUID } from 'node:crypto';
import { partitionOf } from '../../core/ids.js';
import { invalidParameter, validation } from './errors.js';
import { runtimeKind } from './launch.js';
import { functionArn, type VersionConfig } from './store.js';

export const RUNTIMES = [
  'nodejs20.x', 'python3.14', 'provided.al2023', 'python3.12', 'python3.13', 'nodejs24.x', 'nodejs22.x', 'java25', 'python3.10',
  'python3.11', 'java21', 'ruby3.3', 'ruby3.4', 'ruby3.2', 'python3.8', 'python3.9', 'java17', 'nodejs16.x', 'dotnet10', 'dotnet8',
  'java11', 'dotnet6', 'nodejs18.x', 'provided.al2', 'java8.al2',
];
const DEPRECATED = new Set(['nodejs12.x', 'nodejs14.x', 'nodejs10.x', 'python3.7', 'python3.6', 'python2.7', 'java8', 'go1.x', 'provided', 'ruby2.7', 'dotnetcore3.1', 'dotnetcore2.1']);
const RESERVED_ENV = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);
const ROLE_RE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

type Input = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function checkRuntime(runtime: string): void {
  if (DEPRECATED.has(runtime)) {
    throw invalidParameter(`The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or upgrading functions.`);
  }
  if (!RUNTIMES.includes(runtime)) {
    throw invalidParameter(`Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${RUNTIMES.join(', ')}] or be a valid ARN`);
  }
}

/** Applies the configuration members of a Create/Update request to `cfg` (validated). */
export function applyConfig(cfg: VersionConfig, input: Input, fnName: string): void {
  const role = str(input['Role']);
  if (role !== undefined) {
    if (!ROLE_RE.test(role)) throw validation(role, 'role', 'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+');
    cfg.role = role;
  }
  const runtime = str(input['Runtime']);
  if (runtime !== undefined) { checkRuntime(runtime); cfg.runtime = runtime; }
  const handler = str(input['Handler']);
  if (handler !== undefined) {
    if (handler.length > 128 || !/^[^\s]+$/.test(handler)) throw validation(handler, 'handler', 'Member must satisfy regular expression pattern: [^\\s]+');
    cfg.handler = handler;
  }
  const description = str(input['Description']);
  if (description !== undefined) {
    if (description.length > 256) throw validation(description, 'description', 'Member must have length less than or equal to 256');
    cfg.description = description;
  }
  if (input['Timeout'] !== undefined) {
    const t = input['Timeout'] as number;
    if (t < 1) throw validation(String(t), 'timeout', 'Member must have value greater than or equal to 1');
    if (t > 900) throw validation(String(t), 'timeout', 'Member must have value less than or equal to 900');
    cfg.timeout = t;
  }
  if (input['MemorySize'] !== undefined) {
    const m = input['MemorySize'] as number;
    if (m < 128) throw validation(String(m), 'memorySize', 'Member must have value greater than or equal to 128');
    if (m > 10240) throw validation(String(m), 'memorySize', 'Member must have value less than or equal to 10240');
    cfg.memorySize = m;
  }
  const env = input['Environment'] as { Variables?: Record<string, string> } | undefined;
  if (env !== undefined) {
    const vars = env.Variables ?? {};
    const reserved = Object.keys(vars).filter((k) => RESERVED_ENV.has(k));
    if (reserved.length > 0) {
      throw invalidParameter(`Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`);
    }
    const size = Buffer.byteLength(JSON.stringify(vars));
    if (size > 4096) throw invalidParameter(`Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(vars)}`);
    cfg.environment = { ...vars };
  }
  const storage = input['EphemeralStorage'] as { Size?: number } | undefined;
  if (storage?.Size !== undefined) {
    if (storage.Size < 512 || storage.Size > 10240) throw validation(String(storage.Size), 'ephemeralStorage.size', 'Member must have value between 512 and 10240');
    cfg.ephemeralStorage = storage.Size;
  }
  const archs = input['Architectures'] as string[] | undefined;
  if (archs !== undefined) {
    if (archs.length !== 1 || !['x86_64', 'arm64'].includes(archs[0]!)) {
      throw validation(`[${archs.join(', ')}]`, 'architectures', 'Member must have length less than or equal to 1, Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]');
    }
    cfg.architectures = [...archs];
  }
  const dlq = input['DeadLetterConfig'] as { TargetArn?: string } | undefined;
  if (dlq !== undefined) {
    if (dlq.TargetArn && !/^arn:[^:]+:(sqs|sns):/.test(dlq.TargetArn)) {
      throw invalidParameter('The provided target arn is invalid. Please provide an SQS queue or SNS topic arn.');
    }
    if (dlq.TargetArn) cfg.deadLetterTarget = dlq.TargetArn; else delete cfg.deadLetterTarget;
  }
  const tracing = input['TracingConfig'] as { Mode?: string } | undefined;
  if (tracing?.Mode !== undefined) cfg.tracingMode = tracing.Mode;
  const logging = input['LoggingConfig'] as { LogFormat?: string; LogGroup?: string } | undefined;
  if (logging?.LogFormat !== undefined) cfg.logFormat = logging.LogFormat;
  if (logging?.LogGroup !== undefined) cfg.logGroup = logging.LogGroup;
  if (cfg.logGroup === '') cfg.logGroup = `/aws/lambda/${fnName}`;
  const kms = str(input['KMSKeyArn']);
  if (kms !== undefined) cfg.kmsKeyArn = kms;
  if (cfg.packageType === 'Zip') {
    if (cfg.runtime === undefined) throw invalidParameter('Runtime is required for .zip file deployment packages.');
    if (cfg.handler === undefined && runtimeKind(cfg.runtime) !== 'provided') throw invalidParameter('Handler is required for .zip file deployment packages.');
  }
}

export function newConfig(fnName: string, nowMs: number): VersionConfig {
  return {
    version: '$LATEST', description: '', role: '', memorySize: 128, timeout: 3, environment: {}, layers: [], architectures: ['x86_64'],
    ephemeralStorage: 512, codeSha256: '', codeKey: '', codeSize: 0, packageType: 'Zip', revisionId: randomUUID(), lastModifiedMs: nowMs,
    tracingMode: 'PassThrough', logFormat: 'Text', logGroup: `/aws/lambda/${fnName}`,
  };
}

/** Lambda's LastModified format: `2024-01-01T12:00:00.000+0000`. */
export function lastModified(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export interface ShowOptions {
  /** The qualifier shown in FunctionArn (an alias shows its own name). */
  arnQualifier?: string;
  state?: 'Pending' | 'Active';
  layerSizes?: Record<string, number>;
}

/** A version as FunctionConfiguration shows it. */
export function showConfig(account: string, region: string, fnName: string, cfg: VersionConfig, opts: ShowOptions = {}): Record<string, unknown> {
  const q = opts.arnQualifier ?? (cfg.version === '$LATEST' ? undefined : cfg.version);
  const out: Record<string, unknown> = {
    FunctionName: fnName,
    FunctionArn: functionArn(account, region, fnName, q),
    Runtime: cfg.runtime,
    Role: cfg.role,
    Handler: cfg.handler,
    CodeSize: cfg.codeSize,
    Description: cfg.description,
    Timeout: cfg.timeout,
    MemorySize: cfg.memorySize,
    LastModified: lastModified(cfg.lastModifiedMs),
    CodeSha256: cfg.codeSha256,
    Version: cfg.version,
    Environment: { Variables: { ...cfg.environment } },
    TracingConfig: { Mode: cfg.tracingMode },
    RevisionId: cfg.revisionId,
    PackageType: cfg.packageType,
    Architectures: [...cfg.architectures],
    EphemeralStorage: { Size: cfg.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: cfg.logFormat, LogGroup: cfg.logGroup },
  };
  if (cfg.runtime !== undefined) {
    out['RuntimeVersionConfig'] = { RuntimeVersionArn: `arn:${partitionOf(region)}:lambda:${region}::runtime:${runtimeVersionId(cfg.runtime)}` };
  }
  if (cfg.deadLetterTarget) out['DeadLetterConfig'] = { TargetArn: cfg.deadLetterTarget };
  if (cfg.kmsKeyArn) out['KMSKeyArn'] = cfg.kmsKeyArn;
  if (cfg.layers.length > 0) out['Layers'] = cfg.layers.map((arn) => ({ Arn: arn, CodeSize: opts.layerSizes?.[arn] ?? 0 }));
  if (opts.state === 'Pending') {
    Object.assign(out, { State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating' });
  } else {
    Object.assign(out, { State: 'Active', LastUpdateStatus: 'Successful' });
  }
  return out;
}

/** A stable made-up runtime version id per runtime (AWS's are 64 hex characters). */
function runtimeVersionId(runtime: string): string {
  let h = 0x811c9dc5;
  for (const c of runtime) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}
