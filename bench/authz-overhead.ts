/**
 * What authorization adds to a request. Drydock runs in-process (`startDrydock()`); through
 * the real SDK clients the benchmark builds an organization with a Prod OU guarded by the SCPs
 * of bench/iam-cases.ts, a workload account in it, and there an IAM user `alice` with a
 * realistic set of policies: AWS's ReadOnlyAccess (the largest managed policy most accounts
 * attach), the managed-policy-sized ViewOnly, ABAC and data-access policies as customer managed
 * policies, an inline policy, a group with a managed and an inline policy, a permissions
 * boundary and tags; then an access key, a KMS key and a tagged SQS queue.
 *
 * The SDK signs each call in advance (a request handler captures the signed request instead of
 * sending it), so neither signing nor the SDK is measured. Two measurements, per operation and
 * pooled, for alice and for the root user of the management account (a root outside any
 * organization's SCPs is never restricted, so the gateway skips evaluation for it):
 *
 * 1. `authorize()` itself (src/gateway/authorize.ts), timed on a request context built by the
 *    pipeline's steps before it (route, authenticate, account-region, parse) from the real
 *    signed request — the primary number;
 *    For alice it is also split into its two parts, timed apart: building the engine request
 *    (`authzRequest()`: the caller's policies, compiled-policy cache lookups, context keys)
 *    and the engine's `evaluate()` on it;
 * 2. the whole `app.handle(request)`, whose p50/p99 difference between alice and the root
 *    brackets the same cost from the outside (noisier: it includes everything else).
 *
 * Operations are cheap to answer once authorized: iam:GetUser (user ARN), kms:ListKeys (`*`),
 * kms:DescribeKey (key ARN, with the key policy, which must allow), sqs:GetQueueAttributes
 * (queue ARN, resource tags read); plus iam:CreateUser, which alice is denied (reported apart).
 *
 *   node --import tsx bench/authz-overhead.ts [--calls 20000] [--handle-calls 4000] [--verbose]
 */
import { AttachGroupPolicyCommand, AttachUserPolicyCommand, AddUserToGroupCommand, CreateAccessKeyCommand, CreateGroupCommand,
  CreatePolicyCommand, CreateUserCommand, GetUserCommand, IAMClient, PutGroupPolicyCommand,
  PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import {
  AttachPolicyCommand, CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, CreatePolicyCommand as CreateOrgPolicyCommand,
  DescribeCreateAccountStatusCommand, ListRootsCommand, MoveAccountCommand, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { HttpRequest } from '@smithy/protocol-http';
import { requestId } from '../src/core/ids.js';
import { startDrydock, type RunningDrydock } from '../src/embedded/index.js';
import type { Drydock } from '../src/gateway/app.js';
import { authorize, authzRequest } from '../src/gateway/authorize.js';
import { iamAction, iamResources } from '../src/gateway/iam-mapping.js';
import { evaluate, type AuthzRequest } from '../src/engines/iam-policy/index.js';
import { newRequestContext, type AppRequest, type RequestContext } from '../src/gateway/context.js';
import { PIPELINE } from '../src/gateway/pipeline.js';
import { abac, boundary, data, guardrails, viewOnly } from './iam-cases.js';
import { flag, fmt, isMain, percentile, table } from './lib.js';

export const AUTHZ_TARGET_P99_US = 50;

// The SDK's notice that it will need Node 22 from 2027 says nothing about this measurement.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type Caller = 'alice' | 'root';

interface Op {
  name: string;
  /** Whether alice is allowed (the denied one is reported apart). */
  allowed: boolean;
  requests: Record<Caller, AppRequest>;
}

export interface OpTiming {
  op: string;
  allowed: boolean;
  /** authorize() µs, sorted, per caller. */
  authorize: Record<Caller, Float64Array>;
  /** alice's authorize() in parts: authzRequest() and evaluate(), µs, sorted. */
  build: Float64Array;
  evaluate: Float64Array;
  /** app.handle() µs, sorted, per caller. */
  handle: Record<Caller, Float64Array>;
  status: Record<Caller, number>;
}

export interface AuthzOverheadResult {
  calls: number;
  handleCalls: number;
  setupMs: number;
  policies: string;
  ops: OpTiming[];
}

export interface AuthzOverheadOptions {
  /** authorize() calls per caller, spread over the operations. */
  calls?: number;
  /** app.handle() calls per caller. */
  handleCalls?: number;
}

const V = '2012-10-17';

/** A client whose requests are signed and captured, never sent. */
function capturing(
  make: (cfg: object) => { send(command: never): Promise<unknown> }, dd: RunningDrydock, credentials: Creds,
): (command: object) => Promise<AppRequest> {
  let captured: HttpRequest | undefined;
  const client = make({
    endpoint: dd.endpoint, region: 'us-east-1', credentials, maxAttempts: 1,
    requestHandler: { handle: async (req: HttpRequest) => { captured = req; throw new Error('captured'); } },
  });
  return async (command) => {
    captured = undefined;
    await client.send(command as never).catch(() => undefined);
    if (!captured) throw new Error('the request was not captured');
    const r = captured as HttpRequest;
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(r.query ?? {})) for (const x of [v].flat()) if (x != null) qs.append(k, x);
    const q = qs.toString();
    // JSON bodies are a Uint8Array subclass whose valueOf() decodes (and warns): copy the bytes.
    const b = r.body as string | Uint8Array | undefined;
    const body = b == null ? Buffer.alloc(0) : typeof b === 'string' ? Buffer.from(b) : Buffer.from(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    return { method: r.method, url: `${r.path}${q ? `?${q}` : ''}`, headers: { ...r.headers }, body, sourceIp: '127.0.0.1' };
  };
}

const sdk = (dd: RunningDrydock, credentials: Creds) => ({ endpoint: dd.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

/** The organization, the workload account, alice and her resources; returns the signed requests. */
async function setup(dd: RunningDrydock): Promise<{ ops: Op[]; policies: string }> {
  const root = dd.credentials;
  const orgs = new OrganizationsClient(sdk(dd, root));
  await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  const prod = (await orgs.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Prod' }))).OrganizationalUnit!.Id!;
  const made = await orgs.send(new CreateAccountCommand({ AccountName: 'workload', Email: 'workload@example.com' }));
  const status = await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: made.CreateAccountStatus!.Id! }));
  const account = status.CreateAccountStatus!.AccountId!;
  await orgs.send(new MoveAccountCommand({ AccountId: account, SourceParentId: rootId, DestinationParentId: prod }));
  const scp = await orgs.send(new CreateOrgPolicyCommand({
    Name: 'Guardrails', Description: 'regions, leaving, security services', Type: 'SERVICE_CONTROL_POLICY', Content: JSON.stringify(guardrails),
  }));
  await orgs.send(new AttachPolicyCommand({ PolicyId: scp.Policy!.PolicySummary!.Id!, TargetId: prod }));

  const sts = new STSClient(sdk(dd, root));
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'bench' }));
  const c = assumed.Credentials!;
  const admin: Creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };

  // alice, in the workload account.
  const iam = new IAMClient(sdk(dd, admin));
  const managed = async (name: string, doc: object): Promise<string> =>
    (await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(doc) }))).Policy!.Arn!;
  const selfService = {
    Version: V,
    Statement: [
      { Sid: 'Self', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListAccessKeys', 'iam:CreateAccessKey', 'iam:ChangePassword'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
      { Sid: 'Keys', Effect: 'Allow', Action: ['kms:ListKeys', 'kms:ListAliases', 'kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
    ],
  };
  const bound = {
    Version: V,
    Statement: [...boundary.Statement, { Sid: 'SelfAndKeys', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'kms:*'], Resource: '*' }],
  };
  const boundaryArn = await managed('DevBoundary', bound);
  await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/dev/', PermissionsBoundary: boundaryArn, Tags: [{ Key: 'Project', Value: 'alpha' }, { Key: 'Team', Value: 'web' }] }));
  const attached = ['arn:aws:iam::aws:policy/ReadOnlyAccess', await managed('ViewOnly', viewOnly), await managed('Abac', abac), await managed('Data', data)];
  for (const arn of attached) await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'self-service', PolicyDocument: JSON.stringify(selfService) }));
  await iam.send(new CreateGroupCommand({ GroupName: 'developers' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'developers', PolicyArn: 'arn:aws:iam::aws:policy/AWSLambda_ReadOnlyAccess' }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'developers', PolicyName: 'queues', PolicyDocument: JSON.stringify({
    Version: V, Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: `arn:aws:sqs:*:${account}:alpha-*` }],
  }) }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'alice' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  const alice: Creds = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const policies = `alice: ${attached.length} attached managed (incl. AWS ReadOnlyAccess), 1 inline, group with 1 managed + 1 inline, boundary, 2 tags; `
    + `SCPs: FullAWSAccess at root and on Prod, Guardrails on Prod`;

  // The same resources for alice (workload account) and for the management account's root.
  const resources = async (creds: Creds) => {
    const kms = new KMSClient(sdk(dd, creds));
    const keyId = (await kms.send(new CreateKeyCommand({ Description: 'bench' }))).KeyMetadata!.KeyId!;
    const sqs = new SQSClient(sdk(dd, creds));
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'alpha-jobs', tags: { Project: 'alpha' } }))).QueueUrl!;
    return { keyId, queueUrl };
  };
  const forAlice = await resources(admin);
  const forRoot = await resources(root);
  await new IAMClient(sdk(dd, root)).send(new CreateUserCommand({ UserName: 'alice', Path: '/dev/' }));

  const sign = async (caller: Caller) => {
    const creds = caller === 'alice' ? alice : root;
    const r = caller === 'alice' ? forAlice : forRoot;
    const iamS = capturing((cfg) => new IAMClient(cfg), dd, creds);
    const kmsS = capturing((cfg) => new KMSClient(cfg), dd, creds);
    const sqsS = capturing((cfg) => new SQSClient(cfg), dd, creds);
    return {
      'iam:GetUser': await iamS(new GetUserCommand({ UserName: 'alice' })),
      'kms:ListKeys': await kmsS(new ListKeysCommand({})),
      'kms:DescribeKey': await kmsS(new DescribeKeyCommand({ KeyId: r.keyId })),
      'sqs:GetQueueAttributes': await sqsS(new GetQueueAttributesCommand({ QueueUrl: r.queueUrl, AttributeNames: ['All'] })),
      'iam:CreateUser': await iamS(new CreateUserCommand({ UserName: 'mallory' })),
    };
  };
  const signed = { alice: await sign('alice'), root: await sign('root') };
  const ops: Op[] = (Object.keys(signed.alice) as (keyof typeof signed.alice)[]).map((name) => ({
    name, allowed: name !== 'iam:CreateUser', requests: { alice: signed.alice[name], root: signed.root[name] },
  }));
  return { ops, policies };
}

/** The request context as app.handle builds it, advanced through the steps before authorize. */
async function contextBefore(app: Drydock, http: AppRequest): Promise<RequestContext> {
  const ctx = newRequestContext(http, requestId(), app.clock.now());
  for (const [name, step] of PIPELINE) {
    if (name === 'authorize') return ctx;
    await step(ctx, app);
  }
  throw new Error('the pipeline has no authorize step');
}

/** The engine request authorize() builds for the call's first resource (as its resourcesOf() does). */
function engineRequest(app: Drydock, ctx: RequestContext): () => AuthzRequest {
  const prefix = ctx.model!.signingName;
  const action = iamAction(prefix, ctx.service!, ctx.match!.name, ctx.http.method);
  const resolver = app.ports.resourceResolvers.get(prefix);
  const refs = resolver
    ? resolver(ctx.match!.name, ctx.input ?? {}, ctx.account, ctx.region)
    : iamResources(ctx.service!, ctx.match!.name, ctx.input ?? {}, { region: ctx.region, account: ctx.account, path: ctx.wire.path }).map((arn) => ({ arn, action }));
  const ref = refs[0] ?? { arn: '*', action };
  return () => authzRequest(ctx, app, ref.action ?? action, ref.arn);
}

function timeSync(f: () => unknown): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1000;
}

async function timeAuthorize(app: Drydock, ctx: RequestContext): Promise<number> {
  const t0 = process.hrtime.bigint();
  try {
    await authorize(ctx, app);
  } catch { /* a denial is an answer too */ }
  return Number(process.hrtime.bigint() - t0) / 1000;
}

async function timeHandle(app: Drydock, req: AppRequest): Promise<{ us: number; status: number }> {
  const t0 = process.hrtime.bigint();
  const res = await app.handle(req);
  return { us: Number(process.hrtime.bigint() - t0) / 1000, status: res.status };
}

const sorted = (xs: number[]): Float64Array => Float64Array.from(xs).sort();

export async function benchAuthzOverhead(opts: AuthzOverheadOptions = {}, log: (line: string) => void = () => undefined): Promise<AuthzOverheadResult> {
  const calls = opts.calls ?? 20_000;
  const handleCalls = opts.handleCalls ?? 4_000;
  const t0 = performance.now();
  const dd = await startDrydock();
  try {
    const { ops, policies } = await setup(dd);
    const setupMs = performance.now() - t0;
    log(`  setup ${fmt(setupMs, 0)} ms; ${policies}`);
    const app = dd.app;
    const callers: Caller[] = ['alice', 'root'];
    const ctxs = ops.map((op) => ({
      alice: undefined as RequestContext | undefined, root: undefined as RequestContext | undefined, op,
    }));
    for (const c of ctxs) for (const who of callers) c[who] = await contextBefore(app, c.op.requests[who]);

    // authorize(): warm-up, then calls interleaved over operations and callers.
    const aSamples = ops.map(() => ({ alice: [] as number[], root: [] as number[] }));
    for (let i = 0; i < 4000; i++) for (const who of callers) await timeAuthorize(app, ctxs[i % ops.length]![who]!);
    for (let i = 0; i < calls; i++) {
      const k = i % ops.length;
      for (const who of callers) aSamples[k]![who].push(await timeAuthorize(app, ctxs[k]![who]!));
    }

    // alice's authorize() in parts.
    const builds = ops.map((_, k) => engineRequest(app, ctxs[k]!.alice!));
    const built = builds.map((b) => b());
    const parts = ops.map(() => ({ build: [] as number[], evaluate: [] as number[] }));
    for (let i = 0; i < 4000; i++) {
      builds[i % ops.length]!();
      evaluate(built[i % ops.length]!);
    }
    for (let i = 0; i < calls; i++) {
      const k = i % ops.length;
      parts[k]!.build.push(timeSync(builds[k]!));
      parts[k]!.evaluate.push(timeSync(() => evaluate(built[k]!)));
    }

    // app.handle(): the same, on the whole pipeline.
    const hSamples = ops.map(() => ({ alice: [] as number[], root: [] as number[] }));
    const status = ops.map(() => ({ alice: 0, root: 0 }));
    for (let i = 0; i < 1000; i++) for (const who of callers) await timeHandle(app, ops[i % ops.length]!.requests[who]);
    for (let i = 0; i < handleCalls; i++) {
      const k = i % ops.length;
      for (const who of callers) {
        const r = await timeHandle(app, ops[k]!.requests[who]);
        hSamples[k]![who].push(r.us);
        status[k]![who] = r.status;
      }
    }
    const result: AuthzOverheadResult = {
      calls, handleCalls, setupMs, policies,
      ops: ops.map((op, k) => ({
        op: op.name, allowed: op.allowed, status: status[k]!,
        authorize: { alice: sorted(aSamples[k]!.alice), root: sorted(aSamples[k]!.root) },
        build: sorted(parts[k]!.build), evaluate: sorted(parts[k]!.evaluate),
        handle: { alice: sorted(hSamples[k]!.alice), root: sorted(hSamples[k]!.root) },
      })),
    };
    for (const o of result.ops) {
      log(`  ${o.op.padEnd(24)} authorize p50/p99 alice ${fmt(percentile(o.authorize.alice, 50), 1)}/${fmt(percentile(o.authorize.alice, 99), 1)} µs, `
        + `root ${fmt(percentile(o.authorize.root, 50), 1)}/${fmt(percentile(o.authorize.root, 99), 1)} µs; handle alice ${o.status.alice}, root ${o.status.root}`);
    }
    return result;
  } finally {
    await dd.stop();
  }
}

function pooled(ops: OpTiming[], pick: (o: OpTiming) => Float64Array): Float64Array {
  const all: number[] = [];
  for (const o of ops) all.push(...pick(o));
  return sorted(all);
}

export function authzOverheadTable(r: AuthzOverheadResult): string {
  const allowed = r.ops.filter((o) => o.allowed);
  const p = (xs: Float64Array, q: number): string => fmt(percentile(xs, q), 1);
  const rows: string[][] = [[
    `authorization cost, µs (authorize() ${r.calls.toLocaleString('en-US')} calls/caller; app.handle() ${r.handleCalls.toLocaleString('en-US')})`,
    'alice p50', 'alice p99', 'root p50', 'root p99', 'target',
  ]];
  for (const o of r.ops) {
    rows.push([`authorize() ${o.op}${o.allowed ? '' : ' (denied)'}`, p(o.authorize.alice, 50), p(o.authorize.alice, 99), p(o.authorize.root, 50), p(o.authorize.root, 99), '']);
  }
  const aA = pooled(allowed, (o) => o.authorize.alice);
  const aR = pooled(allowed, (o) => o.authorize.root);
  const ok = percentile(aA, 99) < AUTHZ_TARGET_P99_US;
  rows.push(['authorize(), allowed operations pooled', p(aA, 50), p(aA, 99), p(aR, 50), p(aR, 99), `p99 < ${AUTHZ_TARGET_P99_US} ${ok ? 'ok' : 'MISS'}`]);
  const bA = pooled(allowed, (o) => o.build);
  const eA = pooled(allowed, (o) => o.evaluate);
  rows.push(['  of which authzRequest() (build the engine request)', p(bA, 50), p(bA, 99), '', '', '']);
  rows.push(['  of which evaluate() (the engine)', p(eA, 50), p(eA, 99), '', '', '']);
  const hA = pooled(allowed, (o) => o.handle.alice);
  const hR = pooled(allowed, (o) => o.handle.root);
  rows.push(['app.handle(), allowed operations pooled', p(hA, 50), p(hA, 99), p(hR, 50), p(hR, 99), '']);
  const lines = [table(rows)];
  lines.push(`app.handle() alice − root: p50 ${fmt(percentile(hA, 50) - percentile(hR, 50), 1)} µs, p99 ${fmt(percentile(hA, 99) - percentile(hR, 99), 1)} µs `
    + `(root of the management account: evaluation skipped); statuses alice ${r.ops.map((o) => o.status.alice).join('/')}, root ${r.ops.map((o) => o.status.root).join('/')}`);
  lines.push(`${r.policies}; setup ${fmt(r.setupMs / 1000, 1)} s`);
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  const r = await benchAuthzOverhead({
    calls: Number(flag('calls') ?? 20_000),
    handleCalls: Number(flag('handle-calls') ?? 4_000),
  }, flag('verbose', true) ? (l) => console.log(l) : undefined);
  console.log(`\n${authzOverheadTable(r)}`);
}
