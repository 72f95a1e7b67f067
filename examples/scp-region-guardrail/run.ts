/**
 * Handbook ch. 2, part 1: an SCP on the Prod OU denies every region but us-east-1 and
 * eu-west-2 (global services exempt). An AdministratorAccess session in a Prod account is
 * denied a regional action in eu-central-1 — the SCP named in Drydock's explanation — and
 * allowed it in us-east-1; the management account's root is unaffected; the IAM policy
 * simulator agrees with live enforcement.
 *
 *   node --import tsx examples/scp-region-guardrail/run.ts
 */
import {
  ListAttachedRolePoliciesCommand, ListRolesCommand,
  SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand, type ContextEntry, type EvaluationResult,
} from '@aws-sdk/client-iam';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import {
  AttachPolicyCommand, CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, CreatePolicyCommand,
  DescribeCreateAccountStatusCommand, DescribePolicyCommand, EnablePolicyTypeCommand, ListPoliciesForTargetCommand, ListRootsCommand,
  MoveAccountCommand, type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ADMINISTRATOR_ACCESS_DOCUMENT, attempt, policy, runIfMain, Scenario, withTarget, type ScenarioResult, type Target } from '../_lib/harness.js';

export const ALLOWED_REGIONS = ['us-east-1', 'eu-west-2'];
export const DENIED_REGION = 'eu-central-1';

/** Global services (single endpoint in us-east-1) exempt from the guardrail, after AWS's example SCP. */
export const GLOBAL_SERVICES = [
  'a4b:*', 'access-analyzer:*', 'account:*', 'acm:*', 'aws-marketplace-management:*', 'aws-marketplace:*', 'aws-portal:*',
  'billing:*', 'budgets:*', 'ce:*', 'chime:*', 'cloudfront:*', 'config:*', 'cur:*', 'directconnect:*',
  'ec2:DescribeRegions', 'ec2:DescribeTransitGateways', 'ec2:DescribeVpnGateways', 'fms:*', 'globalaccelerator:*', 'health:*',
  'iam:*', 'importexport:*', 'mobileanalytics:*', 'networkmanager:*', 'organizations:*', 'pricing:*', 'route53:*',
  'route53domains:*', 's3:GetAccountPublic*', 's3:ListAllMyBuckets', 's3:PutAccountPublic*', 'shield:*', 'sts:*', 'support:*',
  'trustedadvisor:*', 'waf-regional:*', 'waf:*', 'wafv2:*', 'wellarchitected:*',
];

export const REGION_GUARDRAIL = policy({
  Sid: 'DenyOutsideApprovedRegions',
  Effect: 'Deny',
  NotAction: GLOBAL_SERVICES,
  Resource: '*',
  Condition: { StringNotEquals: { 'aws:RequestedRegion': ALLOWED_REGIONS } },
});

const SCP = 'SERVICE_CONTROL_POLICY';
const ACCESS_ROLE = 'OrganizationAccountAccessRole';

async function newAccount(orgs: OrganizationsClient, name: string): Promise<string> {
  const made = await orgs.send(new CreateAccountCommand({ AccountName: name, Email: `${name}-${Date.now()}@example.com` }));
  for (let i = 0; i < 50; i++) {
    const { CreateAccountStatus: s } = await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: made.CreateAccountStatus!.Id! }));
    if (s?.State === 'SUCCEEDED' && s.AccountId) return s.AccountId;
    if (s?.State === 'FAILED') throw new Error(`CreateAccount ${name} failed: ${s.FailureReason}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`CreateAccount ${name} did not finish`);
}

function region(name: string): ContextEntry {
  return { ContextKeyName: 'aws:RequestedRegion', ContextKeyType: 'string', ContextKeyValues: [name] };
}

export async function run(target?: Target | string): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('scp-region-guardrail', t);
    const management = s.account('000000000000');
    const mgmtRoot = s.root(management);
    const orgs = s.orgs(mgmtRoot);

    s.section(`An organization, managed from account ${management}, with a Prod OU and its region guardrail`);
    const { Organization } = await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0]!;
    if (!rootId.PolicyTypes?.some((p) => p.Type === SCP && p.Status === 'ENABLED')) {
      await orgs.send(new EnablePolicyTypeCommand({ RootId: rootId.Id!, PolicyType: SCP }));
    }
    const prodOu = (await orgs.send(new CreateOrganizationalUnitCommand({ ParentId: rootId.Id!, Name: 'Prod' }))).OrganizationalUnit!.Id!;
    const prod = await newAccount(orgs, 'prod-workload');
    await orgs.send(new MoveAccountCommand({ AccountId: prod, SourceParentId: rootId.Id!, DestinationParentId: prodOu }));
    const made = await orgs.send(new CreatePolicyCommand({
      Name: 'ProdRegionGuardrail', Type: SCP, Content: REGION_GUARDRAIL,
      Description: `Deny everything outside ${ALLOWED_REGIONS.join(', ')}; global services exempt`,
    }));
    const scpId = made.Policy!.PolicySummary!.Id!;
    await orgs.send(new AttachPolicyCommand({ PolicyId: scpId, TargetId: prodOu }));
    s.note(`organization ${Organization!.Id}, root ${rootId.Id}, OU Prod ${prodOu}, account prod-workload ${prod}, SCP ProdRegionGuardrail ${scpId}`);
    Object.entries({ orgId: Organization!.Id!, management, prodOu, prodAccount: prod, scpId }).forEach(([k, v]) => s.fact(k, v));
    const onProd = await orgs.send(new ListPoliciesForTargetCommand({ TargetId: prodOu, Filter: SCP }));
    const names = (onProd.Policies ?? []).map((p) => p.Name).sort();
    s.check('the Prod OU carries FullAWSAccess and ProdRegionGuardrail', names.join(',') === 'FullAWSAccess,ProdRegionGuardrail', names.join(', '));

    s.section(`An administrator session in the Prod account (${ACCESS_ROLE}, assumed from the management account)`);
    const roleArn = `arn:aws:iam::${prod}:role/${ACCESS_ROLE}`;
    const admin = await s.assumeRole(mgmtRoot, { RoleArn: roleArn, RoleSessionName: 'prod-admin' });
    const who = await s.sts(admin).send(new GetCallerIdentityCommand({}));
    s.check('GetCallerIdentity: the session is in the Prod account', who.Account === prod, who.Arn);
    const attached = await attempt(s.iam(admin).send(new ListAttachedRolePoliciesCommand({ RoleName: ACCESS_ROLE })));
    s.check(`${ACCESS_ROLE} has AdministratorAccess attached`,
      attached.ok && (attached.value.AttachedPolicies ?? []).some((p) => p.PolicyName === 'AdministratorAccess'),
      attached.ok ? attached.value.AttachedPolicies?.map((p) => p.PolicyArn).join(', ') : `${attached.code}: ${attached.message}`);

    s.section(`The guardrail: ${DENIED_REGION} is not an approved region`);
    const sqsDenied = await attempt(s.sqs(admin, DENIED_REGION).send(new ListQueuesCommand({})));
    const denial = await s.denied(`sqs:ListQueues in ${DENIED_REGION} is DENIED, the SCP named in the explanation`, sqsDenied, {
      says: [`assumed-role/${ACCESS_ROLE}/prod-admin is not authorized to perform: sqs:ListQueues`, 'with an explicit deny in a service control policy'],
      explainSays: ['ExplicitDeny', `scp \`${scpId}\``, `at \`${prodOu}\``, 'DenyOutsideApprovedRegions'],
    });
    if (sqsDenied.requestId) s.fact('deniedRequestId', sqsDenied.requestId);
    s.fact('deniedExplanation', (denial.explanation ?? []).flatMap((e) => e.lines).join('\n'));
    const kmsDenied = await attempt(s.kms(admin, DENIED_REGION).send(new ListKeysCommand({})));
    await s.denied(`kms:ListKeys in ${DENIED_REGION} is DENIED too (AccessDeniedException, a JSON service)`, kmsDenied, {
      codes: ['AccessDeniedException'], says: ['with an explicit deny in a service control policy'], explainSays: [scpId],
    });
    const sqsAllowed = await attempt(s.sqs(admin, 'us-east-1').send(new ListQueuesCommand({})));
    s.allowed('sqs:ListQueues in us-east-1 is ALLOWED', sqsAllowed);
    const created = await attempt(s.sqs(admin, 'eu-west-2').send(new CreateQueueCommand({ QueueName: 'prod-orders' })));
    s.allowed('sqs:CreateQueue in eu-west-2 (the other approved region) is ALLOWED', created, (v) => v.QueueUrl);
    const global = await attempt(s.iam(admin).send(new ListRolesCommand({})));
    s.allowed('iam:ListRoles (a global service, exempt through NotAction) is ALLOWED', global);
    const memberRoot = await attempt(s.sqs(s.root(prod), DENIED_REGION).send(new ListQueuesCommand({})));
    await s.denied(`the Prod account's own root user is DENIED in ${DENIED_REGION} too (SCPs bind member-account roots)`, memberRoot, {
      says: [`arn:aws:iam::${prod}:root is not authorized`], explainSays: [scpId],
    });
    const mgmt = await attempt(s.sqs(mgmtRoot, DENIED_REGION).send(new ListQueuesCommand({})));
    s.allowed(`the management account's root is unaffected: sqs:ListQueues in ${DENIED_REGION} is ALLOWED`, mgmt);

    s.section('The IAM policy simulator agrees with live enforcement on the same inputs');
    const iam = s.iam(admin);
    const live: Record<string, Awaited<ReturnType<typeof s.liveDecision>>> = {
      [`sqs:ListQueues@${DENIED_REGION}`]: await s.liveDecision(sqsDenied),
      [`kms:ListKeys@${DENIED_REGION}`]: await s.liveDecision(kmsDenied),
      'sqs:ListQueues@us-east-1': await s.liveDecision(sqsAllowed),
    };
    const principalSim = async (action: string, where: string): Promise<EvaluationResult | undefined> =>
      (await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: [action], ContextEntries: [region(where)] }))).EvaluationResults?.[0];
    for (const [key, decision] of Object.entries(live)) {
      const [action, where] = key.split('@') as [string, string];
      const r = await principalSim(action, where);
      s.agree(`SimulatePrincipalPolicy(${ACCESS_ROLE}, ${action}, aws:RequestedRegion=${where})`, decision, r?.EvalDecision);
      if (decision !== 'allowed') {
        s.check('  … and OrganizationsDecisionDetail says the organization did not allow it',
          r?.OrganizationsDecisionDetail?.AllowedByOrganizations === false, JSON.stringify(r?.OrganizationsDecisionDetail));
      }
    }

    // The same decision from the documents alone: AdministratorAccess under root → Prod → account SCPs.
    const administratorAccess = await s.awsManagedPolicyDocument(admin, 'the admin session', 'arn:aws:iam::aws:policy/AdministratorAccess', ADMINISTRATOR_ACCESS_DOCUMENT);
    const fullAccess = (await orgs.send(new DescribePolicyCommand({ PolicyId: 'p-FullAWSAccess' }))).Policy!.Content!;
    const custom = await attempt(iam.send(new SimulateCustomPolicyCommand({
      PolicyInputList: [administratorAccess],
      OrderedOrganizationPolicyInputList: [
        { ServiceControlPolicyInputList: [fullAccess] },
        { ServiceControlPolicyInputList: [fullAccess, REGION_GUARDRAIL] },
        { ServiceControlPolicyInputList: [fullAccess] },
      ],
      ActionNames: ['sqs:ListQueues'],
      CallerArn: roleArn,
      ContextEntries: [region(DENIED_REGION)],
    })));
    const customTitle = `SimulateCustomPolicy(AdministratorAccess, SCP levels root → Prod → account, sqs:ListQueues, ${DENIED_REGION})`;
    if (custom.ok) {
      s.agree(customTitle, live[`sqs:ListQueues@${DENIED_REGION}`]!, custom.value.EvaluationResults?.[0]?.EvalDecision);
    } else if (custom.code === 'MalformedPolicyDocumentException' || custom.code === 'MalformedPolicyDocument') {
      s.gap(customTitle, [
        `AWS: OrderedOrganizationPolicyInputList is a list of {ServiceControlPolicyInputList: [SCP text, …]}, one per level;`,
        `     the simulation answers explicitDeny here, as live enforcement does.`,
        `Drydock: ${custom.code}: ${custom.message} (it reads each level as a policy string)`,
      ].join('\n'));
    } else {
      s.fail(customTitle, `${custom.code}: ${custom.message}`);
    }
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
