/**
 * Handbook ch. 1 part 4, multivalue answer routing: eight A records, each with an HTTP health
 * check probing its own local server. Every answer carries all eight; two servers stop; once
 * their checks have failed FailureThreshold times on Drydock's clock, answers carry only the
 * six healthy records, and never one of the stopped ones.
 *
 *   node --import tsx examples/dns-multivalue/run.ts
 */
import { randomUUID } from 'node:crypto';
import { ChangeResourceRecordSetsCommand, CreateHealthCheckCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { runIfMain, Scenario, type ScenarioResult } from '../_lib/harness.js';
import { checkRounds, dig, freezeClock, httpEndpoint, route53, unfreezeClock, withDnsTarget, type DnsTarget } from '../dns-failover/dns-target.js';

const INTERVAL = 10;
const THRESHOLD = 2;

export async function run(target?: DnsTarget): Promise<ScenarioResult> {
  return withDnsTarget(target, async (t) => {
    const s = new Scenario('dns-multivalue', t);
    const r53 = route53(t);
    const endpoints = await Promise.all(Array.from({ length: 8 }, () => httpEndpoint()));
    await freezeClock(t);
    try {
      s.section('eight multivalue records, each with a health check');
      const zone = `multi-${randomUUID().slice(0, 8)}.example.com`;
      const z = await r53.send(new CreateHostedZoneCommand({ Name: zone, CallerReference: randomUUID() }));
      const checks: string[] = [];
      for (const ep of endpoints) {
        checks.push((await r53.send(new CreateHealthCheckCommand({
          CallerReference: randomUUID(),
          HealthCheckConfig: { Type: 'HTTP', IPAddress: '127.0.0.1', Port: ep.port, ResourcePath: '/', RequestInterval: INTERVAL, FailureThreshold: THRESHOLD },
        }))).HealthCheck!.Id!);
      }
      const ip = (i: number) => `192.0.2.${i + 1}`;
      await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: z.HostedZone!.Id, ChangeBatch: { Changes: checks.map((HealthCheckId, i) => ({
        Action: 'CREATE' as const,
        ResourceRecordSet: { Name: `web.${zone}`, Type: 'A' as const, TTL: 60, SetIdentifier: `web-${i + 1}`, MultiValueAnswer: true, HealthCheckId, ResourceRecords: [{ Value: ip(i) }] },
      })) } }));
      await checkRounds(t, r53, checks, 1, INTERVAL);
      const all = await dig(t, `web.${zone}`);
      s.check('all healthy: one answer carries all eight records', all.values.length === 8, all.values.join(', '));

      s.section('two endpoints stop');
      await endpoints[2]!.stop();
      await endpoints[5]!.stop();
      const stopped = [ip(2), ip(5)];
      await checkRounds(t, r53, checks, THRESHOLD - 1, INTERVAL);
      const early = await dig(t, `web.${zone}`);
      s.check(`below the threshold (${THRESHOLD - 1} failure) all eight are still answered`, early.values.length === 8, early.values.join(', '));
      await checkRounds(t, r53, checks, 1, INTERVAL);
      let worst = 0;
      let sample = early;
      for (let i = 0; i < 20; i++) {
        sample = await dig(t, `web.${zone}`);
        worst = Math.max(worst, sample.values.filter((v) => stopped.includes(v)).length);
        if (sample.values.length !== 6) break;
      }
      s.check(`after ${THRESHOLD} failures answers carry the six healthy records`, sample.values.length === 6, sample.values.join(', '));
      s.check('no answer (of 20) contains a stopped endpoint', worst === 0, sample.why.join('\n'));
      s.fact('answer', sample.values.join(','));
    } finally {
      await unfreezeClock(t);
      for (const ep of endpoints) await ep.stop();
    }
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
