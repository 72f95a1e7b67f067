/**
 * Handbook ch. 1 part 4 and ch. 3 (every DR strategy ends with DNS failover): a primary
 * endpoint in us-east-1 and a secondary in eu-west-1, each with an HTTP health check probing
 * a real local server on Drydock's clock. A region-outage fault on us-east-1 fails the
 * primary's check; after FailureThreshold intervals the answer flips to the secondary;
 * clearing the fault flips it back.
 *
 *   node --import tsx examples/dns-failover/run.ts
 */
import { randomUUID } from 'node:crypto';
import { ChangeResourceRecordSetsCommand, ChangeTagsForResourceCommand, CreateHealthCheckCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { runIfMain, Scenario, type ScenarioResult } from '../_lib/harness.js';
import { addFault, checkRounds, dig, freezeClock, httpEndpoint, removeFault, route53, unfreezeClock, withDnsTarget, type DnsTarget } from './dns-target.js';

const INTERVAL = 10;
const THRESHOLD = 3;

export async function run(target?: DnsTarget): Promise<ScenarioResult> {
  return withDnsTarget(target, async (t) => {
    const s = new Scenario('dns-failover', t);
    const r53 = route53(t);
    const primaryEp = await httpEndpoint();
    const secondaryEp = await httpEndpoint();
    await freezeClock(t);
    try {
      s.section('a zone, two health checks, a PRIMARY/SECONDARY pair');
      const zone = `failover-${randomUUID().slice(0, 8)}.example.com`;
      const z = await r53.send(new CreateHostedZoneCommand({ Name: zone, CallerReference: randomUUID() }));
      const check = async (port: number, region: string) => {
        const id = (await r53.send(new CreateHealthCheckCommand({
          CallerReference: randomUUID(),
          HealthCheckConfig: { Type: 'HTTP', IPAddress: '127.0.0.1', Port: port, ResourcePath: '/health', RequestInterval: INTERVAL, FailureThreshold: THRESHOLD },
        }))).HealthCheck!.Id!;
        // Which Region the endpoint is in: Drydock reads the `drydock:region` tag.
        await r53.send(new ChangeTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: id, AddTags: [{ Key: 'drydock:region', Value: region }] }));
        return id;
      };
      const primary = await check(primaryEp.port, 'us-east-1');
      const secondary = await check(secondaryEp.port, 'eu-west-1');
      const rr = (id: string, ip: string, Failover: 'PRIMARY' | 'SECONDARY', HealthCheckId: string) => ({
        Action: 'CREATE' as const, ResourceRecordSet: { Name: `app.${zone}`, Type: 'A' as const, TTL: 60, SetIdentifier: id, Failover, HealthCheckId, ResourceRecords: [{ Value: ip }] },
      });
      await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: z.HostedZone!.Id, ChangeBatch: { Changes: [
        rr('use1', '192.0.2.10', 'PRIMARY', primary), rr('euw1', '198.51.100.10', 'SECONDARY', secondary),
      ] } }));
      await checkRounds(t, r53, [primary, secondary], 1, INTERVAL);
      const before = await dig(t, `app.${zone}`);
      s.check('both healthy: the answer is the primary (us-east-1)', before.values.join() === '192.0.2.10', before.why.join('\n'));
      s.fact('before', before.values.join());

      s.section('region outage in us-east-1 (EC2, where the primary runs)');
      // Scoped to EC2: a whole-region us-east-1 outage would also stop Route 53's control plane
      // (as on AWS), while DNS resolution itself keeps answering.
      const fault = await addFault(t, { type: 'region-outage', region: 'us-east-1', services: ['ec2'] });
      await checkRounds(t, r53, [primary, secondary], THRESHOLD - 1, INTERVAL);
      const during = await dig(t, `app.${zone}`);
      s.check(`after ${THRESHOLD - 1} failed checks (below the threshold) the answer is still the primary`, during.values.join() === '192.0.2.10', during.why.join('\n'));
      await checkRounds(t, r53, [primary, secondary], 1, INTERVAL);
      const flipped = await dig(t, `app.${zone}`);
      s.check(`after ${THRESHOLD} failed checks the answer is the secondary (eu-west-1)`, flipped.values.join() === '198.51.100.10', flipped.why.join('\n'));
      s.fact('flipped', flipped.values.join());
      s.fact('flippedWhy', flipped.why.join('\n'));

      s.section('the outage ends');
      await removeFault(t, fault);
      await checkRounds(t, r53, [primary, secondary], THRESHOLD, INTERVAL);
      const back = await dig(t, `app.${zone}`);
      s.check(`after ${THRESHOLD} healthy checks the answer is the primary again`, back.values.join() === '192.0.2.10', back.why.join('\n'));
      s.fact('back', back.values.join());
    } finally {
      await unfreezeClock(t);
      await primaryEp.stop();
      await secondaryEp.stop();
    }
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
