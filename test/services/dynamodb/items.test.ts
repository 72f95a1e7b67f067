/** Item calls through the real SDK: conditions, update expressions, return values, exact numbers, limits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { useDrydock } from '../../helpers.js';
import { createTable, ddbClient, failure } from './helpers.js';

const h = useDrydock();

test('PutItem/GetItem round-trip every type; numbers come back canonical', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  const item = {
    pk: { S: 'a' }, n: { N: '01.50' }, b: { B: new Uint8Array([1, 2]) }, ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2.0'] },
    m: { M: { k: { L: [{ NULL: true }, { BOOL: false }] } } }, e: { S: '' },
  };
  const old = await c.send(new PutItemCommand({ TableName: t, Item: item, ReturnValues: 'ALL_OLD' }));
  assert.equal(old.Attributes, undefined);
  const got = (await c.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'a' } } }))).Item!;
  assert.deepEqual(got.n, { N: '1.5' });
  assert.deepEqual(got.ns, { NS: ['1', '2'] });
  assert.deepEqual(got.m, item.m);
  assert.deepEqual(Buffer.from(got.b!.B!), Buffer.from([1, 2]));
  const proj = await c.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'a' } }, ProjectionExpression: 'm.k[1], #n', ExpressionAttributeNames: { '#n': 'n' } }));
  assert.deepEqual(proj.Item, { m: { M: { k: { L: [{ BOOL: false }] } } }, n: { N: '1.5' } });
});

test('conditions: failure answers ConditionalCheckFailedException, with the old item when asked', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: '456' }, price: { N: '650' } } }));
  const e = await failure(() => c.send(new PutItemCommand({
    TableName: t, Item: { pk: { S: '456' } }, ConditionExpression: 'attribute_not_exists(pk)',
  })));
  assert.deepEqual(e, { name: 'ConditionalCheckFailedException', code: undefined, message: 'The conditional request failed', status: 400 });
  try {
    await c.send(new UpdateItemCommand({
      TableName: t, Key: { pk: { S: '456' } }, UpdateExpression: 'SET price = :p', ConditionExpression: 'price < :p',
      ExpressionAttributeValues: { ':p': { N: '100' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    assert.fail('expected a failure');
  } catch (err) {
    assert.deepEqual((err as { Item?: unknown }).Item, { pk: { S: '456' }, price: { N: '650' } });
  }
  const ok = await c.send(new DeleteItemCommand({
    TableName: t, Key: { pk: { S: '456' } }, ConditionExpression: 'price BETWEEN :a AND :b AND size(pk) = :three',
    ExpressionAttributeValues: { ':a': { N: '600' }, ':b': { N: '700' }, ':three': { N: '3' } }, ReturnValues: 'ALL_OLD',
  }));
  assert.deepEqual(ok.Attributes?.price, { N: '650' });
});

test('UpdateExpression: SET arithmetic, if_not_exists, list_append, REMOVE, ADD, DELETE and ReturnValues', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  const key = { pk: { S: 'u' } };
  const r1 = await c.send(new UpdateItemCommand({
    TableName: t, Key: key, ReturnValues: 'ALL_NEW',
    UpdateExpression: 'SET n = if_not_exists(n, :zero) + :one, l = list_append(if_not_exists(l, :empty), :l), m = :m ADD s :s',
    ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':empty': { L: [] }, ':l': { L: [{ S: 'a' }, { S: 'b' }] }, ':m': { M: { x: { N: '1' } } }, ':s': { SS: ['p', 'q'] } },
  }));
  assert.deepEqual(r1.Attributes, { pk: { S: 'u' }, n: { N: '1' }, l: { L: [{ S: 'a' }, { S: 'b' }] }, m: { M: { x: { N: '1' } } }, s: { SS: ['p', 'q'] } });
  const r2 = await c.send(new UpdateItemCommand({
    TableName: t, Key: key, ReturnValues: 'UPDATED_OLD',
    UpdateExpression: 'SET m.y = :v, n = n - :half REMOVE l[0] DELETE s :p',
    ExpressionAttributeValues: { ':v': { S: 'new' }, ':half': { N: '0.5' }, ':p': { SS: ['p'] } },
  }));
  assert.deepEqual(r2.Attributes, { n: { N: '1' }, l: { L: [{ S: 'a' }] }, s: { SS: ['p', 'q'] } });
  const got = (await c.send(new GetItemCommand({ TableName: t, Key: key }))).Item!;
  assert.deepEqual(got, { pk: { S: 'u' }, n: { N: '0.5' }, l: { L: [{ S: 'b' }] }, m: { M: { x: { N: '1' }, y: { S: 'new' } } }, s: { SS: ['q'] } });
});

test('numbers are exact to 38 digits and refused beyond', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  const key = { pk: { S: 'n' } };
  await c.send(new PutItemCommand({ TableName: t, Item: { ...key, v: { N: '0.1' } } }));
  const r = await c.send(new UpdateItemCommand({ TableName: t, Key: key, UpdateExpression: 'SET v = v + :x', ExpressionAttributeValues: { ':x': { N: '0.2' } }, ReturnValues: 'UPDATED_NEW' }));
  assert.deepEqual(r.Attributes, { v: { N: '0.3' } });
  const big = '12345678901234567890123456789012345678';
  await c.send(new PutItemCommand({ TableName: t, Item: { ...key, v: { N: big } } }));
  const r2 = await c.send(new UpdateItemCommand({ TableName: t, Key: key, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW' }));
  assert.deepEqual(r2.Attributes, { v: { N: '12345678901234567890123456789012345679' } });
  const tooMany = await failure(() => c.send(new PutItemCommand({ TableName: t, Item: { ...key, v: { N: `${big}9` } } })));
  assert.deepEqual([tooMany.name, tooMany.message], ['ValidationException', 'Attempting to store more than 38 significant digits in a Number']);
  const nan = await failure(() => c.send(new PutItemCommand({ TableName: t, Item: { ...key, v: { N: 'abc' } } })));
  assert.equal(nan.message, 'The parameter cannot be converted to a numeric value: abc');
  const over = await failure(() => c.send(new PutItemCommand({ TableName: t, Item: { ...key, v: { N: '1e126' } } })));
  assert.equal(over.message, 'Number overflow. Attempting to store a number with magnitude larger than supported range');
});

test('validation: keys, placeholders, reserved words, syntax, item size', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { range: 'N' });
  const cases: Array<[() => Promise<unknown>, string]> = [
    [() => c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' } } })), 'One or more parameter values were invalid: Missing the key sk in the item'],
    [() => c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, sk: { S: 'x' } } })), 'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S'],
    [() => c.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'a' } } })), 'The provided key element does not match the schema'],
    [() => c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: '' }, sk: { N: '1' } } })), 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
    [() => c.send(new UpdateItemCommand({ TableName: t, Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET status = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
      'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status'],
    [() => c.send(new UpdateItemCommand({ TableName: t, Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET a = :v' })),
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
    [() => c.send(new UpdateItemCommand({ TableName: t, Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' }, ':w': { S: 'y' } } })),
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}'],
    [() => c.send(new UpdateItemCommand({ TableName: t, Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET a = :v, a.b = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
    [() => c.send(new UpdateItemCommand({ TableName: t, Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
    [() => c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, sk: { N: '1' } }, ConditionExpression: 'a = = b' })),
      'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"'],
    [() => c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, sk: { N: '1' }, big: { S: 'x'.repeat(400 * 1024) } } })), 'Item size has exceeded the maximum allowed size'],
    [() => c.send(new UpdateItemCommand({ TableName: t, Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'ADD a :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
  ];
  for (const [call, message] of cases) {
    const e = await failure(call);
    assert.deepEqual([e.name, e.message], ['ValidationException', message]);
  }
  const long = await failure(() => c.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'a' }, sk: { N: '1' } }, ProjectionExpression: Array.from({ length: 900 }, (_, i) => `a${i}`).join(',') })));
  assert.match(long.message, /^Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: \d+$/);
  const missing = await failure(() => c.send(new GetItemCommand({ TableName: 'nope', Key: { pk: { S: 'a' } } })));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Requested resource not found']);
});

test('legacy Expected and AttributeUpdates still work, and cannot be mixed with expressions', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  const key = { pk: { S: 'l' } };
  await c.send(new UpdateItemCommand({ TableName: t, Key: key, AttributeUpdates: { n: { Action: 'ADD', Value: { N: '2' } } } }));
  const fail = await failure(() => c.send(new PutItemCommand({ TableName: t, Item: key, Expected: { n: { Value: { N: '3' } } } })));
  assert.equal(fail.name, 'ConditionalCheckFailedException');
  await c.send(new PutItemCommand({ TableName: t, Item: key, Expected: { n: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '2' }] } } }));
  const mixed = await failure(() => c.send(new PutItemCommand({ TableName: t, Item: key, Expected: { n: { Exists: false } }, ConditionExpression: 'attribute_exists(pk)' })));
  assert.match(mixed.message, /^Can not use both expression and non-expression parameters in the same request/);
});

test('provisioned tables throttle once burst capacity is spent, and refill on the clock', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { extra: { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } });
  // One write unit per second, five minutes of burst: a 300 KB item spends all 300 units.
  const big = { pk: { S: 'big' }, pad: { S: 'x'.repeat(300 * 1024 - 10) } };
  const first = await c.send(new PutItemCommand({ TableName: t, Item: big, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal(first.ConsumedCapacity?.CapacityUnits, 300);
  const throttled = await failure(() => c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'small' } } })));
  assert.deepEqual([throttled.name, throttled.status], ['ProvisionedThroughputExceededException', 400]);
  h.dd.app.clock.advance(5);
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'small' } } }));
});
