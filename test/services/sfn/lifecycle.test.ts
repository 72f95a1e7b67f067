/** Versions and aliases, redrive, TestState, activities and Distributed Map runs through the real SDK. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateActivityCommand, CreateStateMachineAliasCommand, DescribeExecutionCommand, DescribeMapRunCommand, DescribeStateMachineAliasCommand,
  GetActivityTaskCommand, GetExecutionHistoryCommand, ListMapRunsCommand, ListStateMachineVersionsCommand, PublishStateMachineVersionCommand,
  RedriveExecutionCommand, SendTaskSuccessCommand, StartExecutionCommand, TestStateCommand, UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { createMachine, executionRole, failure, finished, run, sfnClient, types, uniqueName } from './helpers.js';

const h = useDrydock();

test('published versions and a weighted alias: executions name the version and alias they ran', async () => {
  const c = sfnClient(h.dd);
  const arn = await createMachine(c, { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'v1', End: true } } });
  const v1 = await c.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, description: 'first' }));
  assert.equal(v1.stateMachineVersionArn, `${arn}:1`);
  await c.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'v2', End: true } } }), publish: true }));
  const versions = await c.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
  assert.deepEqual(versions.stateMachineVersions!.map((v) => v.stateMachineVersionArn), [`${arn}:2`, `${arn}:1`]);
  const alias = await c.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 100 }] }));
  assert.equal(alias.stateMachineAliasArn, `${arn}:live`);
  const d = await c.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }));
  assert.deepEqual(d.routingConfiguration, [{ stateMachineVersionArn: `${arn}:1`, weight: 100 }]);
  const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: alias.stateMachineAliasArn }));
  const done = await finished(c, executionArn!);
  assert.equal(done.output, '"v1"');
  assert.equal(done.stateMachineVersionArn, `${arn}:1`);
  assert.equal(done.stateMachineAliasArn, `${arn}:live`);
  const bad = await failure(() => c.send(new CreateStateMachineAliasCommand({ name: 'half', routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 50 }] })));
  assert.equal(bad.name, 'ValidationException');
});

test('redrive restarts a failed execution at the state that failed', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const queueName = uniqueName('q');
  const r = await run(c, {
    StartAt: 'First',
    States: {
      First: { Type: 'Pass', Result: 'done', ResultPath: '$.first', Next: 'Url' },
      Url: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:getQueueUrl', Parameters: { QueueName: queueName }, End: true },
    },
  }, {}, { roleArn: role });
  assert.equal(r.status, 'FAILED');
  await new SQSClient(sdkConfig(h.dd)).send(new CreateQueueCommand({ QueueName: queueName }));
  await c.send(new RedriveExecutionCommand({ executionArn: r.executionArn }));
  const d = await finished(c, r.executionArn!);
  assert.equal(d.status, 'SUCCEEDED');
  assert.equal(d.redriveCount, 1);
  const hist = await c.send(new GetExecutionHistoryCommand({ executionArn: r.executionArn }));
  const t = types(hist.events!);
  assert.equal(t.filter((x) => x === 'PassStateEntered').length, 1, 'the Pass state is not run again');
  assert.ok(t.includes('ExecutionRedriven'));
  const again = await failure(() => c.send(new RedriveExecutionCommand({ executionArn: r.executionArn })));
  assert.equal(again.name, 'ExecutionNotRedrivable');
});

test('TestState runs one state: output, next state, caught errors; Map and Parallel are refused', async () => {
  const c = sfnClient(h.dd);
  const pass = await c.send(new TestStateCommand({
    definition: JSON.stringify({ Type: 'Pass', Parameters: { 'x.$': '$.a' }, ResultPath: '$.r', Next: 'Then' }), input: '{"a":1}', inspectionLevel: 'DEBUG',
  }));
  assert.equal(pass.status, 'SUCCEEDED');
  assert.equal(pass.output, '{"a":1,"r":{"x":1}}');
  assert.equal(pass.nextState, 'Then');
  assert.equal(pass.inspectionData?.input, '{"a":1}');
  const fail = await c.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Fail', Error: 'E', Cause: 'C' }) }));
  assert.deepEqual([fail.status, fail.error, fail.cause], ['FAILED', 'E', 'C']);
  const map = await failure(() => c.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true }) })));
  assert.equal(map.name, 'InvalidDefinition');
  assert.equal(map.message, 'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]');
});

test('an activity task waits for a worker: GetActivityTask then SendTaskSuccess', async () => {
  const c = sfnClient(h.dd);
  const { activityArn } = await c.send(new CreateActivityCommand({ name: uniqueName('act') }));
  const arn = await createMachine(c, { StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, End: true } } }, { roleArn: await executionRole(h.dd) });
  const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":7}' }));
  const t = await c.send(new GetActivityTaskCommand({ activityArn, workerName: 'w1' }));
  assert.equal(t.input, '{"job":7}');
  await c.send(new SendTaskSuccessCommand({ taskToken: t.taskToken, output: '{"done":true}' }));
  const d = await finished(c, executionArn!);
  assert.equal(d.output, '{"done":true}');
  const hist = await c.send(new GetExecutionHistoryCommand({ executionArn }));
  assert.deepEqual(types(hist.events!).slice(2, 5), ['ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded']);
  assert.equal(hist.events![3]!.activityStartedEventDetails!.workerName, 'w1');
});

test('Distributed Map reads a CSV from S3, batches, tolerates failures and writes results to S3', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const s3 = new S3Client({ ...sdkConfig(h.dd), forcePathStyle: true });
  const bucket = uniqueName('b');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in.csv', Body: 'id,qty\na,1\nb,2\nc,3\nd,4\n' }));
  const r = await run(c, {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map', End: true, MaxConcurrency: 2, ToleratedFailureCount: 1, Label: 'orders',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: bucket, Key: 'in.csv' } },
        ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { run: 'r1' } },
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: bucket, Prefix: 'out' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'C',
          States: {
            C: { Type: 'Choice', Choices: [{ Variable: '$.Items[0].id', StringEquals: 'c', Next: 'Bad' }], Default: 'Ok' },
            Bad: { Type: 'Fail', Error: 'BadBatch' },
            Ok: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.Items)', 'run.$': '$.BatchInput.run' }, End: true },
          },
        },
      },
    },
  }, {}, { roleArn: role });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  const out = JSON.parse(r.output!) as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
  assert.match(out.MapRunArn, /:mapRun:sm-[0-9a-f]+\/orders:/);
  const manifest = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: out.ResultWriterDetails.Key }))).Body!.transformToString()) as { ResultFiles: { SUCCEEDED: { Key: string }[]; FAILED: { Key: string }[] } };
  const ok = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: manifest.ResultFiles.SUCCEEDED[0]!.Key }))).Body!.transformToString());
  assert.deepEqual(ok, [{ n: 2, run: 'r1' }]);
  assert.equal(manifest.ResultFiles.FAILED.length, 1);
  const runs = await c.send(new ListMapRunsCommand({ executionArn: r.executionArn }));
  assert.equal(runs.mapRuns!.length, 1);
  const mr = await c.send(new DescribeMapRunCommand({ mapRunArn: out.MapRunArn }));
  assert.equal(mr.status, 'SUCCEEDED');
  assert.deepEqual([mr.itemCounts!.succeeded, mr.itemCounts!.failed, mr.toleratedFailureCount], [1, 1, 1]);
  assert.ok(types(r.events).includes('MapRunStarted'));
  const d = await c.send(new DescribeExecutionCommand({ executionArn: r.executionArn }));
  assert.equal(d.status, 'SUCCEEDED');
});
