import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type Credentials } from '@aws-sdk/client-sts';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { FakeIam, installFakeIam } from './fake-iam.js';

const h = useDrydock();
const iam = new FakeIam();
const A = '000000000000';
const B = '111111111111';

const trust = (principal: string, extra: object = {}, actions: string | string[] = 'sts:AssumeRole') => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: actions, ...extra }],
});

let installed: Promise<unknown> | undefined;
// Lazily, as root-level before() hooks of a file are not ordered after useDrydock's in Node 20.
function setup(): Promise<unknown> {
  installed ??= installFakeIam(h.dd, iam).then(() => addRoles());
  return installed;
}

const ADMIN_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

function addRoles(): void {
  iam.addRole(A, 'admin', trust(A), { maxSessionDuration: 7200 });
  iam.addRole(A, 'tagged', trust(A, {}, ['sts:AssumeRole', 'sts:TagSession']), { maxSessionDuration: 7200 });
  iam.addRole(A, 'chain', trust(`arn:aws:iam::${A}:role/tagged`, {}, ['sts:AssumeRole', 'sts:TagSession']));
  iam.addRole(B, 'partner', trust(A, { Condition: { StringEquals: { 'sts:ExternalId': 'shared-secret' } } }));
  iam.addRole(A, 'mfa-only', trust(A, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }));
  for (const name of ['admin', 'tagged']) iam.allow(`arn:aws:iam::${A}:role/${name}`, ADMIN_POLICY);
}

const sts = (creds?: Credentials) => {
  return new STSClient(
    creds === undefined
      ? sdkConfig(h.dd)
      : sdkConfig(h.dd, { credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken } as never }),
  );
};

async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp, status?: number): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message !== undefined) assert.match(e.message, message);
    if (status !== undefined) assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}

test('AssumeRole issues a role session that GetCallerIdentity reports', async () => {
  await setup();
  const r = await sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/admin`, RoleSessionName: 'alice' }));
  const role = iam.role(A, 'admin')!;
  assert.equal(r.AssumedRoleUser?.Arn, `arn:aws:sts::${A}:assumed-role/admin/alice`);
  assert.equal(r.AssumedRoleUser?.AssumedRoleId, `${role.roleId}:alice`);
  assert.match(r.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
  assert.ok(r.Credentials!.SessionToken!.length > 100);
  // The clock may cross a second between issue and this check.
  assert.ok(Math.abs(r.Credentials!.Expiration!.getTime() - (Math.floor(h.dd.clock.nowMs() / 1000) * 1000 + 3600_000)) <= 1000);
  assert.equal(r.PackedPolicySize, undefined);
  const me = await sts(r.Credentials).send(new GetCallerIdentityCommand({}));
  assert.deepEqual([me.Arn, me.UserId, me.Account], [r.AssumedRoleUser?.Arn, `${role.roleId}:alice`, A]);
});

test('a missing role and an untrusted caller get the same AccessDenied', async () => {
  await setup();
  const msg = (arn: string) => `User: arn:aws:iam::222222222222:root is not authorized to perform: sts:AssumeRole on resource: ${arn}`;
  const other = new STSClient(sdkConfig(h.dd, { credentials: { accessKeyId: '222222222222', secretAccessKey: 'test' } }));
  for (const arn of [`arn:aws:iam::${A}:role/admin`, `arn:aws:iam::${A}:role/nope`]) {
    await rejects(other.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1' })), 'AccessDenied', msg(arn), 403);
  }
});

test('cross-account AssumeRole needs the right ExternalId', async () => {
  await setup();
  const RoleArn = `arn:aws:iam::${B}:role/partner`;
  const denied = `User: arn:aws:iam::${A}:root is not authorized to perform: sts:AssumeRole on resource: ${RoleArn}`;
  await rejects(sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'x1' })), 'AccessDenied', denied);
  await rejects(sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'x1', ExternalId: 'wrong-one' })), 'AccessDenied', denied);
  const ok = await sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'x1', ExternalId: 'shared-secret' }));
  assert.equal(ok.AssumedRoleUser?.Arn, `arn:aws:sts::${B}:assumed-role/partner/x1`);
  const me = await sts(ok.Credentials).send(new GetCallerIdentityCommand({}));
  assert.equal(me.Account, B);
});

test('MFA conditions see SerialNumber and TokenCode', async () => {
  await setup();
  const RoleArn = `arn:aws:iam::${A}:role/mfa-only`;
  await rejects(sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'm1' })), 'AccessDenied');
  const r = await sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'm1', SerialNumber: `arn:aws:iam::${A}:mfa/dev`, TokenCode: '123456' }));
  assert.ok(r.Credentials?.AccessKeyId);
  await rejects(sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'm1', SerialNumber: `arn:aws:iam::${A}:mfa/dev` })), 'AccessDenied',
    'MultiFactorAuthentication failed with invalid MFA one time pass code.');
});

test('input validation answers as AWS does', async () => {
  await setup();
  const cases: [string, string, string][] = [
    ['nothing-valid-in-here', 's1', 'nothing-valid-in-here is invalid'],
    ['arn::b:::something/test-role', 's1', 'arn::b:::something/test-role is invalid'],
    ['arn:a::::something/test-role', 's1', 'arn:a::::something/test-role is invalid'],
    ['arn:a:::something/test-role', 's1', 'arn:a:::something/test-role is invalid'],
    ['arn:a:a::aaaaaaaaaa:', 's1', 'arn:a:a::aaaaaaaaaa: is invalid'],
    [`arn:aws:iam::${A}:role/admin`, 'Session1:2',
      "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"],
    [`arn:aws:iam::${A}:role/admin`, 'a',
      "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"],
  ];
  for (const [RoleArn, RoleSessionName, message] of cases) {
    await rejects(sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName })), 'ValidationError', message, 400);
  }
});

test('DurationSeconds is bounded by 900, 43200, the role maximum and role chaining', async () => {
  await setup();
  const RoleArn = `arn:aws:iam::${A}:role/admin`;
  const send = (d: number, client = sts()) => client.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'd1', DurationSeconds: d }));
  await rejects(send(899), 'ValidationError',
    "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
  await rejects(send(43201), 'ValidationError', /Member must have value less than or equal to 43200/);
  await rejects(send(7201), 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const r = await send(7200);
  // The clock may cross a second between issue and this check.
  assert.ok(Math.abs(r.Credentials!.Expiration!.getTime() - (Math.floor(h.dd.clock.nowMs() / 1000) * 1000 + 7200_000)) <= 1000);
  await rejects(send(3601, sts(r.Credentials)), 'ValidationError',
    'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  assert.ok((await send(3600, sts(r.Credentials))).Credentials);
});

test('credentials expire on the clock: the next call answers ExpiredToken', async () => {
  await setup();
  const r = await sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/admin`, RoleSessionName: 'short', DurationSeconds: 900 }));
  const session = sts(r.Credentials);
  await session.send(new GetCallerIdentityCommand({}));
  h.dd.clock.advance(901);
  await rejects(session.send(new GetCallerIdentityCommand({})), 'ExpiredToken', 'The security token included in the request is expired');
});

test('session policies: malformed, too long, and the PackedPolicySize of a good one', async () => {
  await setup();
  const RoleArn = `arn:aws:iam::${A}:role/admin`;
  const good = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  const r = await sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'p1', Policy: good }));
  assert.ok(r.PackedPolicySize! > 0 && r.PackedPolicySize! < 20, String(r.PackedPolicySize));
  const principal = h.dd.app.identities.lookup(r.Credentials!.AccessKeyId!)!.principal;
  assert.equal(principal.sessionPolicy, good);
  await rejects(sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'p1', Policy: '{"Version":"2012-10-17"}' })), 'MalformedPolicyDocumentException');
  await rejects(sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'p1', Policy: `{"a":"${'x'.repeat(2100)}"}` })), 'ValidationError',
    /at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048/);
  const arns = Array.from({ length: 11 }, (_, i) => ({ arn: `arn:aws:iam::${A}:policy/p${i}` }));
  await rejects(sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'p1', PolicyArns: arns })), 'ValidationError',
    /at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10/);
});

test('without the IAM port AssumeRole answers a clear ServiceUnavailable', async () => {
  await setup();
  const saved = h.dd.app.ports.iam;
  h.dd.app.ports.iam = undefined;
  try {
    await rejects(sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/admin`, RoleSessionName: 'n1' })), 'ServiceUnavailable',
      /the iam service is not loaded/, 503);
  } finally {
    h.dd.app.ports.iam = saved;
  }
});
