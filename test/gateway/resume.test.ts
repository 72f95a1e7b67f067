import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { startDrydock } from '../../src/embedded/index.js';
import { createQueue, executionRole, receiveEventually, schedulerClient, sqsClient } from '../services/scheduler/helpers.js';

test('after a restart with a data directory, a schedule made before it fires without anyone calling Scheduler', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-resume-'));
  try {
    let dd = await startDrydock({ dataDir: dir });
    const queue = await createQueue(sqsClient(dd));
    const role = await executionRole(dd);
    await schedulerClient(dd).send(new CreateScheduleCommand({
      Name: 'after-restart', ScheduleExpression: 'at(2040-01-01T00:00:00)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: queue.arn, RoleArn: role, Input: 'resumed' },
    }));
    await dd.stop();

    dd = await startDrydock({ dataDir: dir });
    try {
      assert.ok(dd.app.installedService('scheduler'), 'Scheduler is installed at start because it has stored schedules');
      dd.app.clock.set('2040-01-01T00:00:01Z');
      // Only SQS is called from here on: the schedule fires because Scheduler resumed by itself.
      const got = await receiveEventually(sqsClient(dd), queue.url);
      assert.deepEqual(got.map((m) => m.Body), ['resumed']);
    } finally {
      await dd.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a data directory nothing is installed ahead of use', async () => {
  const dd = await startDrydock();
  try {
    assert.equal(dd.app.installedService('scheduler'), undefined);
    assert.deepEqual(await dd.app.resumeStoredServices(), []);
  } finally {
    await dd.stop();
  }
});
