/**
 * The JSONPath subset mapping templates use: `$`, `.name`, `['name']`, `[index]`, `[*]` and
 * `..name` (recursive descent). A path that does not resolve gives `undefined`.
 */

type Step = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'deep'; name: string };

function steps(path: string): Step[] {
  const out: Step[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  while (i < path.length) {
    const rest = path.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.\.([A-Za-z0-9_$-]+)/.exec(rest))) out.push({ kind: 'deep', name: m[1]! });
    else if ((m = /^\.\*|^\[\*\]/.exec(rest))) out.push({ kind: 'all' });
    else if ((m = /^\.([^.[\]]+)/.exec(rest))) out.push({ kind: 'name', name: m[1]! });
    else if ((m = /^\[(-?\d+)\]/.exec(rest))) out.push({ kind: 'index', index: Number(m[1]) });
    else if ((m = /^\[\s*'([^']*)'\s*\]|^\[\s*"([^"]*)"\s*\]/.exec(rest))) out.push({ kind: 'name', name: m[1] ?? m[2]! });
    else return [{ kind: 'name', name: '\u0000invalid' }];
    i += m[0].length;
  }
  return out;
}

function deep(v: unknown, name: string, acc: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) deep(x, name, acc);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === name) acc.push(x);
      deep(x, name, acc);
    }
  }
}

/** Evaluates `path` against `doc`. Wildcards and descent give arrays. */
export function jsonPath(doc: unknown, path: string): unknown {
  let values: unknown[] = [doc];
  let multi = false;
  for (const s of steps(path.trim())) {
    const next: unknown[] = [];
    for (const v of values) {
      if (s.kind === 'name' && v && typeof v === 'object' && !Array.isArray(v) && s.name in v) next.push((v as Record<string, unknown>)[s.name]);
      else if (s.kind === 'index' && Array.isArray(v)) {
        const x = v[s.index < 0 ? v.length + s.index : s.index];
        if (x !== undefined) next.push(x);
      } else if (s.kind === 'all' && v && typeof v === 'object') next.push(...Object.values(v));
      else if (s.kind === 'deep') deep(v, s.name, next);
    }
    if (s.kind === 'all' || s.kind === 'deep') multi = true;
    values = next;
  }
  return multi ? values : values[0];
}
