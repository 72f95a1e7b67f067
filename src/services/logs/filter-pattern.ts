/**
 * CloudWatch Logs filter patterns, compiled once into a predicate over an event's message:
 *
 * - terms: `ERROR Exception` (all must occur), `"quoted phrase"`, `-term` (must not occur),
 *   `?ERROR ?WARN` (any of them);
 * - JSON: `{ $.level = "error" && $.latency > 100 }` with `=`, `!=`, `<`, `<=`, `>`, `>=`,
 *   `*` wildcards in strings, `IS NULL`, `EXISTS`, `NOT EXISTS`, `&&` binding tighter than `||`;
 * - space-delimited: `[ip, user, status=404, ...]` with `=`/`!=` conditions per field.
 *
 * Pure: a pattern AWS would refuse throws {@link FilterPatternError}.
 */
export class FilterPatternError extends Error {}

export type Predicate = (message: string) => boolean;

export function compileFilterPattern(source: string): Predicate {
  const p = source.trim();
  if (p === '' || p === '""') return () => true;
  if (p.startsWith('{')) return jsonPattern(p);
  if (p.startsWith('[')) return delimitedPattern(p);
  return termPattern(p);
}

function tokens(p: string): string[] {
  const out: string[] = [];
  const re = /\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p)) !== null) out.push(m[1]! + (m[2] !== undefined ? m[2].replace(/\\"/g, '"') : m[3]!));
  return out;
}

function termPattern(p: string): Predicate {
  const ts = tokens(p);
  const any = ts.filter((t) => t.startsWith('?')).map((t) => t.slice(1));
  if (any.length > 0) return (msg) => any.some((t) => msg.includes(t));
  const must = ts.filter((t) => !t.startsWith('-'));
  const not = ts.filter((t) => t.startsWith('-') && t.length > 1).map((t) => t.slice(1));
  return (msg) => must.every((t) => msg.includes(t)) && !not.some((t) => msg.includes(t));
}

type Cond = (value: unknown, present: boolean) => boolean;

function wildcard(s: string): RegExp {
  return new RegExp(`^${s.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function comparison(op: string, raw: string): Cond {
  const quoted = /^"(.*)"$/.exec(raw);
  const text = quoted ? quoted[1]! : raw;
  const num = quoted ? NaN : Number(raw);
  if (['<', '<=', '>', '>='].includes(op)) {
    if (Number.isNaN(num)) throw new FilterPatternError('Invalid filter pattern definition.');
    return (v) => typeof v === 'number' && (op === '<' ? v < num : op === '<=' ? v <= num : op === '>' ? v > num : v >= num);
  }
  const re = wildcard(text);
  const eq: Cond = (v) => (!Number.isNaN(num) && typeof v === 'number' ? v === num : v !== undefined && v !== null && typeof v !== 'object' && re.test(String(v)));
  return op === '=' ? eq : (v, present) => present && !eq(v, present);
}

function jsonPattern(p: string): Predicate {
  const body = /^\{(.*)\}$/s.exec(p)?.[1];
  if (body === undefined) throw new FilterPatternError('Invalid filter pattern definition.');
  const clause = (c: string): (doc: unknown) => boolean => {
    const m = /^\s*\(?\s*(\$(?:\.[A-Za-z0-9_$@-]+|\[\d+\])+)\s*(=|!=|<=|>=|<|>|IS NULL|NOT EXISTS|EXISTS|IS TRUE|IS FALSE)\s*(.*?)\s*\)?\s*$/s.exec(c);
    if (!m) throw new FilterPatternError('Invalid filter pattern definition.');
    const path = m[1]!.slice(1).match(/\.[^.[\]]+|\[\d+\]/g)!.map((s) => (s.startsWith('.') ? s.slice(1) : Number(s.slice(1, -1))));
    const op = m[2]!;
    const get = (doc: unknown): { v: unknown; present: boolean } => {
      let cur: unknown = doc;
      for (const k of path) {
        if (cur === null || typeof cur !== 'object' || !(k in (cur as object))) return { v: undefined, present: false };
        cur = (cur as Record<string | number, unknown>)[k];
      }
      return { v: cur, present: true };
    };
    if (op === 'IS NULL') return (d) => get(d).present && get(d).v === null;
    if (op === 'EXISTS') return (d) => get(d).present;
    if (op === 'NOT EXISTS') return (d) => !get(d).present;
    if (op === 'IS TRUE' || op === 'IS FALSE') return (d) => get(d).v === (op === 'IS TRUE');
    const cond = comparison(op, m[3]!);
    return (d) => { const g = get(d); return cond(g.v, g.present); };
  };
  const ors = body.split('||').map((alt) => alt.split('&&').map(clause));
  return (msg) => {
    let doc: unknown;
    try { doc = JSON.parse(msg); } catch { return false; }
    return ors.some((ands) => ands.every((f) => f(doc)));
  };
}

function delimitedPattern(p: string): Predicate {
  const body = /^\[(.*)\]$/s.exec(p)?.[1];
  if (body === undefined) throw new FilterPatternError('Invalid filter pattern definition.');
  const fields = body.split(',').map((f) => f.trim()).filter((f) => f !== '');
  const conds: { index: number; cond: Cond }[] = [];
  let ellipsis = false;
  fields.forEach((f, index) => {
    if (f === '...') { ellipsis = true; return; }
    const m = /^([A-Za-z0-9_]+)\s*(=|!=|<=|>=|<|>)\s*(.+)$/.exec(f);
    if (m) conds.push({ index, cond: comparison(m[2]!, m[3]!) });
  });
  return (msg) => {
    const words = tokens(msg);
    if (!ellipsis && words.length !== fields.length) return false;
    return conds.every(({ index, cond }) => {
      const w = words[index];
      const n = Number(w);
      return cond(w !== undefined && w !== '' && !Number.isNaN(n) ? n : w, w !== undefined);
    });
  };
}
