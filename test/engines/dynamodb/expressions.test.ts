/** The expression language: parse, evaluate, update and project, table-driven, with AWS's error texts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeKeyCondition, applyUpdate, evaluate, parseCondition, parseProjection, parseUpdate, project, type AttributeValue, type Item, type Placeholders,
} from '../../../src/engines/dynamodb/index.js';

function ph(values: Record<string, AttributeValue> = {}, names: Record<string, string> = {}): Placeholders {
  return { values, names, usedNames: new Set(), usedValues: new Set() };
}

const item: Item = {
  id: { S: 'abc' }, n: { N: '5' }, tags: { SS: ['a', 'b'] }, l: { L: [{ N: '1' }, { S: 'two' }, { M: { deep: { BOOL: true } } }] },
  m: { M: { x: { N: '1' }, 'dotted.name': { S: 'y' } } }, nul: { NULL: true }, bin: { B: new Uint8Array([1, 2, 3]) },
};

test('conditions evaluate as DynamoDB does', () => {
  const cases: Array<[string, Record<string, AttributeValue>, boolean, Record<string, string>?]> = [
    ['n = :five', { ':five': { N: '5.0' } }, true],
    ['n <> :s', { ':s': { S: '5' } }, true],
    ['nothere <> :s', { ':s': { S: '5' } }, true],
    ['nothere = :s', { ':s': { S: '5' } }, false],
    ['n < :s', { ':s': { S: 'z' } }, false],
    ['n BETWEEN :a AND :b', { ':a': { N: '-1' }, ':b': { N: '5' } }, true],
    ['id IN (:a, :b)', { ':a': { S: 'x' }, ':b': { S: 'abc' } }, true],
    ['attribute_exists(l[2].deep) AND NOT attribute_exists(l[3])', {}, true],
    ['attribute_type(nul, :t) OR attribute_type(n, :u)', { ':t': { S: 'S' }, ':u': { S: 'N' } }, true],
    ['begins_with(id, :p) AND contains(tags, :t) AND contains(l, :two)', { ':p': { S: 'ab' }, ':t': { S: 'b' }, ':two': { S: 'two' } }, true],
    ['size(tags) = :two AND size(bin) > :two AND size(m) = :two', { ':two': { N: '2' } }, true],
    ['#d = :y', { ':y': { S: 'y' } }, false, { '#d': 'dotted.name' }],
    ['m.#d = :y', { ':y': { S: 'y' } }, true, { '#d': 'dotted.name' }],
    ['n = :a OR n = :b AND n = :c', { ':a': { N: '5' }, ':b': { N: '1' }, ':c': { N: '2' } }, true],
    ['(n = :a OR n = :b) AND n = :c', { ':a': { N: '5' }, ':b': { N: '1' }, ':c': { N: '2' } }, false],
  ];
  for (const [src, values, expected, names] of cases) {
    assert.equal(evaluate(parseCondition(src, 'ConditionExpression', ph(values, names)), item), expected, src);
  }
});

test('parse errors carry AWS messages', () => {
  const cases: Array<[() => unknown, string]> = [
    [() => parseCondition('name = :v', 'ConditionExpression', ph({ ':v': { S: 'x' } })), 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name'],
    [() => parseCondition('a = :v', 'ConditionExpression', ph()), 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
    [() => parseCondition('#a = :v', 'ConditionExpression', ph({ ':v': { S: 'x' } })), 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a'],
    [() => parseCondition('foo(a)', 'ConditionExpression', ph()), 'Invalid ConditionExpression: Invalid function name; function: foo'],
    [() => parseCondition('attribute_exists(a, b)', 'ConditionExpression', ph()), 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
    [() => parseCondition('size(a)', 'ConditionExpression', ph()), 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
    [() => parseUpdate('SET a = :v SET b = :v', ph({ ':v': { N: '1' } })), 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
    [() => parseUpdate('SET a[0] = :v, a.b = :v', ph({ ':v': { N: '1' } })), 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]'],
    [() => parseUpdate('DELETE s :v', ph({ ':v': { N: '1' } })), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER'],
    [() => parseProjection('a, a.b', ph()), 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
  ];
  for (const [fn, message] of cases) assert.throws(fn, (e: Error) => { assert.equal(e.message, message); return true; });
});

test('updates read the old item and write in order', () => {
  const p = ph({ ':one': { N: '1' }, ':l': { L: [{ S: 'z' }] }, ':s': { SS: ['a', 'c'] } });
  const next = applyUpdate(item, parseUpdate('SET n = n + :one, m.x = n REMOVE l[0], l[1], nul ADD tags :s', p));
  assert.deepEqual(next['n'], { N: '6' });
  assert.deepEqual(next['m']!.M!['x'], { N: '5' }, 'operands see the item before the update');
  assert.deepEqual(next['l']!.L, [{ M: { deep: { BOOL: true } } }], 'REMOVE l[0], l[1] removed the two original elements');
  assert.deepEqual(applyUpdate(item, parseUpdate('SET l = list_append(:l, l)', p))['l']!.L![0], { S: 'z' });
  assert.equal(next['nul'], undefined);
  assert.deepEqual(next['tags'], { SS: ['a', 'b', 'c'] });
  assert.deepEqual(item['n'], { N: '5' }, 'the old item is untouched');
  assert.throws(() => applyUpdate(item, parseUpdate('SET a.b = :one', ph({ ':one': { N: '1' } }))), /The document path provided in the update expression is invalid for update/);
  assert.throws(() => applyUpdate(item, parseUpdate('SET id = id + :one', ph({ ':one': { N: '1' } }))), /An operand in the update expression has an incorrect data type/);
});

test('projections keep nested structure and list order', () => {
  assert.deepEqual(project(item, parseProjection('l[2].deep, l[0], m.x', ph())), {
    l: { L: [{ N: '1' }, { M: { deep: { BOOL: true } } }] }, m: { M: { x: { N: '1' } } },
  });
});

test('key conditions: only what a Query can serve', () => {
  const schema = { hashKey: 'pk', hashType: 'S', rangeKey: 'sk', rangeType: 'N' };
  const v = { ':p': { S: 'a' }, ':lo': { N: '1' }, ':hi': { N: '2' } };
  const kc = analyzeKeyCondition(parseCondition('sk BETWEEN :lo AND :hi AND pk = :p', 'KeyConditionExpression', ph(v)), schema);
  assert.deepEqual(kc.hash, { S: 'a' });
  assert.equal(kc.range?.op, 'between');
  assert.throws(() => analyzeKeyCondition(parseCondition('pk = :p OR sk = :lo', 'KeyConditionExpression', ph(v)), schema), /Invalid operator used in KeyConditionExpression: OR/);
  assert.throws(() => analyzeKeyCondition(parseCondition('pk = :lo', 'KeyConditionExpression', ph(v)), schema), /Condition parameter type does not match schema type/);
  assert.throws(() => analyzeKeyCondition(parseCondition('begins_with(sk, :lo) AND pk = :p', 'KeyConditionExpression', ph(v)), schema), /begins_with, operand type: N/);
});
