/**
 * Resolver's side of the DNS server: which rule applies to a query from a VPC (the most
 * specific domain among the rules associated with it, in any account and Region; SYSTEM
 * rules keep a subdomain local), and which VPC an inbound endpoint answers for.
 */
import type { ResolverDecision } from '../../engines/dns/index.js';
import { inZone, storedName } from '../../engines/dns/index.js';
import type { ServiceHost } from '../types.js';
import { logQuery } from './query-logs.js';
import { stateOf } from './store.js';

function decide(host: ServiceHost, name: string, via: string | undefined): ResolverDecision {
  const explanation: string[] = [];
  if (via === undefined) return { explanation };
  const scopes = host.stores.accountsRegions('route53resolver').map(({ account, region }) => stateOf(host.stores, account, region));
  let vpcId = via;
  if (via.startsWith('rslvr-in-')) {
    const ep = scopes.map((s) => s.endpoints.get(via)).find((e) => e !== undefined);
    if (ep) {
      vpcId = ep.HostVPCId;
      explanation.push(`inbound endpoint ${via} resolves as its VPC ${vpcId}`);
    }
  }
  const qname = storedName(name);
  let best: { domain: string; ruleId: string; type: string; targets?: { Ip: string; Port: number }[] } | undefined;
  for (const s of scopes) {
    for (const a of s.ruleAssociations.values()) {
      if (a.VPCId !== vpcId) continue;
      // A rule another account shares is kept by its owner.
      const r = s.rules.get(a.ResolverRuleId) ?? scopes.map((o) => o.rules.get(a.ResolverRuleId)).find((x) => x !== undefined);
      if (!r || !inZone(qname, r.DomainName)) continue;
      if (!best || r.DomainName.length > best.domain.length) best = { domain: r.DomainName, ruleId: r.Id, type: r.RuleType, targets: r.TargetIps };
    }
  }
  if (!best) return { vpcId, explanation };
  if (best.type !== 'FORWARD' || !best.targets?.length) {
    explanation.push(`Resolver rule ${best.ruleId} (${best.type} ${best.domain}) keeps ${qname} with Route 53`);
    return { vpcId, explanation };
  }
  explanation.push(`Resolver rule ${best.ruleId} forwards ${best.domain} from ${vpcId} to ${best.targets.map((t) => `${t.Ip}:${t.Port}`).join(', ')}`);
  return { vpcId, explanation, forward: { ruleId: best.ruleId, domain: best.domain, targets: best.targets.map((t) => ({ ip: t.Ip, port: t.Port })) } };
}

export function installDns(host: ServiceHost): void {
  host.ports.resolverDns = {
    decide: (name, via) => decide(host, name, via),
    logQuery: (entry) => logQuery(host, entry),
  };
}
