/** Table-driven cases for the pure parts of the States engine: JSONPath, intrinsic functions and Choice rules. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evaluateRule } from '../../../src/engines/states/choice.js';
import { evaluateIntrinsic } from '../../../src/engines/states/intrinsics.js';
import { StatesError, type Json, type JsonObject } from '../../../src/engines/states/json.js';
import { bracketForm, queryPath } from '../../../src/engines/states/jsonpath.js';

function cases<T>(name: string): T[] {
  return JSON.parse(readFileSync(new URL(`./cases/${name}.json`, import.meta.url), 'utf8')) as T[];
}

const CONTEXT = { Execution: { Name: 'run' } };

function errorOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { if (e instanceof StatesError) return e.error; throw e; }
  return undefined;
}

for (const c of cases<{ name: string; expr: string; input: Json; want?: Json; error?: string; same?: string }>('intrinsics')) {
  test(`intrinsic: ${c.name}`, () => {
    const roots = { input: c.input, context: CONTEXT };
    if (c.error) assert.equal(errorOf(() => evaluateIntrinsic(c.expr, roots)), c.error);
    else if (c.same) assert.deepEqual(evaluateIntrinsic(c.expr, roots), evaluateIntrinsic(c.same, roots));
    else assert.deepEqual(evaluateIntrinsic(c.expr, roots), c.want);
  });
}

for (const c of cases<{ name: string; path: string; input: Json; variables?: JsonObject; want?: Json; missing?: string }>('jsonpath')) {
  test(`jsonpath: ${c.name}`, () => {
    const got = queryPath(c.path, { input: c.input, context: CONTEXT, variables: new Map(Object.entries(c.variables ?? {})) });
    if (c.missing) {
      assert.equal(got.found, false);
      assert.equal(bracketForm(c.path), c.missing);
    } else {
      assert.equal(got.found, true);
      assert.deepEqual(got.value, c.want);
    }
  });
}

for (const c of cases<{ name: string; rule: JsonObject; input: Json; want?: boolean; error?: string }>('choice')) {
  test(`choice: ${c.name}`, () => {
    const roots = { input: c.input, context: CONTEXT };
    if (c.error) assert.equal(errorOf(() => evaluateRule(c.rule, roots)), c.error);
    else assert.equal(evaluateRule(c.rule, roots), c.want);
  });
}
