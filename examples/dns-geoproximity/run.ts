/**
 * Handbook ch. 1 part 4, geoproximity routing with a bias: endpoints in us-east-1 and
 * eu-west-1. A client in St. John's, Newfoundland (Drydock's test network 198.18.6.0/24, sent
 * as an EDNS client subnet) is about 2,300 km from us-east-1 and 3,300 km from eu-west-1, so it
 * gets us-east-1. A bias of +50 on eu-west-1 makes Route 53 use half the distance to it
 * (AWS: biased distance = actual × (1 − bias/100)), ~1,650 km, and the client moves to
 * eu-west-1. TestDNSAnswer agrees with the DNS server at each step.
 *
 *   node --import tsx examples/dns-geoproximity/run.ts
 */
import { randomUUID } from 'node:crypto';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, TestDNSAnswerCommand } from '@aws-sdk/client-route-53';
import { runIfMain, Scenario, type ScenarioResult } from '../_lib/harness.js';
import { dig, route53, withDnsTarget, type DnsTarget } from '../dns-failover/dns-target.js';

const CLIENT = '198.18.6.0/24';
const US = '192.0.2.10';
const EU = '198.51.100.10';

export async function run(target?: DnsTarget): Promise<ScenarioResult> {
  return withDnsTarget(target, async (t) => {
    const s = new Scenario('dns-geoproximity', t);
    const r53 = route53(t);
    const zone = `geo-${randomUUID().slice(0, 8)}.example.com`;
    const z = await r53.send(new CreateHostedZoneCommand({ Name: zone, CallerReference: randomUUID() }));
    const set = (euBias: number) => r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: z.HostedZone!.Id, ChangeBatch: { Changes: [
      { Action: 'UPSERT', ResourceRecordSet: { Name: `api.${zone}`, Type: 'A', TTL: 60, SetIdentifier: 'use1', GeoProximityLocation: { AWSRegion: 'us-east-1', Bias: 0 }, ResourceRecords: [{ Value: US }] } },
      { Action: 'UPSERT', ResourceRecordSet: { Name: `api.${zone}`, Type: 'A', TTL: 60, SetIdentifier: 'euw1', GeoProximityLocation: { AWSRegion: 'eu-west-1', Bias: euBias }, ResourceRecords: [{ Value: EU }] } },
    ] } }));
    const both = async (label: string, expected: string) => {
      const answer = await dig(t, `api.${zone}`, { subnet: CLIENT });
      const tested = await r53.send(new TestDNSAnswerCommand({ HostedZoneId: z.HostedZone!.Id, RecordName: `api.${zone}`, RecordType: 'A', EDNS0ClientSubnetIP: '198.18.6.0', EDNS0ClientSubnetMask: '24' }));
      s.check(label, answer.values.join() === expected, answer.why.join('\n'));
      s.check('TestDNSAnswer gives the same answer', (tested.RecordData ?? []).join() === expected, JSON.stringify(tested.RecordData));
      return answer;
    };
    s.section('no bias: the nearest Region wins');
    await set(0);
    await both("a client in St. John's gets us-east-1", US);
    s.section('bias +50 on eu-west-1');
    await set(50);
    const moved = await both("the same client now gets eu-west-1", EU);
    s.fact('why', moved.why.join('\n'));
    s.section('bias back to 0');
    await set(0);
    await both('the client is back on us-east-1', US);
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
