import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { ebClient } from '../events/helpers.js';
import { useDrydock } from '../../helpers.js';
import { createQueue, executionRole, failure, receiveAll, receiveEventually, schedulerClient, sqsClient, uniqueName } from './helpers.js';

const bodies = async (p: Promise<{ Body?: string }[]>) => (await p).map((m) => JSON.parse(m.Body!) as Record<string, unknown>);

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('EventBridge Scheduler: invocations on the clock', () => {
  const drydock = useDrydock();

  /** Clients, a queue to watch, an execution role, and the clock frozen at `at`. */
  async function setup(at: string) {
    const c = schedulerClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const queue = await createQueue(sqs);
    const role = await executionRole(drydock.dd);
    const clock = drydock.dd.app.clock;
    clock.set(at);
    clock.freeze(true);
    return { c, sqs, queue, role, clock };
  }

  it('sends a rate schedule\'s input to SQS as its role, with context attributes filled in', async () => {
    const { c, sqs, queue, role, clock } = await setup('2033-06-01T12:00:00Z');
    try {
      const name = uniqueName();
      const arn = (await c.send(new CreateScheduleCommand({
        Name: name, ScheduleExpression: 'rate(10 minutes)', FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: queue.arn, RoleArn: role, Input: '{"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","n":<aws.scheduler.attempt-number>}' },
      }))).ScheduleArn!;
      clock.advance(9 * 60);
      await settle();
      assert.equal((await receiveAll(sqs, queue.url)).length, 0);
      clock.advance(60);
      assert.deepEqual(await bodies(receiveEventually(sqs, queue.url)), [{ arn, at: '2033-06-01T12:10:00Z', n: 1 }]);
      clock.advance(10 * 60);
      assert.equal((await receiveEventually(sqs, queue.url)).length, 1);
      // Later tests jump the clock by years: a live 10-minute schedule would fire all the way.
      await c.send(new DeleteScheduleCommand({ Name: name }));
    } finally {
      clock.freeze(false);
    }
  });

  it('runs a one-time at() schedule at its wall time in its time zone, then deletes it', async () => {
    const { c, sqs, queue, role, clock } = await setup('2034-07-01T00:00:00Z');
    try {
      const name = uniqueName();
      await c.send(new CreateScheduleCommand({
        Name: name, ScheduleExpression: 'at(2034-07-01T09:30:00)', ScheduleExpressionTimezone: 'America/New_York', FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE', Target: { Arn: queue.arn, RoleArn: role, Input: 'hello' },
      }));
      clock.set('2034-07-01T13:29:59Z'); // 09:29:59 EDT
      await settle();
      assert.equal((await receiveAll(sqs, queue.url)).length, 0);
      clock.advance(1);
      assert.deepEqual((await receiveEventually(sqs, queue.url)).map((m) => m.Body), ['hello']);
      const gone = await failure(() => c.send(new GetScheduleCommand({ Name: name })));
      assert.equal(gone.name, 'ResourceNotFoundException');
    } finally {
      clock.freeze(false);
    }
  });

  it('fires within the flexible time window and not after the end date', async () => {
    const { c, sqs, queue, role, clock } = await setup('2035-01-01T00:00:00Z');
    try {
      await c.send(new CreateScheduleCommand({
        Name: uniqueName(), ScheduleExpression: 'cron(0 * * * ? *)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        EndDate: new Date('2035-01-01T01:30:00Z'), Target: { Arn: queue.arn, RoleArn: role, Input: '{}' },
      }));
      clock.set('2035-01-01T00:59:59Z');
      await settle();
      assert.equal((await receiveAll(sqs, queue.url)).length, 0);
      clock.set('2035-01-01T01:15:00Z');
      assert.equal((await receiveEventually(sqs, queue.url)).length, 1);
      clock.set('2035-01-01T03:00:00Z');
      await settle();
      assert.equal((await receiveAll(sqs, queue.url)).length, 0);
    } finally {
      clock.freeze(false);
    }
  });

  it('calls any API as a universal target, and puts events on a bus as a templated one', async () => {
    const c = schedulerClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const eb = ebClient(drydock.dd);
    const direct = await createQueue(sqs);
    const viaBus = await createQueue(sqs);
    const role = await executionRole(drydock.dd);
    const source = uniqueName('sched');
    const rule = uniqueName('r');
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }));
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: viaBus.arn }] }));
    const clock = drydock.dd.app.clock;
    clock.set('2036-01-01T00:00:00Z');
    clock.freeze(true);
    try {
      await c.send(new CreateScheduleCommand({
        Name: uniqueName(), ScheduleExpression: 'at(2036-01-01T00:05:00)', FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', RoleArn: role, Input: JSON.stringify({ QueueUrl: direct.url, MessageBody: 'universal' }) },
      }));
      await c.send(new CreateScheduleCommand({
        Name: uniqueName(), ScheduleExpression: 'at(2036-01-01T00:05:00)', FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default', RoleArn: role, Input: '{"k":"v"}', EventBridgeParameters: { Source: source, DetailType: 'Tick' } },
      }));
      clock.advance(300);
      assert.deepEqual((await receiveEventually(sqs, direct.url)).map((m) => m.Body), ['universal']);
      const [event] = await bodies(receiveEventually(sqs, viaBus.url));
      assert.deepEqual([event!['source'], event!['detail-type'], event!['detail']], [source, 'Tick', { k: 'v' }]);
    } finally {
      clock.freeze(false);
    }
  });

  it('sends an invocation its role may not make to the dead-letter queue with AWS\'s attributes', async () => {
    const c = schedulerClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const target = await createQueue(sqs);
    const dlq = await createQueue(sqs);
    const role = await executionRole(drydock.dd, ['sqs:SendMessage'], [dlq.arn]);
    const clock = drydock.dd.app.clock;
    clock.set('2037-01-01T00:00:00Z');
    clock.freeze(true);
    try {
      const name = uniqueName();
      const arn = (await c.send(new CreateScheduleCommand({
        Name: name, ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: target.arn, RoleArn: role, Input: '{"job":1}', DeadLetterConfig: { Arn: dlq.arn } },
      }))).ScheduleArn!;
      clock.advance(3600);
      const [m] = await receiveEventually(sqs, dlq.url);
      assert.equal((await receiveAll(sqs, target.url)).length, 0);
      assert.equal(m!.Body, '{"job":1}');
      const attr = (k: string) => m!.MessageAttributes![k]?.StringValue;
      assert.deepEqual([attr('SCHEDULE_ARN'), attr('TARGET_ARN'), attr('ERROR_CODE')], [arn, target.arn, 'AccessDeniedException']);
      await c.send(new DeleteScheduleCommand({ Name: name }));
    } finally {
      clock.freeze(false);
    }
  });
});
