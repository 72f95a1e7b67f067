/** Scheduler templated targets in other services: Step Functions and Lambda, called as the schedule's role. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { strToU8, zipSync } from 'fflate';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useDrydock } from '../../helpers.js';
import { waitFor } from '../events/helpers.js';
import { executionRole, schedulerClient, uniqueName } from './helpers.js';

function trust(service: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
}

describe('EventBridge Scheduler targets in other services', () => {
  const drydock = useDrydock();

  it('starts a state machine and invokes a function with the schedule\'s input', async () => {
    const c = schedulerClient(drydock.dd);
    const iam = new IAMClient(drydock.config());
    const sfn = new SFNClient(drydock.config());
    const lambda = new LambdaClient(drydock.config());
    const smRole = (await iam.send(new CreateRoleCommand({ RoleName: uniqueName('sm'), AssumeRolePolicyDocument: trust('states.amazonaws.com') }))).Role!.Arn!;
    const machine = (await sfn.send(new CreateStateMachineCommand({
      name: uniqueName('sm'), roleArn: smRole, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    }))).stateMachineArn!;
    const fnRole = (await iam.send(new CreateRoleCommand({ RoleName: uniqueName('fn'), AssumeRolePolicyDocument: trust('lambda.amazonaws.com') }))).Role!.Arn!;
    const out = join(mkdtempSync(join(tmpdir(), 'sched-lambda-')), 'events.jsonl');
    const fn = (await lambda.send(new CreateFunctionCommand({
      FunctionName: uniqueName('fn'), Role: fnRole, Runtime: 'nodejs20.x', Handler: 'index.handler', Environment: { Variables: { OUT: out } },
      Code: { ZipFile: zipSync({ 'index.js': strToU8('exports.handler = async (e) => { require("fs").appendFileSync(process.env.OUT, JSON.stringify(e)); };') }) },
    }))).FunctionArn!;
    const role = await executionRole(drydock.dd, ['states:StartExecution', 'lambda:InvokeFunction']);
    const clock = drydock.dd.app.clock;
    clock.set('2038-01-01T00:00:00Z');
    clock.freeze(true);
    try {
      for (const arn of [machine, fn]) {
        await c.send(new CreateScheduleCommand({
          Name: uniqueName(), ScheduleExpression: 'at(2038-01-01T00:01:00)', FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: arn, RoleArn: role, Input: '{"job":"nightly"}' },
        }));
      }
      clock.advance(60);
    } finally {
      clock.freeze(false);
    }
    const executions = await waitFor(async () => {
      const l = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }))).executions ?? [];
      return l.length ? l : undefined;
    });
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: executions![0]!.executionArn }));
    assert.deepEqual(JSON.parse(d.input!), { job: 'nightly' });
    const got = await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8') || undefined : undefined));
    assert.deepEqual(JSON.parse(got ?? 'null'), { job: 'nightly' });
  });
});
