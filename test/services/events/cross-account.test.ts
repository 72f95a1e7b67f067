import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateEventBusCommand, PutEventsCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { useDrydock } from '../../helpers.js';
import { ebClient, failure, receiveAll, receiveJson, ruleToQueue, sqsClient, uniqueName } from './helpers.js';

const OTHER = '111111111111';

describe('EventBridge across accounts and regions', () => {
  const drydock = useDrydock();

  it('lets another account put events only once the bus policy allows it', async () => {
    const owner = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const bus = uniqueName('shared');
    const busArn = (await owner.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn!;
    const source = uniqueName('partner');
    const { queue } = await ruleToQueue(owner, sqs, { bus, pattern: { source: [source] } });
    const other = ebClient(drydock.dd, { accessKeyId: OTHER });
    const put = () => other.send(new PutEventsCommand({ Entries: [{ EventBusName: busArn, Source: source, DetailType: 'x', Detail: '{"a":1}' }] }));
    const denied = await failure(put);
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(denied.message, /events:PutEvents/);
    await owner.send(new PutPermissionCommand({ EventBusName: bus, Action: 'events:PutEvents', Principal: OTHER, StatementId: 'partner' }));
    await put();
    const [got] = await receiveJson(sqs, queue.url);
    assert.equal(got!['account'], OTHER);
  });

  it('keeps the event id when a rule forwards to another account\'s bus in the same region', async () => {
    const mine = ebClient(drydock.dd);
    const theirs = ebClient(drydock.dd, { accessKeyId: OTHER });
    const theirSqs = sqsClient(drydock.dd, { accessKeyId: OTHER });
    const bus = uniqueName('inbox');
    const busArn = (await theirs.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn!;
    await theirs.send(new PutPermissionCommand({ EventBusName: bus, Action: 'events:PutEvents', Principal: '000000000000', StatementId: 'mine' }));
    const source = uniqueName('app');
    const inbox = await ruleToQueue(theirs, theirSqs, { bus, pattern: { source: [source] } });
    const rule = uniqueName('fwd');
    await mine.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
    await mine.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'bus', Arn: busArn }] }));
    const out = await mine.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{}' }] }));
    const [got] = await receiveJson(theirSqs, inbox.queue.url);
    assert.deepEqual([got!['id'], got!['account']], [out.Entries![0]!.EventId, '000000000000']);
  });

  it('forwards events to a bus in another account and region when its policy allows, else to the DLQ', async () => {
    const mine = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const theirs = ebClient(drydock.dd, { accessKeyId: OTHER, region: 'eu-west-1' });
    const theirSqs = sqsClient(drydock.dd, { accessKeyId: OTHER, region: 'eu-west-1' });
    const bus = uniqueName('inbox');
    const busArn = (await theirs.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn!;
    const source = uniqueName('app');
    const inbox = await ruleToQueue(theirs, theirSqs, { bus, pattern: { source: [source] } });
    const dlq = await ruleToQueue(mine, sqs, { pattern: { source: ['unused'] } });
    const rule = uniqueName('fwd');
    await mine.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
    await mine.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'bus', Arn: busArn, DeadLetterConfig: { Arn: dlq.queue.arn } }] }));
    const send = () => mine.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{"k":"v"}' }] }));
    await send();
    assert.equal((await receiveAll(theirSqs, inbox.queue.url)).length, 0);
    const [dead] = await receiveAll(sqs, dlq.queue.url);
    assert.equal(dead!.MessageAttributes!['ERROR_CODE']!.StringValue, 'AccessDeniedException');
    await theirs.send(new PutPermissionCommand({ EventBusName: bus, Action: 'events:PutEvents', Principal: '000000000000', StatementId: 'from-mine' }));
    const out = await send();
    const [got] = await receiveJson(theirSqs, inbox.queue.url);
    // Account and region of origin stay; the id does not survive the change of region.
    assert.deepEqual([got!['account'], got!['region'], got!['detail']], ['000000000000', 'us-east-1', { k: 'v' }]);
    assert.notEqual(got!['id'], out.Entries![0]!.EventId);
  });
});
