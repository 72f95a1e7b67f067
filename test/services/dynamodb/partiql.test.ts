/** PartiQL through the real SDK: statements, parameters, batches and transactions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchExecuteStatementCommand, ExecuteStatementCommand, ExecuteTransactionCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { useDrydock } from '../../helpers.js';
import { createTable, ddbClient, failure } from './helpers.js';

const h = useDrydock();

test('INSERT, SELECT with IS MISSING, UPDATE … RETURNING and DELETE', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  const run = (Statement: string, Parameters?: Record<string, unknown>[]) => c.send(new ExecuteStatementCommand({ Statement, Parameters: Parameters as never }));
  await run(`INSERT INTO "${t}" VALUE {'pk': ?, 'FirstName': 'Alice', 'n': 1}`, [{ S: 'Alice123' }]);
  await run(`INSERT INTO "${t}" VALUE {'pk': 'Bob456', 'tags': <<'a', 'b'>>}`);
  const dup = await failure(() => run(`INSERT INTO "${t}" VALUE {'pk': 'Bob456'}`));
  assert.deepEqual([dup.name, dup.message], ['DuplicateItemException', 'Duplicate primary key exists in table']);
  const notMissing = await run(`SELECT * FROM "${t}" WHERE FirstName IS NOT MISSING`);
  assert.deepEqual(notMissing.Items, [{ pk: { S: 'Alice123' }, FirstName: { S: 'Alice' }, n: { N: '1' } }]);
  const byKey = await run(`SELECT tags FROM "${t}" WHERE pk = ?`, [{ S: 'Bob456' }]);
  assert.deepEqual(byKey.Items, [{ tags: { SS: ['a', 'b'] } }]);
  const up = await run(`UPDATE "${t}" SET n = n + 5 SET FirstName = 'Al' WHERE pk = 'Alice123' RETURNING ALL NEW *`);
  assert.deepEqual(up.Items, [{ pk: { S: 'Alice123' }, FirstName: { S: 'Al' }, n: { N: '6' } }]);
  const missing = await failure(() => run(`UPDATE "${t}" SET n = 1 WHERE pk = 'nobody'`));
  assert.equal(missing.name, 'ConditionalCheckFailedException');
  const noKey = await failure(() => run(`DELETE FROM "${t}" WHERE n = 6`));
  assert.equal(noKey.message, 'Where clause does not contain a mandatory equality on all key attributes');
  await run(`DELETE FROM "${t}" WHERE pk = 'Alice123'`);
  assert.equal((await c.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'Alice123' } } }))).Item, undefined);
  const empty = await failure(() => run(`SELECT * FROM "${t}"`, []));
  assert.equal(empty.message, "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
  const syntax = await failure(() => run(`SELEKT * FROM "${t}"`));
  assert.match(syntax.message, /^Statement wasn't well formed, can't be processed/);
});

test('BatchExecuteStatement answers per statement; ExecuteTransaction is all-or-nothing', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  const b = await c.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `INSERT INTO "${t}" VALUE {'pk': 'user01'}` },
    { Statement: `INSERT INTO "${t}" VALUE {'pk': 'user02', 'Age': 20}` },
  ] }));
  assert.deepEqual(b.Responses, [{ TableName: t }, { TableName: t }]);
  const again = await c.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `INSERT INTO "${t}" VALUE {'pk': 'user01'}` }] }));
  assert.equal(again.Responses?.[0]?.Error?.Code, 'DuplicateItem');
  try {
    await c.send(new ExecuteTransactionCommand({ TransactStatements: [
      { Statement: `UPDATE "${t}" SET Age = 21 WHERE pk = 'user02'` },
      { Statement: `UPDATE "${t}" SET Age = 1 WHERE pk = 'user01' AND Age = 99` },
    ] }));
    assert.fail('expected cancellation');
  } catch (e) {
    assert.equal((e as Error).name, 'TransactionCanceledException');
    assert.deepEqual((e as { CancellationReasons?: unknown }).CancellationReasons, [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
  }
  const got = await c.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM "${t}" WHERE pk = 'user02'` }] }));
  assert.deepEqual(got.Responses, [{ Item: { pk: { S: 'user02' }, Age: { N: '20' } } }]);
});
