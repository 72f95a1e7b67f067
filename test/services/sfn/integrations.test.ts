/** Task integrations through the real SDK: SQS, SNS, DynamoDB, AWS SDK calls, task tokens, nested executions, Retry/Catch on the clock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useDrydock, sdkConfig } from '../../helpers.js';
import { createMachine, executionRole, failure, finished, run, sfnClient, types, uniqueName } from './helpers.js';

const h = useDrydock();

async function queue(): Promise<{ sqs: SQSClient; url: string }> {
  const sqs = new SQSClient(sdkConfig(h.dd));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q') }));
  return { sqs, url: QueueUrl! };
}

async function receiveOne(sqs: SQSClient, url: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
    if (r.Messages?.length) return r.Messages[0]!.Body!;
    await new Promise((res) => setImmediate(res));
  }
  throw new Error('no message');
}

function tokenMachine(url: string, extra: object = {}): object {
  return {
    StartAt: 'Send',
    States: {
      Send: {
        Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', ...extra,
        Parameters: { QueueUrl: url, MessageBody: { 'token.$': '$$.Task.Token', 'order.$': '$.order' } },
        Catch: [{ ErrorEquals: ['Declined'], ResultPath: '$.error', Next: 'Compensate' }], End: true,
      },
      Compensate: { Type: 'Pass', End: true },
    },
  };
}

test('sqs:sendMessage.waitForTaskToken waits for SendTaskSuccess and takes its output', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const { sqs, url } = await queue();
  const arn = await createMachine(c, tokenMachine(url), { roleArn: role });
  const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":42}' }));
  const body = JSON.parse(await receiveOne(sqs, url)) as { token: string; order: number };
  assert.equal(body.order, 42);
  assert.equal((await c.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
  await c.send(new SendTaskSuccessCommand({ taskToken: body.token, output: '{"paid":true}' }));
  const d = await finished(c, executionArn!);
  assert.equal(d.status, 'SUCCEEDED');
  assert.equal(d.output, '{"paid":true}');
  const hist = await c.send(new GetExecutionHistoryCommand({ executionArn }));
  assert.deepEqual(types(hist.events!), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  const scheduled = hist.events![2]!.taskScheduledEventDetails!;
  assert.equal(scheduled.resourceType, 'sqs');
  assert.equal(scheduled.resource, 'sendMessage.waitForTaskToken');
  assert.equal(scheduled.region, 'us-east-1');
  const again = await failure(() => c.send(new SendTaskSuccessCommand({ taskToken: body.token, output: '{}' })));
  assert.equal(again.name, 'TaskTimedOut');
});

test('SendTaskFailure takes the Catch path', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const { sqs, url } = await queue();
  const arn = await createMachine(c, tokenMachine(url), { roleArn: role });
  const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":1}' }));
  const { token } = JSON.parse(await receiveOne(sqs, url)) as { token: string };
  await c.send(new SendTaskFailureCommand({ taskToken: token, error: 'Declined', cause: 'card refused' }));
  const d = await finished(c, executionArn!);
  assert.equal(d.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(d.output!), { order: 1, error: { Error: 'Declined', Cause: 'card refused' } });
  const bad = await failure(() => c.send(new SendTaskSuccessCommand({ taskToken: 'nope', output: '{}' })));
  assert.equal(bad.name, 'InvalidToken');
});

test('HeartbeatSeconds on the clock: a silent task times out with States.HeartbeatTimeout', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const { sqs, url } = await queue();
  h.dd.clock.freeze(true);
  try {
    const arn = await createMachine(c, tokenMachine(url, { HeartbeatSeconds: 60 }), { roleArn: role });
    const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":1}' }));
    const { token } = JSON.parse(await receiveOne(sqs, url)) as { token: string };
    h.dd.clock.advance(50);
    await c.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    h.dd.clock.advance(50);
    assert.equal((await c.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    h.dd.clock.advance(11);
    const d = await finished(c, executionArn!);
    assert.equal(d.status, 'FAILED');
    assert.equal(d.error, 'States.HeartbeatTimeout');
    const hist = await c.send(new GetExecutionHistoryCommand({ executionArn }));
    assert.ok(types(hist.events!).includes('TaskTimedOut'));
  } finally {
    h.dd.clock.freeze(false);
  }
});

test('aws-sdk integration errors are <Service>.<Exception>; Retry backs off on the clock, then Catch', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  h.dd.clock.freeze(true);
  try {
    const arn = await createMachine(c, {
      StartAt: 'Get',
      States: {
        Get: {
          Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:getQueueUrl', Parameters: { QueueName: 'no-such-queue' },
          Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    }, { roleArn: role });
    const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const count = async () => (await c.send(new GetExecutionHistoryCommand({ executionArn }))).events!.filter((e) => e.type === 'TaskFailed').length;
    for (let i = 0; i < 50 && (await count()) < 1; i++) await new Promise((r) => setImmediate(r));
    assert.equal(await count(), 1);
    h.dd.clock.advance(9);
    assert.equal(await count(), 1);
    h.dd.clock.advance(1);
    for (let i = 0; i < 50 && (await count()) < 2; i++) await new Promise((r) => setImmediate(r));
    assert.equal(await count(), 2);
    h.dd.clock.advance(20);
    const d = await finished(c, executionArn!);
    assert.equal(d.status, 'SUCCEEDED');
    const out = JSON.parse(d.output!) as { Error: string; Cause: string };
    assert.equal(out.Error, 'Sqs.QueueDoesNotExistException');
    assert.match(out.Cause, /\(Service: Sqs, Status Code: 400, Request ID: [0-9a-f-]+\)$/);
    const failed = (await c.send(new GetExecutionHistoryCommand({ executionArn }))).events!.filter((e) => e.type === 'TaskFailed');
    assert.equal(failed.length, 3);
    assert.equal(failed[0]!.taskFailedEventDetails!.resourceType, 'aws-sdk:sqs');
  } finally {
    h.dd.clock.freeze(false);
  }
});

test('an execution role the service cannot assume fails the task', async () => {
  const c = sfnClient(h.dd);
  const r = await run(c, { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:listQueues', End: true } } }, {}, { roleArn: 'arn:aws:iam::000000000000:role/does-not-exist' });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.TaskFailed');
});

test('sns:publish and the aws-sdk output in PascalCase', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const r = await run(c, {
    StartAt: 'Topic',
    States: {
      Topic: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sns:createTopic', Parameters: { Name: uniqueName('t') }, ResultSelector: { 'arn.$': '$.TopicArn' }, Next: 'Pub' },
      Pub: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'TopicArn.$': '$.arn', Message: { hello: 'world' } }, End: true },
    },
  }, {}, { roleArn: role });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  assert.ok(JSON.parse(r.output!).MessageId);
});

test('dynamodb:putItem then getItem', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const ddb = new DynamoDBClient(sdkConfig(h.dd));
  const table = uniqueName('t');
  await ddb.send(new CreateTableCommand({
    TableName: table, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  }));
  const r = await run(c, {
    StartAt: 'Put',
    States: {
      Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: table, Item: { pk: { 'S.$': '$.id' }, n: { N: '3' } } }, ResultPath: null, Next: 'Get' },
      Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: table, Key: { pk: { 'S.$': '$.id' } } }, OutputPath: '$.Item', End: true },
    },
  }, { id: 'a1' }, { roleArn: role });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  assert.deepEqual(JSON.parse(r.output!), { pk: { S: 'a1' }, n: { N: '3' } });
  const item = await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a1' } } }));
  assert.equal(item.Item?.['n']?.N, '3');
});

test('states:startExecution.sync:2 runs a child and returns its output', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const child = await createMachine(c, { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } });
  const r = await run(c, {
    StartAt: 'Child',
    States: { Child: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, Input: { 'n.$': '$.n' } }, OutputPath: '$.Output', End: true } },
  }, { n: 21 }, { roleArn: role });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  assert.equal(r.output, '{"doubled":42}');
  assert.ok(types(r.events).includes('TaskSubmitted'));
});
