/**
 * Route 53's side of the DNS server: the zones visible to a query (every account's public
 * zones, plus the private zones associated with the querying VPC), health from the checkers,
 * CIDR collections, and the engine's answer. TestDNSAnswer asks the same function.
 */
import { AwsError } from '../../core/errors.js';
import { resolve, storedName, wireName, type DnsAnswer, type DnsQuestion, type ZoneIndex } from '../../engines/dns/index.js';
import type { Handler, ServiceHost } from '../types.js';
import { isHealthy, type CheckEnv } from './prober.js';
import { getZone, stateOf, zoneGeneration, zoneIndexes, type Route53State } from './store.js';

function accounts(env: CheckEnv): Route53State[] {
  return env.stores.accountsRegions('route53').map(({ account }) => stateOf(env.stores, account));
}

/** What a resolution needs besides the zones: health and CIDR collections across the accounts. */
function lookups(env: CheckEnv, states: Route53State[]) {
  return {
    healthy: (id: string) => {
      const owner = states.find((s) => s.healthChecks.has(id));
      return owner === undefined || isHealthy(env, owner, id);
    },
    cidrCollections: (id: string) => {
      for (const s of states) {
        const c = s.cidrCollections.get(id);
        if (c) return Object.entries(c.locations).map(([location, cidrs]) => ({ location, cidrs }));
      }
      return undefined;
    },
  };
}

function answerFrom(zones: ZoneIndex[], look: ReturnType<typeof lookups>, q: DnsQuestion): DnsAnswer {
  const answer = resolve(zones, { name: q.name, type: q.type, client: { ip: q.clientIp, source: q.clientIpSource }, explain: q.explain, ...look });
  if (q.clientIp && q.explain !== false) answer.explanation.unshift(`client ${q.clientIp} (${q.clientIpSource === 'edns-client-subnet' ? 'EDNS client subnet' : 'source address'})${q.vpcId ? ` in ${q.vpcId}` : ''}`);
  return answer;
}

/**
 * Every account's zones, indexed, kept until a zone changes: queries must not walk the stores.
 * Valid while each account's state object is the same (a reset replaces it) and still indexed.
 */
interface View { states: Route53State[]; indexes: ZoneIndex[][]; publicZones: ZoneIndex[]; look: ReturnType<typeof lookups>; generation: number }

const views = new WeakMap<object, View>();

function view(env: CheckEnv): View {
  const v = views.get(env.stores);
  if (v && v.generation === zoneGeneration() && v.states.every((s, i) => s.index === v.indexes[i] && stateOf(env.stores, s.account) === s)) return v;
  const states = accounts(env);
  const indexes = states.map(zoneIndexes);
  const fresh: View = { states, indexes, publicZones: indexes.flat().filter((z) => !z.zone.private), look: lookups(env, states), generation: zoneGeneration() };
  views.set(env.stores, fresh);
  return fresh;
}

export function installDns(host: ServiceHost): void {
  host.ports.route53Dns = {
    answer(q) {
      const v = view(host);
      if (q.vpcId === undefined) return answerFrom(v.publicZones, v.look, q);
      const zones = [...v.publicZones];
      v.states.forEach((s, i) => {
        for (const z of v.indexes[i]!) if (z.zone.private && s.zones.get(z.zone.id)?.VPCs.some((x) => x.VPCId === q.vpcId)) zones.push(z);
      });
      return answerFrom(zones, v.look, q);
    },
  };
}

export const testDnsAnswer: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account);
  const zone = getZone(state, input['HostedZoneId']);
  if (zone.PrivateZone) throw new AwsError('InvalidInput', 'Invalid request: TestDNSAnswer does not support private hosted zones.', 400);
  const subnet = input['EDNS0ClientSubnetIP'] as string | undefined;
  const resolverIp = input['ResolverIP'] as string | undefined;
  const index = zoneIndexes(state).filter((z) => z.zone.id === zone.Id);
  const name = String(input['RecordName']);
  const answer = answerFrom(index, lookups(ctx, accounts(ctx)), {
    name, type: String(input['RecordType']),
    clientIp: subnet ?? resolverIp, clientIpSource: subnet ? 'edns-client-subnet' : 'source-address',
  });
  return {
    Nameserver: zone.NameServers[0], RecordName: wireName(storedName(name)) + '.', RecordType: String(input['RecordType']),
    RecordData: answer.answers.filter((a) => a.type === String(input['RecordType'])).map((a) => a.value),
    ResponseCode: answer.rcode, Protocol: 'UDP',
  };
};
