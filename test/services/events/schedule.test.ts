import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { useDrydock } from '../../helpers.js';
import { ebClient, receiveJson, ruleToQueue, sqsClient } from './helpers.js';

describe('EventBridge scheduled rules', () => {
  const drydock = useDrydock();

  it('fires rate rules on the clock with the scheduled-event envelope, and stops when disabled', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const clock = drydock.dd.app.clock;
    clock.freeze(true);
    try {
      const { rule, ruleArn, queue } = await ruleToQueue(eb, sqs, { schedule: 'rate(5 minutes)' });
      clock.advance(4 * 60);
      assert.equal((await receiveJson(sqs, queue.url)).length, 0);
      clock.advance(60);
      clock.advance(5 * 60);
      await new Promise((r) => setImmediate(r));
      const bodies = await receiveJson(sqs, queue.url);
      assert.equal(bodies.length, 2);
      const { id, time, ...rest } = bodies[0]!;
      assert.match(String(id), /^[0-9a-f-]{36}$/);
      assert.match(String(time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(rest, { version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', region: 'us-east-1', resources: [ruleArn], detail: {} });
      await eb.send(new DisableRuleCommand({ Name: rule }));
      clock.advance(10 * 60);
      await new Promise((r) => setImmediate(r));
      assert.equal((await receiveJson(sqs, queue.url)).length, 0);
    } finally {
      clock.freeze(false);
    }
  });

  it('fires cron rules at their UTC wall time', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const clock = drydock.dd.app.clock;
    clock.set('2031-03-03T09:58:00Z');
    clock.freeze(true);
    try {
      const { queue } = await ruleToQueue(eb, sqs, { schedule: 'cron(0 10 * * ? *)' });
      clock.advance(60);
      assert.equal((await receiveJson(sqs, queue.url)).length, 0);
      clock.advance(61);
      await new Promise((r) => setImmediate(r));
      const [fired] = await receiveJson(sqs, queue.url);
      assert.equal(fired!['time'], '2031-03-03T10:00:00Z');
    } finally {
      clock.freeze(false);
    }
  });
});
