/** Lambda tasks through the real SDK: lambda:invoke and bare function ARNs, function errors retried and caught. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { executionRole, run, sfnClient, types, uniqueName } from './helpers.js';

const h = useDrydock();

async function fn(code: string): Promise<string> {
  const iam = new IAMClient(sdkConfig(h.dd));
  const roleName = uniqueName('fn-role');
  const role = await iam.send(new CreateRoleCommand({
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }));
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
  const lambda = new LambdaClient(sdkConfig(h.dd));
  const out = await lambda.send(new CreateFunctionCommand({
    FunctionName: uniqueName('fn'), Role: role.Role!.Arn!, Runtime: 'nodejs20.x', Handler: 'index.handler', Timeout: 5,
    Code: { ZipFile: zipSync({ 'index.js': strToU8(code) }) },
  }));
  return out.FunctionArn!;
}

test('lambda:invoke returns Payload; a bare function ARN returns the payload itself', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const arn = await fn('exports.handler = async (e) => ({ doubled: e.n * 2 });');
  const r = await run(c, {
    StartAt: 'Invoke',
    States: {
      Invoke: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: arn, 'Payload.$': '$' }, ResultSelector: { 'v.$': '$.Payload.doubled' }, Next: 'Bare' },
      Bare: { Type: 'Task', Resource: arn, Parameters: { 'n.$': '$.v' }, End: true },
    },
  }, { n: 5 }, { roleArn: role });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  assert.equal(r.output, '{"doubled":20}');
  const t = types(r.events);
  assert.ok(t.includes('TaskSucceeded') && t.includes('LambdaFunctionScheduled') && t.includes('LambdaFunctionSucceeded'));
});

test('a function error is named by its errorType, retried, then caught', async () => {
  const c = sfnClient(h.dd);
  const role = await executionRole(h.dd);
  const arn = await fn("exports.handler = async () => { const e = new Error('card declined'); e.name = 'PaymentDeclined'; throw e; };");
  const r = await run(c, {
    StartAt: 'Pay',
    States: {
      Pay: {
        Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: arn, Payload: {} },
        Retry: [{ ErrorEquals: ['PaymentDeclined'], IntervalSeconds: 1, MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ['PaymentDeclined'], ResultPath: '$.error', Next: 'Compensate' }], End: true,
      },
      Compensate: { Type: 'Pass', End: true },
    },
  }, {}, { roleArn: role });
  assert.equal(r.status, 'SUCCEEDED', r.cause);
  const err = JSON.parse(r.output!).error as { Error: string; Cause: string };
  assert.equal(err.Error, 'PaymentDeclined');
  assert.equal(JSON.parse(err.Cause).errorMessage, 'card declined');
  assert.equal(r.events.filter((e) => e.type === 'TaskFailed').length, 2);
});
