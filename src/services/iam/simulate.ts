/**
 * The policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy and the context-key
 * queries. Decisions come from the same engine `evaluate` the gateway uses, so the simulator
 * agrees with live enforcement on the same inputs.
 */
import { parseArn } from '../../core/ids.js';
import type { StoredPolicy } from '../../core/ports.js';
import {
  evaluate, getContextKeys, parsePolicy, type ContextValue, type Decision, type OrgPolicyLevel, type Policy, type PolicyKind,
  type RequestPrincipal, type StatementRef,
} from '../../engines/iam-policy/index.js';
import type { Handler, ServiceContext } from '../types.js';
import { pageInfo, paginate, str, strings } from './common.js';
import { policiesOfEntity } from './directory.js';
import { fromMalformed, invalidInput, noSuchEntity } from './errors.js';
import { managedDocument } from './managed.js';
import { statementSpans, type Span } from './positions.js';

/** A policy taking part in a simulation, with what the results say about it. */
interface Source {
  policy: Policy;
  sourceId: string;
  sourceType: string;
  spans: Span[];
}

class Sources {
  readonly #byId = new Map<string, Source>();

  add(text: string, kind: PolicyKind, sourceId: string, sourceType = 'IAM Policy'): Policy {
    const id = `sim:${this.#byId.size}`;
    let policy: Policy;
    try {
      policy = parsePolicy(text, { kind, id, name: sourceId });
    } catch (err) {
      fromMalformed(err);
    }
    this.#byId.set(id, { policy, sourceId, sourceType, spans: statementSpans(text) });
    return policy;
  }

  statement(ref: StatementRef): Record<string, unknown> | undefined {
    const src = ref.policyId === undefined ? undefined : this.#byId.get(ref.policyId);
    if (src === undefined) return undefined;
    const out: Record<string, unknown> = { SourcePolicyId: src.sourceId, SourcePolicyType: src.sourceType };
    const span = src.spans[ref.statementIndex];
    if (span !== undefined) Object.assign(out, { StartPosition: span.start, EndPosition: span.end });
    return out;
  }
}

/** Everything of a simulation except the actions and resources. */
interface Simulation {
  sources: Sources;
  principal: RequestPrincipal;
  identity: Policy[];
  boundary?: Policy;
  resourcePolicy?: Policy;
  resourceOwner?: string;
  scpLevels?: OrgPolicyLevel[];
  isManagementAccount?: boolean;
  context: Record<string, ContextValue>;
  withOrgDetail: boolean;
}

const LIST_TYPES = new Set(['stringList', 'numericList', 'booleanList', 'ipList', 'binaryList', 'dateList']);

function contextOf(input: Record<string, unknown>): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const e of (input['ContextEntries'] as Array<Record<string, unknown>> | undefined) ?? []) {
    const name = String(e['ContextKeyName'] ?? '');
    const values = Array.isArray(e['ContextKeyValues']) ? (e['ContextKeyValues'] as unknown[]).map(String) : [];
    out[name] = LIST_TYPES.has(String(e['ContextKeyType'])) ? values : values[0] ?? null;
  }
  return out;
}

const DECISIONS: Record<Decision['decision'], string> = { Allow: 'allowed', ExplicitDeny: 'explicitDeny', ImplicitDeny: 'implicitDeny' };

// Keys the engine fills in itself from the principal and the clock: not missing.
const DERIVED = /^aws:(principalarn|principalaccount|principaltype|userid|username|principalisawsservice|currenttime|epochtime|resourceaccount)$/i;

function missingKeys(sim: Simulation, action: string): string[] {
  const service = action.slice(0, action.indexOf(':')).toLowerCase();
  const relevant = [...sim.identity, ...(sim.boundary ? [sim.boundary] : []), ...(sim.resourcePolicy ? [sim.resourcePolicy] : [])]
    .filter((p) => { const c = p.candidates(service); return c.allow.length + c.deny.length > 0; });
  const given = new Set(Object.keys(sim.context).map((k) => k.toLowerCase()));
  const tags = { ...sim.principal.tags };
  return getContextKeys(relevant).filter((k) => {
    const lower = k.toLowerCase();
    if (given.has(lower) || DERIVED.test(k)) return false;
    if (lower.startsWith('aws:principaltag/')) return !Object.keys(tags).some((t) => t.toLowerCase() === lower.slice(17));
    return true;
  });
}

function decide(sim: Simulation, action: string, resource: string, ctx: ServiceContext, boundary = sim.boundary, identity = sim.identity): Decision {
  // Without a resource policy the simulation is of the principal's own account, as AWS's is.
  const fromArn = sim.resourcePolicy === undefined ? undefined : parseArn(resource)?.account;
  const resourceAccount = sim.resourceOwner ?? (fromArn || sim.principal.account);
  return evaluate({
    principal: sim.principal,
    action,
    resources: [resource],
    context: sim.context,
    identityPolicies: identity,
    ...(boundary === undefined ? {} : { boundary }),
    ...(sim.resourcePolicy === undefined ? {} : { resourcePolicy: { policy: sim.resourcePolicy, resourceAccount } }),
    resourceAccount,
    ...(sim.scpLevels === undefined ? {} : { scpLevels: sim.scpLevels }),
    ...(sim.isManagementAccount === undefined ? {} : { isManagementAccount: sim.isManagementAccount }),
    now: ctx.clock.now(),
  });
}

function matched(sim: Simulation, d: Decision): Array<Record<string, unknown>> {
  if (d.decision === 'ImplicitDeny') return [];
  return d.reason.map((r) => sim.sources.statement(r)).filter((x): x is Record<string, unknown> => x !== undefined);
}

function byBoundary(sim: Simulation, d: Decision, action: string, resource: string, ctx: ServiceContext): boolean {
  if (d.decision === 'Allow') return true;
  if (d.reason.some((r) => r.policyType === 'boundary') || d.missing?.policyType === 'boundary') return false;
  return decide(sim, action, resource, ctx, undefined, [sim.boundary as Policy]).decision === 'Allow';
}

function results(sim: Simulation, input: Record<string, unknown>, ctx: ServiceContext): Record<string, unknown> {
  const resources = strings(input, 'ResourceArns');
  const out: Array<Record<string, unknown>> = [];
  for (const action of strings(input, 'ActionNames')) {
    const missing = missingKeys(sim, action);
    const perResource = (resources.length === 0 ? ['*'] : resources).map((resource) => ({ resource, d: decide(sim, action, resource, ctx) }));
    const worst = perResource.find((x) => x.d.decision === 'ExplicitDeny') ?? perResource.find((x) => x.d.decision === 'ImplicitDeny') ?? perResource[0];
    const { resource, d } = worst as { resource: string; d: Decision };
    const r: Record<string, unknown> = {
      EvalActionName: action,
      EvalResourceName: resources.length > 1 ? '*' : resource,
      EvalDecision: DECISIONS[d.decision],
      MatchedStatements: perResource.length > 1 ? perResource.flatMap((x) => matched(sim, x.d)) : matched(sim, d),
      MissingContextValues: missing,
      EvalDecisionDetails: {},
    };
    if (sim.withOrgDetail) {
      r['OrganizationsDecisionDetail'] = { AllowedByOrganizations: d.missing?.policyType !== 'scp' && !d.reason.some((x) => x.policyType === 'scp' && x.effect === 'Deny') };
    }
    if (sim.boundary !== undefined) r['PermissionsBoundaryDecisionDetail'] = { AllowedByPermissionsBoundary: byBoundary(sim, d, action, resource, ctx) };
    if (resources.length > 0) {
      r['ResourceSpecificResults'] = perResource.map((x) => {
        const rs: Record<string, unknown> = {
          EvalResourceName: x.resource, EvalResourceDecision: DECISIONS[x.d.decision], MatchedStatements: matched(sim, x.d), MissingContextValues: missing,
        };
        if (sim.boundary !== undefined) rs['PermissionsBoundaryDecisionDetail'] = { AllowedByPermissionsBoundary: byBoundary(sim, x.d, action, x.resource, ctx) };
        return rs;
      });
    }
    out.push(r);
  }
  const p = paginate(out, input);
  return { EvaluationResults: p.items, ...pageInfo(p) };
}

// The caller a simulation stands for: CallerArn, else the entity simulated, else a placeholder user.
function principalOf(arn: string, account: string, userId: string, tags: Record<string, string>): RequestPrincipal {
  const p = parseArn(arn);
  const resource = p?.resource ?? '';
  const type = resource === 'root' ? 'root' : resource.startsWith('role/') ? 'role' : resource.startsWith('assumed-role/') ? 'assumed-role' : 'user';
  return { arn, account: p?.account || account, type, userId, tags };
}

function common(sim: Omit<Simulation, 'identity' | 'context'> & { identity: Policy[] }, input: Record<string, unknown>): Simulation {
  const list = strings(input, 'PermissionsBoundaryPolicyInputList');
  const boundaryText = list[0];
  const out: Simulation = { ...sim, context: contextOf(input) };
  if (boundaryText !== undefined) out.boundary = sim.sources.add(boundaryText, 'boundary', 'PermissionsBoundaryPolicyInputList.1');
  const rp = str(input, 'ResourcePolicy');
  if (rp !== undefined) out.resourcePolicy = sim.sources.add(rp, 'resource', 'ResourcePolicy', 'Resource Policy');
  const owner = str(input, 'ResourceOwner');
  if (owner !== undefined) out.resourceOwner = parseArn(owner)?.account || owner;
  return out;
}

function inputPolicies(sources: Sources, input: Record<string, unknown>): Policy[] {
  return strings(input, 'PolicyInputList').map((text, i) => sources.add(text, 'identity', `PolicyInputList.${i + 1}`));
}

function entityOf(ctx: ServiceContext, arn: string) {
  const p = parseArn(arn);
  if (p === undefined || p.service !== 'iam') throw invalidInput(`Invalid ARN: ${arn}`);
  const found = policiesOfEntity(ctx.stores, arn);
  if (found === undefined) {
    const kind = p.resource.slice(0, p.resource.indexOf('/'));
    const name = p.resource.slice(p.resource.lastIndexOf('/') + 1);
    throw noSuchEntity(kind === 'user' || kind === 'role' || kind === 'group' ? `The ${kind} with name ${name} cannot be found.` : `Entity ${arn} cannot be found.`);
  }
  return found;
}

function addStored(sources: Sources, list: StoredPolicy[]): Policy[] {
  return list.map((p) => sources.add(p.document, 'identity', p.name));
}

/** SimulatePrincipalPolicy: decides actions for a user, group or role with its own policies, boundary and the account's SCPs. */
export const simulatePrincipalPolicy: Handler = (input, ctx) => {
  const source = String(input['PolicySourceArn']);
  const entity = entityOf(ctx, source);
  const sources = new Sources();
  const identity = [...addStored(sources, entity.identity), ...inputPolicies(sources, input)];
  const account = parseArn(source)?.account || ctx.account;
  const org = ctx.ports.org?.accountInfo(account);
  const principal = principalOf(str(input, 'CallerArn') ?? source, account, entity.id, entity.tags);
  const sim = common({ sources, principal, identity, withOrgDetail: true }, input);
  if (sim.boundary === undefined && entity.boundaryArn !== undefined) {
    const b = managedDocument(ctx.stores, entity.boundaryArn);
    if (b !== undefined) sim.boundary = sources.add(b.document, 'boundary', b.name);
  }
  if (org !== undefined) {
    sim.isManagementAccount = org.managementAccount === account;
    sim.scpLevels = org.scpLevels.map((l) => ({
      level: l.level, policies: l.policies.map((p) => sources.add(p.document, 'scp', p.name, 'Organizations Policy')),
    }));
  }
  return results(sim, input, ctx);
};

/** SimulateCustomPolicy: decides actions for the policies given in the request alone. */
export const simulateCustomPolicy: Handler = (input, ctx) => {
  const sources = new Sources();
  const identity = inputPolicies(sources, input);
  const caller = str(input, 'CallerArn') ?? `arn:aws:iam::${ctx.account}:user/drydock-simulated-user`;
  const principal = principalOf(caller, ctx.account, 'AIDASIMULATEDUSER0000', {});
  // One entry per level, root first; each lists the SCPs attached at that level.
  const raw = input['OrderedOrganizationPolicyInputList'];
  const orgList = Array.isArray(raw) ? (raw as { ServiceControlPolicyInputList?: string[] }[]) : [];
  const sim = common({ sources, principal, identity, withOrgDetail: orgList.length > 0 }, input);
  if (orgList.length > 0) {
    sim.scpLevels = orgList.map((level, i) => ({
      level: `OrderedOrganizationPolicyInputList.${i + 1}`,
      policies: (level.ServiceControlPolicyInputList ?? []).map((text, j) =>
        sources.add(text, 'scp', `OrderedOrganizationPolicyInputList.${i + 1}.${j + 1}`, 'Organizations Policy')),
    }));
  }
  return results(sim, input, ctx);
};

/** GetContextKeysForCustomPolicy: the condition keys the given policies read. */
export const getContextKeysForCustomPolicy: Handler = (input) => {
  const sources = new Sources();
  return { ContextKeyNames: getContextKeys(inputPolicies(sources, input)) };
};

/** GetContextKeysForPrincipalPolicy: the condition keys an entity's policies (and its groups') read. */
export const getContextKeysForPrincipalPolicy: Handler = (input, ctx) => {
  const entity = entityOf(ctx, String(input['PolicySourceArn']));
  const sources = new Sources();
  const policies = [...addStored(sources, entity.identity), ...inputPolicies(sources, input)];
  return { ContextKeyNames: getContextKeys(policies) };
};
