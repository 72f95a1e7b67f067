// IAM entities through the real SDK: users, groups, roles, instance profiles, service-linked roles,
// access keys (real ones), identity providers and account settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  AddClientIDToOpenIDConnectProviderCommand, AddRoleToInstanceProfileCommand, AddUserToGroupCommand, CreateAccessKeyCommand,
  CreateAccountAliasCommand, CreateGroupCommand, CreateInstanceProfileCommand, CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand, CreateRoleCommand, CreateSAMLProviderCommand, CreateServiceLinkedRoleCommand,
  CreateServiceSpecificCredentialCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand, DeleteAccountAliasCommand, DeleteAccountPasswordPolicyCommand, DeleteGroupCommand, DeleteInstanceProfileCommand,
  DeleteOpenIDConnectProviderCommand, DeleteRoleCommand, DeleteSAMLProviderCommand, DeleteSSHPublicKeyCommand,
  DeleteServerCertificateCommand, DeleteServiceLinkedRoleCommand, DeleteSigningCertificateCommand, DeleteUserCommand,
  DeleteVirtualMFADeviceCommand, EnableMFADeviceCommand, GenerateCredentialReportCommand, GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand, GetAccountPasswordPolicyCommand, GetAccountSummaryCommand, GetCredentialReportCommand,
  GetGroupCommand, GetInstanceProfileCommand, GetLoginProfileCommand, GetOpenIDConnectProviderCommand, GetRoleCommand,
  GetSAMLProviderCommand, GetServerCertificateCommand, GetServiceLinkedRoleDeletionStatusCommand, GetUserCommand, ListAccessKeysCommand,
  ListAccountAliasesCommand, ListAttachedRolePoliciesCommand, ListGroupsForUserCommand, ListInstanceProfilesForRoleCommand,
  ListMFADevicesCommand, ListOpenIDConnectProviderTagsCommand, ListOpenIDConnectProvidersCommand, ListRoleTagsCommand, ListRolesCommand,
  ListSAMLProvidersCommand, ListSSHPublicKeysCommand, ListServerCertificatesCommand, ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand, ListUserTagsCommand, ListUsersCommand, ListVirtualMFADevicesCommand, PutRolePolicyCommand,
  PutUserPolicyCommand, RemoveRoleFromInstanceProfileCommand, RemoveUserFromGroupCommand, ResetServiceSpecificCredentialCommand,
  TagOpenIDConnectProviderCommand, TagRoleCommand, TagUserCommand, UntagUserCommand, UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand, UpdateAssumeRolePolicyCommand, UpdateOpenIDConnectProviderThumbprintCommand, UpdateRoleCommand,
  UpdateSSHPublicKeyCommand, UpdateServiceSpecificCredentialCommand, UpdateUserCommand, UploadSSHPublicKeyCommand,
  UploadServerCertificateCommand, UploadSigningCertificateCommand, paginateListUsers,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { allow, iamClient, rejectsWith, totpCode, trustFor } from './helpers.js';

const h = useDrydock();

test('CreateUser answers the user with an AIDA id, and GetUser finds it by name in any case', async () => {
  const iam = iamClient(h.config());
  const made = await iam.send(new CreateUserCommand({ UserName: 'Alice', Path: '/staff/', Tags: [{ Key: 'team', Value: 'blue' }] }));
  assert.equal(made.User?.Arn, 'arn:aws:iam::000000000000:user/staff/Alice');
  assert.match(made.User?.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
  assert.ok(made.User?.CreateDate instanceof Date);
  assert.deepEqual(made.User?.Tags, [{ Key: 'team', Value: 'blue' }]);
  const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
  assert.equal(got.User?.UserName, 'Alice');
  assert.equal(got.User?.Path, '/staff/');
  await rejectsWith(iam.send(new CreateUserCommand({ UserName: 'ALICE' })), 'EntityAlreadyExists', 409, 'User with name ALICE already exists.');
});

test('GetUser without a name answers the root caller', async () => {
  const r = await iamClient(h.config()).send(new GetUserCommand({}));
  assert.equal(r.User?.Arn, 'arn:aws:iam::000000000000:root');
  assert.equal(r.User?.UserId, '000000000000');
});

test('unknown users answer NoSuchEntity with AWS wording; bad names answer ValidationError', async () => {
  const iam = iamClient(h.config());
  await rejectsWith(iam.send(new GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
  await rejectsWith(
    iam.send(new CreateUserCommand({ UserName: 'bad name!' })), 'ValidationError', 400,
    "1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
  await rejectsWith(iam.send(new CreateUserCommand({ UserName: 'x'.repeat(65) })), 'ValidationError', 400, /length less than or equal to 64/);
  await rejectsWith(iam.send(new CreateUserCommand({ UserName: 'pathy', Path: 'nope' })), 'ValidationError', 400, /at 'path' failed/);
});

test('ListUsers pages with Marker/MaxItems and filters by PathPrefix', async () => {
  const iam = iamClient(h.config());
  for (let i = 0; i < 7; i++) await iam.send(new CreateUserCommand({ UserName: `pager-${i}`, Path: '/pager/' }));
  const first = await iam.send(new ListUsersCommand({ PathPrefix: '/pager/', MaxItems: 3 }));
  assert.equal(first.Users?.length, 3);
  assert.equal(first.IsTruncated, true);
  assert.ok(first.Marker);
  const names: string[] = [];
  for await (const page of paginateListUsers({ client: iam, pageSize: 2 }, { PathPrefix: '/pager/' })) {
    names.push(...(page.Users ?? []).map((u) => u.UserName ?? ''));
  }
  assert.deepEqual(names, [0, 1, 2, 3, 4, 5, 6].map((i) => `pager-${i}`));
  await rejectsWith(iam.send(new ListUsersCommand({ MaxItems: 0 })), 'ValidationError', 400, /greater than or equal to 1/);
});

test('groups: membership, GetGroup lists members, and DeleteConflict until emptied', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'bob' }));
  const g = await iam.send(new GetGroupCommand({ GroupName: 'devs' }));
  assert.equal(g.Group?.Arn, 'arn:aws:iam::000000000000:group/devs');
  assert.match(g.Group?.GroupId ?? '', /^AGPA/);
  assert.deepEqual(g.Users?.map((u) => u.UserName), ['bob']);
  const forUser = await iam.send(new ListGroupsForUserCommand({ UserName: 'bob' }));
  assert.deepEqual(forUser.Groups?.map((x) => x.GroupName), ['devs']);
  await rejectsWith(iam.send(new DeleteGroupCommand({ GroupName: 'devs' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
  await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'bob' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
  await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'bob' }));
  await iam.send(new DeleteGroupCommand({ GroupName: 'devs' }));
  await rejectsWith(iam.send(new GetGroupCommand({ GroupName: 'devs' })), 'NoSuchEntity', 404, 'The group with name devs cannot be found.');
});

test('DeleteUser refuses while inline policies remain', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateUserCommand({ UserName: 'carol' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'p', PolicyDocument: allow('s3:GetObject') }));
  await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'carol' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
});

test('UpdateUser renames and moves a user', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateUserCommand({ UserName: 'dave' }));
  await iam.send(new UpdateUserCommand({ UserName: 'dave', NewUserName: 'david', NewPath: '/ops/' }));
  const r = await iam.send(new GetUserCommand({ UserName: 'david' }));
  assert.equal(r.User?.Arn, 'arn:aws:iam::000000000000:user/ops/david');
  await rejectsWith(iam.send(new GetUserCommand({ UserName: 'dave' })), 'NoSuchEntity', 404);
});

test('user tags: add, replace case-insensitively, remove, duplicates refused, 50 at most', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateUserCommand({ UserName: 'tagged' }));
  await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }] }));
  await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'Env', Value: 'prod' }] }));
  await iam.send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['team'] }));
  const r = await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }));
  assert.deepEqual(r.Tags, [{ Key: 'Env', Value: 'prod' }]);
  await rejectsWith(
    iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })),
    'InvalidInput', 400, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  );
  const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await rejectsWith(iam.send(new TagUserCommand({ UserName: 'tagged', Tags: many })), 'LimitExceeded', 409);
});

test('CreateRole keeps the trust policy and answers it URL-encoded, as AWS does', async () => {
  const iam = iamClient(h.config());
  const trust = trustFor('lambda.amazonaws.com');
  const made = await iam.send(new CreateRoleCommand({ RoleName: 'fn', Path: '/app/', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'test', Value: 'value' }] }));
  assert.equal(made.Role?.Arn, 'arn:aws:iam::000000000000:role/app/fn');
  assert.match(made.Role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
  assert.equal(made.Role?.MaxSessionDuration, undefined);
  assert.equal(decodeURIComponent(made.Role?.AssumeRolePolicyDocument ?? ''), trust);
  assert.match(made.Role?.AssumeRolePolicyDocument ?? '', /^%7B%22Version%22/);
  const got = await iam.send(new GetRoleCommand({ RoleName: 'fn' }));
  assert.equal(got.Role?.MaxSessionDuration, 3600);
  assert.deepEqual(got.Role?.RoleLastUsed, {});
  assert.deepEqual(got.Role?.Tags, [{ Key: 'test', Value: 'value' }]);
  const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/app/' }));
  assert.deepEqual(listed.Roles?.map((r) => [r.RoleName, r.MaxSessionDuration, r.Tags]), [['fn', 3600, undefined]]);
});

test('trust policies are validated: invalid JSON, wrong actions, missing principal', async () => {
  const iam = iamClient(h.config());
  await rejectsWith(iam.send(new CreateRoleCommand({ RoleName: 'bad1', AssumeRolePolicyDocument: '{not json' })),
    'MalformedPolicyDocument', 400, 'This policy contains invalid Json');
  const wrongAction = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 's3:GetObject' }] });
  await rejectsWith(iam.send(new CreateRoleCommand({ RoleName: 'bad2', AssumeRolePolicyDocument: wrongAction })),
    'MalformedPolicyDocument', 400, 'AssumeRole policy may only specify STS AssumeRole actions.');
  const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
  await rejectsWith(iam.send(new CreateRoleCommand({ RoleName: 'bad3', AssumeRolePolicyDocument: noPrincipal })),
    'MalformedPolicyDocument', 400, 'Missing required field Principal');
  await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'bad1' })), 'NoSuchEntity', 404, 'The role with name bad1 cannot be found.');
});

test('MaxSessionDuration must be between 3600 and 43200', async () => {
  const iam = iamClient(h.config());
  await rejectsWith(iam.send(new CreateRoleCommand({ RoleName: 'short', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com'), MaxSessionDuration: 60 })),
    'ValidationError', 400, "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600");
  await iam.send(new CreateRoleCommand({ RoleName: 'long', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com'), MaxSessionDuration: 43200 }));
  await rejectsWith(iam.send(new UpdateRoleCommand({ RoleName: 'long', MaxSessionDuration: 50000 })), 'ValidationError', 400, /less than or equal to 43200/);
  await iam.send(new UpdateRoleCommand({ RoleName: 'long', MaxSessionDuration: 7200, Description: 'two hours' }));
  const r = await iam.send(new GetRoleCommand({ RoleName: 'long' }));
  assert.equal(r.Role?.MaxSessionDuration, 7200);
  assert.equal(r.Role?.Description, 'two hours');
});

test('UpdateAssumeRolePolicy replaces the trust policy', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateRoleCommand({ RoleName: 'trusty', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com') }));
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'trusty', PolicyDocument: trustFor('ecs-tasks.amazonaws.com') }));
  const r = await iam.send(new GetRoleCommand({ RoleName: 'trusty' }));
  assert.match(decodeURIComponent(r.Role?.AssumeRolePolicyDocument ?? ''), /ecs-tasks/);
  await iam.send(new TagRoleCommand({ RoleName: 'trusty', Tags: [{ Key: 'Project', Value: 'alpha' }] }));
  assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'trusty' }))).Tags, [{ Key: 'Project', Value: 'alpha' }]);
});

test('instance profiles hold one role; roles in a profile cannot be deleted', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateRoleCommand({ RoleName: 'web', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com') }));
  await iam.send(new CreateRoleCommand({ RoleName: 'web2', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com') }));
  const made = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-profile' }));
  assert.equal(made.InstanceProfile?.Arn, 'arn:aws:iam::000000000000:instance-profile/web-profile');
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'web' }));
  await rejectsWith(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'web2' })),
    'LimitExceeded', 409, 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
  const got = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-profile' }));
  assert.deepEqual(got.InstanceProfile?.Roles?.map((r) => r.RoleName), ['web']);
  const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'web' }));
  assert.deepEqual(forRole.InstanceProfiles?.map((p) => p.InstanceProfileName), ['web-profile']);
  await rejectsWith(iam.send(new DeleteRoleCommand({ RoleName: 'web' })), 'DeleteConflict', 409,
    'Cannot delete entity, must remove roles from instance profile first.');
  await rejectsWith(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-profile' })), 'DeleteConflict', 409);
  await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'web' }));
  await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-profile' }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'web' }));
  await rejectsWith(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-profile' })), 'NoSuchEntity', 404,
    'Instance Profile web-profile cannot be found.');
});

test('service-linked roles: AWS names, paths and policies; suffix rules; protected; deletion task', async () => {
  const iam = iamClient(h.config());
  const r = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'batch.amazonaws.com' }));
  assert.equal(r.Role?.RoleName, 'AWSServiceRoleForBatch');
  assert.equal(r.Role?.Path, '/aws-service-role/batch.amazonaws.com/');
  assert.equal(r.Role?.Arn, 'arn:aws:iam::000000000000:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch');
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AWSServiceRoleForBatch' }));
  assert.deepEqual(attached.AttachedPolicies, [
    { PolicyName: 'BatchServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/BatchServiceRolePolicy' },
  ]);
  await rejectsWith(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'batch.amazonaws.com' })), 'InvalidInput', 400,
    'Service role name AWSServiceRoleForBatch has been taken in this account, please try a different suffix.');
  await rejectsWith(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com', CustomSuffix: 'x' })), 'InvalidInput', 400,
    'Custom suffix is not allowed for ecs.amazonaws.com');
  const suffixed = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'fleet' }));
  assert.equal(suffixed.Role?.RoleName, 'AWSServiceRoleForAutoScaling_fleet');
  await rejectsWith(iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForBatch' })), 'UnmodifiableEntity', 400, /protected role/);
  const del = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForBatch' }));
  assert.match(del.DeletionTaskId ?? '', /^task\/aws-service-role\/batch\.amazonaws\.com\/AWSServiceRoleForBatch\/[0-9a-f-]{36}$/);
  const status = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: del.DeletionTaskId }));
  assert.equal(status.Status, 'SUCCEEDED');
});

test('an access key made by CreateAccessKey signs requests as its user', async () => {
  const iam = iamClient(h.config());
  const user = (await iam.send(new CreateUserCommand({ UserName: 'deployer', Path: '/ci/' }))).User;
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }))).AccessKey;
  assert.match(key?.AccessKeyId ?? '', /^AKIA[A-Z2-7]{16}$/);
  assert.equal(key?.SecretAccessKey?.length, 40);
  assert.equal(key?.Status, 'Active');
  const credentials = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
  const sts = new STSClient(sdkConfig(h.dd, { credentials }));
  const me = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, 'arn:aws:iam::000000000000:user/ci/deployer');
  assert.equal(me.UserId, user?.UserId);
  assert.equal(me.Account, '000000000000');

  // GetUser without a name answers the calling user (allowed by its own policy).
  await iam.send(new PutUserPolicyCommand({ UserName: 'deployer', PolicyName: 'self', PolicyDocument: allow('iam:GetUser') }));
  const self = await iamClient(sdkConfig(h.dd, { credentials })).send(new GetUserCommand({}));
  assert.equal(self.User?.UserName, 'deployer');

  const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key?.AccessKeyId }));
  assert.equal(used.UserName, 'deployer');

  await iam.send(new UpdateAccessKeyCommand({ UserName: 'deployer', AccessKeyId: key?.AccessKeyId, Status: 'Inactive' }));
  await rejectsWith(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
  await iam.send(new UpdateAccessKeyCommand({ UserName: 'deployer', AccessKeyId: key?.AccessKeyId, Status: 'Active' }));
  assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:user/ci/deployer');

  await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'deployer' })), 'DeleteConflict', 409);
  await iam.send(new DeleteAccessKeyCommand({ UserName: 'deployer', AccessKeyId: key?.AccessKeyId }));
  await rejectsWith(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
});

test('two access keys per user; ListAccessKeys lists them', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateUserCommand({ UserName: 'keyring' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'keyring' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'keyring' }));
  await rejectsWith(iam.send(new CreateAccessKeyCommand({ UserName: 'keyring' })), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
  const list = await iam.send(new ListAccessKeysCommand({ UserName: 'keyring' }));
  assert.equal(list.AccessKeyMetadata?.length, 2);
  assert.ok(list.AccessKeyMetadata?.every((k) => k.UserName === 'keyring' && k.Status === 'Active'));
  await rejectsWith(iam.send(new UpdateAccessKeyCommand({ UserName: 'keyring', AccessKeyId: 'AKIAUNKNOWN000000000', Status: 'Inactive' })),
    'NoSuchEntity', 404, 'The Access Key with id AKIAUNKNOWN000000000 cannot be found.');
  await rejectsWith(iam.send(new CreateAccessKeyCommand({ UserName: 'ghost' })), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
});

test('service-specific credentials, as recorded from AWS', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateUserCommand({ UserName: 'coder' }));
  const made = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'coder', ServiceName: 'codecommit.amazonaws.com' })))
    .ServiceSpecificCredential;
  assert.equal(made?.ServiceUserName, 'coder-at-000000000000');
  assert.equal(made?.Status, 'Active');
  assert.ok(made?.ServicePassword);
  await iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'coder', ServiceSpecificCredentialId: made?.ServiceSpecificCredentialId, Status: 'Inactive' }));
  const listed = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'coder' }));
  assert.deepEqual(listed.ServiceSpecificCredentials?.map((c) => [c.Status, (c as { ServicePassword?: string }).ServicePassword]), [['Inactive', undefined]]);
  const reset = await iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'coder', ServiceSpecificCredentialId: made?.ServiceSpecificCredentialId }));
  assert.notEqual(reset.ServiceSpecificCredential?.ServicePassword, made?.ServicePassword);
  await rejectsWith(iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'coder', ServiceName: 'lambda.amazonaws.com' })),
    'NoSuchEntity', 404, 'No such service lambda.amazonaws.com is supported for Service Specific Credentials');
  await rejectsWith(iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'coder', ServiceSpecificCredentialId: 'has-hyphens', Status: 'Active' })),
    'ValidationError', 400,
    "1 validation error detected: Value at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+");
  await rejectsWith(iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'coder', ServiceSpecificCredentialId: 'nosuch', Status: 'Active' })),
    'NoSuchEntity', 404, 'No such credential nosuch exists');
  await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'coder' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove referenced objects first.');
});

const THUMB = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';

test('OpenID Connect providers: create, read, client ids, thumbprints, tags, delete', async () => {
  const iam = iamClient(h.config());
  const made = await iam.send(new CreateOpenIDConnectProviderCommand({
    Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [THUMB],
  }));
  const arn = made.OpenIDConnectProviderArn;
  assert.equal(arn, 'arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com');
  await rejectsWith(iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ThumbprintList: [THUMB] })),
    'EntityAlreadyExists', 409);
  await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'my-app' }));
  await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: [THUMB.replace('9e', 'aa')] }));
  await iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'ci', Value: 'github' }] }));
  const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  assert.equal(got.Url, 'token.actions.githubusercontent.com');
  assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com', 'my-app']);
  assert.deepEqual(got.ThumbprintList, [THUMB.replace('9e', 'aa')]);
  assert.deepEqual((await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags, [{ Key: 'ci', Value: 'github' }]);
  assert.deepEqual((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, [{ Arn: arn }]);
  await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  await rejectsWith(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), 'NoSuchEntity', 404);
});

test('SAML providers: create, read, list, delete', async () => {
  const iam = iamClient(h.config());
  const metadata = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" validUntil="2030-01-01T00:00:00Z" entityID="idp">${'x'.repeat(1000)}</EntityDescriptor>`;
  const arn = (await iam.send(new CreateSAMLProviderCommand({ Name: 'corp-idp', SAMLMetadataDocument: metadata }))).SAMLProviderArn;
  assert.equal(arn, 'arn:aws:iam::000000000000:saml-provider/corp-idp');
  const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));
  assert.equal(got.SAMLMetadataDocument, metadata);
  assert.equal(got.ValidUntil?.toISOString(), '2030-01-01T00:00:00.000Z');
  assert.deepEqual((await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList?.map((p) => p.Arn), [arn]);
  await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arn }));
  await rejectsWith(iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn })), 'NoSuchEntity', 404);
});

test('account aliases: one per account, validated', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'drydock-dev' }));
  assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, ['drydock-dev']);
  await rejectsWith(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'Bad_Alias' })), 'ValidationError', 400, /accountAlias/);
  await rejectsWith(iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'other' })), 'NoSuchEntity', 404);
  await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'drydock-dev' }));
  assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
});

test('the password policy is enforced on login profiles', async () => {
  const iam = iamClient(h.config());
  await rejectsWith(iam.send(new GetAccountPasswordPolicyCommand({})), 'NoSuchEntity', 404, 'The Password Policy with domain name 000000000000 cannot be found.');
  await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireNumbers: true, MaxPasswordAge: 90 }));
  const p = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy;
  assert.equal(p?.MinimumPasswordLength, 12);
  assert.equal(p?.RequireNumbers, true);
  assert.equal(p?.ExpirePasswords, true);
  await iam.send(new CreateUserCommand({ UserName: 'console' }));
  await rejectsWith(iam.send(new CreateLoginProfileCommand({ UserName: 'console', Password: 'short1' })), 'PasswordPolicyViolation', 400);
  await iam.send(new CreateLoginProfileCommand({ UserName: 'console', Password: 'long-enough-pass-1', PasswordResetRequired: true }));
  const lp = await iam.send(new GetLoginProfileCommand({ UserName: 'console' }));
  assert.equal(lp.LoginProfile?.PasswordResetRequired, true);
  await iam.send(new DeleteAccountPasswordPolicyCommand({}));
});

test('GetAccountSummary counts entities; GetAccountAuthorizationDetails lists them with their policies', async () => {
  const iam = iamClient(h.config());
  const before = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap;
  await iam.send(new CreateRoleCommand({ RoleName: 'detailed', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com') }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'detailed', PolicyName: 'inline', PolicyDocument: allow('s3:ListBucket') }));
  const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap;
  assert.equal((summary?.['Roles'] ?? 0) - (before?.['Roles'] ?? 0), 1);
  assert.equal(summary?.['AttachedPoliciesPerRoleQuota'], 10);
  const details = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
  assert.equal(details.UserDetailList, undefined);
  const role = details.RoleDetailList?.find((r) => r.RoleName === 'detailed');
  assert.deepEqual(role?.RolePolicyList?.map((p) => [p.PolicyName, decodeURIComponent(p.PolicyDocument ?? '')]), [['inline', allow('s3:ListBucket')]]);
});

test('virtual MFA devices: enabled with two consecutive TOTP codes on the Drydock clock', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateUserCommand({ UserName: 'mfa-user' }));
  const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mfa-user-phone' }))).VirtualMFADevice;
  assert.equal(device?.SerialNumber, 'arn:aws:iam::000000000000:mfa/mfa-user-phone');
  const seed = Buffer.from(device?.Base32StringSeed ?? new Uint8Array()).toString('ascii');
  assert.match(seed, /^[A-Z2-7]{64}$/);
  const now = h.dd.clock.now();
  await rejectsWith(iam.send(new EnableMFADeviceCommand({
    UserName: 'mfa-user', SerialNumber: device?.SerialNumber, AuthenticationCode1: '000000', AuthenticationCode2: '000001',
  })), 'InvalidAuthenticationCode', 403);
  await iam.send(new EnableMFADeviceCommand({
    UserName: 'mfa-user', SerialNumber: device?.SerialNumber,
    AuthenticationCode1: totpCode(seed, new Date(now.getTime() - 30_000)), AuthenticationCode2: totpCode(seed, now),
  }));
  const listed = await iam.send(new ListMFADevicesCommand({ UserName: 'mfa-user' }));
  assert.deepEqual(listed.MFADevices?.map((d) => d.SerialNumber), [device?.SerialNumber]);
  const assigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
  assert.deepEqual(assigned.VirtualMFADevices?.map((d) => d.User?.UserName), ['mfa-user']);
  await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'mfa-user' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete MFA device first.');
  await rejectsWith(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: device?.SerialNumber })), 'DeleteConflict', 409);
  await iam.send(new DeactivateMFADeviceCommand({ UserName: 'mfa-user', SerialNumber: device?.SerialNumber }));
  await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: device?.SerialNumber }));
  await iam.send(new DeleteUserCommand({ UserName: 'mfa-user' }));
});

test('server certificates, signing certificates and SSH keys', async () => {
  const iam = iamClient(h.config());
  const fixtures = new URL('./fixtures/', import.meta.url);
  const cert = readFileSync(new URL('server-cert.pem', fixtures), 'utf8');
  const key = readFileSync(new URL('server-key.pem', fixtures), 'utf8');
  const other = readFileSync(new URL('other-cert.pem', fixtures), 'utf8');
  const up = await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'web-tls', Path: '/cloudfront/', CertificateBody: cert, PrivateKey: key }));
  assert.equal(up.ServerCertificateMetadata?.Arn, 'arn:aws:iam::000000000000:server-certificate/cloudfront/web-tls');
  assert.ok((up.ServerCertificateMetadata?.Expiration?.getFullYear() ?? 0) > 2100);
  await rejectsWith(iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'mismatch', CertificateBody: other, PrivateKey: key })),
    'KeyPairMismatch', 400);
  await rejectsWith(iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'junk', CertificateBody: 'junk', PrivateKey: key })),
    'MalformedCertificate', 400);
  const got = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'web-tls' }));
  assert.equal(got.ServerCertificate?.CertificateBody, cert.trim());
  await iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'web-tls' }));
  assert.deepEqual((await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList, []);

  await iam.send(new CreateUserCommand({ UserName: 'gitter' }));
  const signing = (await iam.send(new UploadSigningCertificateCommand({ UserName: 'gitter', CertificateBody: cert }))).Certificate;
  assert.equal(signing?.Status, 'Active');
  assert.equal((await iam.send(new ListSigningCertificatesCommand({ UserName: 'gitter' }))).Certificates?.length, 1);
  const ssh = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEOidautJ7Z7FNIC9jzfazuyiCdzj64xQiyR9FFXBh1m test';
  const pub = (await iam.send(new UploadSSHPublicKeyCommand({ UserName: 'gitter', SSHPublicKeyBody: ssh }))).SSHPublicKey;
  assert.match(pub?.SSHPublicKeyId ?? '', /^APKA/);
  assert.match(pub?.Fingerprint ?? '', /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  await rejectsWith(iam.send(new UploadSSHPublicKeyCommand({ UserName: 'gitter', SSHPublicKeyBody: 'not a key' })), 'UnrecognizedPublicKeyEncoding', 400);
  await iam.send(new UpdateSSHPublicKeyCommand({ UserName: 'gitter', SSHPublicKeyId: pub?.SSHPublicKeyId, Status: 'Inactive' }));
  assert.equal((await iam.send(new ListSSHPublicKeysCommand({ UserName: 'gitter' }))).SSHPublicKeys?.[0]?.Status, 'Inactive');
  await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'gitter' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove referenced objects first.');
  await iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'gitter', SSHPublicKeyId: pub?.SSHPublicKeyId }));
  await iam.send(new DeleteSigningCertificateCommand({ UserName: 'gitter', CertificateId: signing?.CertificateId }));
  await iam.send(new DeleteUserCommand({ UserName: 'gitter' }));
});

test('the credential report lists the root user and every user as CSV', async () => {
  const iam = iamClient(h.config());
  await rejectsWith(iam.send(new GetCredentialReportCommand({})), 'ReportNotPresent', 410);
  assert.equal((await iam.send(new GenerateCredentialReportCommand({}))).State, 'STARTED');
  assert.equal((await iam.send(new GenerateCredentialReportCommand({}))).State, 'COMPLETE');
  const report = await iam.send(new GetCredentialReportCommand({}));
  assert.equal(report.ReportFormat, 'text/csv');
  const lines = Buffer.from(report.Content ?? new Uint8Array()).toString('utf8').trim().split('\n');
  assert.match(lines[0] ?? '', /^user,arn,user_creation_time,password_enabled,/);
  assert.match(lines[1] ?? '', /^<root_account>,arn:aws:iam::000000000000:root,/);
  assert.ok(lines.some((l) => l.startsWith('Alice,arn:aws:iam::000000000000:user/staff/Alice,')));
});
