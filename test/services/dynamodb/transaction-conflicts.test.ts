/** Transactions given a commit time on the clock hold their items: conflicting calls are refused as AWS refuses them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, UpdateItemCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { useDrydock } from '../../helpers.js';
import { createTable, ddbClient, failure } from './helpers.js';

const h = useDrydock();

/** The SDK's exception itself (with CancellationReasons). */
async function raw(fn: () => Promise<unknown>): Promise<TransactionCanceledException> {
  try {
    await fn();
  } catch (e) {
    return e as TransactionCanceledException;
  }
  throw new Error('expected the call to fail');
}

test('an ongoing TransactWriteItems: item writes conflict, other transactions are cancelled, reads see the last commit', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { extra: { Tags: [{ Key: 'drydock:transaction-commit-ms', Value: '1000' }] } });
  const key = (pk: string) => ({ pk: { S: pk } });
  await c.send(new PutItemCommand({ TableName: t, Item: { ...key('a'), balance: { N: '10' } } }));
  await c.send(new PutItemCommand({ TableName: t, Item: key('c') }));
  h.dd.app.clock.freeze(true);
  let tx: Promise<unknown> | undefined;
  try {
    tx = c.send(new TransactWriteItemsCommand({ TransactItems: [
      { Update: { TableName: t, Key: key('a'), UpdateExpression: 'SET balance = balance - :five', ExpressionAttributeValues: { ':five': { N: '5' } } } },
      { Put: { TableName: t, Item: { ...key('b'), from: { S: 'a' } } } },
      { ConditionCheck: { TableName: t, Key: key('c'), ConditionExpression: 'attribute_exists(pk)' } },
    ] }));
    // Wait for the transaction to take its locks: a conditional put on c (which never changes c)
    // fails its condition before, and conflicts once c is held.
    let code = '';
    for (let i = 0; i < 500 && code !== 'TransactionConflictException'; i++) {
      code = (await failure(() => c.send(new PutItemCommand({ TableName: t, Item: key('c'), ConditionExpression: 'attribute_not_exists(pk)' })))).name;
    }
    assert.equal(code, 'TransactionConflictException');

    const update = await failure(() => c.send(new UpdateItemCommand({ TableName: t, Key: key('a'), UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': { S: 'x' } } })));
    assert.deepEqual([update.name, update.message], ['TransactionConflictException', 'Transaction is ongoing for the item']);
    const other = await raw(() => c.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: t, Item: key('d') } },
      { Delete: { TableName: t, Key: key('a') } },
    ] })));
    assert.equal(other.name, 'TransactionCanceledException');
    assert.deepEqual(other.CancellationReasons?.map((r) => r.Code), ['None', 'TransactionConflict']);
    assert.match(other.message, /\[None, TransactionConflict\]/);
    const read = await raw(() => c.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: t, Key: key('b') } }] })));
    assert.deepEqual([read.name, read.CancellationReasons?.[0]?.Code], ['TransactionCanceledException', 'TransactionConflict']);
    const batch = await c.send(new BatchWriteItemCommand({ RequestItems: { [t]: [{ PutRequest: { Item: key('a') } }, { PutRequest: { Item: key('e') } }] } }));
    assert.deepEqual(batch.UnprocessedItems?.[t]?.map((w) => w.PutRequest?.Item?.['pk']?.S), ['a'], 'only the held item is left unprocessed');
    const before = await c.send(new GetItemCommand({ TableName: t, Key: key('a'), ConsistentRead: true }));
    assert.equal(before.Item?.['balance']?.N, '10', 'a plain read sees the last committed item');
    assert.equal((await c.send(new GetItemCommand({ TableName: t, Key: key('d') }))).Item, undefined, 'the cancelled transaction wrote nothing');

    h.dd.app.clock.advance(1);
    await tx;
    const after = await c.send(new GetItemCommand({ TableName: t, Key: key('a'), ConsistentRead: true }));
    assert.equal(after.Item?.['balance']?.N, '5');
    assert.equal((await c.send(new GetItemCommand({ TableName: t, Key: key('b') }))).Item?.['from']?.S, 'a');
    await c.send(new PutItemCommand({ TableName: t, Item: { ...key('a'), balance: { N: '1' } } }));
  } finally {
    h.dd.app.clock.advance(1);
    await tx?.catch(() => undefined);
    h.dd.app.clock.freeze(false);
  }
});
