/**
 * KMS cryptography with `node:crypto`: key material, the symmetric ciphertext format,
 * RSAES-OAEP, HMAC and ECDH. No I/O and no state except a small cache of parsed keys.
 *
 * Symmetric ciphertext (format version 1), all integers big-endian:
 *
 * ```
 *  0  u8   0xD7 magic
 *  1  u8   format version (1)
 *  2  u16  length n of the key ARN
 *  4  n    key ARN (UTF-8): Decrypt needs no KeyId, and a multi-Region replica finds its key by id
 *  …  32   key material id (raw): rotated material still decrypts what it encrypted
 *  …  12   AES-GCM IV
 *  …  16   AES-GCM tag
 *  …  …    AES-256-GCM ciphertext
 * ```
 *
 * The AAD is the header (magic through material id) followed by the canonical encoding of
 * the encryption context, so a changed header or a different context fails authentication
 * (`InvalidCiphertextException`).
 */
import {
  constants, createCipheriv, createDecipheriv, createHmac, createPrivateKey, createPublicKey,
  diffieHellman, generateKeyPair, privateDecrypt, publicEncrypt, timingSafeEqual, type KeyObject,
} from 'node:crypto';
import { randomBytes, randomFill } from '../../core/random.js';
import { promisify } from 'node:util';
import { invalidCiphertext } from './errors.js';
import { hashOf, spec } from './specs.js';

const MAGIC = 0xd7;
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MATERIAL_ID_BYTES = 32;

/** A parsed symmetric ciphertext blob. */
export interface SealedBlob {
  keyArn: string;
  keyId: string;
  materialId: string;
  header: Buffer;
  iv: Buffer;
  tag: Buffer;
  body: Buffer;
}

/**
 * The canonical encoding of an encryption context: pairs sorted by key, each key and value
 * length-prefixed, so the same map always gives the same bytes.
 */
export function encodeContext(context: Record<string, string> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: Buffer[] = [u16(entries.length)];
  for (const [k, v] of entries) {
    const kb = Buffer.from(k, 'utf8');
    const vb = Buffer.from(String(v), 'utf8');
    parts.push(u16(kb.length), kb, u16(vb.length), vb);
  }
  return Buffer.concat(parts);
}

/**
 * Headers by key ARN, then material id, each followed by the two zero bytes that encode an
 * empty context: the header is a pure function of the two, so a cached one is never stale.
 * Two levels rather than a joined key: the key record's own strings keep their hashes.
 */
const headers = new Map<string, Map<string, Buffer>>();
const EMPTY_CONTEXT_BYTES = 2;

function headerWithEmptyContext(keyArn: string, materialId: string): Buffer {
  let byMaterial = headers.get(keyArn);
  if (byMaterial === undefined) {
    // Bounded: a speed-up only.
    if (headers.size >= 1024) headers.clear();
    headers.set(keyArn, (byMaterial = new Map()));
  }
  let h = byMaterial.get(materialId);
  if (h === undefined) {
    const arn = Buffer.from(keyArn, 'utf8');
    h = Buffer.alloc(4 + arn.length + MATERIAL_ID_BYTES + EMPTY_CONTEXT_BYTES);
    h[0] = MAGIC;
    h[1] = FORMAT_VERSION;
    h.writeUInt16BE(arn.length, 2);
    arn.copy(h, 4);
    h.write(materialId, 4 + arn.length, MATERIAL_ID_BYTES, 'hex');
    if (byMaterial.size >= 64) byMaterial.clear();
    byMaterial.set(materialId, h);
  }
  return h;
}

/**
 * Encrypts `plaintext` under symmetric material with AES-256-GCM, binding the context as AAD.
 * The blob is allocated once and filled in place (IV drawn straight into it): on a KMS
 * Encrypt the buffers this used to concatenate cost more than the cipher's own work.
 */
export function seal(keyArn: string, material: { id: string; secret: Buffer }, plaintext: Buffer, context?: Record<string, string>): Buffer {
  const cached = headerWithEmptyContext(keyArn, material.id);
  const headerLength = cached.length - EMPTY_CONTEXT_BYTES;
  const bodyAt = headerLength + IV_BYTES + TAG_BYTES;
  const out = Buffer.allocUnsafe(bodyAt + plaintext.length);
  cached.copy(out, 0, 0, headerLength);
  const iv = randomFill(out.subarray(headerLength, headerLength + IV_BYTES));
  const cipher = createCipheriv('aes-256-gcm', material.secret, iv);
  const hasContext = context !== undefined && Object.keys(context).length > 0;
  cipher.setAAD(hasContext ? Buffer.concat([cached.subarray(0, headerLength), encodeContext(context)]) : cached);
  const body = cipher.update(plaintext);
  const rest = cipher.final();
  body.copy(out, bodyAt);
  // GCM is a stream mode: final() has nothing left to give, but copy whatever it returns.
  if (rest.length > 0) rest.copy(out, bodyAt + body.length);
  cipher.getAuthTag().copy(out, headerLength + IV_BYTES);
  return out;
}

/** Reads a blob written by {@link seal}; undefined when `blob` is not one. */
export function parseSealed(blob: Buffer): SealedBlob | undefined {
  if (blob.length < 4 || blob[0] !== MAGIC || blob[1] !== FORMAT_VERSION) return undefined;
  const n = blob.readUInt16BE(2);
  const headerEnd = 4 + n + MATERIAL_ID_BYTES;
  if (blob.length < headerEnd + IV_BYTES + TAG_BYTES) return undefined;
  const keyArn = blob.subarray(4, 4 + n).toString('utf8');
  const m = /^arn:[^:]+:kms:[^:]+:\d{12}:key\/(.+)$/.exec(keyArn);
  if (!m) return undefined;
  return {
    keyArn,
    keyId: m[1]!,
    materialId: blob.subarray(4 + n, headerEnd).toString('hex'),
    header: blob.subarray(0, headerEnd),
    iv: blob.subarray(headerEnd, headerEnd + IV_BYTES),
    tag: blob.subarray(headerEnd + IV_BYTES, headerEnd + IV_BYTES + TAG_BYTES),
    body: blob.subarray(headerEnd + IV_BYTES + TAG_BYTES),
  };
}

/** Decrypts a parsed blob; a wrong context or any tampering is `InvalidCiphertextException`. */
export function open(sealed: SealedBlob, secret: Buffer, context?: Record<string, string>): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', secret, sealed.iv);
    d.setAAD(Buffer.concat([sealed.header, encodeContext(context)]));
    d.setAuthTag(sealed.tag);
    return Buffer.concat([d.update(sealed.body), d.final()]);
  } catch {
    throw invalidCiphertext();
  }
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** Fresh material for a key spec: AES/HMAC bytes, or a PKCS#8 DER private key (off the event loop). */
export async function generateMaterial(keySpec: string): Promise<Buffer> {
  const s = spec(keySpec);
  if (s.family === 'symmetric') return randomBytes(32);
  if (s.family === 'hmac') return randomBytes(s.macKeyBytes![0]);
  if (s.family === 'rsa') {
    const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: s.bits!, publicExponent: 65537 });
    return privateKey.export({ type: 'pkcs8', format: 'der' });
  }
  const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: s.curve! });
  return privateKey.export({ type: 'pkcs8', format: 'der' });
}

/** A key pair for GenerateDataKeyPair or an import wrapping key: PKCS#8 and SPKI, both DER. */
export async function generateKeyPairDer(keySpec: string): Promise<{ privateKey: Buffer; publicKey: Buffer }> {
  const priv = await generateMaterial(keySpec);
  return { privateKey: priv, publicKey: publicKeyOf(priv) };
}

const privateCache = new Map<string, KeyObject>();
const publicCache = new Map<string, KeyObject>();

function cached(cache: Map<string, KeyObject>, id: string, make: () => KeyObject): KeyObject {
  let k = cache.get(id);
  if (k === undefined) {
    k = make();
    // Bounded: parsed keys are a speed-up only.
    if (cache.size >= 512) cache.clear();
    cache.set(id, k);
  }
  return k;
}

/** The parsed private key of asymmetric material, cached by material id (ids never change bytes). */
export function privateKeyObject(id: string, der: Buffer): KeyObject {
  return cached(privateCache, id, () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

/** The parsed public key of a DER SubjectPublicKeyInfo. */
export function publicKeyObject(der: Buffer): KeyObject {
  return cached(publicCache, der.toString('base64'), () => createPublicKey({ key: der, format: 'der', type: 'spki' }));
}

/** DER SubjectPublicKeyInfo of a PKCS#8 DER private key. */
export function publicKeyOf(privateDer: Buffer): Buffer {
  return createPublicKey(createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
}

/** Whether PKCS#8 DER bytes are a private key of the given asymmetric spec. */
export function matchesSpec(privateDer: Buffer, keySpec: string): boolean {
  try {
    const k = createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' });
    const s = spec(keySpec);
    const d = k.asymmetricKeyDetails ?? {};
    if (s.family === 'rsa') return k.asymmetricKeyType === 'rsa' && d.modulusLength === s.bits;
    return k.asymmetricKeyType === 'ec' && d.namedCurve === s.curve;
  } catch {
    return false;
  }
}

function oaep(algorithm: string): { padding: number; oaepHash: string } {
  return { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hashOf(algorithm).name };
}

/** RSAES-OAEP encryption with the key's public key (the form anyone can reproduce offline). */
export function rsaEncrypt(publicDer: Buffer, algorithm: string, plaintext: Buffer): Buffer {
  return publicEncrypt({ key: publicKeyObject(publicDer), ...oaep(algorithm) }, plaintext);
}

/** RSAES-OAEP decryption; any failure is `InvalidCiphertextException`. */
export function rsaDecrypt(material: { id: string; secret: Buffer }, algorithm: string, ciphertext: Buffer): Buffer {
  try {
    return privateDecrypt({ key: privateKeyObject(material.id, material.secret), ...oaep(algorithm) }, ciphertext);
  } catch {
    throw invalidCiphertext();
  }
}

/** HMAC of `message` with the algorithm's hash. */
export function hmac(secret: Buffer, algorithm: string, message: Buffer): Buffer {
  return createHmac(hashOf(algorithm).name, secret).update(message).digest();
}

/** Constant-time comparison of two MACs. */
export function sameMac(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** ECDH shared secret between the key's private key and a peer's DER public key; undefined if the peer key is unusable. */
export function ecdhSecret(material: { id: string; secret: Buffer }, peerDer: Buffer): Buffer | undefined {
  try {
    const privateKey = privateKeyObject(material.id, material.secret);
    const publicKey = createPublicKey({ key: peerDer, format: 'der', type: 'spki' });
    return diffieHellman({ privateKey, publicKey });
  } catch {
    return undefined;
  }
}

function u16(n: number): Buffer {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n);
  return b;
}
