import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateScheduleCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { failure, schedulerClient, uniqueName } from './helpers.js';

describe('EventBridge Scheduler authorization', () => {
  const drydock = useDrydock();

  it('authorizes schedule calls on the schedule\'s ARN', async () => {
    const root = schedulerClient(drydock.dd);
    const target = { Arn: 'arn:aws:sqs:us-east-1:000000000000:q', RoleArn: 'arn:aws:iam::000000000000:role/r' };
    const [open, closed] = [uniqueName('open'), uniqueName('closed')];
    for (const Name of [open, closed]) {
      await root.send(new CreateScheduleCommand({ Name, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target }));
    }
    const iam = new IAMClient(drydock.config());
    const user = uniqueName('u');
    await iam.send(new CreateUserCommand({ UserName: user }));
    await iam.send(new PutUserPolicyCommand({
      UserName: user, PolicyName: 'one',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'scheduler:GetSchedule', Resource: `arn:aws:scheduler:us-east-1:000000000000:schedule/default/${open}` }] }),
    }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
    const c = new SchedulerClient(sdkConfig(drydock.dd, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } }));
    assert.equal((await c.send(new GetScheduleCommand({ Name: open }))).Name, open);
    const denied = await failure(() => c.send(new GetScheduleCommand({ Name: closed })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(denied.message, new RegExp(`scheduler:GetSchedule on resource: arn:aws:scheduler:us-east-1:000000000000:schedule/default/${closed}`));
  });
});
