// One table-driven test over cases/*.json. Each file is one behaviour: a match, a `_NEG`
// non-match, or an `_EXC` refused pattern with AWS's full message. `confirmed` on `_EXC`
// files says where the wording comes from (`aws-recorded`: AWS responses recorded by
// LocalStack's snapshot tests; `ruler-source`: the rule compiler AWS runs; `unconfirmed`).
// Every match case is run through Pattern.matches, Pattern.explain and a PatternSet.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  compileFilterPolicy,
  compilePattern,
  InvalidPatternError,
  PatternSet,
  type FilterPolicyScope,
  type SnsMessage,
} from '../../../src/engines/event-pattern/index.js';

const DIR = new URL('./cases/', import.meta.url);

interface Case {
  description: string;
  pattern?: object;
  patternText?: string;
  dialect?: 'eventbridge' | 'sns';
  scope?: FilterPolicyScope;
  maxLength?: number;
  event?: unknown;
  message?: SnsMessage;
  match?: boolean;
  error?: { message: string; code: string };
  confirmed?: string;
}

function runMatch(c: Case): void {
  const source = c.patternText ?? c.pattern;
  assert.ok(source !== undefined);
  if (c.dialect === 'sns') {
    const policy = compileFilterPolicy(source, c.scope);
    assert.equal(policy.matches(c.message ?? {}), c.match);
    assert.equal(policy.explain(c.message ?? {}).matched, c.match);
    return;
  }
  const p = compilePattern(source);
  assert.equal(p.matches(c.event), c.match, p.explain(c.event).reason);
  const why = p.explain(c.event);
  assert.equal(why.matched, c.match);
  assert.match(why.reason, /^[^A-Z]/, 'explanations start lowercase');
  const set = new PatternSet<string>();
  set.add('other', { 'no-such-field': ['x'] });
  set.add('case', p);
  assert.deepEqual(set.match(c.event), c.match ? ['case'] : []);
}

function runError(c: Case): void {
  const source = c.patternText ?? c.pattern;
  assert.ok(source !== undefined && c.error !== undefined);
  const want = c.error;
  const compile = () =>
    c.dialect === 'sns'
      ? compileFilterPolicy(source, c.scope)
      : compilePattern(source, c.maxLength === undefined ? {} : { maxLength: c.maxLength });
  assert.throws(compile, (err: unknown) => {
    assert.ok(err instanceof InvalidPatternError, String(err));
    assert.equal(err.message, want.message);
    assert.equal(err.code, want.code);
    assert.match(err.detail, /^[^A-Z]|^`/, 'our detail starts lowercase');
    return true;
  });
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

test('case files cover matches, non-matches and refusals', () => {
  assert.ok(files.length >= 150, `only ${files.length} case files`);
  for (const suffix of ['_NEG.json', '_EXC.json']) assert.ok(files.some((f) => f.endsWith(suffix)));
});

for (const file of files) {
  const c = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Case;
  test(`${file.replace(/\.json$/, '')}: ${c.description}`, () => {
    assert.equal(c.error !== undefined, file.endsWith('_EXC.json'), 'only _EXC files expect an error');
    if (c.error === undefined) assert.equal(c.match, !file.endsWith('_NEG.json'), '_NEG files expect no match');
    if (c.error !== undefined) runError(c);
    else runMatch(c);
  });
}
