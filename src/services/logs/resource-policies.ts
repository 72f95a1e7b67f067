/**
 * Account-level resource policies of CloudWatch Logs (PutResourcePolicy without a resourceArn):
 * what lets AWS services such as EventBridge (`events.amazonaws.com`) or Route 53 write to the
 * account's log groups. At most 10 per account and region, each at most 5,120 characters. The
 * authorization port sees them as one policy of every statement.
 */
import { AwsError } from '../../core/errors.js';
import { parseArn } from '../../core/ids.js';
import type { ResourcePolicyInfo } from '../../core/ports.js';
import type { Collection, Stores } from '../../core/store.js';
import type { Handler } from '../types.js';
import { logsState, type ResourcePolicyRecord as PolicyRecord } from './store.js';


const MAX_POLICIES = 10;
const MAX_LENGTH = 5120;

function policies(stores: Stores, account: string, region: string): Collection<PolicyRecord> {
  return logsState(stores, account, region).policies;
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message, 400);
}

export const putResourcePolicy: Handler = (input, ctx) => {
  if (input['resourceArn'] !== undefined) {
    throw new AwsError('NotImplemented', 'drydock does not implement resource policies on a single log group (resourceArn) yet', 501);
  }
  const name = input['policyName'];
  const doc = input['policyDocument'];
  if (typeof name !== 'string' || name === '') throw invalid('policyName is required');
  if (typeof doc !== 'string' || doc === '') throw invalid('policyDocument is required');
  if (doc.length > MAX_LENGTH) throw new AwsError('LimitExceededException', `Policy document length is greater than the maximum of ${MAX_LENGTH} characters.`, 400);
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    throw new AwsError('MalformedPolicyDocumentException', 'Policy document is not valid JSON', 400);
  }
  if (!parsed || typeof parsed !== 'object' || !('Statement' in parsed)) {
    throw new AwsError('MalformedPolicyDocumentException', 'Policy document must contain a Statement', 400);
  }
  const all = policies(ctx.stores, ctx.account, ctx.region);
  if (!all.has(name) && all.size >= MAX_POLICIES) {
    throw new AwsError('LimitExceededException', 'Resource limit exceeded.', 400);
  }
  const rec: PolicyRecord = { policyName: name, policyDocument: doc, lastUpdatedTime: ctx.clock.nowMs(), revisionId: ctx.requestId };
  all.set(name, rec);
  return { resourcePolicy: view(rec), revisionId: rec.revisionId };
};

function view(rec: PolicyRecord): Record<string, unknown> {
  return { policyName: rec.policyName, policyDocument: rec.policyDocument, lastUpdatedTime: rec.lastUpdatedTime, policyScope: 'ACCOUNT', revisionId: rec.revisionId };
}

export const describeResourcePolicies: Handler = (_input, ctx) => ({
  resourcePolicies: [...policies(ctx.stores, ctx.account, ctx.region).values()].map(view),
});

export const deleteResourcePolicy: Handler = (input, ctx) => {
  const all = policies(ctx.stores, ctx.account, ctx.region);
  const name = String(input['policyName'] ?? '');
  if (!all.delete(name)) throw new AwsError('ResourceNotFoundException', 'Policy with the specified name does not exist.', 400);
  return {};
};

/** For authorization: every account-level policy of the log group's account and region, as one. */
export function logsPolicyLookup(stores: Stores): (arn: string) => ResourcePolicyInfo | undefined {
  return (arn) => {
    const a = parseArn(arn);
    if (!a || !a.account || !a.region) return undefined;
    const all = [...policies(stores, a.account, a.region).values()];
    if (all.length === 0) return undefined;
    const statements = all.flatMap((p) => {
      const s = (JSON.parse(p.policyDocument) as { Statement: unknown }).Statement;
      return Array.isArray(s) ? s : [s];
    });
    return { document: JSON.stringify({ Version: '2012-10-17', Statement: statements }), account: a.account, id: `logs:${a.account}:${a.region}/resource-policies` };
  };
}
