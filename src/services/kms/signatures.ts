/**
 * Sign, Verify, GetPublicKey, GenerateMac, VerifyMac and DeriveSharedSecret. Signatures are
 * standard (PKCS#1 v1.5, PSS with salt = hash length, DER ECDSA) and verify with node:crypto
 * and OpenSSL against GetPublicKey's DER SubjectPublicKeyInfo.
 */
import type { Handler } from '../types.js';
import { ecdhSecret, hmac, sameMac } from './crypto.js';
import * as E from './errors.js';
import { checkGrantTokens } from './grants.js';
import { checkDryRun, liveMaterial, requireUsable, resolveKey, used } from './resolve.js';
import { signMessage, verifyMessage } from './signing.js';
import { MAC_ALGORITHMS, SIGNING_ALGORITHMS, algorithmLists, hashOf, signingAlgorithms, spec } from './specs.js';

const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'];

/** Sign: RAW messages up to 4096 bytes, or a DIGEST of exactly the algorithm's hash length. */
export const sign: Handler = (input, ctx) => {
  const { message, messageType, algorithm } = signingInput(input);
  checkGrantTokens(input['GrantTokens']);
  const r = resolveKey(ctx, input['KeyId']);
  requireUsable(r.key, 'SIGN_VERIFY', 'Sign');
  checkSigning(r.key.spec, algorithm, messageType, message);
  checkDryRun(input);
  const signature = signMessage(liveMaterial(r.key), algorithm, message, messageType);
  used(ctx, r);
  return { KeyId: r.key.arn, Signature: signature, SigningAlgorithm: algorithm };
};

/** Verify: a bad signature is KMSInvalidSignatureException, not SignatureValid=false, as on AWS. */
export const verify: Handler = (input, ctx) => {
  const { message, messageType, algorithm } = signingInput(input);
  const signature = E.blobIn(input['Signature'], 'signature', 6144);
  checkGrantTokens(input['GrantTokens']);
  const r = resolveKey(ctx, input['KeyId']);
  requireUsable(r.key, 'SIGN_VERIFY', 'Verify');
  checkSigning(r.key.spec, algorithm, messageType, message);
  checkDryRun(input);
  liveMaterial(r.key);
  if (!verifyMessage(r.key.publicKey!, algorithm, message, messageType, signature)) throw E.invalidSignature();
  used(ctx, r);
  return { KeyId: r.key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
};

/** GetPublicKey: DER SubjectPublicKeyInfo of an asymmetric key (works while the key is disabled, as on AWS). */
export const getPublicKey: Handler = (input, ctx) => {
  checkGrantTokens(input['GrantTokens']);
  const r = resolveKey(ctx, input['KeyId']);
  const { key } = r;
  if (key.state === 'PendingDeletion') throw E.pendingDeletion(key.arn);
  if (key.state === 'PendingImport' || (key.publicKey === undefined && key.origin === 'EXTERNAL')) throw E.pendingImport(key.arn);
  const family = spec(key.spec).family;
  if (family !== 'rsa' && family !== 'ec') throw E.unsupported(`${key.arn} key spec ${key.spec} is not valid for GetPublicKey.`);
  used(ctx, r);
  return {
    KeyId: key.arn, PublicKey: key.publicKey, CustomerMasterKeySpec: key.spec, KeySpec: key.spec, KeyUsage: key.usage,
    ...algorithmLists(key.spec, key.usage),
  };
};

/** GenerateMac: HMAC with the key's one algorithm. */
export const generateMac: Handler = (input, ctx) => {
  const { message, algorithm } = macInput(input);
  checkGrantTokens(input['GrantTokens']);
  const r = resolveKey(ctx, input['KeyId']);
  requireUsable(r.key, 'GENERATE_VERIFY_MAC', 'GenerateMac');
  if (spec(r.key.spec).mac !== algorithm) throw E.incompatibleAlgorithm(algorithm, r.key.spec);
  checkDryRun(input);
  const mac = hmac(liveMaterial(r.key).secret, algorithm, message);
  used(ctx, r);
  return { Mac: mac, MacAlgorithm: algorithm, KeyId: r.key.arn };
};

/** VerifyMac: a wrong MAC is KMSInvalidMacException. */
export const verifyMac: Handler = (input, ctx) => {
  const { message, algorithm } = macInput(input);
  const mac = E.blobIn(input['Mac'], 'mac', 64);
  checkGrantTokens(input['GrantTokens']);
  const r = resolveKey(ctx, input['KeyId']);
  requireUsable(r.key, 'GENERATE_VERIFY_MAC', 'VerifyMac');
  if (spec(r.key.spec).mac !== algorithm) throw E.incompatibleAlgorithm(algorithm, r.key.spec);
  checkDryRun(input);
  if (!sameMac(hmac(liveMaterial(r.key).secret, algorithm, message), mac)) throw E.invalidMac();
  used(ctx, r);
  return { KeyId: r.key.arn, MacValid: true, MacAlgorithm: algorithm };
};

/** DeriveSharedSecret: ECDH between a KEY_AGREEMENT key and the caller's DER public key. */
export const deriveSharedSecret: Handler = (input, ctx) => {
  const algorithm = String(input['KeyAgreementAlgorithm']);
  if (algorithm !== 'ECDH') throw E.enumError(algorithm, 'keyAgreementAlgorithm', ['ECDH']);
  const peer = E.blobIn(input['PublicKey'], 'publicKey', 8192);
  checkGrantTokens(input['GrantTokens']);
  if (input['Recipient'] !== undefined) throw E.unsupported('drydock does not support Nitro Enclaves attestation documents (Recipient)');
  const r = resolveKey(ctx, input['KeyId']);
  requireUsable(r.key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
  checkDryRun(input);
  const secret = ecdhSecret(liveMaterial(r.key), peer);
  if (!secret) throw E.validation('');
  used(ctx, r);
  return { KeyId: r.key.arn, SharedSecret: secret, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: r.key.origin };
};

function signingInput(input: Record<string, unknown>): { message: Buffer; messageType: string; algorithm: string } {
  const message = E.blobIn(input['Message'], 'message', 4096);
  const messageType = String(input['MessageType'] ?? 'RAW');
  if (!MESSAGE_TYPES.includes(messageType)) throw E.enumError(messageType, 'messageType', MESSAGE_TYPES);
  const algorithm = String(input['SigningAlgorithm']);
  if (!(SIGNING_ALGORITHMS as readonly string[]).includes(algorithm)) throw E.enumError(algorithm, 'signingAlgorithm', SIGNING_ALGORITHMS);
  return { message, messageType, algorithm };
}

function checkSigning(keySpec: string, algorithm: string, messageType: string, message: Buffer): void {
  if (!signingAlgorithms(keySpec).includes(algorithm) || messageType === 'EXTERNAL_MU') throw E.incompatibleAlgorithm(algorithm, keySpec);
  if (messageType === 'DIGEST' && message.length !== hashOf(algorithm).bytes) {
    throw E.validation(`Digest is invalid length for algorithm ${algorithm}.`);
  }
}

function macInput(input: Record<string, unknown>): { message: Buffer; algorithm: string } {
  const message = E.blobIn(input['Message'], 'message', 4096);
  const algorithm = String(input['MacAlgorithm']);
  if (!(MAC_ALGORITHMS as readonly string[]).includes(algorithm)) throw E.enumError(algorithm, 'macAlgorithm', MAC_ALGORITHMS);
  return { message, algorithm };
}
