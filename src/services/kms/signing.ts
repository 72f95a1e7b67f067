/**
 * Sign and Verify for every RSA and ECDSA algorithm KMS lists, with MessageType RAW (node
 * hashes the message) and DIGEST (the caller hashed it). node:crypto cannot sign a
 * precomputed digest, so DIGEST is done from the primitives: PKCS#1 v1.5 as DigestInfo
 * through the raw RSA private operation, PSS by EMSA-PSS encoding (salt length = hash
 * length, as KMS uses), and ECDSA with the curve arithmetic in {@link ./ecdsa.ts}.
 * Signatures are the standard encodings (ECDSA in DER), so OpenSSL verifies them.
 */
import { constants, createHash, privateEncrypt, publicDecrypt, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { privateKeyObject, publicKeyObject } from './crypto.js';
import { ecdsaSignDigest, ecdsaVerifyDigest } from './ecdsa.js';
import { hashOf } from './specs.js';

const DIGEST_INFO: Record<string, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/** Signs a RAW message or a DIGEST with the key's private material. */
export function signMessage(material: { id: string; secret: Buffer }, algorithm: string, message: Buffer, messageType: string): Buffer {
  const key = privateKeyObject(material.id, material.secret);
  const hash = hashOf(algorithm);
  if (messageType === 'RAW') return sign(hash.name, message, nodeOptions(key, algorithm));
  if (algorithm.startsWith('ECDSA')) return ecdsaSignDigest(key, message);
  if (algorithm.startsWith('RSASSA_PKCS1')) {
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO[hash.name]!, 'hex'), message]));
  }
  const modBits = key.asymmetricKeyDetails!.modulusLength!;
  const em = pssEncode(message, hash.name, hash.bytes, modBits - 1);
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, leftPad(em, Math.ceil(modBits / 8)));
}

/** Whether `signature` is valid for the message or digest under the key's public key. */
export function verifyMessage(publicDer: Buffer, algorithm: string, message: Buffer, messageType: string, signature: Buffer): boolean {
  const key = publicKeyObject(publicDer);
  const hash = hashOf(algorithm);
  try {
    if (messageType === 'RAW') return verify(hash.name, message, nodeOptions(key, algorithm), signature);
    if (algorithm.startsWith('ECDSA')) return ecdsaVerifyDigest(key, message, signature);
    const k = Math.ceil(key.asymmetricKeyDetails!.modulusLength! / 8);
    if (signature.length !== k) return false;
    if (algorithm.startsWith('RSASSA_PKCS1')) {
      const info = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      return safeEqual(info, Buffer.concat([Buffer.from(DIGEST_INFO[hash.name]!, 'hex'), message]));
    }
    const modBits = key.asymmetricKeyDetails!.modulusLength!;
    const em = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
    return pssVerify(message, em, hash.name, hash.bytes, modBits - 1);
  } catch {
    return false;
  }
}

function nodeOptions(key: KeyObject, algorithm: string): KeyObject | { key: KeyObject; padding: number; saltLength?: number } {
  if (algorithm.startsWith('RSASSA_PSS')) return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hashOf(algorithm).bytes };
  if (algorithm.startsWith('RSASSA_PKCS1')) return { key, padding: constants.RSA_PKCS1_PADDING };
  return key;
}

function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    total += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of a message hash, salt length = hash length. */
function pssEncode(mHash: Buffer, hash: string, hLen: number, emBits: number): Buffer {
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, emLen - hLen - 1, hash);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) against the raw RSA output, salt length = hash length. */
function pssVerify(mHash: Buffer, raw: Buffer, hash: string, hLen: number, emBits: number): boolean {
  const emLen = Math.ceil(emBits / 8);
  if (raw.length < emLen || raw.subarray(0, raw.length - emLen).some((b) => b !== 0)) return false;
  const em = raw.subarray(raw.length - emLen);
  if (em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 8 * emLen - emBits;
  if ((masked[0]! & ~(0xff >> topBits) & 0xff) !== 0) return false;
  const mask = mgf1(h, masked.length, hash);
  const db = Buffer.alloc(masked.length);
  for (let i = 0; i < db.length; i++) db[i] = masked[i]! ^ mask[i]!;
  db[0]! &= 0xff >> topBits;
  const psLen = emLen - 2 * hLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 1) return false;
  const salt = db.subarray(psLen + 1);
  const h2 = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return safeEqual(h, h2);
}

function leftPad(b: Buffer, length: number): Buffer {
  return b.length >= length ? b : Buffer.concat([Buffer.alloc(length - b.length), b]);
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
