/** Resolver rules (FORWARD, SYSTEM) and their associations with VPCs. */
import type { Handler, ServiceContext } from '../types.js';
import { byRequestId, checkVpcId, domainName, filtered, isoNow, page, tagMap } from './common.js';
import { endpointNotFound, exists, inUse, invalidParameter, invalidRequest, notFound, ruleNotFound } from './errors.js';
import { arnOf, resolverId, stateOf, type RuleRecord } from './store.js';
import { rulesSharedWith } from './sharing.js';

export function ruleOut(r: RuleRecord, status = 'COMPLETE', caller = r.OwnerId): Record<string, unknown> {
  const { tags: _t, policy, ...rest } = r;
  const share = caller !== r.OwnerId ? 'SHARED_WITH_ME' : policy !== undefined ? 'SHARED_BY_ME' : 'NOT_SHARED';
  return { ...rest, Status: status, StatusMessage: status === 'COMPLETE' ? '[Trace Id: drydock] Successfully created Resolver Rule.' : '[Trace Id: drydock] Deleting Resolver Rule.', ShareStatus: share };
}

function targets(input: unknown): { Ip: string; Port: number }[] | undefined {
  const t = input as { Ip: string; Port?: number }[] | undefined;
  if (!t) return undefined;
  for (const x of t) {
    if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(x.Ip ?? '')) throw invalidParameter(`[RSLVR-00500] Invalid target IP address "${x.Ip}".`, 'TargetIps');
  }
  return t.map((x) => ({ Ip: x.Ip, Port: x.Port ?? 53 }));
}

function checkEndpoint(ctx: ServiceContext, id: unknown): string {
  const e = stateOf(ctx.stores, ctx.account, ctx.region).endpoints.get(String(id));
  if (!e) throw endpointNotFound(String(id));
  if (e.Direction !== 'OUTBOUND') throw invalidRequest('[RSLVR-00700] Resolver rules can only be associated to OUTBOUND resolver endpoints.');
  return e.Id;
}

export const createRule: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account, ctx.region);
  const reqId = String(input['CreatorRequestId']);
  if (byRequestId(state.rules, reqId)) throw exists(`[RSLVR-00300] Can't create resolver rule, a resolver rule with creator request ID "${reqId}" already exists.`);
  const type = String(input['RuleType']);
  if (!['FORWARD', 'SYSTEM', 'RECURSIVE'].includes(type)) throw invalidParameter(`[RSLVR-00400] Invalid rule type "${type}".`, 'RuleType');
  const tips = targets(input['TargetIps']);
  if (type === 'FORWARD' && !tips?.length) throw invalidRequest('[RSLVR-00702] A FORWARD rule needs target IP addresses.');
  if (type !== 'FORWARD' && tips?.length) throw invalidRequest(`[RSLVR-00702] A ${type} rule cannot have target IP addresses.`);
  const endpointId = input['ResolverEndpointId'] === undefined ? undefined : checkEndpoint(ctx, input['ResolverEndpointId']);
  if (type === 'FORWARD' && !endpointId) throw invalidRequest('[RSLVR-00701] A FORWARD rule needs an outbound Resolver endpoint.');
  const now = isoNow(ctx.clock.nowMs());
  const id = resolverId('rr');
  const r: RuleRecord = {
    Id: id, CreatorRequestId: reqId, Arn: arnOf(ctx.region, ctx.account, 'resolver-rule', id), DomainName: domainName(input['DomainName']), RuleType: type,
    ...(input['Name'] !== undefined ? { Name: String(input['Name']) } : {}), ...(tips ? { TargetIps: tips } : {}), ...(endpointId ? { ResolverEndpointId: endpointId } : {}),
    OwnerId: ctx.account, CreationTime: now, ModificationTime: now, tags: tagMap(input['Tags']),
  };
  state.rules.set(id, r);
  return { ResolverRule: ruleOut(r) };
};

function getRule(ctx: ServiceContext, id: unknown): RuleRecord {
  const r = stateOf(ctx.stores, ctx.account, ctx.region).rules.get(String(id));
  if (!r) throw ruleNotFound(String(id));
  return r;
}

/** The caller's own rule, or one another account shares with it. */
function visibleRule(ctx: ServiceContext, id: unknown): RuleRecord {
  const own = stateOf(ctx.stores, ctx.account, ctx.region).rules.get(String(id));
  const r = own ?? rulesSharedWith(ctx).find((x) => x.Id === String(id));
  if (!r) throw ruleNotFound(String(id));
  return r;
}

export const getRuleHandler: Handler = (input, ctx) => ({ ResolverRule: ruleOut(visibleRule(ctx, input['ResolverRuleId']), 'COMPLETE', ctx.account) });

export const updateRule: Handler = (input, ctx) => {
  const r = getRule(ctx, input['ResolverRuleId']);
  const cfg = (input['Config'] as Record<string, unknown> | undefined) ?? {};
  if (cfg['Name'] !== undefined) r.Name = String(cfg['Name']);
  if (cfg['TargetIps'] !== undefined) r.TargetIps = targets(cfg['TargetIps']);
  if (cfg['ResolverEndpointId'] !== undefined) r.ResolverEndpointId = checkEndpoint(ctx, cfg['ResolverEndpointId']);
  r.ModificationTime = isoNow(ctx.clock.nowMs());
  stateOf(ctx.stores, ctx.account, ctx.region).rules.set(r.Id, r);
  return { ResolverRule: ruleOut(r) };
};

export const deleteRule: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account, ctx.region);
  const r = getRule(ctx, input['ResolverRuleId']);
  const used = [...state.ruleAssociations.values()].filter((a) => a.ResolverRuleId === r.Id);
  if (used.length) {
    throw inUse(`[RSLVR-00704] Cannot delete resolver rule "${r.Id}": it is associated with ${used.map((a) => a.VPCId).join(', ')}.`);
  }
  state.rules.delete(r.Id);
  return { ResolverRule: ruleOut(r, 'DELETING') };
};

export const listRules: Handler = (input, ctx) => {
  const visible = [...stateOf(ctx.stores, ctx.account, ctx.region).rules.values(), ...rulesSharedWith(ctx)];
  const all = filtered(visible.map((r) => ruleOut(r, 'COMPLETE', ctx.account)), input['Filters']);
  const p = page(all, input);
  return { ResolverRules: p.items, MaxResults: p.max, ...(p.next ? { NextToken: p.next } : {}) };
};

const assocOut = (a: { Id: string; ResolverRuleId: string; Name?: string; VPCId: string }, status = 'COMPLETE') => ({
  ...a, Status: status, StatusMessage: status === 'COMPLETE' ? '[Trace Id: drydock] Successfully associated Resolver Rule.' : '[Trace Id: drydock] Deleting Association',
});

export const associateRule: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account, ctx.region);
  const rule = visibleRule(ctx, input['ResolverRuleId']);
  const vpc = checkVpcId(input['VPCId']);
  for (const a of state.ruleAssociations.values()) {
    if (a.VPCId !== vpc) continue;
    const other = state.rules.get(a.ResolverRuleId);
    if (a.ResolverRuleId === rule.Id || other?.DomainName === rule.DomainName) {
      throw exists(`[RSLVR-00801] The resolver rule with ID "${a.ResolverRuleId}" for the domain "${rule.DomainName}" is already associated with VPC "${vpc}".`);
    }
  }
  const a = { Id: resolverId('rrassoc'), ResolverRuleId: rule.Id, ...(input['Name'] !== undefined ? { Name: String(input['Name']) } : {}), VPCId: vpc };
  state.ruleAssociations.set(a.Id, a);
  return { ResolverRuleAssociation: assocOut(a) };
};

export const disassociateRule: Handler = (input, ctx) => {
  const state = stateOf(ctx.stores, ctx.account, ctx.region);
  const rule = visibleRule(ctx, input['ResolverRuleId']);
  const vpc = String(input['VPCId']);
  const a = [...state.ruleAssociations.values()].find((x) => x.ResolverRuleId === rule.Id && x.VPCId === vpc);
  if (!a) throw notFound(`[RSLVR-00802] The resolver rule with ID "${rule.Id}" is not associated with VPC "${vpc}".`);
  state.ruleAssociations.delete(a.Id);
  return { ResolverRuleAssociation: assocOut(a, 'DELETING') };
};

export const getRuleAssociation: Handler = (input, ctx) => {
  const a = stateOf(ctx.stores, ctx.account, ctx.region).ruleAssociations.get(String(input['ResolverRuleAssociationId']));
  if (!a) throw notFound(`[RSLVR-00802] Resolver rule association with ID "${String(input['ResolverRuleAssociationId'])}" does not exist.`);
  return { ResolverRuleAssociation: assocOut(a) };
};

export const listRuleAssociations: Handler = (input, ctx) => {
  const all = filtered([...stateOf(ctx.stores, ctx.account, ctx.region).ruleAssociations.values()].map((a) => assocOut(a)), input['Filters']);
  const p = page(all, input);
  return { ResolverRuleAssociations: p.items, MaxResults: p.max, ...(p.next ? { NextToken: p.next } : {}) };
};
