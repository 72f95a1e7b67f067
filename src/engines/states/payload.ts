/**
 * Payload templates of the JSONPath query language (Parameters, ResultSelector, ItemSelector,
 * Assign, Arguments-less tasks): keys ending in `.$` take their value from a path or an
 * intrinsic function; everything else is literal.
 */
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.js';
import { runtimeError, toText, type Json, type JsonObject } from './json.js';
import { queryPath, type PathRoots } from './jsonpath.js';

/** The template with every `.$` field resolved against `roots`. */
export function resolvePayload(tpl: Json, roots: PathRoots, random?: () => number): Json {
  if (Array.isArray(tpl)) return tpl.map((t) => resolvePayload(t, roots, random));
  if (tpl === null || typeof tpl !== 'object') return tpl;
  const out: JsonObject = {};
  for (const key of Object.keys(tpl)) {
    const v = tpl[key]!;
    if (key.endsWith('.$') && typeof v === 'string') {
      out[key.slice(0, -2)] = resolveDynamic(key, v, roots, random);
    } else {
      out[key] = resolvePayload(v, roots, random);
    }
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
