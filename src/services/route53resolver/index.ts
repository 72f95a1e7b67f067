/**
 * Amazon Route 53 Resolver: inbound and outbound endpoints in VPC subnets (read from Drydock's
 * EC2), FORWARD and SYSTEM rules with VPC associations, and query logging configs. Outbound
 * rules really forward: the DNS server sends a matching query from an associated VPC to the
 * rule's target IPs and returns their answer; inbound endpoints answer for their VPC. Rules
 * are shared with other accounts by rule policy (sharing.ts).
 *
 * Not implemented (answer NotImplemented): DNS Firewall, query-log sharing policies, endpoint IP address changes, Resolver configs and DNSSEC validation configs.
 */
import type { ServiceDefinition } from '../types.js';
import { installDns } from './dns.js';
import { arnOf } from './store.js';
import { createEndpoint, deleteEndpoint, getEndpointHandler, listEndpointIps, listEndpoints, updateEndpoint } from './endpoints.js';
import {
  associateQueryLogConfig, createQueryLogConfig, deleteQueryLogConfig, disassociateQueryLogConfig, getQueryLogAssociation, getQueryLogConfig,
  listQueryLogAssociations, listQueryLogConfigs,
} from './query-logs.js';
import {
  associateRule, createRule, deleteRule, disassociateRule, getRuleAssociation, getRuleHandler, listRuleAssociations, listRules, updateRule,
} from './rules.js';
import { getRulePolicy, putRulePolicy } from './sharing.js';

const route53resolver: ServiceDefinition = {
  name: 'route53resolver',
  handlers: {
    CreateResolverEndpoint: createEndpoint,
    GetResolverEndpoint: getEndpointHandler,
    UpdateResolverEndpoint: updateEndpoint,
    DeleteResolverEndpoint: deleteEndpoint,
    ListResolverEndpoints: listEndpoints,
    ListResolverEndpointIpAddresses: listEndpointIps,
    CreateResolverRule: createRule,
    GetResolverRule: getRuleHandler,
    UpdateResolverRule: updateRule,
    DeleteResolverRule: deleteRule,
    ListResolverRules: listRules,
    AssociateResolverRule: associateRule,
    PutResolverRulePolicy: putRulePolicy,
    GetResolverRulePolicy: getRulePolicy,
    DisassociateResolverRule: disassociateRule,
    GetResolverRuleAssociation: getRuleAssociation,
    ListResolverRuleAssociations: listRuleAssociations,
    CreateResolverQueryLogConfig: createQueryLogConfig,
    GetResolverQueryLogConfig: getQueryLogConfig,
    DeleteResolverQueryLogConfig: deleteQueryLogConfig,
    ListResolverQueryLogConfigs: listQueryLogConfigs,
    AssociateResolverQueryLogConfig: associateQueryLogConfig,
    DisassociateResolverQueryLogConfig: disassociateQueryLogConfig,
    GetResolverQueryLogConfigAssociation: getQueryLogAssociation,
    ListResolverQueryLogConfigAssociations: listQueryLogAssociations,
  },
  install(host) {
    // Policies may name one rule, endpoint or query logging config.
    host.ports.resourceResolvers.set('route53resolver', (_operation, input, account, region) => {
      const ids: [string, string][] = [['ResolverRuleId', 'resolver-rule'], ['ResolverEndpointId', 'resolver-endpoint'], ['ResolverQueryLogConfigId', 'resolver-query-log-config']];
      for (const [member, type] of ids) if (typeof input[member] === 'string') return [{ arn: arnOf(region, account, type, input[member] as string) }];
      return [];
    });
    installDns(host);
  },
};

export default route53resolver;
