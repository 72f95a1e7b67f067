/**
 * Handbook ch. 2, part 2: permission boundaries for safe delegation. A developer role may
 * create IAM roles only with the `DevLambdaBoundary` boundary attached (an
 * `iam:PermissionsBoundary` condition); without it CreateRole is denied. A role created with
 * the boundary, even with AdministratorAccess attached, cannot do what the boundary forbids.
 * The IAM policy simulator agrees with live enforcement.
 *
 *   node --import tsx examples/permission-boundary-delegation/run.ts
 */
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, DeleteRolePermissionsBoundaryCommand, GetRoleCommand, ListUsersCommand, PutRolePolicyCommand, SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand, type ContextEntry, type IAMClient,
} from '@aws-sdk/client-iam';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import {
  ADMINISTRATOR_ACCESS_DOCUMENT, attempt, policy, runIfMain, Scenario, trustPolicy, withTarget, type Outcome, type ScenarioResult, type Target,
} from '../_lib/harness.js';

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** What a developer's Lambda roles may ever do: serverless work, never identity, organization or billing administration. */
export const DEV_LAMBDA_BOUNDARY = policy(
  { Sid: 'ServerlessWork', Effect: 'Allow', Action: ['logs:*', 'sqs:*', 'dynamodb:*', 'xray:*', 's3:GetObject', 's3:PutObject'], Resource: '*' },
  { Sid: 'NeverAdministerIdentityOrOrganization', Effect: 'Deny', Action: ['iam:*', 'organizations:*', 'account:*', 'aws-portal:*', 'billing:*'], Resource: '*' },
);

/** The developer's own permissions: create and manage `dev-*` roles, only with the boundary; never loosen it. */
export function developerPolicy(account: string, boundaryArn: string): string {
  return policy(
    {
      Sid: 'ManageDevRolesOnlyWithBoundary',
      Effect: 'Allow',
      Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
      Resource: `arn:aws:iam::${account}:role/dev-*`,
      Condition: { StringEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    },
    { Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:GetRole', 'iam:ListRoles', 'iam:ListAttachedRolePolicies', 'iam:GetPolicy', 'iam:GetPolicyVersion'], Resource: '*' },
    { Sid: 'NeverRemoveTheBoundary', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'], Resource: '*' },
    { Sid: 'NeverEditTheBoundary', Effect: 'Deny', Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: boundaryArn },
  );
}

function entry(name: string, value: string): ContextEntry {
  return { ContextKeyName: name, ContextKeyType: 'string', ContextKeyValues: [value] };
}

async function simulate(iam: IAMClient, source: string, action: string, resource?: string, context: ContextEntry[] = []) {
  const r = await iam.send(new SimulatePrincipalPolicyCommand({
    PolicySourceArn: source, ActionNames: [action], ...(resource ? { ResourceArns: [resource] } : {}), ContextEntries: context,
  }));
  return r.EvaluationResults?.[0];
}

export async function run(target?: Target | string): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('permission-boundary-delegation', t);
    const account = s.account('000000000000');
    const admin = s.root(account);
    const iam = s.iam(admin);

    s.section(`The administrator (root of ${account}) sets up DevLambdaBoundary and a Developer role`);
    const boundaryArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'DevLambdaBoundary', PolicyDocument: DEV_LAMBDA_BOUNDARY }))).Policy!.Arn!;
    const accountTrust = trustPolicy(`arn:aws:iam::${account}:root`);
    const developerArn = (await iam.send(new CreateRoleCommand({ RoleName: 'Developer', AssumeRolePolicyDocument: accountTrust }))).Role!.Arn!;
    await iam.send(new PutRolePolicyCommand({ RoleName: 'Developer', PolicyName: 'DelegatedRoleAdministration', PolicyDocument: developerPolicy(account, boundaryArn) }));
    s.note(`boundary ${boundaryArn}\ndeveloper ${developerArn}: iam:CreateRole on role/dev-* only when iam:PermissionsBoundary = the boundary`);
    s.fact('boundaryArn', boundaryArn);
    s.fact('developerArn', developerArn);
    const developer = await s.assumeRole(admin, { RoleArn: developerArn, RoleSessionName: 'dev-alice' });
    const dev = s.iam(developer);

    s.section('The developer creates a role for a Lambda function');
    const fnName = 'dev-orders-fn';
    const fnArn = `arn:aws:iam::${account}:role/${fnName}`;
    const noBoundary = await attempt(dev.send(new CreateRoleCommand({ RoleName: fnName, AssumeRolePolicyDocument: accountTrust })));
    await s.denied('CreateRole without a permissions boundary is DENIED', noBoundary, {
      codes: ['AccessDenied'], says: ['is not authorized to perform: iam:CreateRole on resource: ' + fnArn, 'because no identity-based policy allows the iam:CreateRole action'],
      explainSays: ['ImplicitDeny'],
    });
    const wrongBoundary = await attempt(dev.send(new CreateRoleCommand({ RoleName: fnName, AssumeRolePolicyDocument: accountTrust, PermissionsBoundary: ADMINISTRATOR_ACCESS })));
    await s.denied('CreateRole with another policy (AdministratorAccess) as its boundary is DENIED', wrongBoundary, { codes: ['AccessDenied'] });
    const outside = await attempt(dev.send(new CreateRoleCommand({ RoleName: 'prod-orders-fn', AssumeRolePolicyDocument: accountTrust, PermissionsBoundary: boundaryArn })));
    await s.denied('CreateRole outside the dev-* name space, even with the boundary, is DENIED', outside, { codes: ['AccessDenied'] });
    const withBoundary = await attempt(dev.send(new CreateRoleCommand({ RoleName: fnName, AssumeRolePolicyDocument: accountTrust, PermissionsBoundary: boundaryArn })));
    s.allowed('CreateRole with DevLambdaBoundary is ALLOWED', withBoundary, (v) => v.Role?.Arn);
    const got = await dev.send(new GetRoleCommand({ RoleName: fnName }));
    s.check('GetRole shows the boundary on the new role', got.Role?.PermissionsBoundary?.PermissionsBoundaryArn === boundaryArn,
      JSON.stringify(got.Role?.PermissionsBoundary));

    const attach = await attempt(dev.send(new AttachRolePolicyCommand({ RoleName: fnName, PolicyArn: ADMINISTRATOR_ACCESS })));
    const attachTitle = 'the developer attaches AdministratorAccess to the bounded role (iam:PermissionsBoundary = the role\'s boundary)';
    if (attach.ok) {
      s.pass(attachTitle);
    } else if (attach.code === 'AccessDenied') {
      const why = (await s.explain(attach.requestId))?.flatMap((e) => e.lines) ?? [];
      s.gap(attachTitle, [
        'AWS: allowed — for AttachRolePolicy (and PutRolePolicy, DetachRolePolicy, …) iam:PermissionsBoundary is the boundary',
        '     already on the target role, so the condition matches (the AWS IAM guide\'s own delegation example relies on it).',
        `Drydock: ${attach.code}: ${attach.message}`, ...why.map((l) => `  ${l}`),
        'Drydock sets iam:PermissionsBoundary only from a PermissionsBoundary request parameter (CreateRole, Put*PermissionsBoundary).',
        '(the administrator attaches it instead, to go on)',
      ].join('\n'));
      await iam.send(new AttachRolePolicyCommand({ RoleName: fnName, PolicyArn: ADMINISTRATOR_ACCESS }));
    } else {
      s.fail(attachTitle, `${attach.code}: ${attach.message}`);
    }
    const unbound = await attempt(dev.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: fnName })));
    await s.denied('removing the boundary (DeleteRolePermissionsBoundary) is DENIED by an explicit deny', unbound, {
      codes: ['AccessDenied'], says: ['with an explicit deny in an identity-based policy'], explainSays: ['NeverRemoveTheBoundary'],
    });

    s.section(`The new role has AdministratorAccess, yet the boundary caps it (session assumed by the administrator)`);
    const fn = await s.assumeRole(admin, { RoleArn: fnArn, RoleSessionName: 'orders-fn' });
    const fnQueue = await attempt(s.sqs(fn).send(new CreateQueueCommand({ QueueName: 'orders' })));
    s.allowed('sqs:CreateQueue (inside the boundary) is ALLOWED', fnQueue, (v) => v.QueueUrl);
    const fnListUsers = await attempt(s.iam(fn).send(new ListUsersCommand({})));
    await s.denied('iam:ListUsers is DENIED: explicit deny in the permissions boundary', fnListUsers, {
      codes: ['AccessDenied'], says: ['with an explicit deny in a permissions boundary'], explainSays: [boundaryArn, 'NeverAdministerIdentityOrOrganization'],
    });
    const fnEscalate = await attempt(s.iam(fn).send(new CreateRoleCommand({ RoleName: 'escape-hatch', AssumeRolePolicyDocument: accountTrust })));
    await s.denied('iam:CreateRole (privilege escalation) is DENIED by the boundary', fnEscalate, {
      codes: ['AccessDenied'], says: ['with an explicit deny in a permissions boundary'],
    });
    const fnOrg = await attempt(s.orgs(fn).send(new DescribeOrganizationCommand({})));
    await s.denied('organizations:DescribeOrganization is DENIED by the boundary', fnOrg, {
      codes: ['AccessDeniedException'], says: ['with an explicit deny in a permissions boundary'],
    });
    const fnKms = await attempt(s.kms(fn).send(new ListKeysCommand({})));
    await s.denied('kms:ListKeys (not in the boundary\'s allow list) is DENIED implicitly', fnKms, {
      codes: ['AccessDeniedException'], says: ['because no permissions boundary allows the kms:ListKeys action'],
    });

    s.section('The IAM policy simulator agrees with live enforcement on the same inputs');
    const live = async (o: Outcome<unknown>) => s.liveDecision(o);
    const withB = await simulate(iam, developerArn, 'iam:CreateRole', fnArn, [entry('iam:PermissionsBoundary', boundaryArn)]);
    s.agree('SimulatePrincipalPolicy(Developer, iam:CreateRole, iam:PermissionsBoundary=DevLambdaBoundary)', await live(withBoundary), withB?.EvalDecision);
    const withoutB = await simulate(iam, developerArn, 'iam:CreateRole', fnArn);
    s.agree('SimulatePrincipalPolicy(Developer, iam:CreateRole, no boundary)', await live(noBoundary), withoutB?.EvalDecision);
    s.check('  … and the simulator names iam:PermissionsBoundary as the missing context value',
      (withoutB?.MissingContextValues ?? []).includes('iam:PermissionsBoundary'), JSON.stringify(withoutB?.MissingContextValues));
    const attachSim = await simulate(iam, developerArn, 'iam:AttachRolePolicy', fnArn, [entry('iam:PermissionsBoundary', boundaryArn)]);
    if (attach.ok) {
      s.agree('SimulatePrincipalPolicy(Developer, iam:AttachRolePolicy, iam:PermissionsBoundary=DevLambdaBoundary)', await live(attach), attachSim?.EvalDecision);
    } else {
      s.gap('SimulatePrincipalPolicy(Developer, iam:AttachRolePolicy) vs live', `simulator (given the role's boundary as context): ${attachSim?.EvalDecision}; live: ${await live(attach)} — the gap above`);
    }
    const fnChecks: [string, Outcome<unknown>, string | undefined][] = [
      ['sqs:CreateQueue', fnQueue, `arn:aws:sqs:${s.region}:${account}:orders`],
      ['iam:ListUsers', fnListUsers, undefined],
      ['iam:CreateRole', fnEscalate, `arn:aws:iam::${account}:role/escape-hatch`],
      ['organizations:DescribeOrganization', fnOrg, undefined],
      ['kms:ListKeys', fnKms, undefined],
    ];
    for (const [action, outcome, resource] of fnChecks) {
      const r = await simulate(iam, fnArn, action, resource);
      s.agree(`SimulatePrincipalPolicy(${fnName}, ${action})`, await live(outcome), r?.EvalDecision);
      if (r?.EvalDecision !== 'allowed') {
        s.check('  … and PermissionsBoundaryDecisionDetail says the boundary did not allow it',
          r?.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false, JSON.stringify(r?.PermissionsBoundaryDecisionDetail));
      }
    }
    // The same from the documents alone: AdministratorAccess as identity policy, DevLambdaBoundary as boundary.
    const administratorAccess = await s.awsManagedPolicyDocument(admin, 'the administrator (root)', ADMINISTRATOR_ACCESS, ADMINISTRATOR_ACCESS_DOCUMENT);
    const custom = await iam.send(new SimulateCustomPolicyCommand({
      PolicyInputList: [administratorAccess], PermissionsBoundaryPolicyInputList: [DEV_LAMBDA_BOUNDARY],
      ActionNames: ['sqs:CreateQueue', 'iam:ListUsers', 'kms:ListKeys'], CallerArn: fnArn,
    }));
    const byAction = new Map((custom.EvaluationResults ?? []).map((r) => [r.EvalActionName, r.EvalDecision]));
    s.agree('SimulateCustomPolicy(AdministratorAccess + boundary, sqs:CreateQueue)', await live(fnQueue), byAction.get('sqs:CreateQueue'));
    s.agree('SimulateCustomPolicy(AdministratorAccess + boundary, iam:ListUsers)', await live(fnListUsers), byAction.get('iam:ListUsers'));
    s.agree('SimulateCustomPolicy(AdministratorAccess + boundary, kms:ListKeys)', await live(fnKms), byAction.get('kms:ListKeys'));
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
