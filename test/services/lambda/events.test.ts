/** Asynchronous invocation (retries on the clock, destinations, DLQ) and SQS event source mappings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand, InvokeAsyncCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { failure, useDrydock } from '../../helpers.js';
import { sqsClient } from '../sqs/helpers.js';
import { createNodeFunction, executionRole, invoke, lambdaClient } from './helpers.js';

const h = useDrydock();

async function queue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: a.Attributes!['QueueArn']! };
}

async function receiveOne(sqs: SQSClient, url: string): Promise<{ Body?: string; MessageAttributes?: Record<string, { StringValue?: string }> } | undefined> {
  // Patient: a function's cold start on a busy machine can take seconds.
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }));
    if (out.Messages?.length) return out.Messages[0];
    await new Promise((r) => setTimeout(r, 30));
  }
  return undefined;
}

const FLAKY = `exports.handler = async (e) => { if (e.fail) throw new Error('failed ' + e.n); return { ok: e.n }; };`;

test('Event invocations answer 202; results go to the on-success and on-failure destinations after retries', async () => {
  const client = lambdaClient(h.dd);
  const sqs = sqsClient(h.dd);
  const role = await executionRole(h.dd, 'async-role');
  await createNodeFunction(client, role, 'flaky', FLAKY);
  const ok = await queue(sqs, 'on-success');
  const bad = await queue(sqs, 'on-failure');
  const conf = await client.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: 'flaky', MaximumRetryAttempts: 1, DestinationConfig: { OnSuccess: { Destination: ok.arn }, OnFailure: { Destination: bad.arn } },
  }));
  assert.equal(conf.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:flaky:$LATEST');
  const badRetries = await failure(() => client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'flaky', MaximumRetryAttempts: 3 })));
  assert.deepEqual([badRetries.name, badRetries.message], ['ValidationException', "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2"]);
  assert.equal((await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'flaky' }))).MaximumRetryAttempts, 1);
  const sent = await invoke(client, 'flaky', { n: 1 }, { InvocationType: 'Event' });
  assert.equal(sent.StatusCode, 202);
  const success = JSON.parse((await receiveOne(sqs, ok.url))!.Body!) as Record<string, any>;
  assert.deepEqual([success.requestContext.condition, success.requestContext.approximateInvokeCount, success.requestPayload, success.responsePayload],
    ['Success', 1, { n: 1 }, { ok: 1 }]);
  h.dd.clock.freeze(true);
  try {
    await invoke(client, 'flaky', { n: 2, fail: true }, { InvocationType: 'Event' });
    // The first attempt fails; the retry is due a minute later on the clock.
    for (const end = Date.now() + 20_000; Date.now() < end && (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: bad.url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!['ApproximateNumberOfMessages'] === '0';) {
      await new Promise((r) => setTimeout(r, 30));
      h.dd.clock.advance(30);
    }
  } finally {
    h.dd.clock.freeze(false);
  }
  const failed = JSON.parse((await receiveOne(sqs, bad.url))!.Body!) as Record<string, any>;
  assert.deepEqual([failed.requestContext.condition, failed.requestContext.approximateInvokeCount, failed.responseContext.functionError, failed.responsePayload.errorMessage],
    ['RetriesExhausted', 2, 'Unhandled', 'failed 2']);
});

test('a failed event without destinations goes to the dead-letter queue', async () => {
  const client = lambdaClient(h.dd);
  const sqs = sqsClient(h.dd);
  const role = await executionRole(h.dd, 'dlq-role');
  await createNodeFunction(client, role, 'to-dlq', FLAKY);
  const dlq = await queue(sqs, 'fn-dlq');
  await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'to-dlq', DeadLetterConfig: { TargetArn: dlq.arn } }));
  await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'to-dlq', MaximumRetryAttempts: 0 }));
  await invoke(client, 'to-dlq', { n: 3, fail: true }, { InvocationType: 'Event' });
  const m = await receiveOne(sqs, dlq.url);
  assert.deepEqual(JSON.parse(m!.Body!), { n: 3, fail: true });
  assert.equal(m!.MessageAttributes!['ErrorMessage']!.StringValue, 'failed 3');
  const legacy = await client.send(new InvokeAsyncCommand({ FunctionName: 'to-dlq', InvokeArgs: JSON.stringify({ n: 4, fail: true }) }));
  assert.equal(legacy.Status, 202);
  assert.deepEqual(JSON.parse((await receiveOne(sqs, dlq.url))!.Body!), { n: 4, fail: true });
});

test('an SQS event source: batches, filters, partial batch failures, messages deleted', async () => {
  const client = lambdaClient(h.dd);
  const sqs = sqsClient(h.dd);
  const role = await executionRole(h.dd, 'esm-role');
  const results = await queue(sqs, 'esm-results');
  await createNodeFunction(client, role, 'consumer', `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  const bodies = event.Records.map((r) => JSON.parse(r.body));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.RESULTS, MessageBody: JSON.stringify({ bodies, source: event.Records[0].eventSource }) }));
  return { batchItemFailures: event.Records.filter((r) => JSON.parse(r.body).bad).map((r) => ({ itemIdentifier: r.messageId })) };
};`, { env: { RESULTS: results.url } });
  const source = await queue(sqs, 'esm-source', { VisibilityTimeout: '30' });
  const mapping = await client.send(new CreateEventSourceMappingCommand({
    FunctionName: 'consumer', EventSourceArn: source.arn, BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'],
    FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { keep: [true] } }) }] },
  }));
  assert.deepEqual([mapping.State, mapping.BatchSize, mapping.FunctionArn], ['Creating', 5, 'arn:aws:lambda:us-east-1:000000000000:function:consumer']);
  const tooBig = await failure(() => client.send(new CreateEventSourceMappingCommand({ FunctionName: 'consumer', EventSourceArn: source.arn, BatchSize: 50 })));
  assert.equal(tooBig.message, 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
  await sqs.send(new SendMessageBatchCommand({
    QueueUrl: source.url,
    Entries: [
      { Id: '1', MessageBody: JSON.stringify({ keep: true, n: 1 }) },
      { Id: '2', MessageBody: JSON.stringify({ keep: false, n: 2 }) },
      { Id: '3', MessageBody: JSON.stringify({ keep: true, n: 3, bad: true }) },
    ],
  }));
  // With no batching window the poller may hand them over in one batch or several.
  const seen: number[] = [];
  while (seen.length < 2) {
    const got = JSON.parse((await receiveOne(sqs, results.url))!.Body!) as { bodies: { n: number }[]; source: string };
    assert.equal(got.source, 'aws:sqs');
    seen.push(...got.bodies.map((b) => b.n));
  }
  assert.deepEqual(seen.sort(), [1, 3]);
  // The filtered message and the successful one are deleted; the reported failure stays in flight.
  let attrs: Record<string, string> = {};
  for (const end = Date.now() + 20_000; Date.now() < end;) {
    attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: source.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
    if (attrs['ApproximateNumberOfMessagesNotVisible'] === '1') break;
    await new Promise((r) => setTimeout(r, 30));
  }
  assert.deepEqual([attrs['ApproximateNumberOfMessages'], attrs['ApproximateNumberOfMessagesNotVisible']], ['0', '1']);
  assert.equal((await client.send(new GetEventSourceMappingCommand({ UUID: mapping.UUID }))).State, 'Enabled');
  const deleted = await client.send(new DeleteEventSourceMappingCommand({ UUID: mapping.UUID }));
  assert.equal(deleted.State, 'Deleting');
  const gone = await failure(() => client.send(new GetEventSourceMappingCommand({ UUID: mapping.UUID })));
  assert.equal(gone.name, 'ResourceNotFoundException');
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: '{}' }));
});
