/**
 * IPv4 addresses and CIDR blocks as unsigned 32-bit numbers, and a longest-prefix-match
 * table. Everything the network engine and the EC2 provider decide about addresses
 * (containment, overlap, route selection) goes through here so both agree.
 */

/** A parsed IPv4 CIDR block: network address (host bits cleared) and prefix length. */
export interface Cidr {
  base: number;
  len: number;
}

/** The address as an unsigned number, or undefined when `s` is not dotted-quad IPv4. */
export function parseIp(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (m === null) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255 || (m[i]!.length > 1 && m[i]!.startsWith('0'))) return undefined;
    n = n * 256 + o;
  }
  return n;
}

export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function mask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/**
 * The block `s` denotes. With `strict`, host bits must be clear (`10.0.0.1/16` is refused, as
 * EC2 refuses it for VPCs and subnets); otherwise they are cleared.
 */
export function parseCidr(s: string, strict = false): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (ip === undefined || !/^\d{1,2}$/.test(lenText)) return undefined;
  const len = Number(lenText);
  if (len > 32) return undefined;
  const base = (ip & mask(len)) >>> 0;
  if (strict && base !== ip) return undefined;
  return { base, len };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.len}`;
}

/** Number of addresses in the block. */
export function size(c: Cidr): number {
  return 2 ** (32 - c.len);
}

export function containsIp(c: Cidr, ip: number): boolean {
  return ((ip & mask(c.len)) >>> 0) === c.base;
}

/** True when `inner` lies wholly inside `outer`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.len >= outer.len && containsIp(outer, inner.base);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return containsCidr(a, b) || containsCidr(b, a);
}

/** Whether the text-form CIDR `cidr` contains the text-form address `ip`. */
export function cidrHas(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const n = parseIp(ip);
  return c !== undefined && n !== undefined && containsIp(c, n);
}

/**
 * Longest-prefix-match table: one hash map per prefix length, probed from the longest length
 * present down. A lookup costs one probe per distinct length, so a table of thousands of
 * propagated /16 routes answers as fast as a table of three.
 */
export class PrefixTable<V> {
  #byLen = new Map<number, Map<number, V>>();
  #lens: number[] = [];

  /** Adds `value` for `cidr`; an existing entry for the same block is kept (first wins). */
  add(cidr: Cidr, value: V): void {
    let m = this.#byLen.get(cidr.len);
    if (m === undefined) {
      m = new Map();
      this.#byLen.set(cidr.len, m);
      this.#lens = [...this.#byLen.keys()].sort((a, b) => b - a);
    }
    if (!m.has(cidr.base)) m.set(cidr.base, value);
  }

  /** The entry of the longest prefix containing `ip`, with that prefix. */
  lookup(ip: number): { value: V; cidr: Cidr } | undefined {
    for (const len of this.#lens) {
      const base = (ip & mask(len)) >>> 0;
      const v = this.#byLen.get(len)!.get(base);
      if (v !== undefined) return { value: v, cidr: { base, len } };
    }
    return undefined;
  }
}
