/** Executions through the real SDK: start, describe, list, stop, histories and Wait on the clock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand, StartSyncExecutionCommand, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { useDrydock } from '../../helpers.js';
import { createMachine, failure, finished, run, sfnClient, types } from './helpers.js';

const h = useDrydock();

test('a Pass machine succeeds with AWS history events and fields', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, { StartAt: 'P', States: { P: { Type: 'Pass', Result: { Arg1: 'argument1' }, End: true } } }, { a: 1 });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output, '{"Arg1":"argument1"}');
  assert.equal(r.redriveStatus, 'NOT_REDRIVABLE');
  assert.equal(r.redriveStatusReason, 'Execution is SUCCEEDED and cannot be redriven');
  assert.deepEqual(types(r.events), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  assert.deepEqual(r.events.map((e) => [e.id, e.previousEventId]), [[1, 0], [2, 0], [3, 2], [4, 3]]);
  assert.equal(r.events[0]!.executionStartedEventDetails!.input, '{"a":1}');
  assert.equal(r.events[0]!.executionStartedEventDetails!.roleArn, 'arn:aws:iam::000000000000:role/sfn-role');
  assert.deepEqual(r.events[1]!.stateEnteredEventDetails, { name: 'P', input: '{"a":1}', inputDetails: { truncated: false } });
  assert.ok(r.events[0]!.timestamp instanceof Date);
});

test('a Fail state fails the execution with its Error and Cause', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." } } });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'SomeFailure');
  assert.equal(r.redriveStatus, 'REDRIVABLE');
  assert.deepEqual(types(r.events), ['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  assert.deepEqual(r.events[2]!.executionFailedEventDetails, { error: 'SomeFailure', cause: "This state machines raises a 'SomeFailure' failure." });
});

test('a Wait state waits on the clock: advancing the clock finishes it', async () => {
  const c = sfnClient(h.dd);
  h.dd.clock.freeze(true);
  try {
    const arn = await createMachine(c, { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, Next: 'D' }, D: { Type: 'Succeed' } } });
    const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"x":1}' }));
    await new Promise((r) => setImmediate(r));
    assert.equal((await c.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    h.dd.clock.advance(3599);
    assert.equal((await c.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    h.dd.clock.advance(1);
    const d = await finished(c, executionArn!);
    assert.equal(d.status, 'SUCCEEDED');
    assert.equal(d.output, '{"x":1}');
    assert.equal(d.stopDate!.getTime() - d.startDate!.getTime(), 3600_000);
  } finally {
    h.dd.clock.freeze(false);
  }
});

test('StopExecution aborts a running execution with ExecutionAborted', async () => {
  const c = sfnClient(h.dd);
  const arn = await createMachine(c, { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100000, End: true } } });
  const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn }));
  await new Promise((r) => setImmediate(r));
  await c.send(new StopExecutionCommand({ executionArn, error: 'E', cause: 'C' }));
  const d = await c.send(new DescribeExecutionCommand({ executionArn }));
  assert.equal(d.status, 'ABORTED');
  const hist = await c.send(new GetExecutionHistoryCommand({ executionArn }));
  assert.deepEqual(types(hist.events!), ['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
  assert.deepEqual(hist.events![2]!.executionAbortedEventDetails, { error: 'E', cause: 'C' });
});

test('start is idempotent for a running execution with the same name and input, else ExecutionAlreadyExists', async () => {
  const c = sfnClient(h.dd);
  const arn = await createMachine(c, { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100000, End: true } } });
  const a = await c.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{}' }));
  const b = await c.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{}' }));
  assert.equal(a.executionArn, b.executionArn);
  const e = await failure(() => c.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{"x":1}' })));
  assert.equal(e.name, 'ExecutionAlreadyExists');
  assert.equal(e.message, `Execution Already Exists: '${a.executionArn}'`);
  await c.send(new StopExecutionCommand({ executionArn: a.executionArn }));
});

test('execution input must be JSON', async () => {
  const c = sfnClient(h.dd);
  const arn = await createMachine(c, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const e = await failure(() => c.send(new StartExecutionCommand({ stateMachineArn: arn, input: 'not json' })));
  assert.equal(e.name, 'InvalidExecutionInput');
  assert.equal(e.message, "Invalid State Machine Execution Input: 'Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')'");
  const missing = await failure(() => c.send(new StartExecutionCommand({ stateMachineArn: `${arn}-gone` })));
  assert.equal(missing.name, 'StateMachineDoesNotExist');
});

test('ListExecutions filters by status, newest first; bad filters are ValidationException', async () => {
  const c = sfnClient(h.dd);
  const arn = await createMachine(c, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  for (const name of ['one', 'two']) {
    const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn, name }));
    await finished(c, executionArn!);
  }
  const list = await c.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'SUCCEEDED' }));
  assert.deepEqual(list.executions!.map((e) => e.name).sort(), ['one', 'two']);
  const paged = await c.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1 }));
  assert.equal(paged.executions!.length, 1);
  assert.ok(paged.nextToken);
  const bad = await failure(() => c.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'succeeded' as never })));
  assert.equal(bad.message, "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]");
});

test('StartSyncExecution runs an EXPRESS machine to its end; STANDARD machines refuse it', async () => {
  const c = sfnClient(h.dd);
  const express = await createMachine(c, { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } } }, { type: 'EXPRESS' });
  const out = await c.send(new StartSyncExecutionCommand({ stateMachineArn: express, input: '{"a":2,"b":3}' }));
  assert.equal(out.status, 'SUCCEEDED');
  assert.equal(out.output, '{"sum":5}');
  assert.match(out.executionArn!, /:express:/);
  const std = await createMachine(c, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const e = await failure(() => c.send(new StartSyncExecutionCommand({ stateMachineArn: std })));
  assert.equal(e.name, 'StateMachineTypeNotSupported');
  assert.equal(e.message, 'This operation is not supported by this type of state machine');
  const d = await failure(() => c.send(new ListExecutionsCommand({ stateMachineArn: express })));
  assert.equal(d.name, 'StateMachineTypeNotSupported');
});
