/**
 * Scalar parsing for condition operators: numbers, dates and IP addresses.
 *
 * Everything here is total: bad input yields `NaN` or `undefined`, never an exception,
 * because a request value that does not parse simply fails to match (AWS does the same).
 */

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses an IAM numeric condition value; `NaN` when it is not a number. */
export function parseNumber(value: string): number {
  const trimmed = value.trim();
  return NUMBER_RE.test(trimmed) ? Number(trimmed) : Number.NaN;
}

// ISO 8601 in the forms IAM accepts: a date, a date and time to minutes or seconds with
// optional fractions, and an optional `Z` or numeric offset (UTC when absent).
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH_RE = /^-?\d+(?:\.\d+)?$/;

/**
 * Parses an IAM date value, ISO 8601 or epoch seconds, to epoch milliseconds.
 * Returns `NaN` when the value is neither.
 */
export function parseDate(value: string): number {
  const s = value.trim();
  if (EPOCH_RE.test(s)) return Number(s) * 1000;
  const m = ISO_RE.exec(s);
  if (m === null) return Number.NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return Number.NaN;
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** An IP address as a family and a 32- or 128-bit integer. */
export interface IpValue {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** A CIDR block; a bare address is a /32 or /128 block. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out = (out << 8n) | BigInt(n);
  }
  return out;
}

function parseIpv6(s: string): bigint | undefined {
  let text = s;
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) stands for the last two 16-bit groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const head = toGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  if (head === undefined || rest === undefined) return undefined;
  const explicit = head.length + rest.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const groups = [...head, ...new Array<bigint>(8 - explicit).fill(0n), ...rest];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 addresses become IPv4. */
export function parseIp(text: string): IpValue | undefined {
  const s = text.trim();
  if (!s.includes(':')) {
    const v4 = parseIpv4(s);
    return v4 === undefined ? undefined : { family: 4, value: v4 };
  }
  const v6 = parseIpv6(s);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

/** Parses a CIDR block such as `10.0.0.0/8` or `2001:db8::/32`. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr = '', bits, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (ip === undefined) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
  if (prefix < 0 || prefix > width) return undefined;
  const shift = BigInt(width - prefix);
  return { family: ip.family, network: (ip.value >> shift) << shift, prefix };
}

/** True when `ip` lies inside `cidr` (same family only). */
export function cidrContains(cidr: Cidr, ip: IpValue): boolean {
  if (cidr.family !== ip.family) return false;
  const shift = BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix);
  return (ip.value >> shift) << shift === cidr.network;
}
