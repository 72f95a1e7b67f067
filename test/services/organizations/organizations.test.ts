import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AcceptHandshakeCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  InviteAccountToOrganizationCommand,
  LeaveOrganizationCommand,
  ListAccountsCommand,
  ListDelegatedAdministratorsCommand,
  ListHandshakesForAccountCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  OrganizationsClient,
  RegisterDelegatedAdministratorCommand,
  RemoveAccountFromOrganizationCommand,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { FakeIam, installFakeIam } from '../sts/fake-iam.js';

const h = useDrydock();
const iam = new FakeIam();
const MGMT = '000000000000';

let ready: Promise<unknown> | undefined;
const setup = () => (ready ??= installFakeIam(h.dd, iam));
const orgs = (account = MGMT) => new OrganizationsClient(sdkConfig(h.dd, { credentials: { accessKeyId: account === MGMT ? 'test' : account, secretAccessKey: 'test' } }));

async function rejects(p: Promise<unknown>, name: string, reason?: string): Promise<void> {
  await assert.rejects(p, (e: Error & { Reason?: string }) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (reason !== undefined) assert.equal(e.Reason, reason);
    return true;
  });
}

async function newAccount(name: string): Promise<string> {
  const made = await orgs().send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
  const s = await orgs().send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: made.CreateAccountStatus!.Id! }));
  return s.CreateAccountStatus!.AccountId!;
}

test('CreateOrganization makes the caller the management account with SCPs enabled on the root', async () => {
  await setup();
  await rejects(orgs().send(new DescribeOrganizationCommand({})), 'AWSOrganizationsNotInUseException');
  const { Organization: o } = await orgs().send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  assert.match(o!.Id!, /^o-[a-z0-9]{10}$/);
  assert.equal(o!.MasterAccountId, MGMT);
  assert.equal(o!.Arn, `arn:aws:organizations::${MGMT}:organization/${o!.Id}`);
  assert.equal(o!.FeatureSet, 'ALL');
  await rejects(orgs().send(new CreateOrganizationCommand({})), 'AlreadyInOrganizationException');
  const { Roots } = await orgs().send(new ListRootsCommand({}));
  assert.match(Roots![0]!.Id!, /^r-[a-z0-9]{4}$/);
  assert.deepEqual(Roots![0]!.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
  const { Policies } = await orgs().send(new ListPoliciesForTargetCommand({ TargetId: Roots![0]!.Id!, Filter: 'SERVICE_CONTROL_POLICY' }));
  assert.deepEqual(Policies!.map((p) => [p.Id, p.Name, p.AwsManaged]), [['p-FullAWSAccess', 'FullAWSAccess', true]]);
  assert.equal(Policies![0]!.Arn, 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess');
});

test('CreateAccount answers IN_PROGRESS, then the status says SUCCEEDED, and the access role trusts management', async () => {
  await setup();
  const made = await orgs().send(new CreateAccountCommand({ AccountName: 'workload', Email: 'workload@example.com' }));
  assert.equal(made.CreateAccountStatus?.State, 'IN_PROGRESS');
  assert.match(made.CreateAccountStatus!.Id!, /^car-[a-z0-9]{32}$/);
  const { CreateAccountStatus: s } = await orgs().send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: made.CreateAccountStatus!.Id! }));
  assert.equal(s?.State, 'SUCCEEDED');
  assert.match(s!.AccountId!, /^\d{12}$/);
  const { Account } = await orgs().send(new DescribeAccountCommand({ AccountId: s!.AccountId! }));
  assert.deepEqual([Account?.Name, Account?.Email, Account?.JoinedMethod, Account?.State], ['workload', 'workload@example.com', 'CREATED', 'ACTIVE']);
  assert.ok(Account?.JoinedTimestamp instanceof Date);

  const dup = await orgs().send(new CreateAccountCommand({ AccountName: 'again', Email: 'workload@example.com' }));
  const failed = await orgs().send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: dup.CreateAccountStatus!.Id! }));
  assert.deepEqual([failed.CreateAccountStatus?.State, failed.CreateAccountStatus?.FailureReason], ['FAILED', 'EMAIL_ALREADY_EXISTS']);

  // The management account assumes OrganizationAccountAccessRole in the new account.
  const role = iam.role(s!.AccountId!, 'OrganizationAccountAccessRole');
  assert.ok(role, 'the access role was created through the IAM port');
  const sts = new STSClient(sdkConfig(h.dd));
  const r = await sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'admin' }));
  assert.equal(r.AssumedRoleUser?.Arn, `arn:aws:sts::${s!.AccountId}:assumed-role/OrganizationAccountAccessRole/admin`);
});

test('ListAccounts pages with MaxResults and NextToken', async () => {
  await setup();
  await newAccount('page-a');
  await newAccount('page-b');
  const seen: string[] = [];
  let NextToken: string | undefined;
  do {
    const r = await orgs().send(new ListAccountsCommand({ MaxResults: 1, NextToken }));
    assert.equal(r.Accounts!.length, 1);
    seen.push(r.Accounts![0]!.Id!);
    NextToken = r.NextToken;
  } while (NextToken !== undefined);
  assert.ok(seen.includes(MGMT) && seen.length >= 3);
  assert.equal(new Set(seen).size, seen.length);
  await rejects(orgs().send(new ListAccountsCommand({ NextToken: 'garbage' })), 'InvalidInputException', 'INVALID_NEXT_TOKEN');
});

test('member accounts may describe the organization and leave it, but not manage it', async () => {
  await setup();
  const member = await newAccount('leaver');
  const o = await orgs(member).send(new DescribeOrganizationCommand({}));
  assert.equal(o.Organization?.MasterAccountId, MGMT);
  await rejects(orgs(member).send(new ListAccountsCommand({})), 'AccessDeniedException');
  await rejects(orgs().send(new LeaveOrganizationCommand({})), 'MasterCannotLeaveOrganizationException');
  await orgs(member).send(new LeaveOrganizationCommand({}));
  await rejects(orgs(member).send(new DescribeOrganizationCommand({})), 'AWSOrganizationsNotInUseException');
  await rejects(orgs().send(new DescribeAccountCommand({ AccountId: member })), 'AccountNotFoundException');
});

test('an invited account lists the handshake, accepts it and joins', async () => {
  await setup();
  const guest = '333333333333';
  const inv = await orgs().send(new InviteAccountToOrganizationCommand({ Target: { Id: guest, Type: 'ACCOUNT' }, Notes: 'welcome' }));
  assert.equal(inv.Handshake?.State, 'OPEN');
  assert.equal(inv.Handshake?.Action, 'INVITE');
  await rejects(orgs().send(new InviteAccountToOrganizationCommand({ Target: { Id: guest, Type: 'ACCOUNT' } })), 'DuplicateHandshakeException');
  const listed = await orgs(guest).send(new ListHandshakesForAccountCommand({}));
  assert.deepEqual(listed.Handshakes?.map((x) => x.Id), [inv.Handshake!.Id]);
  const acc = await orgs(guest).send(new AcceptHandshakeCommand({ HandshakeId: inv.Handshake!.Id! }));
  assert.equal(acc.Handshake?.State, 'ACCEPTED');
  const { Account } = await orgs().send(new DescribeAccountCommand({ AccountId: guest }));
  assert.equal(Account?.JoinedMethod, 'INVITED');
  await rejects(orgs(guest).send(new AcceptHandshakeCommand({ HandshakeId: inv.Handshake!.Id! })), 'InvalidHandshakeTransitionException');
});

test('delegated administrators can read the organization and cannot be removed while registered', async () => {
  await setup();
  const admin = await newAccount('security-tooling');
  await orgs().send(new RegisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'guardduty.amazonaws.com' }));
  await rejects(orgs().send(new RegisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'guardduty.amazonaws.com' })),
    'AccountAlreadyRegisteredException');
  await rejects(orgs().send(new RegisterDelegatedAdministratorCommand({ AccountId: MGMT, ServicePrincipal: 'guardduty.amazonaws.com' })),
    'ConstraintViolationException', 'CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR');
  const list = await orgs().send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'guardduty.amazonaws.com' }));
  assert.deepEqual(list.DelegatedAdministrators?.map((d) => d.Id), [admin]);
  assert.ok((await orgs(admin).send(new ListAccountsCommand({}))).Accounts!.length > 1);
  await rejects(orgs().send(new RemoveAccountFromOrganizationCommand({ AccountId: admin })),
    'ConstraintViolationException', 'CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG');
});
