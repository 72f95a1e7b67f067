/** Query and Scan through the real SDK: key conditions, order, filters, pages, indexes, segments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchWriteItemCommand, PutItemCommand, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { useDrydock } from '../../helpers.js';
import { createTable, ddbClient, failure } from './helpers.js';

const h = useDrydock();

async function fill(c: ReturnType<typeof ddbClient>, t: string, parts: string[], perPart: number, extra: (i: number) => Record<string, AttributeValue> = () => ({})): Promise<void> {
  const items = parts.flatMap((p) => Array.from({ length: perPart }, (_, i) => ({ pk: { S: p }, sk: { N: String(i) }, ...extra(i) })));
  for (let i = 0; i < items.length; i += 25) {
    await c.send(new BatchWriteItemCommand({ RequestItems: { [t]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

test('Query: sort key conditions, descending order, Limit pages and COUNT', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { range: 'N' });
  await fill(c, t, ['a', 'b'], 10, (i) => ({ even: { BOOL: i % 2 === 0 } }));
  const q = (extra: Record<string, unknown>) => c.send(new QueryCommand({ TableName: t, KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
    ExpressionAttributeValues: { ':p': { S: 'a' }, ':lo': { N: '2' }, ':hi': { N: '11' }, ...(extra['values'] as object ?? {}) }, ...extra, values: undefined } as never));
  const all = await q({});
  assert.deepEqual(all.Items?.map((i) => i['sk']?.N), ['2', '3', '4', '5', '6', '7', '8', '9']);
  const desc = await q({ ScanIndexForward: false, Limit: 3 });
  assert.deepEqual(desc.Items?.map((i) => i['sk']?.N), ['9', '8', '7']);
  assert.deepEqual(desc.LastEvaluatedKey, { pk: { S: 'a' }, sk: { N: '7' } });
  const next = await q({ ScanIndexForward: false, Limit: 3, ExclusiveStartKey: desc.LastEvaluatedKey });
  assert.deepEqual(next.Items?.map((i) => i['sk']?.N), ['6', '5', '4']);
  const filtered = await q({ FilterExpression: 'even = :t', values: { ':t': { BOOL: true } }, ExpressionAttributeValues: { ':p': { S: 'a' }, ':lo': { N: '2' }, ':hi': { N: '11' }, ':t': { BOOL: true } } });
  assert.equal(filtered.Count, 4);
  assert.equal(filtered.ScannedCount, 8);
  const count = await q({ Select: 'COUNT' });
  assert.equal(count.Items, undefined);
  assert.equal(count.Count, 8);
  const bad = await failure(() => c.send(new QueryCommand({ TableName: t, KeyConditionExpression: 'sk = :s', ExpressionAttributeValues: { ':s': { N: '1' } } })));
  assert.deepEqual([bad.name, bad.message], ['ValidationException', 'Query condition missed key schema element: pk']);
  const between = await failure(() => c.send(new QueryCommand({ TableName: t, KeyConditionExpression: 'pk = :p AND sk BETWEEN :hi AND :lo',
    ExpressionAttributeValues: { ':p': { S: 'a' }, ':lo': { N: '1' }, ':hi': { N: '5' } } })));
  assert.match(between.message, /The BETWEEN operator requires upper bound to be greater than or equal to lower bound/);
});

test('Query on a binary sort key: byte order, begins_with, descending pages; a GSI holds every item', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { extra: {
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'B' }, { AttributeName: 'g', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  } });
  const keys = [[0x10], [0x01, 0xff], [0xff], [0x01], [0x01, 0x02], [0x80]];
  for (const k of keys) await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'p' }, sk: { B: new Uint8Array(k) }, g: { S: 'G' } } }));
  const hex = (items: Array<Record<string, AttributeValue>> | undefined) => items?.map((i) => Buffer.from(i['sk']!.B!).toString('hex'));
  const all = await c.send(new QueryCommand({ TableName: t, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
  assert.deepEqual(hex(all.Items), ['01', '0102', '01ff', '10', '80', 'ff'], 'unsigned byte order, prefixes first');
  const prefix = await c.send(new QueryCommand({ TableName: t, KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)',
    ExpressionAttributeValues: { ':p': { S: 'p' }, ':b': { B: new Uint8Array([0x01]) } } }));
  assert.deepEqual(hex(prefix.Items), ['01', '0102', '01ff']);
  const page = (start?: Record<string, AttributeValue>) => c.send(new QueryCommand({ TableName: t, KeyConditionExpression: 'pk = :p AND sk > :lo',
    ExpressionAttributeValues: { ':p': { S: 'p' }, ':lo': { B: new Uint8Array([0x01]) } }, ScanIndexForward: false, Limit: 2, ExclusiveStartKey: start }));
  const first = await page();
  const second = await page(first.LastEvaluatedKey);
  const third = await page(second.LastEvaluatedKey);
  assert.deepEqual([hex(first.Items), hex(second.Items), hex(third.Items)], [['ff', '80'], ['10', '01ff'], ['0102']]);
  const g = await c.send(new QueryCommand({ TableName: t, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G' } } }));
  assert.equal(g.Count, 6);
});

test('Query on a GSI and an LSI answers projected attributes', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { range: 'S', extra: {
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'N' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] } }],
    LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  } });
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'p' }, sk: { S: '1' }, g: { S: 'G' }, l: { N: '5' }, x: { S: 'x' }, y: { S: 'y' } } }));
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'p' }, sk: { S: '2' }, l: { N: '3' } } }));
  const g = await c.send(new QueryCommand({ TableName: t, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G' } } }));
  assert.deepEqual(g.Items, [{ pk: { S: 'p' }, sk: { S: '1' }, g: { S: 'G' }, x: { S: 'x' } }]);
  const l = await c.send(new QueryCommand({ TableName: t, IndexName: 'byL', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
  assert.deepEqual(l.Items, [{ pk: { S: 'p' }, sk: { S: '2' }, l: { N: '3' } }, { pk: { S: 'p' }, sk: { S: '1' }, l: { N: '5' } }]);
  const e = await failure(() => c.send(new QueryCommand({ TableName: t, IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } })));
  assert.equal(e.message, 'The table does not have the specified index: nope');
  const consistent = await failure(() => c.send(new QueryCommand({ TableName: t, IndexName: 'byG', ConsistentRead: true, KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G' } } })));
  assert.equal(consistent.message, 'Consistent reads are not supported on global secondary indexes');
});

test('Scan: 1 MB pages, Limit, parallel segments cover every item exactly once', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { range: 'N' });
  const parts = Array.from({ length: 20 }, (_, i) => `p${i}`);
  await fill(c, t, parts, 5, () => ({ pad: { S: 'x'.repeat(20_000) } }));
  let pages = 0;
  let seen = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const r = await c.send(new ScanCommand({ TableName: t, ExclusiveStartKey: start }));
    pages++;
    seen += r.Count!;
    start = r.LastEvaluatedKey;
  } while (start);
  assert.equal(seen, 100);
  assert.equal(pages, 2, '100 items of 20 KB take two 1 MB pages');
  const keys = new Set<string>();
  for (let s = 0; s < 4; s++) {
    const r = await c.send(new ScanCommand({ TableName: t, Segment: s, TotalSegments: 4, ProjectionExpression: 'pk, sk' }));
    for (const i of r.Items!) keys.add(`${i['pk']!.S}/${i['sk']!.N}`);
  }
  assert.equal(keys.size, 100);
  const bad = await failure(() => c.send(new ScanCommand({ TableName: t, Segment: 4, TotalSegments: 4 })));
  assert.equal(bad.message, 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4');
  const limited = await c.send(new ScanCommand({ TableName: t, Limit: 7, FilterExpression: 'sk = :z', ExpressionAttributeValues: { ':z': { N: '0' } } }));
  assert.equal(limited.ScannedCount, 7);
  assert.ok(limited.LastEvaluatedKey);
});
