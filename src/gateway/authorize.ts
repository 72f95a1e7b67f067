import { AwsError } from '../core/errors.js';
import { parseArn } from '../core/ids.js';
import type { Principal } from '../core/identity.js';
import type { ResourcePolicyInfo, ResourceRef, StoredPolicy } from '../core/ports.js';
import type { AuthzRequest, ContextValue, Decision, Policy, PolicyKind, RequestPrincipal } from '../engines/iam-policy/index.js';
type Engine = typeof import('../engines/iam-policy/index.js');

/**
 * The engine loads on the first request that needs a decision: a standalone root (the common
 * case with test/test) never does, so start-up does not pay for it.
 */
let engine: Engine | undefined;
async function loadEngine(): Promise<Engine> {
  engine ??= await import('../engines/iam-policy/index.js');
  return engine;
}
import type { Drydock } from './app.js';
import type { RequestContext } from './context.js';
import { iamAction, iamResources, isAlwaysAllowed } from './iam-mapping.js';
import { passedRoles } from './pass-role.js';

/**
 * The authorize step: every request is decided by the IAM engine against what applies —
 * identity policies, permission boundary, session policies, the organization's SCPs and RCPs,
 * and the resource's own policy. The decision and its reasons are kept for `drydock explain`.
 */

const compiled = new Map<string, { document: string; policy: Policy }>();

/**
 * Policies are compiled once per (kind, id) and recompiled when the text changes: authorization
 * runs on every request. Keyed by id, not by text: hashing a 90 KB managed policy per lookup
 * cost more than evaluating it.
 */
function compile(p: StoredPolicy, kind: PolicyKind): Policy {
  const key = `${kind}\n${p.id}`;
  const hit = compiled.get(key);
  if (hit && hit.document === p.document) return hit.policy;
  const policy = engine!.parsePolicy(p.document, { kind, id: p.id, name: p.name });
  if (compiled.size > 5000) compiled.clear();
  compiled.set(key, { document: p.document, policy });
  return policy;
}

/** A decision kept for `drydock explain`. */
export interface Explanation {
  requestId: string;
  action: string;
  principal: string;
  decision: Decision['decision'];
  lines: string[];
}

function denialError(ctx: RequestContext, message: string): AwsError {
  const protocol = ctx.protocol?.name;
  // S3 and the other restXml services (Route 53) answer AccessDenied with 403.
  if (ctx.service === 's3' || protocol === 'restXml') return new AwsError('AccessDenied', message, 403);
  if (protocol === 'ec2Query') {
    return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}`, 403);
  }
  if (ctx.service === 'sns') return new AwsError('AuthorizationErrorException', message, 403);
  if (protocol === 'awsQuery') return new AwsError('AccessDenied', message, 403);
  return new AwsError('AccessDeniedException', message, ctx.model?.protocol === 'restJson1' ? 403 : 400, { queryCode: 'AccessDenied' });
}

function enginePrincipal(p: Principal, app: Drydock): RequestPrincipal {
  const org = app.ports.org?.accountInfo(p.account);
  const tags = app.ports.iam?.principalTags(p);
  return {
    arn: p.arn, account: p.account, userId: p.userId,
    type: p.type === 'assumed-role' ? 'assumed-role' : p.type,
    tags, sessionTags: p.sessionTags, issuerArn: p.issuerArn,
    orgId: org?.orgId, orgPaths: org ? [org.orgPath] : undefined,
  };
}

function requestTags(input: Record<string, unknown>): Record<string, string> | undefined {
  const tags = input['Tags'] ?? input['tags'];
  if (Array.isArray(tags)) {
    const out: Record<string, string> = {};
    for (const t of tags as Record<string, unknown>[]) if (typeof t?.['Key'] === 'string') out[t['Key']] = String(t['Value'] ?? '');
    return out;
  }
  if (tags && typeof tags === 'object') return tags as Record<string, string>;
  return undefined;
}

function contextKeys(ctx: RequestContext, app: Drydock, resource: string): Record<string, ContextValue> {
  const p = ctx.principal!;
  const input = ctx.input ?? {};
  const c: Record<string, ContextValue> = {
    'aws:RequestedRegion': ctx.region,
    'aws:SourceIp': (ctx.http.sourceIp ?? '127.0.0.1').replace(/^::ffff:/, ''),
    'aws:SecureTransport': false,
    'aws:ViaAWSService': false,
  };
  if (p.mfa !== undefined) c['aws:MultiFactorAuthPresent'] = p.mfa;
  if (ctx.extraContext) Object.assign(c, ctx.extraContext);
  if (p.issuedAt) c['aws:TokenIssueTime'] = p.issuedAt;
  if (p.sourceIdentity) c['aws:SourceIdentity'] = p.sourceIdentity;
  const tags = requestTags(input);
  if (tags) {
    for (const [k, v] of Object.entries(tags)) c[`aws:RequestTag/${k}`] = v;
    c['aws:TagKeys'] = Object.keys(tags);
  }
  const prefix = ctx.model!.signingName;
  const resourceTags = resource !== '*' ? app.ports.resourceTags.get(prefix)?.(resource) : undefined;
  for (const [k, v] of Object.entries(resourceTags ?? {})) {
    c[`aws:ResourceTag/${k}`] = v;
    // EC2 also names the key in its own namespace, which most EC2 ABAC policies use.
    if (prefix === 'ec2') c[`ec2:ResourceTag/${k}`] = v;
  }
  // iam:PermissionsBoundary: the boundary being set, or the one the target role already has
  // (AttachRolePolicy, PutRolePolicy, … are conditioned on it in the delegation pattern).
  if (typeof input['PermissionsBoundary'] === 'string') c['iam:PermissionsBoundary'] = input['PermissionsBoundary'];
  else if (ctx.service === 'iam' && typeof input['RoleName'] === 'string') {
    const boundary = app.ports.iam?.role(ctx.account, input['RoleName'])?.permissionsBoundaryArn;
    if (boundary) c['iam:PermissionsBoundary'] = boundary;
  }
  if (typeof input['ExternalId'] === 'string') c['sts:ExternalId'] = input['ExternalId'];
  if (ctx.service === 's3') {
    if (typeof input['Prefix'] === 'string') c['s3:prefix'] = input['Prefix'];
    if (typeof input['Delimiter'] === 'string') c['s3:delimiter'] = input['Delimiter'];
  }
  return c;
}

/**
 * The account a resource belongs to. ARNs without an account (S3 buckets) and AWS-owned ones
 * (`arn:aws:iam::aws:policy/…`, readable by every account) count as the caller's own.
 */
function ownerOf(arn: string, caller: string): string {
  const account = arn === '*' ? '' : parseArn(arn)?.account ?? '';
  return account === '' || account === 'aws' ? caller : account;
}

/** The resource's own policy; for AssumeRole* it is the role's trust policy, which must allow. */
function resourcePolicy(ctx: RequestContext, app: Drydock, action: string, resource: string): ResourcePolicyInfo | undefined {
  // A passed role has no resource policy: its trust policy is for whoever assumes it later.
  if (resource === '*' || action === 'iam:PassRole') return undefined;
  if (action.startsWith('sts:AssumeRole')) {
    const arn = parseArn(resource);
    const name = arn?.resource.startsWith('role/') ? arn.resource.split('/').pop()! : undefined;
    const role = name && arn ? app.ports.iam?.role(arn.account, name) : undefined;
    return role ? { document: role.trustPolicy, account: role.account, required: true, kind: 'trust', id: `${role.arn}/trust` } : undefined;
  }
  return app.ports.resourcePolicies.get(ctx.model!.signingName)?.(resource);
}

/** Builds the engine request for one resource of the current call. */
export function authzRequest(ctx: RequestContext, app: Drydock, action: string, resource: string): AuthzRequest {
  const p = ctx.principal!;
  const iam = app.ports.iam;
  const own = iam?.policiesFor(p) ?? { identity: [] };
  const org = app.ports.org?.accountInfo(p.account);
  const sessionPolicies: Policy[] = [];
  if (p.sessionPolicy) sessionPolicies.push(compile({ id: `${p.arn}/session`, name: 'session policy', document: p.sessionPolicy }, 'session'));
  for (const arn of p.sessionPolicyArns ?? []) {
    const mp = iam?.managedPolicy(arn);
    if (mp) sessionPolicies.push(compile(mp, 'session'));
  }
  const hasSession = p.sessionPolicy !== undefined || (p.sessionPolicyArns?.length ?? 0) > 0;
  const rp = resourcePolicy(ctx, app, action, resource);
  const resourceAccount = rp?.account ?? ownerOf(resource, ctx.account);
  const resourceOrg = app.ports.org?.accountInfo(resourceAccount);
  return {
    principal: enginePrincipal(p, app),
    action,
    resources: [resource],
    context: contextKeys(ctx, app, resource),
    identityPolicies: own.identity.map((x) => compile(x, 'identity')),
    boundary: own.boundary ? compile(own.boundary, 'boundary') : undefined,
    sessionPolicies: hasSession ? sessionPolicies : undefined,
    scpLevels: org?.scpLevels.map((l) => ({ level: l.level, policies: l.policies.map((x) => compile(x, 'scp')) })),
    rcpLevels: resourceOrg?.rcpLevels.map((l) => ({ level: l.level, policies: l.policies.map((x) => compile(x, 'rcp')) })),
    resourcePolicy: rp ? { policy: compile({ id: rp.id ?? resource, name: 'resource policy', document: rp.document }, rp.kind ?? (rp.required ? 'key' : 'resource')), resourceAccount: rp.account, required: rp.required } : undefined,
    resourceAccount,
    isManagementAccount: org ? org.managementAccount === p.account : undefined,
    isResourceManagementAccount: resourceOrg ? resourceOrg.managementAccount === resourceAccount : undefined,
    now: app.clock.now(),
  };
}

/**
 * A federated user (GetFederationToken) gets only what its session policy allows; without
 * one it may do nothing, whatever the user's own policies say.
 */
function federatedWithoutPolicy(ctx: RequestContext): Decision | undefined {
  const p = ctx.principal!;
  if (p.type !== 'federated-user' || p.sessionPolicy !== undefined || (p.sessionPolicyArns?.length ?? 0) > 0) return undefined;
  const action = iamAction(ctx.model!.signingName, ctx.service!, ctx.match!.name, ctx.http.method);
  return {
    decision: 'ImplicitDeny', reason: [], missing: { policyType: 'session' }, resource: '*',
    message: `because no session policy allows the ${action} action`,
  };
}

/** Whether the caller is a root user outside any organization, whom AWS never restricts. */
function unrestrictedRoot(ctx: RequestContext, app: Drydock): boolean {
  const p = ctx.principal!;
  if (p.type !== 'root') return false;
  const org = app.ports.org?.accountInfo(p.account);
  return !org || org.managementAccount === p.account;
}

/**
 * IAM and Organizations fill the ports a decision reads. A root caller before either has any
 * state (nothing created, nothing persisted) is a standalone root, so neither needs loading.
 */
/**
 * What must load before a decision: the called service fills its own ports (resource
 * policies, resolvers) when it loads, IAM and Organizations theirs. Undefined once all are in,
 * so the common request decides without waiting on a promise.
 */
function portsPending(ctx: RequestContext, app: Drydock): Promise<unknown> | undefined {
  if (app.installedService(ctx.service!) === undefined) return app.service(ctx.service!);
  if (app.ports.iam && app.ports.org) return undefined;
  if (ctx.principal!.type === 'root' && !app.stores.services().some((s) => s === 'iam' || s === 'organizations')) return undefined;
  if (app.installedService('iam') !== undefined && app.installedService('organizations') !== undefined) return undefined;
  return Promise.all([app.service('iam'), app.service('organizations')]);
}

/** The resources of the call: from the owning service when it resolves them, else the table. */
function resourcesOf(ctx: RequestContext, app: Drydock, action: string): ResourceRef[] {
  const prefix = ctx.model!.signingName;
  const resolver = app.ports.resourceResolvers.get(prefix);
  if (resolver) {
    const refs = resolver(ctx.match!.name, ctx.input ?? {}, ctx.account, ctx.region);
    return refs.length ? refs : [{ arn: '*' }];
  }
  return iamResources(ctx.service!, ctx.match!.name, ctx.input ?? {}, { region: ctx.region, account: ctx.account, path: ctx.wire.path })
    .map((arn) => ({ arn, action }));
}

/** An implicit deny that a grant can lift: no identity or key policy allowed, nothing denied. */
function grantLifts(ctx: RequestContext, app: Drydock, ref: ResourceRef, decision: Decision): string | undefined {
  if (decision.decision !== 'ImplicitDeny' || !ref.grantOperation) return undefined;
  const missing = decision.missing?.policyType;
  if (missing !== 'identity' && missing !== 'resource') return undefined;
  const p = ctx.principal!;
  const grant = app.ports.grants.get(ctx.model!.signingName)?.(ref.arn, { arn: p.arn, issuerArn: p.issuerArn, account: p.account }, ref.grantOperation, ref.encryptionContext);
  return grant?.grantId;
}

export function authorize(ctx: RequestContext, app: Drydock): void | Promise<void> {
  const pending = portsPending(ctx, app);
  if (pending) return pending.then(() => authorize(ctx, app));
  const callAction = iamAction(ctx.model!.signingName, ctx.service!, ctx.match!.name, ctx.http.method);
  if (isAlwaysAllowed(callAction)) return;
  // Federation calls carry their own proof (the token); STS checks it against the trust policy.
  if (ctx.principal!.type === 'anonymous' && ctx.service === 'sts') return;
  const refs = [...resourcesOf(ctx, app, callAction), ...passedRoles(ctx.service!, ctx.match!.name, ctx.input ?? {}, ctx.account, app.ports.iam)];
  const prefix = ctx.model!.signingName;
  // A standalone root acting on its own account's resources with no resource policy in play
  // is allowed everything: skip the evaluation (the common case with test/test).
  // So is one whose resource policy could only add permissions: not required to allow (as a
  // KMS key policy is) and without a Deny statement (a function policy from AddPermission).
  // So is one whose required policy (a KMS key policy) has no Deny and, without conditions,
  // allows the account's root this action on every resource: the default key policy.
  const own = (arn: string) => ownerOf(arn, ctx.account) === ctx.account;
  const cannotRestrict = (r: ResourceRef) => {
    const info = app.ports.resourcePolicies.get(prefix)?.(r.arn);
    // The policy knows the owner even where the ARN does not (S3 bucket ARNs name no account).
    if (!info) return true;
    if (info.account !== ctx.account) return false;
    return info.required ? allowsRootOutright(info, r.arn, r.action ?? callAction, prefix, ctx.account) : onlyAllows(info, r.arn);
  };
  if (unrestrictedRoot(ctx, app) && refs.every((r) => own(r.arn) && (r.arn === '*' || cannotRestrict(r)))) return;
  if (!engine) return loadEngine().then(() => decide(ctx, app, refs, callAction));
  decide(ctx, app, refs, callAction);
}

/**
 * Whether a policy with Allow statements only has one that, without conditions or Not-
 * elements, gives `action` on every resource to the root of `account` (known once the engine
 * has loaded). The root of a standalone account is then allowed whatever else it says.
 */
function allowsRootOutright(info: ResourcePolicyInfo, arn: string, action: string, prefix: string, account: string): boolean {
  if (!engine) return false;
  let statements;
  try {
    statements = compile({ id: info.id ?? arn, name: 'resource policy', document: info.document }, info.kind ?? 'key').statements;
  } catch {
    return false;
  }
  if (!statements.every((st) => st.effect === 'Allow')) return false;
  const lower = action.toLowerCase();
  const root = rootPrincipals.get(account) ?? rootPrincipals.set(account, rootPrincipal(account)).get(account)!;
  return statements.some((st) => !st.notAction && !st.notResource && !st.notPrincipal && st.conditions.length === 0
    && st.resources !== undefined && st.resources.some((r) => r.matchesAll)
    && st.actions.test(lower, prefix) && st.principals?.match(root) === 'direct');
}
const rootPrincipals = new Map<string, RequestPrincipal>();
function rootPrincipal(account: string): RequestPrincipal {
  const arn = `arn:aws:iam::${account}:root`;
  return { type: 'root', arn, account, userId: account };
}

/** Whether a resource policy has Allow statements only (known once the engine has loaded). */
function onlyAllows(info: ResourcePolicyInfo, arn: string): boolean {
  if (!engine) return false;
  try {
    return compile({ id: info.id ?? arn, name: 'resource policy', document: info.document }, info.kind ?? 'resource').statements.every((st) => st.effect === 'Allow');
  } catch {
    return false;
  }
}

/** Every resource of the call decided by the engine; the first refusal ends the request. */
function decide(ctx: RequestContext, app: Drydock, refs: ResourceRef[], callAction: string): void {
  const { accessDeniedMessage, evaluate, explainDecision } = engine!;
  for (const ref of refs) {
    const action = ref.action ?? callAction;
    const request = authzRequest(ctx, app, action, ref.arn);
    if (ref.context) Object.assign(request.context, ref.context);
    if (ref.encryptionContext) kmsContextKeys(request.context, ref.encryptionContext);
    const decision = federatedWithoutPolicy(ctx) ?? evaluate(request);
    const grantId = grantLifts(ctx, app, ref, decision);
    const lines = () => grantId ? [...explainDecision(decision), `  Allow by grant \`${grantId}\``] : explainDecision(decision);
    app.explanations.record({
      requestId: ctx.requestId, action, principal: ctx.principal!.arn, decision: grantId ? 'Allow' : decision.decision, lines,
    });
    if (decision.decision !== 'Allow' && !grantId) {
      // STS gives no reason when the role's side refused (missing role or trust policy), so
      // callers learn nothing about other accounts' roles; the caller's own side it explains.
      const trustSide = decision.missing?.policyType === 'resource' || decision.reason.some((r) => r.policyType === 'resource');
      const message = action.startsWith('sts:AssumeRole') && trustSide
        ? `User: ${ctx.principal!.arn} is not authorized to perform: ${action} on resource: ${ref.arn}`
        : accessDeniedMessage(request, decision);
      throw denialError(ctx, message);
    }
  }
}

/**
 * KMS's condition keys for a call that carries an encryption context: one
 * `kms:EncryptionContext:<key>` per pair, and `kms:EncryptionContextKeys`.
 */
function kmsContextKeys(context: Record<string, ContextValue>, encryptionContext: Record<string, string>): void {
  const keys: string[] = [];
  for (const k in encryptionContext) {
    context[`kms:EncryptionContext:${k}`] = encryptionContext[k]!;
    keys.push(k);
  }
  context['kms:EncryptionContextKeys'] = keys;
}

/** One action on one resource for a caller a front door authenticated (function URLs, execute-api), recorded for `drydock explain`. */
export async function decideFrontDoor(ctx: RequestContext, app: Drydock, action: string, resource: string): Promise<{ allowed: boolean; message: string }> {
  await Promise.all([app.service('iam'), app.service('organizations')]);
  const { accessDeniedMessage, evaluate, explainDecision } = await loadEngine();
  const request = authzRequest(ctx, app, action, resource);
  const decision = evaluate(request);
  app.explanations.record({ requestId: ctx.requestId, action, principal: ctx.principal!.arn, decision: decision.decision, lines: () => explainDecision(decision) });
  return { allowed: decision.decision === 'Allow', message: accessDeniedMessage(request, decision) };
}
