import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../examples/dynamodb-global-tables/run.js';
import { startDrydock } from '../../src/embedded/index.js';

test('dynamodb-global-tables: replicate after the lag, resolve conflicts alike, survive a us-east-1 outage and converge', async () => {
  const dd = await startDrydock();
  try {
    const lines: string[] = [];
    const r = await run({ endpoint: dd.endpoint, log: (l) => lines.push(l) });
    assert.ok(r.ok, `failed steps:\n${r.failures.map((f) => `✘ ${f.title}\n${f.detail ?? ''}`).join('\n')}\n\n${lines.join('\n')}`);
    assert.equal(r.facts['conflictWinner'], 'shipped-by-us');
    assert.equal(r.facts['converged'], 'o-1=placed o-2=cancelled-during-outage o-3=shipped-by-us o-4=placed-during-outage');
    assert.equal(r.facts['replicationLatencyMs'], 'us-east-1→eu-west-1=1000 eu-west-1→us-east-1=21000');
  } finally {
    await dd.stop();
  }
});

test('a GSI added to one replica of a global table answers queries in the others', async () => {
  const { CreateTableCommand, DynamoDBClient, PutItemCommand, QueryCommand, UpdateTableCommand } = await import('@aws-sdk/client-dynamodb');
  const dd = await startDrydock();
  try {
    const client = (region: string) => new DynamoDBClient({ endpoint: dd.endpoint, region, credentials: dd.credentials, maxAttempts: 1 });
    const use1 = client('us-east-1');
    const euw1 = client('eu-west-1');
    await use1.send(new CreateTableCommand({ TableName: 'gtable', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    await use1.send(new UpdateTableCommand({ TableName: 'gtable', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
    await euw1.send(new PutItemCommand({ TableName: 'gtable', Item: { id: { S: '1' }, c: { S: 'red' } } }));
    await use1.send(new UpdateTableCommand({ TableName: 'gtable', AttributeDefinitions: [{ AttributeName: 'c', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColour', KeySchema: [{ AttributeName: 'c', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }] }));
    const q = await euw1.send(new QueryCommand({ TableName: 'gtable', IndexName: 'byColour', KeyConditionExpression: 'c = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } }));
    assert.deepEqual(q.Items, [{ id: { S: '1' }, c: { S: 'red' } }]);
  } finally {
    await dd.stop();
  }
});
