/** Shared plumbing for the Resolver suites: clients, a VPC with two subnets in Drydock's EC2, and an on-premises DNS server on loopback. */
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { Route53ResolverClient } from '@aws-sdk/client-route53resolver';
import type { RunningDrydock } from '../../../src/embedded/index.js';
import { accountConfig } from '../../helpers.js';

export const resolverClient = (dd: RunningDrydock): Route53ResolverClient => new Route53ResolverClient(accountConfig(dd));

/** A VPC with two subnets (Resolver endpoints need two IP addresses). */
export async function vpcWithSubnets(dd: RunningDrydock): Promise<{ vpcId: string; subnets: string[] }> {
  const ec2 = new EC2Client(accountConfig(dd));
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
  const subnets: string[] = [];
  for (const [i, az] of ['us-east-1a', 'us-east-1b'].entries()) {
    subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.20.${i}.0/24`, AvailabilityZone: az }))).Subnet!.SubnetId!);
  }
  return { vpcId, subnets };
}

/** The on-premises DNS server of the hybrid-dns example. */
export { onPremDns } from '../../../examples/hybrid-dns/on-prem-dns.js';

/** The query-log records Resolver wrote to a CloudWatch Logs group, once `count` have arrived. */
export async function logged(dd: RunningDrydock, group: string, count: number): Promise<{ query_name: string; rcode: string; vpc_id: string }[]> {
  const { CloudWatchLogsClient, FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = new CloudWatchLogsClient(accountConfig(dd));
  let events: { message?: string }[] = [];
  for (let i = 0; i < 100 && events.length < count; i++) {
    events = (await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? [];
    if (events.length < count) await new Promise((r) => setTimeout(r, 10));
  }
  return events.map((e) => JSON.parse(e.message!) as { query_name: string; rcode: string; vpc_id: string });
}
