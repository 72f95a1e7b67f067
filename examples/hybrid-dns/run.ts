/**
 * Handbook ch. 1 part 4, hybrid DNS with Route 53 Resolver: an on-premises DNS server (a
 * loopback server this scenario starts) is authoritative for `corp.example.internal`. An
 * outbound endpoint and a FORWARD rule associated with the VPC send the VPC's queries for that
 * domain to it, and the answer comes back through Drydock's DNS server; other VPCs are not
 * forwarded. The other direction: an inbound endpoint lets on-premises clients resolve the
 * VPC's private hosted zone.
 *
 * Drydock's DNS conventions: a query names its VPC (or the inbound endpoint it was sent to) in
 * EDNS option 65001 — `drydock dig NAME --vpc vpc-…` sends it.
 *
 *   node --import tsx examples/hybrid-dns/run.ts
 */
import { randomUUID } from 'node:crypto';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { AssociateResolverRuleCommand, CreateResolverEndpointCommand, CreateResolverRuleCommand, Route53ResolverClient } from '@aws-sdk/client-route53resolver';
import { runIfMain, Scenario, type ScenarioResult } from '../_lib/harness.js';
import { dig, route53, withDnsTarget, type DnsTarget } from '../dns-failover/dns-target.js';
import { onPremDns } from './on-prem-dns.js';

const DOMAIN = 'corp.example.internal';
const ON_PREM_ANSWER = '172.16.10.25';

export async function run(target?: DnsTarget): Promise<ScenarioResult> {
  return withDnsTarget(target, async (t) => {
    const s = new Scenario('hybrid-dns', t);
    const config = { endpoint: t.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
    const ec2 = new EC2Client(config);
    const resolver = new Route53ResolverClient(config);
    const onPrem = await onPremDns(DOMAIN, ON_PREM_ANSWER);
    try {
      s.section('a VPC with two subnets, an outbound endpoint and a forwarding rule');
      const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc!.VpcId!;
      const subnets: string[] = [];
      for (const [i, az] of ['us-east-1a', 'us-east-1b'].entries()) {
        subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.50.${i}.0/24`, AvailabilityZone: az }))).Subnet!.SubnetId!);
      }
      const endpoint = async (Direction: 'INBOUND' | 'OUTBOUND') => (await resolver.send(new CreateResolverEndpointCommand({
        CreatorRequestId: randomUUID(), Name: `hybrid-${Direction.toLowerCase()}`, Direction, SecurityGroupIds: ['sg-0123456789abcdef0'],
        IpAddresses: subnets.map((SubnetId) => ({ SubnetId })),
      }))).ResolverEndpoint!;
      const outbound = await endpoint('OUTBOUND');
      s.check('the outbound endpoint sits in the VPC of its subnets', outbound.HostVPCId === vpc, `${outbound.Id} in ${outbound.HostVPCId}`);
      const rule = (await resolver.send(new CreateResolverRuleCommand({
        CreatorRequestId: randomUUID(), Name: 'to-corp', RuleType: 'FORWARD', DomainName: DOMAIN,
        TargetIps: [{ Ip: '127.0.0.1', Port: onPrem.port }], ResolverEndpointId: outbound.Id,
      }))).ResolverRule!;
      await resolver.send(new AssociateResolverRuleCommand({ ResolverRuleId: rule.Id, VPCId: vpc, Name: 'corp-in-vpc' }));

      s.section('queries from the VPC');
      const fwd = await dig(t, `fileserver.${DOMAIN}`, { vpc });
      s.check(`fileserver.${DOMAIN} from the VPC is answered by the on-premises server`, fwd.values.join() === ON_PREM_ANSWER, fwd.why.join('\n'));
      s.check('the on-premises server saw the query', onPrem.seen.includes(`fileserver.${DOMAIN}`), onPrem.seen.join(', '));
      s.fact('forwarded', fwd.values.join());
      s.fact('forwardedWhy', fwd.why.join('\n'));
      const other = await dig(t, `fileserver.${DOMAIN}`, { vpc: 'vpc-0abcdef0123456789' });
      s.check('a VPC without the rule is not forwarded', other.rcode !== 'NOERROR' || other.values.length === 0, `${other.rcode} ${other.why.join(' | ')}`);

      s.section('on-premises clients resolve the private zone through an inbound endpoint');
      const r53 = route53(t);
      const zoneName = `aws-${randomUUID().slice(0, 6)}.example.internal`;
      const zone = await r53.send(new CreateHostedZoneCommand({ Name: zoneName, CallerReference: randomUUID(), VPC: { VPCId: vpc, VPCRegion: 'us-east-1' } }));
      await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone!.Id, ChangeBatch: { Changes: [
        { Action: 'CREATE', ResourceRecordSet: { Name: `api.${zoneName}`, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.50.1.20' }] } },
      ] } }));
      const inbound = await endpoint('INBOUND');
      const outside = await dig(t, `api.${zoneName}`);
      s.check('the private zone is invisible from outside the VPC', outside.values.length === 0, outside.rcode);
      const viaInbound = await dig(t, `api.${zoneName}`, { vpc: inbound.Id });
      s.check(`through inbound endpoint ${inbound.Id} it answers 10.50.1.20`, viaInbound.values.join() === '10.50.1.20', viaInbound.why.join('\n'));
      s.fact('inbound', viaInbound.values.join());
    } finally {
      onPrem.close();
    }
    return s.result();
  });
}

runIfMain(import.meta.url, () => run());
