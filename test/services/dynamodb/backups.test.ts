/** On-demand backups and point-in-time restore through the real SDK, on Drydock's clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBackupCommand, DeleteBackupCommand, DescribeContinuousBackupsCommand, GetItemCommand, ListBackupsCommand, PutItemCommand,
  RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand, ScanCommand, UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { useDrydock } from '../../helpers.js';
import { createTable, ddbClient, failure, uniqueName } from './helpers.js';

const h = useDrydock();

test('a backup restores the items it saw into a new table', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, v: { N: '1' } } }));
  const b = (await c.send(new CreateBackupCommand({ TableName: t, BackupName: 'nightly' }))).BackupDetails!;
  assert.equal(b.BackupStatus, 'AVAILABLE');
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'b' }, v: { N: '2' } } }));
  const listed = await c.send(new ListBackupsCommand({ TableName: t }));
  assert.deepEqual(listed.BackupSummaries?.map((x) => x.BackupArn), [b.BackupArn]);
  const target = uniqueName('restored');
  const r = await c.send(new RestoreTableFromBackupCommand({ BackupArn: b.BackupArn, TargetTableName: target }));
  assert.equal(r.TableDescription?.RestoreSummary?.SourceBackupArn, b.BackupArn);
  const items = (await c.send(new ScanCommand({ TableName: target }))).Items;
  assert.deepEqual(items, [{ pk: { S: 'a' }, v: { N: '1' } }]);
  const exists = await failure(() => c.send(new RestoreTableFromBackupCommand({ BackupArn: b.BackupArn, TargetTableName: target })));
  assert.equal(exists.name, 'TableAlreadyExistsException');
  await c.send(new DeleteBackupCommand({ BackupArn: b.BackupArn }));
  const gone = await failure(() => c.send(new DeleteBackupCommand({ BackupArn: b.BackupArn })));
  assert.equal(gone.name, 'BackupNotFoundException');
});

test('point-in-time restore replays writes up to the chosen second', async () => {
  const c = ddbClient(h.dd);
  const t = await createTable(c);
  const off = await failure(() => c.send(new RestoreTableToPointInTimeCommand({ SourceTableName: t, TargetTableName: uniqueName(), UseLatestRestorableTime: true })));
  assert.equal(off.name, 'PointInTimeRecoveryUnavailableException');
  await c.send(new UpdateContinuousBackupsCommand({ TableName: t, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'k' }, v: { S: 'first' } } }));
  h.dd.app.clock.advance(60);
  const between = new Date(h.dd.app.clock.nowMs());
  h.dd.app.clock.advance(60);
  await c.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'k' }, v: { S: 'second' } } }));
  h.dd.app.clock.advance(10 * 60);
  const d = (await c.send(new DescribeContinuousBackupsCommand({ TableName: t }))).ContinuousBackupsDescription!;
  assert.equal(d.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED');
  const target = uniqueName('pitr');
  await c.send(new RestoreTableToPointInTimeCommand({ SourceTableName: t, TargetTableName: target, RestoreDateTime: between }));
  assert.equal((await c.send(new GetItemCommand({ TableName: target, Key: { pk: { S: 'k' } } }))).Item?.['v']?.S, 'first');
  const latest = uniqueName('pitr');
  await c.send(new RestoreTableToPointInTimeCommand({ SourceTableName: t, TargetTableName: latest, UseLatestRestorableTime: true }));
  assert.equal((await c.send(new GetItemCommand({ TableName: latest, Key: { pk: { S: 'k' } } }))).Item?.['v']?.S, 'second');
  const future = await failure(() => c.send(new RestoreTableToPointInTimeCommand({ SourceTableName: t, TargetTableName: uniqueName(), RestoreDateTime: new Date(h.dd.app.clock.nowMs()) })));
  assert.equal(future.name, 'InvalidRestoreTimeException');
});
