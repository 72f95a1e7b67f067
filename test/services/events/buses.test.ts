import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateEventBusCommand, DeleteEventBusCommand, DescribeEventBusCommand, ListEventBusesCommand, PutPermissionCommand, RemovePermissionCommand,
} from '@aws-sdk/client-eventbridge';
import { useDrydock } from '../../helpers.js';
import { ebClient, failure, uniqueName } from './helpers.js';

describe('EventBridge event buses', () => {
  const drydock = useDrydock();

  it('creates, describes, lists with a prefix and pages, and deletes a custom bus', async () => {
    const eb = ebClient(drydock.dd);
    const prefix = uniqueName('bus');
    const made = await eb.send(new CreateEventBusCommand({ Name: `${prefix}-0`, Description: 'test bus' }));
    assert.equal(made.EventBusArn, `arn:aws:events:us-east-1:000000000000:event-bus/${prefix}-0`);
    for (const i of [1, 2, 3]) await eb.send(new CreateEventBusCommand({ Name: `${prefix}-${i}` }));
    const d = await eb.send(new DescribeEventBusCommand({ Name: `${prefix}-0` }));
    assert.equal(d.Description, 'test bus');
    assert.ok(d.CreationTime instanceof Date);
    const first = await eb.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 3 }));
    assert.deepEqual(first.EventBuses!.map((b) => b.Name), [0, 1, 2].map((i) => `${prefix}-${i}`));
    assert.ok(first.NextToken);
    const second = await eb.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 3, NextToken: first.NextToken }));
    assert.deepEqual(second.EventBuses!.map((b) => b.Name), [`${prefix}-3`]);
    assert.equal(second.NextToken, undefined);
    await eb.send(new DeleteEventBusCommand({ Name: `${prefix}-0` }));
    const gone = await failure(() => eb.send(new DescribeEventBusCommand({ Name: `${prefix}-0` })));
    assert.deepEqual([gone.name, gone.message, gone.status], ['ResourceNotFoundException', `Event bus ${prefix}-0 does not exist.`, 400]);
  });

  it('always has a default bus, which cannot be deleted, and refuses duplicates and bad names', async () => {
    const eb = ebClient(drydock.dd);
    const d = await eb.send(new DescribeEventBusCommand({}));
    assert.equal(d.Name, 'default');
    const del = await failure(() => eb.send(new DeleteEventBusCommand({ Name: 'default' })));
    assert.deepEqual([del.name, del.message], ['ValidationException', 'Cannot delete event bus default.']);
    const name = uniqueName('dup');
    await eb.send(new CreateEventBusCommand({ Name: name }));
    const dup = await failure(() => eb.send(new CreateEventBusCommand({ Name: name })));
    assert.deepEqual([dup.name, dup.message], ['ResourceAlreadyExistsException', `Event bus ${name} already exists.`]);
    const bad = await failure(() => eb.send(new CreateEventBusCommand({ Name: 'bad name!' })));
    assert.equal(bad.name, 'ValidationException');
    assert.match(bad.message, /^1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint/);
  });

  it('keeps PutPermission statements in the bus policy and removes them by id', async () => {
    const eb = ebClient(drydock.dd);
    const name = uniqueName('perm');
    await eb.send(new CreateEventBusCommand({ Name: name }));
    await eb.send(new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: '111111111111', StatementId: 's1' }));
    await eb.send(new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: '*', StatementId: 's2' }));
    const policy = JSON.parse((await eb.send(new DescribeEventBusCommand({ Name: name }))).Policy!) as { Statement: Record<string, unknown>[] };
    assert.deepEqual(policy.Statement.map((s) => [s['Sid'], s['Principal']]), [['s1', { AWS: 'arn:aws:iam::111111111111:root' }], ['s2', '*']]);
    assert.equal(policy.Statement[0]!['Resource'], `arn:aws:events:us-east-1:000000000000:event-bus/${name}`);
    await eb.send(new RemovePermissionCommand({ EventBusName: name, StatementId: 's1' }));
    const after = JSON.parse((await eb.send(new DescribeEventBusCommand({ Name: name }))).Policy!) as { Statement: unknown[] };
    assert.equal(after.Statement.length, 1);
    const missing = await failure(() => eb.send(new RemovePermissionCommand({ EventBusName: name, StatementId: 'nope' })));
    assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Statement with the provided id does not exist.']);
    const noBus = await failure(() => eb.send(new PutPermissionCommand({ EventBusName: 'nobus', Action: 'events:PutEvents', Principal: '*', StatementId: 'x' })));
    assert.deepEqual([noBus.name, noBus.message], ['ResourceNotFoundException', 'Event bus nobus does not exist.']);
  });
});
