/**
 * Handbook ch. 2, part 2: attribute-based access control. One policy, no resource ARNs:
 * act on a resource only when its `Project` tag equals the caller's (`aws:ResourceTag/Project`
 * = `${aws:PrincipalTag/Project}`). A role tagged Project=alpha reaches alpha's IAM roles, SQS
 * queues and KMS keys and not beta's; the same policy serves the beta team; retagging a
 * resource moves it between teams without touching a policy. The IAM policy simulator agrees.
 *
 *   node --import tsx examples/abac-project-tags/run.ts
 */
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, GetRoleCommand, SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand, type ContextEntry, type IAMClient,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { CreateQueueCommand, SendMessageCommand, TagQueueCommand } from '@aws-sdk/client-sqs';
import {
  attempt, policy, runIfMain, Scenario, trustPolicy, withTarget, type Credentials, type Outcome, type ScenarioResult, type Target,
} from '../_lib/harness.js';

/** The one policy both teams share. */
export const SAME_PROJECT_POLICY = policy(
  {
    Sid: 'ActOnYourProjectsResources',
    Effect: 'Allow',
    Action: ['iam:GetRole', 'iam:ListRoleTags', 'sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:GetQueueAttributes', 'kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt'],
    Resource: '*',
    Condition: { StringEquals: { 'aws:ResourceTag/Project': '${aws:PrincipalTag/Project}' } },
  },
  {
    Sid: 'CreateQueuesForYourProjectOnly',
    Effect: 'Allow',
    Action: 'sqs:CreateQueue',
    Resource: '*',
    Condition: { StringEquals: { 'aws:RequestTag/Project': '${aws:PrincipalTag/Project}' } },
  },
);

const PROJECTS = ['alpha', 'beta'] as const;
type Project = (typeof PROJECTS)[number];

function tagEntry(key: string, value: string): ContextEntry {
  return { ContextKeyName: key, ContextKeyType: 'string', ContextKeyValues: [value] };
}

/** A resource of each kind, per project. */
interface Resources { role: string; roleArn: string; queueUrl: string; queueArn: string; keyArn: string }

export async function run(target?: Target | string): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('abac-project-tags', t);
    const account = s.account('000000000000');
    const admin = s.root(account);
    const iam = s.iam(admin);
    const sqs = s.sqs(admin);
    const kms = s.kms(admin);
    const accountTrust = trustPolicy(`arn:aws:iam::${account}:root`);

    s.section(`The administrator (root of ${account}) makes one policy, two tagged developer roles, and tagged resources`);
    const policyArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'SameProjectAccess', PolicyDocument: SAME_PROJECT_POLICY }))).Policy!.Arn!;
    s.note(`${policyArn}: no resource ARNs — aws:ResourceTag/Project must equal \${aws:PrincipalTag/Project}`);
    s.fact('policyArn', policyArn);
    const res = {} as Record<Project, Resources>;
    const session = {} as Record<Project, Credentials>;
    for (const p of PROJECTS) {
      const Tags = [{ Key: 'Project', Value: p }];
      const devArn = (await iam.send(new CreateRoleCommand({ RoleName: `${p}-developer`, AssumeRolePolicyDocument: accountTrust, Tags }))).Role!.Arn!;
      await iam.send(new AttachRolePolicyCommand({ RoleName: `${p}-developer`, PolicyArn: policyArn }));
      const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: `${p}-worker`, AssumeRolePolicyDocument: accountTrust, Tags }))).Role!.Arn!;
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${p}-jobs`, tags: { Project: p } }))).QueueUrl!;
      const keyArn = (await kms.send(new CreateKeyCommand({ Description: `${p} data key`, Tags: [{ TagKey: 'Project', TagValue: p }] }))).KeyMetadata!.Arn!;
      res[p] = { role: `${p}-worker`, roleArn, queueUrl, queueArn: `arn:aws:sqs:${s.region}:${account}:${p}-jobs`, keyArn };
      session[p] = await s.assumeRole(admin, { RoleArn: devArn, RoleSessionName: `${p}-dev` });
      s.note(`Project=${p}: role ${p}-developer (the caller), role ${p}-worker, queue ${p}-jobs, key ${keyArn.split('/').pop()}`);
    }
    const untaggedUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'shared-untagged' }))).QueueUrl!;

    /** Every live call, with the tag context the simulator needs to decide the same call. */
    const live: { who: Project; action: string; resource: string; context: Record<string, string>; outcome: Outcome<unknown> }[] = [];
    const tryAs = async (who: Project, action: string, resource: string, tag: string | undefined, expectAllowed: boolean, call: Promise<unknown>) => {
      const outcome = await attempt(call);
      live.push({ who, action, resource, context: tag === undefined ? {} : { 'aws:ResourceTag/Project': tag }, outcome });
      const title = `${who}-developer → ${action} on ${resource.split(/[:/]/).pop()} (Project=${tag ?? 'none'}) is ${expectAllowed ? 'ALLOWED' : 'DENIED'}`;
      if (expectAllowed) s.allowed(title, outcome);
      else await s.denied(title, outcome, { says: [`assumed-role/${who}-developer/${who}-dev is not authorized to perform: ${action}`, `because no identity-based policy allows the ${action} action`] });
    };

    for (const who of PROJECTS) {
      s.section(`A session of ${who}-developer (tagged Project=${who})`);
      const c = session[who];
      for (const p of PROJECTS) {
        const mine = p === who;
        await tryAs(who, 'iam:GetRole', res[p].roleArn, p, mine, s.iam(c).send(new GetRoleCommand({ RoleName: res[p].role })));
        await tryAs(who, 'sqs:SendMessage', res[p].queueArn, p, mine, s.sqs(c).send(new SendMessageCommand({ QueueUrl: res[p].queueUrl, MessageBody: `from ${who}` })));
        await tryAs(who, 'kms:Encrypt', res[p].keyArn, p, mine, s.kms(c).send(new EncryptCommand({ KeyId: res[p].keyArn, Plaintext: new TextEncoder().encode('secret') })));
      }
      await tryAs(who, 'sqs:SendMessage', `arn:aws:sqs:${s.region}:${account}:shared-untagged`, undefined, false,
        s.sqs(c).send(new SendMessageCommand({ QueueUrl: untaggedUrl, MessageBody: 'x' })));
      const queueArn = (name: string) => `arn:aws:sqs:${s.region}:${account}:${name}`;
      const mineQ = await attempt(s.sqs(c).send(new CreateQueueCommand({ QueueName: `${who}-reports`, tags: { Project: who } })));
      live.push({ who, action: 'sqs:CreateQueue', resource: queueArn(`${who}-reports`), context: { 'aws:RequestTag/Project': who }, outcome: mineQ });
      s.allowed(`${who}-developer creates a queue tagged Project=${who}: ALLOWED (aws:RequestTag)`, mineQ);
      const other = PROJECTS.find((p) => p !== who)!;
      const otherQ = await attempt(s.sqs(c).send(new CreateQueueCommand({ QueueName: `${who}-sneaky`, tags: { Project: other } })));
      live.push({ who, action: 'sqs:CreateQueue', resource: queueArn(`${who}-sneaky`), context: { 'aws:RequestTag/Project': other }, outcome: otherQ });
      await s.denied(`${who}-developer creates a queue tagged Project=${other}: DENIED`, otherQ, { says: ['sqs:CreateQueue'] });
    }

    s.section('Tags decide, not ARNs: the administrator moves beta-jobs to project alpha by retagging it');
    await sqs.send(new TagQueueCommand({ QueueUrl: res.beta.queueUrl, Tags: { Project: 'alpha' } }));
    await tryAs('alpha', 'sqs:SendMessage', res.beta.queueArn, 'alpha', true, s.sqs(session.alpha).send(new SendMessageCommand({ QueueUrl: res.beta.queueUrl, MessageBody: 'now ours' })));
    await tryAs('beta', 'sqs:SendMessage', res.beta.queueArn, 'alpha', false, s.sqs(session.beta).send(new SendMessageCommand({ QueueUrl: res.beta.queueUrl, MessageBody: 'still ours?' })));

    s.section('The IAM policy simulator agrees with live enforcement on the same inputs');
    s.note('The simulator does not read resource tags (neither does AWS\'s): each resource\'s Project tag goes in as a context entry');
    s.note('(aws:ResourceTag/Project, or aws:RequestTag/Project for CreateQueue).');
    let agreed = 0;
    const entries = (context: Record<string, string>) => Object.entries(context).map(([k, v]) => tagEntry(k, v));
    const simulatePrincipal = async (client: IAMClient, who: Project, action: string, resource: string, context: Record<string, string>) => {
      const r = await client.send(new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${account}:role/${who}-developer`, ActionNames: [action], ResourceArns: [resource],
        ContextEntries: entries(context),
      }));
      return r.EvaluationResults?.[0]?.EvalDecision;
    };
    const simulateCustom = async (client: IAMClient, who: Project, action: string, resource: string, context: Record<string, string>) => {
      const r = await client.send(new SimulateCustomPolicyCommand({
        PolicyInputList: [SAME_PROJECT_POLICY], ActionNames: [action], ResourceArns: [resource],
        CallerArn: `arn:aws:iam::${account}:role/${who}-developer`,
        ContextEntries: entries({ 'aws:PrincipalTag/Project': who, ...context }),
      }));
      return r.EvaluationResults?.[0]?.EvalDecision;
    };
    const disagreements: string[] = [];
    const compared: string[] = [];
    for (const l of live) {
      const liveDecision = await s.liveDecision(l.outcome);
      const p = await simulatePrincipal(iam, l.who, l.action, l.resource, l.context);
      const c = await simulateCustom(iam, l.who, l.action, l.resource, l.context);
      const label = `${l.who} ${l.action} ${l.resource.split(/[:/]/).pop()} ${JSON.stringify(l.context)}`;
      compared.push(`${liveDecision.padEnd(12)} ${label}`);
      if (p === liveDecision && c === liveDecision) agreed++;
      else disagreements.push(`${label}: live ${liveDecision}, SimulatePrincipalPolicy ${p}, SimulateCustomPolicy ${c}`);
    }
    s.check(`SimulatePrincipalPolicy and SimulateCustomPolicy agree with all ${live.length} live decisions`, disagreements.length === 0,
      disagreements.length ? disagreements.join('\n') : [`${agreed} of ${live.length}, each decided the same three ways:`, ...compared].join('\n'));
    s.fact('liveDecisions', String(live.length));
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
