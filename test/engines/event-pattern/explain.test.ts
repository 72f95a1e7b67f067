// Explanations, the PatternSet's bookkeeping and the error object's fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePattern, InvalidPatternError, matchAll, PatternSet } from '../../../src/engines/event-pattern/index.js';

const event = { source: 'aws.ec2', detail: { state: 'running', items: [{ n: 'a', q: 1 }, { n: 'b', q: 2 }] } };

test('explain names the failing field and the values it saw', () => {
  const p = compilePattern({ source: ['aws.ec2'], detail: { state: ['stopped', { prefix: 'term' }] } });
  assert.deepEqual(p.explain(event), {
    matched: false,
    field: 'detail.state',
    reason: 'field `detail.state` has "running"; none matches ["stopped", {"prefix":"term"}]',
  });
  assert.equal(p.explain({ source: 'aws.ec2' }).reason, 'field `detail.state` is absent; the pattern needs one of ["stopped", {"prefix":"term"}]');
});

test('explain reports a present field the pattern wants absent', () => {
  const p = compilePattern({ detail: { state: [{ exists: false }] } });
  assert.equal(p.explain(event).reason, 'field `detail.state` is present ("running") but the pattern requires it to be absent');
});

test('explain reports array inconsistency', () => {
  const p = compilePattern({ detail: { items: { n: ['a'], q: [2] } } });
  const why = p.explain(event);
  assert.equal(why.matched, false);
  assert.equal(why.reason, 'fields `detail.items.n`, `detail.items.q` match only in different elements of the same array');
});

test('explain names the $or alternative that matched, or came closest', () => {
  const p = compilePattern({ source: ['aws.ec2'], $or: [{ detail: { state: ['stopped'] } }, { detail: { state: ['running'] } }] });
  assert.deepEqual(p.explain(event), {
    matched: true,
    branch: 1,
    reason: '$or alternative 2 of 2: every field matched: `source`, `detail.state`',
  });
  const miss = compilePattern({ $or: [{ a: ['x'] }, { source: ['aws.ec2'], detail: { state: ['x'] } }] }).explain(event);
  assert.equal(miss.branch, 1);
  assert.equal(miss.field, 'detail.state');
});

test('a PatternSet adds, replaces and deletes', () => {
  const set = new PatternSet<string>();
  set.add('a', { source: ['aws.ec2'] });
  set.add('b', { detail: { state: [{ prefix: 'run' }] } });
  set.add('c', { source: ['aws.s3'] });
  assert.deepEqual(set.match(event), ['a', 'b']);
  set.add('c', { source: ['aws.ec2'], detail: { state: ['running'] } });
  assert.deepEqual(set.match(event), ['a', 'b', 'c']);
  assert.equal(set.delete('a'), true);
  assert.equal(set.delete('a'), false);
  assert.deepEqual(set.match(event), ['b', 'c']);
  assert.equal(set.size, 2);
  assert.equal(set.get('b')?.paths[0], 'detail.state');
  assert.deepEqual(set.match('not an object'), []);
});

test('a PatternSet survives many deletions (compaction keeps the order)', () => {
  const set = new PatternSet<number>();
  for (let i = 0; i < 300; i++) set.add(i, { source: [i % 2 === 0 ? 'aws.ec2' : 'aws.s3'] });
  for (let i = 0; i < 300; i += 3) set.delete(i);
  const want = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 2 === 0 && i % 3 !== 0);
  assert.deepEqual(set.match(event), want);
});

test('matchAll takes a set or plain pairs', () => {
  const pairs = [['x', compilePattern({ source: ['aws.ec2'] })], ['y', compilePattern({ source: ['nope'] })]] as const;
  assert.deepEqual(matchAll(pairs, event), ['x']);
  assert.deepEqual(matchAll(new PatternSet(pairs), event), ['x']);
});

test('errors carry the code, AWS reason, location and our detail', () => {
  try {
    compilePattern('{\n  "detail": {\n    "state": "running"\n  }\n}');
    assert.fail('accepted');
  } catch (e) {
    assert.ok(e instanceof InvalidPatternError);
    assert.equal(e.code, 'structure');
    assert.equal(e.awsReason, '"state" must be an object or an array');
    assert.deepEqual(e.location, { line: 3, column: 15 });
    assert.equal(e.awsErrorCode, 'InvalidEventPatternException');
    assert.equal(e.detail, '"state" must be an object or an array');
  }
});

test('long sources are truncated after 500 characters, as Jackson does', () => {
  const text = `{"a": [${'"x", '.repeat(200)}{"nope": 1}]}`;
  assert.throws(() => compilePattern(text), (e: unknown) => {
    assert.ok(e instanceof InvalidPatternError);
    assert.ok(e.message.includes(`"[truncated ${text.length - 500} chars]; line: 1, column: `), e.message);
    return true;
  });
});
