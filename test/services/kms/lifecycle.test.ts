import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createCipheriv, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes, verify } from 'node:crypto';
import {
  CreateKeyCommand, DecryptCommand, DeleteImportedKeyMaterialCommand, DescribeKeyCommand, DisableKeyCommand, DisableKeyRotationCommand, EnableKeyRotationCommand,
  EncryptCommand, GetKeyRotationStatusCommand, GetParametersForImportCommand, GetPublicKeyCommand, ImportKeyMaterialCommand,
  ListKeyRotationsCommand, ReplicateKeyCommand, RotateKeyOnDemandCommand, SignCommand, UpdatePrimaryRegionCommand,
  type AlgorithmSpec, type KMSClient, type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { useDrydock } from '../../helpers.js';
import { dec, enc, kmsClient, rejectsWith } from './helpers.js';

const h = useDrydock();
const kms = () => kmsClient(h.dd);
const DAY = 86_400;

test('automatic rotation on the clock keeps old ciphertexts decryptable', async () => {
  const k = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const before = await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('before rotation') }));
  await rejectsWith(kms().send(new EnableKeyRotationCommand({ KeyId: k.KeyId, RotationPeriodInDays: 89 })), 'ValidationException',
    "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90");
  const off = await kms().send(new GetKeyRotationStatusCommand({ KeyId: k.KeyId }));
  assert.equal(off.KeyRotationEnabled, false);
  assert.equal(off.NextRotationDate, undefined);
  await kms().send(new EnableKeyRotationCommand({ KeyId: k.KeyId, RotationPeriodInDays: 90 }));
  const on = await kms().send(new GetKeyRotationStatusCommand({ KeyId: k.KeyId }));
  assert.equal(on.KeyRotationEnabled, true);
  assert.equal(on.RotationPeriodInDays, 90);
  assert.ok(Math.abs(on.NextRotationDate!.getTime() - (h.dd.clock.nowMs() + 90 * DAY * 1000)) < 5_000);

  h.dd.clock.advance(91 * DAY);
  const md = (await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!;
  assert.notEqual(md.CurrentKeyMaterialId, k.CurrentKeyMaterialId);
  const rotations = (await kms().send(new ListKeyRotationsCommand({ KeyId: k.KeyId }))).Rotations!;
  assert.equal(rotations.length, 1);
  assert.equal(rotations[0]!.RotationType, 'AUTOMATIC');
  assert.equal(rotations[0]!.KeyMaterialId, md.CurrentKeyMaterialId);
  const old = await kms().send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }));
  assert.equal(dec(old.Plaintext), 'before rotation');
  assert.equal(old.KeyMaterialId, k.CurrentKeyMaterialId);
  const after = await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('after') }));
  assert.equal((await kms().send(new DecryptCommand({ CiphertextBlob: after.CiphertextBlob }))).KeyMaterialId, md.CurrentKeyMaterialId);
  const all = (await kms().send(new ListKeyRotationsCommand({ KeyId: k.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations!;
  assert.deepEqual(all.map((r) => r.KeyMaterialState), ['NON_CURRENT', 'CURRENT']);
  await kms().send(new DisableKeyRotationCommand({ KeyId: k.KeyId }));
  assert.equal((await kms().send(new GetKeyRotationStatusCommand({ KeyId: k.KeyId }))).KeyRotationEnabled, false);
  h.dd.clock.advance(400 * DAY);
  assert.equal((await kms().send(new ListKeyRotationsCommand({ KeyId: k.KeyId }))).Rotations!.length, 1);
  const ec = (await kms().send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
  await rejectsWith(kms().send(new EnableKeyRotationCommand({ KeyId: ec.KeyId })), 'UnsupportedOperationException');
});

test('RotateKeyOnDemand: new material at once, at most 10 times, with AWS errors', async () => {
  const k = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const c = await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('v1') }));
  assert.equal((await kms().send(new RotateKeyOnDemandCommand({ KeyId: k.KeyId }))).KeyId, k.Arn);
  assert.equal((await kms().send(new GetKeyRotationStatusCommand({ KeyId: k.KeyId }))).KeyRotationEnabled, false);
  assert.equal(dec((await kms().send(new DecryptCommand({ CiphertextBlob: c.CiphertextBlob }))).Plaintext), 'v1');
  for (let i = 1; i < 10; i++) await kms().send(new RotateKeyOnDemandCommand({ KeyId: k.KeyId }));
  await rejectsWith(kms().send(new RotateKeyOnDemandCommand({ KeyId: k.KeyId })), 'LimitExceededException',
    `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${k.Arn}`);
  assert.equal((await kms().send(new ListKeyRotationsCommand({ KeyId: k.KeyId }))).Rotations!.length, 10);
  assert.equal(dec((await kms().send(new DecryptCommand({ CiphertextBlob: c.CiphertextBlob }))).Plaintext), 'v1');

  const rsa = (await kms().send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!;
  await rejectsWith(kms().send(new RotateKeyOnDemandCommand({ KeyId: rsa.KeyId })), 'UnsupportedOperationException');
  await kms().send(new DisableKeyCommand({ KeyId: rsa.KeyId }));
  await rejectsWith(kms().send(new RotateKeyOnDemandCommand({ KeyId: rsa.KeyId })), 'DisabledException', `${rsa.Arn} is disabled.`);
  await rejectsWith(kms().send(new RotateKeyOnDemandCommand({ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' })), 'NotFoundException',
    "Key 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist");
  const ext = (await kms().send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
  await rejectsWith(kms().send(new RotateKeyOnDemandCommand({ KeyId: ext.KeyId })), 'KMSInvalidStateException', `${ext.Arn} is pending import.`);
});

test('multi-Region keys: replicas share material and decrypt the primary\'s ciphertext', async () => {
  const west = kmsClient(h.dd, { region: 'eu-west-1' });
  const p = (await kms().send(new CreateKeyCommand({ MultiRegion: true, Description: 'test replicated key' }))).KeyMetadata!;
  assert.match(p.KeyId!, /^mrk-[0-9a-f]{32}$/);
  assert.deepEqual(p.MultiRegionConfiguration, { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: p.Arn, Region: 'us-east-1' }, ReplicaKeys: [] });
  const replicaArn = `arn:aws:kms:eu-west-1:000000000000:key/${p.KeyId}`;
  await rejectsWith(west.send(new DescribeKeyCommand({ KeyId: p.KeyId })), 'NotFoundException', `Key '${replicaArn}' does not exist`);
  const r = await kms().send(new ReplicateKeyCommand({ KeyId: p.KeyId, ReplicaRegion: 'eu-west-1' }));
  const rm = r.ReplicaKeyMetadata!;
  assert.equal(rm.Arn, replicaArn);
  assert.equal(rm.KeyState, 'Creating');
  assert.equal(rm.Enabled, false);
  assert.equal(rm.Description, '');
  assert.equal(rm.CurrentKeyMaterialId, undefined);
  assert.deepEqual(rm.MultiRegionConfiguration, {
    MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: p.Arn, Region: 'us-east-1' }, ReplicaKeys: [{ Arn: replicaArn, Region: 'eu-west-1' }],
  });
  assert.equal(JSON.parse(r.ReplicaPolicy!).Statement[0].Principal.AWS, 'arn:aws:iam::000000000000:root');
  const primary = (await kms().send(new DescribeKeyCommand({ KeyId: p.KeyId }))).KeyMetadata!;
  assert.deepEqual(primary.MultiRegionConfiguration!.ReplicaKeys, [{ Arn: replicaArn, Region: 'eu-west-1' }]);
  const replica = (await west.send(new DescribeKeyCommand({ KeyId: p.KeyId }))).KeyMetadata!;
  assert.equal(replica.KeyState, 'Enabled');
  assert.equal(replica.CurrentKeyMaterialId, primary.CurrentKeyMaterialId);

  const c = await kms().send(new EncryptCommand({ KeyId: p.KeyId, Plaintext: enc('across regions') }));
  const d = await west.send(new DecryptCommand({ CiphertextBlob: c.CiphertextBlob }));
  assert.equal(dec(d.Plaintext), 'across regions');
  assert.equal(d.KeyId, replicaArn);
  // Rotation of the primary reaches the replica.
  await kms().send(new RotateKeyOnDemandCommand({ KeyId: p.KeyId }));
  const c2 = await kms().send(new EncryptCommand({ KeyId: p.KeyId, Plaintext: enc('rotated') }));
  assert.equal(dec((await west.send(new DecryptCommand({ CiphertextBlob: c2.CiphertextBlob }))).Plaintext), 'rotated');
  await rejectsWith(west.send(new ReplicateKeyCommand({ KeyId: p.KeyId, ReplicaRegion: 'eu-west-2' })), 'UnsupportedOperationException',
    `${replicaArn} is not a multi-region primary key.`);
  // A key that is not multi-Region does not decrypt in another region.
  const plain = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const c3 = await kms().send(new EncryptCommand({ KeyId: plain.KeyId, Plaintext: enc('local') }));
  await rejectsWith(west.send(new DecryptCommand({ CiphertextBlob: c3.CiphertextBlob })), 'InvalidCiphertextException');
  // The primary role moves.
  await kms().send(new UpdatePrimaryRegionCommand({ KeyId: p.KeyId, PrimaryRegion: 'eu-west-1' }));
  assert.equal((await west.send(new DescribeKeyCommand({ KeyId: p.KeyId }))).KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType, 'PRIMARY');
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: p.KeyId }))).KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType, 'REPLICA');
});

async function wrapFor(client: KMSClient, keyId: string, material: Buffer, WrappingAlgorithm: AlgorithmSpec, WrappingKeySpec: WrappingKeySpec) {
  const params = await client.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm, WrappingKeySpec }));
  const key = createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' });
  const oaepHash = WrappingAlgorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  let wrapped: Buffer;
  if (WrappingAlgorithm.startsWith('RSA_AES')) {
    const aes = randomBytes(32);
    const kwp = createCipheriv('id-aes256-wrap-pad', aes, Buffer.from('a65959a6', 'hex'));
    wrapped = Buffer.concat([publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, aes), kwp.update(material), kwp.final()]);
  } else {
    wrapped = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, material);
  }
  return { params, wrapped };
}

test('imported symmetric material: import, new material and rotation, delete and re-import', async () => {
  const aws = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  await rejectsWith(kms().send(new GetParametersForImportCommand({ KeyId: aws.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })),
    'UnsupportedOperationException', `${aws.Arn} origin is AWS_KMS which is not valid for this operation.`);
  const k = (await kms().send(new CreateKeyCommand({ Origin: 'EXTERNAL', Description: 'imported' }))).KeyMetadata!;
  const m1 = randomBytes(32);
  const { params, wrapped } = await wrapFor(kms(), k.KeyId!, m1, 'RSAES_OAEP_SHA_256', 'RSA_2048');
  assert.equal(params.KeyId, k.Arn);
  assert.ok(params.ParametersValidTo instanceof Date);
  await rejectsWith(kms().send(new ImportKeyMaterialCommand({ KeyId: k.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped })),
    'ValidationException', 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
  const imp = await kms().send(new ImportKeyMaterialCommand({ KeyId: k.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
  assert.equal(imp.KeyId, k.Arn);
  const md = (await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!;
  assert.equal(md.KeyState, 'Enabled');
  assert.equal(md.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
  assert.equal(md.CurrentKeyMaterialId, imp.KeyMaterialId);
  const c1 = await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('first material') }));

  const m2 = randomBytes(32);
  const second = await wrapFor(kms(), k.KeyId!, m2, 'RSAES_OAEP_SHA_256', 'RSA_2048');
  const imp2 = await kms().send(new ImportKeyMaterialCommand({
    KeyId: k.KeyId, ImportToken: second.params.ImportToken, EncryptedKeyMaterial: second.wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL',
  }));
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!.CurrentKeyMaterialId, imp.KeyMaterialId);
  const third = await wrapFor(kms(), k.KeyId!, randomBytes(32), 'RSAES_OAEP_SHA_256', 'RSA_2048');
  await assert.rejects(kms().send(new ImportKeyMaterialCommand({
    KeyId: k.KeyId, ImportToken: third.params.ImportToken, EncryptedKeyMaterial: third.wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL',
  })), (e: Error) => e.name === 'KMSInvalidStateException'
    && new RegExp(`^New key material \\(id: [0-9a-f]{64}\\) cannot be imported into KMS key ${k.KeyId}, because another key material \\(id: ${imp2.KeyMaterialId}\\) is pending rotation\\.$`).test(e.message));
  await kms().send(new RotateKeyOnDemandCommand({ KeyId: k.KeyId }));
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!.CurrentKeyMaterialId, imp2.KeyMaterialId);
  assert.equal(dec((await kms().send(new DecryptCommand({ CiphertextBlob: c1.CiphertextBlob }))).Plaintext), 'first material');
  await rejectsWith(kms().send(new RotateKeyOnDemandCommand({ KeyId: k.KeyId })), 'KMSInvalidStateException', `No available key material pending rotation for the key: ${k.Arn}.`);
  const c2 = await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('second material') }));

  // Deleting the current material: pending import until the same bytes come back.
  await kms().send(new DeleteImportedKeyMaterialCommand({ KeyId: k.KeyId }));
  const gone = (await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!;
  assert.equal(gone.KeyState, 'PendingImport');
  assert.equal(gone.Enabled, false);
  assert.equal(gone.ExpirationModel, undefined);
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('x') })), 'KMSInvalidStateException', `${k.Arn} is pending import.`);
  const wrong = await wrapFor(kms(), k.KeyId!, randomBytes(32), 'RSAES_OAEP_SHA_1', 'RSA_2048');
  await rejectsWith(kms().send(new ImportKeyMaterialCommand({ KeyId: k.KeyId, ImportToken: wrong.params.ImportToken, EncryptedKeyMaterial: wrong.wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })),
    'IncorrectKeyMaterialException');
  const again = await wrapFor(kms(), k.KeyId!, m2, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048');
  const re = await kms().send(new ImportKeyMaterialCommand({ KeyId: k.KeyId, ImportToken: again.params.ImportToken, EncryptedKeyMaterial: again.wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
  assert.equal(re.KeyMaterialId, imp2.KeyMaterialId);
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!.KeyState, 'Enabled');
  assert.equal(dec((await kms().send(new DecryptCommand({ CiphertextBlob: c2.CiphertextBlob }))).Plaintext), 'second material');
  assert.equal(dec((await kms().send(new DecryptCommand({ CiphertextBlob: c1.CiphertextBlob }))).Plaintext), 'first material');
});

test('imported material that expires leaves the key pending import when the clock passes ValidTo', async () => {
  const k = (await kms().send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
  const { params, wrapped } = await wrapFor(kms(), k.KeyId!, randomBytes(32), 'RSAES_OAEP_SHA_256', 'RSA_2048');
  const ValidTo = new Date(h.dd.clock.nowMs() + 2 * DAY * 1000);
  await kms().send(new ImportKeyMaterialCommand({ KeyId: k.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ValidTo }));
  const md = (await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!;
  assert.equal(md.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
  assert.ok(Math.abs(md.ValidTo!.getTime() - ValidTo.getTime()) < 1000);
  h.dd.clock.advance(3 * DAY);
  assert.equal((await kms().send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!.KeyState, 'PendingImport');
});

test('imported asymmetric material: EC private key by OAEP, RSA private key by RSA_AES_KEY_WRAP', async () => {
  const ec = (await kms().send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
  const mine = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const pkcs8 = mine.privateKey.export({ type: 'pkcs8', format: 'der' });
  const w = await wrapFor(kms(), ec.KeyId!, pkcs8, 'RSAES_OAEP_SHA_1', 'RSA_2048');
  await kms().send(new ImportKeyMaterialCommand({ KeyId: ec.KeyId, ImportToken: w.params.ImportToken, EncryptedKeyMaterial: w.wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
  const pub = await kms().send(new GetPublicKeyCommand({ KeyId: ec.KeyId }));
  assert.deepEqual(Buffer.from(pub.PublicKey!), mine.publicKey.export({ type: 'spki', format: 'der' }));
  const s = await kms().send(new SignCommand({ KeyId: ec.KeyId, Message: enc('imported'), SigningAlgorithm: 'ECDSA_SHA_384' }));
  assert.ok(verify('sha384', enc('imported'), mine.publicKey, s.Signature!));

  const rsa = (await kms().send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!;
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rw = await wrapFor(kms(), rsa.KeyId!, pair.privateKey.export({ type: 'pkcs8', format: 'der' }), 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048');
  await kms().send(new ImportKeyMaterialCommand({ KeyId: rsa.KeyId, ImportToken: rw.params.ImportToken, EncryptedKeyMaterial: rw.wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
  const rpub = await kms().send(new GetPublicKeyCommand({ KeyId: rsa.KeyId }));
  assert.deepEqual(Buffer.from(rpub.PublicKey!), pair.publicKey.export({ type: 'spki', format: 'der' }));
  const offline = publicEncrypt({ key: pair.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, enc('to imported rsa'));
  assert.equal(dec((await kms().send(new DecryptCommand({ KeyId: rsa.KeyId, CiphertextBlob: offline, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }))).Plaintext), 'to imported rsa');
  // Material of the wrong spec is refused.
  const bad = (await kms().send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
  const bw = await wrapFor(kms(), bad.KeyId!, pkcs8, 'RSAES_OAEP_SHA_1', 'RSA_2048');
  await rejectsWith(kms().send(new ImportKeyMaterialCommand({ KeyId: bad.KeyId, ImportToken: bw.params.ImportToken, EncryptedKeyMaterial: bw.wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })),
    'IncorrectKeyMaterialException');
});
