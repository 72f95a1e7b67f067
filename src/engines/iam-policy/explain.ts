/**
 * Words for decisions: AWS's access-denied message forms, and a readable account of which
 * statements decided, for the CLI, the admin API and the console.
 */
import type { AuthzRequest, Decision, PolicyType, StatementRef } from './types.js';

const IN_A: Record<PolicyType, string> = {
  identity: 'an identity-based policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  resource: 'a resource-based policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
  none: 'a policy',
};

const NO: Record<PolicyType, string> = {
  identity: 'no identity-based policy',
  scp: 'no service control policy',
  rcp: 'no resource control policy',
  resource: 'no resource-based policy',
  boundary: 'no permissions boundary',
  session: 'no session policy',
  none: 'no policy',
};

/** `with an explicit deny in a service control policy` */
export function explicitDenyMessage(type: PolicyType): string {
  return `with an explicit deny in ${IN_A[type]}`;
}

/** `because no identity-based policy allows the s3:GetObject action` */
export function implicitDenyMessage(type: PolicyType, action: string): string {
  return `because ${NO[type]} allows the ${action} action`;
}

/** A short account of an Allow, naming the policy types that allowed. */
export function allowMessage(reason: readonly StatementRef[]): string {
  let mask = 0;
  for (const r of reason) mask |= 1 << TYPE_ORDER.indexOf(r.policyType);
  let message = ALLOW_MESSAGES.get(mask);
  if (message === undefined) {
    const types = TYPE_ORDER.filter((_, i) => (mask & (1 << i)) !== 0);
    message = types.includes('none')
      ? 'allowed: the account root user has full access to its account'
      : `allowed by ${types.map((t) => IN_A[t]).join(', ')}`;
    ALLOW_MESSAGES.set(mask, message);
  }
  return message;
}

const TYPE_ORDER: readonly PolicyType[] = ['rcp', 'scp', 'resource', 'identity', 'boundary', 'session', 'none'];
// At most 2^7 combinations; built once each.
const ALLOW_MESSAGES = new Map<number, string>();

function callerNoun(request: AuthzRequest): string {
  return request.principal.type === 'anonymous' ? 'Anonymous' : 'User';
}

/**
 * The full AWS access-denied sentence, e.g. `User: arn:aws:iam::123456789012:user/bob is
 * not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no
 * identity-based policy allows the s3:GetObject action`. Services that omit the resource
 * clause for `*` do so here too.
 */
export function accessDeniedMessage(request: AuthzRequest, decision: Decision): string {
  const on = decision.resource === '*' ? '' : ` on resource: ${decision.resource}`;
  return `${callerNoun(request)}: ${request.principal.arn} is not authorized to perform: ${request.action}${on} ${decision.message}`;
}

function describe(ref: StatementRef): string {
  const where = ref.level === undefined ? '' : ` at \`${ref.level}\``;
  const policy = ref.policyId === undefined ? '' : ` \`${ref.policyId}\``;
  const stmt = ref.statementIndex < 0 ? '' : ref.statementSid ? ` statement \`${ref.statementSid}\`` : ` statement #${ref.statementIndex}`;
  return `${ref.effect ?? 'Allow'} by ${ref.policyType}${policy}${where}${stmt}`;
}

/** Lines explaining a decision: the verdict, then each deciding statement. */
export function explainDecision(decision: Decision): string[] {
  const lines = [`${decision.decision} on \`${decision.resource}\`: ${decision.message}`];
  for (const ref of decision.reason) {
    lines.push(ref.policyType === 'none' ? '  root user of the account' : `  ${describe(ref)}`);
  }
  if (decision.missing !== undefined) {
    const at = decision.missing.level === undefined ? '' : ` at \`${decision.missing.level}\``;
    lines.push(`  no allowing statement in ${decision.missing.policyType}${at}`);
  }
  return lines;
}
