/**
 * Overwriting puts: what the replaced item still decides after the put path stopped decoding
 * it when nothing asks for it (capacity, table size, ALL_OLD, secondary indexes, batches).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchWriteItemCommand, DescribeTableCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { useDrydock } from '../../helpers.js';
import { createTable, ddbClient } from './helpers.js';

const h = useDrydock();

test('an overwriting put bills the larger item, answers the old one when asked, and keeps the table size exact', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { range: 'N' });
  const big = { pk: { S: 'a' }, sk: { N: '1' }, pad: { S: 'x'.repeat(3000) } };
  const small = { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'y' } };
  await c.send(new PutItemCommand({ TableName: t, Item: big }));
  // 3 KB replaced by a few bytes: 1 KB write steps of the larger item, 3 units.
  const put = await c.send(new PutItemCommand({ TableName: t, Item: small, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal(put.ConsumedCapacity?.CapacityUnits, 3);
  assert.equal(put.Attributes, undefined);
  const size = (await c.send(new DescribeTableCommand({ TableName: t }))).Table!;
  // pk+a 3, sk+1 2+2, v+y 2: 9 bytes.
  assert.deepEqual([size.ItemCount, size.TableSizeBytes], [1, 9]);
  const again = await c.send(new PutItemCommand({ TableName: t, Item: big, ReturnValues: 'ALL_OLD' }));
  assert.deepEqual(again.Attributes, small);
  const batch = await c.send(new BatchWriteItemCommand({ RequestItems: { [t]: [{ PutRequest: { Item: small } }] }, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal(batch.ConsumedCapacity?.[0]?.CapacityUnits, 3);
  const after = (await c.send(new DescribeTableCommand({ TableName: t }))).Table!;
  assert.deepEqual([after.ItemCount, after.TableSizeBytes], [1, 9]);
});

test('an overwriting put moves the item between secondary-index keys', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { extra: {
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  } });
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, g: { S: 'old' } } }));
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, g: { S: 'new' } } }));
  await c.send(new BatchWriteItemCommand({ RequestItems: { [t]: [{ PutRequest: { Item: { pk: { S: 'b' }, g: { S: 'old' } } } }] } }));
  await c.send(new BatchWriteItemCommand({ RequestItems: { [t]: [{ PutRequest: { Item: { pk: { S: 'b' }, g: { S: 'new' } } } }] } }));
  const count = async (g: string) => (await c.send(new QueryCommand({ TableName: t, IndexName: 'byG', KeyConditionExpression: 'g = :g',
    ExpressionAttributeValues: { ':g': { S: g } } }))).Count;
  assert.deepEqual([await count('old'), await count('new')], [0, 2]);
});
