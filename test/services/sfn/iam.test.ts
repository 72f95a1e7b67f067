/** IAM decides Step Functions calls on the ARNs they touch: machines, executions, created names. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateStateMachineCommand, DescribeStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { createMachine, DUMMY_ROLE, failure, sfnClient, uniqueName } from './helpers.js';

const h = useDrydock();
const PASS = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };

test('a role allowed one machine and orders-* names is refused the rest', async () => {
  const root = sfnClient(h.dd);
  const mine = await createMachine(root, PASS, { name: uniqueName('mine') });
  const other = await createMachine(root, PASS, { name: uniqueName('other') });
  const iam = new IAMClient(sdkConfig(h.dd));
  const name = uniqueName('limited');
  const role = await iam.send(new CreateRoleCommand({
    RoleName: name, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] }),
  }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: ['states:DescribeStateMachine', 'states:StartExecution'], Resource: mine },
      { Effect: 'Allow', Action: 'states:CreateStateMachine', Resource: 'arn:aws:states:us-east-1:000000000000:stateMachine:orders-*' },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
    ] }),
  }));
  const creds = (await new STSClient(sdkConfig(h.dd)).send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: 'sfn-test' }))).Credentials!;
  const c = new SFNClient({ ...sdkConfig(h.dd), credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! } });
  assert.ok((await c.send(new DescribeStateMachineCommand({ stateMachineArn: mine }))).name);
  assert.ok((await c.send(new StartExecutionCommand({ stateMachineArn: mine }))).executionArn);
  const denied = await failure(() => c.send(new DescribeStateMachineCommand({ stateMachineArn: other })));
  assert.equal(denied.name, 'AccessDeniedException');
  assert.match(denied.message, /states:DescribeStateMachine/);
  const create = (n: string) => c.send(new CreateStateMachineCommand({ name: n, definition: JSON.stringify(PASS), roleArn: DUMMY_ROLE }));
  assert.ok((await create(uniqueName('orders'))).stateMachineArn);
  assert.equal((await failure(() => create(uniqueName('billing')))).name, 'AccessDeniedException');
});
