/**
 * AssumeRole: validate as AWS's front end does, find the role through the IAM port, let
 * its trust policy decide (with sts:TagSession and sts:SetSourceIdentity when the request
 * sets tags or a source identity), cap the duration, and issue a role session.
 */
import type { Principal } from '../../core/identity.js';
import type { ContextValue } from '../../engines/iam-policy/index.js';
import type { Handler, ServiceContext } from '../types.js';
import { issueCredentials } from './credentials.js';
import { accessDenied, iamUnavailable, invalidParameter, notAuthorized, throwProblems, validationError } from './errors.js';
import { packedPolicySize, readSessionPolicies, readSessionTags, withSession } from './session.js';
import { baseContext, decideTrust, requestPrincipalOf, tagContext } from './trust.js';
import {
  ARN_LENGTH,
  checkRange,
  checkSessionPolicyMembers,
  checkString,
  checkTagMembers,
  EXTERNAL_ID,
  parseRoleArn,
  SERIAL_NUMBER,
  SESSION_NAME,
  SOURCE_IDENTITY,
  TOKEN_CODE,
} from './validate.js';

const DEFAULT_DURATION = 3600;
const CHAINED_MAX = 3600;

/** True when the request was signed with temporary (STS-issued) credentials. */
export function isTemporary(ctx: ServiceContext): boolean {
  if (ctx.accessKeyId === undefined) return false;
  return ctx.identities.lookup(ctx.accessKeyId)?.sessionToken !== undefined;
}

/**
 * The MFA of a request that passes SerialNumber and TokenCode. Drydock has no device
 * secrets to check codes against, so any well-formed six-digit code is accepted.
 */
export function requestMfa(input: Record<string, unknown>): boolean {
  const serial = input['SerialNumber'];
  const code = input['TokenCode'];
  if (serial === undefined && code === undefined) return false;
  if (serial === undefined || code === undefined) throw accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
  return true;
}

export const assumeRole: Handler = (input, ctx) => {
  const caller = ctx.principal;
  const problems: string[] = [];
  checkString(problems, input['RoleArn'], 'roleArn', ARN_LENGTH);
  checkString(problems, input['RoleSessionName'], 'roleSessionName', SESSION_NAME);
  checkRange(problems, input['DurationSeconds'], 'durationSeconds', 900, 43200);
  checkSessionPolicyMembers(problems, input);
  checkTagMembers(problems, input);
  checkString(problems, input['ExternalId'], 'externalId', EXTERNAL_ID);
  checkString(problems, input['SourceIdentity'], 'sourceIdentity', SOURCE_IDENTITY);
  checkString(problems, input['SerialNumber'], 'serialNumber', SERIAL_NUMBER);
  checkString(problems, input['TokenCode'], 'tokenCode', TOKEN_CODE);
  throwProblems(problems);

  const roleArn = String(input['RoleArn']);
  const sessionName = String(input['RoleSessionName']);
  const arn = parseRoleArn(roleArn);
  if (arn === undefined) throw validationError(`${roleArn} is invalid`);
  const tags = readSessionTags(input, caller);
  const policies = readSessionPolicies(input);
  const mfaNow = requestMfa(input);
  const iam = ctx.ports.iam;
  if (iam === undefined) throw iamUnavailable('AssumeRole');

  // Federated-user sessions may call no STS operation but GetCallerIdentity.
  const role = arn.isRole && caller.type !== 'federated-user' && caller.type !== 'anonymous' ? iam.role(arn.account, arn.roleName) : undefined;
  if (role === undefined) throw notAuthorized(caller.arn, 'sts:AssumeRole', roleArn);

  const sourceIdentity = inheritSourceIdentity(caller, input['SourceIdentity'] as string | undefined);
  const temporary = isTemporary(ctx);
  const mfa = mfaNow || (temporary && caller.mfa === true);
  const context: Record<string, ContextValue> = {
    ...baseContext(ctx, caller, temporary),
    'sts:RoleSessionName': sessionName,
  };
  if (mfaNow) {
    context['aws:MultiFactorAuthPresent'] = true;
    context['aws:MultiFactorAuthAge'] = 0;
  }
  if (input['ExternalId'] !== undefined) context['sts:ExternalId'] = String(input['ExternalId']);
  if (input['SourceIdentity'] !== undefined) context['sts:SourceIdentity'] = String(input['SourceIdentity']);
  tagContext(context, tags.requested, (input['TransitiveTagKeys'] as string[] | undefined) ?? []);
  const actions = ['sts:AssumeRole'];
  if (Object.keys(tags.requested).length > 0) actions.push('sts:TagSession');
  if (input['SourceIdentity'] !== undefined) actions.push('sts:SetSourceIdentity');
  const trust = decideTrust(ctx, role, requestPrincipalOf(caller, ctx), actions, context);
  if (!trust.allowed) throw notAuthorized(caller.arn, trust.action, roleArn);

  const duration = input['DurationSeconds'] === undefined ? DEFAULT_DURATION : Number(input['DurationSeconds']);
  if (caller.type === 'assumed-role' && duration > CHAINED_MAX) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (duration > role.maxSessionDuration) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const packed = packedPolicySize(policies, tags.tags);

  const partition = arn.partition;
  const base: Principal = {
    type: 'assumed-role',
    account: role.account,
    arn: `arn:${partition}:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    name: sessionName,
    issuerArn: role.arn,
    issuerName: role.name,
  };
  const principal = withSession(base, { tags, policies, sourceIdentity, mfa, issuedAt: ctx.clock.now().toISOString() });
  const out: Record<string, unknown> = {
    Credentials: issueCredentials(ctx, principal, duration),
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
  };
  if (policies.policy !== undefined || policies.policyArns !== undefined || Object.keys(tags.tags).length > 0) out['PackedPolicySize'] = packed;
  if (sourceIdentity !== undefined) out['SourceIdentity'] = sourceIdentity;
  return out;
};

/** A chained session keeps the first source identity; it may be repeated but not changed. */
function inheritSourceIdentity(caller: Principal, requested: string | undefined): string | undefined {
  if (caller.sourceIdentity === undefined) return requested;
  if (requested !== undefined && requested !== caller.sourceIdentity) {
    throw invalidParameter('The source identity of a role session cannot be changed in a chained role session.');
  }
  return caller.sourceIdentity;
}
