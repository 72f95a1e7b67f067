/**
 * Decisions per second of Drydock's IAM engine beside `@cloud-copilot/iam-simulate`, on the
 * same realistic cases (bench/iam-cases.ts: managed-policy-sized identity policies, two SCP
 * levels, a permissions boundary, same- and cross-account bucket policies, conditions with
 * policy variables, IP ranges, tags, dates and multivalued keys; a mix of Allow,
 * ExplicitDeny and ImplicitDeny).
 *
 * First every case is decided by each contender and the decisions compared (with each
 * other and with the decision AWS's published logic gives, noted in the case); then each
 * contender decides the cases round-robin for a warm-up and a fixed time budget, cut into
 * windows interleaved across contenders so drift in machine load hits all alike.
 *
 * Contenders:
 * - Drydock `evaluate()`, policies compiled once up front, as the gateway does;
 * - iam-simulate `runUnsafeSimulation()`: its fastest entry point (synchronous, no
 *   validation). It takes policy JSON and re-reads it on every call: `loadPolicy` wraps the
 *   document, and its statements are rebuilt each time they are asked for, so there is no
 *   compile-once form to give it;
 * - iam-simulate `runSimulation()`: its documented API (async; checks the action, resource
 *   type and context keys against its service data), with policies pre-validated once by
 *   `createValidatedPolicy` so it does not re-validate them per call.
 *
 *   node --import tsx bench/iam-engine.ts [--duration 6] [--warmup 1] [--windows 6] [--verbose]
 */
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy, validateServiceControlPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { evaluate, checkPolicySize, parsePolicy, type AuthzRequest } from '../src/engines/iam-policy/index.js';
import {
  CASES, DOCUMENTS, NOW, PROBES, PROBE_CALLERS, PROFILES, SCPS, drydockRequests, resourcePolicyOf, requestKeys, resourceAccountOf,
  type Case, type Outcome, type Probe,
} from './iam-cases.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, flag, fmt, isMain, median, table } from './lib.js';

export const IAM_ENGINE_TARGET_RATIO = 100;

function peerVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules/@cloud-copilot/iam-simulate/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

const OUTCOME: Record<string, Outcome> = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };

export interface IamEngineOptions {
  /** Measured time per contender, split into `windows`. */
  durationMs?: number;
  warmupMs?: number;
  windows?: number;
}

export interface Contender {
  name: string;
  note: string;
  /** Decisions per second, per window. */
  windows: number[];
  rate: number;
}

export interface Disagreement {
  index: number;
  c: Case;
  drydock: Outcome;
  unsafe: string;
  safe: string;
}

export interface ProbeResult {
  probe: Probe;
  drydock: string;
  unsafe: string;
  safe: string;
}

export interface IamEngineResult {
  cases: number;
  mix: Record<Outcome, number>;
  /** Cases where a contender differs from another or from the case's expected decision. */
  disagreements: Disagreement[];
  /** Context keys runSimulation dropped as not applicable to a case's action (should be none). */
  ignored: string[];
  /** Edge probes (not timed) where the engines differ from each other or from AWS's documented answer. */
  probes: ProbeResult[];
  probeCount: number;
  compileMs: number;
  documents: number;
  sizes: string;
  contenders: Contender[];
}

/** The case as iam-simulate takes it: every context key explicit (it derives none from the principal). */
function simulation(c: Case): Simulation {
  const pr = PROFILES[c.profile];
  const rp = resourcePolicyOf(c.resource);
  const doc = (policy: object, fn: (p: unknown) => unknown[], name: string): unknown => createValidatedPolicy(policy, fn as never, { name });
  return {
    request: {
      principal: pr.principal.arn,
      action: c.action,
      resource: { resource: c.resource, accountId: resourceAccountOf(c) },
      contextVariables: { ...pr.principalKeys, ...requestKeys(c) },
    },
    identityPolicies: Object.entries(pr.identity).map(([name, p]) => ({ name, policy: doc(p, validateIdentityPolicy, name) })),
    permissionBoundaryPolicies: pr.boundary
      ? Object.entries(pr.boundary).map(([name, p]) => ({ name, policy: doc(p, validateIdentityPolicy, name) }))
      : undefined,
    serviceControlPolicies: SCPS.map((l) => ({
      orgIdentifier: l.level,
      policies: Object.entries(l.policies).map(([name, p]) => ({ name, policy: doc(p, validateServiceControlPolicy, name) })),
    })),
    resourceControlPolicies: [],
    resourcePolicy: rp ? doc(rp.policy, validateResourcePolicy, rp.name) : undefined,
  };
}

/** Decides one edge probe with each engine; every context key is given to both explicitly. */
async function decideProbe(pr: Probe): Promise<ProbeResult> {
  const caller = PROBE_CALLERS[pr.caller];
  const context = { 'aws:RequestedRegion': 'us-east-1', ...caller.keys, ...pr.context };
  const attempt = (f: () => string): string => {
    try {
      return f();
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  const drydock = attempt(() => evaluate({
    principal: caller.principal, action: pr.action, resources: [pr.resource], context,
    identityPolicies: pr.identity.map((d, i) => parsePolicy(d, { kind: 'identity', id: `p${i}` })),
    boundary: pr.boundary ? parsePolicy(pr.boundary, { kind: 'boundary' }) : undefined,
    resourcePolicy: pr.resourcePolicy ? { policy: parsePolicy(pr.resourcePolicy, { kind: 'resource' }), resourceAccount: pr.resourceAccount } : undefined,
    resourceAccount: pr.resourceAccount, now: NOW,
  }).decision);
  const sim: Simulation = {
    request: { principal: caller.principal.arn, action: pr.action, resource: { resource: pr.resource, accountId: pr.resourceAccount }, contextVariables: context },
    identityPolicies: pr.identity.map((policy, i) => ({ name: `p${i}`, policy })),
    permissionBoundaryPolicies: pr.boundary ? [{ name: 'boundary', policy: pr.boundary }] : undefined,
    serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy: pr.resourcePolicy ? createValidatedPolicy(pr.resourcePolicy, validateResourcePolicy as never, { name: 'resource' }) : undefined,
  };
  const unsafe = attempt(() => { const u = runUnsafeSimulation(sim, {}); return OUTCOME[u] ?? u; });
  const s = await runSimulation(sim, {});
  const safe = s.resultType === 'error' ? `error: ${s.errors.message}` : OUTCOME[s.overallResult] ?? s.overallResult;
  return { probe: pr, drydock, unsafe, safe };
}

/** Runs `step` round-robin for `ms`; returns decisions per second. */
function runSync(ms: number, n: number, step: (i: number) => number): { rate: number; check: number } {
  let done = 0;
  let check = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  let now = t0;
  while (now < end) {
    for (let i = 0; i < n; i++) check += step(i);
    done += n;
    now = performance.now();
  }
  return { rate: done / ((now - t0) / 1000), check };
}

async function runAsync(ms: number, n: number, step: (i: number) => Promise<number>): Promise<{ rate: number; check: number }> {
  let done = 0;
  let check = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  let now = t0;
  while (now < end) {
    for (let i = 0; i < n; i++) check += await step(i);
    done += n;
    now = performance.now();
  }
  return { rate: done / ((now - t0) / 1000), check };
}

const CODE: Record<string, number> = { Allow: 1, Allowed: 1, ExplicitDeny: 2, ExplicitlyDenied: 2, ImplicitDeny: 3, ImplicitlyDenied: 3 };

export async function benchIamEngine(opts: IamEngineOptions = {}, log: (line: string) => void = () => undefined): Promise<IamEngineResult> {
  const durationMs = opts.durationMs ?? 6000;
  const warmupMs = opts.warmupMs ?? 1000;
  const nWindows = Math.max(1, opts.windows ?? 6);
  const n = CASES.length;

  const { requests, compileMs, documents } = drydockRequests();
  // Pre-validated documents for both iam-simulate entry points: runSimulation then skips
  // re-validation, and runUnsafeSimulation needs them for the bucket policy (given as plain
  // JSON it throws "Cannot read properties of undefined (reading 'name')": it loads the
  // resource policy without metadata, then reads the metadata's name).
  const validated = CASES.map((c) => simulation(c));

  // Agreement first: the benchmark compares like with like only if both decide alike.
  const mix: Record<Outcome, number> = { Allow: 0, ExplicitDeny: 0, ImplicitDeny: 0 };
  const disagreements: Disagreement[] = [];
  const ignored: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = CASES[i]!;
    const d = evaluate(requests[i]!).decision;
    const u = runUnsafeSimulation(validated[i]!, {});
    const s = await runSimulation(validated[i]!, {});
    const safe = s.resultType === 'error' ? `error: ${s.errors.message}` : OUTCOME[s.overallResult] ?? s.overallResult;
    if (s.resultType === 'single' && s.result.ignoredContextKeys?.length) ignored.push(`#${i + 1} ${c.action}: ${s.result.ignoredContextKeys.join(', ')}`);
    const unsafe = OUTCOME[u] ?? u;
    mix[c.expect]++;
    log(`  #${String(i + 1).padStart(2)} ${c.action.padEnd(32)} expect ${c.expect.padEnd(12)} drydock ${d.padEnd(12)} iam-simulate ${unsafe.padEnd(12)} ${safe === unsafe ? '' : `(runSimulation: ${safe})`}`);
    if (d !== c.expect || unsafe !== c.expect || safe !== c.expect) disagreements.push({ index: i + 1, c, drydock: d, unsafe, safe });
  }

  const probes: ProbeResult[] = [];
  for (const pr of PROBES) {
    const r = await decideProbe(pr);
    const differs = r.drydock !== r.unsafe || r.unsafe !== r.safe || (pr.expect !== undefined && r.drydock !== pr.expect);
    log(`  probe ${differs ? '≠' : '='} ${pr.name}: expect ${pr.expect ?? '(undocumented)'}; drydock ${r.drydock}; iam-simulate ${r.unsafe}${r.safe === r.unsafe ? '' : ` (runSimulation: ${r.safe})`}`);
    if (differs) probes.push(r);
  }

  const contenders: { name: string; note: string; run: (ms: number) => Promise<{ rate: number; check: number }> }[] = [
    {
      name: 'drydock evaluate()',
      note: 'policies compiled once',
      run: async (ms) => runSync(ms, n, (i) => CODE[evaluate(requests[i] as AuthzRequest).decision]!),
    },
    {
      name: 'iam-simulate runUnsafeSimulation()',
      note: 'policy JSON re-read per call',
      run: async (ms) => runSync(ms, n, (i) => CODE[runUnsafeSimulation(validated[i]!, {})]!),
    },
    {
      name: 'iam-simulate runSimulation()',
      note: 'async, pre-validated policies',
      run: (ms) => runAsync(ms, n, async (i) => {
        const r = await runSimulation(validated[i]!, {});
        return r.resultType === 'error' ? 0 : CODE[r.overallResult]!;
      }),
    },
  ];
  for (const k of contenders) await k.run(warmupMs);
  const windows: number[][] = contenders.map(() => []);
  for (let w = 0; w < nWindows; w++) {
    for (const [j, k] of contenders.entries()) {
      const r = await k.run(durationMs / nWindows);
      windows[j]!.push(r.rate);
      log(`  ${k.name.padEnd(36)} window ${w + 1}/${nWindows}: ${Math.round(r.rate).toLocaleString('en-US')} decisions/s (check ${r.check})`);
    }
  }
  const sizes = DOCUMENTS.map(([name, doc, quota]) => {
    const s = checkPolicySize(JSON.stringify(doc), quota);
    return `${name} ${s.size}/${s.max}`;
  }).join(', ');
  return {
    cases: n, mix, disagreements, ignored, probes, probeCount: PROBES.length, compileMs, documents, sizes,
    contenders: contenders.map((k, j) => ({ name: k.name, note: k.note, windows: windows[j]!, rate: median(windows[j]!) })),
  };
}

const int = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');

export function iamEngineTable(r: IamEngineResult): string {
  const [dd, ...peers] = r.contenders;
  const fastestPeer = Math.max(...peers.map((p) => p.rate));
  const rows = [
    [`IAM decisions (${r.cases} cases: ${r.mix.Allow} Allow, ${r.mix.ExplicitDeny} ExplicitDeny, ${r.mix.ImplicitDeny} ImplicitDeny)`,
      'decisions/s', 'µs/decision', 'drydock ×', 'target'],
    ...r.contenders.map((k) => [
      `${k.name} (${k.note})`, int(k.rate), fmt(1e6 / k.rate, 2),
      k === dd ? '' : `${fmt(dd!.rate / k.rate, 0)}×`,
      k === dd ? `≥ ${IAM_ENGINE_TARGET_RATIO}× ${dd.rate / fastestPeer >= IAM_ENGINE_TARGET_RATIO ? 'ok' : 'MISS'}` : '',
    ]),
  ];
  const lines = [table(rows)];
  lines.push(`iam-simulate ${peerVersion()}; median of ${dd!.windows.length} windows per contender; drydock compiled ${r.documents} documents in ${fmt(r.compileMs, 1)} ms (once); sizes: ${r.sizes}`);
  if (r.disagreements.length === 0) {
    lines.push(`agreement: all ${r.cases} cases decided alike by drydock, runUnsafeSimulation and runSimulation, as expected from AWS's evaluation logic`);
  } else {
    lines.push(`DISAGREEMENTS (${r.disagreements.length} of ${r.cases} cases; expected = AWS's published evaluation logic):`);
    for (const d of r.disagreements) {
      lines.push(`  #${d.index} ${d.c.profile} ${d.c.action} ${d.c.resource}: expected ${d.c.expect} (${d.c.why}); drydock ${d.drydock}, `
        + `runUnsafeSimulation ${d.unsafe}, runSimulation ${d.safe}`);
    }
  }
  if (r.probes.length === 0) {
    lines.push(`edge probes (not timed): all ${r.probeCount} decided alike`);
  } else {
    lines.push(`edge probes (not timed): ${r.probes.length} of ${r.probeCount} differ (expected = AWS documentation, ? = not settled by it):`);
    for (const p of r.probes) {
      lines.push(`  ${p.probe.name}: expected ${p.probe.expect ?? '?'}; drydock ${p.drydock}, iam-simulate ${p.unsafe}${p.safe === p.unsafe ? '' : ` (runSimulation ${p.safe})`}`);
      lines.push(`    ${p.probe.why}`);
    }
  }
  if (r.ignored.length) lines.push(`runSimulation ignored context keys: ${r.ignored.join('; ')}`);
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  const verbose = flag('verbose', true);
  const r = await benchIamEngine({
    durationMs: 1000 * Number(flag('duration') ?? 6),
    warmupMs: 1000 * Number(flag('warmup') ?? 1),
    windows: Number(flag('windows') ?? 6),
  }, verbose ? (l) => console.log(l) : undefined);
  console.log(`\n${iamEngineTable(r)}`);
}
