/**
 * ECDSA over a caller-supplied digest (KMS MessageType DIGEST), which node:crypto cannot do:
 * it always hashes. Curve arithmetic in Jacobian coordinates over BigInt for the four curves
 * KMS offers; signatures are DER `SEQUENCE { r, s }` like node's and OpenSSL's. Not
 * constant-time: Drydock's keys protect nothing real.
 */
import { randomBytes, type KeyObject } from 'node:crypto';

interface Curve {
  p: bigint;
  a: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
}

const h = (s: string): bigint => BigInt(`0x${s}`);

// Parameters as `openssl ecparam -param_enc explicit -text` prints them.
const CURVES: Record<string, Curve> = {
  prime256v1: {
    p: h('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    a: h('ffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
    n: h('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    gx: h('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
    gy: h('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
  },
  secp384r1: {
    p: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'),
    a: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc'),
    n: h('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
    gx: h('aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7'),
    gy: h('3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f'),
  },
  secp521r1: {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    n: h('01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409'),
    gx: h('00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66'),
    gy: h('011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650'),
  },
  secp256k1: {
    p: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f'),
    a: 0n,
    n: h('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
    gx: h('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'),
    gy: h('483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'),
  },
};

/** A point in Jacobian coordinates; z = 0 is the point at infinity. */
type J = [x: bigint, y: bigint, z: bigint];

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function inv(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function double(c: Curve, [x, y, z]: J): J {
  if (z === 0n || y === 0n) return [0n, 1n, 0n];
  const { p } = c;
  const yy = (y * y) % p;
  const s = (4n * x * yy) % p;
  const zz = (z * z) % p;
  const m = (3n * x * x + c.a * ((zz * zz) % p)) % p;
  const x3 = mod(m * m - 2n * s, p);
  const y3 = mod(m * (s - x3) - 8n * yy * yy, p);
  return [x3, y3, (2n * y * z) % p];
}

function add(c: Curve, a: J, b: J): J {
  if (a[2] === 0n) return b;
  if (b[2] === 0n) return a;
  const { p } = c;
  const z1z1 = (a[2] * a[2]) % p;
  const z2z2 = (b[2] * b[2]) % p;
  const u1 = (a[0] * z2z2) % p;
  const u2 = (b[0] * z1z1) % p;
  const s1 = (a[1] * b[2] * z2z2) % p;
  const s2 = (b[1] * a[2] * z1z1) % p;
  if (u1 === u2) return s1 === s2 ? double(c, a) : [0n, 1n, 0n];
  const hh = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const h2 = (hh * hh) % p;
  const h3 = (h2 * hh) % p;
  const x3 = mod(r * r - h3 - 2n * u1 * h2, p);
  const y3 = mod(r * (u1 * h2 - x3) - s1 * h3, p);
  return [x3, y3, (hh * a[2] * b[2]) % p];
}

function mul(c: Curve, k: bigint, pt: J): J {
  let acc: J = [0n, 1n, 0n];
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    acc = double(c, acc);
    if ((k >> i) & 1n) acc = add(c, acc, pt);
  }
  return acc;
}

function affineX(c: Curve, [x, , z]: J): bigint {
  const zi = inv(z, c.p);
  return (x * zi * zi) % c.p;
}

function b64uInt(s: string): bigint {
  return h(Buffer.from(s, 'base64url').toString('hex') || '0');
}

function curveOf(key: KeyObject): Curve {
  const c = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (!c) throw new Error(`unsupported curve \`${key.asymmetricKeyDetails?.namedCurve}\``);
  return c;
}

/** The digest as an integer, truncated to the bit length of the group order. */
function digestInt(c: Curve, digest: Buffer): bigint {
  const nBits = c.n.toString(2).length;
  const z = h(digest.toString('hex') || '0');
  const extra = digest.length * 8 - nBits;
  return extra > 0 ? z >> BigInt(extra) : z;
}

/** ECDSA signature (DER) of a precomputed digest. */
export function ecdsaSignDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const c = curveOf(privateKey);
  const d = b64uInt(privateKey.export({ format: 'jwk' }).d!);
  const z = digestInt(c, digest);
  const nBytes = Math.ceil(c.n.toString(2).length / 8) + 8;
  for (;;) {
    const k = mod(h(randomBytes(nBytes).toString('hex')), c.n - 1n) + 1n;
    const r = mod(affineX(c, mul(c, k, [c.gx, c.gy, 1n])), c.n);
    if (r === 0n) continue;
    const s = mod(inv(k, c.n) * (z + r * d), c.n);
    if (s === 0n) continue;
    return derSignature(r, s);
  }
}

/** Whether a DER ECDSA signature is valid for a precomputed digest. */
export function ecdsaVerifyDigest(publicKey: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const c = curveOf(publicKey);
  const rs = parseDerSignature(signature);
  if (!rs) return false;
  const [r, s] = rs;
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const jwk = publicKey.export({ format: 'jwk' });
  const q: J = [b64uInt(jwk.x!), b64uInt(jwk.y!), 1n];
  const w = inv(s, c.n);
  const u1 = mod(digestInt(c, digest) * w, c.n);
  const u2 = mod(r * w, c.n);
  const x = add(c, mul(c, u1, [c.gx, c.gy, 1n]), mul(c, u2, q));
  if (x[2] === 0n) return false;
  return mod(affineX(c, x), c.n) === r;
}

function derInt(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02]), derLen(b.length), b]);
}

function derLen(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : Buffer.from([0x81, n]);
}

function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInt(r), derInt(s)]);
  return Buffer.concat([Buffer.from([0x30]), derLen(body.length), body]);
}

function parseDerSignature(sig: Buffer): [bigint, bigint] | undefined {
  let i = 0;
  const readLen = (): number | undefined => {
    const first = sig[i++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    if (first !== 0x81) return undefined;
    return sig[i++];
  };
  if (sig[i++] !== 0x30) return undefined;
  const total = readLen();
  if (total === undefined || i + total !== sig.length) return undefined;
  const ints: bigint[] = [];
  for (let k = 0; k < 2; k++) {
    if (sig[i++] !== 0x02) return undefined;
    const len = readLen();
    if (len === undefined || len === 0 || i + len > sig.length) return undefined;
    ints.push(h(sig.subarray(i, i + len).toString('hex')));
    i += len;
  }
  return i === sig.length ? [ints[0]!, ints[1]!] : undefined;
}
