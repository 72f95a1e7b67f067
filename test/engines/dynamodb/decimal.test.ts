/** Exact decimals: canonical text, limits, arithmetic and ordering against a BigInt-rational reference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDecimal, canonicalNumber, compareDecimal, compareNumberText, formatDecimal, parseDecimal } from '../../../src/engines/dynamodb/index.js';
import { itemSize } from '../../../src/engines/dynamodb/index.js';

test('canonical text as AWS answers it', () => {
  const cases: Array<[string, string]> = [
    ['1.50', '1.5'], ['-0', '0'], ['0.000', '0'], ['1e2', '100'], ['1E-3', '0.001'], ['+7', '7'], ['00012.3400', '12.34'],
    ['-1.2e-1', '-0.12'], ['9.9999999999999999999999999999999999999E+125', `99999999999999999999999999999999999999${'0'.repeat(88)}`],
  ];
  for (const [input, out] of cases) assert.equal(canonicalNumber(input), out, input);
});

test('limits: 38 significant digits, magnitude 1E-130 to below 1E+126, numeric text only', () => {
  assert.throws(() => parseDecimal('1'.repeat(39)), /more than 38 significant digits/);
  assert.doesNotThrow(() => parseDecimal(`${'1'.repeat(38)}000`));
  assert.throws(() => parseDecimal('1e126'), /Number overflow/);
  assert.throws(() => parseDecimal('1e-131'), /Number underflow/);
  assert.doesNotThrow(() => parseDecimal('1e-130'));
  for (const bad of ['', 'abc', '1.2.3', '--1', 'e5', '.', '1e']) assert.throws(() => parseDecimal(bad), /cannot be converted to a numeric value/, bad);
});

// Reference: value as a fraction num / 10^scale with a common scale.
const decimalText = fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 15 }))
  .map(([n, scale]) => formatDecimal(parseDecimal(`${n}e-${scale}`)));

function ref(text: string): [bigint, number] {
  const [i = '', f = ''] = text.replace('-', '').split('.');
  const v = BigInt(i + f) * (text.startsWith('-') ? -1n : 1n);
  return [v, f.length];
}

test('addition and ordering agree with exact rational arithmetic', () => {
  fc.assert(fc.property(decimalText, decimalText, (a, b) => {
    const [x, sx] = ref(a);
    const [y, sy] = ref(b);
    const s = Math.max(sx, sy);
    const X = x * 10n ** BigInt(s - sx);
    const Y = y * 10n ** BigInt(s - sy);
    const sum = formatDecimal(addDecimal(parseDecimal(a), parseDecimal(b)));
    assert.equal(sum, formatDecimal(parseDecimal(`${X + Y}e-${s}`)));
    const expected = X === Y ? 0 : X < Y ? -1 : 1;
    assert.equal(compareDecimal(parseDecimal(a), parseDecimal(b)), expected);
    assert.equal(compareNumberText(a, b), expected, `${a} vs ${b}`);
  }), { numRuns: 2000 });
});

test('item size counts names, UTF-8 bytes, number digits and container overhead', () => {
  assert.equal(itemSize({ id: { S: 'test' } }), 6);
  assert.equal(itemSize({ n: { N: '12345' } }), 1 + 3 + 1);
  assert.equal(itemSize({ s: { S: 'é' } }), 3);
  assert.equal(itemSize({ m: { M: { a: { BOOL: true } } } }), 1 + 3 + 1 + 1 + 1);
  assert.equal(itemSize({ l: { L: [] } }), 4);
});
