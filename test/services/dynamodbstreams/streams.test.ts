/** DynamoDB Streams through the real SDK: view types, shards, iterators, TTL deletions, retention. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { accountConfig, failure, useDrydock } from '../../helpers.js';
import { createTable, ddbClient } from '../dynamodb/helpers.js';

const h = useDrydock();

async function streamRecords(s: DynamoDBStreamsClient, arn: string, type: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON') {
  const d = await s.send(new DescribeStreamCommand({ StreamArn: arn }));
  const shard = d.StreamDescription!.Shards![0]!.ShardId!;
  const it = await s.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: type }));
  return s.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
}

test('a NEW_AND_OLD_IMAGES stream records INSERT, MODIFY and REMOVE with sizes', async () => {
  const c = ddbClient(h.dd);
  const s = new DynamoDBStreamsClient(accountConfig(h.dd));
  const t = await createTable(c, { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } });
  const key = { pk: { S: 'my-item-id' } };
  await c.send(new PutItemCommand({ TableName: t, Item: { ...key, attr1: { S: 'value1' }, attr2: { S: 'value2' } } }));
  await c.send(new UpdateItemCommand({ TableName: t, Key: key, UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': { S: 'value2' } } }));
  // Changes nothing: no record.
  await c.send(new UpdateItemCommand({ TableName: t, Key: key, UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': { S: 'value2' } } }));
  await c.send(new DeleteItemCommand({ TableName: t, Key: key }));
  const list = await s.send(new ListStreamsCommand({ TableName: t }));
  assert.equal(list.Streams?.length, 1);
  const arn = list.Streams![0]!.StreamArn!;
  const d = await s.send(new DescribeStreamCommand({ StreamArn: arn }));
  assert.equal(d.StreamDescription?.StreamStatus, 'ENABLED');
  assert.equal(d.StreamDescription?.StreamViewType, 'NEW_AND_OLD_IMAGES');
  const r = await streamRecords(s, arn);
  assert.deepEqual(r.Records?.map((x) => x.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
  const [ins, mod, rem] = r.Records!;
  assert.equal(ins!.dynamodb?.SizeBytes, 46, "as AWS measured the same item");
  assert.equal(ins!.dynamodb?.OldImage, undefined);
  assert.deepEqual(mod!.dynamodb?.OldImage?.['attr1'], { S: 'value1' });
  assert.deepEqual(mod!.dynamodb?.NewImage?.['attr1'], { S: 'value2' });
  assert.equal(rem!.dynamodb?.NewImage, undefined);
  assert.ok(BigInt(ins!.dynamodb!.SequenceNumber!) < BigInt(mod!.dynamodb!.SequenceNumber!));
  assert.ok(r.NextShardIterator);
  const again = await s.send(new GetRecordsCommand({ ShardIterator: r.NextShardIterator }));
  assert.deepEqual(again.Records, []);
});

test('KEYS_ONLY streams carry keys only; LATEST skips what came before; disabling closes the shard', async () => {
  const c = ddbClient(h.dd);
  const s = new DynamoDBStreamsClient(accountConfig(h.dd));
  const t = await createTable(c);
  const u = await c.send(new UpdateTableCommand({ TableName: t, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
  const arn = u.TableDescription!.LatestStreamArn!;
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, v: { N: '1' } } }));
  const latest = await streamRecords(s, arn, 'LATEST');
  assert.deepEqual(latest.Records, []);
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'b' }, v: { N: '1' } } }));
  const next = await s.send(new GetRecordsCommand({ ShardIterator: latest.NextShardIterator }));
  assert.deepEqual(next.Records?.map((x) => [x.dynamodb?.Keys, x.dynamodb?.NewImage]), [[{ pk: { S: 'b' } }, undefined]]);
  await c.send(new UpdateTableCommand({ TableName: t, StreamSpecification: { StreamEnabled: false } }));
  const d = await s.send(new DescribeStreamCommand({ StreamArn: arn }));
  assert.equal(d.StreamDescription?.StreamStatus, 'DISABLED');
  assert.ok(d.StreamDescription?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber);
  const missing = await failure(() => s.send(new DescribeStreamCommand({ StreamArn: `${arn}x` })));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', `Requested resource not found: Stream: ${arn}x not found`]);
});

test('TTL deletes expired items on the clock, marked as the TTL service; records expire after 24 hours', async () => {
  const c = ddbClient(h.dd);
  const s = new DynamoDBStreamsClient(accountConfig(h.dd));
  const t = await createTable(c, { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' } } });
  await c.send(new UpdateTimeToLiveCommand({ TableName: t, TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
  const now = Math.floor(h.dd.app.clock.nowMs() / 1000);
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'old' }, exp: { N: String(now + 60) } } }));
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'keep' }, exp: { N: String(now + 86400 * 10) } } }));
  h.dd.app.clock.advance(120);
  await new Promise((r) => setImmediate(r));
  const arn = (await s.send(new ListStreamsCommand({ TableName: t }))).Streams![0]!.StreamArn!;
  const r = await streamRecords(s, arn);
  const rem = r.Records!.filter((x) => x.eventName === 'REMOVE');
  assert.equal(rem.length, 1);
  assert.deepEqual(rem[0]!.dynamodb?.Keys, { pk: { S: 'old' } });
  assert.deepEqual(rem[0]!.userIdentity, { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
  h.dd.app.clock.advance(25 * 3600);
  const later = await streamRecords(s, arn);
  assert.deepEqual(later.Records, []);
});
