import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DeleteOrganizationalUnitCommand,
  DeletePolicyCommand,
  DescribeCreateAccountStatusCommand,
  DescribeEffectivePolicyCommand,
  DescribeOrganizationalUnitCommand,
  DetachPolicyCommand,
  DisablePolicyTypeCommand,
  EnablePolicyTypeCommand,
  ListChildrenCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { FakeIam, installFakeIam } from '../sts/fake-iam.js';

const h = useDrydock();
const iam = new FakeIam();
const orgs = (account = 'test') => new OrganizationsClient(sdkConfig(h.dd, { credentials: { accessKeyId: account, secretAccessKey: 'test' } }));
const DENY_S3 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoS3', Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
const SCP = 'SERVICE_CONTROL_POLICY';

interface World { orgId: string; rootId: string; prod: string; account: string }
let world: Promise<World> | undefined;

// One organization for the file: root → Prod → (account), made through the SDK.
function setup(): Promise<World> {
  world ??= (async () => {
    await installFakeIam(h.dd, iam);
    const { Organization } = await orgs().send(new CreateOrganizationCommand({}));
    const rootId = (await orgs().send(new ListRootsCommand({}))).Roots![0]!.Id!;
    const prod = (await orgs().send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Prod' }))).OrganizationalUnit!.Id!;
    const made = await orgs().send(new CreateAccountCommand({ AccountName: 'prod-app', Email: 'prod-app@example.com' }));
    const s = await orgs().send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: made.CreateAccountStatus!.Id! }));
    const account = s.CreateAccountStatus!.AccountId!;
    await orgs().send(new MoveAccountCommand({ AccountId: account, SourceParentId: rootId, DestinationParentId: prod }));
    return { orgId: Organization!.Id!, rootId, prod, account };
  })();
  return world;
}

async function rejects(p: Promise<unknown>, name: string, reason?: string): Promise<void> {
  await assert.rejects(p, (e: Error & { Reason?: string }) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (reason !== undefined) assert.equal(e.Reason, reason);
    return true;
  });
}

test('OUs nest five deep, names are unique per parent, and the tree reads back', async () => {
  const w = await setup();
  const ou = await orgs().send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: w.prod }));
  assert.match(w.prod, new RegExp(`^ou-${w.rootId.slice(2)}-[a-z0-9]{8}$`));
  assert.equal(ou.OrganizationalUnit?.Path, `${w.orgId}/${w.rootId}/${w.prod}/`);
  await rejects(orgs().send(new CreateOrganizationalUnitCommand({ ParentId: w.rootId, Name: 'Prod' })), 'DuplicateOrganizationalUnitException');
  await rejects(orgs().send(new CreateOrganizationalUnitCommand({ ParentId: 'ou-none-12345678', Name: 'x' })), 'ParentNotFoundException');
  let parent = w.rootId;
  for (let depth = 1; depth <= 5; depth++) {
    parent = (await orgs().send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: `L${depth}` }))).OrganizationalUnit!.Id!;
  }
  await rejects(orgs().send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: 'L6' })), 'ConstraintViolationException', 'OU_DEPTH_LIMIT_EXCEEDED');
  const children = await orgs().send(new ListChildrenCommand({ ParentId: w.prod, ChildType: 'ACCOUNT' }));
  assert.deepEqual(children.Children, [{ Id: w.account, Type: 'ACCOUNT' }]);
  const parents = await orgs().send(new ListParentsCommand({ ChildId: w.account }));
  assert.deepEqual(parents.Parents, [{ Id: w.prod, Type: 'ORGANIZATIONAL_UNIT' }]);
  await rejects(orgs().send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: w.prod })), 'OrganizationalUnitNotEmptyException');
  await rejects(orgs().send(new MoveAccountCommand({ AccountId: w.account, SourceParentId: w.prod, DestinationParentId: w.prod })),
    'DuplicateAccountException');
});

test('SCPs are validated: malformed, too large, duplicate name', async () => {
  await setup();
  const create = (Name: string, Content: string) =>
    orgs().send(new CreatePolicyCommand({ Name, Description: 'd', Type: SCP, Content }));
  await rejects(create('bad', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}'), 'MalformedPolicyDocumentException');
  await rejects(create('bad', 'not json'), 'MalformedPolicyDocumentException');
  const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: Array.from({ length: 400 }, (_, i) => `s3:Action${i}`), Resource: '*' }] });
  assert.ok(big.length > 5120);
  await rejects(create('big', big), 'ConstraintViolationException', 'POLICY_CONTENT_LIMIT_EXCEEDED');
  await create('unique-name', DENY_S3);
  await rejects(create('unique-name', DENY_S3), 'DuplicatePolicyException');
  await rejects(create('FullAWSAccess', DENY_S3), 'DuplicatePolicyException');
});

test('SCP attachments: inheritance levels in the directory, duplicates, five per target, one at least', async () => {
  const w = await setup();
  const p = await orgs().send(new CreatePolicyCommand({ Name: 'NoS3', Description: 'no s3', Type: SCP, Content: DENY_S3 }));
  const id = p.Policy!.PolicySummary!.Id!;
  assert.match(id, /^p-[a-z0-9]{8}$/);
  assert.equal(p.Policy!.PolicySummary!.Arn, `arn:aws:organizations::000000000000:policy/${w.orgId}/service_control_policy/${id}`);
  await orgs().send(new AttachPolicyCommand({ PolicyId: id, TargetId: w.prod }));
  await rejects(orgs().send(new AttachPolicyCommand({ PolicyId: id, TargetId: w.prod })), 'DuplicatePolicyAttachmentException');
  await rejects(orgs().send(new AttachPolicyCommand({ PolicyId: id, TargetId: '999999999999' })), 'TargetNotFoundException');

  const info = h.dd.app.ports.org!.accountInfo(w.account)!;
  assert.equal(info.orgId, w.orgId);
  assert.equal(info.managementAccount, '000000000000');
  assert.equal(info.orgPath, `${w.orgId}/${w.rootId}/${w.prod}/`);
  assert.deepEqual(info.scpLevels.map((l) => [l.level, l.policies.map((x) => x.name)]), [
    [w.rootId, ['FullAWSAccess']],
    [w.prod, ['FullAWSAccess', 'NoS3']],
    [w.account, ['FullAWSAccess']],
  ]);
  assert.equal(info.scpLevels[1]!.policies[1]!.document, DENY_S3);
  assert.deepEqual(info.rcpLevels, []);
  assert.equal(h.dd.app.ports.org!.accountInfo('123123123123'), undefined);

  const targets = await orgs().send(new ListTargetsForPolicyCommand({ PolicyId: id }));
  assert.deepEqual(targets.Targets?.map((t) => [t.TargetId, t.Type, t.Name]), [[w.prod, 'ORGANIZATIONAL_UNIT', 'Prod']]);
  await rejects(orgs().send(new DeletePolicyCommand({ PolicyId: id })), 'PolicyInUseException');

  for (let i = 0; i < 3; i++) {
    const extra = await orgs().send(new CreatePolicyCommand({ Name: `extra-${i}`, Description: '', Type: SCP, Content: DENY_S3 }));
    await orgs().send(new AttachPolicyCommand({ PolicyId: extra.Policy!.PolicySummary!.Id!, TargetId: w.prod }));
  }
  const sixth = await orgs().send(new CreatePolicyCommand({ Name: 'sixth', Description: '', Type: SCP, Content: DENY_S3 }));
  await rejects(orgs().send(new AttachPolicyCommand({ PolicyId: sixth.Policy!.PolicySummary!.Id!, TargetId: w.prod })),
    'ConstraintViolationException', 'MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
  await rejects(orgs().send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: w.account })),
    'ConstraintViolationException', 'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
  await orgs().send(new DetachPolicyCommand({ PolicyId: id, TargetId: w.prod }));
  await rejects(orgs().send(new DetachPolicyCommand({ PolicyId: id, TargetId: w.prod })), 'PolicyNotAttachedException');
  await orgs().send(new DeletePolicyCommand({ PolicyId: id }));
});

test('aws:PrincipalOrgID in a trust policy admits the organization accounts only', async () => {
  const w = await setup();
  iam.addRole('444444444444', 'org-readers', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': w.orgId } } }],
  });
  const sts = (key: string) => new STSClient(sdkConfig(h.dd, { credentials: { accessKeyId: key, secretAccessKey: 'test' } }));
  const input = { RoleArn: 'arn:aws:iam::444444444444:role/org-readers', RoleSessionName: 'reader' };
  // The management account is in the organization (a member account would do too, but the
  // gateway's own cross-account check of the caller's side is not part of this test).
  assert.ok((await sts('test').send(new AssumeRoleCommand(input))).Credentials);
  await assert.rejects(sts('555555555555').send(new AssumeRoleCommand(input)), { name: 'AccessDenied' });
});

test('policy types: enable, attach where enabled only, effective tag policy, disable detaches', async () => {
  const w = await setup();
  const tagPolicy = JSON.stringify({ tags: { CostCenter: { tag_key: { '@@assign': 'CostCenter' }, tag_value: { '@@assign': ['100', '200'] } } } });
  const tp = await orgs().send(new CreatePolicyCommand({ Name: 'cost', Description: '', Type: 'TAG_POLICY', Content: tagPolicy }));
  const tpId = tp.Policy!.PolicySummary!.Id!;
  await rejects(orgs().send(new AttachPolicyCommand({ PolicyId: tpId, TargetId: w.rootId })), 'PolicyTypeNotEnabledException');
  const enabled = await orgs().send(new EnablePolicyTypeCommand({ RootId: w.rootId, PolicyType: 'TAG_POLICY' }));
  assert.deepEqual(enabled.Root?.PolicyTypes?.map((t) => t.Type), [SCP, 'TAG_POLICY']);
  await rejects(orgs().send(new EnablePolicyTypeCommand({ RootId: w.rootId, PolicyType: 'TAG_POLICY' })), 'PolicyTypeAlreadyEnabledException');
  await orgs().send(new AttachPolicyCommand({ PolicyId: tpId, TargetId: w.rootId }));
  const append = JSON.stringify({ tags: { costcenter: { tag_value: { '@@append': ['300'] } } } });
  const child = await orgs().send(new CreatePolicyCommand({ Name: 'cost-prod', Description: '', Type: 'TAG_POLICY', Content: append }));
  await orgs().send(new AttachPolicyCommand({ PolicyId: child.Policy!.PolicySummary!.Id!, TargetId: w.prod }));
  const eff = await orgs().send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: w.account }));
  assert.deepEqual(JSON.parse(eff.EffectivePolicy!.PolicyContent!), { tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['100', '200', '300'] } } });

  await orgs().send(new EnablePolicyTypeCommand({ RootId: w.rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }));
  const rcps = h.dd.app.ports.org!.accountInfo(w.account)!.rcpLevels;
  assert.deepEqual(rcps.map((l) => l.policies.map((p) => p.id)), [['p-RCPFullAWSAccess'], ['p-RCPFullAWSAccess'], ['p-RCPFullAWSAccess']]);

  await orgs().send(new DisablePolicyTypeCommand({ RootId: w.rootId, PolicyType: SCP }));
  assert.deepEqual(h.dd.app.ports.org!.accountInfo(w.account)!.scpLevels, []);
  const none = await orgs().send(new ListPoliciesForTargetCommand({ TargetId: w.prod, Filter: SCP }));
  assert.deepEqual(none.Policies, []);
  await orgs().send(new EnablePolicyTypeCommand({ RootId: w.rootId, PolicyType: SCP }));
  const again = await orgs().send(new ListPoliciesForTargetCommand({ TargetId: w.prod, Filter: SCP }));
  assert.deepEqual(again.Policies?.map((p) => p.Id), ['p-FullAWSAccess']);
});
