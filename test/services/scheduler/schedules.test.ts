import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateScheduleCommand, CreateScheduleGroupCommand, DeleteScheduleCommand, DeleteScheduleGroupCommand, GetScheduleCommand, GetScheduleGroupCommand,
  ListScheduleGroupsCommand, ListSchedulesCommand, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { useDrydock } from '../../helpers.js';
import { failure, schedulerClient, uniqueName } from './helpers.js';

const TARGET = { Arn: 'arn:aws:sqs:us-east-1:000000000000:q', RoleArn: 'arn:aws:iam::000000000000:role/r' };

describe('EventBridge Scheduler: groups and schedules', () => {
  const drydock = useDrydock();
  const base = (over: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
    Name: uniqueName(), ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: TARGET, ...over,
  });

  it('creates, gets, lists, tags and deletes schedule groups, the default one always there', async () => {
    const c = schedulerClient(drydock.dd);
    assert.equal((await c.send(new GetScheduleGroupCommand({ Name: 'default' }))).State, 'ACTIVE');
    const name = uniqueName('g');
    const arn = (await c.send(new CreateScheduleGroupCommand({ Name: name, Tags: [{ Key: 'a', Value: '1' }] }))).ScheduleGroupArn!;
    assert.equal(arn, `arn:aws:scheduler:us-east-1:000000000000:schedule-group/${name}`);
    const dup = await failure(() => c.send(new CreateScheduleGroupCommand({ Name: name })));
    assert.deepEqual([dup.name, dup.status], ['ConflictException', 409]);
    await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'b', Value: '2' }] }));
    await c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    assert.deepEqual((await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'b', Value: '2' }]);
    assert.ok((await c.send(new ListScheduleGroupsCommand({ NamePrefix: name }))).ScheduleGroups!.some((g) => g.Name === name));
    await c.send(new CreateScheduleCommand(base({ GroupName: name, Name: 'inside' })));
    await c.send(new DeleteScheduleGroupCommand({ Name: name }));
    const gone = await failure(() => c.send(new GetScheduleGroupCommand({ Name: name })));
    assert.deepEqual([gone.name, gone.status, gone.message], ['ResourceNotFoundException', 404, `Schedule group ${name} does not exist.`]);
    assert.equal((await c.send(new ListSchedulesCommand({ GroupName: name }))).Schedules!.length, 0);
  });

  it('creates, gets, updates, lists and deletes schedules', async () => {
    const c = schedulerClient(drydock.dd);
    const input = base({ ScheduleExpression: 'cron(0 9 ? * MON-FRI *)', ScheduleExpressionTimezone: 'Europe/Paris', Description: 'weekday', StartDate: new Date('2040-01-01T00:00:00Z') });
    const arn = (await c.send(new CreateScheduleCommand(input))).ScheduleArn!;
    assert.equal(arn, `arn:aws:scheduler:us-east-1:000000000000:schedule/default/${input.Name}`);
    const got = await c.send(new GetScheduleCommand({ Name: input.Name }));
    assert.deepEqual(
      [got.ScheduleExpression, got.ScheduleExpressionTimezone, got.State, got.Description, got.StartDate?.toISOString(), got.Target?.Arn, got.ActionAfterCompletion],
      ['cron(0 9 ? * MON-FRI *)', 'Europe/Paris', 'ENABLED', 'weekday', '2040-01-01T00:00:00.000Z', TARGET.Arn, 'NONE'],
    );
    const dup = await failure(() => c.send(new CreateScheduleCommand(input)));
    assert.deepEqual([dup.name, dup.status, dup.message], ['ConflictException', 409, `Schedule ${input.Name} already exists.`]);
    await c.send(new UpdateScheduleCommand({ ...input, ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED', StartDate: undefined }));
    const updated = await c.send(new GetScheduleCommand({ Name: input.Name }));
    assert.deepEqual([updated.ScheduleExpression, updated.State, updated.StartDate], ['rate(5 minutes)', 'DISABLED', undefined]);
    const listed = await c.send(new ListSchedulesCommand({ NamePrefix: input.Name }));
    assert.deepEqual(listed.Schedules!.map((s) => [s.Name, s.State, s.Target?.Arn]), [[input.Name, 'DISABLED', TARGET.Arn]]);
    await c.send(new DeleteScheduleCommand({ Name: input.Name }));
    const gone = await failure(() => c.send(new GetScheduleCommand({ Name: input.Name })));
    assert.deepEqual([gone.name, gone.status, gone.message], ['ResourceNotFoundException', 404, `Schedule ${input.Name} does not exist.`]);
    const noGroup = await failure(() => c.send(new CreateScheduleCommand(base({ GroupName: 'nope' }))));
    assert.equal(noGroup.message, 'Schedule group nope does not exist.');
  });

  it('refuses schedule expressions AWS refuses, with AWS\'s message', async () => {
    const c = schedulerClient(drydock.dd);
    for (const bad of ['cron(0 1 * * * *)', 'cron(INVALID)', 'cron(71 8 1 * ? *)', 'rate(10 seconds)', 'rate(10)', 'rate( 10 minutes )', 'rate(-10 minutes)', ' rate(10 minutes)', 'at(2021-12-31T23:59:59Z)', 'at(2021-12-31)']) {
      const e = await failure(() => c.send(new CreateScheduleCommand(base({ ScheduleExpression: bad }))));
      assert.deepEqual([e.name, e.status, e.message], ['ValidationException', 400, `Invalid Schedule Expression ${bad}.`], bad);
    }
    for (const good of ['cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)', 'cron(*/15 * * * ? *)', 'cron(0-59/10 0-23/2 ? * * *)', 'at(2040-12-31T23:59:59)']) {
      await c.send(new CreateScheduleCommand(base({ ScheduleExpression: good })));
    }
    const tz = await failure(() => c.send(new CreateScheduleCommand(base({ ScheduleExpressionTimezone: 'Mars/Olympus' }))));
    assert.equal(tz.name, 'ValidationException');
    const window = await failure(() => c.send(new CreateScheduleCommand(base({ FlexibleTimeWindow: { Mode: 'FLEXIBLE' } }))));
    assert.equal(window.name, 'ValidationException');
  });
});
