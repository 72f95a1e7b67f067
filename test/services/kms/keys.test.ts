import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand,
  EncryptCommand, GetKeyLastUsageCommand, ListGrantsCommand, GetKeyPolicyCommand, ListKeyPoliciesCommand, ListKeysCommand, ListResourceTagsCommand,
  PutKeyPolicyCommand, ScheduleKeyDeletionCommand, TagResourceCommand, UntagResourceCommand, UpdateKeyDescriptionCommand,
  type KeySpec, type KeyUsageType,
} from '@aws-sdk/client-kms';
import { startDrydock } from '../../../src/embedded/index.js';
import { useDrydock } from '../../helpers.js';
import { dec, enc, kmsClient, rejectsWith } from './helpers.js';

const h = useDrydock();
const kms = () => kmsClient(h.dd);

const EXPECTED: [KeySpec, KeyUsageType, Record<string, string[]>][] = [
  ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }],
  ['RSA_2048', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
  ['RSA_3072', 'SIGN_VERIFY', { SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'] }],
  ['RSA_4096', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
  ['ECC_NIST_P256', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
  ['ECC_NIST_P384', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_384'] }],
  ['ECC_NIST_P521', 'KEY_AGREEMENT', { KeyAgreementAlgorithms: ['ECDH'] }],
  ['ECC_SECG_P256K1', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
  ['HMAC_224', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_224'] }],
  ['HMAC_256', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_256'] }],
  ['HMAC_384', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_384'] }],
  ['HMAC_512', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_512'] }],
];

test('every key spec is created with the metadata AWS returns', async () => {
  const created = await Promise.all(EXPECTED.map(([KeySpec, KeyUsage]) => kms().send(new CreateKeyCommand({ KeySpec, KeyUsage, Description: `k ${KeySpec}` }))));
  for (const [i, [spec, usage, algorithms]] of EXPECTED.entries()) {
    const md = (await kms().send(new DescribeKeyCommand({ KeyId: created[i]!.KeyMetadata!.KeyId }))).KeyMetadata!;
    assert.match(md.KeyId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(md.Arn, `arn:aws:kms:us-east-1:000000000000:key/${md.KeyId}`);
    assert.equal(md.AWSAccountId, '000000000000');
    assert.ok(md.CreationDate instanceof Date);
    const { AWSAccountId, Arn, CreationDate, KeyId, CurrentKeyMaterialId, ...rest } = md;
    void AWSAccountId; void Arn; void CreationDate; void KeyId;
    assert.deepEqual(rest, {
      CustomerMasterKeySpec: spec, Description: `k ${spec}`, Enabled: true, KeyManager: 'CUSTOMER', KeySpec: spec,
      KeyState: 'Enabled', KeyUsage: usage, MultiRegion: false, Origin: 'AWS_KMS', ...algorithms,
    });
    // Only symmetric encryption keys report their current key material.
    if (spec === 'SYMMETRIC_DEFAULT') assert.match(CurrentKeyMaterialId!, /^[0-9a-f]{64}$/);
    else assert.equal(CurrentKeyMaterialId, undefined);
  }
});

test('CreateKey refuses bad specs and usages with AWS messages', async () => {
  await rejectsWith(kms().send(new CreateKeyCommand({ KeySpec: 'HMAC_256' })), 'ValidationException',
    'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  await rejectsWith(kms().send(new CreateKeyCommand({ KeySpec: 'HMAC_random' as KeySpec })), 'ValidationException',
    "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, ECC_SECG_P256K1, RSA_4096, SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512]");
  await rejectsWith(kms().send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' as KeyUsageType })), 'ValidationException',
    "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]");
  await rejectsWith(kms().send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'KEY_AGREEMENT' })), 'ValidationException',
    'KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048');
  await rejectsWith(kms().send(new CreateKeyCommand({ Policy: '{"Statement": []' })), 'MalformedPolicyDocumentException');
});

test('unknown and malformed key ids answer NotFoundException as AWS words it', async () => {
  await rejectsWith(kms().send(new DescribeKeyCommand({ KeyId: 'fake-key-id' })), 'NotFoundException', "Invalid keyId 'fake-key-id'");
  await rejectsWith(kms().send(new DescribeKeyCommand({ KeyId: '134f2428cec14b25a1ae9048164dba47' })), 'NotFoundException', "Invalid keyId '134f2428cec14b25a1ae9048164dba47'");
  await rejectsWith(kms().send(new DescribeKeyCommand({ KeyId: '134f2428-cec1-4b25-a1ae-9048164dba47' })), 'NotFoundException',
    "Key 'arn:aws:kms:us-east-1:000000000000:key/134f2428-cec1-4b25-a1ae-9048164dba47' does not exist");
  await rejectsWith(kms().send(new DescribeKeyCommand({ KeyId: 'mrk-d3b95762d3b95762d3b95762d3b95762' })), 'NotFoundException',
    "Key 'arn:aws:kms:us-east-1:000000000000:key/mrk-d3b95762d3b95762d3b95762d3b95762' does not exist");
  const west = kmsClient(h.dd, { region: 'us-west-2' });
  const k = (await west.send(new CreateKeyCommand({}))).KeyMetadata!;
  await rejectsWith(kms().send(new DescribeKeyCommand({ KeyId: k.KeyId })), 'NotFoundException', `Key 'arn:aws:kms:us-east-1:000000000000:key/${k.KeyId}' does not exist`);
  await rejectsWith(kms().send(new DescribeKeyCommand({ KeyId: k.Arn })), 'NotFoundException', 'Invalid arn us-west-2');
  assert.equal((await west.send(new DescribeKeyCommand({ KeyId: k.Arn }))).KeyMetadata!.KeyId, k.KeyId);
});

test('DescribeKey accepts an alias name and an alias ARN', async () => {
  const k = (await kms().send(new CreateKeyCommand({ Description: 'aliased' }))).KeyMetadata!;
  await kms().send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: k.KeyId }));
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: 'alias/describe-me' }))).KeyMetadata!.KeyId, k.KeyId);
  const byArn = await kms().send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:us-east-1:000000000000:alias/describe-me' }));
  assert.equal(byArn.KeyMetadata!.Arn, k.Arn);
});

test('ListKeys pages with Limit and Marker', async () => {
  const client = kmsClient(h.dd, { region: 'eu-west-3' });
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId);
  const p1 = await client.send(new ListKeysCommand({ Limit: 2 }));
  assert.equal(p1.Truncated, true);
  const p2 = await client.send(new ListKeysCommand({ Limit: 2, Marker: p1.NextMarker }));
  assert.equal(p2.Truncated, false);
  assert.deepEqual([...p1.Keys!, ...p2.Keys!].map((k) => k.KeyId), ids);
  assert.equal(p1.Keys![0]!.KeyArn, `arn:aws:kms:eu-west-3:000000000000:key/${ids[0]}`);
});

test('a disabled key refuses cryptography with DisabledException until enabled', async () => {
  const k = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  await kms().send(new DisableKeyCommand({ KeyId: k.KeyId }));
  const md = (await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!;
  assert.equal(md.KeyState, 'Disabled');
  assert.equal(md.Enabled, false);
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('x') })), 'DisabledException', `${k.Arn} is disabled.`);
  await kms().send(new EnableKeyCommand({ KeyId: k.KeyId }));
  await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('x') }));
});

test('ScheduleKeyDeletion runs on the clock: pending deletion, then gone', async () => {
  const k = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  await rejectsWith(kms().send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId, PendingWindowInDays: 6 })), 'ValidationException',
    "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7");
  const now = h.dd.clock.nowMs();
  const s = await kms().send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId, PendingWindowInDays: 7 }));
  assert.equal(s.KeyState, 'PendingDeletion');
  assert.equal(s.PendingWindowInDays, 7);
  assert.equal(s.KeyId, k.Arn);
  assert.ok(Math.abs(s.DeletionDate!.getTime() - (now + 7 * 86_400_000)) < 5_000);
  const md = (await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!;
  assert.equal(md.KeyState, 'PendingDeletion');
  assert.equal(md.Enabled, false);
  assert.ok(md.DeletionDate instanceof Date);
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('x') })), 'KMSInvalidStateException', `${k.Arn} is pending deletion.`);
  await rejectsWith(kms().send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId })), 'KMSInvalidStateException', `${k.Arn} is pending deletion.`);

  const kept = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  await kms().send(new ScheduleKeyDeletionCommand({ KeyId: kept.KeyId, PendingWindowInDays: 7 }));
  assert.equal((await kms().send(new CancelKeyDeletionCommand({ KeyId: kept.KeyId }))).KeyId, kept.Arn);
  await rejectsWith(kms().send(new CancelKeyDeletionCommand({ KeyId: kept.KeyId })), 'KMSInvalidStateException', `${kept.Arn} is not pending deletion.`);
  const back = (await kms().send(new DescribeKeyCommand({ KeyId: kept.KeyId }))).KeyMetadata!;
  assert.equal(back.KeyState, 'Disabled');
  assert.equal(back.DeletionDate, undefined);

  h.dd.clock.advance(8 * 86_400);
  await rejectsWith(kms().send(new DescribeKeyCommand({ KeyId: k.KeyId })), 'NotFoundException', `Key '${k.Arn}' does not exist`);
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: kept.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
  const listed = (await kms().send(new ListKeysCommand({ Limit: 1000 }))).Keys!.map((x) => x.KeyId);
  assert.ok(!listed.includes(k.KeyId));
});

test('tags: add, overwrite, remove, in insertion order, with AWS errors', async () => {
  const k = (await kms().send(new CreateKeyCommand({ Tags: [{ TagKey: 'tag1', TagValue: 'value1' }, { TagKey: 'tag2', TagValue: 'value2' }, { TagKey: 'tag3', TagValue: 'value3' }] }))).KeyMetadata!;
  await kms().send(new TagResourceCommand({ KeyId: k.KeyId, Tags: [{ TagKey: 'tag4', TagValue: 'value4' }, { TagKey: 'tag2', TagValue: 'updated_value2' }, { TagKey: 'tag5', TagValue: 'value5' }] }));
  assert.deepEqual((await kms().send(new ListResourceTagsCommand({ KeyId: k.KeyId }))).Tags, [
    { TagKey: 'tag1', TagValue: 'value1' }, { TagKey: 'tag2', TagValue: 'updated_value2' }, { TagKey: 'tag3', TagValue: 'value3' },
    { TagKey: 'tag4', TagValue: 'value4' }, { TagKey: 'tag5', TagValue: 'value5' },
  ]);
  await kms().send(new UntagResourceCommand({ KeyId: k.KeyId, TagKeys: ['tag2', 'nope'] }));
  assert.deepEqual((await kms().send(new ListResourceTagsCommand({ KeyId: k.KeyId }))).Tags!.map((t) => t.TagKey), ['tag1', 'tag3', 'tag4', 'tag5']);
  await rejectsWith(kms().send(new TagResourceCommand({ KeyId: k.KeyId, Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] })), 'TagException', 'Duplicate tag keys');
  await rejectsWith(kms().send(new TagResourceCommand({ KeyId: k.KeyId, Tags: [{ TagKey: 'AWS:key1', TagValue: '1' }] })), 'TagException', 'Tags beginning with aws: are reserved');
  await rejectsWith(kms().send(new CreateKeyCommand({ Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `key${i}`, TagValue: `v${i}` })) })), 'TagException', 'Too many tags');
  await rejectsWith(kms().send(new CreateKeyCommand({ Tags: [{ TagKey: 'tag1', TagValue: 'v'.repeat(257) }] })), 'ValidationException',
    `1 validation error detected: Value '${'v'.repeat(257)}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`);
  await rejectsWith(kms().send(new CreateKeyCommand({ Tags: [{ TagKey: 'a'.repeat(129), TagValue: 'v' }] })), 'ValidationException',
    `1 validation error detected: Value '${'a'.repeat(129)}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`);
});

test('the default key policy delegates to IAM; policies can be replaced and are validated', async () => {
  const k = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const p = await kms().send(new GetKeyPolicyCommand({ KeyId: k.KeyId, PolicyName: 'default' }));
  assert.equal(p.PolicyName, 'default');
  assert.deepEqual(JSON.parse(p.Policy!), {
    Version: '2012-10-17', Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'kms:*', Resource: '*' }],
  });
  const lp = await kms().send(new ListKeyPoliciesCommand({ KeyId: k.KeyId }));
  assert.deepEqual(lp.PolicyNames, ['default']);
  assert.equal(lp.Truncated, false);
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'kms:*', Resource: '*' }] });
  await kms().send(new PutKeyPolicyCommand({ KeyId: k.KeyId, PolicyName: 'default', Policy: doc }));
  assert.equal((await kms().send(new GetKeyPolicyCommand({ KeyId: k.KeyId }))).Policy, doc);
  await rejectsWith(kms().send(new PutKeyPolicyCommand({ KeyId: k.KeyId, Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}' })),
    'MalformedPolicyDocumentException');
});

test('the key policy is enforced by the gateway: an explicit deny stops even the root user', async () => {
  const k = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const root = 'arn:aws:iam::000000000000:root';
  const deny = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'admin', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
      { Sid: 'no-encrypt', Effect: 'Deny', Principal: { AWS: root }, Action: 'kms:Encrypt', Resource: '*' },
    ],
  });
  await kms().send(new PutKeyPolicyCommand({ KeyId: k.KeyId, Policy: deny }));
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.Arn, Plaintext: enc('x') })), 'AccessDeniedException');
  await kms().send(new DescribeKeyCommand({ KeyId: k.Arn }));
});

test('a key policy that gives the root only some actions, or only under a condition, restricts the root to them', async () => {
  const root = 'arn:aws:iam::000000000000:root';
  const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const k = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const admin = { Sid: 'admin', Effect: 'Allow', Principal: { AWS: root }, Action: ['kms:PutKeyPolicy', 'kms:DescribeKey'], Resource: '*' };
  await kms().send(new PutKeyPolicyCommand({ KeyId: k.KeyId, Policy: policy([admin]), BypassPolicyLockoutSafetyCheck: true }));
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.Arn, Plaintext: enc('x') })), 'AccessDeniedException');
  const withContext = { Sid: 'use', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } } };
  await kms().send(new PutKeyPolicyCommand({ KeyId: k.KeyId, Policy: policy([admin, withContext]), BypassPolicyLockoutSafetyCheck: true }));
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.Arn, Plaintext: enc('x') })), 'AccessDeniedException');
  const ok = await kms().send(new EncryptCommand({ KeyId: k.Arn, Plaintext: enc('x'), EncryptionContext: { app: 'billing' } }));
  assert.equal(ok.KeyId, k.Arn);
});

test('UpdateKeyDescription and GetKeyLastUsage', async () => {
  const k = (await kms().send(new CreateKeyCommand({ Description: 'old' }))).KeyMetadata!;
  await kms().send(new UpdateKeyDescriptionCommand({ KeyId: k.KeyId, Description: 'new' }));
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!.Description, 'new');
  const before = await kms().send(new GetKeyLastUsageCommand({ KeyId: k.KeyId }));
  assert.equal(before.KeyLastUsage, undefined);
  await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('x') }));
  const after = await kms().send(new GetKeyLastUsageCommand({ KeyId: k.KeyId }));
  assert.equal(after.KeyLastUsage?.Operation, 'Encrypt');
  assert.ok(after.KeyLastUsage?.Timestamp instanceof Date);
});

test('keys, aliases, grants and material survive a restart with a data directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-kms-data-'));
  try {
    // The first Drydock runs in a child process: the data dir is locked until its process exits.
    const script = `
      import { startDrydock } from ${JSON.stringify(new URL('../../../src/embedded/index.ts', import.meta.url).href)};
      import { KMSClient, CreateKeyCommand, CreateAliasCommand, CreateGrantCommand, EncryptCommand, RotateKeyOnDemandCommand } from '@aws-sdk/client-kms';
      const dd = await startDrydock({ dataDir: ${JSON.stringify(dir)} });
      const c = new KMSClient({ endpoint: dd.endpoint, region: 'us-east-1', credentials: dd.credentials });
      const k = (await c.send(new CreateKeyCommand({ Description: 'durable', Tags: [{ TagKey: 'team', TagValue: 'core' }] }))).KeyMetadata;
      await c.send(new CreateAliasCommand({ AliasName: 'alias/durable', TargetKeyId: k.KeyId }));
      await c.send(new CreateGrantCommand({ KeyId: k.KeyId, GranteePrincipal: 'arn:aws:iam::000000000000:user/bob', Operations: ['Decrypt'] }));
      const blob = (await c.send(new EncryptCommand({ KeyId: 'alias/durable', Plaintext: Buffer.from('kept'), EncryptionContext: { a: 'b' } }))).CiphertextBlob;
      await c.send(new RotateKeyOnDemandCommand({ KeyId: k.KeyId }));
      const after = (await c.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from('rotated') }))).CiphertextBlob;
      process.stdout.write(JSON.stringify({ keyId: k.KeyId, blob: Buffer.from(blob).toString('base64'), after: Buffer.from(after).toString('base64') }));
      process.exit(0);
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const first = JSON.parse(out) as { keyId: string; blob: string; after: string };
    const second = await startDrydock({ dataDir: dir });
    try {
      const c = kmsClient(second);
      const md = (await c.send(new DescribeKeyCommand({ KeyId: 'alias/durable' }))).KeyMetadata!;
      assert.equal(md.KeyId, first.keyId);
      assert.equal(md.Description, 'durable');
      assert.deepEqual((await c.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags, [{ TagKey: 'team', TagValue: 'core' }]);
      assert.equal((await c.send(new ListGrantsCommand({ KeyId: md.KeyId }))).Grants!.length, 1);
      const d = await c.send(new DecryptCommand({ CiphertextBlob: Buffer.from(first.blob, 'base64'), EncryptionContext: { a: 'b' } }));
      assert.equal(dec(d.Plaintext), 'kept');
      assert.equal(dec((await c.send(new DecryptCommand({ CiphertextBlob: Buffer.from(first.after, 'base64') }))).Plaintext), 'rotated');
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
