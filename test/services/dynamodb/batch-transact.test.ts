/** Batches and transactions through the real SDK: limits, unprocessed, all-or-nothing, idempotency, conflicts with an ongoing transaction. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand,
  UpdateItemCommand, type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { useDrydock } from '../../helpers.js';
import { createTable, ddbClient, failure } from './helpers.js';

const h = useDrydock();

test('BatchWriteItem and BatchGetItem: limits, duplicates, missing tables', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  await c.send(new BatchWriteItemCommand({ RequestItems: { [t]: [{ PutRequest: { Item: { pk: { S: 'a' }, v: { N: '1' } } } }, { PutRequest: { Item: { pk: { S: 'b' } } } }] } }));
  const r = await c.send(new BatchGetItemCommand({ RequestItems: { [t]: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'zz' } }], ProjectionExpression: 'v' } } }));
  assert.deepEqual(r.Responses?.[t], [{ v: { N: '1' } }]);
  assert.deepEqual(r.UnprocessedKeys, {});
  const dup = await failure(() => c.send(new BatchGetItemCommand({ RequestItems: { [t]: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'a' } }] } } })));
  assert.equal(dup.message, 'Provided list of item keys contains duplicates');
  const many = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `k${i}` } } } }));
  const tooMany = await failure(() => c.send(new BatchWriteItemCommand({ RequestItems: { [t]: many } })));
  assert.equal(tooMany.name, 'ValidationException');
  const schema = await failure(() => c.send(new BatchWriteItemCommand({ RequestItems: { [t]: [{ DeleteRequest: { Key: { pk: { N: '1' } } } }] } })));
  assert.equal(schema.message, 'The provided key element does not match the schema');
  const missing = await failure(() => c.send(new BatchWriteItemCommand({ RequestItems: { nope: [{ PutRequest: { Item: { pk: { S: 'a' } } } }] } })));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Requested resource not found']);
});

test('TransactWriteItems is all-or-nothing with per-action cancellation reasons', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'acct1' }, bal: { N: '10' } } }));
  try {
    await c.send(new TransactWriteItemsCommand({ TransactItems: [
      { Update: { TableName: t, Key: { pk: { S: 'acct1' } }, UpdateExpression: 'SET bal = bal - :x', ConditionExpression: 'bal >= :x',
        ExpressionAttributeValues: { ':x': { N: '50' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
      { Put: { TableName: t, Item: { pk: { S: 'acct2' }, bal: { N: '50' } } } },
    ] }));
    assert.fail('expected cancellation');
  } catch (e) {
    const err = e as { name: string; message: string; CancellationReasons?: unknown };
    assert.equal(err.name, 'TransactionCanceledException');
    assert.equal(err.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]');
    assert.deepEqual(err.CancellationReasons, [
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'acct1' }, bal: { N: '10' } } }, { Code: 'None' },
    ]);
  }
  assert.equal((await c.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'acct2' } } }))).Item, undefined);
  const same = await failure(() => c.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: t, Item: { pk: { S: 'x' } } } }, { Delete: { TableName: t, Key: { pk: { S: 'x' } } } },
  ] })));
  assert.equal(same.message, 'Transaction request cannot include multiple operations on one item');
});

test('TransactWriteItems with a ClientRequestToken applies once within ten minutes', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  const send = (token: string, by = '1') => c.send(new TransactWriteItemsCommand({ ClientRequestToken: token, TransactItems: [
    { Update: { TableName: t, Key: { pk: { S: 'c' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: by } } } },
  ] }));
  await send('tok-1');
  await send('tok-1');
  const n = async () => (await c.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'c' } } }))).Item?.['n']?.N;
  assert.equal(await n(), '1');
  const mismatch = await failure(() => send('tok-1', '2'));
  assert.equal(mismatch.name, 'IdempotentParameterMismatchException');
  h.dd.app.clock.advance(11 * 60);
  await send('tok-1');
  assert.equal(await n(), '2');
  const got = await c.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: t, Key: { pk: { S: 'c' } } } }, { Get: { TableName: t, Key: { pk: { S: 'none' } } } }] }));
  assert.deepEqual(got.Responses, [{ Item: { pk: { S: 'c' }, n: { N: '2' } } }, {}]);
});

// The issue asks for 8 × 1,000 (bench/dynamodb.ts runs exactly that, against both peers);
// the suite runs 8 × 40 conditional increments (320 writes) plus 4 × 3 optimistic
// read-modify-write rounds to stay within its time budget.
test('8 concurrent clients × 40 conditional increments end exact', async () => {
  const t = await createTable(ddbClient(h.dd));
  const key = { pk: { S: 'counter' } };
  await ddbClient(h.dd).send(new PutItemCommand({ TableName: t, Item: { ...key, n: { N: '0' }, v: { N: '0' } } }));
  const N = 40;
  const increments = async () => {
    const c = ddbClient(h.dd);
    for (let i = 0; i < N; i++) {
      await c.send(new UpdateItemCommand({ TableName: t, Key: key, UpdateExpression: 'SET n = n + :one', ConditionExpression: 'attribute_exists(n)',
        ExpressionAttributeValues: { ':one': { N: '1' } } }));
    }
  };
  // Optimistic locking: read, then write only if nobody wrote in between; retry on conflict.
  const optimistic = async () => {
    const c = ddbClient(h.dd);
    for (let i = 0; i < 3; i++) {
      for (;;) {
        const cur = (await c.send(new GetItemCommand({ TableName: t, Key: key, ConsistentRead: true }))).Item!['v']!.N!;
        try {
          await c.send(new UpdateItemCommand({ TableName: t, Key: key, UpdateExpression: 'SET v = :next', ConditionExpression: 'v = :cur',
            ExpressionAttributeValues: { ':cur': { N: cur }, ':next': { N: String(Number(cur) + 1) } } }));
          break;
        } catch (e) {
          if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
        }
      }
    }
  };
  await Promise.all([...Array.from({ length: 8 }, increments), ...Array.from({ length: 4 }, optimistic)]);
  const end = (await ddbClient(h.dd).send(new GetItemCommand({ TableName: t, Key: key }))).Item!;
  assert.equal(end['n']!.N, String(8 * N));
  assert.equal(end["v"]!.N, "12");
});

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

test('BatchWriteItem and BatchGetItem report consumed capacity per table when asked, and meter it', async () => {
  const c = ddbClient(h.dd);
  const [t1, t2] = [await createTable(c), await createTable(c)];
  const big = 'x'.repeat(2500); // a 2.5 KB item: 3 write units, 1 read unit
  const w = await c.send(new BatchWriteItemCommand({
    ReturnConsumedCapacity: 'TOTAL',
    RequestItems: {
      [t1]: [{ PutRequest: { Item: { pk: { S: 'a' }, v: { S: big } } } }, { PutRequest: { Item: { pk: { S: 'b' } } } }],
      [t2]: [{ DeleteRequest: { Key: { pk: { S: 'none' } } } }],
    },
  }));
  const byTable = (list: { TableName?: string; CapacityUnits?: number }[] | undefined) => Object.fromEntries((list ?? []).map((x) => [x.TableName, x.CapacityUnits]));
  assert.deepEqual(byTable(w.ConsumedCapacity), { [t1]: 4, [t2]: 1 });
  const r = await c.send(new BatchGetItemCommand({
    ReturnConsumedCapacity: 'INDEXES',
    RequestItems: { [t1]: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'b' } }, { pk: { S: 'zz' } }], ConsistentRead: true }, [t2]: { Keys: [{ pk: { S: 'x' } }] } },
  }));
  assert.deepEqual(byTable(r.ConsumedCapacity), { [t1]: 3, [t2]: 0.5 });
  assert.equal(r.ConsumedCapacity?.find((x) => x.TableName === t1)?.Table?.CapacityUnits, 3);
  const quiet = await c.send(new BatchGetItemCommand({ RequestItems: { [t1]: { Keys: [{ pk: { S: 'a' } }] } } }));
  assert.equal(quiet.ConsumedCapacity, undefined);
  const usage = await (await fetch(`${h.dd.endpoint}/_drydock/usage`)).json() as { usage: { resourceId: string; usageType: string; operation: string; quantity: number }[] };
  const rows = usage.usage.filter((u) => u.resourceId.endsWith(`/${t1}`));
  assert.equal(rows.find((u) => u.operation === 'BatchWriteItem' && u.usageType === 'WriteRequestUnits')?.quantity, 4);
  assert.equal(rows.find((u) => u.operation === 'BatchGetItem' && u.usageType === 'ReadRequestUnits')?.quantity, 3.5);
});

test('a provisioned table out of capacity leaves batch writes unprocessed; a batch with nothing writable fails', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c, { extra: { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } });
  // 300 units of burst: a 299 KB item leaves 1 unit, enough for one small write out of three.
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'big' }, pad: { S: 'x'.repeat(299 * 1024 - 10) } } }));
  const small = (k: string) => ({ PutRequest: { Item: { pk: { S: k } } } });
  const w = await c.send(new BatchWriteItemCommand({ RequestItems: { [t]: [small('a'), small('b'), small('c')] }, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal(w.UnprocessedItems?.[t]?.length, 2);
  assert.equal(w.ConsumedCapacity?.[0]?.CapacityUnits, 1);
  const none = await failure(() => c.send(new BatchWriteItemCommand({ RequestItems: { [t]: w.UnprocessedItems![t]! } })));
  assert.deepEqual([none.name, none.status], ['ProvisionedThroughputExceededException', 400]);
  h.dd.app.clock.advance(5);
  const retried = await c.send(new BatchWriteItemCommand({ RequestItems: { [t]: w.UnprocessedItems![t]! } }));
  assert.deepEqual(retried.UnprocessedItems, {});
});
