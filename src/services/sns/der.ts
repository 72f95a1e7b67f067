/**
 * A minimal DER writer and the self-signed X.509 v3 certificate built with it: node:crypto
 * makes and uses keys but cannot issue certificates, and SNS message validators need one to
 * check signatures against.
 */
import { createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 + n, content);
const nul = (): Buffer => Buffer.from([0x05, 0x00]);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
const bool = (v: boolean): Buffer => Buffer.from([0x01, 0x01, v ? 0xff : 0x00]);
const octets = (bytes: Buffer): Buffer => tlv(0x04, bytes);

/** An unsigned big-endian INTEGER (a leading zero keeps it positive). */
function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1]! & 0x80) === 0) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    let v = p;
    do { chunk.unshift(v & 0x7f); v = Math.floor(v / 128); } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime up to 2049, GeneralizedTime from 2050, as RFC 5280 requires. */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = Number(iso.slice(0, 4));
  return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

function name(attrs: [string, string][]): Buffer {
  return seq(...attrs.map(([type, value]) => set(seq(oid(type), utf8(value)))));
}

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const OID = { CN: '2.5.4.3', O: '2.5.4.10', OU: '2.5.4.11', C: '2.5.4.6', basicConstraints: '2.5.29.19', keyUsage: '2.5.29.15' };

/** What a certificate says about itself. */
export interface CertificateSpec {
  commonName: string;
  organization: string;
  notBeforeMs: number;
  notAfterMs: number;
}

/**
 * A self-signed X.509 v3 certificate for `privateKey` (RSA), signed with SHA-256, in PEM.
 * Not a CA: basicConstraints CA=false and keyUsage digitalSignature, like AWS's SNS
 * signing certificate.
 */
export function selfSignedCertificate(privateKey: KeyObject, spec: CertificateSpec): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const algorithm = seq(oid(SHA256_WITH_RSA), nul());
  const subject = name([[OID.C, 'US'], [OID.O, spec.organization], [OID.CN, spec.commonName]]);
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const extensions = explicit(3, seq(
    seq(oid(OID.basicConstraints), bool(true), octets(seq())),
    // keyUsage: digitalSignature (bit 0) as a BIT STRING with 7 unused bits.
    seq(oid(OID.keyUsage), bool(true), octets(tlv(0x03, Buffer.from([0x07, 0x80])))),
  ));
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    subject,
    seq(time(spec.notBeforeMs), time(spec.notAfterMs)),
    subject,
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, algorithm, bitString(signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
