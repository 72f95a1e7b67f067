/**
 * DescribeStateMachine's `variableReferences`: per state, the variables its fields read
 * (`$name` in JSONPath paths and JSONata expressions), so consoles can show data flow.
 */
import { isObject, type Json } from '../../engines/states/json.js';

const RESERVED = new Set(['states']);

function collect(v: Json, out: Set<string>): void {
  if (typeof v === 'string') {
    const body = v.startsWith('{%') && v.endsWith('%}') ? v.slice(2, -2) : v.startsWith('$') ? v : '';
    for (const m of body.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) if (!RESERVED.has(m[1]!) && m.index !== undefined && body[m.index + 1] !== '$') out.add(m[1]!);
  } else if (Array.isArray(v)) v.forEach((x) => collect(x, out));
  else if (isObject(v)) for (const x of Object.values(v)) collect(x, out);
}

function walkStates(states: Json | undefined, out: Record<string, string[]>): void {
  if (!isObject(states)) return;
  for (const [name, st] of Object.entries(states)) {
    if (!isObject(st)) continue;
    const own = new Set<string>();
    for (const [k, v] of Object.entries(st)) {
      if (k === 'Branches' || k === 'ItemProcessor' || k === 'Iterator') continue;
      collect(v, own);
    }
    if (own.size > 0) out[name] = [...own];
    for (const b of Array.isArray(st['Branches']) ? st['Branches'] : []) if (isObject(b)) walkStates(b['States'], out);
    const proc = st['ItemProcessor'] ?? st['Iterator'];
    if (isObject(proc)) walkStates(proc['States'], out);
  }
}

export function variableReferences(definition: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  try {
    const def = JSON.parse(definition) as Json;
    if (isObject(def)) walkStates(def['States'], out);
  } catch { /* validated at create time */ }
  return out;
}
