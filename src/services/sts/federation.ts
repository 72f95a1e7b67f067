/**
 * GetSessionToken and GetFederationToken: sessions for an IAM user (or the root user) made
 * from long-term credentials. A session token keeps the caller's identity and adds MFA; a
 * federation token is a new federated-user principal whose permissions are the issuing
 * user's cut down by the session policies passed here (none passed: no permissions).
 */
import type { Principal } from '../../core/identity.js';
import { partitionOf } from '../../core/ids.js';
import type { Handler } from '../types.js';
import { isTemporary, requestMfa } from './assume-role.js';
import { issueCredentials } from './credentials.js';
import { accessDenied, throwProblems } from './errors.js';
import { packedPolicySize, readSessionPolicies, readSessionTags, withSession } from './session.js';
import {
  checkRange,
  checkSessionPolicyMembers,
  checkString,
  checkTagMembers,
  FEDERATED_NAME,
  SERIAL_NUMBER,
  TOKEN_CODE,
} from './validate.js';

const LONG_MAX = 129600;
const LONG_DEFAULT = 43200;
// Sessions of the root user last at most an hour; longer requests are cut, not refused.
const ROOT_MAX = 3600;

function durationFor(requested: unknown, caller: Principal): number {
  const d = requested === undefined ? LONG_DEFAULT : Number(requested);
  return caller.type === 'root' ? Math.min(d, ROOT_MAX) : d;
}

export const getSessionToken: Handler = (input, ctx) => {
  const problems: string[] = [];
  checkRange(problems, input['DurationSeconds'], 'durationSeconds', 900, LONG_MAX);
  checkString(problems, input['SerialNumber'], 'serialNumber', SERIAL_NUMBER);
  checkString(problems, input['TokenCode'], 'tokenCode', TOKEN_CODE);
  throwProblems(problems);
  const caller = ctx.principal;
  if (isTemporary(ctx) || (caller.type !== 'user' && caller.type !== 'root')) {
    throw accessDenied('Cannot call GetSessionToken with session credentials');
  }
  const mfa = requestMfa(input);
  const principal = withSession(caller, { mfa, issuedAt: ctx.clock.now().toISOString() });
  return { Credentials: issueCredentials(ctx, principal, durationFor(input['DurationSeconds'], caller)) };
};

export const getFederationToken: Handler = (input, ctx) => {
  const problems: string[] = [];
  checkString(problems, input['Name'], 'name', FEDERATED_NAME);
  checkRange(problems, input['DurationSeconds'], 'durationSeconds', 900, LONG_MAX);
  checkSessionPolicyMembers(problems, input);
  checkTagMembers(problems, input);
  throwProblems(problems);
  const caller = ctx.principal;
  if (isTemporary(ctx) || (caller.type !== 'user' && caller.type !== 'root')) {
    throw accessDenied('Cannot call GetFederationToken with session credentials');
  }
  const name = String(input['Name']);
  const tags = readSessionTags(input, caller);
  const policies = readSessionPolicies(input);
  const packed = packedPolicySize(policies, tags.tags);
  const base: Principal = {
    type: 'federated-user',
    account: caller.account,
    arn: `arn:${partitionOf(ctx.region)}:sts::${caller.account}:federated-user/${name}`,
    userId: `${caller.account}:${name}`,
    name,
    issuerArn: caller.arn,
  };
  if (caller.type === 'user' && caller.name !== undefined) base.issuerName = caller.name;
  const principal = withSession(base, { tags, policies, issuedAt: ctx.clock.now().toISOString() });
  return {
    Credentials: issueCredentials(ctx, principal, durationFor(input['DurationSeconds'], caller)),
    FederatedUser: { Arn: principal.arn, FederatedUserId: principal.userId },
    PackedPolicySize: packed,
  };
};
