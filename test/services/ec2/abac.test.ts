/** EC2 resources carry their tags into authorization: aws:ResourceTag conditions decide on the resource acted on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateVpcCommand, DeleteVpcCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { failure, sdkConfig, useDrydock } from '../../helpers.js';
import { ec2Client } from './helpers.js';

const h = useDrydock();

test('a policy allowing ec2:DeleteVpc only on team=blue resources: blue VPC deleted, red VPC refused with UnauthorizedOperation', async () => {
  const iam = new IAMClient(sdkConfig(h.dd));
  await iam.send(new CreateUserCommand({ UserName: 'blue-dev' }));
  await iam.send(new PutUserPolicyCommand({
    UserName: 'blue-dev', PolicyName: 'blue-only',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
      { Effect: 'Allow', Action: 'ec2:DeleteVpc', Resource: 'arn:aws:ec2:*:*:vpc/*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } },
    ] }),
  }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'blue-dev' }))).AccessKey!;
  const admin = ec2Client(h.dd);
  const tagged = async (team: string) => (await admin.send(new CreateVpcCommand({ CidrBlock: '10.90.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'team', Value: team }] }] }))).Vpc!.VpcId!;
  const blue = await tagged('blue');
  const red = await tagged('red');
  const dev = new EC2Client({ ...sdkConfig(h.dd), credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
  assert.ok((await dev.send(new DescribeVpcsCommand({}))).Vpcs!.length >= 2);
  const denied = await failure(() => dev.send(new DeleteVpcCommand({ VpcId: red })));
  assert.deepEqual([denied.name, denied.status], ['UnauthorizedOperation', 403]);
  await dev.send(new DeleteVpcCommand({ VpcId: blue }));
  assert.deepEqual((await admin.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:team', Values: ['blue', 'red'] }] }))).Vpcs!.map((v) => v.VpcId), [red]);
});
