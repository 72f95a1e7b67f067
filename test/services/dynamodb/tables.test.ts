/** Table lifecycle through the real SDK: create, describe, list, update, delete, tags, TTL, resource policies. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DeleteResourcePolicyCommand, DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand,
  GetResourcePolicyCommand, ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand, PutResourcePolicyCommand, QueryCommand,
  TagResourceCommand, UntagResourceCommand, UpdateTableCommand, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { useDrydock } from '../../helpers.js';
import { createTable, ddbClient, failure, uniqueName } from './helpers.js';

const h = useDrydock();

test('CreateTable answers CREATING, then the table is ACTIVE with AWS defaults', async () => {
  const c = ddbClient(h.dd);
  const name = uniqueName();
  const r = await c.send(new CreateTableCommand({
    TableName: name, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  }));
  const d = r.TableDescription!;
  assert.equal(d.TableStatus, 'CREATING');
  assert.equal(d.TableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`);
  assert.deepEqual(d.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
  assert.equal(d.DeletionProtectionEnabled, false);
  const t = (await c.send(new DescribeTableCommand({ TableName: name }))).Table!;
  assert.equal(t.TableStatus, 'ACTIVE');
  assert.equal(t.ItemCount, 0);
  assert.equal(t.TableId, d.TableId);
  const dup = await failure(() => c.send(new CreateTableCommand({
    TableName: name, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
  })));
  assert.deepEqual(dup, { name: 'ResourceInUseException', code: undefined, message: `Table already exists: ${name}`, status: 400 });
});

test('CreateTable validation answers AWS messages', async () => {
  const c = ddbClient(h.dd);
  const base = { AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }] };
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ ...base, TableName: 'ab', BillingMode: 'PAY_PER_REQUEST' }, "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
    [{ ...base, TableName: uniqueName(), BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST'],
    [{ ...base, TableName: uniqueName() }, 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED'],
    [{ TableName: uniqueName(), BillingMode: 'PAY_PER_REQUEST', KeySchema: base.KeySchema, AttributeDefinitions: [...base.AttributeDefinitions, { AttributeName: 'x', AttributeType: 'N' }] },
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'],
    [{ TableName: uniqueName(), BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'RANGE' }], AttributeDefinitions: base.AttributeDefinitions },
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
    [{ ...base, TableName: uniqueName(), BillingMode: 'PAY_PER_REQUEST', LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] },
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex'],
  ];
  for (const [input, message] of cases) {
    const e = await failure(() => c.send(new CreateTableCommand(input as never)));
    assert.deepEqual([e.name, e.message, e.status], ['ValidationException', message, 400]);
  }
});

test('ListTables pages by name; DeleteTable answers DELETING and honours deletion protection', async () => {
  const c = ddbClient(h.dd, { region: 'ap-south-1' });
  const names = [await createTable(c), await createTable(c), await createTable(c)].sort();
  const p1 = await c.send(new ListTablesCommand({ Limit: 2 }));
  assert.deepEqual(p1.TableNames, names.slice(0, 2));
  assert.equal(p1.LastEvaluatedTableName, names[1]);
  const p2 = await c.send(new ListTablesCommand({ ExclusiveStartTableName: p1.LastEvaluatedTableName }));
  assert.deepEqual(p2.TableNames, names.slice(2));
  assert.equal(p2.LastEvaluatedTableName, undefined);
  await c.send(new UpdateTableCommand({ TableName: names[0], DeletionProtectionEnabled: true }));
  const protectedErr = await failure(() => c.send(new DeleteTableCommand({ TableName: names[0] })));
  assert.equal(protectedErr.name, 'ValidationException');
  await c.send(new UpdateTableCommand({ TableName: names[0], DeletionProtectionEnabled: false }));
  const del = await c.send(new DeleteTableCommand({ TableName: names[0] }));
  assert.equal(del.TableDescription?.TableStatus, 'DELETING');
  const gone = await failure(() => c.send(new DescribeTableCommand({ TableName: names[0] })));
  assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', `Requested resource not found: Table: ${names[0]} not found`]);
  const missing = await failure(() => c.send(new DeleteTableCommand({ TableName: 'non-existent' })));
  assert.equal(missing.message, 'Requested resource not found: Table: non-existent not found');
});

test('tags and TTL settings round-trip', async () => {
  const c = ddbClient(h.dd);
  const name = await createTable(c);
  const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
  await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }] }));
  await c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
  assert.deepEqual((await c.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'team', Value: 'a' }]);
  assert.equal((await c.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription?.TimeToLiveStatus, 'DISABLED');
  await c.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
  assert.deepEqual((await c.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
  const again = await failure(() => c.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } })));
  assert.deepEqual([again.name, again.message], ['ValidationException', 'TimeToLive is already enabled']);
});

test('UpdateTable adds a GSI with backfill and switches billing mode', async () => {
  const c = ddbClient(h.dd);
  const name = await createTable(c);
  await c.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, g: { S: 'x' } } }));
  await c.send(new UpdateTableCommand({
    TableName: name, AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
  }));
  const q = await c.send(new QueryCommand({ TableName: name, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }));
  assert.deepEqual(q.Items, [{ pk: { S: 'a' }, g: { S: 'x' } }]);
  const d = await c.send(new UpdateTableCommand({ TableName: name, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
    GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }] }));
  assert.equal(d.TableDescription?.ProvisionedThroughput?.WriteCapacityUnits, 4);
  assert.equal(d.TableDescription?.GlobalSecondaryIndexes?.[0]?.ItemCount, 1);
  const none = await failure(() => c.send(new UpdateTableCommand({ TableName: name })));
  assert.equal(none.name, 'ValidationException');
});

test('a table policy lets another account read items; without it the call is denied', async () => {
  const owner = ddbClient(h.dd, { accessKeyId: '111111111111' });
  const other = ddbClient(h.dd, { accessKeyId: '222222222222' });
  const t = await createTable(owner);
  const arn = `arn:aws:dynamodb:us-east-1:111111111111:table/${t}`;
  await owner.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'shared' }, v: { S: 'hello' } } }));
  const denied = await failure(() => other.send(new GetItemCommand({ TableName: arn, Key: { pk: { S: 'shared' } } })));
  assert.equal(denied.name, 'AccessDeniedException');
  const missing = await failure(() => owner.send(new GetResourcePolicyCommand({ ResourceArn: arn })));
  assert.equal(missing.name, 'PolicyNotFoundException');
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'dynamodb:GetItem', Resource: arn }] });
  const { RevisionId } = await owner.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy }));
  assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).RevisionId, RevisionId);
  const got = await other.send(new GetItemCommand({ TableName: arn, Key: { pk: { S: 'shared' } } }));
  assert.deepEqual(got.Item, { pk: { S: 'shared' }, v: { S: 'hello' } });
  const write = await failure(() => other.send(new PutItemCommand({ TableName: arn, Item: { pk: { S: 'x' } } })));
  assert.equal(write.name, 'AccessDeniedException');
  await owner.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }));
  const onCreate = await createTable(owner, { extra: { ResourcePolicy: 'not json' } }).catch((e: Error) => e.message);
  assert.match(String(onCreate), /^Invalid policy document/);
  const again = await failure(() => other.send(new GetItemCommand({ TableName: arn, Key: { pk: { S: 'shared' } } })));
  assert.equal(again.name, 'AccessDeniedException');
});
