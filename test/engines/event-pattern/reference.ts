// A deliberately naive reference matcher for the differential test. It takes an already
// valid pattern as a plain object, expands `$or` into alternatives, expands the event into
// every way of picking one element from each array (so array consistency falls out), and
// compares values with plain JavaScript: regexes for wildcards, doubles for numbers, IPv4
// only for cidr. Slow and obvious on purpose; it shares no code with the engine.
type Json = any;

function alternatives(p: Json, prefix: string[]): Array<Record<string, Json[]>> {
  let out: Array<Record<string, Json[]>> = [{}];
  for (const [k, v] of Object.entries(p)) {
    const next: Array<Record<string, Json[]>> = [];
    const subs = k === '$or' ? (v as Json[]).flatMap((alt) => alternatives(alt, prefix))
      : Array.isArray(v) ? [{ [[...prefix, k].join('.')]: v }] : alternatives(v, [...prefix, k]);
    for (const a of out) for (const s of subs) next.push({ ...a, ...s });
    out = next;
  }
  return out;
}

function variants(v: Json, path: string, acc: Array<Record<string, Json>>): Array<Record<string, Json>> {
  if (Array.isArray(v)) return v.length === 0 ? acc : v.flatMap((el) => variants(el, path, acc));
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) acc = variants(x, path ? `${path}.${k}` : k, acc);
    return acc;
  }
  return acc.map((m) => ({ ...m, [path]: v }));
}

function allLeaves(v: Json, path: string, out: Set<string>): void {
  if (Array.isArray(v)) v.forEach((x) => allLeaves(x, path, out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) allLeaves(x, path ? `${path}.${k}` : k, out);
  else out.add(path);
}

const str = (v: Json): v is string => typeof v === 'string';
const wild = (w: string, s: Json) =>
  str(s) && new RegExp(`^${w.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's').test(s);
const ip4 = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const list = (x: Json): Json[] => (Array.isArray(x) ? x : [x]);

function test(cond: Json, v: Json): boolean {
  if (cond === null || typeof cond !== 'object') return v === cond;
  const [op, arg] = Object.entries(cond)[0] as [string, Json];
  const ic = arg !== null && typeof arg === 'object' && !Array.isArray(arg) ? arg['equals-ignore-case'] : undefined;
  switch (op) {
    case 'exists': return arg === true;
    case 'prefix': return str(v) && (ic !== undefined ? v.toLowerCase().startsWith(ic.toLowerCase()) : v.startsWith(arg));
    case 'suffix': return str(v) && (ic !== undefined ? v.toLowerCase().endsWith(ic.toLowerCase()) : v.endsWith(arg));
    case 'equals-ignore-case': return str(v) && v.toLowerCase() === arg.toLowerCase();
    case 'wildcard': return wild(arg, v);
    case 'cidr': {
      const [base, bits] = arg.split('/');
      if (!str(v) || !/^\d+\.\d+\.\d+\.\d+$/.test(v)) return false;
      const size = 2 ** (32 - Number(bits));
      return ip4(v) >= ip4(base) && ip4(v) < ip4(base) - (ip4(base) % size) + size;
    }
    case 'numeric': {
      if (typeof v !== 'number') return false;
      const cmp: Record<string, (a: number, b: number) => boolean> = { '=': (a, b) => a === b, '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b };
      for (let i = 0; i < arg.length; i += 2) if (!(cmp[arg[i]] as (a: number, b: number) => boolean)(v, arg[i + 1])) return false;
      return true;
    }
    case 'anything-but': {
      if (Array.isArray(arg) || typeof arg !== 'object') return !list(arg).includes(v);
      const [inner, vals] = Object.entries(arg)[0] as [string, Json];
      return !str(v) || !list(vals).some((x: string) => (inner === 'wildcard' ? wild(x, v) : test({ [inner]: x }, v)));
    }
    default: throw new Error(`reference does not know ${op}`);
  }
}

/** True when the naive reading says the pattern matches the event. */
export function referenceMatches(pattern: Json, event: Json): boolean {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return false;
  const present = new Set<string>();
  allLeaves(event, '', present);
  const views = variants(event, '', [{}]);
  return alternatives(pattern, []).some((alt) =>
    views.some((view) =>
      Object.entries(alt).every(([path, conds]) =>
        (!present.has(path) && conds.some((c: Json) => c?.exists === false)) ||
        (Object.hasOwn(view, path) && conds.some((c: Json) => c?.exists !== false && test(c, view[path]))))));
}
