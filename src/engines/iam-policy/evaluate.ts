/**
 * AWS's policy evaluation logic, as published in the IAM User Guide ("Policy evaluation
 * logic", "Cross-account policy evaluation logic"):
 *
 * 1. an explicit Deny in any applicable policy decides (RCP, SCP, resource, identity,
 *    boundary, session);
 * 2. every RCP level of the resource's account and every SCP level of the principal's
 *    account must allow (the management account and service principals are exempt);
 * 3. same account: the resource policy alone suffices when it names the user, the role
 *    session or the federated session (or `*`); naming the role (or the issuing user)
 *    still needs the permissions boundary and session policies; otherwise the identity
 *    policies must allow, capped by the boundary and session policies;
 * 4. cross-account (or where the resource policy is required, as with key policies and
 *    trust policies): the resource policy must allow and so must the principal's side;
 * 5. the account root user has full access to its own account (SCPs still apply).
 */
import { RequestContext } from './context.js';
import { allowMessage, explicitDenyMessage, implicitDenyMessage } from './explain.js';
import { splitArn } from './pattern.js';
import type { Policy } from './policy.js';
import type { PrincipalMatch } from './principal.js';
import { matchStatement, type CompiledStatement, type MatchInput } from './statement.js';
import type { AuthzRequest, Decision, PolicyType, StatementRef } from './types.js';

const NO_IDENTITY_POLICIES = new Set(['root', 'service', 'federated', 'anonymous']);

function ref(policy: Policy, type: PolicyType, st: CompiledStatement, level?: string): StatementRef {
  const out: { -readonly [K in keyof StatementRef]: StatementRef[K] } = {
    policyType: type,
    effect: st.effect,
    statementIndex: st.index,
  };
  const id = policy.id ?? policy.name;
  if (id !== undefined) out.policyId = id;
  if (level !== undefined) out.level = level;
  if (st.sid !== undefined && st.sid !== '') out.statementSid = st.sid;
  return out;
}

/** Per-resource evaluation state: the request, prepared once. */
class Evaluation {
  readonly #request: AuthzRequest;
  readonly #service: string;
  readonly #input: MatchInput;

  constructor(request: AuthzRequest, rc: RequestContext, action: string, resource: string) {
    this.#request = request;
    const colon = action.indexOf(':');
    this.#service = colon < 0 ? action : action.slice(0, colon);
    this.#input = { action, resource, resourceSegments: splitArn(resource), principal: request.principal, rc };
  }

  denies(policies: readonly Policy[], type: PolicyType, out: StatementRef[], level?: string): void {
    for (const policy of policies) {
      for (const st of policy.candidates(this.#service).deny) {
        if (matchStatement(st, this.#input) !== undefined) out.push(ref(policy, type, st, level));
      }
    }
  }

  firstAllow(policies: readonly Policy[], type: PolicyType, level?: string): StatementRef | undefined {
    for (const policy of policies) {
      for (const st of policy.candidates(this.#service).allow) {
        if (matchStatement(st, this.#input) !== undefined) return ref(policy, type, st, level);
      }
    }
    return undefined;
  }

  /** The strongest way the resource policy allows the caller: direct, issuer, account. */
  resourceAllow(policy: Policy): { how: PrincipalMatch; ref: StatementRef } | undefined {
    let best: { how: PrincipalMatch; ref: StatementRef } | undefined;
    for (const st of policy.candidates(this.#service).allow) {
      const how = matchStatement(st, this.#input);
      if (how === 'direct') return { how, ref: ref(policy, 'resource', st) };
      if (how === 'issuer' && best?.how !== 'issuer') best = { how, ref: ref(policy, 'resource', st) };
      if (how === 'account' && best === undefined) best = { how, ref: ref(policy, 'resource', st) };
    }
    return best;
  }

  run(): Decision {
    const req = this.#request;
    const p = req.principal;
    const resource = this.#input.resource;
    const orgExempt = p.type === 'service' || p.serviceLinkedRole === true;
    const scps = orgExempt || req.isManagementAccount === true ? [] : req.scpLevels ?? [];
    const rcps = orgExempt || req.isResourceManagementAccount === true ? [] : req.rcpLevels ?? [];
    const hasIdentity = !NO_IDENTITY_POLICIES.has(p.type);
    const identity = hasIdentity ? req.identityPolicies : [];
    const boundary = hasIdentity && req.boundary !== undefined ? [req.boundary] : [];
    const sessions = hasIdentity ? req.sessionPolicies ?? [] : [];
    const rp = req.resourcePolicy;

    const denied: StatementRef[] = [];
    for (const l of rcps) this.denies(l.policies, 'rcp', denied, l.level);
    for (const l of scps) this.denies(l.policies, 'scp', denied, l.level);
    if (rp !== undefined) this.denies([rp.policy], 'resource', denied);
    this.denies(identity, 'identity', denied);
    this.denies(boundary, 'boundary', denied);
    this.denies(sessions, 'session', denied);
    const first = denied[0];
    if (first !== undefined) {
      return { decision: 'ExplicitDeny', reason: denied, message: explicitDenyMessage(first.policyType), resource };
    }

    const allowed: StatementRef[] = [];
    for (const [type, levels] of [['rcp', rcps], ['scp', scps]] as const) {
      for (const l of levels) {
        const r = this.firstAllow(l.policies, type, l.level);
        if (r === undefined) return this.#implicit(type, l.level);
        allowed.push(r);
      }
    }

    // The principal's side: identity policies capped by boundary and session policies.
    const cap = (): PolicyType | undefined => {
      for (const [type, list] of [['boundary', boundary], ['session', sessions]] as const) {
        if (list.length === 0) continue;
        const r = this.firstAllow(list, type);
        if (r === undefined) return type;
        allowed.push(r);
      }
      return undefined;
    };
    const principalSide = (): PolicyType | undefined => {
      if (p.type === 'root') {
        allowed.push({ policyType: 'none', statementIndex: -1 });
        return undefined;
      }
      if (!hasIdentity) return 'resource';
      const r = this.firstAllow(identity, 'identity');
      if (r === undefined) return 'identity';
      allowed.push(r);
      return cap();
    };
    const allow = (): Decision => ({ decision: 'Allow', reason: allowed, message: allowMessage(allowed), resource });

    const granted = rp === undefined ? undefined : this.resourceAllow(rp.policy);
    const resourceAccount = rp?.resourceAccount ?? req.resourceAccount;
    const crossAccount = resourceAccount !== undefined && resourceAccount !== p.account;

    if (crossAccount) {
      const missing = principalSide();
      if (missing !== undefined && missing !== 'resource') return this.#implicit(missing);
      if (granted === undefined) return this.#implicit('resource');
      allowed.push(granted.ref);
      return allow();
    }
    if (granted?.how === 'direct' || (granted !== undefined && !hasIdentity)) {
      allowed.push(granted.ref);
      return allow();
    }
    let capped: PolicyType | undefined;
    if (granted?.how === 'issuer') {
      const mark = allowed.length;
      capped = cap();
      if (capped === undefined) {
        allowed.push(granted.ref);
        return allow();
      }
      allowed.length = mark;
    }
    if (rp?.required === true && granted === undefined) return this.#implicit('resource');
    const missing = principalSide();
    // A grant to the role was cut by its boundary or session policy: say so.
    if (missing !== undefined) return this.#implicit(capped ?? missing);
    if (granted !== undefined) allowed.push(granted.ref);
    return allow();
  }

  #implicit(type: PolicyType, level?: string): Decision {
    return {
      decision: 'ImplicitDeny',
      reason: [],
      missing: level === undefined ? { policyType: type } : { policyType: type, level },
      message: implicitDenyMessage(type, this.#request.action),
      resource: this.#input.resource,
    };
  }
}

/**
 * Decides a request. With several resources each is decided; the answer is the first
 * explicit deny, else the first implicit deny, else the first resource's Allow.
 */
export function evaluate(request: AuthzRequest): Decision {
  const rc = new RequestContext(request);
  const action = request.action.toLowerCase();
  const resources = request.resources.length === 0 ? ['*'] : request.resources;
  let allowed: Decision | undefined;
  let implicit: Decision | undefined;
  for (const resource of resources) {
    const d = new Evaluation(request, rc, action, resource).run();
    if (d.decision === 'ExplicitDeny') return d;
    if (d.decision === 'ImplicitDeny') implicit ??= d;
    else allowed ??= d;
  }
  return (implicit ?? allowed) as Decision;
}
