/**
 * Where clients and AWS Regions are. Real Route 53 locates a client by the EDNS client subnet
 * or the resolver's address through a GeoIP database; Drydock uses a small, documented table
 * of test networks instead, so a test can pretend to be in Frankfurt or São Paulo by sending
 * from (or with a client subnet in) the matching block. Latency is approximated by
 * great-circle distance to the Region.
 */

export interface Place {
  city: string;
  continent: string;
  country: string;
  subdivision?: string;
  lat: number;
  lon: number;
  /** The AWS Region serving this place (endpoints with addresses here are "in" it). */
  region: string;
}

/** The test networks (RFC 5737 documentation blocks and the RFC 2544 benchmark block). */
export const TEST_NETWORKS: readonly { cidr: string; place: Place }[] = [
  { cidr: '192.0.2.0/24', place: { city: 'Frankfurt', continent: 'EU', country: 'DE', subdivision: 'HE', lat: 50.11, lon: 8.68, region: 'eu-central-1' } },
  { cidr: '198.51.100.0/24', place: { city: 'São Paulo', continent: 'SA', country: 'BR', subdivision: 'SP', lat: -23.55, lon: -46.63, region: 'sa-east-1' } },
  { cidr: '203.0.113.0/24', place: { city: 'Tokyo', continent: 'AS', country: 'JP', subdivision: '13', lat: 35.68, lon: 139.69, region: 'ap-northeast-1' } },
  { cidr: '198.18.0.0/24', place: { city: 'Ashburn', continent: 'NA', country: 'US', subdivision: 'VA', lat: 39.04, lon: -77.49, region: 'us-east-1' } },
  { cidr: '198.18.1.0/24', place: { city: 'Dublin', continent: 'EU', country: 'IE', lat: 53.35, lon: -6.26, region: 'eu-west-1' } },
  { cidr: '198.18.2.0/24', place: { city: 'Portland', continent: 'NA', country: 'US', subdivision: 'OR', lat: 45.52, lon: -122.68, region: 'us-west-2' } },
  { cidr: '198.18.3.0/24', place: { city: 'London', continent: 'EU', country: 'GB', subdivision: 'ENG', lat: 51.51, lon: -0.13, region: 'eu-west-2' } },
  { cidr: '198.18.4.0/24', place: { city: 'Sydney', continent: 'OC', country: 'AU', subdivision: 'NSW', lat: -33.87, lon: 151.21, region: 'ap-southeast-2' } },
  { cidr: '198.18.5.0/24', place: { city: 'Mumbai', continent: 'AS', country: 'IN', subdivision: 'MH', lat: 19.08, lon: 72.88, region: 'ap-south-1' } },
  { cidr: '198.18.6.0/24', place: { city: "St. John's", continent: 'NA', country: 'CA', subdivision: 'NL', lat: 47.56, lon: -52.71, region: 'ca-central-1' } },
  { cidr: '198.18.7.0/24', place: { city: 'Cape Town', continent: 'AF', country: 'ZA', subdivision: 'WC', lat: -33.92, lon: 18.42, region: 'af-south-1' } },
  // Loopback: a client on this machine is in Ashburn, next to us-east-1 (Drydock's default Region).
  { cidr: '127.0.0.0/8', place: { city: 'Ashburn', continent: 'NA', country: 'US', subdivision: 'VA', lat: 39.04, lon: -77.49, region: 'us-east-1' } },
  { cidr: '::1/128', place: { city: 'Ashburn', continent: 'NA', country: 'US', subdivision: 'VA', lat: 39.04, lon: -77.49, region: 'us-east-1' } },
];

/** Approximate coordinates of AWS Regions (the metro each is in). */
export const REGION_COORDINATES: Readonly<Record<string, [number, number]>> = {
  'us-east-1': [38.13, -78.45], 'us-east-2': [39.96, -83.0], 'us-west-1': [37.35, -121.96], 'us-west-2': [46.15, -123.88],
  'ca-central-1': [45.5, -73.6], 'ca-west-1': [51.05, -114.07], 'sa-east-1': [-23.55, -46.63], 'mx-central-1': [20.59, -100.39],
  'eu-west-1': [53.35, -6.26], 'eu-west-2': [51.51, -0.13], 'eu-west-3': [48.86, 2.35], 'eu-central-1': [50.11, 8.68],
  'eu-central-2': [47.37, 8.54], 'eu-north-1': [59.33, 18.07], 'eu-south-1': [45.46, 9.19], 'eu-south-2': [41.65, -0.88],
  'ap-northeast-1': [35.68, 139.69], 'ap-northeast-2': [37.57, 126.98], 'ap-northeast-3': [34.69, 135.5],
  'ap-southeast-1': [1.35, 103.82], 'ap-southeast-2': [-33.87, 151.21], 'ap-southeast-3': [-6.21, 106.85],
  'ap-southeast-4': [-37.81, 144.96], 'ap-south-1': [19.08, 72.88], 'ap-south-2': [17.39, 78.49], 'ap-east-1': [22.32, 114.17],
  'me-south-1': [26.07, 50.56], 'me-central-1': [25.2, 55.27], 'il-central-1': [32.09, 34.78], 'af-south-1': [-33.92, 18.42],
};

/** The place of an address by the test-network table, or undefined. */
export function placeOf(ip: string | undefined): Place | undefined {
  if (ip === undefined) return undefined;
  for (const n of TEST_NETWORKS) if (inCidr(ip, n.cidr)) return n.place;
  return undefined;
}

/** Great-circle distance in km. */
export function distanceKm(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLon = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * AWS's geoproximity bias: a positive bias shrinks the distance (actual × (1 − bias/100)),
 * a negative one grows it (actual ÷ (1 + bias/100)).
 */
export function biasedDistance(actual: number, bias: number): number {
  return bias >= 0 ? actual * (1 - bias / 100) : actual / (1 + bias / 100);
}

/** An address as a bigint with its family's width, or undefined when it does not parse. */
export function parseIp(ip: string): { value: bigint; bits: 32 | 128 } | undefined {
  if (ip.includes(':')) {
    const v6 = parseV6(ip);
    return v6 === undefined ? undefined : { value: v6, bits: 128 };
  }
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return { value: v, bits: 32 };
}

function parseV6(ip: string): bigint | undefined {
  const [head, tail, extra] = ip.split('::');
  if (extra !== undefined) return undefined;
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? h.length !== 8 : missing < 1) return undefined;
  let v = 0n;
  for (const g of [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** `a.b.c.d/n` or `x::/n` → network and prefix length; undefined when malformed. */
export function parseCidr(cidr: string): { value: bigint; bits: 32 | 128; prefix: number } | undefined {
  const [addr, len, extra] = cidr.split('/');
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const ip = parseIp(addr);
  const prefix = Number(len);
  if (ip === undefined || prefix > ip.bits) return undefined;
  return { ...ip, prefix };
}

/** Prefix length of `cidr` if `ip` is in it, else -1. */
export function matchLength(ip: string, cidr: string): number {
  const a = parseIp(ip);
  const n = parseCidr(cidr);
  if (a === undefined || n === undefined || a.bits !== n.bits) return -1;
  const shift = BigInt(n.bits - n.prefix);
  return a.value >> shift === n.value >> shift ? n.prefix : -1;
}

export function inCidr(ip: string, cidr: string): boolean {
  return matchLength(ip, cidr) >= 0;
}
