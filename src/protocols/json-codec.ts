import type { Member, ServiceModel, Shape } from './model.js';
import { mergedTraits, shapeOf, withoutRequired } from './model.js';
import type { Problems, TimestampFormat } from './values.js';
import {
  checkRequired, formatTimestamp, fromBase64, memberPath, parseBoolean, parseNumber, parseTimestamp,
  SerdeError, toBuffer,
} from './values.js';

/**
 * JSON bodies by shape, for awsJson1_0, awsJson1_1 and restJson1 (which differ only in
 * whether `jsonName` renames members). Reading validates types and required members.
 */
export interface JsonSettings {
  useJsonName: boolean;
  timestampFormat: TimestampFormat;
  /** restJson1: members bound to headers and the status code are left out of the body. */
  httpBindings: boolean;
}

function wireName(name: string, m: Member, s: JsonSettings): string {
  return (s.useJsonName && m.traits?.jsonName) || name;
}

/** Reads a JSON value as the shape `shapeId`, in the request direction. */
export function readJson(
  model: ServiceModel, shapeId: string, value: unknown, path: string, s: JsonSettings, problems: Problems, topRequired = true,
): unknown {
  const shape = shapeOf(model, shapeId);
  return read(model, topRequired ? shape : withoutRequired(shape), value, path, s, problems, 0);
}

/** Deeper than any AWS API nests (DynamoDB allows 32 levels of attribute values). */
const MAX_DEPTH = 100;

function read(model: ServiceModel, shape: Shape, v: unknown, path: string, s: JsonSettings, problems: Problems, depth: number): unknown {
  if (v === null || v === undefined) return undefined;
  if (depth > MAX_DEPTH) throw new SerdeError(path, `the request nests deeper than ${MAX_DEPTH} levels`);
  switch (shape.type) {
    case 'structure':
    case 'union': {
      if (typeof v !== 'object' || Array.isArray(v)) throw new SerdeError(path, `expected an object at '${path || 'body'}'`);
      const out: Record<string, unknown> = {};
      const obj = v as Record<string, unknown>;
      const members = shape.members ?? {};
      // In the model's order (which error is reported first stays the same), without
      // allocating the member entries for every value (10 per DynamoDB AttributeValue).
      for (const name in members) {
        const m = members[name]!;
        const raw = obj[wireName(name, m, s)];
        if (raw === undefined || raw === null) continue;
        const t = shapeOf(model, m.target);
        out[name] = read(model, t, raw, memberPath(path, name), s, problems, depth + 1);
      }
      if (shape.type === 'structure') checkRequired(shape, out, path, problems);
      return out;
    }
    case 'list': {
      if (!Array.isArray(v)) throw new SerdeError(path, `expected a list at '${path}'`);
      const t = shapeOf(model, shape.member!.target);
      return v.map((e, i) => read(model, t, e, `${path}.${i + 1}.member`, s, problems, depth + 1) ?? null);
    }
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) throw new SerdeError(path, `expected a map at '${path}'`);
      const t = shapeOf(model, shape.value!.target);
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
        out[k] = read(model, t, e, `${path}.${k}.member`, s, problems, depth + 1) ?? null;
      }
      return out;
    }
    case 'string':
      if (typeof v !== 'string') throw new SerdeError(path, `expected a string at '${path}' but found ${typeof v}`);
      return v;
    case 'number':
      if (typeof v !== 'number' && typeof v !== 'string') throw new SerdeError(path, `expected a number at '${path}'`);
      return parseNumber(v, path);
    case 'bigInteger':
    case 'bigDecimal':
      return String(parseNumber(v, path));
    case 'boolean':
      if (typeof v !== 'boolean') throw new SerdeError(path, `expected a boolean at '${path}'`);
      return parseBoolean(v, path);
    case 'blob':
      if (typeof v !== 'string') throw new SerdeError(path, `expected a base64 string at '${path}'`);
      return fromBase64(v, path);
    case 'timestamp':
      return parseTimestamp(v, path);
    case 'document':
      return v;
  }
}

/** Writes a typed value of shape `shapeId` as a JSON value, in the response direction. */
export function writeJson(model: ServiceModel, shapeId: string, value: unknown, s: JsonSettings): unknown {
  return write(model, shapeOf(model, shapeId), value, s, undefined);
}

/**
 * Copies only what writing changes: a structure, list or map whose members all come out as
 * they went in is returned itself (a 100-item DynamoDB Query is mostly strings), and a copy
 * starts at the first member that differs. The result is only read (stringified), never changed.
 */
function write(model: ServiceModel, shape: Shape, v: unknown, s: JsonSettings, tsFormat: TimestampFormat | undefined): unknown {
  if (v === undefined || v === null) return undefined;
  switch (shape.type) {
    case 'structure':
    case 'union': {
      const obj = v as Record<string, unknown>;
      const members = shape.members ?? {};
      let out: Record<string, unknown> | undefined;
      // The value's own members only (a union has one): walking every member of the shape
      // cost most of a 100-item DynamoDB Query's answer (10 per AttributeValue).
      for (const name in obj) {
        const value = obj[name];
        const m = Object.hasOwn(members, name) ? members[name]! : undefined;
        let w: unknown;
        let key = name;
        if (m !== undefined && value !== undefined && value !== null) {
          const traits = m.traits;
          // Output members bound to headers and the status code travel outside the body;
          // httpQuery and httpLabel mean nothing in a response, so those members stay in it.
          if (!(s.httpBindings && traits && (traits.httpHeader || traits.httpPrefixHeaders !== undefined || traits.httpResponseCode))) {
            const target = shapeOf(model, m.target);
            w = write(model, target, value, s, target.type === 'timestamp' ? mergedTraits(model, m).timestampFormat : undefined);
            key = wireName(name, m, s);
          }
        }
        if (out === undefined) {
          // Unchanged so far (an undefined member is left out of the JSON text either way).
          if (w === value && key === name) continue;
          out = {};
          for (const k in obj) {
            if (k === name) break;
            out[k] = obj[k];
          }
        }
        if (w !== undefined) out[key] = w;
      }
      return out ?? obj;
    }
    case 'list': {
      const t = shapeOf(model, shape.member!.target);
      const fmt = t.type === 'timestamp' ? mergedTraits(model, shape.member!).timestampFormat : undefined;
      const list = v as unknown[];
      let out: unknown[] | undefined;
      for (let i = 0; i < list.length; i++) {
        const e = list[i];
        const w = write(model, t, e, s, fmt) ?? null;
        if (out === undefined) {
          if (w === e) continue;
          out = list.slice(0, i);
        }
        out.push(w);
      }
      return out ?? list;
    }
    case 'map': {
      const t = shapeOf(model, shape.value!.target);
      const map = v as Record<string, unknown>;
      let out: Record<string, unknown> | undefined;
      for (const k in map) {
        const e = map[k];
        const w = write(model, t, e, s, undefined) ?? null;
        if (out === undefined) {
          if (w === e) continue;
          out = {};
          for (const k2 in map) {
            if (k2 === k) break;
            out[k2] = map[k2];
          }
        }
        out[k] = w;
      }
      return out ?? map;
    }
    case 'blob':
      return toBuffer(v).toString('base64');
    case 'timestamp':
      return formatTimestamp(v, tsFormat ?? shape.traits?.timestampFormat ?? s.timestampFormat);
    case 'number':
      return typeof v === 'number' ? (Number.isFinite(v) ? v : String(v)) : Number(v);
    case 'bigInteger':
    case 'bigDecimal':
      return Number(v);
    default:
      return v;
  }
}
