import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand, DescribeKeyCommand, EncryptCommand,
  ListAliasesCommand, ListGrantsCommand, ListRetirableGrantsCommand, RetireGrantCommand, RevokeGrantCommand, UpdateAliasCommand,
  type GrantOperation,
} from '@aws-sdk/client-kms';
import { grantAllows } from '../../../src/services/kms/grants.js';
import { authzHooks } from '../../../src/services/kms/authz.js';
import { useDrydock } from '../../helpers.js';
import { enc, kmsClient, rejectsWith } from './helpers.js';

const h = useDrydock();
const kms = () => kmsClient(h.dd);
const alice = 'arn:aws:iam::000000000000:user/alice';
const role = 'arn:aws:iam::000000000000:role/app';

test('CreateGrant, ListGrants, RetireGrant by token, RevokeGrant', async () => {
  const k = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const g = await kms().send(new CreateGrantCommand({
    KeyId: k.KeyId, GranteePrincipal: alice, RetiringPrincipal: role, Operations: ['Encrypt', 'Decrypt'], Name: 'app-grant',
    Constraints: { EncryptionContextSubset: { tenant: 'a' } },
  }));
  assert.match(g.GrantId!, /^[0-9a-f]{64}$/);
  assert.ok(g.GrantToken!.length > 40);
  // Same name on the same key: the same grant, a fresh token.
  const again = await kms().send(new CreateGrantCommand({ KeyId: k.KeyId, GranteePrincipal: alice, Operations: ['Encrypt', 'Decrypt'], Name: 'app-grant' }));
  assert.equal(again.GrantId, g.GrantId);
  assert.notEqual(again.GrantToken, g.GrantToken);
  // Grant tokens are accepted at once on cryptographic calls.
  const e = await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('x'), EncryptionContext: { tenant: 'a' }, GrantTokens: [g.GrantToken!] }));
  await kms().send(new DecryptCommand({ CiphertextBlob: e.CiphertextBlob, EncryptionContext: { tenant: 'a' }, GrantTokens: [g.GrantToken!] }));
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('x'), GrantTokens: ['garbage'] })), 'InvalidGrantTokenException');

  const list = await kms().send(new ListGrantsCommand({ KeyId: k.KeyId }));
  assert.equal(list.Grants!.length, 1);
  const entry = list.Grants![0]!;
  assert.equal(entry.KeyId, k.Arn);
  assert.equal(entry.GranteePrincipal, alice);
  assert.equal(entry.RetiringPrincipal, role);
  assert.equal(entry.IssuingAccount, 'arn:aws:iam::000000000000:root');
  assert.deepEqual(entry.Operations, ['Encrypt', 'Decrypt']);
  assert.deepEqual(entry.Constraints, { EncryptionContextSubset: { tenant: 'a' } });
  assert.equal(entry.Name, 'app-grant');
  assert.ok(entry.CreationDate instanceof Date);
  const retirable = await kms().send(new ListRetirableGrantsCommand({ RetiringPrincipal: role }));
  assert.deepEqual(retirable.Grants!.map((x) => x.GrantId), [g.GrantId]);

  await kms().send(new RetireGrantCommand({ GrantToken: g.GrantToken }));
  assert.equal((await kms().send(new ListGrantsCommand({ KeyId: k.KeyId }))).Grants!.length, 0);

  const g2 = await kms().send(new CreateGrantCommand({ KeyId: k.Arn, GranteePrincipal: alice, Operations: ['DescribeKey'] }));
  await kms().send(new RevokeGrantCommand({ KeyId: k.KeyId, GrantId: g2.GrantId }));
  await rejectsWith(kms().send(new RevokeGrantCommand({ KeyId: k.KeyId, GrantId: g2.GrantId })), 'InvalidGrantIdException');
  await rejectsWith(kms().send(new CreateGrantCommand({ KeyId: k.KeyId, GranteePrincipal: alice, Operations: ['Fly' as GrantOperation] })), 'ValidationException');
  await rejectsWith(kms().send(new CreateGrantCommand({ KeyId: 'invalid', GranteePrincipal: alice, Operations: ['Decrypt'] })), 'NotFoundException', "Invalid keyId 'invalid'");
  await rejectsWith(kms().send(new RetireGrantCommand({})), 'ValidationException', 'Grant token OR (grant ID, key ID) must be specified');
});

test('grantAllows answers for the grantee, its operations and its encryption-context constraints', async () => {
  const k = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const { GrantId } = await kms().send(new CreateGrantCommand({
    KeyId: k.KeyId, GranteePrincipal: role, Operations: ['Decrypt', 'DescribeKey', 'ReEncryptFrom'],
    Constraints: { EncryptionContextEquals: { tenant: 'a' } },
  }));
  const stores = h.dd.app.stores;
  const session = { arn: 'arn:aws:sts::000000000000:assumed-role/app/s1', issuerArn: role };
  assert.equal(grantAllows(stores, k.Arn!, session, 'Decrypt', { tenant: 'a' })?.grantId, GrantId);
  assert.equal(grantAllows(stores, k.Arn!, role, 'Decrypt', { tenant: 'a' })?.grantId, GrantId);
  assert.equal(grantAllows(stores, k.Arn!, session, 'Decrypt', { tenant: 'b' }), undefined);
  assert.equal(grantAllows(stores, k.Arn!, session, 'Decrypt', { tenant: 'a', extra: '1' }), undefined);
  assert.equal(grantAllows(stores, k.Arn!, session, 'DescribeKey')?.grantId, GrantId);
  assert.equal(grantAllows(stores, k.Arn!, session, 'Encrypt', { tenant: 'a' }), undefined);
  assert.equal(grantAllows(stores, k.Arn!, alice, 'Decrypt', { tenant: 'a' }), undefined);
  const subset = await kms().send(new CreateGrantCommand({
    KeyId: k.KeyId, GranteePrincipal: alice, Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { tenant: 'a' } },
  }));
  assert.equal(grantAllows(stores, k.Arn!, alice, 'Encrypt', { tenant: 'a', extra: '1' })?.grantId, subset.GrantId);
  assert.equal(grantAllows(stores, k.Arn!, alice, 'Encrypt', {}), undefined);
  await kms().send(new RetireGrantCommand({ KeyId: k.KeyId, GrantId }));
  assert.equal(grantAllows(stores, k.Arn!, session, 'DescribeKey'), undefined);

  // The hooks the authorizer reads from ports: key resolution from any KeyId form and from ciphertext.
  const hooks = authzHooks(h.dd.app.stores);
  assert.ok(h.dd.app.ports.resourceResolvers.get('kms') && h.dd.app.ports.grants.get('kms'), 'KMS fills the authorizer ports');
  await kms().send(new CreateAliasCommand({ AliasName: 'alias/hooked', TargetKeyId: k.KeyId }));
  for (const id of [k.KeyId!, k.Arn!, 'alias/hooked', 'arn:aws:kms:us-east-1:000000000000:alias/hooked']) {
    assert.equal(hooks.resolveKeyArn(id, '000000000000', 'us-east-1'), k.Arn);
  }
  const e = await kms().send(new EncryptCommand({ KeyId: 'alias/hooked', Plaintext: enc('x') }));
  assert.equal(hooks.keyArnOfCiphertext(e.CiphertextBlob!), k.Arn);
  assert.deepEqual(hooks.resources('Decrypt', { CiphertextBlob: e.CiphertextBlob }, '000000000000', 'us-east-1'),
    [{ arn: k.Arn, action: 'kms:Decrypt', grantOperation: 'Decrypt' }]);
  assert.deepEqual(hooks.resources('ReEncrypt', { CiphertextBlob: e.CiphertextBlob, DestinationKeyId: 'alias/hooked' }, '000000000000', 'us-east-1').map((r) => r.action),
    ['kms:ReEncryptFrom', 'kms:ReEncryptTo']);
  // The key policy lookup behind ports.resourcePolicies accepts key ARNs, alias ARNs and bare key ids.
  const lookup = h.dd.app.ports.resourcePolicies.get('kms')!;
  for (const id of [k.Arn!, 'arn:aws:kms:us-east-1:000000000000:alias/hooked', k.KeyId!]) {
    assert.deepEqual({ ...lookup(id)!, document: undefined }, { document: undefined, account: '000000000000', required: true, id: k.Arn });
  }
});

test('aliases: create, use as KeyId (name and ARN), update, list, delete, with AWS rules', async () => {
  const a = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const b = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  await rejectsWith(kms().send(new CreateAliasCommand({ AliasName: 'no-prefix', TargetKeyId: a.KeyId })), 'ValidationException',
    'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  await rejectsWith(kms().send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: a.KeyId })), 'InvalidAliasNameException');
  await rejectsWith(kms().send(new CreateAliasCommand({ AliasName: 'alias/bad name', TargetKeyId: a.KeyId })), 'ValidationException',
    "1 validation error detected: Value 'alias/bad name' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
  await kms().send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: a.KeyId }));
  await rejectsWith(kms().send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: b.KeyId })), 'AlreadyExistsException',
    'An alias with the name arn:aws:kms:us-east-1:000000000000:alias/app already exists');
  const aliasArn = 'arn:aws:kms:us-east-1:000000000000:alias/app';
  for (const KeyId of ['alias/app', aliasArn, a.KeyId, a.Arn]) {
    const e = await kms().send(new EncryptCommand({ KeyId, Plaintext: enc('x') }));
    assert.equal(e.KeyId, a.Arn);
  }
  const listed = (await kms().send(new ListAliasesCommand({ KeyId: a.KeyId }))).Aliases!;
  assert.deepEqual(listed.map((x) => [x.AliasName, x.AliasArn, x.TargetKeyId]), [['alias/app', aliasArn, a.KeyId]]);
  await kms().send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: b.KeyId }));
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata!.KeyId, b.KeyId);
  assert.equal((await kms().send(new ListAliasesCommand({ KeyId: a.KeyId }))).Aliases!.length, 0);
  await kms().send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
  await rejectsWith(kms().send(new DescribeKeyCommand({ KeyId: 'alias/app' })), 'NotFoundException', `Alias ${aliasArn} is not found.`);
  await rejectsWith(kms().send(new DeleteAliasCommand({ AliasName: 'alias/app' })), 'NotFoundException', `Alias ${aliasArn} is not found.`);
});

test('alias/aws/<service> names an AWS managed key, made on first use', async () => {
  const e = await kms().send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: enc('managed') }));
  const md = (await kms().send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
  assert.equal(md.KeyManager, 'AWS');
  assert.equal(e.KeyId, md.Arn);
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!.KeyId, md.KeyId);
});
