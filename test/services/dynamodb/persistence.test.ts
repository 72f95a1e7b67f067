/** DynamoDB state in a data directory survives a restart: tables, items (binary too), indexes, stream records. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { startDrydock } from '../../../src/embedded/index.js';
import { accountConfig } from '../../helpers.js';
import { createTable, ddbClient } from './helpers.js';

test('tables, items, GSI queries and stream records survive a restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-ddb-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let dd = await startDrydock({ dataDir: dir });
  let c = ddbClient(dd);
  const name = await createTable(c, { range: 'N', extra: {
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  } });
  await c.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, sk: { N: '2' }, g: { S: 'G' }, b: { B: new Uint8Array([9, 8]) } } }));
  await c.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, sk: { N: '1' } } }));
  await dd.stop();

  dd = await startDrydock({ dataDir: dir });
  t.after(() => dd.stop());
  c = ddbClient(dd);
  const d = (await c.send(new DescribeTableCommand({ TableName: name }))).Table!;
  assert.equal(d.ItemCount, 2);
  assert.ok((d.TableSizeBytes ?? 0) > 0, 'the table size is recomputed from the items');
  const q = await c.send(new QueryCommand({ TableName: name, KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } } }));
  assert.deepEqual(q.Items?.map((i) => i['sk']?.N), ['1', '2']);
  const g = await c.send(new QueryCommand({ TableName: name, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G' } } }));
  assert.deepEqual(Buffer.from(g.Items![0]!['b']!.B!), Buffer.from([9, 8]));
  const got = await c.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' }, sk: { N: '1' } } }));
  assert.deepEqual(got.Item, { pk: { S: 'a' }, sk: { N: '1' } });
  const s = new DynamoDBStreamsClient(accountConfig(dd));
  const desc = await s.send(new DescribeStreamCommand({ StreamArn: d.LatestStreamArn }));
  const it = await s.send(new GetShardIteratorCommand({ StreamArn: d.LatestStreamArn, ShardId: desc.StreamDescription!.Shards![0]!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const r = await s.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
  assert.deepEqual(r.Records?.map((x) => x.eventName), ['INSERT', 'INSERT']);
  assert.ok(r.Records![0]!.dynamodb!.ApproximateCreationDateTime instanceof Date);
});
