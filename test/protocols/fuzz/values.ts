// Values shaped like an operation's input but wrong where it hurts: members of the right names
// holding the wrong JSON types, junk scalars, awkward map keys, and nesting that follows a
// recursive shape (DynamoDB's AttributeValue, …) far deeper than any real client would send.

import type { Member, ServiceModel, Shape } from '../../../src/protocols/model.js';
import { shapeOf } from '../../../src/protocols/model.js';
import type { Pick } from './pick.js';
import { JUNK_KEYS, JUNK_SCALARS, junkScalar } from './pick.js';

/** A literal JSON token written as is (numbers JSON.stringify cannot produce). */
export class Raw {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold Raw tokens. */
export function jsonText(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const RAW_NUMBERS = ['1e999', '-1e999', '-0', '123456789012345678901234567890', '1E-400', '0.1e1', '9007199254740993', '-9223372036854775809'];

export function junkJson(p: Pick): unknown {
  return p.weighted<unknown>([
    [3, () => p.one<unknown>([null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, '', 'x', [], {}, [null], { a: {} }])],
    [2, () => p.one(JUNK_SCALARS)],
    [1, () => new Raw(p.one(RAW_NUMBERS))],
    [1, () => p.json()],
    [1, () => 'x'.repeat(p.one([1024, 70_000, 400_000]))],
  ]);
}

function wireName(name: string, m: Member, jsonName: boolean): string {
  return (jsonName && typeof m.traits?.jsonName === 'string' && m.traits.jsonName) || name;
}

function isBound(m: Member): boolean {
  const t = m.traits ?? {};
  return !!(t.httpHeader || t.httpQuery || t.httpLabel || t.httpPrefixHeaders !== undefined || t.httpQueryParams || t.httpPayload || t.httpResponseCode);
}

/** Members an input structure takes from the body (all of them for the RPC protocols). */
export function bodyMembers(shape: Shape, rest: boolean): Array<[string, Member]> {
  return Object.entries(shape.members ?? {}).filter(([, m]) => !rest || !isBound(m));
}

/** A member subset: required members usually, the others sometimes (at most `max`). */
export function chooseMembers<T>(p: Pick, shape: Shape, members: Array<[string, T]>, max = 8): Array<[string, T]> {
  const req = new Set(shape.required ?? []);
  const out: Array<[string, T]> = [];
  for (const [name, m] of members) {
    if (out.length >= max) break;
    if (p.chance(req.has(name) ? 80 : Math.min(35, Math.max(4, Math.round(120 / members.length))))) out.push([name, m]);
  }
  return out;
}

export interface JsonOpts { jsonName: boolean; rest: boolean }

/** A JSON value for shape `shapeId`, wrong in places. */
export function shapedJson(p: Pick, model: ServiceModel, shapeId: string, o: JsonOpts, depth = 0): unknown {
  const shape = shapeOf(model, shapeId);
  if (depth > 0 && p.chance(12)) return junkJson(p);
  if (depth > 4) return p.one<unknown>([null, {}, [], 'x', 0]);
  switch (shape.type) {
    case 'structure':
    case 'union': {
      const out: Record<string, unknown> = {};
      for (const [name, m] of chooseMembers(p, shape, bodyMembers(shape, o.rest && depth === 0))) {
        out[wireName(name, m, o.jsonName)] = shapedJson(p, model, m.target, o, depth + 1);
      }
      if (p.chance(10)) out[p.one(JUNK_KEYS)] = junkJson(p);
      return out;
    }
    case 'list': {
      const n = p.int(0, 3);
      return Array.from({ length: n }, () => shapedJson(p, model, shape.member!.target, o, depth + 1));
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const n = p.int(0, 3);
      for (let i = 0; i < n; i++) out[p.chance(50) ? p.one(JUNK_KEYS) : p.text(6)] = shapedJson(p, model, shape.value!.target, o, depth + 1);
      return out;
    }
    case 'string':
      return p.chance(70) ? p.text(12, p.chance(20)) : junkScalar(p);
    case 'number':
    case 'bigInteger':
    case 'bigDecimal':
      return p.one<unknown>([0, 1, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, '12', 'NaN', 'Infinity', '-Infinity', 'x', new Raw('1e999'), new Raw('-0'), new Raw('123456789012345678901234567890')]);
    case 'boolean':
      return p.one<unknown>([true, false, 'true', 'false', 0, 1, 'yes', null]);
    case 'blob':
      return p.one<unknown>(['', 'YQ==', 'YQ', 'a', '!!!!', '====', 'YQ==YQ==', ' Y Q = = ', 'x'.repeat(1001), 12]);
    case 'timestamp':
      return p.one<unknown>([0, -1, 1.5, 1e20, -1e20, 8.64e15, 8.64e15 + 1, '2024-01-01T00:00:00Z', '2024-13-45T99:99:99Z', 'Thu, 01 Jan 1970 00:00:00 GMT', 'yesterday', '', '1e400', new Raw('1e999'), true, {}]);
    case 'document':
      return junkJson(p);
  }
}

// ---- recursion: a path through the shape graph that comes back to where it started ----------

export type Step = { kind: 'member'; name: string; member: Member } | { kind: 'list'; member: Member } | { kind: 'map'; member: Member };

export interface Cycle { prefix: Step[]; cycle: Step[] }

const cycles = new WeakMap<ServiceModel, Map<string, Cycle | null>>();

/** A recursive path reachable from `rootId` (bound REST members skipped at the top), if any. */
export function findCycle(model: ServiceModel, rootId: string, rest = false): Cycle | null {
  let perModel = cycles.get(model);
  if (!perModel) cycles.set(model, (perModel = new Map()));
  const key = `${rootId}|${rest}`;
  if (perModel.has(key)) return perModel.get(key)!;
  const done = new Set<string>();
  const stack: Array<{ id: string; step?: Step }> = [];
  const dfs = (id: string, step: Step | undefined, top: boolean): Cycle | null => {
    const at = stack.findIndex((s) => s.id === id);
    if (at >= 0) {
      const steps = [...stack.slice(1).map((s) => s.step!), step!];
      return { prefix: steps.slice(0, at), cycle: steps.slice(at) };
    }
    if (done.has(id)) return null;
    stack.push({ id, step });
    const shape = shapeOf(model, id);
    const next: Step[] = [];
    if (shape.type === 'structure' || shape.type === 'union') {
      for (const [name, m] of top ? bodyMembers(shape, rest) : Object.entries(shape.members ?? {})) next.push({ kind: 'member', name, member: m });
    } else if (shape.type === 'list') next.push({ kind: 'list', member: shape.member! });
    else if (shape.type === 'map') next.push({ kind: 'map', member: shape.value! });
    for (const s of next) {
      const found = dfs(s.member.target, s, false);
      if (found) return found;
    }
    stack.pop();
    done.add(id);
    return null;
  };
  const found = dfs(rootId, undefined, true);
  perModel.set(key, found);
  return found;
}

/** The steps of a cycle path repeated until `depth` steps, prefix first. */
export function deepSteps(c: Cycle, depth: number): Step[] {
  const out = [...c.prefix];
  while (out.length < depth) out.push(...c.cycle);
  return out;
}

/** JSON text nested `steps` deep along a recursive shape path. */
export function deepJson(steps: Step[], jsonName: boolean): string {
  const open: string[] = [];
  const close: string[] = [];
  for (const s of steps) {
    if (s.kind === 'member') { open.push(`{${JSON.stringify(wireName(s.name, s.member, jsonName))}:`); close.push('}'); }
    else if (s.kind === 'list') { open.push('['); close.push(']'); }
    else { open.push('{"k":'); close.push('}'); }
  }
  return open.join('') + '{}' + close.reverse().join('');
}

/** XML text nested along a recursive shape path. */
export function deepXml(steps: Step[]): string {
  const open: string[] = [];
  const close: string[] = [];
  for (const s of steps) {
    if (s.kind === 'member') {
      const n = (typeof s.member.traits?.xmlName === 'string' && s.member.traits.xmlName) || s.name;
      open.push(`<${n}>`); close.push(`</${n}>`);
    } else if (s.kind === 'list') {
      const n = (typeof s.member.traits?.xmlName === 'string' && s.member.traits.xmlName) || 'member';
      open.push(`<${n}>`); close.push(`</${n}>`);
    } else { open.push('<entry><key>k</key><value>'); close.push('</value></entry>'); }
  }
  return open.join('') + close.reverse().join('');
}

/** Query parameter pairs nested along a recursive path, keyed the awsQuery/ec2Query way. */
export function deepQuery(steps: Step[], ec2: boolean): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let key = '';
  for (const s of steps) {
    if (s.kind === 'member') {
      const base = (ec2 && typeof s.member.traits?.ec2QueryName === 'string' && s.member.traits.ec2QueryName)
        || (typeof s.member.traits?.xmlName === 'string' && s.member.traits.xmlName) || s.name;
      const n = ec2 ? base[0]!.toUpperCase() + base.slice(1) : base;
      key += (key ? '.' : '') + n;
    } else if (s.kind === 'list') key += ec2 ? '.1' : '.member.1';
    else { out.push([`${key}.entry.1.key`, 'k']); key += ec2 ? '.1.value' : '.entry.1.value'; }
  }
  out.push([key, 'x']);
  return out;
}
