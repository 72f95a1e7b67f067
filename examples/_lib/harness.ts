/**
 * What the handbook scenarios share: where Drydock is (started in-process unless
 * DRYDOCK_ENDPOINT is set), AWS SDK v3 clients for a set of credentials, a readable account of
 * each step (✔ passed, ✘ failed, ⚠ a known Drydock gap), and Drydock's two admin endpoints the
 * scenarios read: `GET /_drydock/explain/<requestId>` and `POST /_drydock/clock`.
 *
 * Everything a scenario does to AWS goes through the real SDK clients; nothing here reaches
 * into Drydock's internals.
 */
import { randomInt } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where a scenario runs. */
export interface Target {
  endpoint: string;
  /**
   * Use fresh, random account ids instead of the well-known ones (000000000000,
   * 111111111111, …), so that a scenario can run again against a long-lived Drydock without
   * meeting what its previous run made. Default: false.
   */
  fresh?: boolean;
  /** Where the readable account goes (default: stdout). */
  log?: (line: string) => void;
}

export type StepStatus = 'pass' | 'fail' | 'gap';

export interface StepResult {
  title: string;
  status: StepStatus;
  detail?: string;
}

export interface ScenarioResult {
  scenario: string;
  /** True when no expectation failed (known gaps do not fail a run). */
  ok: boolean;
  steps: StepResult[];
  failures: StepResult[];
  gaps: StepResult[];
  /** What the scenario made and saw (account ids, policy ids, decisions), for tests and readers. */
  facts: Record<string, string>;
}

/** One recorded authorization decision, as `GET /_drydock/explain/<requestId>` answers it. */
export interface Explanation {
  requestId: string;
  action: string;
  principal: string;
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  lines: string[];
}

/** The outcome of one AWS call: its value, or the error the SDK raised. */
export type Outcome<T> =
  | { ok: true; value: T; requestId?: string }
  | { ok: false; code: string; message: string; status?: number; requestId?: string };

/** Runs a call and keeps its outcome instead of throwing (errors that are not AWS errors still throw). */
export async function attempt<T>(call: Promise<T>): Promise<Outcome<T>> {
  try {
    const value = await call;
    const meta = (value as { $metadata?: { requestId?: string } } | undefined)?.$metadata;
    return { ok: true, value, requestId: meta?.requestId };
  } catch (e) {
    const err = e as Error & { $metadata?: { requestId?: string; httpStatusCode?: number } };
    if (err?.$metadata === undefined) throw e;
    return { ok: false, code: err.name, message: err.message, status: err.$metadata.httpStatusCode, requestId: err.$metadata.requestId };
  }
}

/** The simulator's words for a decision. */
export type SimDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

const SIM: Record<Explanation['decision'], SimDecision> = { Allow: 'allowed', ExplicitDeny: 'explicitDeny', ImplicitDeny: 'implicitDeny' };

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

export class Scenario {
  readonly endpoint: string;
  readonly region = 'us-east-1';
  readonly #steps: StepResult[] = [];
  readonly #facts: Record<string, string> = {};
  readonly #accounts = new Map<string, string>();
  readonly #log: (line: string) => void;
  readonly #fresh: boolean;

  constructor(readonly name: string, target: Target) {
    this.endpoint = target.endpoint.replace(/\/+$/, '');
    this.#fresh = target.fresh ?? false;
    this.#log = target.log ?? ((line) => console.log(line));
    this.#log(`\n━━ ${name} ━━  (Drydock at ${this.endpoint})`);
  }

  // ── accounts and clients ────────────────────────────────────────────────────────────────

  /** The account id to use for a well-known one: itself, or a fresh random id standing for it. */
  account(wellKnown: string): string {
    let id = this.#accounts.get(wellKnown);
    if (id === undefined) {
      id = this.#fresh ? `9${String(randomInt(0, 1e11)).padStart(11, '0')}` : wellKnown;
      this.#accounts.set(wellKnown, id);
    }
    return id;
  }

  /** The root user of an account: Drydock takes the account id as access key id, secret `test`. */
  root(account: string): Credentials {
    return { accessKeyId: account === '000000000000' ? 'test' : account, secretAccessKey: 'test' };
  }

  #config(credentials: Credentials, region = this.region) {
    return { endpoint: this.endpoint, region, credentials, maxAttempts: 1 };
  }

  iam(c: Credentials): IAMClient { return new IAMClient(this.#config(c)); }
  sts(c: Credentials, region?: string): STSClient { return new STSClient(this.#config(c, region)); }
  orgs(c: Credentials): OrganizationsClient { return new OrganizationsClient(this.#config(c)); }
  sqs(c: Credentials, region?: string): SQSClient { return new SQSClient(this.#config(c, region)); }
  kms(c: Credentials, region?: string): KMSClient { return new KMSClient(this.#config(c, region)); }

  /** AssumeRole as `by`; the session's credentials. Throws (the scenario cannot go on) when refused. */
  async assumeRole(by: Credentials, input: AssumeRoleCommandInput): Promise<Credentials> {
    const r = await this.sts(by).send(new AssumeRoleCommand(input));
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${input.RoleArn} answered no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  }

  /**
   * The document of an AWS managed policy, read through IAM as `c` (iam:GetPolicy and
   * iam:GetPolicyVersion, which AWS allows any principal whose own policies allow them). Where
   * Drydock refuses, the refusal is reported as a known gap and `published` — the document as
   * AWS publishes it — is used instead.
   */
  async awsManagedPolicyDocument(c: Credentials, who: string, arn: string, published: string): Promise<string> {
    const title = `${who} reads the AWS managed policy ${arn.split('/').pop()} (iam:GetPolicy, iam:GetPolicyVersion)`;
    const iam = this.iam(c);
    const got = await attempt(iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    if (got.ok) {
      const version = await attempt(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: got.value.Policy?.DefaultVersionId })));
      if (version.ok && version.value.PolicyVersion?.Document) {
        this.pass(title);
        return decodeURIComponent(version.value.PolicyVersion.Document);
      }
      this.fail(title, version.ok ? 'no document in the answer' : `${version.code}: ${version.message}`);
      return published;
    }
    if (got.code === 'AccessDenied' && got.message.includes('because no resource-based policy allows')) {
      const why = (await this.explain(got.requestId))?.flatMap((e) => e.lines) ?? [];
      this.gap(title, [
        'AWS: allowed — AWS managed policies (account "aws" in the ARN) are readable by any principal whose own',
        '     policies allow iam:GetPolicy (root users always); no resource-based policy is involved.',
        `Drydock: ${got.code}: ${got.message}`, ...why.map((l) => `  ${l}`),
        '(the scenario goes on with the document as AWS publishes it)',
      ].join('\n'));
    } else {
      this.fail(title, `${got.code}: ${got.message}`);
    }
    return published;
  }

  // ── Drydock's admin API ─────────────────────────────────────────────────────────────────

  /** The authorization decisions Drydock recorded for a request, or undefined. */
  async explain(requestId: string | undefined): Promise<Explanation[] | undefined> {
    if (!requestId) return undefined;
    const r = await fetch(`${this.endpoint}/_drydock/explain/${encodeURIComponent(requestId)}`);
    if (!r.ok) return undefined;
    return ((await r.json()) as { decisions?: Explanation[] }).decisions;
  }

  /** Moves Drydock's clock forward (the whole emulator's: sessions, timers). */
  async advanceClock(seconds: number): Promise<string> {
    const r = await fetch(`${this.endpoint}/_drydock/clock`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }),
    });
    if (!r.ok) throw new Error(`POST /_drydock/clock answered ${r.status}: ${await r.text()}`);
    return ((await r.json()) as { now: string }).now;
  }

  /**
   * What live enforcement decided for a call, in the simulator's words: from the recorded
   * explanation when there is one, else from the outcome (allowed, or denied without detail).
   */
  async liveDecision(o: Outcome<unknown>): Promise<SimDecision | 'denied' | 'error'> {
    const recorded = (await this.explain(o.requestId))?.at(-1);
    if (recorded) return SIM[recorded.decision];
    if (o.ok) return 'allowed';
    return DENIED.has(o.code) ? 'denied' : 'error';
  }

  // ── the account of what happened ───────────────────────────────────────────────────────

  section(title: string): void {
    this.#log(`\n▸ ${title}`);
  }

  note(text: string): void {
    for (const line of text.split('\n')) this.#log(`    ${line}`);
  }

  fact(key: string, value: string): void {
    this.#facts[key] = value;
  }

  pass(title: string, detail?: string): true {
    this.#record({ title, status: 'pass', detail });
    return true;
  }

  fail(title: string, detail?: string): false {
    this.#record({ title, status: 'fail', detail });
    return false;
  }

  /** A place where Drydock is known to differ from AWS: reported, not counted as a failure. */
  gap(title: string, detail: string): void {
    this.#record({ title, status: 'gap', detail });
  }

  check(title: string, ok: boolean, detail?: string): boolean {
    return ok ? this.pass(title, detail) : this.fail(title, detail);
  }

  /** Expects a call to have succeeded. */
  allowed<T>(title: string, o: Outcome<T>, detail?: (value: T) => string | undefined): o is Extract<Outcome<T>, { ok: true }> {
    if (o.ok) return this.pass(title, detail?.(o.value));
    return this.fail(title, `expected success, got ${o.code}: ${o.message}`);
  }

  /**
   * Expects a call to have been refused with an access-denied error whose message contains
   * each of `says`; prints the message and (when `explain`) Drydock's recorded decision.
   */
  async denied(
    title: string, o: Outcome<unknown>, opts: { says?: string[]; codes?: string[]; explain?: boolean; explainSays?: string[] } = {},
  ): Promise<{ ok: boolean; explanation?: Explanation[] }> {
    if (o.ok) return { ok: this.fail(title, 'expected AccessDenied, but the call succeeded') };
    const codes = opts.codes ?? [...DENIED];
    const problems: string[] = [];
    if (!codes.includes(o.code)) problems.push(`error code ${o.code}, expected ${codes.join(' or ')}`);
    for (const s of opts.says ?? []) if (!o.message.includes(s)) problems.push(`message lacks "${s}"`);
    let explanation: Explanation[] | undefined;
    if (opts.explain || opts.explainSays) {
      explanation = await this.explain(o.requestId);
      const text = (explanation ?? []).flatMap((e) => e.lines).join('\n');
      if (!explanation) problems.push(`no explanation recorded for request ${o.requestId}`);
      for (const s of opts.explainSays ?? []) if (!text.includes(s)) problems.push(`explanation lacks "${s}"`);
    }
    const detail = [`${o.code}: ${o.message}`];
    for (const e of explanation ?? []) detail.push(`explain ${e.requestId}:`, ...e.lines.map((l) => `  ${l}`));
    if (problems.length) detail.unshift(...problems.map((p) => `problem: ${p}`));
    return { ok: this.check(title, problems.length === 0, detail.join('\n')), explanation };
  }

  /** Expects the simulator's decision to equal live enforcement's. */
  agree(title: string, live: string, simulated: string | undefined): boolean {
    return this.check(title, live === simulated, `live: ${live}, simulator: ${simulated ?? '(no result)'}`);
  }

  #record(step: StepResult): void {
    this.#steps.push(step);
    const mark = step.status === 'pass' ? '✔' : step.status === 'fail' ? '✘' : '⚠';
    const suffix = step.status === 'gap' ? '  [known Drydock gap]' : '';
    this.#log(`  ${mark} ${step.title}${suffix}`);
    if (step.detail) for (const line of step.detail.split('\n')) this.#log(`      ${line}`);
  }

  result(): ScenarioResult {
    const failures = this.#steps.filter((s) => s.status === 'fail');
    const gaps = this.#steps.filter((s) => s.status === 'gap');
    const passed = this.#steps.length - failures.length - gaps.length;
    const r: ScenarioResult = { scenario: this.name, ok: failures.length === 0, steps: [...this.#steps], failures, gaps, facts: { ...this.#facts } };
    this.#log(`\n${r.ok ? '✔' : '✘'} ${this.name}: ${passed} passed, ${failures.length} failed, ${gaps.length} known gap(s)`);
    return r;
  }
}

/** AdministratorAccess (`arn:aws:iam::aws:policy/AdministratorAccess`) as AWS publishes it. */
export const ADMINISTRATOR_ACCESS_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** A policy document as JSON text. */
export function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** A trust policy letting a principal (an account root, a role ARN, …) assume the role. */
export function trustPolicy(principal: string, condition?: object): string {
  return policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) });
}

/**
 * Runs `body` against a target: the one given, else DRYDOCK_ENDPOINT (with fresh accounts),
 * else a Drydock started in this process for the run and stopped after it.
 */
export async function withTarget(
  target: Target | string | undefined, body: (t: Target) => Promise<ScenarioResult>,
): Promise<ScenarioResult> {
  if (typeof target === 'string') return body({ endpoint: target });
  if (target) return body(target);
  const external = process.env['DRYDOCK_ENDPOINT'];
  if (external) return body({ endpoint: external, fresh: true });
  const { startDrydock } = await import('../../src/embedded/index.js');
  const dd = await startDrydock();
  try {
    return await body({ endpoint: dd.endpoint });
  } finally {
    await dd.stop();
  }
}

/**
 * When `moduleUrl` is the script node was started with, runs the scenario and sets the exit
 * code: 0 when every expectation held (known gaps allowed), 1 otherwise.
 */
export function runIfMain(moduleUrl: string, run: () => Promise<ScenarioResult>): void {
  const entry = process.argv[1];
  if (!entry || pathToFileURL(entry).href !== moduleUrl) return;
  // The SDK warns once that its 2027 releases will need Node 22; it says nothing about this run.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  run().then(
    (r) => { process.exitCode = r.ok ? 0 : 1; },
    (e: unknown) => {
      console.error(`\n✘ the scenario stopped: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
