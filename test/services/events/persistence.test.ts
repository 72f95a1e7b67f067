/** EventBridge and Scheduler state in a data directory survives a restart, and schedules resume on the clock. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { startDrydock } from '../../../src/embedded/index.js';
import { sdkConfig } from '../../helpers.js';
import { ebClient, receiveAll, receiveJson, ruleToQueue, sqsClient } from './helpers.js';

test('rules, targets and schedules survive a restart and keep firing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-events-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let dd = await startDrydock({ dataDir: dir });
  const { rule, queue } = await ruleToQueue(ebClient(dd), sqsClient(dd), { schedule: 'rate(1 hour)' });
  // The schedule's role is not needed to survive: an unassumable role sends nothing, so the rule's queue is the witness.
  await new SchedulerClient(sdkConfig(dd)).send(new CreateScheduleCommand({
    Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)', ScheduleExpressionTimezone: 'Asia/Tokyo', FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: queue.arn, RoleArn: 'arn:aws:iam::000000000000:role/none' },
  }));
  const startedAt = dd.clock.nowMs();
  await dd.stop();

  dd = await startDrydock({ dataDir: dir });
  t.after(() => dd.stop());
  dd.clock.set(new Date(startedAt));
  dd.clock.freeze(true);
  const eb = ebClient(dd);
  assert.equal((await eb.send(new DescribeRuleCommand({ Name: rule }))).ScheduleExpression, 'rate(1 hour)');
  assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: rule }))).Targets!.map((x) => x.Arn), [queue.arn]);
  const s = await new SchedulerClient(sdkConfig(dd)).send(new GetScheduleCommand({ Name: 'nightly' }));
  assert.deepEqual([s.ScheduleExpression, s.ScheduleExpressionTimezone], ['cron(0 3 * * ? *)', 'Asia/Tokyo']);
  const sqs = sqsClient(dd);
  const url = `${dd.endpoint}/${queue.url.split('/').slice(-2).join('/')}`;
  await receiveAll(sqs, url);
  dd.clock.advance(3600);
  const [fired] = await receiveJson(sqs, url);
  assert.equal(fired?.['detail-type'], 'Scheduled Event');
});
