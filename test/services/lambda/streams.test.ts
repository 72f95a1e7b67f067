/** DynamoDB Streams event source mappings: records in order, AWS's event shape, bisection, OnFailure to SQS. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand, DeleteItemCommand, DescribeTableCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';
import { createTable, ddbClient } from '../dynamodb/helpers.js';
import { sqsClient } from '../sqs/helpers.js';
import { createNodeFunction, executionRole, lambdaClient } from './helpers.js';

const h = useDrydock();

/** Logs each batch it handles; fails a batch holding an item with `bad`. */
const HANDLER = `exports.handler = async (e) => {
  if (e.Records.some((r) => r.dynamodb.NewImage && r.dynamodb.NewImage.bad)) throw new Error('bad record');
  console.log('BATCH ' + JSON.stringify(e));
};`;

interface Rec { eventName: string; eventVersion: string; eventSource: string; eventSourceARN: string; awsRegion: string; dynamodb: Record<string, any> }

/** The records of the batches the function logged, once there are at least `n` (patient: cold starts on a busy machine). */
async function handled(fnName: string, n: number): Promise<Rec[]> {
  const logs = new CloudWatchLogsClient(sdkConfig(h.dd));
  let got: Rec[] = [];
  for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fnName}` })).catch(() => ({ events: [] }));
    got = (out.events ?? []).filter((e) => e.message?.includes('BATCH ')).flatMap((e) => JSON.parse(e.message!.slice(e.message!.indexOf('BATCH ') + 6)).Records as Rec[]);
    if (got.length >= n) break;
  }
  return got;
}

async function streamTable(c: DynamoDBClient): Promise<{ table: string; stream: string }> {
  const table = await createTable(c, { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } });
  const d = await c.send(new DescribeTableCommand({ TableName: table }));
  return { table, stream: d.Table!.LatestStreamArn! };
}

test('a stream mapping hands INSERT, MODIFY and REMOVE to the function in order, in AWS\'s event shape', async () => {
  const lambda = lambdaClient(h.dd);
  const ddb = ddbClient(h.dd);
  const role = await executionRole(h.dd, 'streams-role');
  await createNodeFunction(lambda, role, 'ddb-consumer', HANDLER);
  const { table, stream } = await streamTable(ddb);
  const m = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ddb-consumer', EventSourceArn: stream, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 }));
  assert.deepEqual(
    [m.State, m.StartingPosition, m.BatchSize, m.MaximumRetryAttempts, m.MaximumRecordAgeInSeconds, m.BisectBatchOnFunctionError, m.ParallelizationFactor, m.LastProcessingResult, m.DestinationConfig],
    ['Creating', 'TRIM_HORIZON', 10, -1, -1, false, 1, 'No records processed', { OnFailure: {} }],
  );
  const key = { pk: { S: 'item-1' } };
  await ddb.send(new PutItemCommand({ TableName: table, Item: { ...key, n: { N: '1' } } }));
  await ddb.send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'SET n = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
  await ddb.send(new DeleteItemCommand({ TableName: table, Key: key }));
  const records = await handled('ddb-consumer', 3);
  assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
  const [ins, mod, rem] = records as [Rec, Rec, Rec];
  assert.deepEqual([ins.eventVersion, ins.eventSource, ins.eventSourceARN, ins.awsRegion], ['1.1', 'aws:dynamodb', stream, 'us-east-1']);
  assert.deepEqual(ins.dynamodb['Keys'], key);
  assert.equal(ins.dynamodb['StreamViewType'], 'NEW_AND_OLD_IMAGES');
  assert.ok(Number.isInteger(ins.dynamodb['ApproximateCreationDateTime']), 'whole epoch seconds');
  assert.equal(typeof ins.dynamodb['SizeBytes'], 'number');
  assert.ok(BigInt(ins.dynamodb['SequenceNumber']) < BigInt(mod.dynamodb['SequenceNumber']));
  assert.deepEqual([mod.dynamodb['OldImage'].n, mod.dynamodb['NewImage'].n], [{ N: '1' }, { N: '2' }]);
  assert.deepEqual([rem.dynamodb['OldImage'].n, rem.dynamodb['NewImage']], [{ N: '2' }, undefined]);
  for (let i = 0; i < 50 && (await lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).LastProcessingResult !== 'OK'; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal((await lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).LastProcessingResult, 'OK');

  const dup = await failure(() => lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ddb-consumer', EventSourceArn: stream, StartingPosition: 'LATEST' })));
  assert.deepEqual([dup.name, dup.message], ['ResourceConflictException',
    `The event source arn (" ${stream} ") and function (" ddb-consumer ") provided mapping already exists. Please update or delete the existing mapping with UUID ${m.UUID}`]);
  const gone = `${stream.split('/stream/')[0]}-gone/stream/2025-02-22T03:03:25.490`;
  const missing = await failure(() => lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ddb-consumer', EventSourceArn: gone, StartingPosition: 'LATEST' })));
  assert.deepEqual([missing.name, missing.message], ['InvalidParameterValueException', `Stream not found: ${gone}`]);
  const retries = await failure(() => lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ddb-consumer', EventSourceArn: gone, StartingPosition: 'LATEST', MaximumRetryAttempts: 10_001 })));
  assert.equal(retries.name, 'ValidationException');
  const noStart = await failure(() => lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ddb-consumer', EventSourceArn: gone })));
  assert.equal(noStart.name, 'InvalidParameterValueException');
  const badFilter = await failure(() => lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'ddb-consumer', EventSourceArn: stream, StartingPosition: 'LATEST', FilterCriteria: { Filters: [{ Pattern: 'single-string' }] },
  })));
  assert.deepEqual([badFilter.name, badFilter.message], ['InvalidParameterValueException', 'Invalid filter pattern definition.']);
  // A role that may not read the stream: IAM decides, as on AWS.
  const { Role } = await new IAMClient(sdkConfig(h.dd)).send(new CreateRoleCommand({
    RoleName: 'streams-no-read', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }));
  await createNodeFunction(lambda, Role!.Arn!, 'ddb-no-read', HANDLER);
  const denied = await failure(() => lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ddb-no-read', EventSourceArn: stream, StartingPosition: 'LATEST' })));
  assert.deepEqual([denied.name, denied.message], ['InvalidParameterValueException',
    `Cannot access stream ${stream}. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM.`]);
});

test('a failing batch is bisected; the record that still fails goes to the OnFailure queue, the others to the function', async () => {
  const lambda = lambdaClient(h.dd);
  const ddb = ddbClient(h.dd);
  const sqs = sqsClient(h.dd);
  const role = await executionRole(h.dd, 'streams-bisect-role');
  await createNodeFunction(lambda, role, 'ddb-bisect', HANDLER);
  const { table, stream } = await streamTable(ddb);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'ddb-failures' }));
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
  const m = await lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'ddb-bisect', EventSourceArn: stream, StartingPosition: 'LATEST', BatchSize: 10, MaximumBatchingWindowInSeconds: 1,
    BisectBatchOnFunctionError: true, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: queueArn } },
  }));
  assert.deepEqual([m.BisectBatchOnFunctionError, m.MaximumRetryAttempts, m.DestinationConfig], [true, 0, { OnFailure: { Destination: queueArn } }]);
  const put = (pk: string, bad = false) => ({ PutRequest: { Item: { pk: { S: pk }, ...(bad ? { bad: { BOOL: true } } : {}) } } });
  await ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: [put('ok-1'), put('bad', true), put('ok-2')] } }));

  let body: Record<string, any> | undefined;
  for (const end = Date.now() + 20_000; !body && Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    if (out.Messages?.length) body = JSON.parse(out.Messages[0]!.Body!);
  }
  assert.ok(body, 'the discarded record reached the OnFailure queue');
  assert.deepEqual([body.requestContext.condition, body.requestContext.approximateInvokeCount, body.responseContext.functionError, body.version],
    ['RetryAttemptsExhausted', 1, 'Unhandled', '1.0']);
  const info = body.DDBStreamBatchInfo;
  assert.deepEqual([info.batchSize, info.streamArn, info.startSequenceNumber], [1, stream, info.endSequenceNumber]);
  assert.match(info.approximateArrivalOfFirstRecord, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const ok = await handled('ddb-bisect', 2);
  assert.deepEqual(ok.map((r) => r.dynamodb['Keys'].pk.S).sort(), ['ok-1', 'ok-2']);
});
