import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { servicePrincipal } from '../../src/core/identity.js';
import { useDrydock } from '../helpers.js';

const trust = (service: string) => JSON.stringify({
  Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

describe('in-process calls', () => {
  const drydock = useDrydock();
  const config = () => drydock.config();

  async function assumeAs(service: string, roleName: string) {
    return drydock.dd.app.call({
      service: 'sts', operation: 'AssumeRole', region: 'us-east-1',
      input: { RoleArn: `arn:aws:iam::000000000000:role/${roleName}`, RoleSessionName: 'fn' },
      principal: servicePrincipal(service, '000000000000'),
    });
  }

  it('lets a service principal assume a role that trusts it, and no other', async () => {
    const iam = new IAMClient(config());
    await iam.send(new CreateRoleCommand({ RoleName: 'exec', AssumeRolePolicyDocument: trust('lambda.amazonaws.com') }));
    const out = await assumeAs('lambda.amazonaws.com', 'exec');
    const creds = out['Credentials'] as { AccessKeyId: string };
    assert.match(creds.AccessKeyId, /^ASIA/);
    assert.equal(drydock.dd.app.identities.lookup(creds.AccessKeyId)?.principal.arn, 'arn:aws:sts::000000000000:assumed-role/exec/fn');
    await assert.rejects(assumeAs('states.amazonaws.com', 'exec'), (e: Error) => e.name === 'AccessDenied');
  });

  it('authorizes as the session: denied without a policy, allowed with one, JSON in and out', async () => {
    const iam = new IAMClient(config());
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trust('states.amazonaws.com') }));
    const out = await assumeAs('states.amazonaws.com', 'worker');
    const key = (out['Credentials'] as { AccessKeyId: string }).AccessKeyId;
    const principal = drydock.dd.app.identities.lookup(key)!.principal;
    const create = () => drydock.dd.app.call({
      service: 'sqs', operation: 'CreateQueue', region: 'us-east-1', principal, accessKeyId: key, json: true,
      input: { QueueName: 'jobs', Attributes: { VisibilityTimeout: '5' } },
    });
    await assert.rejects(create(), (e: Error) => e.name === 'AccessDeniedException' && /sqs:CreateQueue/.test(e.message));
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'worker', PolicyName: 'q',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] }),
    }));
    const made = await create();
    assert.match(String(made['QueueUrl']), /\/000000000000\/jobs$/);
    const bad = drydock.dd.app.call({ service: 'sqs', operation: 'CreateQueue', region: 'us-east-1', principal, json: true, input: { QueueName: 7 } });
    await assert.rejects(bad, (e: Error) => e.name === 'SerializationException' || e.name === 'ValidationException');
    const seen = drydock.dd.app.audit.list({ account: '000000000000' }).filter((r) => r.action === 'CreateQueue');
    // Newest first: the malformed call, the allowed one, the denied one, all as the session.
    assert.deepEqual(seen.map((r) => [r.principalArn, r.errorCode ?? 'ok']).slice(1), [
      ['arn:aws:sts::000000000000:assumed-role/worker/fn', 'ok'],
      ['arn:aws:sts::000000000000:assumed-role/worker/fn', 'AccessDeniedException'],
    ]);
  });
});
