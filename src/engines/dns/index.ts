/** The DNS engine: Route 53 hosted zones in, the records a query gets and why out. */
export * from './types.js';
export { indexZone, resolve, zoneFor, type ZoneIndex } from './resolve.js';
export { route, policyOf } from './policies.js';
export { storedName, wireName, inZone, parentName } from './names.js';
export { TEST_NETWORKS, REGION_COORDINATES, placeOf, distanceKm, biasedDistance, parseIp, parseCidr, inCidr, matchLength, type Place } from './geo.js';
export type { DnsQuestion, Route53Dns, ResolverDecision, ResolverDns } from './port.js';
