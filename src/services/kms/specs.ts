/**
 * What each KMS key spec is and may do: its family, the key usages it allows and the
 * algorithms DescribeKey lists per usage. One table, so validation, metadata and the
 * cryptography agree.
 */

/** Key specs in the order AWS lists them in its enum validation message. */
export const KEY_SPECS = [
  'RSA_2048', 'ECC_NIST_P384', 'ECC_NIST_P256', 'ECC_NIST_P521', 'HMAC_384', 'RSA_3072',
  'ECC_SECG_P256K1', 'RSA_4096', 'SYMMETRIC_DEFAULT', 'HMAC_256', 'HMAC_224', 'HMAC_512',
] as const;

/** Key usages as AWS's enum validation message lists them; KEY_AGREEMENT is accepted too. */
export const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'] as const;
export const ALL_KEY_USAGES: readonly string[] = [...KEY_USAGES, 'KEY_AGREEMENT'];

export const MAC_ALGORITHMS = ['HMAC_SHA_384', 'HMAC_SHA_256', 'HMAC_SHA_224', 'HMAC_SHA_512'] as const;
export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;
export const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'SM2DSA', 'ED25519_SHA_512', 'ED25519_PH_SHA_512',
] as const;
export const DATA_KEY_PAIR_SPECS = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2',
] as const;

export type Family = 'symmetric' | 'rsa' | 'ec' | 'hmac';

/** One key spec. */
export interface SpecInfo {
  family: Family;
  /** RSA modulus bits. */
  bits?: number;
  /** OpenSSL curve name for EC keys. */
  curve?: string;
  /** HMAC: the one MAC algorithm and the key length in bytes AWS generates. */
  mac?: string;
  macKeyBytes?: [min: number, max: number];
  usages: string[];
}

const RSA_SIGNING = [
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
];

export const SPECS: Record<string, SpecInfo> = {
  SYMMETRIC_DEFAULT: { family: 'symmetric', usages: ['ENCRYPT_DECRYPT'] },
  RSA_2048: { family: 'rsa', bits: 2048, usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] },
  RSA_3072: { family: 'rsa', bits: 3072, usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] },
  RSA_4096: { family: 'rsa', bits: 4096, usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] },
  ECC_NIST_P256: { family: 'ec', curve: 'prime256v1', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ECC_NIST_P384: { family: 'ec', curve: 'secp384r1', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ECC_NIST_P521: { family: 'ec', curve: 'secp521r1', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ECC_SECG_P256K1: { family: 'ec', curve: 'secp256k1', usages: ['SIGN_VERIFY'] },
  HMAC_224: { family: 'hmac', mac: 'HMAC_SHA_224', macKeyBytes: [28, 64], usages: ['GENERATE_VERIFY_MAC'] },
  HMAC_256: { family: 'hmac', mac: 'HMAC_SHA_256', macKeyBytes: [32, 64], usages: ['GENERATE_VERIFY_MAC'] },
  HMAC_384: { family: 'hmac', mac: 'HMAC_SHA_384', macKeyBytes: [48, 128], usages: ['GENERATE_VERIFY_MAC'] },
  HMAC_512: { family: 'hmac', mac: 'HMAC_SHA_512', macKeyBytes: [64, 128], usages: ['GENERATE_VERIFY_MAC'] },
};

/** The spec's entry; callers validate the name first. */
export function spec(name: string): SpecInfo {
  const s = SPECS[name];
  if (s === undefined) throw new Error(`unknown key spec \`${name}\``);
  return s;
}

const EC_SIGNING: Record<string, string> = {
  ECC_NIST_P256: 'ECDSA_SHA_256', ECC_NIST_P384: 'ECDSA_SHA_384', ECC_NIST_P521: 'ECDSA_SHA_512', ECC_SECG_P256K1: 'ECDSA_SHA_256',
};

/** Encryption algorithms of an ENCRYPT_DECRYPT key of this spec. */
export function encryptionAlgorithms(keySpec: string): string[] {
  const f = spec(keySpec).family;
  if (f === 'symmetric') return ['SYMMETRIC_DEFAULT'];
  if (f === 'rsa') return ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
  return [];
}

/** Signing algorithms of a SIGN_VERIFY key of this spec. */
export function signingAlgorithms(keySpec: string): string[] {
  if (spec(keySpec).family === 'rsa') return RSA_SIGNING;
  const ec = EC_SIGNING[keySpec];
  return ec ? [ec] : [];
}

/** The algorithm lists DescribeKey and GetPublicKey show for a key. */
export function algorithmLists(keySpec: string, usage: string): Record<string, string[]> {
  switch (usage) {
    case 'ENCRYPT_DECRYPT': return { EncryptionAlgorithms: encryptionAlgorithms(keySpec) };
    case 'SIGN_VERIFY': return { SigningAlgorithms: signingAlgorithms(keySpec) };
    case 'GENERATE_VERIFY_MAC': return { MacAlgorithms: [spec(keySpec).mac!] };
    case 'KEY_AGREEMENT': return { KeyAgreementAlgorithms: ['ECDH'] };
    default: return {};
  }
}

/** Hash name (node:crypto) and digest length of a signing or MAC algorithm. */
export function hashOf(algorithm: string): { name: string; bytes: number } {
  const m = /SHA_(1|224|256|384|512)$/.exec(algorithm);
  const bits = m ? Number(m[1]) : 256;
  return { name: bits === 1 ? 'sha1' : `sha${bits}`, bytes: bits === 1 ? 20 : bits / 8 };
}

/** Largest plaintext RSAES_OAEP can take: modulus − 2·hash − 2 bytes. */
export function oaepLimit(bits: number, algorithm: string): number {
  return bits / 8 - 2 * hashOf(algorithm).bytes - 2;
}
