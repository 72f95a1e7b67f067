/**
 * The function's resource-based policy (AddPermission/RemovePermission/GetPolicy): one policy
 * per function and one per version or alias, offered to the gateway's authorizer so that a
 * service invoking a function (API Gateway, SNS, S3, EventBridge) is allowed only as granted.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../types.js';
import { conflict, invalidParameter, notFound, preconditionFailed, validation } from './errors.js';
import { parseFunctionName } from './names.js';
import { findFunction, versionOf } from './resolve.js';
import { functionArn, type FunctionRecord, type PolicyStatement } from './store.js';

type In = Record<string, unknown>;

const ACTIONS = /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/;

function principalOf(p: string): unknown {
  if (p === '*') return '*';
  if (/^\d{12}$/.test(p)) return { AWS: `arn:aws:iam::${p}:root` };
  if (/^arn:aws[a-zA-Z-]*:iam::\d{12}:/.test(p)) return { AWS: p };
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(p) || /^[a-z0-9.-]+\.amazon\.com$/.test(p)) return { Service: p };
  throw invalidParameter('The provided principal was invalid. Please check the principal and try again.');
}

function target(ctx: ServiceContext, input: In): { fn: FunctionRecord; qualifier: string; arn: string; save(): void } {
  const qualifier = input['Qualifier'] as string | undefined;
  if (qualifier !== undefined && !/^(\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+)$/.test(qualifier)) {
    throw validation(qualifier, 'qualifier', 'Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+');
  }
  const ref = parseFunctionName(String(input['FunctionName'] ?? ''), qualifier, ctx.account, ctx.region);
  const { state, fn } = findFunction(ctx.stores, { ...ref, qualifier: undefined });
  const q = ref.qualifier;
  if (q !== undefined && !versionOf(fn, q)) {
    throw fn.aliases[q] === undefined && !/^\d+$/.test(q) && q !== '$LATEST'
      ? notFound(`Cannot find alias arn: ${functionArn(state.account, state.region, fn.name, q)}`)
      : notFound(`Function not found: ${functionArn(state.account, state.region, fn.name, q)}`);
  }
  return { fn, qualifier: q ?? '', arn: functionArn(state.account, state.region, fn.name, q), save: () => state.functions.set(fn.name, fn) };
}

export function addPermission(input: In, ctx: ServiceContext): In {
  const sid = String(input['StatementId'] ?? '');
  if (!/^[a-zA-Z0-9-_]{1,100}$/.test(sid)) throw validation(sid, 'statementId', 'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)');
  const action = String(input['Action'] ?? '');
  if (!ACTIONS.test(action)) throw validation(action, 'action', 'Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])');
  if (input['Qualifier'] === '$LATEST') throw invalidParameter('We currently do not support adding policies for $LATEST.');
  const t = target(ctx, input);
  const rev = input['RevisionId'] as string | undefined;
  if (rev !== undefined && rev !== t.fn.policyRevision) throw preconditionFailed('GetPolicy');
  const statements = t.fn.policies[t.qualifier] ?? [];
  if (statements.some((s) => s.Sid === sid)) {
    throw conflict(`The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  }
  const st: PolicyStatement = { Sid: sid, Effect: 'Allow', Principal: principalOf(String(input['Principal'] ?? '')), Action: action, Resource: t.arn };
  const eq: Record<string, string> = {};
  if (input['SourceAccount'] !== undefined) eq['AWS:SourceAccount'] = String(input['SourceAccount']);
  if (input['EventSourceToken'] !== undefined) eq['lambda:EventSourceToken'] = String(input['EventSourceToken']);
  if (input['FunctionUrlAuthType'] !== undefined) eq['lambda:FunctionUrlAuthType'] = String(input['FunctionUrlAuthType']);
  if (input['PrincipalOrgID'] !== undefined) eq['aws:PrincipalOrgID'] = String(input['PrincipalOrgID']);
  const cond: Record<string, Record<string, string>> = {};
  if (Object.keys(eq).length > 0) cond['StringEquals'] = eq;
  if (input['SourceArn'] !== undefined) cond['ArnLike'] = { 'AWS:SourceArn': String(input['SourceArn']) };
  if (Object.keys(cond).length > 0) st.Condition = cond;
  t.fn.policies[t.qualifier] = [...statements, st];
  t.fn.policyRevision = randomUUID();
  t.save();
  return { Statement: JSON.stringify(st) };
}

export function removePermission(input: In, ctx: ServiceContext): In {
  const t = target(ctx, input);
  const rev = input['RevisionId'] as string | undefined;
  if (rev !== undefined && rev !== t.fn.policyRevision) throw preconditionFailed('GetPolicy');
  const statements = t.fn.policies[t.qualifier];
  if (!statements || statements.length === 0) throw notFound('No policy is associated with the given resource.');
  const sid = String(input['StatementId'] ?? '');
  if (!statements.some((s) => s.Sid === sid)) throw notFound(`Statement ${sid} is not found in resource policy.`);
  t.fn.policies[t.qualifier] = statements.filter((s) => s.Sid !== sid);
  t.fn.policyRevision = randomUUID();
  t.save();
  return {};
}

// The authorizer asks for a function's policy on every invocation (twice): its text is kept per
// statement list. Lists are never changed in place (Add/RemovePermission store a new one), so
// a list's text cannot go stale.
const documents = new WeakMap<PolicyStatement[], string>();

export function policyDocument(statements: PolicyStatement[]): string {
  let text = documents.get(statements);
  if (text === undefined) documents.set(statements, text = JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }));
  return text;
}

export function getPolicy(input: In, ctx: ServiceContext): In {
  let t;
  try { t = target(ctx, input); } catch (e) {
    if ((e as { code?: string }).code === 'ResourceNotFoundException') throw notFound('The resource you requested does not exist.');
    throw e;
  }
  const statements = t.fn.policies[t.qualifier];
  if (!statements || statements.length === 0) throw notFound('The resource you requested does not exist.');
  return { Policy: policyDocument(statements), RevisionId: t.fn.policyRevision };
}
