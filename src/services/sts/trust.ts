/**
 * The trust side of assuming a role: the role's trust policy, evaluated by the IAM engine
 * as a required resource policy. The caller's own side (its identity policies, SCPs,
 * boundary, session policies) is the gateway authorizer's job on every request, so here
 * the identity side is taken as allowing and only the trust policy decides.
 */
import type { Principal } from '../../core/identity.js';
import type { IamRoleInfo } from '../../core/ports.js';
import {
  evaluate,
  MalformedPolicyError,
  parsePolicy,
  type ContextValue,
  type Decision,
  type Policy,
  type RequestPrincipal,
} from '../../engines/iam-policy/index.js';
import type { ServiceContext } from '../types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// Stands in for the caller's identity side, which the gateway decides.
const IDENTITY_SIDE_ALLOWS = parsePolicy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] },
  { kind: 'identity', id: 'drydock:identity-side-checked-by-gateway' },
);

const ENGINE_TYPE: Record<Principal['type'], RequestPrincipal['type']> = {
  root: 'root',
  user: 'user',
  'assumed-role': 'assumed-role',
  'federated-user': 'federated-user',
  anonymous: 'anonymous',
  service: 'service',
};

/** The caller as the engine sees it, with its tags and organization. */
export function requestPrincipalOf(p: Principal, ctx: ServiceContext): RequestPrincipal {
  const rp: Mutable<RequestPrincipal> = { arn: p.arn, account: p.account, type: ENGINE_TYPE[p.type], userId: p.userId };
  if (p.issuerArn !== undefined) rp.issuerArn = p.issuerArn;
  if (p.sessionTags !== undefined) rp.sessionTags = p.sessionTags;
  if (p.type === 'user' || p.type === 'assumed-role') {
    const tags = ctx.ports.iam?.principalTags(p);
    if (tags !== undefined) rp.tags = tags;
  }
  const org = ctx.ports.org?.accountInfo(p.account);
  if (org !== undefined) {
    rp.orgId = org.orgId;
    rp.orgPaths = [org.orgPath];
  }
  return rp;
}

/** The global keys STS requests carry besides the principal-derived ones. */
export function baseContext(ctx: ServiceContext, caller: Principal, temporary: boolean): Record<string, ContextValue> {
  const c: Record<string, ContextValue> = {
    'aws:RequestedRegion': ctx.region,
    'aws:SourceIp': ctx.sourceIp,
    'aws:SecureTransport': ctx.endpoint.startsWith('https:'),
  };
  // AWS sets the MFA keys only for temporary credentials (or when the request itself
  // authenticates with MFA, which the caller adds).
  if (temporary) {
    c['aws:MultiFactorAuthPresent'] = caller.mfa === true;
    if (caller.mfa === true && caller.issuedAt !== undefined) {
      c['aws:MultiFactorAuthAge'] = Math.max(0, Math.floor((ctx.clock.nowMs() - Date.parse(caller.issuedAt)) / 1000));
    }
    if (caller.issuedAt !== undefined) c['aws:TokenIssueTime'] = caller.issuedAt;
  }
  if (caller.sourceIdentity !== undefined) c['aws:SourceIdentity'] = caller.sourceIdentity;
  return c;
}

/** Session tags as request-tag context keys (aws:RequestTag/*, aws:TagKeys). */
export function tagContext(c: Record<string, ContextValue>, requested: Record<string, string>, transitive: string[]): void {
  const keys = Object.keys(requested);
  if (keys.length === 0) return;
  for (const k of keys) c[`aws:RequestTag/${k}`] = requested[k]!;
  c['aws:TagKeys'] = keys;
  if (transitive.length > 0) c['sts:TransitiveTagKeys'] = transitive;
}

// Keyed by ARN and document text, so an updated trust policy is parsed afresh.
const TRUST_CACHE = new Map<string, Policy | null>();

function trustPolicyOf(role: IamRoleInfo): Policy | undefined {
  const key = `${role.arn}\n${role.trustPolicy}`;
  let p = TRUST_CACHE.get(key);
  if (p === undefined) {
    try {
      p = parsePolicy(role.trustPolicy, { kind: 'trust', id: `${role.arn}/trust-policy`, name: `${role.name} trust policy` });
    } catch (e) {
      // IAM refuses malformed trust policies when they are set; a stored bad one trusts no one.
      if (!(e instanceof MalformedPolicyError)) throw e;
      p = null;
    }
    if (TRUST_CACHE.size >= 512) TRUST_CACHE.clear();
    TRUST_CACHE.set(key, p);
  }
  return p ?? undefined;
}

/** Decides each action against the role's trust policy; the first denial, else the last Allow. */
export function decideTrust(
  ctx: ServiceContext,
  role: IamRoleInfo,
  principal: RequestPrincipal,
  actions: string[],
  context: Record<string, ContextValue>,
): { allowed: boolean; action: string; decision?: Decision } {
  const policy = trustPolicyOf(role);
  if (policy === undefined) return { allowed: false, action: actions[0]! };
  let last: Decision | undefined;
  for (const action of actions) {
    const decision = evaluate({
      principal,
      action,
      resources: [role.arn],
      context,
      identityPolicies: [IDENTITY_SIDE_ALLOWS],
      resourcePolicy: { policy, resourceAccount: role.account, required: true },
      now: ctx.clock.now(),
    });
    if (decision.decision !== 'Allow') return { allowed: false, action, decision };
    last = decision;
  }
  return { allowed: true, action: actions[actions.length - 1]!, decision: last };
}
