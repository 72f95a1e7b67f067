/**
 * The IAM policy engine: parse and validate policy documents as AWS does, and decide
 * requests with AWS's evaluation logic, explaining which statements decided.
 *
 * Pure: no I/O, no clock (the caller passes `now`), no imports from the rest of Drydock.
 * Specification: docs/engines/iam-policy.md.
 */
export { getContextKeys, parsePolicy, Policy, type ParseOptions } from './policy.js';
export { MalformedPolicyError, awsMessage, type MalformedReason } from './errors.js';
export { evaluate } from './evaluate.js';
export { accessDeniedMessage, explainDecision, explicitDenyMessage, implicitDenyMessage } from './explain.js';
export {
  checkPolicySize,
  countPolicyCharacters,
  POLICY_SIZE_LIMITS,
  type PolicySizeCheck,
  type PolicySizeLimit,
  type PolicySizeQuota,
} from './size.js';
export { parseOperator } from './conditions.js';
export type { PolicyVersion } from './validate.js';
export type {
  AuthzRequest,
  ContextValue,
  Decision,
  Effect,
  OrgPolicyLevel,
  PolicyKind,
  PolicyType,
  PrincipalType,
  RequestPrincipal,
  ResourcePolicyInput,
  StatementRef,
} from './types.js';

