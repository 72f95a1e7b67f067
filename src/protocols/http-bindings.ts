import type { ServiceModel, Shape } from './model.js';
import { mergedTraits, shapeOf } from './model.js';
import { readScalar } from './xml-codec.js';
import { formatTimestamp, SerdeError, toBuffer } from './values.js';

/**
 * HTTP bindings of the REST protocols (restJson1, restXml): matching a request to an
 * operation by method and URI template, reading labels, query strings and headers into the
 * input, and writing output members bound to headers and the status code.
 */

interface Segment { literal?: string; label?: string; greedy?: boolean }

export interface Route {
  operation: string;
  method: string;
  segments: Segment[];
  /** Literal query keys (and values) the URI template requires, e.g. `?acl` or `?list-type=2`. */
  query: [string, string | undefined][];
  /** The operation name the URI template puts in `x-id`, which SDKs send and other clients do not. */
  xId?: string;
  /** Query keys and (lower-case) headers of required input members: they tell apart routes with one URI. */
  requiredQuery: string[];
  requiredHeaders: string[];
  /** The operation is addressed by a host prefix with labels (S3's `{RequestRoute}.`). */
  hostLabels: boolean;
  /** The input has a `Bucket` bound to the URI (S3 takes the bucket off the host or path first). */
  bucketLabel: boolean;
  score: number;
}

const routeCache = new WeakMap<ServiceModel, Route[]>();

/** Routes of a model, most specific first. */
export function routesOf(model: ServiceModel): Route[] {
  let routes = routeCache.get(model);
  if (routes) return routes;
  routes = [];
  for (const [operation, op] of Object.entries(model.operations)) {
    const http = op.traits?.http;
    if (!http) continue;
    const [method, uri] = http;
    const [p, q = ''] = uri.split('?');
    const segments: Segment[] = p!.split('/').filter(Boolean).map((seg) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(seg);
      return m ? { label: m[1], greedy: m[2] === '+' } : { literal: seg };
    });
    const literal = q.split('&').filter(Boolean)
      .map((kv): [string, string | undefined] => { const [k, v] = kv.split('='); return [k!, v]; });
    // `x-id` names the operation for clients that send it (SDKs) and is absent from others'.
    const query = literal.filter(([k]) => k !== 'x-id');
    const literals = segments.filter((s) => s.literal).length;
    const greedy = segments.some((s) => s.greedy) ? 1 : 0;
    const input = shapeOf(model, op.input);
    const required = (input.required ?? []).map((n) => input.members?.[n]?.traits ?? {});
    routes.push({
      operation, method, segments, query, xId: literal.find(([k]) => k === 'x-id')?.[1],
      requiredQuery: required.flatMap((t) => (t.httpQuery ? [t.httpQuery] : [])),
      requiredHeaders: required.flatMap((t) => (t.httpHeader ? [t.httpHeader.toLowerCase()] : [])),
      hostLabels: (op.traits?.endpoint?.[0] ?? '').includes('{'),
      bucketLabel: !!input.members?.['Bucket']?.traits?.httpLabel,
      score: literals * 100 + query.length * 10 + segments.length - greedy * 5,
    });
  }
  routes.sort((a, b) => b.score - a.score);
  routeCache.set(model, routes);
  return routes;
}

const methodCache = new WeakMap<ServiceModel, Map<string, Route[]>>();

/** The routes of one HTTP method, in the same order: a request is matched against these only. */
export function routesFor(model: ServiceModel, method: string): Route[] {
  let byMethod = methodCache.get(model);
  if (!byMethod) methodCache.set(model, (byMethod = new Map()));
  let routes = byMethod.get(method);
  if (!routes) byMethod.set(method, (routes = routesOf(model).filter((r) => r.method === method)));
  return routes;
}

function decode(s: string): string {
  try { return decodeURIComponent(s); } catch { throw new SerdeError('', `invalid percent-encoding in \`${s}\``); }
}

/** Matches path segments (still encoded) against a route, returning decoded label values. */
export function matchRoute(route: Route, method: string, parts: string[], query: URLSearchParams): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  for (const [k, v] of route.query) {
    if (!query.has(k)) return undefined;
    if (v !== undefined && query.get(k) !== v) return undefined;
  }
  const labels: Record<string, string> = {};
  let i = 0;
  for (const seg of route.segments) {
    if (seg.greedy) {
      const rest = parts.slice(i).map(decode).join('/');
      if (rest === '') return undefined;
      labels[seg.label!] = rest;
      i = parts.length;
      continue;
    }
    const part = parts[i++];
    if (part === undefined) return undefined;
    if (seg.literal !== undefined) {
      if (decode(part) !== seg.literal) return undefined;
    } else {
      labels[seg.label!] = decode(part);
    }
  }
  // A trailing '/' after the last segment is tolerated, as AWS's front ends do.
  return i === parts.length || (i === parts.length - 1 && parts[i] === '') ? labels : undefined;
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h.join(', ') : h;
}

/** How one input member is bound, worked out once per operation. */
type InputBinding =
  | { kind: 'label'; name: string; target: Shape }
  | { kind: 'query'; name: string; key: string; target: Shape; item?: Shape }
  | { kind: 'header'; name: string; target: Shape; item?: Shape; httpDates: boolean; json: boolean }
  | { kind: 'prefix'; name: string };

/** An operation's input bindings, in member order (the order values are read and errors found). */
interface InputPlan {
  shape: Shape;
  bindings: InputBinding[];
  /** Query keys some member or the URI template takes: the rest go to an `httpQueryParams` map. */
  boundQuery: Set<string>;
  paramsMember?: string;
  paramsListValued: boolean;
  payloadMember?: string;
  hasBodyMembers: boolean;
  /** The binding (by index) each lower-case header name feeds, and the prefix bindings. */
  headerSlots: Map<string, number>;
  prefixSlots: { slot: number; prefix: string }[];
}

const inputPlans = new WeakMap<ServiceModel, Map<string, InputPlan>>();

function inputPlan(model: ServiceModel, operation: string): InputPlan {
  let byOp = inputPlans.get(model);
  if (!byOp) inputPlans.set(model, (byOp = new Map()));
  let plan = byOp.get(operation);
  if (plan) return plan;
  const shape = shapeOf(model, model.operations[operation]!.input);
  const route = routesOf(model).find((r) => r.operation === operation);
  // Keys the URI template itself fixes (`?mode=import`) belong to no member.
  plan = {
    shape, bindings: [], boundQuery: new Set(route?.query.map(([k]) => k) ?? []), paramsListValued: false, hasBodyMembers: false,
    headerSlots: new Map(), prefixSlots: [],
  };
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    const t = m.traits ?? {};
    const target = shapeOf(model, m.target);
    const item = target.type === 'list' ? shapeOf(model, target.member!.target) : undefined;
    if (t.httpLabel) {
      plan.bindings.push({ kind: 'label', name, target });
    } else if (t.httpQuery) {
      plan.boundQuery.add(t.httpQuery);
      plan.bindings.push({ kind: 'query', name, key: t.httpQuery, target, item });
    } else if (t.httpQueryParams) {
      plan.paramsMember = name;
      plan.paramsListValued = shapeOf(model, target.value!.target).type === 'list';
    } else if (t.httpHeader) {
      const fmt = item ? mergedTraits(model, target.member!).timestampFormat ?? 'http-date' : undefined;
      plan.headerSlots.set(t.httpHeader.toLowerCase(), plan.bindings.length);
      plan.bindings.push({
        kind: 'header', name, target, item,
        httpDates: item?.type === 'timestamp' && fmt === 'http-date',
        json: target.type === 'string' && mergedTraits(model, m).mediaType === 'application/json',
      });
    } else if (t.httpPrefixHeaders !== undefined) {
      plan.prefixSlots.push({ slot: plan.bindings.length, prefix: t.httpPrefixHeaders.toLowerCase() });
      plan.bindings.push({ kind: 'prefix', name });
    } else if (t.httpPayload) {
      plan.payloadMember = name;
    } else if (!t.httpResponseCode) {
      plan.hasBodyMembers = true;
    }
  }
  byOp.set(operation, plan);
  return plan;
}

/**
 * Reads the members of `input` bound to labels, query parameters and headers. Returns the
 * values read and the name of the payload member, if one is bound.
 */
export function readBoundMembers(
  model: ServiceModel, operation: string, labels: Record<string, string>, query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
): { values: Record<string, unknown>; payloadMember?: string; hasBodyMembers: boolean } {
  const plan = inputPlan(model, operation);
  const values: Record<string, unknown> = readHostLabels(model, operation, plan.shape, headers);
  const anyQuery = query.size > 0;
  // The request's dozen headers are looked up among the bindings, not the operation's dozens of
  // header members among the headers: V8 reads an absent property by a variable name slowly
  // (PutObject spent ~20% of its time here), and a Map is quick either way.
  const found: (string | string[] | Record<string, string> | undefined)[] = new Array(plan.bindings.length);
  for (const k in headers) {
    const v = headers[k];
    if (v === undefined) continue;
    const slot = plan.headerSlots.get(k);
    if (slot !== undefined) found[slot] = v;
    for (const { slot, prefix } of plan.prefixSlots) {
      if (k.startsWith(prefix)) ((found[slot] ??= {}) as Record<string, string>)[k.slice(prefix.length)] = headerValue(v)!;
    }
  }
  for (let i = 0; i < plan.bindings.length; i++) {
    const b = plan.bindings[i]!;
    const path = b.name;
    if (b.kind === 'label') {
      if (labels[b.name] !== undefined) values[b.name] = readScalar(b.target, labels[b.name]!, path);
    } else if (b.kind === 'query') {
      if (!anyQuery) continue;
      const all = query.getAll(b.key);
      if (!all.length) continue;
      values[b.name] = b.item ? all.map((v) => readScalar(b.item!, v, path)) : readScalar(b.target, all[0]!, path);
    } else if (b.kind === 'header') {
      const raw = headerValue(found[i] as string | string[] | undefined);
      if (raw === undefined) continue;
      if (b.item) values[b.name] = splitHeaderList(raw, b.httpDates).map((v) => readScalar(b.item!, v, path));
      else if (b.json) values[b.name] = Buffer.from(raw, 'base64').toString('utf8');
      else values[b.name] = readScalar(b.target, raw, path);
    } else if (found[i] !== undefined) {
      values[b.name] = found[i];
    }
  }
  if (plan.paramsMember && anyQuery) {
    const map: Record<string, unknown> = {};
    for (const k of new Set(query.keys())) {
      if (plan.boundQuery.has(k)) continue;
      map[k] = plan.paramsListValued ? query.getAll(k) : query.get(k);
    }
    if (Object.keys(map).length) values[plan.paramsMember] = map;
  }
  return { values, payloadMember: plan.payloadMember, hasBodyMembers: plan.hasBodyMembers };
}

/**
 * Members bound by `hostLabel` to the operation's host prefix (`{RequestRoute}.` in S3's
 * WriteGetObjectResponse), read back from the Host header.
 */
function readHostLabels(
  model: ServiceModel, operation: string, shape: Shape, headers: Record<string, string | string[] | undefined>,
): Record<string, unknown> {
  const prefix = model.operations[operation]!.traits?.endpoint?.[0];
  const host = headerValue(headers['host']);
  if (!prefix || !host || !prefix.includes('{')) return {};
  const names: string[] = [];
  const pattern = prefix.replace(/\{([^}]+)\}|[^{]+/g, (part, name?: string) => {
    if (name) { names.push(name); return '([^.]+)'; }
    return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  });
  const m = new RegExp(`^${pattern}`).exec(host);
  const out: Record<string, unknown> = {};
  names.forEach((n, i) => { if (m && shape.members?.[n]?.traits?.hostLabel) out[n] = m[i + 1]; });
  return out;
}

/**
 * Splits a list-valued header as clients write it: items joined by commas, an item that holds
 * a comma or a quote wrapped in double quotes with `\\` escapes. Unquoted http-date
 * timestamps hold a comma of their own, so their pieces are paired up again.
 */
export function splitHeaderList(raw: string, httpDates = false): string[] {
  if (raw.trim() === '') return [];
  const items: string[] = [];
  let quoted = false;
  let escaped = false;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"' && !escaped) quoted = !quoted;
    else if (c === ',' && !quoted) { items.push(raw.slice(start, i)); start = i + 1; }
    escaped = c === '\\' && !escaped;
  }
  items.push(raw.slice(start));
  const out = items.map((v) => {
    const t = v.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\(["\\])/g, '$1') : t;
  });
  if (!httpDates) return out;
  const dates: string[] = [];
  for (let i = 0; i < out.length; i++) {
    if (/^[A-Za-z]{3}$/.test(out[i]!) && i + 1 < out.length) dates.push(`${out[i]}, ${out[++i]}`);
    else dates.push(out[i]!);
  }
  return dates;
}

/** Quotes a header list item the way clients read it back (see `splitHeaderList`). */
function quoteHeaderItem(s: string): string {
  return /[",]/.test(s) ? `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : s;
}

/** How one output member is bound, worked out once per shape. */
type OutputBinding =
  | { kind: 'status'; name: string }
  | { kind: 'header'; name: string; key: string; target: Shape; fmt: string | undefined }
  | { kind: 'prefix'; name: string; prefix: string };

interface OutputPlan { bindings: OutputBinding[]; payloadMember?: string; hasBodyMembers: boolean }

const outputPlans = new WeakMap<Shape, OutputPlan>();

function outputPlan(model: ServiceModel, shape: Shape): OutputPlan {
  let plan = outputPlans.get(shape);
  if (plan) return plan;
  plan = { bindings: [], hasBodyMembers: false };
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    const t = m.traits ?? {};
    if (t.httpPayload) plan.payloadMember = name;
    else if (t.httpResponseCode) plan.bindings.push({ kind: 'status', name });
    else if (t.httpPrefixHeaders !== undefined) plan.bindings.push({ kind: 'prefix', name, prefix: t.httpPrefixHeaders });
    else if (t.httpHeader) {
      // Header names go out lower-case, as HTTP/2 requires and node delivers them, so that a
      // default set later (`content-type`) is seen and not sent twice.
      plan.bindings.push({ kind: 'header', name, key: t.httpHeader.toLowerCase(), target: shapeOf(model, m.target), fmt: mergedTraits(model, m).timestampFormat });
    } else {
      // httpQuery and httpLabel mean nothing in a response: such members travel in the body.
      plan.hasBodyMembers = true;
    }
  }
  outputPlans.set(shape, plan);
  return plan;
}

/** Writes output members bound to headers and the status code. */
export function writeBoundMembers(
  model: ServiceModel, shape: Shape, output: Record<string, unknown>, defaultStatus: number,
): { status: number; headers: Record<string, string>; payloadMember?: string; hasBodyMembers: boolean } {
  const plan = outputPlan(model, shape);
  const headers: Record<string, string> = {};
  let status = defaultStatus;
  for (const b of plan.bindings) {
    const v = output[b.name];
    if (b.kind === 'status') { if (typeof v === 'number') status = v; continue; }
    if (v === undefined || v === null) continue;
    if (b.kind === 'prefix') {
      for (const [k, val] of Object.entries(v as Record<string, string>)) headers[`${b.prefix}${k}`.toLowerCase()] = String(val);
    } else {
      headers[b.key] = headerText(model, b.target, b.fmt, v);
    }
  }
  return { status, headers, payloadMember: plan.payloadMember, hasBodyMembers: plan.hasBodyMembers };
}

function headerText(model: ServiceModel, target: Shape, fmt: string | undefined, v: unknown): string {
  switch (target.type) {
    case 'timestamp': return String(formatTimestamp(v, (fmt as 'http-date') ?? 'http-date'));
    case 'list': {
      const item = shapeOf(model, target.member!.target);
      const fmt = mergedTraits(model, target.member!).timestampFormat;
      return (v as unknown[]).map((e) => {
        const text = headerText(model, item, fmt, e);
        return item.type === 'timestamp' ? text : quoteHeaderItem(text);
      }).join(', ');
    }
    case 'blob': return toBuffer(v).toString('base64');
    default: return String(v);
  }
}
