// IP addresses as Ruler sees them: a string that looks like an IPv4 or IPv6 literal (by
// Ruler's two regular expressions) and that Java's InetAddress accepts becomes a fixed-width
// uppercase hex string (8 digits for IPv4, 32 for IPv6); CIDR blocks become hex ranges.
import { PatternIssue } from './errors.js';

const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** True when Ruler would try to read `s` as an IP address. */
export function looksLikeIp(s: string): boolean {
  return IPV4.test(s) || IPV6.test(s);
}

function v4(s: string): number[] | undefined {
  const parts = s.split('.').map((p) => (p.length > 10 ? NaN : Number(p)));
  return parts.every((n) => n >= 0 && n <= 255) ? parts : undefined;
}

function v6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const gs = h.split(':');
    if (gs.some((g) => g.length === 0 || g.length > 4)) return undefined;
    return gs.map((g) => parseInt(g, 16));
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** The address bytes Java would produce, or undefined where InetAddress refuses the literal. */
export function ipBytes(s: string): number[] | undefined {
  if (IPV4.test(s)) return v4(s);
  if (!IPV6.test(s)) return undefined;
  const b = v6(s);
  // InetAddress turns IPv4-mapped IPv6 literals into IPv4 addresses.
  if (b && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return b.slice(12);
  return b;
}

function hex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** Ruler's hex form of an IP-looking string, or undefined when it is not an address. */
export function ipHex(s: string): string | undefined {
  if (!looksLikeIp(s)) return undefined;
  const b = ipBytes(s);
  return b ? hex(b) : undefined;
}

/** Java's `String.split("/")`: trailing empty strings are dropped. */
function javaSplit(s: string): string[] {
  const parts = s.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** An inclusive range of hex-encoded addresses of one width. */
export interface HexRange {
  readonly lo: string;
  readonly hi: string;
}

/**
 * Ruler's CIDR range: from the address as written (host bits are not cleared) to the
 * address with every host bit set. Mask bits must be below the address width.
 */
export function cidrRange(text: string): HexRange {
  const fail = (m: string): never => {
    throw new PatternIssue('cidr', m);
  };
  const parts = javaSplit(text);
  if (parts.length !== 2) fail("Malformed CIDR, one '/' required");
  const [addr, maskText] = parts as [string, string];
  if (!/^[+-]?[0-9]+$/.test(maskText) || Math.abs(Number(maskText)) > 2147483647) fail('Malformed CIDR, mask bits must be an integer');
  const mask = Number(maskText);
  if (mask < 0) fail('Malformed CIDR, mask bits must not be negative');
  if (!looksLikeIp(addr)) fail(`Nonstandard IP address: ${addr}`);
  const bytes = ipBytes(addr) ?? fail(`Invalid IP address: ${addr}`);
  if (bytes.length === 4 && mask > 31) fail('IPv4 mask bits must be < 32');
  if (bytes.length === 16 && mask > 127) fail('IPv6 mask bits must be < 128');
  let host = bytes.length * 8 - mask;
  const top = [...bytes];
  for (let i = top.length - 1; i >= 0 && host > 0; i--, host -= 8) {
    top[i] = (top[i] as number) | (host >= 8 ? 0xff : (1 << host) - 1);
  }
  return { lo: hex(bytes), hi: hex(top) };
}
