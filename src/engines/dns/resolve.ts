/**
 * Authoritative resolution over Route 53 hosted zones: zone choice (private before public),
 * delegations, wildcards, NXDOMAIN vs NODATA with the SOA, CNAME chasing inside the zones,
 * alias records, and the routing policy of each record group. Pure: the caller supplies
 * zones, health and the client's location, and gets the records and the reasons back.
 */
import { inZone, parentName, storedName, wildcardOf } from './names.js';
import { route } from './policies.js';
import type { AnswerRecord, Choice, DnsAnswer, DnsQuery, RecordSet, Zone } from './types.js';

/** A zone with its record sets indexed by name and type; build once per zone version. */
export interface ZoneIndex {
  zone: Zone;
  nodes: Map<string, Map<string, RecordSet[]>>;
  /** Every name that exists, including empty non-terminals between records and the apex. */
  existing: Set<string>;
  /** Whether any NS record sits below the apex (most zones have none: no delegation walk then). */
  delegates: boolean;
}

export function indexZone(zone: Zone): ZoneIndex {
  const nodes = new Map<string, Map<string, RecordSet[]>>();
  const existing = new Set<string>([zone.name]);
  for (const r of zone.records) {
    let byType = nodes.get(r.Name);
    if (!byType) nodes.set(r.Name, (byType = new Map()));
    const g = byType.get(r.Type);
    if (g) g.push(r); else byType.set(r.Type, [r]);
    for (let n: string | undefined = r.Name; n && n !== zone.name && !existing.has(n); n = parentName(n)) existing.add(n);
  }
  const delegates = zone.records.some((r) => r.Type === 'NS' && r.Name !== zone.name);
  return { zone, nodes, existing, delegates };
}

const MAX_CHAIN = 8;
/** TTL of answers for aliases to AWS resources outside the zones (API Gateway, load balancers). */
const RESOURCE_ALIAS_TTL = 60;

interface Work {
  q: DnsQuery; zones: ZoneIndex[]; choices: Choice[]; explanation: string[];
  /** Whether to write the explanation (lines are built only then: the hot path skips them). */
  say: boolean;
  /** Health of a plain record (its health check only), made once per query. */
  plainHealthy: (r: RecordSet) => boolean;
}

/** Picks the zone that answers `name`: the most specific private zone, else the most specific public one. */
export function zoneFor(zones: ZoneIndex[], name: string): ZoneIndex | undefined {
  let best: ZoneIndex | undefined;
  for (const z of zones) {
    if (!inZone(name, z.zone.name)) continue;
    if (!best || (z.zone.private && !best.zone.private) || (z.zone.private === best.zone.private && z.zone.name.length > best.zone.name.length)) best = z;
  }
  return best;
}

const plainHealthFns = new WeakMap<DnsQuery['healthy'], (r: RecordSet) => boolean>();

/** One health function per health source, not per query (the hot path allocates no closures). */
function plainHealth(healthy: DnsQuery['healthy']): (r: RecordSet) => boolean {
  let f = plainHealthFns.get(healthy);
  if (!f) plainHealthFns.set(healthy, (f = (r) => r.HealthCheckId === undefined || healthy(r.HealthCheckId)));
  return f;
}

export function resolve(zones: ZoneIndex[], q: DnsQuery): DnsAnswer {
  const name = storedName(q.name);
  const type = q.type.toUpperCase();
  const w: Work = {
    q, zones, choices: [], explanation: [], say: q.explain !== false,
    plainHealthy: plainHealth(q.healthy),
  };
  const z = zoneFor(zones, name);
  if (!z) {
    if (w.say) w.explanation.push(`no hosted zone visible to this client contains ${name}: refused`);
    return { rcode: 'REFUSED', authoritative: false, answers: [], authority: [], choices: [], explanation: w.explanation };
  }
  const zone = { id: z.zone.id, name: z.zone.name, private: z.zone.private };
  if (w.say) w.explanation.push(`zone ${z.zone.name} (${z.zone.private ? 'private' : 'public'}, ${z.zone.id}) answers ${name} ${type}`);
  const answers: AnswerRecord[] = [];
  let current = name;
  let zi = z;
  for (let hop = 0; hop <= MAX_CHAIN; hop++) {
    const step = lookup(w, zi, current, type);
    answers.push(...step.answers);
    if (step.kind === 'cname' && step.target) {
      const next = zoneFor(zones, step.target);
      if (!next) {
        if (w.say) w.explanation.push(`CNAME target ${step.target} is outside the zones Drydock answers for: the client resolves it`);
        break;
      }
      current = step.target;
      zi = next;
      continue;
    }
    if (step.kind === 'referral') return { rcode: 'NOERROR', authoritative: false, answers, authority: step.authority, zone, choices: w.choices, explanation: w.explanation };
    if (step.kind === 'nxdomain' || step.kind === 'nodata') {
      const rcode = step.kind === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR';
      return { rcode, authoritative: true, answers, authority: answers.length ? [] : soaOf(zi), zone, choices: w.choices, explanation: w.explanation };
    }
    break;
  }
  return { rcode: 'NOERROR', authoritative: true, answers, authority: [], zone, choices: w.choices, explanation: w.explanation };
}

type Step =
  | { kind: 'answer'; answers: AnswerRecord[] }
  | { kind: 'cname'; answers: AnswerRecord[]; target?: string }
  | { kind: 'referral'; answers: AnswerRecord[]; authority: AnswerRecord[] }
  | { kind: 'nxdomain' | 'nodata'; answers: AnswerRecord[] };

function lookup(w: Work, z: ZoneIndex, name: string, type: string): Step {
  // A delegation (NS below the apex) on the way down hands the query to other servers.
  const cut = z.delegates ? delegationAbove(z, name) : undefined;
  if (cut && !(cut === name && type === 'DS')) {
    const ns = z.nodes.get(cut)!.get('NS')!;
    if (w.say) w.explanation.push(`${cut} is delegated (NS below the apex): referral, not authoritative`);
    w.choices.push({ name: cut, type: 'NS', rule: 'delegation', reason: 'delegated subdomain' });
    return { kind: 'referral', answers: [], authority: ns.flatMap((r) => materialize(w, z, r, cut, NONE).records) };
  }
  let owner = name;
  let node = z.nodes.get(name);
  if (!node && !z.existing.has(name)) {
    const wild = wildcardFor(z, name);
    if (!wild) {
      if (w.say) w.explanation.push(`${name} does not exist in ${z.zone.name}: NXDOMAIN with the zone's SOA`);
      return { kind: 'nxdomain', answers: [] };
    }
    owner = wild;
    node = z.nodes.get(wild);
    if (w.say) w.explanation.push(`${name} matched the wildcard ${wild}`);
  }
  const group = node?.get(type);
  if (group) {
    const answers = answerGroup(w, z, group, name, owner, NONE);
    if (answers.length === 0) return { kind: 'nodata', answers };
    return { kind: 'answer', answers };
  }
  const cname = node?.get('CNAME');
  if (cname && type !== 'CNAME') {
    const answers = answerGroup(w, z, cname, name, owner, NONE);
    const target = answers[0]?.value;
    if (w.say) w.explanation.push(`${name} is a CNAME for ${target ?? 'nothing'}: following it`);
    return { kind: 'cname', answers, target: target === undefined ? undefined : storedName(target) };
  }
  if (w.say) w.explanation.push(`${name} exists but has no ${type} records: NODATA with the zone's SOA`);
  return { kind: 'nodata', answers: [] };
}

/** The highest delegation point between the apex (excluded) and `name` (included). */
function delegationAbove(z: ZoneIndex, name: string): string | undefined {
  let top: string | undefined;
  for (let n: string | undefined = name; n && n !== z.zone.name; n = parentName(n)) if (z.nodes.get(n)?.has('NS')) top = n;
  return top;
}

/** The wildcard owner covering `name`: `*.` + its closest existing ancestor. */
function wildcardFor(z: ZoneIndex, name: string): string | undefined {
  for (let n = parentName(name); n && inZone(n, z.zone.name); n = parentName(n)) {
    if (z.existing.has(n)) return z.nodes.has(wildcardOf(n)) ? wildcardOf(n) : undefined;
  }
  return undefined;
}

const NONE: ReadonlySet<string> = new Set();

function answerGroup(w: Work, z: ZoneIndex, group: RecordSet[], qname: string, owner: string, seen: ReadonlySet<string>): AnswerRecord[] {
  let alias = false;
  for (const r of group) if (r.AliasTarget) alias = true;
  if (!alias) {
    // The common case, kept free of per-record bookkeeping: no alias, health from checks only.
    const { chosen, choice } = route(group, w.q, w.plainHealthy);
    w.choices.push(owner === qname ? choice : { ...choice, name: qname });
    if (w.say) w.explanation.push(`${choice.rule} ${owner} ${group[0]!.Type}: ${choice.reason}`);
    const out: AnswerRecord[] = [];
    for (const r of chosen) for (const v of r.ResourceRecords ?? []) out.push({ name: qname, type: r.Type, ttl: r.TTL ?? 300, value: v.Value });
    return out;
  }
  const cache = new Map<RecordSet, { records: AnswerRecord[]; healthy: boolean }>();
  const evalOf = (r: RecordSet) => {
    let e = cache.get(r);
    if (!e) cache.set(r, (e = materialize(w, z, r, qname, seen)));
    return e;
  };
  const healthy = (r: RecordSet): boolean => (r.HealthCheckId === undefined || w.q.healthy(r.HealthCheckId)) && evalOf(r).healthy;
  const { chosen, choice } = route(group, w.q, healthy);
  w.choices.push(owner === qname ? choice : { ...choice, name: qname });
  if (w.say) w.explanation.push(`${choice.rule} ${owner} ${group[0]!.Type}: ${choice.reason}`);
  return chosen.flatMap((r) => evalOf(r).records);
}

/** The answer records of one record set; an alias resolves its target (and its health). */
function materialize(w: Work, z: ZoneIndex, r: RecordSet, qname: string, seen: ReadonlySet<string>): { records: AnswerRecord[]; healthy: boolean } {
  const name = qname;
  if (!r.AliasTarget) {
    return { records: (r.ResourceRecords ?? []).map((v) => ({ name, type: r.Type, ttl: r.TTL ?? 300, value: v.Value })), healthy: true };
  }
  const target = storedName(r.AliasTarget.DNSName);
  const tz = w.zones.find((x) => x.zone.id === r.AliasTarget!.HostedZoneId) ?? (r.AliasTarget.HostedZoneId === z.zone.id ? z : undefined);
  if (!tz) {
    // An alias to an AWS resource (API Gateway, load balancer, CloudFront, S3 website): Drydock
    // serves those on this machine, so the alias answers loopback.
    const value = r.Type === 'AAAA' ? '::1' : '127.0.0.1';
    w.choices.push({ name, type: r.Type, rule: 'alias', reason: `alias to the AWS resource ${target}: served by Drydock at ${value}` });
    return { records: r.Type === 'A' || r.Type === 'AAAA' ? [{ name, type: r.Type, ttl: RESOURCE_ALIAS_TTL, value }] : [], healthy: true };
  }
  const key = `${target}|${r.Type}`;
  if (seen.has(key) || seen.size > MAX_CHAIN) return { records: [], healthy: false };
  const next = new Set(seen).add(key);
  const node = tz.nodes.get(target);
  const group = node?.get(r.Type);
  if (!group) {
    w.choices.push({ name, type: r.Type, rule: 'alias', reason: `alias target ${target} has no ${r.Type} records` });
    return { records: [], healthy: !r.AliasTarget.EvaluateTargetHealth };
  }
  const records = answerGroup(w, tz, group, name, target, next);
  w.choices.push({ name, type: r.Type, rule: 'alias', reason: `alias to ${target} in ${tz.zone.name}` });
  return { records, healthy: !r.AliasTarget.EvaluateTargetHealth || records.length > 0 };
}

function soaOf(z: ZoneIndex): AnswerRecord[] {
  const soa = z.nodes.get(z.zone.name)?.get('SOA')?.[0];
  const value = soa?.ResourceRecords?.[0]?.Value;
  if (!soa || value === undefined) return [];
  // RFC 2308: a negative answer is cached for the lesser of the SOA's TTL and its minimum field.
  const minimum = Number(value.trim().split(/\s+/)[6] ?? soa.TTL);
  return [{ name: z.zone.name, type: 'SOA', ttl: Math.min(soa.TTL ?? 900, Number.isFinite(minimum) ? minimum : 900), value }];
}
