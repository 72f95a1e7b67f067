/** Resource-based policies: another account reaches a table only when the table's policy grants it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetItemCommand, GetResourcePolicyCommand, PutItemCommand, PutResourcePolicyCommand, DeleteResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { useDrydock } from '../../helpers.js';
import { createTable, ddbClient, failure } from './helpers.js';

const h = useDrydock();

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
  const again = await failure(() => other.send(new GetItemCommand({ TableName: arn, Key: { pk: { S: 'shared' } } })));
  assert.equal(again.name, 'AccessDeniedException');
});
