/**
 * Policy validation errors. The engine throws {@link MalformedPolicyError}; the service
 * that received the document maps it to its own error code (IAM `MalformedPolicyDocument`,
 * S3 `MalformedPolicy`, Organizations `MalformedPolicyDocumentException`, KMS
 * `MalformedPolicyDocumentException`) and uses `message`, which carries AWS's text for
 * that family of policies.
 */
import type { PolicyKind } from './types.js';

/** Why a policy document was refused; stable codes a provider can switch on. */
export type MalformedReason =
  | 'json'
  | 'syntax'
  | 'unknown-field'
  | 'version'
  | 'legacy-parsing'
  | 'sid-unique'
  | 'sid-format'
  | 'missing-statement'
  | 'missing-effect'
  | 'effect-invalid'
  | 'missing-actions'
  | 'missing-resources'
  | 'action-vendor'
  | 'action-colon'
  | 'action-vendor-invalid'
  | 'resource-format'
  | 'resource-partition'
  | 'resource-vendor'
  | 'resource-region'
  | 'principal-prohibited'
  | 'principal-missing'
  | 'principal-invalid'
  | 'field-prohibited'
  | 'trust-action'
  | 'condition-invalid';

/** Facts about the offending element, used to fill AWS's message templates. */
export interface IssueSubject {
  /** The field, action, vendor, effect, resource or principal text at fault. */
  readonly value?: string;
  /** The ARN partition at fault, for `resource-partition`. */
  readonly partition?: string;
  /** The principal type (`AWS`, `Service`, …), for `principal-invalid`. */
  readonly principalType?: string;
  /** The ARN's service, for `resource-region`. */
  readonly service?: string;
}

/**
 * Thrown inside the parser; {@link parsePolicy} turns it into a {@link MalformedPolicyError}
 * once the policy kind (and so AWS's wording) is known.
 */
export class PolicyIssue extends Error {
  readonly reason: MalformedReason;
  readonly subject: IssueSubject;

  constructor(reason: MalformedReason, detail: string, subject: IssueSubject = {}) {
    super(detail);
    this.name = 'PolicyIssue';
    this.reason = reason;
    this.subject = subject;
  }
}

/** A policy document that AWS would refuse. */
export class MalformedPolicyError extends Error {
  /** Stable reason code. */
  readonly reason: MalformedReason;
  /** The policy kind it was parsed as. */
  readonly kind: PolicyKind;
  /** Our own explanation: lowercase, the offending input in backticks. */
  readonly detail: string;

  constructor(kind: PolicyKind, issue: PolicyIssue) {
    super(awsMessage(kind, issue.reason, issue.subject));
    this.name = 'MalformedPolicyError';
    this.reason = issue.reason;
    this.kind = kind;
    this.detail = issue.message;
  }
}

const SYNTAX = 'Syntax errors in policy.';

// IAM's wording (CreatePolicy, Put*Policy, CreateRole, STS session policies).
function iamMessage(reason: MalformedReason, s: IssueSubject): string {
  switch (reason) {
    case 'version':
      return 'Policy document must be version 2012-10-17 or greater.';
    case 'legacy-parsing':
      return 'The policy failed legacy parsing';
    case 'sid-unique':
      return 'Statement IDs (SID) in a single policy must be unique.';
    case 'sid-format':
      return 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
    case 'missing-actions':
      return 'Policy statement must contain actions.';
    case 'missing-resources':
      return 'Policy statement must contain resources.';
    case 'action-vendor':
      return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
    case 'action-colon':
      return 'Actions/Condition can contain only one colon.';
    case 'action-vendor-invalid':
      return `Vendor ${s.value ?? ''} is not valid`;
    case 'resource-format':
      return `Resource ${s.value ?? ''} must be in ARN format or "*".`;
    case 'resource-partition':
      return `Partition "${s.partition ?? ''}" is not valid for resource "${s.value ?? ''}".`;
    case 'resource-vendor':
      return 'Resource vendor must be fully qualified and cannot contain regexes.';
    case 'resource-region':
      return s.service === 'iam'
        ? `IAM resource ${s.value ?? ''} cannot contain region information.`
        : `Resource ${s.value ?? ''} can not contain region information.`;
    case 'principal-prohibited':
      return 'Policy document should not specify a principal.';
    case 'principal-missing':
      return 'Missing required field Principal';
    case 'principal-invalid':
      return `Invalid principal in policy: "${s.principalType ?? 'AWS'}":"${s.value ?? ''}"`;
    case 'field-prohibited':
      return `Has prohibited field ${s.value ?? ''}`;
    case 'trust-action':
      return 'AssumeRole policy may only specify STS AssumeRole actions.';
    default:
      return SYNTAX;
  }
}

// S3's wording (PutBucketPolicy), used for generic resource-based policies.
function s3Message(reason: MalformedReason, s: IssueSubject): string {
  switch (reason) {
    case 'json':
      return "Policies must be valid JSON and the first byte must be '{'";
    case 'unknown-field':
      return `Unknown field ${s.value ?? ''}`;
    case 'missing-statement':
      return 'Missing required field Statement';
    case 'missing-effect':
      return 'Missing required field Effect';
    case 'effect-invalid':
      return `Invalid effect: ${s.value ?? ''}`;
    case 'missing-actions':
      return 'Missing required field Action';
    case 'missing-resources':
      return 'Missing required field Resource';
    case 'principal-missing':
      return 'Missing required field Principal';
    case 'principal-invalid':
      return 'Invalid principal in policy';
    case 'action-vendor':
    case 'action-colon':
    case 'action-vendor-invalid':
      return 'Policy has invalid action';
    case 'resource-format':
    case 'resource-partition':
    case 'resource-vendor':
    case 'resource-region':
    case 'legacy-parsing':
      return 'Policy has invalid resource';
    case 'condition-invalid':
      return 'Policy has an invalid condition key';
    default:
      return iamMessage(reason, s);
  }
}

/** AWS's message for a refused document of the given kind. */
export function awsMessage(kind: PolicyKind, reason: MalformedReason, subject: IssueSubject): string {
  switch (kind) {
    case 'scp':
    case 'rcp':
      // Organizations answers every syntax problem with one sentence.
      return 'The provided policy document does not meet the requirements of the specified policy type.';
    case 'resource':
      return s3Message(reason, subject);
    case 'key':
      return reason === 'principal-invalid'
        ? 'Policy contains a statement with one or more invalid principals.'
        : iamMessage(reason, subject);
    default:
      return iamMessage(reason, subject);
  }
}
