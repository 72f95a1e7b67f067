/** Targets in other Drydock services reached by in-process calls: Lambda, Step Functions, CloudWatch Logs. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand, PutResourcePolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { CreateStateMachineCommand, ListExecutionsCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { useDrydock } from '../../helpers.js';
import { createQueue, ebClient, receiveAll, sqsClient, uniqueName, waitFor } from './helpers.js';

const ACCOUNT = '000000000000';

/** A Node.js function with a role Lambda may assume. */
async function nodeFunction(lambda: LambdaClient, iam: IAMClient, code: string, env: Record<string, string>): Promise<string> {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const role = (await iam.send(new CreateRoleCommand({ RoleName: uniqueName('exec'), AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role!.Arn!;
  const out = await lambda.send(new CreateFunctionCommand({
    FunctionName: uniqueName('fn'), Role: role, Runtime: 'nodejs20.x', Handler: 'index.handler',
    Code: { ZipFile: zipSync({ 'index.js': strToU8(code) }) }, Environment: { Variables: env },
  }));
  return out.FunctionArn!;
}

async function ruleWith(eb: ReturnType<typeof ebClient>, source: string, target: Record<string, unknown>): Promise<string> {
  const rule = uniqueName('r');
  const arn = (await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }))).RuleArn!;
  await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 't', ...target } as never] }));
  return arn;
}

describe('EventBridge targets in other services', () => {
  const drydock = useDrydock();

  it('invokes a Lambda function only once its resource policy lets the rule, else the DLQ gets the event', async () => {
    const eb = ebClient(drydock.dd);
    const sqs = sqsClient(drydock.dd);
    const lambda = new LambdaClient(drydock.config());
    const out = join(mkdtempSync(join(tmpdir(), 'eb-lambda-')), 'events.jsonl');
    const fn = await nodeFunction(lambda, new IAMClient(drydock.config()),
      'const fs = require("fs"); exports.handler = async (e) => { fs.appendFileSync(process.env.OUT, JSON.stringify(e) + "\\n"); return "ok"; };',
      { OUT: out });
    const dlq = await createQueue(sqs);
    const source = uniqueName('app');
    const ruleArn = await ruleWith(eb, source, { Arn: fn, DeadLetterConfig: { Arn: dlq.arn } });
    await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{"try":1}' }] }));
    const [dead] = await receiveAll(sqs, dlq.url);
    assert.equal(dead?.MessageAttributes?.['ERROR_CODE']?.StringValue, 'AccessDeniedException');
    await lambda.send(new AddPermissionCommand({
      FunctionName: fn, StatementId: 'eb', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: ruleArn,
    }));
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{"try":2}' }] }));
    const line = await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8').trim() || undefined : undefined));
    assert.ok(line, 'the function was not invoked');
    const event = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual([event['id'], event['source'], event['detail']], [put.Entries![0]!.EventId, source, { try: 2 }]);
  });

  it('starts a Step Functions execution as the target\'s role with the event as input', async () => {
    const eb = ebClient(drydock.dd);
    const iam = new IAMClient(drydock.config());
    const sfn = new SFNClient(drydock.config());
    const sfnTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const smRole = (await iam.send(new CreateRoleCommand({ RoleName: uniqueName('sm'), AssumeRolePolicyDocument: JSON.stringify(sfnTrust) }))).Role!.Arn!;
    const machine = (await sfn.send(new CreateStateMachineCommand({
      name: uniqueName('sm'), roleArn: smRole, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    }))).stateMachineArn!;
    const name = uniqueName('ebrole');
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const role = (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role!.Arn!;
    await iam.send(new PutRolePolicyCommand({
      RoleName: name, PolicyName: 'start', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: machine }] }),
    }));
    const source = uniqueName('app');
    await ruleWith(eb, source, { Arn: machine, RoleArn: role });
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'OrderPlaced', Detail: '{"order":7}' }] }));
    const executions = await waitFor(async () => {
      const l = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }))).executions ?? [];
      return l.length ? l : undefined;
    });
    assert.equal(executions?.length, 1);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: executions![0]!.executionArn }));
    const input = JSON.parse(d.input!) as Record<string, unknown>;
    assert.deepEqual([input['id'], input['detail']], [put.Entries![0]!.EventId, { order: 7 }]);
  });

  it('writes events to a CloudWatch Logs group its resource policy opens to EventBridge, one stream per event', async () => {
    const eb = ebClient(drydock.dd);
    const logs = new CloudWatchLogsClient(drydock.config());
    const group = `/aws/events/${uniqueName('g')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new PutResourcePolicyCommand({
      policyName: uniqueName('p'),
      policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/events/*` }] }),
    }));
    const source = uniqueName('app');
    await ruleWith(eb, source, { Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}` });
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{"log":true}' }] }));
    const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? [];
    assert.equal(events.length, 1);
    assert.equal(events[0]!.logStreamName, put.Entries![0]!.EventId);
    assert.deepEqual((JSON.parse(events[0]!.message!) as { detail: unknown }).detail, { log: true });
  });
});
