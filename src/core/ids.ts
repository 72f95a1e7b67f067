/**
 * Identifiers shaped like AWS's own: request ids, resource ids (`vpc-0a1b…`), access keys
 * and ARNs. Clients and tools validate some of these shapes (length, alphabet, prefix), so
 * they follow what AWS issues rather than whatever is convenient.
 */
import { randomBytes, randomFill } from './random.js';

const HEX = '0123456789abcdef';
const uuidText = Buffer.alloc(36, 45); // dashes where they stay
const uuidBytes = Buffer.alloc(16);

/**
 * A request id: a v4 UUID, as most AWS services return in `x-amzn-RequestId`. Written as ASCII
 * into one buffer and read out as one string: `randomUUID` builds it from pieces, about 600
 * bytes of garbage per request.
 */
export function requestId(): string {
  const b = randomFill(uuidBytes);
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) at++;
    uuidText[at++] = HEX.charCodeAt(b[i]! >> 4);
    uuidText[at++] = HEX.charCodeAt(b[i]! & 15);
  }
  return uuidText.toString('latin1', 0, 36);
}

/** `n` random lower-case hex characters. */
export function randomHex(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`hex length must be an integer >= 0, got \`${n}\``);
  return randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
}

/**
 * An EC2-style resource id: `prefix-` followed by `hexLen` hex characters, e.g.
 * `awsId('vpc')` → `vpc-0a1b2c3d4e5f60718`. AWS uses 17 for current ids and 8 for old ones.
 */
export function awsId(prefix: string, hexLen = 17): string {
  return `${prefix}-${randomHex(hexLen)}`;
}

// AWS access key ids use the RFC 4648 base32 alphabet after their 4-letter prefix.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * A 20-character access key id: `prefix` (AKIA for long-term IAM keys, ASIA for STS
 * temporary ones) padded with random base32 characters.
 */
export function accessKeyId(prefix = 'AKIA'): string {
  if (prefix.length >= 20) throw new RangeError(`access key prefix must be shorter than 20 characters, got \`${prefix}\``);
  const bytes = randomBytes(20 - prefix.length);
  let out = prefix;
  // 32 divides 256, so masking keeps every character equally likely.
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

/** A 40-character secret access key over the base64 alphabet, like AWS's. */
export function secretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** The parts of an ARN; `region` and `account` are empty for global resources such as S3 buckets. */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, e.g. `role/admin` or `function:f:1`. */
  resource: string;
}

/** Builds `arn:partition:service:region:account:resource`. */
export function arn(p: { partition?: string; service: string; region?: string; account?: string; resource: string }): string {
  return `arn:${p.partition ?? 'aws'}:${p.service}:${p.region ?? ''}:${p.account ?? ''}:${p.resource}`;
}

/** Splits an ARN into its parts, or `undefined` if `s` is not an ARN. */
export function parseArn(s: string): ArnParts | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/s.exec(s);
  if (m === null) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4]!, resource: m[5]! };
}

/** True for a 12-digit AWS account id. */
export function isAccountId(s: string): boolean {
  return /^\d{12}$/.test(s);
}

/** The partition a region belongs to, for building ARNs in China and GovCloud regions. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}
