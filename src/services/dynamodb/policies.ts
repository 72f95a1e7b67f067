/**
 * Resource-based policies on tables (PutResourcePolicy, GetResourcePolicy,
 * DeleteResourcePolicy), with revision ids for optimistic concurrency. The gateway's
 * authorizer reads them through ports.resourcePolicies, so another account's principal can
 * reach a table its policy grants (index and stream ARNs fall under their table's policy).
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.js';
import type { Handler, ServiceContext } from '../types.js';
import { validation } from './errors.js';
import { dynamoState, type DynamoState, type TableRecord } from './store.js';

const ARN = /^arn:aws[\w-]*:dynamodb:([^:]+):(\d{12}):table\/([^/]+)/;
/** AWS's limit on a resource-based policy document. */
const MAX_POLICY_BYTES = 20 * 1024;

/** The table an ARN (table, index or stream) belongs to, in its owner's state. */
export function tableOfArn(stores: ServiceContext['stores'], arn: string): { state: DynamoState; table: TableRecord } | undefined {
  const m = parsedArn(arn);
  if (!m) return undefined;
  const state = dynamoState(stores, m.account, m.region);
  const table = state.tables.get(m.name);
  return table ? { state, table } : undefined;
}

interface ParsedArn { region: string; account: string; name: string }

/**
 * The parts of a table ARN. The authorizer asks for the policy of the same table's ARN on
 * every call: the last answer is kept (a pure function of the text, so never stale).
 */
function parsedArn(arn: string): ParsedArn | undefined {
  if (arn === lastArn) return lastParsed;
  const m = ARN.exec(arn);
  lastArn = arn;
  lastParsed = m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
  return lastParsed;
}
let lastArn = '';
let lastParsed: ParsedArn | undefined;

function target(ctx: ServiceContext, arn: unknown): { state: DynamoState; table: TableRecord } {
  const s = String(arn ?? '');
  const found = ARN.test(s) ? tableOfArn(ctx.stores, s) : undefined;
  if (!found || found.table.account !== ctx.account) throw new AwsError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${s} not found`, 400);
  return found;
}

function checkRevision(t: TableRecord, expected: unknown): void {
  if (expected !== undefined && expected !== t.policy?.revision) {
    throw new AwsError('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id ${String(expected)}, but the policy associated to target table ${t.name} has revision id ${t.policy?.revision ?? 'none'}.`, 400);
  }
}

/** A policy document as AWS accepts it: JSON with statements, at most 20 KB; answers the stored form. */
export function checkedPolicy(ctx: ServiceContext, doc: string): { document: string; revision: string } {
  if (Buffer.byteLength(doc) > MAX_POLICY_BYTES) throw validation(`Resource-based policy size exceeds the limit of ${MAX_POLICY_BYTES} bytes`);
  try {
    const parsed = JSON.parse(doc) as { Statement?: unknown };
    if (typeof parsed !== 'object' || parsed === null || parsed.Statement === undefined) throw new Error('no statement');
  } catch {
    throw validation('Invalid policy document: the policy is not valid JSON with a Statement');
  }
  return { document: doc, revision: String(ctx.clock.nowMs()).padStart(13, '0') + randomUUID().slice(0, 4) };
}

export const putResourcePolicy: Handler = (input, ctx) => {
  const { state, table } = target(ctx, input['ResourceArn']);
  const policy = checkedPolicy(ctx, String(input['Policy'] ?? ''));
  checkRevision(table, input['ExpectedRevisionId']);
  table.policy = policy;
  state.tables.set(table.name, table);
  return { RevisionId: table.policy.revision };
};

export const getResourcePolicy: Handler = (input, ctx) => {
  const { table } = target(ctx, input['ResourceArn']);
  if (!table.policy) throw new AwsError('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${String(input['ResourceArn'])}`, 400);
  return { Policy: table.policy.document, RevisionId: table.policy.revision };
};

export const deleteResourcePolicy: Handler = (input, ctx) => {
  const { state, table } = target(ctx, input['ResourceArn']);
  if (!table.policy) throw new AwsError('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${String(input['ResourceArn'])}`, 400);
  checkRevision(table, input['ExpectedRevisionId']);
  const revision = table.policy.revision;
  table.policy = undefined;
  state.tables.set(table.name, table);
  return { RevisionId: revision };
};
