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
import type { Policy } from './policy.js';
import type { PrincipalMatch } from './principal.js';
import { MatchInput, matchStatement, type CompiledStatement } from './statement.js';
import type { AuthzRequest, Decision, OrgPolicyLevel, PolicyType, StatementRef } from './types.js';

const NO_IDENTITY_POLICIES = new Set(['root', 'service', 'federated', 'anonymous']);
const NONE: readonly OrgPolicyLevel[] = [];
const NO_POLICIES: readonly Policy[] = [];
const ROOT_REF: StatementRef = Object.freeze({ policyType: 'none', statementIndex: -1 });

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
  readonly #allowed: StatementRef[] = [];

  constructor(request: AuthzRequest, rc: RequestContext, action: string, resource: string) {
    this.#request = request;
    const colon = action.indexOf(':');
    this.#service = colon < 0 ? action : action.slice(0, colon);
    this.#input = new MatchInput(action, this.#service, resource, request.principal, rc);
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
    const orgExempt = p.type === 'service' || p.serviceLinkedRole === true;
    const scps = orgExempt || req.isManagementAccount === true ? NONE : req.scpLevels ?? NONE;
    const rcps = orgExempt || req.isResourceManagementAccount === true ? NONE : req.rcpLevels ?? NONE;
    const hasIdentity = !NO_IDENTITY_POLICIES.has(p.type);
    const identity = hasIdentity ? req.identityPolicies : NO_POLICIES;
    const boundary = hasIdentity && req.boundary !== undefined ? [req.boundary] : NO_POLICIES;
    const sessions = hasIdentity ? req.sessionPolicies ?? NO_POLICIES : NO_POLICIES;
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
      return { decision: 'ExplicitDeny', reason: denied, message: explicitDenyMessage(first.policyType), resource: this.#input.resource };
    }

    for (const l of rcps) {
      const r = this.firstAllow(l.policies, 'rcp', l.level);
      if (r === undefined) return this.#implicit('rcp', l.level);
      this.#allowed.push(r);
    }
    for (const l of scps) {
      const r = this.firstAllow(l.policies, 'scp', l.level);
      if (r === undefined) return this.#implicit('scp', l.level);
      this.#allowed.push(r);
    }

    const granted = rp === undefined ? undefined : this.resourceAllow(rp.policy);
    const resourceAccount = rp?.resourceAccount ?? req.resourceAccount;
    if (resourceAccount !== undefined && resourceAccount !== p.account) {
      // Cross-account: the principal's side and the resource policy must both allow.
      const missing = this.#principalSide(hasIdentity, identity, boundary, sessions);
      if (missing !== undefined && missing !== 'resource') return this.#implicit(missing);
      if (granted === undefined) return this.#implicit('resource');
      return this.#allow(granted.ref);
    }
    if (granted?.how === 'direct' || (granted !== undefined && !hasIdentity)) return this.#allow(granted.ref);
    let capped: PolicyType | undefined;
    if (granted?.how === 'issuer') {
      const mark = this.#allowed.length;
      capped = this.#cap(boundary, sessions);
      if (capped === undefined) return this.#allow(granted.ref);
      this.#allowed.length = mark;
    }
    if (rp?.required === true && granted === undefined) return this.#implicit('resource');
    const missing = this.#principalSide(hasIdentity, identity, boundary, sessions);
    // A grant to the role was cut by its boundary or session policy: say so.
    if (missing !== undefined) return this.#implicit(capped ?? missing);
    return this.#allow(granted?.ref);
  }

  // Boundary and session policies, when present, must each allow.
  #cap(boundary: readonly Policy[], sessions: readonly Policy[]): PolicyType | undefined {
    if (boundary.length > 0) {
      const r = this.firstAllow(boundary, 'boundary');
      if (r === undefined) return 'boundary';
      this.#allowed.push(r);
    }
    if (sessions.length > 0) {
      const r = this.firstAllow(sessions, 'session');
      if (r === undefined) return 'session';
      this.#allowed.push(r);
    }
    return undefined;
  }

  // The principal's side: identity policies capped by boundary and session policies. The
  // root user has full access to its account; principals without identity policies
  // (services, web identities, anonymous callers) depend on the resource policy.
  #principalSide(
    hasIdentity: boolean,
    identity: readonly Policy[],
    boundary: readonly Policy[],
    sessions: readonly Policy[],
  ): PolicyType | undefined {
    if (this.#request.principal.type === 'root') {
      this.#allowed.push(ROOT_REF);
      return undefined;
    }
    if (!hasIdentity) return 'resource';
    const r = this.firstAllow(identity, 'identity');
    if (r === undefined) return 'identity';
    this.#allowed.push(r);
    return this.#cap(boundary, sessions);
  }

  #allow(extra: StatementRef | undefined): Decision {
    if (extra !== undefined) this.#allowed.push(extra);
    return { decision: 'Allow', reason: this.#allowed, message: allowMessage(this.#allowed), resource: this.#input.resource };
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
