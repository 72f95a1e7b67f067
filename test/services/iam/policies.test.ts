// IAM policies through the real SDK: managed policies and versions, AWS's catalog, inline policies,
// attachments, boundaries, and the policy simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand, AttachUserPolicyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, CreateUserCommand,
  DeletePolicyCommand, DeletePolicyVersionCommand, DeleteRolePermissionsBoundaryCommand, DetachRolePolicyCommand,
  GetContextKeysForCustomPolicyCommand, GetContextKeysForPrincipalPolicyCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand,
  GetRolePolicyCommand, GetUserCommand, ListAttachedRolePoliciesCommand, ListEntitiesForPolicyCommand, ListPoliciesCommand,
  ListPolicyVersionsCommand, ListRolePoliciesCommand, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand, PutUserPolicyCommand,
  ListPoliciesGrantingServiceAccessCommand, SetDefaultPolicyVersionCommand, SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand, type EvaluationResult,
} from '@aws-sdk/client-iam';
import { useDrydock } from '../../helpers.js';
import { allow, iamClient, rejectsWith, trustFor } from './helpers.js';

const h = useDrydock();

const ACCOUNT = '000000000000';

test('CreatePolicy answers AWS fields and GetPolicy counts attachments', async () => {
  const iam = iamClient(h.config());
  const made = await iam.send(new CreatePolicyCommand({ PolicyName: 'reader', PolicyDocument: allow('s3:GetObject'), Description: 'reads' }));
  assert.equal(made.Policy?.Arn, `arn:aws:iam::${ACCOUNT}:policy/reader`);
  assert.equal(made.Policy?.DefaultVersionId, 'v1');
  assert.equal(made.Policy?.AttachmentCount, 0);
  assert.equal(made.Policy?.IsAttachable, true);
  assert.match(made.Policy?.PolicyId ?? '', /^ANPA/);
  await iam.send(new CreateRoleCommand({ RoleName: 'r1', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com') }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'r1', PolicyArn: made.Policy?.Arn }));
  const got = await iam.send(new GetPolicyCommand({ PolicyArn: made.Policy?.Arn }));
  assert.equal(got.Policy?.AttachmentCount, 1);
  assert.equal(got.Policy?.Description, 'reads');
  const ents = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: made.Policy?.Arn }));
  assert.deepEqual(ents.PolicyRoles?.map((r) => r.RoleName), ['r1']);
  await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: made.Policy?.Arn })), 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
  await rejectsWith(iam.send(new CreatePolicyCommand({ PolicyName: 'reader', PolicyDocument: allow('s3:GetObject') })), 'EntityAlreadyExists', 409,
    'A policy called reader already exists. Duplicate names are not allowed.');
});

test('malformed documents answer MalformedPolicyDocument with IAM wording', async () => {
  const iam = iamClient(h.config());
  const noVendor = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'GetObject', Resource: '*' }] });
  await rejectsWith(iam.send(new CreatePolicyCommand({ PolicyName: 'm1', PolicyDocument: noVendor })), 'MalformedPolicyDocument', 400,
    'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  const badVersion = JSON.stringify({ Version: '2020-01-01', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  await rejectsWith(iam.send(new CreatePolicyCommand({ PolicyName: 'm2', PolicyDocument: badVersion })), 'MalformedPolicyDocument', 400,
    'Policy document must be version 2012-10-17 or greater.');
  await rejectsWith(iam.send(new CreatePolicyCommand({ PolicyName: 'm3', PolicyDocument: '[' })), 'MalformedPolicyDocument', 400, 'This policy contains invalid Json');
  const withPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] });
  await iam.send(new CreateRoleCommand({ RoleName: 'inl', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com') }));
  await rejectsWith(iam.send(new PutRolePolicyCommand({ RoleName: 'inl', PolicyName: 'p', PolicyDocument: withPrincipal })), 'MalformedPolicyDocument', 400,
    'Policy document should not specify a principal.');
});

test('size limits: 6144 for managed policies, 2048 summed over a user\'s inline policies', async () => {
  const iam = iamClient(h.config());
  const big = allow(Array.from({ length: 400 }, (_, i) => `s3:GetObjectNumber${i}`));
  await rejectsWith(iam.send(new CreatePolicyCommand({ PolicyName: 'huge', PolicyDocument: big })), 'LimitExceeded', 409, 'Cannot exceed quota for PolicySize: 6144');
  await iam.send(new CreateUserCommand({ UserName: 'sized' }));
  const half = allow(Array.from({ length: 100 }, (_, i) => `s3:Get${i}`));
  await iam.send(new PutUserPolicyCommand({ UserName: 'sized', PolicyName: 'a', PolicyDocument: half }));
  await rejectsWith(iam.send(new PutUserPolicyCommand({ UserName: 'sized', PolicyName: 'b', PolicyDocument: half })), 'LimitExceeded', 409,
    'Maximum policy size of 2048 bytes exceeded for user sized');
});

test('versions: up to five, one default; the default cannot be deleted', async () => {
  const iam = iamClient(h.config());
  const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'versioned', PolicyDocument: allow('s3:GetObject') }))).Policy?.Arn;
  for (let i = 2; i <= 5; i++) {
    const v = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow(`s3:Get${i}`), SetAsDefault: i === 3 }));
    assert.equal(v.PolicyVersion?.VersionId, `v${i}`);
  }
  await rejectsWith(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:Get6') })), 'LimitExceeded', 409,
    'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
  assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId, 'v3');
  await rejectsWith(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })), 'DeleteConflict', 409, 'Cannot delete the default version of a policy.');
  await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
  await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
  const list = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
  assert.deepEqual(list.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', true], ['v4', false], ['v2', false], ['v1', false]]);
  const v5 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
  assert.equal(decodeURIComponent(v5.PolicyVersion?.Document ?? ''), allow('s3:Get5'));
  await rejectsWith(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })), 'NoSuchEntity', 404);
  await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflict', 409, /more than one version/);
});

test('an AWS managed policy attaches by ARN and GetPolicy describes it', async () => {
  const iam = iamClient(h.config());
  const arn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
  await iam.send(new CreateRoleCommand({ RoleName: 'auditor', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com') }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'auditor', PolicyArn: arn }));
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'auditor' }));
  assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'ReadOnlyAccess', PolicyArn: arn }]);
  const p = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
  assert.equal(p.Policy?.PolicyName, 'ReadOnlyAccess');
  assert.equal(p.Policy?.Path, '/');
  assert.equal(p.Policy?.AttachmentCount, 1);
  assert.match(p.Policy?.DefaultVersionId ?? '', /^v\d+$/);
  const doc = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: p.Policy?.DefaultVersionId }));
  assert.match(decodeURIComponent(doc.PolicyVersion?.Document ?? ''), /"Effect":"Allow"/);
  const local = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }));
  assert.deepEqual(local.Policies?.map((x) => x.Arn), [arn]);
  const page = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 5, PathPrefix: '/job-function/' }));
  assert.equal(page.Policies?.length, 5);
  assert.equal(page.IsTruncated, true);
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'auditor', PolicyArn: arn }));
  await rejectsWith(iam.send(new DetachRolePolicyCommand({ RoleName: 'auditor', PolicyArn: arn })), 'NoSuchEntity', 404, `Policy ${arn} was not found.`);
});

test('attach: invalid ARNs, unknown policies and the limit of 10 per entity', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateUserCommand({ UserName: 'collector' }));
  await rejectsWith(iam.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: 'reader' })), 'ValidationError', 400, 'Invalid ARN:  Could not be parsed!');
  const missing = `arn:aws:iam::${ACCOUNT}:policy/nope`;
  await rejectsWith(iam.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: missing })), 'NoSuchEntity', 404,
    `Policy ${missing} does not exist or is not attachable.`);
  const names = ['AmazonS3ReadOnlyAccess', 'AmazonEC2ReadOnlyAccess', 'AmazonSQSReadOnlyAccess', 'AmazonSNSReadOnlyAccess', 'AmazonDynamoDBReadOnlyAccess',
    'AWSLambda_ReadOnlyAccess', 'CloudWatchReadOnlyAccess', 'AmazonRDSReadOnlyAccess', 'AmazonVPCReadOnlyAccess', 'IAMReadOnlyAccess', 'AmazonKinesisReadOnlyAccess'];
  for (const n of names.slice(0, 10)) await iam.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: `arn:aws:iam::aws:policy/${n}` }));
  await rejectsWith(iam.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: `arn:aws:iam::aws:policy/${names[10]}` })),
    'LimitExceeded', 409, 'Cannot exceed quota for PoliciesPerUser: 10');
});

test('inline policies: Get answers the document URL-encoded; unknown names are NoSuchEntity', async () => {
  const iam = iamClient(h.config());
  await iam.send(new CreateRoleCommand({ RoleName: 'holder', AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com') }));
  const doc = allow('apigateway:PUT', 'arn:aws:apigateway:us-east-1::/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fabc');
  await iam.send(new PutRolePolicyCommand({ RoleName: 'holder', PolicyName: 'tagger', PolicyDocument: doc }));
  const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'holder', PolicyName: 'tagger' }));
  assert.equal(got.RoleName, 'holder');
  assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), doc);
  assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'holder' }))).PolicyNames, ['tagger']);
  await rejectsWith(iam.send(new GetRolePolicyCommand({ RoleName: 'holder', PolicyName: 'other' })), 'NoSuchEntity', 404,
    'The role policy with name other cannot be found.');
});

test('permissions boundaries at creation and later', async () => {
  const iam = iamClient(h.config());
  const boundary = (await iam.send(new CreatePolicyCommand({ PolicyName: 'DevBoundary', PolicyDocument: allow(['s3:*', 'logs:*']) }))).Policy?.Arn;
  await iam.send(new CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: boundary }));
  const u = await iam.send(new GetUserCommand({ UserName: 'bounded' }));
  assert.deepEqual(u.User?.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary });
  await iam.send(new CreateRoleCommand({ RoleName: 'boundedRole', AssumeRolePolicyDocument: trustFor('lambda.amazonaws.com') }));
  await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'boundedRole', PermissionsBoundary: boundary }));
  assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'boundedRole' }))).Role?.PermissionsBoundary?.PermissionsBoundaryArn, boundary);
  assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: boundary }))).Policy?.PermissionsBoundaryUsageCount, 2);
  await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'boundedRole' }));
  assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'boundedRole' }))).Role?.PermissionsBoundary, undefined);
  await rejectsWith(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'boundedRole', PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/none` })),
    'NoSuchEntity', 404, `Scope ARN: arn:aws:iam::${ACCOUNT}:policy/none does not exist or is not attachable.`);
});

test('SimulatePrincipalPolicy for a user: allowed with the matched statement\'s position, implicitDeny otherwise', async () => {
  const iam = iamClient(h.config());
  // The document as Python's json.dumps writes it, as in AWS's recorded answer (columns 41 to 113).
  const doc = '{"Version": "2012-10-17", "Statement": {"Sid": "", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}}';
  const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'put-objects', PolicyDocument: doc }))).Policy?.Arn;
  const user = (await iam.send(new CreateUserCommand({ UserName: 'sim-user' }))).User;
  await iam.send(new AttachUserPolicyCommand({ UserName: 'sim-user', PolicyArn: arn }));
  const r = await iam.send(new SimulatePrincipalPolicyCommand({
    PolicySourceArn: user?.Arn, ActionNames: ['s3:PutObject', 's3:GetObjectVersion'], ResourceArns: ['arn:aws:s3:::bucket'],
  }));
  const [put, get] = r.EvaluationResults ?? [];
  assert.equal(put?.EvalDecision, 'allowed');
  assert.equal(put?.EvalResourceName, 'arn:aws:s3:::bucket');
  const statement = { SourcePolicyId: 'put-objects', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 41 }, EndPosition: { Line: 1, Column: 113 } };
  assert.deepEqual(put?.MatchedStatements, [statement]);
  assert.deepEqual(put?.MissingContextValues, []);
  assert.deepEqual(put?.OrganizationsDecisionDetail, { AllowedByOrganizations: true });
  assert.deepEqual(put?.ResourceSpecificResults, [{
    EvalResourceName: 'arn:aws:s3:::bucket', EvalResourceDecision: 'allowed', MatchedStatements: [statement], MissingContextValues: [],
  }]);
  assert.equal(get?.EvalDecision, 'implicitDeny');
  assert.deepEqual(get?.MatchedStatements, []);
  assert.equal(r.IsTruncated, false);
});

test('a permissions boundary caps a role: allowed inside it, implicitDeny outside, explicitDeny from a deny', async () => {
  const iam = iamClient(h.config());
  const boundary = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: ['s3:*', 'logs:*'], Resource: '*' },
    { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
  ] });
  const boundaryArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'LambdaBoundary', PolicyDocument: boundary }))).Policy?.Arn;
  const role = (await iam.send(new CreateRoleCommand({ RoleName: 'capped', AssumeRolePolicyDocument: trustFor('lambda.amazonaws.com') }))).Role;
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'capped', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'capped', PermissionsBoundary: boundaryArn }));
  const r = await iam.send(new SimulatePrincipalPolicyCommand({
    PolicySourceArn: role?.Arn, ActionNames: ['s3:GetObject', 'ec2:RunInstances', 's3:DeleteBucket'],
  }));
  const byAction: Record<string, EvaluationResult> = Object.fromEntries((r.EvaluationResults ?? []).map((e) => [e.EvalActionName, e]));
  assert.equal(byAction['s3:GetObject']?.EvalDecision, 'allowed');
  assert.equal(byAction['s3:GetObject']?.EvalResourceName, '*');
  assert.deepEqual(byAction['s3:GetObject']?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
  assert.equal(byAction['ec2:RunInstances']?.EvalDecision, 'implicitDeny');
  assert.deepEqual(byAction['ec2:RunInstances']?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
  assert.equal(byAction['s3:DeleteBucket']?.EvalDecision, 'explicitDeny');
  assert.deepEqual(byAction['s3:DeleteBucket']?.MatchedStatements?.map((s) => s.SourcePolicyId), ['LambdaBoundary']);

  // The same role simulated with a boundary given in the request instead.
  const narrower = await iam.send(new SimulatePrincipalPolicyCommand({
    PolicySourceArn: role?.Arn, ActionNames: ['s3:GetObject'], PermissionsBoundaryPolicyInputList: [allow('logs:*')],
  }));
  assert.equal(narrower.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
});

test('SimulateCustomPolicy with a date context entry, as in the AWS CLI example', async () => {
  const iam = iamClient(h.config());
  const doc = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
  const after = await iam.send(new SimulateCustomPolicyCommand({
    PolicyInputList: [doc], ActionNames: ['dynamodb:CreateBackup'],
    ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2019-04-25T11:00:00Z'], ContextKeyType: 'date' }],
  }));
  const e = after.EvaluationResults?.[0];
  assert.equal(e?.EvalDecision, 'allowed');
  assert.deepEqual(e?.MatchedStatements, [{
    SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 },
  }]);
  const before = await iam.send(new SimulateCustomPolicyCommand({
    PolicyInputList: [doc], ActionNames: ['dynamodb:CreateBackup'],
    ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2018-04-25T11:00:00Z'], ContextKeyType: 'date' }],
  }));
  assert.equal(before.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
});

test('SimulateCustomPolicy: explicit deny, missing context values, resource policies across accounts, pagination', async () => {
  const iam = iamClient(h.config());
  const denyDelete = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Sid: 'NoDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
  ] }, null, 2);
  const r = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [denyDelete], ActionNames: ['s3:DeleteObject', 's3:GetObject'], MaxItems: 1 }));
  assert.equal(r.EvaluationResults?.[0]?.EvalDecision, 'explicitDeny');
  assert.deepEqual(r.EvaluationResults?.[0]?.MatchedStatements, [{
    SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 9, Column: 6 }, EndPosition: { Line: 14, Column: 6 },
  }]);
  assert.equal(r.IsTruncated, true);
  const next = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [denyDelete], ActionNames: ['s3:DeleteObject', 's3:GetObject'], Marker: r.Marker }));
  assert.deepEqual(next.EvaluationResults?.map((e) => [e.EvalActionName, e.EvalDecision]), [['s3:GetObject', 'allowed']]);

  const fromOffice = JSON.stringify({ Version: '2012-10-17', Statement: [{
    Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  }] });
  const missing = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [fromOffice], ActionNames: ['ec2:StopInstances'] }));
  assert.equal(missing.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
  assert.deepEqual(missing.EvaluationResults?.[0]?.MissingContextValues, ['aws:SourceIp']);
  const inside = await iam.send(new SimulateCustomPolicyCommand({
    PolicyInputList: [fromOffice], ActionNames: ['ec2:StopInstances'],
    ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' }],
  }));
  assert.equal(inside.EvaluationResults?.[0]?.EvalDecision, 'allowed');

  // Cross-account: the bucket policy of account 111122223333 must name the caller too.
  const bucketPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{
    Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/alice' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*',
  }] });
  const cross = (caller: string) => iam.send(new SimulateCustomPolicyCommand({
    PolicyInputList: [allow('s3:GetObject')], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/key'],
    ResourcePolicy: bucketPolicy, ResourceOwner: 'arn:aws:iam::111122223333:root', CallerArn: caller,
  }));
  assert.equal((await cross('arn:aws:iam::000000000000:user/alice')).EvaluationResults?.[0]?.EvalDecision, 'allowed');
  assert.equal((await cross('arn:aws:iam::000000000000:user/bob')).EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
});

test('GetContextKeysFor*Policy list the keys conditions read', async () => {
  const iam = iamClient(h.config());
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{
    Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::home/${aws:username}',
    Condition: { StringLike: { 's3:prefix': 'home/*' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  }] });
  const custom = await iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [doc] }));
  assert.deepEqual([...(custom.ContextKeyNames ?? [])].sort(), ['aws:MultiFactorAuthPresent', 'aws:username', 's3:prefix']);
  const user = (await iam.send(new CreateUserCommand({ UserName: 'keyed' }))).User;
  await iam.send(new PutUserPolicyCommand({ UserName: 'keyed', PolicyName: 'home', PolicyDocument: doc }));
  const principal = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: user?.Arn }));
  assert.deepEqual([...(principal.ContextKeyNames ?? [])].sort(), ['aws:MultiFactorAuthPresent', 'aws:username', 's3:prefix']);
  await rejectsWith(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::000000000000:user/nobody', ActionNames: ['s3:GetObject'] })),
    'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
});

test('ListPoliciesGrantingServiceAccess names the inline and managed policies that grant a service', async () => {
  const iam = iamClient(h.config());
  const user = (await iam.send(new CreateUserCommand({ UserName: 'granted' }))).User;
  await iam.send(new PutUserPolicyCommand({ UserName: 'granted', PolicyName: 'sqs-only', PolicyDocument: allow('sqs:SendMessage') }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'granted', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
  const r = await iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: user?.Arn, ServiceNamespaces: ['s3', 'sqs', 'ec2'] }));
  assert.deepEqual(r.PoliciesGrantingServiceAccess?.map((g) => [g.ServiceNamespace, g.Policies?.map((p) => [p.PolicyName, p.PolicyType])]), [
    ['s3', [['AmazonS3ReadOnlyAccess', 'MANAGED']]],
    ['sqs', [['sqs-only', 'INLINE']]],
    ['ec2', []],
  ]);
});
