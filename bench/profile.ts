/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by
 * where the code lives (Drydock's dist/, a package in node_modules, node's internals, GC).
 *
 *   node --import tsx bench/profile.ts path/to/file.cpuprofile [--top 25]
 *
 * `bench/throughput.ts --profile` records one of Drydock under load and prints this.
 */
import { readFileSync } from 'node:fs';
import { fmt, flag, isMain, ROOT, table } from './lib.js';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  functions: { name: string; where: string; selfMs: number; pct: number }[];
  areas: { area: string; selfMs: number; pct: number }[];
  /** Drydock's own functions (dist/) by inclusive time: self plus everything they call. */
  inclusive: { name: string; where: string; totalMs: number; pct: number }[];
}

function shortUrl(url: string): string {
  if (!url) return '';
  let u = url.startsWith('file://') ? url.slice(7) : url;
  if (u.startsWith(ROOT)) u = u.slice(ROOT.length + 1);
  return u;
}

/** Which part of the program a frame belongs to, for the area totals. */
function area(cf: CallFrame): string {
  const u = shortUrl(cf.url);
  if (!u) return cf.functionName.startsWith('(') ? cf.functionName : '(native / V8 builtins)';
  if (u.startsWith('node:')) return 'node: internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (nm) return `package ${nm[1]}`;
  const dist = /^dist\/([^/]+(?:\/[^/]+)?)\//.exec(u);
  if (dist) return `drydock ${dist[1]}/`;
  if (u.startsWith('dist/')) return 'drydock dist/';
  return u;
}

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample; attribute the next delta to this sample.
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
  }
  const fns = new Map<string, { name: string; where: string; selfMs: number }>();
  const areas = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of self) {
    const cf = byId.get(id)!.callFrame;
    totalMs += ms;
    if (cf.functionName === '(idle)') { idleMs += ms; continue; }
    const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName}@${where}`;
    const f = fns.get(key) ?? { name: cf.functionName || '(anonymous)', where, selfMs: 0 };
    f.selfMs += ms;
    fns.set(key, f);
    const a = area(cf);
    areas.set(a, (areas.get(a) ?? 0) + ms);
  }
  // Inclusive time of Drydock's functions: each sample counts once per distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, { name: string; where: string; totalMs: number }>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      const u = shortUrl(cf.url);
      if (!u.startsWith('dist/')) continue;
      const where = `${u}:${cf.lineNumber + 1}`;
      const key = `${cf.functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const f = incl.get(key) ?? { name: cf.functionName || '(anonymous)', where, totalMs: 0 };
      f.totalMs += ms;
      incl.set(key, f);
    }
  }
  const busy = totalMs - idleMs;
  return {
    totalMs, idleMs,
    inclusive: [...incl.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, top).map((f) => ({ ...f, pct: (100 * f.totalMs) / busy })),
    functions: [...fns.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top).map((f) => ({ ...f, pct: (100 * f.selfMs) / busy })),
    areas: [...areas].map(([a, ms]) => ({ area: a, selfMs: ms, pct: (100 * ms) / busy })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

export function profileReport(s: ProfileSummary): string {
  const busy = s.totalMs - s.idleMs;
  return [
    `profile: ${fmt(s.totalMs / 1000, 2)} s sampled, ${fmt(busy / 1000, 2)} s busy (${fmt((100 * busy) / s.totalMs)}%), ${fmt(s.idleMs / 1000, 2)} s idle`,
    '',
    table([['self time by area', 'ms', '% busy'], ...s.areas.map((a) => [a.area, fmt(a.selfMs, 0), fmt(a.pct)])]),
    '',
    table([['top functions by self time', 'where', 'ms', '% busy'], ...s.functions.map((f) => [f.name, f.where, fmt(f.selfMs, 0), fmt(f.pct)])]),
    ...(s.inclusive.length ? ['', table([['drydock functions by inclusive time', 'where', 'ms', '% busy'],
      ...s.inclusive.map((f) => [f.name, f.where, fmt(f.totalMs, 0), fmt(f.pct)])])] : []),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const file = process.argv[2];
  if (!file || file.startsWith('--')) {
    console.error('usage: node --import tsx bench/profile.ts FILE.cpuprofile [--top N]');
    process.exit(2);
  }
  console.log(profileReport(summariseProfile(file, Number(flag('top') ?? 25))));
}
