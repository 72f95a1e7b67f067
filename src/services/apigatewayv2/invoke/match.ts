/**
 * Route selection for HTTP APIs: the most specific route wins — paths without a greedy
 * variable before greedy ones, more literal parts first, a method before ANY — and `$default`
 * takes whatever no route matches.
 */
import type { RouteRecord } from '../store.js';

export interface RouteMatch {
  route: RouteRecord;
  pathParameters: Record<string, string>;
}

function matchPath(pattern: string, segments: string[]): { params: Record<string, string>; literals: number; greedy: boolean } | undefined {
  const parts = pattern.split('/').slice(1).filter((p, i, a) => p !== '' || a.length === 1);
  const params: Record<string, string> = {};
  let literals = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const greedy = /^\{(.+)\+\}$/.exec(p);
    if (greedy) {
      if (i >= segments.length) return undefined;
      params[greedy[1]!] = segments.slice(i).join('/');
      return { params, literals, greedy: true };
    }
    const seg = segments[i];
    if (seg === undefined) return undefined;
    const v = /^\{(.+)\}$/.exec(p);
    if (v) params[v[1]!] = seg;
    else if (p === seg) literals++;
    else return undefined;
  }
  return parts.length === segments.length ? { params, literals, greedy: false } : undefined;
}

export function matchRoute(routes: Record<string, RouteRecord>, method: string, path: string): RouteMatch | undefined {
  const segments = path.split('/').slice(1).filter((s, i, a) => s !== '' || a.length === 1).map((s) => {
    try { return decodeURIComponent(s); } catch { return s; }
  });
  let best: { route: RouteRecord; params: Record<string, string>; score: number[] } | undefined;
  for (const route of Object.values(routes)) {
    const m = /^([A-Z]+) (\/.*)$/.exec(route.RouteKey);
    if (!m || (m[1] !== method && m[1] !== 'ANY')) continue;
    const found = matchPath(m[2]!, path === '/' ? [''] : segments);
    if (!found) continue;
    const score = [found.greedy ? 0 : 1, found.literals, m[2]!.split('/').length, m[1] === 'ANY' ? 0 : 1];
    if (!best || compare(score, best.score) > 0) best = { route, params: found.params, score };
  }
  if (best) return { route: best.route, pathParameters: best.params };
  const def = Object.values(routes).find((r) => r.RouteKey === '$default');
  return def ? { route: def, pathParameters: {} } : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
