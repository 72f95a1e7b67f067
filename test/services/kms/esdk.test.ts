import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClient, CommitmentPolicy, getClient, KmsKeyringNode } from '@aws-crypto/client-node';
import { CreateKeyCommand, KMS } from '@aws-sdk/client-kms';
import { sdkConfig, useDrydock } from '../../helpers.js';
import { kmsClient } from './helpers.js';

const h = useDrydock();

test('the AWS Encryption SDK for JavaScript encrypts and decrypts through Drydock KMS', async () => {
  const kms = kmsClient(h.dd);
  const generator = (await kms.send(new CreateKeyCommand({ Description: 'esdk generator' }))).KeyMetadata!;
  const extra = (await kms.send(new CreateKeyCommand({ Description: 'esdk second key' }))).KeyMetadata!;

  // The keyring's client factory points every KMS client at Drydock.
  const clientProvider = getClient(KMS, sdkConfig(h.dd));
  const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const keyring = new KmsKeyringNode({ generatorKeyId: generator.Arn, keyIds: [extra.Arn!], clientProvider });
  const plaintext = Buffer.from('a message protected by envelope encryption '.repeat(100));
  const encryptionContext = { stage: 'test', purpose: 'drydock' };

  const { result, messageHeader } = await encrypt(keyring, plaintext, { encryptionContext });
  assert.equal(messageHeader.encryptedDataKeys.length, 2);
  assert.deepEqual(messageHeader.encryptedDataKeys.map((k) => k.providerInfo), [generator.Arn, extra.Arn]);
  assert.ok(!result.includes(plaintext.subarray(0, 40)));

  const out = await decrypt(keyring, result);
  assert.deepEqual(out.plaintext, plaintext);
  assert.equal(out.messageHeader.encryptionContext['stage'], 'test');

  // Either key alone decrypts the message: the second through its own encrypted data key.
  const onlyExtra = new KmsKeyringNode({ keyIds: [extra.Arn!], clientProvider });
  assert.deepEqual((await decrypt(onlyExtra, result)).plaintext, plaintext);

  // A tampered message fails authentication.
  const tampered = Buffer.from(result);
  tampered[tampered.length - 40] ^= 1;
  await assert.rejects(decrypt(keyring, tampered));
});
