/**
 * Encrypt, Decrypt, ReEncrypt, GenerateDataKey(+WithoutPlaintext), GenerateDataKeyPair
 * (+WithoutPlaintext) and GenerateRandom. Symmetric keys use the self-describing blob of
 * {@link ./crypto.ts} (Decrypt needs no KeyId, the encryption context is bound as AAD);
 * RSA keys use plain RSAES-OAEP, so ciphertext made offline with GetPublicKey decrypts too.
 */
import { randomBytes } from '../../core/random.js';
import type { Handler, ServiceContext } from '../types.js';
import { generateKeyPairDer, open, parseSealed, rsaDecrypt, rsaEncrypt, seal, type SealedBlob } from './crypto.js';
import * as E from './errors.js';
import { checkGrantTokens } from './grants.js';
import { checkDryRun, liveMaterial, requireUsable, resolveKey, stateOf, used, type Resolved } from './resolve.js';
import { DATA_KEY_PAIR_SPECS, ENCRYPTION_ALGORITHMS, encryptionAlgorithms, oaepLimit, spec } from './specs.js';

type Context = Record<string, string> | undefined;

/** Encrypt: up to 4096 bytes under a symmetric key, or up to the OAEP limit under an RSA key. */
export const encrypt: Handler = (input, ctx) => {
  const plaintext = E.blobIn(input['Plaintext'], 'plaintext', 4096);
  const algorithm = algorithmIn(input['EncryptionAlgorithm'], 'encryptionAlgorithm');
  checkGrantTokens(input['GrantTokens']);
  const r = resolveKey(ctx, input['KeyId']);
  requireUsable(r.key, 'ENCRYPT_DECRYPT', 'Encrypt');
  const out = encryptWith(r, algorithm, plaintext, contextIn(input['EncryptionContext']));
  checkDryRun(input);
  used(ctx, r);
  return { CiphertextBlob: out.blob, KeyId: r.key.arn, EncryptionAlgorithm: algorithm };
};

/** Decrypt: the key comes from the blob (symmetric) or from KeyId (RSA, where it is required). */
export const decrypt: Handler = (input, ctx) => {
  const blob = E.blobIn(input['CiphertextBlob'], 'ciphertextBlob', 6144);
  const algorithm = algorithmIn(input['EncryptionAlgorithm'], 'encryptionAlgorithm');
  checkGrantTokens(input['GrantTokens']);
  rejectRecipient(input);
  const out = decryptWith(ctx, blob, input['KeyId'], algorithm, contextIn(input['EncryptionContext']), 'Decrypt');
  checkDryRun(input);
  used(ctx, out.r);
  return { KeyId: out.r.key.arn, Plaintext: out.plaintext, EncryptionAlgorithm: algorithm, KeyMaterialId: out.materialId };
};

/** ReEncrypt: decrypts under the source key and encrypts under the destination key, server-side. */
export const reEncrypt: Handler = (input, ctx) => {
  const blob = E.blobIn(input['CiphertextBlob'], 'ciphertextBlob', 6144);
  const srcAlg = algorithmIn(input['SourceEncryptionAlgorithm'], 'sourceEncryptionAlgorithm');
  const dstAlg = algorithmIn(input['DestinationEncryptionAlgorithm'], 'destinationEncryptionAlgorithm');
  checkGrantTokens(input['GrantTokens']);
  const src = decryptWith(ctx, blob, input['SourceKeyId'], srcAlg, contextIn(input['SourceEncryptionContext']), 'ReEncrypt');
  const dst = resolveKey(ctx, input['DestinationKeyId']);
  requireUsable(dst.key, 'ENCRYPT_DECRYPT', 'ReEncrypt');
  const out = encryptWith(dst, dstAlg, src.plaintext, contextIn(input['DestinationEncryptionContext']));
  checkDryRun(input);
  used(ctx, src.r);
  used(ctx, dst);
  return {
    CiphertextBlob: out.blob, SourceKeyId: src.r.key.arn, KeyId: dst.key.arn,
    SourceEncryptionAlgorithm: srcAlg, DestinationEncryptionAlgorithm: dstAlg,
    SourceKeyMaterialId: src.materialId, DestinationKeyMaterialId: out.materialId,
  };
};

/** GenerateDataKey: a random data key and its encryption under a symmetric key. */
export const generateDataKey: Handler = (input, ctx) => dataKey(input, ctx, true);

/** GenerateDataKeyWithoutPlaintext: the same, returning only the encrypted data key. */
export const generateDataKeyWithoutPlaintext: Handler = (input, ctx) => dataKey(input, ctx, false);

function dataKey(input: Record<string, unknown>, ctx: ServiceContext, withPlaintext: boolean): Record<string, unknown> {
  const bytes = dataKeyLength(input);
  checkGrantTokens(input['GrantTokens']);
  rejectRecipient(input);
  const r = symmetricKey(ctx, input['KeyId'], ctx.operation);
  checkDryRun(input);
  const plaintext = randomBytes(bytes);
  const m = liveMaterial(r.key);
  const blob = seal(r.key.arn, m, plaintext, contextIn(input['EncryptionContext']));
  used(ctx, r);
  return { CiphertextBlob: blob, ...(withPlaintext ? { Plaintext: plaintext } : {}), KeyId: r.key.arn, KeyMaterialId: m.id };
}

/** GenerateDataKeyPair: an RSA or EC key pair, the private key also encrypted under a symmetric key. */
export const generateDataKeyPair: Handler = (input, ctx) => dataKeyPair(input, ctx, true);

/** GenerateDataKeyPairWithoutPlaintext: the same without the plaintext private key. */
export const generateDataKeyPairWithoutPlaintext: Handler = (input, ctx) => dataKeyPair(input, ctx, false);

async function dataKeyPair(input: Record<string, unknown>, ctx: ServiceContext, withPlaintext: boolean): Promise<Record<string, unknown>> {
  const pairSpec = String(input['KeyPairSpec']);
  if (!(DATA_KEY_PAIR_SPECS as readonly string[]).includes(pairSpec)) throw E.enumError(pairSpec, 'keyPairSpec', DATA_KEY_PAIR_SPECS);
  if (pairSpec === 'SM2') throw E.unsupported('drydock does not support SM2 key pairs');
  checkGrantTokens(input['GrantTokens']);
  rejectRecipient(input);
  const r = symmetricKey(ctx, input['KeyId'], ctx.operation);
  checkDryRun(input);
  const pair = await generateKeyPairDer(pairSpec);
  // Re-read: key generation yields the event loop, and the key may have changed meanwhile.
  const fresh = resolveKey(ctx, r.key.arn);
  requireUsable(fresh.key, 'ENCRYPT_DECRYPT', ctx.operation);
  const m = liveMaterial(fresh.key);
  const blob = seal(fresh.key.arn, m, pair.privateKey, contextIn(input['EncryptionContext']));
  used(ctx, fresh);
  return {
    PrivateKeyCiphertextBlob: blob, ...(withPlaintext ? { PrivateKeyPlaintext: pair.privateKey } : {}),
    PublicKey: pair.publicKey, KeyId: fresh.key.arn, KeyPairSpec: pairSpec, KeyMaterialId: m.id,
  };
}

/** GenerateRandom: 1–1024 random bytes; no key, so no key checks. */
export const generateRandom: Handler = (input, ctx) => {
  const n = input['NumberOfBytes'];
  if (n === undefined || n === null) throw E.validation('NumberOfBytes is required.');
  if (Number(n) < 1 || Number(n) > 1024) throw E.outOfRange('numberOfBytes', Number(n), 1, 1024);
  if (input['CustomKeyStoreId'] !== undefined) throw E.customKeyStoreNotFound();
  rejectRecipient(input);
  ctx.meter.record({ account: ctx.account, region: ctx.region, service: 'kms', usageType: 'KMS-Requests', operation: 'GenerateRandom', quantity: 1, unit: 'Requests' });
  return { Plaintext: randomBytes(Number(n)) };
};

/** Encrypts under a resolved, usable ENCRYPT_DECRYPT key with the given algorithm. */
function encryptWith(r: Resolved, algorithm: string, plaintext: Buffer, context: Context): { blob: Buffer; materialId?: string } {
  const { key } = r;
  if (!encryptionAlgorithms(key.spec).includes(algorithm)) throw E.incompatibleAlgorithm(algorithm, key.spec);
  if (spec(key.spec).family === 'symmetric') {
    const m = liveMaterial(key);
    return { blob: seal(key.arn, m, plaintext, context), materialId: m.id };
  }
  const limit = oaepLimit(spec(key.spec).bits!, algorithm);
  if (plaintext.length > limit) {
    throw E.validation(`Algorithm ${algorithm} and key spec ${key.spec} cannot encrypt data larger than ${limit} bytes.`);
  }
  return { blob: rsaEncrypt(key.publicKey!, algorithm, plaintext) };
}

/** Finds the key of a ciphertext (checking a given KeyId against it) and decrypts. */
function decryptWith(
  ctx: ServiceContext, blob: Buffer, keyIdIn: unknown, algorithm: string, context: Context, operation: string,
): { r: Resolved; plaintext: Buffer; materialId?: string } {
  const sealed = parseSealed(blob);
  let r: Resolved;
  if (keyIdIn !== undefined) {
    r = resolveKey(ctx, keyIdIn);
    if (sealed && sealed.keyId !== r.key.keyId) throw E.incorrectKey();
  } else {
    if (!sealed) throw E.invalidCiphertext();
    r = keyOfSealed(ctx, sealed);
  }
  const { key } = r;
  requireUsable(key, 'ENCRYPT_DECRYPT', operation);
  if (!encryptionAlgorithms(key.spec).includes(algorithm)) throw E.incompatibleAlgorithm(algorithm, key.spec);
  if (spec(key.spec).family === 'symmetric') {
    if (!sealed) throw E.invalidCiphertext();
    const m = key.materials.find((x) => x.id === sealed.materialId);
    if (!m) throw E.invalidCiphertext();
    if (!m.secret) throw E.pendingImport(key.arn);
    return { r, plaintext: open(sealed, m.secret, context), materialId: m.id };
  }
  return { r, plaintext: rsaDecrypt(liveMaterial(key), algorithm, blob) };
}

/**
 * The key a symmetric blob names. A multi-Region key decrypts in any region that has a
 * replica (the blob names the region it was made in); other keys only in their own region.
 */
function keyOfSealed(ctx: ServiceContext, sealed: SealedBlob): Resolved {
  const m = /^arn:[^:]+:kms:([^:]+):(\d{12}):key\//.exec(sealed.keyArn)!;
  const [region, account] = [m[1]!, m[2]!];
  if (region !== ctx.region && !sealed.keyId.startsWith('mrk-')) throw E.invalidCiphertext();
  const state = stateOf(ctx, account, ctx.region);
  const key = state.keys.get(sealed.keyId);
  if (!key) throw E.keyNotFound(sealed.keyArn);
  return { key, state };
}

function symmetricKey(ctx: ServiceContext, keyId: unknown, operation: string): Resolved {
  const r = resolveKey(ctx, keyId);
  requireUsable(r.key, 'ENCRYPT_DECRYPT', operation);
  if (spec(r.key.spec).family !== 'symmetric') throw E.wrongSpec(r.key.arn, r.key.spec, operation);
  return r;
}

function dataKeyLength(input: Record<string, unknown>): number {
  const ks = input['KeySpec'];
  const n = input['NumberOfBytes'];
  if ((ks === undefined) === (n === undefined)) throw E.validation('Please specify either number of bytes or key spec.');
  if (n !== undefined) {
    if (Number(n) < 1 || Number(n) > 1024) throw E.outOfRange('numberOfBytes', Number(n), 1, 1024);
    return Number(n);
  }
  if (ks === 'AES_256') return 32;
  if (ks === 'AES_128') return 16;
  throw E.enumError(ks, 'keySpec', ['AES_256', 'AES_128']);
}

function algorithmIn(v: unknown, member: string): string {
  const a = v === undefined ? 'SYMMETRIC_DEFAULT' : String(v);
  if (!(ENCRYPTION_ALGORITHMS as readonly string[]).includes(a)) throw E.enumError(a, member, ENCRYPTION_ALGORITHMS);
  return a;
}

function contextIn(v: unknown): Context {
  return v === undefined || v === null ? undefined : (v as Record<string, string>);
}

/** Nitro Enclaves attestation (Recipient) needs an enclave; Drydock refuses it clearly. */
function rejectRecipient(input: Record<string, unknown>): void {
  if (input['Recipient'] !== undefined) throw E.unsupported('drydock does not support Nitro Enclaves attestation documents (Recipient)');
}
