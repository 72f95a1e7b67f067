import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { sdkConfig, useDrydock } from '../../helpers.js';

const h = useDrydock();

test('a role made with the IAM API is assumed with its trust policy, and sessions chain', async () => {
  const iam = new IAMClient(sdkConfig(h.dd));
  const trust = (principal: string) => JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x-123' } } }],
  });
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'deployer', Path: '/ci/', AssumeRolePolicyDocument: trust('000000000000'), MaxSessionDuration: 7200 }));
  const sts = new STSClient(sdkConfig(h.dd));
  await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: 'build' })), { name: 'AccessDenied' });
  const r = await sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: 'build', ExternalId: 'x-123', DurationSeconds: 7200 }));
  assert.equal(r.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/deployer/build');
  assert.equal(r.AssumedRoleUser?.AssumedRoleId, `${Role!.RoleId}:build`);
  const session = new STSClient(sdkConfig(h.dd, {
    credentials: { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken } as never,
  }));
  assert.equal((await session.send(new GetCallerIdentityCommand({}))).UserId, `${Role!.RoleId}:build`);

  // Role chaining: the session's identity policy must allow it, and the trust policy names the role.
  await iam.send(new CreateRoleCommand({ RoleName: 'next', AssumeRolePolicyDocument: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: Role!.Arn! }, Action: 'sts:AssumeRole' }],
  }) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'chain', PolicyDocument: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
  }) }));
  const chained = await session.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/next', RoleSessionName: 'step2' }));
  assert.equal(chained.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/next/step2');
});
