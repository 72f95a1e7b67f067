import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, createHash, createPublicKey, generateKeyPairSync, diffieHellman, createPrivateKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateKeyCommand, DeriveSharedSecretCommand, GenerateMacCommand, GetPublicKeyCommand, SignCommand, VerifyCommand, VerifyMacCommand,
  type KeyMetadata, type KeySpec, type MacAlgorithmSpec, type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { useDrydock } from '../../helpers.js';
import { enc, kmsClient, rejectsWith } from './helpers.js';

const h = useDrydock();
const kms = () => kmsClient(h.dd);

const CASES: [KeySpec, SigningAlgorithmSpec][] = [
  ['RSA_2048', 'RSASSA_PSS_SHA_256'], ['RSA_2048', 'RSASSA_PSS_SHA_384'], ['RSA_2048', 'RSASSA_PSS_SHA_512'],
  ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256'], ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_384'], ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_512'],
  ['ECC_NIST_P256', 'ECDSA_SHA_256'], ['ECC_NIST_P384', 'ECDSA_SHA_384'], ['ECC_NIST_P521', 'ECDSA_SHA_512'], ['ECC_SECG_P256K1', 'ECDSA_SHA_256'],
];

const keys = new Map<string, KeyMetadata>();
let ready: Promise<void> | undefined;
function setup(): Promise<void> {
  ready ??= (async () => {
    const specs = [...new Set(CASES.map(([s]) => s))];
    const made = await Promise.all(specs.map((KeySpec) => kms().send(new CreateKeyCommand({ KeySpec, KeyUsage: 'SIGN_VERIFY' }))));
    specs.forEach((s, i) => keys.set(s, made[i]!.KeyMetadata!));
  })();
  return ready;
}

const hashOf = (alg: string) => `sha${alg.split('_').pop()}`;

function nodeVerifyOptions(der: Uint8Array, alg: string) {
  const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  if (alg.includes('PSS')) return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.split('_').pop()) / 8 };
  if (alg.includes('PKCS1')) return { key, padding: constants.RSA_PKCS1_PADDING };
  return key;
}

test('Sign and Verify work for every algorithm, RAW and DIGEST, and node:crypto and OpenSSL verify the signatures', async () => {
  await setup();
  const dir = mkdtempSync(join(tmpdir(), 'drydock-kms-'));
  try {
    const message = enc('test message !%$@ 1234567890');
    for (const [spec, alg] of CASES) {
      const k = keys.get(spec)!;
      const pub = await kms().send(new GetPublicKeyCommand({ KeyId: k.KeyId }));
      assert.equal(pub.KeySpec, spec);
      assert.equal(pub.KeyUsage, 'SIGN_VERIFY');
      assert.ok(pub.SigningAlgorithms!.includes(alg));
      const digest = createHash(hashOf(alg)).update(message).digest();
      const raw = await kms().send(new SignCommand({ KeyId: k.KeyId, Message: message, MessageType: 'RAW', SigningAlgorithm: alg }));
      assert.equal(raw.KeyId, k.Arn);
      assert.equal(raw.SigningAlgorithm, alg);
      const dig = await kms().send(new SignCommand({ KeyId: k.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: alg }));
      for (const sig of [raw.Signature!, dig.Signature!]) {
        // node:crypto with GetPublicKey's DER.
        assert.ok(verify(hashOf(alg), message, nodeVerifyOptions(pub.PublicKey!, alg), sig), `${alg}: node:crypto verify`);
        // Drydock itself, both message types.
        const v = await kms().send(new VerifyCommand({ KeyId: k.KeyId, Message: message, MessageType: 'RAW', Signature: sig, SigningAlgorithm: alg }));
        assert.equal(v.SignatureValid, true);
        const vd = await kms().send(new VerifyCommand({ KeyId: k.KeyId, Message: digest, MessageType: 'DIGEST', Signature: sig, SigningAlgorithm: alg }));
        assert.equal(vd.SignatureValid, true);
      }
      // OpenSSL: the DER public key as is, dgst for the message and pkeyutl for the digest.
      const f = (name: string, data: Uint8Array) => { const p = join(dir, name); writeFileSync(p, data); return p; };
      const pubFile = f('pub.der', pub.PublicKey!);
      const pss = alg.includes('PSS');
      const dgstOpts = pss ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${digest.length}`] : [];
      const out = execFileSync('openssl', ['dgst', `-${hashOf(alg)}`, '-keyform', 'DER', '-verify', pubFile, ...dgstOpts,
        '-signature', f('raw.sig', raw.Signature!), f('msg.bin', message)]).toString();
      assert.match(out, /Verified OK/, `${alg}: openssl dgst`);
      const pkeyOpts = ['-pkeyopt', `digest:${hashOf(alg)}`, ...(pss ? ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', `rsa_pss_saltlen:${digest.length}`] : [])];
      const out2 = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-keyform', 'DER', '-inkey', pubFile, ...pkeyOpts,
        '-in', f('digest.bin', digest), '-sigfile', f('dig.sig', dig.Signature!)]).toString();
      assert.match(out2, /Signature Verified Successfully/, `${alg}: openssl pkeyutl`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Sign and Verify errors are AWS errors', async () => {
  await setup();
  const rsaKey = keys.get('RSA_2048')!;
  const p256 = keys.get('ECC_NIST_P256')!;
  await rejectsWith(kms().send(new SignCommand({ KeyId: rsaKey.KeyId, Message: enc('not a digest'), MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
    'ValidationException', 'Digest is invalid length for algorithm RSASSA_PSS_SHA_256.');
  const bad = (await kms().send(new SignCommand({ KeyId: rsaKey.KeyId, Message: enc('bad'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }))).Signature;
  await rejectsWith(kms().send(new VerifyCommand({ KeyId: rsaKey.KeyId, Message: enc('good'), Signature: bad, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
    'KMSInvalidSignatureException');
  await rejectsWith(kms().send(new SignCommand({ KeyId: p256.KeyId, Message: enc('m'), SigningAlgorithm: 'ECDSA_SHA_384' })),
    'InvalidKeyUsageException', 'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.');
  const hmacKey = (await kms().send(new CreateKeyCommand({ KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
  await rejectsWith(kms().send(new SignCommand({ KeyId: hmacKey.KeyId, Message: enc('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
    'InvalidKeyUsageException', `${hmacKey.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Sign.`);
  const symKey = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  await rejectsWith(kms().send(new VerifyCommand({ KeyId: symKey.KeyId, Message: enc('m'), Signature: enc('random text'), SigningAlgorithm: 'ECDSA_SHA_256' })),
    'InvalidKeyUsageException', `${symKey.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Verify.`);
  await rejectsWith(kms().send(new SignCommand({ KeyId: rsaKey.KeyId, Message: Buffer.alloc(4097), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
    'ValidationException', "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096");
});

test('GenerateMac and VerifyMac for every HMAC spec', async () => {
  const specs: [KeySpec, MacAlgorithmSpec][] = [['HMAC_224', 'HMAC_SHA_224'], ['HMAC_256', 'HMAC_SHA_256'], ['HMAC_384', 'HMAC_SHA_384'], ['HMAC_512', 'HMAC_SHA_512']];
  for (const [KeySpec, MacAlgorithm] of specs) {
    const k = (await kms().send(new CreateKeyCommand({ KeySpec, KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
    const g = await kms().send(new GenerateMacCommand({ KeyId: k.KeyId, Message: enc('some important message'), MacAlgorithm }));
    assert.equal(g.KeyId, k.Arn);
    assert.equal(g.Mac!.length, Number(MacAlgorithm.slice(-3)) / 8);
    const v = await kms().send(new VerifyMacCommand({ KeyId: k.KeyId, Message: enc('some important message'), MacAlgorithm, Mac: g.Mac }));
    assert.equal(v.MacValid, true);
    await rejectsWith(kms().send(new VerifyMacCommand({ KeyId: k.KeyId, Message: enc('some different important message'), MacAlgorithm, Mac: g.Mac })), 'KMSInvalidMacException');
    await rejectsWith(kms().send(new GenerateMacCommand({ KeyId: 'key_id', Message: enc('m'), MacAlgorithm })), 'NotFoundException', "Invalid keyId 'key_id'");
  }
  const k = (await kms().send(new CreateKeyCommand({ KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
  await rejectsWith(kms().send(new GenerateMacCommand({ KeyId: k.KeyId, Message: enc('m'), MacAlgorithm: 'HMAC_SHA_256' })),
    'InvalidKeyUsageException', 'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.');
  await rejectsWith(kms().send(new GenerateMacCommand({ KeyId: k.KeyId, Message: enc('m'), MacAlgorithm: 'INVALID' as MacAlgorithmSpec })),
    'ValidationException', "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]");
  const sym = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
  await rejectsWith(kms().send(new GenerateMacCommand({ KeyId: sym.KeyId, Message: enc('m'), MacAlgorithm: 'HMAC_SHA_224' })),
    'InvalidKeyUsageException', `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`);
});

test('DeriveSharedSecret agrees with node:crypto ECDH on both sides', async () => {
  const k = (await kms().send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }))).KeyMetadata!;
  const pub = await kms().send(new GetPublicKeyCommand({ KeyId: k.KeyId }));
  assert.deepEqual(pub.KeyAgreementAlgorithms, ['ECDH']);
  const mine = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const r = await kms().send(new DeriveSharedSecretCommand({
    KeyId: k.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: mine.publicKey.export({ type: 'spki', format: 'der' }),
  }));
  assert.equal(r.KeyOrigin, 'AWS_KMS');
  const local = diffieHellman({ privateKey: createPrivateKey(mine.privateKey.export({ type: 'pkcs8', format: 'pem' })), publicKey: createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' }) });
  assert.deepEqual(Buffer.from(r.SharedSecret!), local);
  await rejectsWith(kms().send(new DeriveSharedSecretCommand({ KeyId: k.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: enc('InvalidPublicKey') })), 'ValidationException');
});
