/**
 * Sharing Resolver rules across accounts: the owner attaches a rule policy
 * (PutResolverRulePolicy, what AWS RAM does under the hood) naming the accounts that may use the
 * rule; those accounts see it (ShareStatus SHARED_WITH_ME) and may associate it with their VPCs.
 * The IAM engine evaluates the policy for `route53resolver:AssociateResolverRule`.
 */
import { AwsError } from '../../core/errors.js';
import { rootPrincipal } from '../../core/identity.js';
import type { Stores } from '../../core/store.js';
import { evaluate, parsePolicy } from '../../engines/iam-policy/index.js';
import type { Handler, ServiceContext } from '../types.js';
import { stateOf, type RuleRecord } from './store.js';

function ruleByArn(stores: Stores, arn: string): RuleRecord | undefined {
  const m = /^arn:[^:]+:route53resolver:([^:]+):(\d{12}):resolver-rule\/(.+)$/.exec(arn);
  return m ? stateOf(stores, m[2]!, m[1]!).rules.get(m[3]!) : undefined;
}

function ownRule(ctx: ServiceContext, arn: unknown): RuleRecord {
  const r = ruleByArn(ctx.stores, String(arn));
  if (!r || r.OwnerId !== ctx.account) {
    throw new AwsError('ResourceNotFoundException', `[RSLVR-00703] Resolver rule with ARN "${String(arn)}" does not exist.`, 400);
  }
  return r;
}

export const putRulePolicy: Handler = (input, ctx) => {
  const r = ownRule(ctx, input['Arn']);
  const doc = String(input['ResolverRulePolicy'] ?? '');
  try {
    parsePolicy(doc, { kind: 'resource', id: `${r.Arn}/policy` });
  } catch (e) {
    throw new AwsError('InvalidPolicyDocument', `[RSLVR-00604] The resolver rule policy is not valid: ${(e as Error).message}`, 400);
  }
  r.policy = doc;
  stateOf(ctx.stores, ctx.account, ctx.region).rules.set(r.Id, r);
  return { ReturnValue: true };
};

export const getRulePolicy: Handler = (input, ctx) => {
  const r = ownRule(ctx, input['Arn']);
  return r.policy === undefined ? {} : { ResolverRulePolicy: r.policy };
};

/** Whether `account` may use a rule another account owns. */
export function sharedWith(r: RuleRecord, account: string, now: Date): boolean {
  if (r.policy === undefined || r.OwnerId === account) return false;
  const decision = evaluate({
    principal: { ...rootPrincipal(account), type: 'root' },
    action: 'route53resolver:AssociateResolverRule',
    resources: [r.Arn],
    context: {},
    identityPolicies: [],
    resourcePolicy: { policy: parsePolicy(r.policy, { kind: 'resource', id: `${r.Arn}/policy` }), resourceAccount: r.OwnerId },
    resourceAccount: r.OwnerId,
    now,
  });
  return decision.decision === 'Allow';
}

/** Rules of other accounts in this region shared with the caller. */
export function rulesSharedWith(ctx: ServiceContext): RuleRecord[] {
  const out: RuleRecord[] = [];
  for (const { account, region } of ctx.stores.accountsRegions('route53resolver')) {
    if (account === ctx.account || region !== ctx.region) continue;
    for (const r of stateOf(ctx.stores, account, region).rules.values()) if (sharedWith(r, ctx.account, ctx.clock.now())) out.push(r);
  }
  return out;
}
