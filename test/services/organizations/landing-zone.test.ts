import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccountCommand,
  DescribeCreateAccountStatusCommand,
  ListAccountsForParentCommand,
  MoveAccountCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { evaluate, parsePolicy, type AuthzRequest } from '../../../src/engines/iam-policy/index.js';
import { buildLandingZone } from '../../../src/services/organizations/landing-zone.js';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { FakeIam, installFakeIam } from '../sts/fake-iam.js';

const h = useDrydock();
const iam = new FakeIam();
const deps = () => ({ stores: h.dd.app.stores, clock: h.dd.clock, ports: h.dd.app.ports });

test('the landing zone builds once and a second run finds everything in place', async () => {
  await installFakeIam(h.dd, iam);
  const first = buildLandingZone(deps());
  assert.deepEqual(Object.keys(first.ous), ['Security', 'Sandbox', 'Dev', 'Prod']);
  assert.deepEqual(Object.keys(first.accounts), ['Security/log-archive', 'Security/audit']);
  assert.deepEqual(Object.keys(first.policies), ['DenyLeaveOrganization', 'ProtectSecurityServices', 'DenyUnapprovedRegions']);
  assert.ok(first.items.every((i) => i.status === 'created'), first.summary);
  assert.match(first.summary, /^landing zone: organization o-[a-z0-9]{10}, management account 000000000000/);
  assert.match(first.summary, /created\s+scp\s+DenyUnapprovedRegions/);
  assert.match(first.summary, /regions allowed on Prod: us-east-1, eu-west-2/);
  for (const id of Object.values(first.accounts)) assert.ok(iam.role(id, 'OrganizationAccountAccessRole'));

  const second = buildLandingZone(deps());
  assert.deepEqual([second.orgId, second.ous, second.accounts, second.policies], [first.orgId, first.ous, first.accounts, first.policies]);
  assert.ok(second.items.every((i) => i.status === 'existing'), second.summary);
  assert.equal(second.items.length, first.items.length);
  assert.match(second.summary, /0 created, 0 updated, \d+ already existed$/);

  // What it made is visible through the API.
  const orgs = new OrganizationsClient(sdkConfig(h.dd));
  const ous = await orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId: first.rootId }));
  assert.deepEqual(ous.OrganizationalUnits?.map((o) => o.Name).sort(), ['Dev', 'Prod', 'Sandbox', 'Security']);
  const security = await orgs.send(new ListAccountsForParentCommand({ ParentId: first.ous['Security']! }));
  assert.deepEqual(security.Accounts?.map((a) => a.Name).sort(), ['audit', 'log-archive']);
  const onProd = await orgs.send(new ListPoliciesForTargetCommand({ TargetId: first.ous['Prod']!, Filter: 'SERVICE_CONTROL_POLICY' }));
  assert.deepEqual(onProd.Policies?.map((p) => p.Name), ['FullAWSAccess', 'DenyUnapprovedRegions']);
});

test('a changed spec updates the guardrail in place', async () => {
  await installFakeIam(h.dd, iam);
  const r = buildLandingZone(deps(), { allowedRegions: ['us-east-1'] });
  assert.deepEqual(r.items.filter((i) => i.status !== 'existing').map((i) => [i.status, i.name]), [['updated', 'DenyUnapprovedRegions']]);
  buildLandingZone(deps());
});

test('the guardrails decide as the handbook says: regions on Prod, leaving, security services', async () => {
  await installFakeIam(h.dd, iam);
  const lz = buildLandingZone(deps());
  const orgs = new OrganizationsClient(sdkConfig(h.dd));
  const made = await orgs.send(new CreateAccountCommand({ AccountName: 'prod-app', Email: 'prod-app@example.com' }));
  const status = await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: made.CreateAccountStatus!.Id! }));
  const prod = status.CreateAccountStatus!.AccountId!;
  await orgs.send(new MoveAccountCommand({ AccountId: prod, SourceParentId: lz.rootId, DestinationParentId: lz.ous['Prod']! }));

  // An administrator session in the account, decided by the engine with the levels the directory reports.
  const decide = (account: string, action: string, region: string) =>
    evaluate({
      principal: { arn: `arn:aws:sts::${account}:assumed-role/Admin/s`, account, type: 'assumed-role', userId: 'AROAEXAMPLE:s' },
      action,
      resources: ['*'],
      context: { 'aws:RequestedRegion': region },
      identityPolicies: [parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { kind: 'identity' })],
      scpLevels: h.dd.app.ports.org!.accountInfo(account)!.scpLevels.map((l) => ({
        level: l.level,
        policies: l.policies.map((p) => parsePolicy(p.document, { kind: 'scp', id: p.id, name: p.name })),
      })),
      now: h.dd.clock.now(),
    } satisfies AuthzRequest);
  const denied = decide(prod, 'sqs:CreateQueue', 'eu-central-1');
  assert.equal(denied.decision, 'ExplicitDeny');
  assert.deepEqual([denied.reason[0]?.policyId, denied.reason[0]?.level], [lz.policies['DenyUnapprovedRegions'], lz.ous['Prod']]);
  assert.equal(denied.message, 'with an explicit deny in a service control policy');
  assert.equal(decide(prod, 'sqs:CreateQueue', 'us-east-1').decision, 'Allow');
  assert.equal(decide(prod, 'iam:CreateRole', 'eu-central-1').decision, 'Allow');
  assert.equal(decide(prod, 'organizations:LeaveOrganization', 'us-east-1').decision, 'ExplicitDeny');
  assert.equal(decide(prod, 'cloudtrail:StopLogging', 'us-east-1').decision, 'ExplicitDeny');
  // Accounts outside Prod are not region-restricted, but keep the other guardrails.
  const audit = lz.accounts['Security/audit']!;
  assert.equal(decide(audit, 'sqs:CreateQueue', 'eu-central-1').decision, 'Allow');
  assert.equal(decide(audit, 'guardduty:DeleteDetector', 'us-east-1').decision, 'ExplicitDeny');
});
