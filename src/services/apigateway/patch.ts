/**
 * API Gateway's `patchOperations` (a JSON-Patch dialect): every Update* operation lists the
 * paths it accepts, and AWS's messages name the accepted paths when one is refused.
 */
import { badRequest } from './errors.js';

export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}

/** A settable scalar: `replace` sets it (some also accept add/remove). */
export type FieldSetter = (value: string | undefined, op: string) => void;
/** A map member addressed as `<prefix>/<key>` (key with `~1` for `/`). */
export type MapSetter = (key: string, value: string | undefined, op: string) => void;

export interface PatchSpec {
  fields?: Record<string, FieldSetter>;
  /** Ops other than `replace` that the scalar fields accept. */
  fieldOps?: string[];
  maps?: Record<string, MapSetter>;
  /** Anything the spec does not claim; return false to refuse it. */
  other?: (op: PatchOperation) => boolean;
}

/** JSON Pointer unescaping: `~1` is `/`, `~0` is `~`. */
export function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Applies `ops` in order; the first refused one throws AWS's BadRequestException. */
export function applyPatches(ops: unknown, spec: PatchSpec): void {
  const list = Array.isArray(ops) ? (ops as PatchOperation[]) : [];
  const fields = spec.fields ?? {};
  const fieldOps = new Set(['replace', ...(spec.fieldOps ?? [])]);
  for (const o of list) {
    const op = o.op ?? 'replace';
    const path = o.path;
    if (path === undefined) throw badRequest('Invalid patch path null');
    const field = fields[path];
    if (field && fieldOps.has(op)) {
      field(o.value, op);
      continue;
    }
    const mapPrefix = Object.keys(spec.maps ?? {}).find((p) => path.startsWith(`${p}/`));
    if (mapPrefix !== undefined && ['add', 'replace', 'remove'].includes(op)) {
      spec.maps![mapPrefix]!(unescapePointer(path.slice(mapPrefix.length + 1)), o.value, op);
      continue;
    }
    if (spec.other?.(o)) continue;
    if (field !== undefined || op !== 'replace') throw badRequest(`Invalid patch path  '${path}' specified for op '${op}'. Please choose supported operations`);
    throw badRequest(`Invalid patch path  '${path}' specified for op 'replace'. Must be one of: [${Object.keys(fields).join(', ')}]`);
  }
}

/** Sets or deletes a map entry for a map patch. */
export function patchMap<V>(map: Record<string, V> | undefined, key: string, value: V | undefined, op: string): Record<string, V> {
  const m = { ...(map ?? {}) };
  if (op === 'remove') delete m[key];
  else m[key] = value as V;
  return m;
}

export function patchBool(value: string | undefined): boolean {
  return value === 'true';
}

export function patchNumber(value: string | undefined, message: string): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n)) throw badRequest(message);
  return n;
}
