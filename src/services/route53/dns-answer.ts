/**
 * Route 53's side of the DNS server: the zones visible to a query (every account's public
 * zones, plus the private zones associated with the querying VPC), health from the checkers,
 * CIDR collections, and the engine's answer. TestDNSAnswer asks the same function.
 */
import { AwsError } from '../../core/errors.js';
import { resolve, storedName, wireName, type DnsAnswer, type DnsQuestion, type ZoneIndex } from '../../engines/dns/index.js';
import type { Handler, ServiceHost } from '../types.js';
import { isHealthy, type CheckEnv } from './prober.js';
import { getZone, stateOf, zoneIndexes, type Route53State } from './store.js';

function accounts(env: CheckEnv): Route53State[] {
  return env.stores.accountsRegions('route53').map(({ account }) => stateOf(env.stores, account));
}

function answerFrom(env: CheckEnv, states: Route53State[], zones: ZoneIndex[], q: DnsQuestion): DnsAnswer {
  const answer = resolve(zones, {
    name: q.name, type: q.type, client: { ip: q.clientIp, source: q.clientIpSource },
    healthy: (id) => {
      const owner = states.find((s) => s.healthChecks.has(id));
      return owner === undefined || isHealthy(env, owner, id);
    },
    cidrCollections: (id) => {
      for (const s of states) {
        const c = s.cidrCollections.get(id);
        if (c) return Object.entries(c.locations).map(([location, cidrs]) => ({ location, cidrs }));
      }
      return undefined;
    },
  });
  if (q.clientIp) answer.explanation.unshift(`client ${q.clientIp} (${q.clientIpSource === 'edns-client-subnet' ? 'EDNS client subnet' : 'source address'})${q.vpcId ? ` in ${q.vpcId}` : ''}`);
  return answer;
}

export function installDns(host: ServiceHost): void {
  host.ports.route53Dns = {
    answer(q) {
      const states = accounts(host);
      const zones: ZoneIndex[] = [];
      for (const s of states) {
        for (const z of zoneIndexes(s)) {
          if (!z.zone.private) zones.push(z);
          else if (q.vpcId !== undefined && s.zones.get(z.zone.id)?.VPCs.some((v) => v.VPCId === q.vpcId)) zones.push(z);
        }
      }
      return answerFrom(host, states, zones, q);
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
  const answer = answerFrom(ctx, accounts(ctx), index, {
    name, type: String(input['RecordType']),
    clientIp: subnet ?? resolverIp, clientIpSource: subnet ? 'edns-client-subnet' : 'source-address',
  });
  return {
    Nameserver: zone.NameServers[0], RecordName: wireName(storedName(name)) + '.', RecordType: String(input['RecordType']),
    RecordData: answer.answers.filter((a) => a.type === String(input['RecordType'])).map((a) => a.value),
    ResponseCode: answer.rcode, Protocol: 'UDP',
  };
};
