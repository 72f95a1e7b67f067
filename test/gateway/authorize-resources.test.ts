import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { useDrydock, sdkConfig } from '../helpers.js';

const h = useDrydock();

async function userClient(name: string): Promise<{ kms: KMSClient; arn: string }> {
  const iam = new IAMClient(h.config());
  const u = await iam.send(new CreateUserCommand({ UserName: name }));
  const k = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  const credentials = { accessKeyId: k.AccessKey!.AccessKeyId!, secretAccessKey: k.AccessKey!.SecretAccessKey! };
  return { kms: new KMSClient(sdkConfig(h.dd, { credentials })), arn: u.User!.Arn! };
}

test('a user without permissions is denied KMS Encrypt, and a grant lets exactly that through', async () => {
  const root = new KMSClient(h.config());
  const key = (await root.send(new CreateKeyCommand({}))).KeyMetadata!;
  await root.send(new CreateAliasCommand({ AliasName: 'alias/granted', TargetKeyId: key.KeyId }));
  const alice = await userClient('alice');
  await assert.rejects(alice.kms.send(new EncryptCommand({ KeyId: 'alias/granted', Plaintext: Buffer.from('x') })),
    (e: Error) => {
      assert.equal(e.name, 'AccessDeniedException');
      assert.match(e.message, new RegExp(`User: ${alice.arn} is not authorized to perform: kms:Encrypt on resource: ${key.Arn}`));
      return true;
    });
  await root.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'] }));
  const out = await alice.kms.send(new EncryptCommand({ KeyId: 'alias/granted', Plaintext: Buffer.from('x') }));
  assert.ok(out.CiphertextBlob?.length);
  // The grant names Encrypt only: Decrypt (no KeyId: the key comes from the ciphertext) stays denied.
  await assert.rejects(alice.kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob })), { name: 'AccessDeniedException' });
});

test('a key policy Deny binds even the root user of the account', async () => {
  const root = new KMSClient(h.config());
  const key = (await root.send(new CreateKeyCommand({}))).KeyMetadata!;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'NoEncrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*' },
    ],
  };
  await root.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: JSON.stringify(policy) }));
  await assert.rejects(root.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), (e: Error & { $metadata?: { requestId?: string } }) => {
    assert.equal(e.name, 'AccessDeniedException');
    assert.match(e.message, /explicit deny in a resource-based policy/);
    return true;
  });
});

test('another account\'s queue is reached only through its queue policy', async () => {
  const { SQSClient, CreateQueueCommand, SendMessageCommand, SetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const owner = new SQSClient(sdkConfig(h.dd, { credentials: { accessKeyId: '111111111111', secretAccessKey: 'test' } }));
  const { QueueUrl } = await owner.send(new CreateQueueCommand({ QueueName: 'shared' }));
  const other = new SQSClient(h.config());
  await assert.rejects(other.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hi' })), (e: Error) => {
    assert.match(e.message, /not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:111111111111:shared/);
    return true;
  });
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:111111111111:shared' }] };
  await owner.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
  const sent = await other.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hi' }));
  assert.ok(sent.MessageId);
});
