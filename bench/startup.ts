/**
 * Start to first answered request, and idle memory.
 *
 * Each run spawns a fresh `node bin/drydock.js start --port <free>` and, from the instant
 * before spawn, polls `GET /_drydock/health` (about every millisecond while the port refuses)
 * until it answers 200, then sends one signed STS GetCallerIdentity on a new connection.
 * The peer, measured the same way in the same run, is a bare `node -e` `node:http` server
 * answering a canned GetCallerIdentity response. RSS comes from /proc/<pid>/status.
 *
 *   node --import tsx bench/startup.ts [--runs 7]
 */
import {
  ACCOUNT_RE, checkBuild, fmt, freePort, isMain, flag, median, once, pollUntil, rssMB, signedGetCallerIdentity,
  spawnServer, stopServer, table, type Kind,
} from './lib.js';

export const STARTUP_TARGET_MS = 150;
export const RSS_TARGET_MB = 70;

export interface StartupRun {
  /** spawn → stdout banner (Drydock only). */
  bannerMs?: number;
  /** spawn → health 200. */
  healthMs: number;
  /** spawn → first GetCallerIdentity answered 200 (sent right after health). */
  firstRequestMs: number;
  /** RSS when health first answered. */
  rssAtReadyMB: number;
  /** RSS after one GetCallerIdentity and a short idle pause. */
  rssAfterRequestMB: number;
}

export interface StartupSummary {
  kind: Kind;
  runs: StartupRun[];
  bannerMs?: number;
  healthMs: number;
  firstRequestMs: number;
  rssAtReadyMB: number;
  rssAfterRequestMB: number;
}

const IDLE_PAUSE_MS = 300;

async function oneRun(kind: Kind): Promise<StartupRun> {
  const port = await freePort();
  // Signed before the clock starts: signing is the client's cost, not the server's.
  const gci = await signedGetCallerIdentity(port);
  const s = spawnServer(kind, port);
  try {
    const health = await pollUntil(s, kind === 'drydock' ? '/_drydock/health' : '/', 200);
    const rssAtReadyMB = rssMB(s.pid);
    const r = await once(port, gci.method, gci.path, gci.headers, gci.body, 5000);
    const firstRequest = performance.now();
    if (r.status !== 200 || !ACCOUNT_RE.test(r.body)) {
      throw new Error(`${kind}: first GetCallerIdentity answered ${r.status}: ${r.body.slice(0, 300)}`);
    }
    await new Promise((res) => setTimeout(res, IDLE_PAUSE_MS));
    return {
      bannerMs: s.tBanner === undefined ? undefined : s.tBanner - s.t0,
      healthMs: health - s.t0,
      firstRequestMs: firstRequest - s.t0,
      rssAtReadyMB,
      rssAfterRequestMB: rssMB(s.pid),
    };
  } finally {
    await stopServer(s);
  }
}

/** Runs Drydock and the bare peer alternately, `runs` times each, after one discarded warm-up pair (disk cache). */
export async function benchStartup(runs = 7, log: (line: string) => void = () => undefined): Promise<StartupSummary[]> {
  checkBuild();
  const kinds: Kind[] = ['drydock', 'bare'];
  const all: Record<Kind, StartupRun[]> = { drydock: [], bare: [] };
  for (const kind of kinds) await oneRun(kind);
  for (let i = 0; i < runs; i++) {
    for (const kind of kinds) {
      const r = await oneRun(kind);
      all[kind].push(r);
      log(`  startup ${kind.padEnd(7)} run ${i + 1}/${runs}: health ${fmt(r.healthMs)} ms, first GetCallerIdentity ${fmt(r.firstRequestMs)} ms, RSS ${fmt(r.rssAtReadyMB)} → ${fmt(r.rssAfterRequestMB)} MB`);
    }
  }
  return kinds.map((kind) => {
    const rs = all[kind];
    const banner = rs.map((r) => r.bannerMs).filter((x): x is number => x !== undefined);
    return {
      kind, runs: rs,
      bannerMs: banner.length ? median(banner) : undefined,
      healthMs: median(rs.map((r) => r.healthMs)),
      firstRequestMs: median(rs.map((r) => r.firstRequestMs)),
      rssAtReadyMB: median(rs.map((r) => r.rssAtReadyMB)),
      rssAfterRequestMB: median(rs.map((r) => r.rssAfterRequestMB)),
    };
  });
}

export function startupTable(results: StartupSummary[]): string {
  const d = results.find((r) => r.kind === 'drydock')!;
  const b = results.find((r) => r.kind === 'bare')!;
  const n = d.runs.length;
  const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISS');
  return table([
    [`startup (median of ${n})`, 'drydock', 'bare node:http', 'ratio', 'target'],
    ['spawn → listening banner (ms)', fmt(d.bannerMs ?? NaN), '—', '', ''],
    ['spawn → health 200 (ms)', fmt(d.healthMs), fmt(b.healthMs), `${fmt(d.healthMs / b.healthMs, 2)}×`, ''],
    ['spawn → first GetCallerIdentity (ms)', fmt(d.firstRequestMs), fmt(b.firstRequestMs), `${fmt(d.firstRequestMs / b.firstRequestMs, 2)}×`,
      `≤ ${STARTUP_TARGET_MS} ${verdict(d.firstRequestMs <= STARTUP_TARGET_MS)}`],
    ['RSS when ready (MB)', fmt(d.rssAtReadyMB), fmt(b.rssAtReadyMB), `${fmt(d.rssAtReadyMB / b.rssAtReadyMB, 2)}×`,
      `≤ ${RSS_TARGET_MB} ${verdict(d.rssAtReadyMB <= RSS_TARGET_MB)}`],
    ['RSS after 1 request, idle (MB)', fmt(d.rssAfterRequestMB), fmt(b.rssAfterRequestMB), `${fmt(d.rssAfterRequestMB / b.rssAfterRequestMB, 2)}×`,
      `≤ ${RSS_TARGET_MB} ${verdict(d.rssAfterRequestMB <= RSS_TARGET_MB)}`],
  ]);
}

if (isMain(import.meta.url)) {
  const runs = Number(flag('runs') ?? 7);
  const results = await benchStartup(runs, (l) => console.log(l));
  console.log(`\n${startupTable(results)}`);
}
