// Runs one fuzz property: fast-check drives the generator, each draft is signed and sent to
// Drydock in the worker, and the oracle judges the answer. On failure the shrunk request and
// answer are rendered for the report. Failures that match a known bug (KNOWN) are tallied and
// tolerated, so the property keeps hunting for new ones.

import fc from 'fast-check';
import type { Outcome } from './harness.js';
import { Host } from './harness.js';
import { judge, type Verdict } from './check.js';
import { Pick } from './pick.js';
import type { Draft, Sent } from './sign.js';
import { materialize } from './sign.js';

export const RUNS = Number(process.env['FUZZ_RUNS'] ?? 100);
export const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : undefined;
/** FUZZ_COLLECT=1: never stop at a failure, list every distinct one at the end (exploration). */
export const COLLECT = process.env['FUZZ_COLLECT'] === '1';
const SHRINK_BUDGET_MS = Number(process.env['FUZZ_SHRINK_MS'] ?? 15_000);

export interface KnownBug {
  id: string;
  reason: string;
  /** Whether a failing exchange is this bug. */
  matches(d: Draft, o: Outcome, v: Verdict): boolean;
  /** Drafts not to send at all while the bug stands (a hang costs minutes: it cannot be interrupted). */
  avoid?(d: Draft): boolean;
}

export interface Exchange { draft: Draft; sent: Sent; outcome: Outcome; verdict: Verdict }

export interface FuzzResult {
  runs: number;
  ms: number;
  failure?: Exchange;
  known: Map<string, number>;
  distinct: Map<string, { count: number; example: Exchange }>;
  statuses: Map<string, number>;
  seed: number;
}

let shared: Host | undefined;
export function host(): Host {
  return (shared ??= new Host());
}

function throwingFrame(o: Outcome): string {
  const text = o.kind === 'response' || o.kind === 'thrown' ? [o.kind === 'thrown' ? o.error : '', ...o.logs].join('\n') : '';
  const frame = text.split('\n').find((l) => /\/src\//.test(l));
  return frame ? frame.trim().replace(/^at /, '').replace(/\(?(file:\/\/)?\/work\/main\//, '(') : '';
}

function signature(x: Exchange): string {
  const v = x.verdict;
  const first = (v.problems[0] ?? '').replace(/\d+ ms/, 'N ms').slice(0, 90);
  return `${v.status ?? x.outcome.kind} ${v.code ?? ''} | ${first} | ${throwingFrame(x.outcome)}`;
}

export async function fuzz(gen: (p: Pick) => Draft, o: { runs: number; timeoutMs?: number; known?: KnownBug[] }): Promise<FuzzResult> {
  const known = new Map<string, number>();
  const distinct = new Map<string, { count: number; example: Exchange }>();
  const statuses = new Map<string, number>();
  let last: Exchange | undefined;
  let firstFailureAt = 0;
  let runs = 0;
  const t0 = Date.now();
  const seed = SEED ?? Math.floor(Math.random() * 2 ** 31);
  const prop = fc.asyncProperty(fc.gen(), async (g) => {
    if (firstFailureAt && Date.now() - firstFailureAt > SHRINK_BUDGET_MS) return true; // stop shrinking
    const draft = gen(new Pick(g));
    const avoided = (o.known ?? []).find((k) => k.avoid?.(draft));
    if (avoided) { known.set(avoided.id, (known.get(avoided.id) ?? 0) + 1); return true; }
    const sent = await materialize(draft);
    const outcome = await host().send(sent.req, o.timeoutMs ?? 5000);
    const verdict = judge(draft, outcome);
    runs++;
    const key = `${verdict.status ?? outcome.kind} ${verdict.code ?? ''}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    if (verdict.ok) return true;
    const x: Exchange = { draft, sent, outcome, verdict };
    const bug = (o.known ?? []).find((k) => k.matches(draft, outcome, verdict));
    if (bug) { known.set(bug.id, (known.get(bug.id) ?? 0) + 1); return true; }
    if (COLLECT) {
      const sig = signature(x);
      const e = distinct.get(sig);
      if (e) e.count++; else distinct.set(sig, { count: 1, example: x });
      return true;
    }
    last = x;
    firstFailureAt ||= Date.now();
    return false;
  });
  const r = await fc.check(prop, { numRuns: o.runs, seed, endOnFailure: false });
  return { runs, ms: Date.now() - t0, failure: r.failed ? last : undefined, known, distinct, statuses, seed };
}

function excerpt(b: Buffer | string, n = 600): string {
  const s = typeof b === 'string' ? b : b.toString('latin1');
  const shown = s.length > n ? `${s.slice(0, n)}… (${s.length} bytes)` : s;
  return JSON.stringify(shown);
}

function headerLines(h: Record<string, string | string[]>): string {
  return Object.entries(h).map(([k, v]) => {
    const s = Array.isArray(v) ? JSON.stringify(v.length > 4 ? [...v.slice(0, 4), `…${v.length} values`] : v) : excerpt(v, 160);
    return `    ${k}: ${s}`;
  }).join('\n');
}

/** A failing exchange as text for the report: request, answer, the line that threw. */
export function describe(x: Exchange): string {
  const { draft: d, sent, outcome: o, verdict: v } = x;
  const lines = [
    `  what: ${d.what} (service ${d.service}, auth ${d.auth}${d.chunked ? `, ${d.chunked.mode}` : ''})`,
    `  request: ${sent.req.method} ${excerpt(sent.req.url, 400)}`,
    headerLines(sent.req.headers),
    `  body: ${excerpt(Buffer.from(sent.req.body))}`,
    `  problems: ${v.problems.join('; ')}`,
  ];
  if (o.kind === 'response') {
    lines.push(`  answer: ${o.status} ${JSON.stringify(o.headers)}`, `  answer body: ${excerpt(o.body)}`);
    if (o.logs.length) lines.push(`  drydock stack: ${o.logs.join('\n').split('\n').slice(0, 8).join('\n    ')}`);
  } else if (o.kind === 'thrown') lines.push(`  thrown: ${o.error.split('\n').slice(0, 8).join('\n    ')}`);
  const frame = throwingFrame(o);
  if (frame) lines.push(`  throwing line: ${frame}`);
  return lines.join('\n');
}

export function summary(name: string, r: FuzzResult): string {
  const st = [...r.statuses.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${k.trim()}×${n}`).join(', ');
  const known = [...r.known.entries()].map(([k, n]) => `${k}×${n}`).join(', ');
  return `${name}: ${r.runs} requests in ${r.ms} ms (seed ${r.seed}); answers: ${st}${known ? `; known bugs hit or avoided: ${known}` : ''}`;
}
