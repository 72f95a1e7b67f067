/** The stored item form and the key index over it: round trips, sizes, sort-key order and Query spans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareRangeText, decodeItem, encodedRange, encodedSize, encodeItem, rangeText } from '../../../src/engines/dynamodb/codec.js';
import { KeyIndex, encodedOf } from '../../../src/engines/dynamodb/key-index.js';
import { compareScalars, itemSize, type AttributeValue, type Item } from '../../../src/engines/dynamodb/index.js';

const bytes = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b));
const num = fc.integer({ min: -1e9, max: 1e9 }).map(String);
const text = fc.string({ unit: 'binary', maxLength: 300 });
const value: fc.Arbitrary<AttributeValue> = fc.letrec<{ v: AttributeValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    text.map((S) => ({ S })), num.map((N) => ({ N })), bytes.map((B) => ({ B })), fc.boolean().map((BOOL) => ({ BOOL })),
    fc.constant({ NULL: true }), fc.uniqueArray(text, { minLength: 1, maxLength: 4 }).map((SS) => ({ SS })),
    fc.uniqueArray(num, { minLength: 1, maxLength: 4 }).map((NS) => ({ NS })), fc.array(bytes, { minLength: 1, maxLength: 3 }).map((BS) => ({ BS })),
    fc.array(tie('v'), { maxLength: 3 }).map((L) => ({ L })), fc.dictionary(text, tie('v'), { maxKeys: 3, noNullPrototype: true }).map((M) => ({ M })),
  ),
})).v;

test('an item decodes to what was encoded, with its size and sort key in the header', () => {
  fc.assert(fc.property(fc.dictionary(text, value, { minKeys: 1, maxKeys: 5, noNullPrototype: true }), (item: Item) => {
    const enc = encodeItem(item);
    assert.deepEqual(decodeItem(enc), item);
    assert.equal(encodedSize(enc), itemSize(item));
  }), { numRuns: 300 });
  const enc = encodeItem({ pk: { S: 'a' }, sk: { B: Buffer.from([0, 255]) } }, 'sk');
  assert.equal(encodedRange(enc), '00ff');
  // An attribute may be called __proto__: it stays an attribute.
  const odd = JSON.parse('{"__proto__":{"S":"x"},"m":{"M":{"__proto__":{"N":"1"}}}}') as Item;
  assert.deepEqual(Object.keys(decodeItem(encodeItem(odd))), ['__proto__', 'm']);
  assert.deepEqual(decodeItem(encodeItem(odd))['m']!.M!['__proto__'], { N: '1' });
});

test('sort key text orders as DynamoDB orders the values', () => {
  const scalar = fc.oneof(text.map((S) => ({ S })), num.map((N) => ({ N })), bytes.map((B) => ({ B })));
  fc.assert(fc.property(scalar, scalar, (a, b) => {
    const type = Object.keys(a)[0]!;
    if (type !== Object.keys(b)[0]) return;
    assert.equal(Math.sign(compareRangeText(type, rangeText(a), rangeText(b))), Math.sign(compareScalars(a, b)!));
  }), { numRuns: 500 });
});

test('a key index keeps items ordered, replaces by key and bounds Query spans', () => {
  const ix = new KeyIndex({ hashKey: 'pk', rangeKey: 'sk', rangeType: 'N' });
  const put = (sk: number, v = 'x') => { const it = { pk: { S: 'p' }, sk: { N: String(sk) }, v: { S: v } }; ix.put(it, encodeItem(it, 'sk')); };
  for (const n of [5, -3, 10, 0, 7, 5]) put(n);
  put(7, 'again');
  assert.equal(ix.size, 5);
  const items = ix.partition('sp')!.items;
  assert.deepEqual(items.map((e) => decodeItem(encodedOf(e))['sk']!.N), ['-3', '0', '5', '7', '10']);
  assert.equal(decodeItem(ix.get({ pk: { S: 'p' }, sk: { N: '7' } })!)['v']!.S, 'again');
  const n = (x: number) => ({ N: String(x) });
  assert.deepEqual(ix.span(items, { op: 'between', values: [n(0), n(7)] }), [1, 4]);
  assert.deepEqual(ix.span(items, { op: '>', values: [n(5)] }), [3, 5]);
  assert.deepEqual(ix.span(items, { op: '<', values: [n(-3)] }), [0, 0]);
  ix.remove({ pk: { S: 'p' }, sk: { N: '0' } });
  assert.equal(ix.size, 4);
  assert.equal(ix.get({ pk: { S: 'p' }, sk: { N: '0' } }), undefined);
});
