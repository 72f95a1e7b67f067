/**
 * Cross-account access with an ExternalId (the confused-deputy guard): a role in account B
 * trusts account A only when `sts:ExternalId` matches. A's user, allowed sts:AssumeRole by
 * its own policy, assumes it with the ExternalId; without it, or with a wrong one, AccessDenied.
 * The session is B's (GetCallerIdentity), and its credentials expire on Drydock's clock.
 *
 *   node --import tsx examples/cross-account-external-id/run.ts
 */
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { attempt, policy, runIfMain, Scenario, trustPolicy, withTarget, type Credentials, type ScenarioResult, type Target } from '../_lib/harness.js';

export const EXTERNAL_ID = 'drydock-7f3a9c1e';
const ROLE = 'PartnerAuditRole';
const SESSION_SECONDS = 900;

export async function run(target?: Target | string): Promise<ScenarioResult> {
  return withTarget(target, async (t) => {
    const s = new Scenario('cross-account-external-id', t);
    const accountB = s.account('111111111111');
    const accountA = s.account('222222222222');
    const roleArn = `arn:aws:iam::${accountB}:role/${ROLE}`;
    s.fact('accountA', accountA);
    s.fact('accountB', accountB);

    s.section(`Account B (${accountB}) lets account A (${accountA}) in, only with the ExternalId they agreed`);
    const iamB = s.iam(s.root(accountB));
    await iamB.send(new CreateRoleCommand({
      RoleName: ROLE, MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: trustPolicy(`arn:aws:iam::${accountA}:root`, { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } }),
    }));
    await iamB.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'ListQueuesOnly', PolicyDocument: policy({ Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' }) }));
    const bQueue = (await s.sqs(s.root(accountB)).send(new CreateQueueCommand({ QueueName: 'b-inventory' }))).QueueUrl!;
    s.note(`${roleArn}: trusts arn:aws:iam::${accountA}:root when sts:ExternalId = ${EXTERNAL_ID}; may sqs:ListQueues\nB's data: queue ${bQueue}`);

    s.section(`Account A gives its user "integrator" sts:AssumeRole on B's role; "bystander" gets nothing`);
    const iamA = s.iam(s.root(accountA));
    const keys: Record<string, Credentials> = {};
    for (const user of ['integrator', 'bystander']) {
      await iamA.send(new CreateUserCommand({ UserName: user }));
      const k = (await iamA.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
      keys[user] = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    }
    await iamA.send(new PutUserPolicyCommand({ UserName: 'integrator', PolicyName: 'AssumePartnerRole', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }) }));
    const me = await s.sts(keys['integrator']!).send(new GetCallerIdentityCommand({}));
    s.check('the integrator\'s access key signs as A\'s user', me.Account === accountA && me.Arn === `arn:aws:iam::${accountA}:user/integrator`, me.Arn);

    s.section('Assuming B\'s role from A');
    const sts = s.sts(keys['integrator']!);
    const base = { RoleArn: roleArn, RoleSessionName: 'nightly-audit' };
    const refusal = [`arn:aws:iam::${accountA}:user/integrator is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`];
    await s.denied('without the ExternalId: AccessDenied', await attempt(sts.send(new AssumeRoleCommand(base))), { codes: ['AccessDenied'], says: refusal, explain: true });
    await s.denied('with a wrong ExternalId: AccessDenied', await attempt(sts.send(new AssumeRoleCommand({ ...base, ExternalId: 'guessed-id' }))), { codes: ['AccessDenied'], says: refusal });
    const bystander = await attempt(s.sts(keys['bystander']!).send(new AssumeRoleCommand({ ...base, ExternalId: EXTERNAL_ID })));
    await s.denied('the bystander, with the right ExternalId but no sts:AssumeRole of its own: AccessDenied (both sides must allow)', bystander, {
      codes: ['AccessDenied'], says: ['because no identity-based policy allows the sts:AssumeRole action'],
    });
    const assumed = await attempt(sts.send(new AssumeRoleCommand({ ...base, ExternalId: EXTERNAL_ID, DurationSeconds: SESSION_SECONDS })));
    if (!s.allowed(`with ExternalId ${EXTERNAL_ID}: ALLOWED, for ${SESSION_SECONDS} s`, assumed, (v) => `expires ${v.Credentials?.Expiration?.toISOString()}`)) return s.result();
    const c = assumed.value.Credentials!;
    const session: Credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    const identity = await s.sts(session).send(new GetCallerIdentityCommand({}));
    s.check('GetCallerIdentity of the session shows account B', identity.Account === accountB
      && identity.Arn === `arn:aws:sts::${accountB}:assumed-role/${ROLE}/nightly-audit`, `${identity.Account} ${identity.Arn}`);
    s.fact('sessionArn', identity.Arn ?? '');
    const listed = await attempt(s.sqs(session).send(new ListQueuesCommand({})));
    s.allowed('the session lists B\'s queues (sqs:ListQueues, granted by the role)', listed, (v) => (v.QueueUrls ?? []).join(', '));
    s.check('  … and sees B\'s queue', listed.ok && (listed.value.QueueUrls ?? []).includes(bQueue));
    await s.denied('the session may not create queues in B (the role grants only ListQueues)',
      await attempt(s.sqs(session).send(new CreateQueueCommand({ QueueName: 'a-was-here' }))), { says: ['because no identity-based policy allows the sqs:CreateQueue action'] });
    const tooLong = await attempt(sts.send(new AssumeRoleCommand({ ...base, ExternalId: EXTERNAL_ID, DurationSeconds: 7200 })));
    s.check('asking for 7200 s beyond the role\'s MaxSessionDuration (3600 s) is a ValidationError',
      !tooLong.ok && tooLong.code === 'ValidationError', tooLong.ok ? 'succeeded' : `${tooLong.code}: ${tooLong.message}`);

    s.section('The session\'s credentials expire on Drydock\'s clock');
    const early = await s.advanceClock(SESSION_SECONDS - 300);
    s.allowed(`clock +${SESSION_SECONDS - 300} s (${early}): the session still works`, await attempt(s.sts(session).send(new GetCallerIdentityCommand({}))));
    const late = await s.advanceClock(301);
    const expired = await attempt(s.sts(session).send(new GetCallerIdentityCommand({})));
    s.check(`clock +301 s more (${late}), past the expiry: GetCallerIdentity answers ExpiredToken`,
      !expired.ok && expired.code === 'ExpiredToken', expired.ok ? 'succeeded' : `${expired.code}: ${expired.message}`);
    const expiredSqs = await attempt(s.sqs(session).send(new ListQueuesCommand({})));
    s.check('  … and so does every other service (sqs:ListQueues)', !expiredSqs.ok && expiredSqs.code === 'ExpiredToken',
      expiredSqs.ok ? 'succeeded' : `${expiredSqs.code}: ${expiredSqs.message}`);
    const again = await attempt(sts.send(new AssumeRoleCommand({ ...base, ExternalId: EXTERNAL_ID, DurationSeconds: SESSION_SECONDS })));
    s.allowed('the integrator simply assumes the role again for fresh credentials', again);
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
