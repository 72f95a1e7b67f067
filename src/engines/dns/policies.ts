/**
 * Routing policies: given the record sets that share a name and type, which does Route 53
 * answer with? Health rules follow AWS's documentation: an unhealthy record is skipped; when
 * every record of a group is unhealthy, Route 53 answers as if all were healthy (failover
 * answers the primary).
 */
import { biasedDistance, distanceKm, matchLength, placeOf, REGION_COORDINATES } from './geo.js';
import type { Choice, DnsQuery, RecordSet } from './types.js';

export interface Routed {
  chosen: RecordSet[];
  choice: Choice;
}

type Health = (r: RecordSet) => boolean;

export type Policy = Choice['rule'];

export function policyOf(r: RecordSet): Policy {
  if (r.Failover) return 'failover';
  if (r.Weight !== undefined) return 'weighted';
  if (r.MultiValueAnswer) return 'multivalue';
  if (r.Region) return 'latency';
  if (r.GeoLocation) return 'geolocation';
  if (r.GeoProximityLocation) return 'geoproximity';
  if (r.CidrRoutingConfig) return 'ip-based';
  return 'simple';
}

const label = (r: RecordSet): string => (r.SetIdentifier === undefined ? '' : ` "${r.SetIdentifier}"`);

function routed(first: RecordSet, rule: Policy, chosen: RecordSet[], reason: string): Routed {
  return { chosen, choice: { name: first.Name, type: first.Type, rule, setIdentifier: chosen.length === 1 ? chosen[0]!.SetIdentifier : undefined, reason } };
}

/** Routes one group; `chosen` is empty when the policy has no record for this client. */
export function route(group: RecordSet[], q: DnsQuery, healthy: Health): Routed {
  const first = group[0]!;
  const rule = policyOf(first);
  // Reasons are written only when the caller wants the explanation: the DNS hot path does not,
  // and it avoids allocating closures per query too.
  const say = q.explain !== false;
  if (rule === 'simple') return routed(first, rule, group, say ? 'simple routing: the one record set for this name and type' : '');
  const up: RecordSet[] = [];
  for (const r of group) if (healthy(r)) up.push(r);
  const pool = up.length > 0 ? up : group;
  const allDown = up.length === 0 ? ' (every record unhealthy: Route 53 treats all as healthy)' : '';
  const random = q.random ?? Math.random;
  switch (rule) {
    case 'failover': {
      const primary = group.find((r) => r.Failover === 'PRIMARY');
      const secondary = group.find((r) => r.Failover === 'SECONDARY');
      if (primary && healthy(primary)) return routed(first, rule, [primary], say ? `failover: primary${label(primary)} is healthy` : '');
      if (secondary && (healthy(secondary) || !primary)) {
        return routed(first, rule, [secondary], !say ? '' : primary ? `failover: primary${label(primary)} is unhealthy, answering secondary${label(secondary)}` : 'failover: only a secondary exists');
      }
      const r = primary ?? secondary!;
      return routed(first, rule, [r], say ? `failover: both unhealthy, answering the primary${label(r)}` : '');
    }
    case 'weighted': {
      let total = 0;
      for (const r of pool) total += r.Weight ?? 0;
      // All weights 0: Route 53 answers among them with equal probability.
      const even = total === 0;
      if (even) total = pool.length;
      let x = random() * total;
      let pick = pool[pool.length - 1]!;
      for (const r of pool) {
        const w = even ? 1 : r.Weight ?? 0;
        if (w === 0) continue;
        x -= w;
        if (x < 0) { pick = r; break; }
      }
      return routed(first, rule, [pick], say ? `weighted: chose${label(pick)} (weight ${pick.Weight} of ${total}) among ${pool.length} candidate(s)${allDown}` : '');
    }
    case 'multivalue': {
      const shuffled = pool.slice();
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = shuffled[i]!;
        shuffled[i] = shuffled[j]!;
        shuffled[j] = t;
      }
      if (shuffled.length > 8) shuffled.length = 8;
      return routed(first, rule, shuffled, say ? `multivalue: ${shuffled.length} of ${up.length} healthy record(s) at random (at most 8)${allDown}` : '');
    }
    case 'latency': {
      const place = placeOf(q.client.ip);
      const at: [number, number] = place ? [place.lat, place.lon] : REGION_COORDINATES['us-east-1']!;
      const scored = pool.map((r) => ({ r, d: distanceKm(at, REGION_COORDINATES[r.Region!] ?? [0, 0]) })).sort((a, b) => a.d - b.d);
      const best = scored[0]!;
      return routed(first, rule, [best.r], say ? `latency: ${best.r.Region}${label(best.r)} has the lowest latency from ${place?.city ?? 'an unknown place (taken as us-east-1)'} (~${Math.round(best.d)} km)${allDown}` : '');
    }
    case 'geolocation': return geolocation(group, q, healthy, (c, why) => routed(first, rule, c, why));
    case 'geoproximity': {
      const place = placeOf(q.client.ip);
      const at: [number, number] = place ? [place.lat, place.lon] : REGION_COORDINATES['us-east-1']!;
      const scored = pool.map((r) => {
        const g = r.GeoProximityLocation!;
        const where: [number, number] = g.Coordinates
          ? [Number(g.Coordinates.Latitude), Number(g.Coordinates.Longitude)]
          : REGION_COORDINATES[g.AWSRegion ?? g.LocalZoneGroup?.replace(/-[a-z]+-\d+$/, '') ?? ''] ?? [0, 0];
        const d = distanceKm(at, where);
        return { r, d, b: biasedDistance(d, g.Bias ?? 0) };
      }).sort((a, b) => a.b - b.b);
      const best = scored[0]!;
      const detail = say ? scored.map((x) => `${x.r.SetIdentifier}: ${Math.round(x.d)} km, bias ${x.r.GeoProximityLocation!.Bias ?? 0} → ${Math.round(x.b)} km`).join('; ') : '';
      return routed(first, rule, [best.r], say ? `geoproximity from ${place?.city ?? 'an unknown place (taken as us-east-1)'}: chose${label(best.r)} with the smallest biased distance (${detail})${allDown}` : '');
    }
    case 'ip-based': return ipBased(group, q, healthy, (c, why) => routed(first, rule, c, why));
    default: return routed(first, rule, group, say ? 'simple routing' : '');
  }
}

function geolocation(group: RecordSet[], q: DnsQuery, healthy: Health, done: (c: RecordSet[], why: string) => Routed): Routed {
  const place = placeOf(q.client.ip);
  const g = (r: RecordSet) => r.GeoLocation!;
  // Most specific first: subdivision, country, continent, then the default (`*`).
  const tiers: [string, (r: RecordSet) => boolean][] = place ? [
    [`subdivision ${place.country}-${place.subdivision}`, (r) => g(r).CountryCode === place.country && g(r).SubdivisionCode === place.subdivision],
    [`country ${place.country}`, (r) => g(r).CountryCode === place.country && !g(r).SubdivisionCode],
    [`continent ${place.continent}`, (r) => g(r).ContinentCode === place.continent],
  ] : [];
  tiers.push(['the default location', (r) => g(r).CountryCode === '*']);
  for (const [what, match] of tiers) {
    const r = group.find(match);
    if (r && healthy(r)) return done([r], `geolocation: client in ${place?.city ?? 'an unknown place'} matched ${what}${label(r)}`);
  }
  return done([], `geolocation: no record for ${place ? `${place.city} (${place.continent}/${place.country})` : 'an unknown location'} and no healthy default`);
}

function ipBased(group: RecordSet[], q: DnsQuery, healthy: Health, done: (c: RecordSet[], why: string) => Routed): Routed {
  let best: { r: RecordSet; len: number } | undefined;
  for (const r of group) {
    const cfg = r.CidrRoutingConfig!;
    if (cfg.LocationName === '*' || q.client.ip === undefined) continue;
    const loc = q.cidrCollections?.(cfg.CollectionId)?.find((l) => l.location === cfg.LocationName);
    for (const cidr of loc?.cidrs ?? []) {
      const len = matchLength(q.client.ip, cidr);
      if (len >= 0 && (best === undefined || len > best.len) && healthy(r)) best = { r, len };
    }
  }
  if (best) return done([best.r], `ip-based: ${q.client.ip} is in location "${best.r.CidrRoutingConfig!.LocationName}" (/${best.len})`);
  const fallback = group.find((r) => r.CidrRoutingConfig!.LocationName === '*');
  if (fallback) return done([fallback], `ip-based: ${q.client.ip ?? 'the client'} is in no CIDR location; answering the default (*) record`);
  return done([], `ip-based: ${q.client.ip ?? 'the client'} is in no CIDR location and there is no default record`);
}
