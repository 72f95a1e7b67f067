/** With a data directory, asynchronous invocations waiting for a retry survive a restart and run when due. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { startDrydock, type RunningDrydock } from '../../../src/embedded/index.js';
import { lambdaState } from '../../../src/services/lambda/store.js';
import { sqsClient } from '../sqs/helpers.js';
import { createNodeFunction, executionRole, invoke, lambdaClient } from './helpers.js';

async function messages(dd: RunningDrydock, url: string): Promise<number> {
  const a = await sqsClient(dd).send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(a.Attributes!['ApproximateNumberOfMessages']);
}

test('a failed event whose retry is due after a restart is retried then, and its record reaches the destination', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-lambda-async-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let dd = await startDrydock({ dataDir: dir });
  const client = lambdaClient(dd);
  const role = await executionRole(dd, 'async-persist-role');
  await createNodeFunction(client, role, 'always-fails', "exports.handler = async () => { throw new Error('no'); };");
  const { QueueUrl } = await sqsClient(dd).send(new CreateQueueCommand({ QueueName: 'persist-failures' }));
  const arn = (await sqsClient(dd).send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
  await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'always-fails', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: arn } } }));
  dd.clock.freeze(true);
  await invoke(client, 'always-fails', { n: 7 }, { InvocationType: 'Event' });
  // The first attempt runs at once and fails; its retry is due a minute later, after the restart.
  const state = () => lambdaState(dd.app.stores, '000000000000', 'us-east-1').asyncEvents;
  for (const end = Date.now() + 20_000; Date.now() < end && [...state().values()][0]?.attempts !== 1;) await new Promise((r) => setTimeout(r, 50));
  assert.equal([...state().values()][0]?.attempts, 1, 'one attempt made, the retry waiting');
  await dd.stop();

  dd = await startDrydock({ dataDir: dir });
  t.after(() => dd.stop());
  dd.clock.freeze(true);
  assert.equal(await messages(dd, QueueUrl!), 0);
  dd.clock.advance(61);
  for (const end = Date.now() + 20_000; Date.now() < end && (await messages(dd, QueueUrl!)) === 0;) await new Promise((r) => setTimeout(r, 50));
  const out = await sqsClient(dd).send(new ReceiveMessageCommand({ QueueUrl }));
  const body = JSON.parse(out.Messages![0]!.Body!);
  assert.deepEqual([body.requestContext.condition, body.requestContext.approximateInvokeCount, body.requestPayload], ['RetriesExhausted', 2, { n: 7 }]);
});
