import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateEventBusCommand, DeleteRuleCommand, DescribeRuleCommand, DisableRuleCommand, EnableRuleCommand, ListRuleNamesByTargetCommand,
  ListRulesCommand, ListTagsForResourceCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand,
  TagResourceCommand, TestEventPatternCommand, UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { useDrydock } from '../../helpers.js';
import { ebClient, failure, uniqueName } from './helpers.js';

const PATTERN = JSON.stringify({ source: ['core.update'], detail: { command: ['update-account'] } });
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:some-queue';

describe('EventBridge rules and targets', () => {
  const drydock = useDrydock();

  it('puts, describes, lists by prefix with pages, disables, enables and deletes rules on a custom bus', async () => {
    const eb = ebClient(drydock.dd);
    const bus = uniqueName('bus');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    const prefix = uniqueName('rule');
    const made = await eb.send(new PutRuleCommand({ Name: `${prefix}-0`, EventBusName: bus, EventPattern: PATTERN, Description: 'd' }));
    assert.equal(made.RuleArn, `arn:aws:events:us-east-1:000000000000:rule/${bus}/${prefix}-0`);
    for (const i of [1, 2]) await eb.send(new PutRuleCommand({ Name: `${prefix}-${i}`, EventBusName: bus, EventPattern: PATTERN }));
    const d = await eb.send(new DescribeRuleCommand({ Name: `${prefix}-0`, EventBusName: bus }));
    assert.deepEqual([d.State, d.EventBusName, d.CreatedBy, d.Description, JSON.parse(d.EventPattern!)], ['ENABLED', bus, '000000000000', 'd', JSON.parse(PATTERN)]);
    const page1 = await eb.send(new ListRulesCommand({ EventBusName: bus, NamePrefix: prefix, Limit: 2 }));
    assert.deepEqual(page1.Rules!.map((r) => r.Name), [`${prefix}-0`, `${prefix}-1`]);
    const page2 = await eb.send(new ListRulesCommand({ EventBusName: bus, NamePrefix: prefix, Limit: 2, NextToken: page1.NextToken }));
    assert.deepEqual(page2.Rules!.map((r) => r.Name), [`${prefix}-2`]);
    await eb.send(new DisableRuleCommand({ Name: `${prefix}-0`, EventBusName: bus }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: `${prefix}-0`, EventBusName: bus }))).State, 'DISABLED');
    await eb.send(new EnableRuleCommand({ Name: `${prefix}-0`, EventBusName: bus }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: `${prefix}-0`, EventBusName: bus }))).State, 'ENABLED');
    await eb.send(new DeleteRuleCommand({ Name: `${prefix}-0`, EventBusName: bus }));
    const gone = await failure(() => eb.send(new DescribeRuleCommand({ Name: `${prefix}-0`, EventBusName: bus })));
    assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', `Rule ${prefix}-0 does not exist on EventBus ${bus}.`]);
  });

  it('refuses invalid patterns with InvalidEventPatternException and bad schedules with AWS messages', async () => {
    const eb = ebClient(drydock.dd);
    const empty = await failure(() => eb.send(new PutRuleCommand({ Name: uniqueName(), EventPattern: '{"source": []}' })));
    assert.equal(empty.name, 'InvalidEventPatternException');
    assert.match(empty.message, /^Event pattern is not valid\. Reason: Empty arrays are not allowed/);
    const notJson = await failure(() => eb.send(new PutRuleCommand({ Name: uniqueName(), EventPattern: '{"source": ' })));
    assert.equal(notJson.name, 'InvalidEventPatternException');
    const cron = await failure(() => eb.send(new PutRuleCommand({ Name: uniqueName(), ScheduleExpression: 'cron(0 1 * * * *)' })));
    assert.deepEqual([cron.name, cron.message], ['ValidationException', 'Parameter ScheduleExpression is not valid.']);
    const bus = uniqueName('bus');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    const custom = await failure(() => eb.send(new PutRuleCommand({ Name: uniqueName(), EventBusName: bus, ScheduleExpression: 'rate(1 minute)' })));
    assert.equal(custom.message, 'ScheduleExpression is supported only on the default event bus.');
    const none = await failure(() => eb.send(new PutRuleCommand({ Name: uniqueName() })));
    assert.equal(none.name, 'ValidationException');
    const badName = await failure(() => eb.send(new PutRuleCommand({ Name: 'no spaces', EventPattern: PATTERN })));
    assert.match(badName.message, /Value 'no spaces' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  it('manages targets: replace by id, limits, input checks, removal, names by target, and delete only without targets', async () => {
    const eb = ebClient(drydock.dd);
    const rule = uniqueName('r');
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: PATTERN }));
    const put = await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'a', Arn: QUEUE, InputPath: '$.detail' }, { Id: 'b', Arn: 'not-an-arn' }] }));
    assert.equal(put.FailedEntryCount, 1);
    assert.equal(put.FailedEntries![0]!.TargetId, 'b');
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'a', Arn: QUEUE, Input: '{"x":1}' }] }));
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: rule }));
    assert.deepEqual(listed.Targets, [{ Id: 'a', Arn: QUEUE, Input: '{"x":1}' }]);
    const six = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: QUEUE }));
    const limit = await failure(() => eb.send(new PutTargetsCommand({ Rule: rule, Targets: six })));
    assert.deepEqual([limit.name, limit.message], ['LimitExceededException', 'The requested resource exceeds the maximum number allowed.']);
    const both = await failure(() => eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'c', Arn: QUEUE, Input: '{}', InputPath: '$' }] })));
    assert.equal(both.message, 'Only one of Input, InputPath, or InputTransformer must be provided for target c.');
    const placeholder = await failure(() => eb.send(new PutTargetsCommand({
      Rule: rule, Targets: [{ Id: 'c', Arn: QUEUE, InputTransformer: { InputPathsMap: { a: '$.detail' }, InputTemplate: '"<a> <notdefinedkey>"' } }],
    })));
    assert.equal(placeholder.message, 'InputTemplate for target c contains invalid placeholder notdefinedkey.');
    const badId = await failure(() => eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: '!@#', Arn: QUEUE }] })));
    assert.match(badId.message, /Value '!@#' at 'targets.1.member.id' failed to satisfy constraint/);
    const retry = await failure(() => eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'r', Arn: QUEUE, RetryPolicy: { MaximumRetryAttempts: 200, MaximumEventAgeInSeconds: 30 } }] })));
    assert.equal(retry.message, "2 validation errors detected: Value '200' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185; Value '30' at 'targets.1.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60");
    const names = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: QUEUE }));
    assert.ok(names.RuleNames!.includes(rule));
    const withTargets = await failure(() => eb.send(new DeleteRuleCommand({ Name: rule })));
    assert.equal(withTargets.message, 'Rule can\'t be deleted since it has targets.');
    await eb.send(new RemoveTargetsCommand({ Rule: rule, Ids: ['a'] }));
    await eb.send(new DeleteRuleCommand({ Name: rule }));
    const missing = await failure(() => eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'a', Arn: QUEUE }] })));
    assert.equal(missing.message, `Rule ${rule} does not exist on EventBus default.`);
  });

  it('tests patterns against events and tags rules and buses', async () => {
    const eb = ebClient(drydock.dd);
    const event = { id: '1', account: '000000000000', source: 'core.update', time: '2026-01-01T00:00:00Z', region: 'us-east-1', 'detail-type': 'x', detail: { command: 'update-account' } };
    assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: JSON.stringify(event) }))).Result, true);
    const other = { ...event, detail: { command: 'delete' } };
    assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: PATTERN, Event: JSON.stringify(other) }))).Result, false);
    const rule = uniqueName('r');
    const arn = (await eb.send(new PutRuleCommand({ Name: rule, EventPattern: PATTERN, Tags: [{ Key: 'team', Value: 'red' }] }))).RuleArn!;
    await eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await eb.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }));
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
    const missing = await failure(() => eb.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:events:us-east-1:000000000000:event-bus/nope' })));
    assert.equal(missing.message, 'Event bus nope does not exist.');
  });
});
