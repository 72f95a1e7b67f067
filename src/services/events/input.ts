/**
 * What a target receives: the whole event, the constant `Input`, the part `InputPath` selects,
 * or an `InputTransformer` template filled from `InputPathsMap` and the `<aws.events.*>`
 * values. Template filling follows what AWS does: inside a JSON string a value is inserted
 * bare (objects and arrays in AWS's unquoted `{k:v}` / `[a,b]` form, a missing path as
 * nothing); outside, as JSON (a missing path as `null`). A result that is not JSON text is not
 * delivered.
 */
import type { EventEnvelope, Target } from './store.js';

const PLACEHOLDER = /<([A-Za-z0-9_.\-]+)>/g;

/** The placeholder names a template uses. */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Reads a JSONPath of the simple form EventBridge accepts: `$`, `$.a.b`, `$.a[0]`, `$['a-b']`. */
export function readPath(root: unknown, path: string): unknown {
  if (!path.startsWith('$')) return undefined;
  const steps = path.slice(1).match(/\.[^.[\]]+|\[\d+\]|\['[^']*'\]|\["[^"]*"\]/g) ?? [];
  if (steps.join('') !== path.slice(1)) return undefined;
  let v: unknown = root;
  for (const s of steps) {
    if (v === null || typeof v !== 'object') return undefined;
    const key = s.startsWith('.') ? s.slice(1) : s.startsWith('[\'') || s.startsWith('["') ? s.slice(2, -2) : Number(s.slice(1, -1));
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** AWS's unquoted rendering of a value inside a template string. */
function bare(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return `[${v.map(bare).join(',')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}:${bare(x)}`).join(',')}}`;
  if (typeof v === 'string') return JSON.stringify(v).slice(1, -1);
  return String(v);
}

/** The fields `<aws.events.event>` shows: the envelope without detail, in camelCase. */
function eventSummary(e: EventEnvelope): Record<string, unknown> {
  return { id: e.id, account: e.account, detailType: e['detail-type'], time: e.time, source: e.source, region: e.region, resources: e.resources, version: e.version };
}

export interface RuleInfo { name: string; arn: string }

/** Fills a template. Returns undefined when the result is not JSON text (AWS drops it). */
export function fillTemplate(template: string, values: Record<string, unknown>): string | undefined {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      const m = /^<([A-Za-z0-9_.\-]+)>/.exec(template.slice(i));
      if (m && m[1]! in values) {
        const v = values[m[1]!];
        out += inString ? bare(v) : v === undefined ? 'null' : JSON.stringify(v);
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  try {
    JSON.parse(out);
    return out;
  } catch {
    return undefined;
  }
}

/** The body a target gets for an event, or undefined when it gets nothing. */
export function targetInput(t: Target, event: EventEnvelope, rule: RuleInfo, ingestedMs: number): string | undefined {
  if (typeof t['Input'] === 'string') return t['Input'];
  if (typeof t['InputPath'] === 'string') {
    const v = readPath(event, t['InputPath']);
    return v === undefined ? undefined : JSON.stringify(v);
  }
  const tr = t['InputTransformer'] as { InputTemplate: string; InputPathsMap?: Record<string, string> } | undefined;
  if (!tr) return JSON.stringify(event);
  const values: Record<string, unknown> = {
    'aws.events.rule-arn': rule.arn,
    'aws.events.rule-name': rule.name,
    'aws.events.event.ingestion-time': new Date(ingestedMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws.events.event': eventSummary(event),
    'aws.events.event.json': event,
  };
  for (const [k, p] of Object.entries(tr.InputPathsMap ?? {})) values[k] = readPath(event, p);
  return fillTemplate(tr.InputTemplate, values);
}
