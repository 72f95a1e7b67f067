import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  AssumeRoleCommand,
  DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials,
} from '@aws-sdk/client-sts';
import { encodeAuthorizationMessage } from '../../../src/services/sts/auth-message.js';
import { accessKeyIdFor, accountOfAccessKey } from '../../../src/services/sts/credentials.js';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { FakeIam, installFakeIam } from './fake-iam.js';

const h = useDrydock();
const iam = new FakeIam();
const A = '000000000000';
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const trust = (principal: string, actions: string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: actions }],
});

let installed: Promise<unknown> | undefined;
function setup(): Promise<unknown> {
  installed ??= installFakeIam(h.dd, iam).then(() => {
    iam.addRole(A, 'first', trust(A, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']));
    iam.addRole(A, 'second', trust(`arn:aws:iam::${A}:role/first`, ['sts:AssumeRole', 'sts:TagSession']));
    iam.addRole(A, 'no-tags', trust(A, ['sts:AssumeRole']));
    iam.allow(`arn:aws:iam::${A}:role/first`, ADMIN);
  });
  return installed;
}

const client = (creds?: Credentials) =>
  new STSClient(
    creds === undefined
      ? sdkConfig(h.dd)
      : sdkConfig(h.dd, { credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken } as never }),
  );
const principalOf = (creds: Credentials) => h.dd.app.identities.lookup(creds.AccessKeyId!)!.principal;

async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message !== undefined) assert.match(e.message, message);
    return true;
  });
}

test('session tags need sts:TagSession and pass on transitively through role chaining', async () => {
  await setup();
  await rejects(client().send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${A}:role/no-tags`, RoleSessionName: 't1', Tags: [{ Key: 'team', Value: 'blue' }],
  })), 'AccessDenied', /sts:TagSession on resource: arn:aws:iam::000000000000:role\/no-tags$/);

  const first = await client().send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${A}:role/first`, RoleSessionName: 't1',
    Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '42' }], TransitiveTagKeys: ['team'], SourceIdentity: 'alice',
  }));
  assert.equal(first.SourceIdentity, 'alice');
  assert.ok(first.PackedPolicySize! > 0);
  assert.deepEqual(principalOf(first.Credentials!).sessionTags, { team: 'blue', cost: '42' });

  const second = await client(first.Credentials).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${A}:role/second`, RoleSessionName: 't2', Tags: [{ Key: 'stage', Value: 'dev' }],
  }));
  const p = principalOf(second.Credentials!);
  assert.deepEqual(p.sessionTags, { team: 'blue', stage: 'dev' });
  assert.deepEqual(p.transitiveTagKeys, ['team']);
  assert.equal(p.sourceIdentity, 'alice');
  assert.equal(second.SourceIdentity, 'alice');

  await rejects(client(first.Credentials).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${A}:role/second`, RoleSessionName: 't2', Tags: [{ Key: 'TEAM', Value: 'red' }],
  })), 'InvalidParameterValue', "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
});

test('tag validation: duplicates, transitive keys, limits and packed size', async () => {
  await setup();
  const RoleArn = `arn:aws:iam::${A}:role/first`;
  const send = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
    client().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'v1', ...input }));
  await rejects(send({ Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }), 'InvalidParameterValue',
    'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  await rejects(send({ Tags: [{ Key: 'a', Value: '1' }], TransitiveTagKeys: ['b'] }), 'InvalidParameterValue',
    'The specified transitive tag key must be included in the requested tags.');
  const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await rejects(send({ Tags: many }), 'ValidationError', /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/);
  await rejects(send({ Tags: [{ Key: 'x'.repeat(129), Value: 'v' }] }), 'ValidationError', /at 'tags.1.member.key' .*less than or equal to 128/);
  const big = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}-${randomBytes(40).toString('hex')}`, Value: randomBytes(120).toString('hex') }));
  await rejects(send({ Tags: big }), 'PackedPolicyTooLargeException', /^Packed policy consumes \d+% of allotted space, please use smaller policy.$/);
});

test('GetSessionToken keeps the caller, caps the root user at an hour, and refuses session credentials', async () => {
  await setup();
  const r = await client().send(new GetSessionTokenCommand({ DurationSeconds: 129600, SerialNumber: 'arn:aws:iam::000000000000:mfa/root', TokenCode: '654321' }));
  // The clock may cross a second between issue and this check.
  assert.ok(Math.abs(r.Credentials!.Expiration!.getTime() - (Math.floor(h.dd.clock.nowMs() / 1000) * 1000 + 3600_000)) <= 1000);
  const me = await client(r.Credentials).send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:iam::${A}:root`);
  assert.equal(principalOf(r.Credentials!).mfa, true);
  await rejects(client(r.Credentials).send(new GetSessionTokenCommand({})), 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
  await rejects(client().send(new GetSessionTokenCommand({ DurationSeconds: 129601 })), 'ValidationError', /less than or equal to 129600/);
});

test('GetFederationToken makes a federated user with the session policy it was given', async () => {
  await setup();
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  const r = await client().send(new GetFederationTokenCommand({ Name: 'bob', Policy }));
  assert.equal(r.FederatedUser?.Arn, `arn:aws:sts::${A}:federated-user/bob`);
  assert.equal(r.FederatedUser?.FederatedUserId, `${A}:bob`);
  assert.ok(r.PackedPolicySize! > 0);
  const me = await client(r.Credentials).send(new GetCallerIdentityCommand({}));
  assert.deepEqual([me.Arn, me.UserId, me.Account], [`arn:aws:sts::${A}:federated-user/bob`, `${A}:bob`, A]);
  const p = principalOf(r.Credentials!);
  assert.equal(p.type, 'federated-user');
  assert.equal(p.issuerArn, `arn:aws:iam::${A}:root`);
  assert.equal(p.sessionPolicy, Policy);
  // Refused by the gateway (a federated user's policies do not allow it) or by STS itself.
  await rejects(client(r.Credentials).send(new GetFederationTokenCommand({ Name: 'eve' })), 'AccessDenied');
  await rejects(client().send(new GetFederationTokenCommand({ Name: 'b' })), 'ValidationError', /at 'name' .*greater than or equal to 2/);
  const bare = await client().send(new GetFederationTokenCommand({ Name: 'carol' }));
  assert.equal(bare.PackedPolicySize, 0);
});

test('GetAccessKeyInfo answers the account of keys Drydock issued and decodes AWS-style ids', async () => {
  await setup();
  const other = client().send(new GetAccessKeyInfoCommand({ AccessKeyId: accessKeyIdFor('AKIA', '123456789012') }));
  assert.equal((await other).Account, '123456789012');
  const r = await client().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/first`, RoleSessionName: 'k1' }));
  assert.equal((await client().send(new GetAccessKeyInfoCommand({ AccessKeyId: r.Credentials!.AccessKeyId! }))).Account, A);
  for (let i = 0; i < 50; i++) {
    const acct = String(Math.floor(Math.random() * 1e12)).padStart(12, '0');
    assert.equal(accountOfAccessKey(accessKeyIdFor('ASIA', acct)), acct);
  }
});

test('DecodeAuthorizationMessage decodes what the gateway encodes and refuses anything else', async () => {
  await setup();
  const decision = { allowed: false, explicitDeny: true, context: { action: 'ec2:RunInstances', resource: '*' } };
  const r = await client().send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encodeAuthorizationMessage(decision) }));
  assert.deepEqual(JSON.parse(r.DecodedMessage!), decision);
  await rejects(client().send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'not-a-message' })), 'InvalidAuthorizationMessageException');
});
