/** Step Functions state in a data directory survives a restart; a running execution goes on from the state it was in. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startDrydock } from '../../../src/embedded/index.js';
import { createMachine, finished, sfnClient, types } from './helpers.js';

test('machines, finished histories and a waiting execution survive a restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-sfn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let dd = await startDrydock({ dataDir: dir });
  let c = sfnClient(dd);
  const arn = await createMachine(c, { StartAt: 'P', States: { P: { Type: 'Pass', Result: 1, ResultPath: '$.p', Next: 'W' }, W: { Type: 'Wait', Seconds: 600, End: true } } });
  const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"k":"v"}' }));
  for (let i = 0; i < 100; i++) {
    const h = await c.send(new GetExecutionHistoryCommand({ executionArn }));
    if (types(h.events!).includes('WaitStateEntered')) break;
    await new Promise((r) => setImmediate(r));
  }
  await dd.stop();

  dd = await startDrydock({ dataDir: dir });
  t.after(() => dd.stop());
  c = sfnClient(dd);
  assert.equal((await c.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).name, arn.split(':').pop());
  assert.equal((await c.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
  dd.clock.advance(600);
  const d = await finished(c, executionArn!);
  assert.equal(d.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(d.output!), { k: 'v', p: 1 });
  const h = await c.send(new GetExecutionHistoryCommand({ executionArn }));
  assert.equal(types(h.events!).filter((x) => x === 'PassStateEntered').length, 1, 'the Pass state before the restart is not run again');
  assert.equal(h.events![1]!.stateEnteredEventDetails!.input, '{"k":"v"}');
});
