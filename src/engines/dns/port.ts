/**
 * The ports between the DNS server (src/dns) and the services that own DNS data: Route 53
 * fills `route53Dns`, Route 53 Resolver fills `resolverDns`, and the server only reads them.
 */
import type { DnsAnswer } from './types.js';

/** A DNS question as the server received it. */
export interface DnsQuestion {
  name: string;
  type: string;
  /** Where the client is: the EDNS client subnet address, else the source address. */
  clientIp?: string;
  clientIpSource?: 'edns-client-subnet' | 'source-address';
  /** The VPC the query comes from (Drydock's EDNS option), for private zones and Resolver rules. */
  vpcId?: string;
  /** Build the explanation (only when the client asked for it). */
  explain?: boolean;
}

export interface Route53Dns {
  answer(q: DnsQuestion): DnsAnswer;
}

/** What Route 53 Resolver decides for a query from a VPC. */
export interface ResolverDecision {
  /** Forward to these targets (FORWARD rule), or resolve locally (SYSTEM rule / no rule). */
  forward?: { ruleId: string; domain: string; targets: { ip: string; port: number }[] };
  /** The VPC a query sent to an inbound endpoint resolves as. */
  vpcId?: string;
  explanation: string[];
}

export interface ResolverDns {
  /** `via` is the VPC id or inbound endpoint id the client named. */
  decide(name: string, via: string | undefined): ResolverDecision;
  /** Records a query for the query logging configs associated with the VPC. */
  logQuery?(entry: { vpcId: string; name: string; type: string; rcode: string; srcIp: string; answers: string[] }): void;
}

declare module '../../core/ports.js' {
  interface Ports {
    route53Dns?: Route53Dns;
    resolverDns?: ResolverDns;
  }
}
