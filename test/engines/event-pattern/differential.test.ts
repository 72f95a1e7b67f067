// Differential property test: random valid patterns and random events over a small
// vocabulary (strings, numbers, nulls, booleans, IPs, arrays of objects), matched by the
// engine and by the naive reference, must agree; so must a PatternSet over many patterns.
// A failure prints the counterexample; turn it into a case file when it reveals a bug.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compilePattern, PatternSet } from '../../../src/engines/event-pattern/index.js';
import { referenceMatches } from './reference.js';

const STRINGS = ['running', 'Running', 'stopped', '', 'ab', 'a*b', 'xyz', 'aws.ec2', '10.0.0.1'];
const NUMBERS = [0, 1, -3, 2.5, 5, 10, 1e9];
const IPS = ['10.0.0.1', '10.0.1.255', '10.2.3.4', '192.168.1.1', '::1', 'not-an-ip'];
const WILDCARDS = ['*', 'a*', '*b', 'r*n*g', '*.*', 'x*z', 'ab', '*unn*'];

const scalar = fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS), fc.constantFrom(null, true, false));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const item = fc.record({ name: maybe(fc.constantFrom('a', 'ab', 'b', 'Running')), qty: maybe(fc.constantFrom(...NUMBERS)) }, { requiredKeys: [] });

const event = fc
  .record({
    source: maybe(fc.constantFrom('aws.ec2', 'aws.s3', 'AWS.EC2', 'custom')),
    state: maybe(scalar),
    count: maybe(fc.oneof(fc.constantFrom(...NUMBERS), fc.constant('5'))),
    ip: maybe(fc.constantFrom(...IPS)),
    items: maybe(fc.array(item, { maxLength: 3 })),
    tags: maybe(fc.array(fc.constantFrom(...STRINGS), { maxLength: 3 })),
    flag: maybe(fc.boolean()),
  })
  .map(({ source, ...detail }) => {
    const clean = Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined));
    // Through JSON, as events arrive: no undefined members.
    return JSON.parse(JSON.stringify({ ...(source === undefined ? {} : { source }), detail: clean })) as object;
  });

const str = fc.constantFrom(...STRINGS);
const nonEmpty = fc.constantFrom(...STRINGS.filter((s) => s !== ''));
const condition: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  fc.record({ prefix: str }),
  fc.record({ prefix: fc.record({ 'equals-ignore-case': str }) }),
  fc.record({ suffix: str }),
  fc.record({ suffix: fc.record({ 'equals-ignore-case': str }) }),
  fc.record({ 'equals-ignore-case': str }),
  fc.record({ wildcard: fc.constantFrom(...WILDCARDS) }),
  fc.record({ cidr: fc.constantFrom('10.0.0.0/24', '10.0.0.0/8', '192.168.0.0/16', '10.0.0.1/31') }),
  fc.record({ exists: fc.boolean() }),
  fc.oneof(
    fc.record({ numeric: fc.tuple(fc.constantFrom('=', '<', '<=', '>', '>='), fc.constantFrom(...NUMBERS)) }),
    fc.tuple(fc.constantFrom('>', '>='), fc.constantFrom('<', '<='), fc.constantFrom(...NUMBERS), fc.constantFrom(...NUMBERS))
      .filter(([, , a, b]) => a < b)
      .map(([o1, o2, a, b]) => ({ numeric: [o1, a, o2, b] })),
  ),
  fc.oneof(
    fc.record({ 'anything-but': fc.oneof(str, fc.constantFrom(...NUMBERS), fc.uniqueArray(str, { minLength: 1, maxLength: 3 }), fc.uniqueArray(fc.constantFrom(...NUMBERS), { minLength: 1, maxLength: 3 })) }),
    fc.record({ 'anything-but': fc.oneof(fc.record({ prefix: nonEmpty }), fc.record({ suffix: fc.uniqueArray(nonEmpty, { minLength: 1, maxLength: 2 }) })) }),
    fc.record({ 'anything-but': fc.oneof(fc.record({ 'equals-ignore-case': fc.oneof(str, fc.uniqueArray(str, { minLength: 1, maxLength: 2 })) }), fc.record({ wildcard: fc.constantFrom(...WILDCARDS) })) }),
  ),
);

const PATHS = [['source'], ['detail', 'state'], ['detail', 'count'], ['detail', 'ip'], ['detail', 'items', 'name'], ['detail', 'items', 'qty'], ['detail', 'tags'], ['detail', 'flag']];

function build(fields: Array<[string[], unknown[]]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, conds] of fields) {
    let at = out;
    for (const seg of path.slice(0, -1)) at = (at[seg] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1] as string] = conds;
  }
  return out;
}

const fields = fc.uniqueArray(fc.tuple(fc.constantFrom(...PATHS), fc.array(condition, { minLength: 1, maxLength: 4 })), {
  minLength: 1,
  maxLength: 2,
  selector: ([p]) => p.join('.'),
});
const pattern = fc
  .tuple(fields, fc.option(fc.tuple(fields, fields), { freq: 3 }))
  .map(([base, or]) => (or === null ? build(base) : { ...build(base), $or: [build(or[0]), build(or[1])] }));

test('the engine agrees with the naive reference', () => {
  fc.assert(
    fc.property(pattern, fc.array(event, { minLength: 1, maxLength: 4 }), (p, events) => {
      const compiled = compilePattern(p);
      const fromText = compilePattern(JSON.stringify(p, null, 2));
      for (const e of events) {
        const want = referenceMatches(p, e);
        assert.equal(compiled.matches(e), want, `pattern ${JSON.stringify(p)}\nevent ${JSON.stringify(e)}`);
        assert.equal(fromText.matches(e), want);
        assert.equal(compiled.explain(e).matched, want);
      }
    }),
    { numRuns: 1500 },
  );
});

test('a PatternSet returns exactly the patterns that match, in order', () => {
  fc.assert(
    fc.property(fc.array(pattern, { minLength: 1, maxLength: 12 }), event, (ps, e) => {
      const set = new PatternSet<number>();
      ps.forEach((p, i) => set.add(i, p));
      const want = ps.flatMap((p, i) => (referenceMatches(p, e) ? [i] : []));
      assert.deepEqual(set.match(e), want);
    }),
    { numRuns: 300 },
  );
});
