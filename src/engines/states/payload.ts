/**
 * Payload templates of the JSONPath query language (Parameters, ResultSelector, ItemSelector,
 * Assign, Arguments-less tasks): keys ending in `.$` take their value from a path or an
 * intrinsic function; everything else is literal.
 */
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.js';
import { runtimeError, toText, type Json, type JsonObject } from './json.js';
import { queryPath, type PathRoots } from './jsonpath.js';

/** One field of a template object: literal (maybe nested) or dynamic (`key.$`). */
interface Field { key: string; out: string; dynamic: boolean; value: Json }

// Templates are parts of the definition, evaluated on every pass through their state:
// their fields are sorted out once.
const compiled = new WeakMap<JsonObject, Field[]>();

function fieldsOf(tpl: JsonObject): Field[] {
  let f = compiled.get(tpl);
  if (f === undefined) {
    f = Object.keys(tpl).map((key) => {
      const value = tpl[key]!;
      const dynamic = key.endsWith('.$') && typeof value === 'string';
      return { key, out: dynamic ? key.slice(0, -2) : key, dynamic, value };
    });
    compiled.set(tpl, f);
  }
  return f;
}

/** The template with every `.$` field resolved against `roots`. */
export function resolvePayload(tpl: Json, roots: PathRoots, random?: () => number): Json {
  if (Array.isArray(tpl)) return tpl.map((t) => resolvePayload(t, roots, random));
  if (tpl === null || typeof tpl !== 'object') return tpl;
  const out: JsonObject = {};
  for (const f of fieldsOf(tpl)) {
    out[f.out] = f.dynamic ? resolveDynamic(f.key, f.value as string, roots, random) : resolvePayload(f.value, roots, random);
  }
  return out;
}

/** The value of one `.$` field: a path (input, `$$` context or `$variable`) or an intrinsic. */
export function resolveDynamic(field: string, expr: string, roots: PathRoots, random?: () => number): Json {
  if (isIntrinsic(expr)) return evaluateIntrinsic(expr, roots, random);
  const got = queryPath(expr, roots);
  if (!got.found) throw runtimeError(`The JSONPath '${expr}' specified for the field '${field}' could not be found in the input '${toText(roots.input)}'`);
  return got.value!;
}
