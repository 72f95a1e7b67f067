/**
 * The JSON Schema (draft 4) subset request validation needs: type, required, properties,
 * additionalProperties, items, enum, string length, pattern, numeric bounds, array size.
 * Returns the first problem found, or undefined when the value conforms.
 */
type Schema = Record<string, unknown>;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

export function validateSchema(v: unknown, schema: Schema, at = ''): string | undefined {
  const types = schema['type'] === undefined ? [] : ([] as string[]).concat(schema['type'] as string | string[]);
  if (types.length && !types.some((t) => typeMatches(v, t))) {
    return `instance type (${typeOf(v)}) does not match any allowed primitive type (allowed: [${types.map((t) => `"${t}"`).join(',')}])${at ? ` at ${at}` : ''}`;
  }
  if (Array.isArray(schema['enum']) && !schema['enum'].some((e) => JSON.stringify(e) === JSON.stringify(v))) return `instance value not found in enum${at ? ` at ${at}` : ''}`;
  if (typeof v === 'string') {
    if (typeof schema['minLength'] === 'number' && v.length < schema['minLength']) return `string is too short${at ? ` at ${at}` : ''}`;
    if (typeof schema['maxLength'] === 'number' && v.length > schema['maxLength']) return `string is too long${at ? ` at ${at}` : ''}`;
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern']).test(v)) return `ECMA 262 regex does not match input string${at ? ` at ${at}` : ''}`;
  }
  if (typeof v === 'number') {
    if (typeof schema['minimum'] === 'number' && v < schema['minimum']) return `numeric instance is lower than the required minimum${at ? ` at ${at}` : ''}`;
    if (typeof schema['maximum'] === 'number' && v > schema['maximum']) return `numeric instance is greater than the required maximum${at ? ` at ${at}` : ''}`;
  }
  if (Array.isArray(v)) {
    if (typeof schema['minItems'] === 'number' && v.length < schema['minItems']) return `array is too short${at ? ` at ${at}` : ''}`;
    if (typeof schema['maxItems'] === 'number' && v.length > schema['maxItems']) return `array is too long${at ? ` at ${at}` : ''}`;
    if (schema['items'] && typeof schema['items'] === 'object') {
      for (let i = 0; i < v.length; i++) {
        const p = validateSchema(v[i], schema['items'] as Schema, `${at}/${i}`);
        if (p) return p;
      }
    }
  }
  if (typeOf(v) === 'object') {
    const o = v as Record<string, unknown>;
    const missing = ((schema['required'] as string[] | undefined) ?? []).filter((k) => !(k in o));
    if (missing.length) return `object has missing required properties ([${missing.map((k) => `"${k}"`).join(',')}])`;
    const props = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const [k, s] of Object.entries(props)) {
      if (!(k in o)) continue;
      const p = validateSchema(o[k], s, `${at}/${k}`);
      if (p) return p;
    }
    if (schema['additionalProperties'] === false) {
      const extra = Object.keys(o).filter((k) => !(k in props));
      if (extra.length) return `object instance has properties which are not allowed by the schema: [${extra.map((k) => `"${k}"`).join(',')}]`;
    }
  }
  return undefined;
}
