import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPrivateKey, createPublicKey, publicEncrypt, privateDecrypt } from 'node:crypto';
import {
  CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand, GenerateDataKeyWithoutPlaintextCommand, GenerateRandomCommand,
  GetPublicKeyCommand, ReEncryptCommand, type EncryptionAlgorithmSpec, type KeyMetadata, type KeySpec,
} from '@aws-sdk/client-kms';
import { useDrydock } from '../../helpers.js';
import { dec, enc, kmsClient, rejectsWith } from './helpers.js';

const h = useDrydock();
const kms = () => kmsClient(h.dd);
let sym: KeyMetadata;
const rsa: Record<string, KeyMetadata> = {};
let ready: Promise<void> | undefined;

/** RSA key generation is the slow part: make each size once for the whole file. */
function setup(): Promise<void> {
  ready ??= (async () => {
    const make = (KeySpec: KeySpec) => kms().send(new CreateKeyCommand({ KeySpec, KeyUsage: 'ENCRYPT_DECRYPT' })).then((r) => r.KeyMetadata!);
    const [s, a, b, c] = await Promise.all([make('SYMMETRIC_DEFAULT'), make('RSA_2048'), make('RSA_3072'), make('RSA_4096')]);
    sym = s;
    Object.assign(rsa, { RSA_2048: a, RSA_3072: b, RSA_4096: c });
  })();
  return ready;
}

test('symmetric ciphertext decrypts without a KeyId and reports the key and material', async () => {
  await setup();
  const e = await kms().send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: enc('hello kms') }));
  assert.equal(e.KeyId, sym.Arn);
  assert.equal(e.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.ok(!Buffer.from(e.CiphertextBlob!).includes(Buffer.from('hello kms')));
  const d = await kms().send(new DecryptCommand({ CiphertextBlob: e.CiphertextBlob }));
  assert.equal(dec(d.Plaintext), 'hello kms');
  assert.equal(d.KeyId, sym.Arn);
  assert.equal(d.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.equal(d.KeyMaterialId, sym.CurrentKeyMaterialId);
  // Two encryptions of the same plaintext differ (random IV).
  const e2 = await kms().send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: enc('hello kms') }));
  assert.notDeepEqual(Buffer.from(e2.CiphertextBlob!), Buffer.from(e.CiphertextBlob!));
});

test('the encryption context is bound to the ciphertext', async () => {
  await setup();
  const EncryptionContext = { 'context-key': 'context-value', purpose: 'test' };
  const e = await kms().send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: enc('secret'), EncryptionContext }));
  const ok = await kms().send(new DecryptCommand({ CiphertextBlob: e.CiphertextBlob, EncryptionContext: { purpose: 'test', 'context-key': 'context-value' } }));
  assert.equal(dec(ok.Plaintext), 'secret');
  await rejectsWith(kms().send(new DecryptCommand({ CiphertextBlob: e.CiphertextBlob })), 'InvalidCiphertextException');
  await rejectsWith(kms().send(new DecryptCommand({ CiphertextBlob: e.CiphertextBlob, EncryptionContext: { 'context-key': 'other', purpose: 'test' } })), 'InvalidCiphertextException');
  const tampered = Buffer.from(e.CiphertextBlob!);
  tampered[tampered.length - 1] ^= 1;
  await rejectsWith(kms().send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext })), 'InvalidCiphertextException');
  await rejectsWith(kms().send(new DecryptCommand({ CiphertextBlob: Buffer.concat([Buffer.from(e.CiphertextBlob!), Buffer.from('bad_data')]), EncryptionContext })), 'InvalidCiphertextException');
  await rejectsWith(kms().send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a kms ciphertext') })), 'InvalidCiphertextException');
});

test('Decrypt with the KeyId of another key is IncorrectKeyException', async () => {
  await setup();
  const other = (await kms().send(new CreateKeyCommand({ KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
  const e = await kms().send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: enc('x') }));
  await rejectsWith(kms().send(new DecryptCommand({ CiphertextBlob: e.CiphertextBlob, KeyId: other.KeyId })), 'IncorrectKeyException',
    'The key ID in the request does not identify a CMK that can perform this operation.');
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: other.KeyId, Plaintext: enc('x') })), 'InvalidKeyUsageException',
    `${other.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.`);
});

test('plaintext larger than 4096 bytes is refused with AWS message', async () => {
  await setup();
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: Buffer.alloc(4097) })), 'ValidationException',
    "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096");
});

test('RSA keys encrypt with RSAES_OAEP_SHA_1/256 up to AWS limits, and decrypt offline-made ciphertext', async () => {
  await setup();
  const limits: [string, EncryptionAlgorithmSpec, number][] = [
    ['RSA_2048', 'RSAES_OAEP_SHA_1', 214], ['RSA_2048', 'RSAES_OAEP_SHA_256', 190],
    ['RSA_3072', 'RSAES_OAEP_SHA_1', 342], ['RSA_3072', 'RSAES_OAEP_SHA_256', 318],
    ['RSA_4096', 'RSAES_OAEP_SHA_1', 470], ['RSA_4096', 'RSAES_OAEP_SHA_256', 446],
  ];
  for (const [spec, alg, max] of limits) {
    const k = rsa[spec]!;
    const pt = Buffer.alloc(max, 7);
    const e = await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: pt, EncryptionAlgorithm: alg }));
    assert.equal(e.CiphertextBlob!.length, Number(spec.slice(4)) / 8);
    const d = await kms().send(new DecryptCommand({ KeyId: k.KeyId, CiphertextBlob: e.CiphertextBlob, EncryptionAlgorithm: alg }));
    assert.deepEqual(Buffer.from(d.Plaintext!), pt);
    await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.alloc(max + 1), EncryptionAlgorithm: alg })), 'ValidationException',
      `Algorithm ${alg} and key spec ${spec} cannot encrypt data larger than ${max} bytes.`);
  }
  const k = rsa['RSA_2048']!;
  const pub = await kms().send(new GetPublicKeyCommand({ KeyId: k.KeyId }));
  assert.equal(pub.KeyId, k.Arn);
  assert.deepEqual(pub.EncryptionAlgorithms, ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
  const offline = publicEncrypt({ key: createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, enc('made offline'));
  const d = await kms().send(new DecryptCommand({ KeyId: k.KeyId, CiphertextBlob: offline, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
  assert.equal(dec(d.Plaintext), 'made offline');
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('x') })), 'InvalidKeyUsageException',
    'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.');
  await rejectsWith(kms().send(new DecryptCommand({ CiphertextBlob: offline, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'InvalidCiphertextException');
});

test('ReEncrypt moves ciphertext between keys, symmetric and RSA', async () => {
  await setup();
  const dst = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  const e = await kms().send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: enc('move me'), EncryptionContext: { a: '1' } }));
  const r = await kms().send(new ReEncryptCommand({
    CiphertextBlob: e.CiphertextBlob, SourceEncryptionContext: { a: '1' }, DestinationKeyId: dst.KeyId, DestinationEncryptionContext: { b: '2' },
  }));
  assert.equal(r.SourceKeyId, sym.Arn);
  assert.equal(r.KeyId, dst.Arn);
  assert.equal(r.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.equal(r.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.equal(dec((await kms().send(new DecryptCommand({ CiphertextBlob: r.CiphertextBlob, EncryptionContext: { b: '2' } }))).Plaintext), 'move me');
  const hmacKey = (await kms().send(new CreateKeyCommand({ KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
  await rejectsWith(kms().send(new ReEncryptCommand({ CiphertextBlob: e.CiphertextBlob, SourceKeyId: hmacKey.KeyId, DestinationKeyId: hmacKey.KeyId })),
    'IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  const k = rsa['RSA_2048']!;
  const re = await kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('rsa'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
  const moved = await kms().send(new ReEncryptCommand({
    CiphertextBlob: re.CiphertextBlob, SourceKeyId: k.KeyId, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    DestinationKeyId: rsa['RSA_3072']!.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
  }));
  assert.equal(moved.SourceKeyId, k.Arn);
  const back = await kms().send(new DecryptCommand({ KeyId: rsa['RSA_3072']!.KeyId, CiphertextBlob: moved.CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }));
  assert.equal(dec(back.Plaintext), 'rsa');
});

test('GenerateDataKey and GenerateDataKeyWithoutPlaintext', async () => {
  await setup();
  const g = await kms().send(new GenerateDataKeyCommand({ KeyId: sym.KeyId, KeySpec: 'AES_256', EncryptionContext: { 'context-key': 'context-value' } }));
  assert.equal(g.Plaintext!.length, 32);
  assert.equal(g.KeyId, sym.Arn);
  await rejectsWith(kms().send(new DecryptCommand({ CiphertextBlob: g.CiphertextBlob, KeyId: sym.KeyId })), 'InvalidCiphertextException');
  const d = await kms().send(new DecryptCommand({ CiphertextBlob: g.CiphertextBlob, EncryptionContext: { 'context-key': 'context-value' } }));
  assert.deepEqual(Buffer.from(d.Plaintext!), Buffer.from(g.Plaintext!));
  const n = await kms().send(new GenerateDataKeyCommand({ KeyId: sym.KeyId, NumberOfBytes: 64 }));
  assert.equal(n.Plaintext!.length, 64);
  const w = await kms().send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: sym.KeyId, KeySpec: 'AES_128' }));
  assert.equal('Plaintext' in w, false);
  assert.equal((await kms().send(new DecryptCommand({ CiphertextBlob: w.CiphertextBlob }))).Plaintext!.length, 16);
  await rejectsWith(kms().send(new GenerateDataKeyCommand({ KeyId: sym.KeyId })), 'ValidationException', 'Please specify either number of bytes or key spec.');
});

test('GenerateDataKeyPair: the private key decrypts and matches the public key', async () => {
  await setup();
  const p = await kms().send(new GenerateDataKeyPairCommand({ KeyId: sym.KeyId, KeyPairSpec: 'RSA_2048', EncryptionContext: { a: 'b' } }));
  assert.equal(p.KeyPairSpec, 'RSA_2048');
  const priv = createPrivateKey({ key: Buffer.from(p.PrivateKeyPlaintext!), format: 'der', type: 'pkcs8' });
  const pub = createPublicKey({ key: Buffer.from(p.PublicKey!), format: 'der', type: 'spki' });
  const ct = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING }, enc('pair'));
  assert.equal(dec(privateDecrypt({ key: priv, padding: constants.RSA_PKCS1_OAEP_PADDING }, ct)), 'pair');
  const d = await kms().send(new DecryptCommand({ CiphertextBlob: p.PrivateKeyCiphertextBlob, EncryptionContext: { a: 'b' } }));
  assert.deepEqual(Buffer.from(d.Plaintext!), Buffer.from(p.PrivateKeyPlaintext!));
  await rejectsWith(kms().send(new DecryptCommand({ CiphertextBlob: p.PrivateKeyCiphertextBlob })), 'InvalidCiphertextException');

  const w = await kms().send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
  assert.equal('PrivateKeyPlaintext' in w, false);
  const wd = await kms().send(new DecryptCommand({ CiphertextBlob: w.PrivateKeyCiphertextBlob }));
  const k = createPrivateKey({ key: Buffer.from(wd.Plaintext!), format: 'der', type: 'pkcs8' });
  assert.deepEqual(createPublicKey(k).export({ type: 'spki', format: 'der' }), Buffer.from(w.PublicKey!));
  await rejectsWith(kms().send(new GenerateDataKeyPairCommand({ KeyId: sym.KeyId, KeyPairSpec: 'RSA_2048', DryRun: true })), 'DryRunOperationException',
    'The request would have succeeded, but the DryRun option is set.');
});

test('GenerateRandom returns 1..1024 bytes', async () => {
  await setup();
  for (const n of [1, 12, 1024]) assert.equal((await kms().send(new GenerateRandomCommand({ NumberOfBytes: n }))).Plaintext!.length, n);
  await rejectsWith(kms().send(new GenerateRandomCommand({ NumberOfBytes: 1025 })), 'ValidationException',
    "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024");
  await rejectsWith(kms().send(new GenerateRandomCommand({ NumberOfBytes: 0 })), 'ValidationException',
    "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1");
  await rejectsWith(kms().send(new GenerateRandomCommand({})), 'ValidationException', 'NumberOfBytes is required.');
});

test('a key with imported material is pending import until material arrives', async () => {
  await setup();
  const k = (await kms().send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
  assert.equal(k.KeyState, 'PendingImport');
  assert.equal(k.Enabled, false);
  await rejectsWith(kms().send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: enc('x') })), 'KMSInvalidStateException', `${k.Arn} is pending import.`);
});
