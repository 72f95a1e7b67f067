/**
 * Imported key material (Origin EXTERNAL): GetParametersForImport hands out an RSA wrapping
 * key and an import token valid for 24 hours; ImportKeyMaterial unwraps (RSAES-OAEP, or
 * RSA-OAEP + AES key wrap with padding for large material such as RSA private keys),
 * checks the material against the key spec and imports it as new or existing material;
 * DeleteImportedKeyMaterial removes it again (the key returns to PendingImport).
 */
import { constants, createDecipheriv, privateDecrypt, randomBytes } from 'node:crypto';
import type { Handler } from '../types.js';
import { generateKeyPairDer, matchesSpec, privateKeyObject, publicKeyOf } from './crypto.js';
import * as E from './errors.js';
import { date } from './metadata.js';
import { resolveKey } from './resolve.js';
import { spec } from './specs.js';
import { materialId, noteDue, type KeyRecord, type Material } from './store.js';

const WRAPPING_ALGORITHMS = ['RSAES_PKCS1_V1_5', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256', 'SM2PKE'];
const WRAPPING_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2'];
const TOKEN_MAGIC = Buffer.from('ddit1', 'utf8');
const TOKEN_VALID_MS = 86_400_000;

// One wrapping key pair per spec and process: generating RSA-4096 takes seconds, and a local
// emulator gains nothing from a fresh pair per call. The private key is kept with each
// import record, so tokens stay usable after a restart.
const wrappingKeys = new Map<string, Promise<{ privateKey: Buffer; publicKey: Buffer }>>();

/** GetParametersForImport: a wrapping public key and an import token for an EXTERNAL key. */
export const getParametersForImport: Handler = async (input, ctx) => {
  const algorithm = String(input['WrappingAlgorithm']);
  if (!WRAPPING_ALGORITHMS.includes(algorithm)) throw E.enumError(algorithm, 'wrappingAlgorithm', WRAPPING_ALGORITHMS);
  const wrappingSpec = String(input['WrappingKeySpec']);
  if (!WRAPPING_SPECS.includes(wrappingSpec)) throw E.enumError(wrappingSpec, 'wrappingKeySpec', WRAPPING_SPECS);
  if (algorithm === 'SM2PKE' || wrappingSpec === 'SM2') throw E.unsupported('drydock does not support SM2 wrapping keys');
  if (algorithm === 'RSAES_PKCS1_V1_5') throw E.unsupported('drydock does not support the RSAES_PKCS1_V1_5 wrapping algorithm, which AWS deprecated');
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  if (key.origin !== 'EXTERNAL') throw E.wrongOrigin(key.arn, key.origin);
  if (key.state === 'PendingDeletion') throw E.pendingDeletion(key.arn);
  let pair = wrappingKeys.get(wrappingSpec);
  if (!pair) {
    pair = generateKeyPairDer(wrappingSpec);
    wrappingKeys.set(wrappingSpec, pair);
  }
  const { privateKey, publicKey } = await pair;
  const tokenBlob = Buffer.concat([TOKEN_MAGIC, randomBytes(32)]);
  const validToMs = ctx.clock.nowMs() + TOKEN_VALID_MS;
  state.imports.set(tokenBlob.toString('hex'), { token: tokenBlob.toString('hex'), keyId: key.keyId, algorithm, wrappingSpec, privateKey, validToMs });
  return { KeyId: key.arn, ImportToken: tokenBlob, PublicKey: publicKey, ParametersValidTo: date(validToMs) };
};

/** ImportKeyMaterial: unwraps, validates and imports material as new or existing material. */
export const importKeyMaterial: Handler = (input, ctx) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  if (key.origin !== 'EXTERNAL') throw E.wrongOrigin(key.arn, key.origin);
  if (key.state === 'PendingDeletion') throw E.pendingDeletion(key.arn);
  const token = Buffer.isBuffer(input['ImportToken']) ? input['ImportToken'].toString('hex') : '';
  const rec = state.imports.get(token);
  if (!rec || rec.keyId !== key.keyId) throw E.invalidImportToken();
  const now = ctx.clock.nowMs();
  if (now > rec.validToMs) throw E.expiredImportToken();
  const model = String(input['ExpirationModel'] ?? 'KEY_MATERIAL_EXPIRES');
  if (model !== 'KEY_MATERIAL_EXPIRES' && model !== 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    throw E.enumError(model, 'expirationModel', ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE']);
  }
  const validTo = input['ValidTo'] instanceof Date ? input['ValidTo'].getTime() : undefined;
  if (model === 'KEY_MATERIAL_EXPIRES' && validTo === undefined) throw E.validation('A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE' && validTo !== undefined) throw E.validation('A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE');
  if (validTo !== undefined && validTo <= now) throw E.validation('The validTo date must be in the future');
  const secret = unwrap(rec.algorithm, rec.privateKey, E.blobIn(input['EncryptedKeyMaterial'], 'encryptedKeyMaterial', 6144));
  checkMaterial(key, secret);
  const id = materialId(secret, key.keyId);
  const importType = String(input['ImportType'] ?? (key.materials.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL'));
  if (importType !== 'NEW_KEY_MATERIAL' && importType !== 'EXISTING_KEY_MATERIAL') {
    throw E.enumError(importType, 'importType', ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL']);
  }
  if (input['KeyMaterialId'] !== undefined && input['KeyMaterialId'] !== id) throw E.incorrectKeyMaterial();
  const fields: Partial<Material> = {
    secret, expirationModel: model, validToMs: validTo, imported: true,
    ...(input['KeyMaterialDescription'] !== undefined ? { description: String(input['KeyMaterialDescription']) } : {}),
  };
  if (importType === 'EXISTING_KEY_MATERIAL' || key.materials.length === 0) {
    const m = key.materials.find((x) => x.id === id);
    if (key.materials.length > 0 && !m) throw E.incorrectKeyMaterial();
    if (m) Object.assign(m, fields);
    else key.materials.push({ id, createdMs: now, ...fields });
    key.currentMaterialId ??= id;
  } else {
    if (key.spec !== 'SYMMETRIC_DEFAULT') throw E.unsupported(`${key.arn} key spec ${key.spec} does not support new key material.`);
    const pending = key.materials.find((x) => x.pendingRotation);
    if (pending) {
      throw E.invalidState(`New key material (id: ${id}) cannot be imported into KMS key ${key.keyId}, because another key material (id: ${pending.id}) is pending rotation.`);
    }
    if (key.materials.some((x) => x.id === id)) throw E.incorrectKeyMaterial('This key material was already imported into the KMS key.');
    key.materials.push({ id, createdMs: now, pendingRotation: true, ...fields });
  }
  if (key.currentMaterialId === id) {
    if (key.state === 'PendingImport') key.state = 'Enabled';
    const family = spec(key.spec).family;
    if (family === 'rsa' || family === 'ec') key.publicKey = publicKeyOf(secret);
  }
  state.keys.set(key.keyId, key);
  noteDue(state, validTo);
  return { KeyId: key.arn, KeyMaterialId: id };
};

/** DeleteImportedKeyMaterial: the key cannot be used until the same material is imported again. */
export const deleteImportedKeyMaterial: Handler = (input, ctx) => {
  const { key, state } = resolveKey(ctx, input['KeyId'], { aliases: false });
  if (key.origin !== 'EXTERNAL') throw E.wrongOrigin(key.arn, key.origin);
  if (key.state === 'PendingDeletion') throw E.pendingDeletion(key.arn);
  const id = input['KeyMaterialId'] === undefined ? key.currentMaterialId : String(input['KeyMaterialId']);
  const m = key.materials.find((x) => x.id === id);
  if (id !== undefined && input['KeyMaterialId'] !== undefined && !m) throw E.incorrectKeyMaterial(`Key material ${id} does not exist in ${key.arn}.`);
  if (m?.pendingRotation) {
    key.materials = key.materials.filter((x) => x !== m);
  } else if (m) {
    m.secret = undefined;
    m.expirationModel = undefined;
    m.validToMs = undefined;
    if (m.id === key.currentMaterialId) key.state = 'PendingImport';
  }
  state.keys.set(key.keyId, key);
  return { KeyId: key.arn, ...(id !== undefined ? { KeyMaterialId: id } : {}) };
};

/** Unwraps key material; anything that does not decrypt is InvalidCiphertextException. */
function unwrap(algorithm: string, privateDer: Buffer, wrapped: Buffer): Buffer {
  const key = privateKeyObject(`wrap:${privateDer.subarray(-32).toString('hex')}`, privateDer);
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  try {
    if (algorithm.startsWith('RSAES_OAEP')) return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, wrapped);
    const k = Math.ceil(key.asymmetricKeyDetails!.modulusLength! / 8);
    const aesKey = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, wrapped.subarray(0, k));
    const d = createDecipheriv(`id-aes${aesKey.length * 8}-wrap-pad`, aesKey, Buffer.from('a65959a6', 'hex'));
    return Buffer.concat([d.update(wrapped.subarray(k)), d.final()]);
  } catch {
    throw E.invalidCiphertext();
  }
}

/** Refuses material that does not fit the key spec. */
function checkMaterial(key: KeyRecord, secret: Buffer): void {
  const s = spec(key.spec);
  const ok = s.family === 'symmetric' ? secret.length === 32
    : s.family === 'hmac' ? secret.length >= s.macKeyBytes![0] && secret.length <= s.macKeyBytes![1]
      : matchesSpec(secret, key.spec);
  if (!ok) throw E.incorrectKeyMaterial(`The key material does not match the key spec ${key.spec} of ${key.arn}.`);
}
