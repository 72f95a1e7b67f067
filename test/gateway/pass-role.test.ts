/** iam:PassRole: handing a role to a service is decided on the role, with iam:PassedToService. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddRoleToInstanceProfileCommand, CreateAccessKeyCommand, CreateInstanceProfileCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { failure, sdkConfig, useDrydock } from '../helpers.js';
import { zip } from '../services/lambda/helpers.js';

const h = useDrydock();
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'states.amazonaws.com'] }, Action: 'sts:AssumeRole' }] });
const MACHINE = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });

/**
 * A developer who may do anything in Lambda and Step Functions and nothing in IAM. (The AWS
 * managed AWSLambda_FullAccess would not do: it allows iam:PassRole to lambda.amazonaws.com.)
 */
async function developer(iam: IAMClient) {
  await iam.send(new CreateUserCommand({ UserName: 'dev' }));
  await iam.send(new PutUserPolicyCommand({
    UserName: 'dev', PolicyName: 'build',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['lambda:*', 'states:*'], Resource: '*' }] }),
  }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }))).AccessKey!;
  const credentials = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  return { lambda: new LambdaClient(sdkConfig(h.dd, { credentials })), sfn: new SFNClient(sdkConfig(h.dd, { credentials })) };
}

test('a developer without iam:PassRole cannot give a function a role; allowed for lambda.amazonaws.com only, Step Functions is still refused', async () => {
  const iam = new IAMClient(sdkConfig(h.dd));
  const role = (await iam.send(new CreateRoleCommand({ RoleName: 'app-role', AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
  const admin = (await iam.send(new CreateRoleCommand({ RoleName: 'admin-role', AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
  const dev = await developer(iam);
  const fn = (name: string, Role: string) => dev.lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role, Code: { ZipFile: zip({ 'index.js': 'exports.handler = async () => 1;' }) },
  }));

  const refused = await failure(() => fn('f1', role));
  assert.deepEqual([refused.name, refused.status], ['AccessDeniedException', 403]);
  assert.match(refused.message, /^User: arn:aws:iam::000000000000:user\/dev is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role\/app-role/);

  await iam.send(new PutUserPolicyCommand({
    UserName: 'dev', PolicyName: 'pass-app-role', PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: role, Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }],
    }),
  }));
  const made = await fn('f2', role);
  assert.equal(made.Role, role);
  const other = await failure(() => fn('f3', admin));
  assert.match(other.message, /iam:PassRole on resource: arn:aws:iam::000000000000:role\/admin-role/, 'only the role the policy names may be passed');

  const machine = await failure(() => dev.sfn.send(new CreateStateMachineCommand({ name: 'm1', definition: MACHINE, roleArn: role })));
  assert.equal(machine.name, 'AccessDeniedException');
  assert.match(machine.message, /iam:PassRole/, 'iam:PassedToService is states.amazonaws.com here, which the policy does not allow');
});

test('the root user passes its own account\'s roles, never another account\'s', async () => {
  const iam = new IAMClient(sdkConfig(h.dd));
  const own = (await iam.send(new CreateRoleCommand({ RoleName: 'own-machine-role', AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
  const sfn = new SFNClient(sdkConfig(h.dd));
  const ok = await sfn.send(new CreateStateMachineCommand({ name: 'm-own', definition: MACHINE, roleArn: own }));
  assert.match(ok.stateMachineArn!, /:stateMachine:m-own$/);
  const foreign = await failure(() => sfn.send(new CreateStateMachineCommand({ name: 'm-foreign', definition: MACHINE, roleArn: 'arn:aws:iam::111111111111:role/theirs' })));
  assert.equal(foreign.name, 'AccessDeniedException');
  assert.match(foreign.message, /iam:PassRole on resource: arn:aws:iam::111111111111:role\/theirs/);
});

test('RunInstances with an instance profile passes the profile\'s role to ec2.amazonaws.com', async () => {
  const iam = new IAMClient(sdkConfig(h.dd));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const role = (await iam.send(new CreateRoleCommand({ RoleName: 'web-role', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'web-role' }));
  const root = new EC2Client(sdkConfig(h.dd));
  const vpc = (await root.send(new CreateVpcCommand({ CidrBlock: '10.77.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await root.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.77.1.0/24' }))).Subnet!.SubnetId!;
  const image = (await root.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;

  await iam.send(new CreateUserCommand({ UserName: 'ops' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'ops', PolicyName: 'ec2', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ops' }))).AccessKey!;
  const ops = new EC2Client(sdkConfig(h.dd, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } }));
  const launch = () => ops.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet, IamInstanceProfile: { Name: 'web' } }));

  const refused = await failure(launch);
  assert.equal(refused.name, 'UnauthorizedOperation');
  assert.match(refused.message, new RegExp(`iam:PassRole on resource: ${role}`));
  await iam.send(new PutUserPolicyCommand({ UserName: 'ops', PolicyName: 'pass', PolicyDocument: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: role, Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }],
  }) }));
  const ran = await launch();
  assert.match(ran.Instances![0]!.IamInstanceProfile!.Arn!, /:instance-profile\/web$/);
});
