// Wildcard values: `*` matches any run of characters (including none), `\*` is a literal
// asterisk and `\\` a literal backslash. Ruler parses the value wrapped in quotes, as UTF-8,
// so error positions count bytes from the opening quote.
import { PatternIssue } from './errors.js';

/**
 * Highest wildcard complexity (see {@link wildcardComplexity}) AWS accepts on one field.
 * AWS does not publish its threshold; this one separates four observed answers (see
 * docs/engines/event-pattern.md): two accepted lists of suffix wildcards (complexity 8 and 8)
 * and two refusals, AWS's own `*:*:*:*:*:event-bus/…` example (11) and four two-star path
 * wildcards sharing a prefix (16).
 */
export const WILDCARD_COMPLEXITY_LIMIT = 9;

/** AWS's message for a field whose wildcards are too non-deterministic. */
export const TOO_COMPLEX = 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/** A parsed wildcard: literal segments around each `*` (so `n` stars give `n + 1` segments). */
export interface Wildcard {
  readonly source: string;
  readonly segments: readonly string[];
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Parses a wildcard value as Ruler does; throws Ruler's messages for bad input. */
export function parseWildcard(source: string): Wildcard {
  const cps = [...source];
  const segments: string[] = [];
  let seg = '';
  let pos = 1; // byte offset inside `"source"`
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] as string;
    if (c === '*') {
      if (cps[i + 1] === '*') throw new PatternIssue('wildcard', `Consecutive wildcard characters at pos ${pos}`);
      segments.push(seg);
      seg = '';
    } else if (c === '\\') {
      const n = cps[i + 1];
      if (n !== '*' && n !== '\\') throw new PatternIssue('wildcard', `Invalid escape character at pos ${pos}`);
      seg += n;
      i++;
      pos++;
    } else {
      seg += c;
    }
    pos += utf8Length(c.codePointAt(0) as number);
  }
  segments.push(seg);
  return { source, segments };
}

/** Matches a string against a parsed wildcard (linear, greedy left to right). */
export function wildcardMatches(w: Wildcard, s: string): boolean {
  const segs = w.segments;
  const first = segs[0] as string;
  if (segs.length === 1) return s === first;
  const last = segs[segs.length - 1] as string;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (let i = 1; i < segs.length - 1; i++) {
    const seg = segs[i] as string;
    const found = s.indexOf(seg, at);
    if (found < 0 || found + seg.length > end) return false;
    at = found + seg.length;
  }
  return true;
}

interface Node {
  readonly id: number;
  readonly chars: Map<string, Node>;
  star: Node | undefined;
  readonly isStar: boolean;
  weight: number;
}

/** Builds Ruler's shared-prefix machine for one field's wildcards; weights count the patterns through each state. */
function machine(ws: readonly Wildcard[]): { root: Node; alphabet: string[] } {
  let ids = 0;
  const node = (isStar: boolean): Node => ({ id: ids++, chars: new Map(), star: undefined, isStar, weight: 0 });
  const root = node(false);
  const alphabet = new Set<string>();
  for (const w of ws) {
    let at = root;
    w.segments.forEach((seg, i) => {
      if (i > 0) {
        at.star ??= node(true);
        at = at.star;
        at.weight++;
      }
      for (const c of seg) {
        alphabet.add(c);
        let next = at.chars.get(c);
        if (next === undefined) at.chars.set(c, (next = node(false)));
        at = next;
        at.weight++;
      }
    });
  }
  return { root, alphabet: [...alphabet, '\u0000other'] };
}

/**
 * Ruler's complexity of one field's wildcards: over every input, the most weight the
 * machine's active states carry at once, where a state weighs the number of wildcard
 * patterns reachable from it and a state followed by `*` also counts that `*` (an input
 * matching `foo` is a prefix of one matching `foo*`). Stops early past `limit`.
 */
export function wildcardComplexity(ws: readonly Wildcard[], limit = WILDCARD_COMPLEXITY_LIMIT): number {
  const unique = [...new Map(ws.map((w) => [w.source, w])).values()];
  const { root, alphabet } = machine(unique);
  const size = (set: readonly Node[]) =>
    set.reduce((n, a) => n + a.weight + (a.star !== undefined && !set.includes(a.star) ? a.star.weight : 0), 0);
  const step = (set: readonly Node[], c: string): Node[] => {
    const out = new Map<number, Node>();
    for (const a of set) {
      for (const x of a.star === undefined ? [a] : [a, a.star]) {
        if (x.isStar) out.set(x.id, x);
        const next = x.chars.get(c);
        if (next !== undefined) out.set(next.id, next);
      }
    }
    return [...out.values()];
  };
  const seen = new Set<string>();
  const queue: Node[][] = [[root]];
  let max = 0;
  while (queue.length > 0) {
    const set = queue.shift() as Node[];
    for (const c of alphabet) {
      const next = step(set, c);
      if (next.length === 0) continue;
      max = Math.max(max, size(next));
      if (max > limit) return max;
      const key = next.map((n) => n.id).sort((a, b) => a - b).join(',');
      if (seen.has(key)) continue;
      if (seen.size > 5_000) return limit + 1;
      seen.add(key);
      queue.push(next);
    }
  }
  return max;
}
