/**
 * Organizations errors, named and worded as AWS answers them. Errors with a `Reason`
 * member (ConstraintViolationException, InvalidInputException, …) carry it as a field.
 */
import { AwsError } from '../../core/errors.js';

function err(code: string, message: string, reason?: string): AwsError {
  return new AwsError(code, message, 400, reason === undefined ? {} : { fields: { Reason: reason } });
}

export const errors = {
  notInUse: () => err('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.'),
  accessDenied: () => err('AccessDeniedException', "You don't have permissions to access this resource."),
  alreadyInOrganization: () => err('AlreadyInOrganizationException', 'The provided account is already a member of an organization.'),
  accountNotFound: () => err('AccountNotFoundException', "You specified an account that doesn't exist."),
  duplicateAccount: () => err('DuplicateAccountException', 'That account is already present in the specified destination.'),
  parentNotFound: () => err('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified."),
  sourceParentNotFound: () => err('SourceParentNotFoundException', "We can't find a source root or OU with the ParentId that you specified."),
  destinationParentNotFound: () => err('DestinationParentNotFoundException', "We can't find the destination container (a root or OU) with the ParentId that you specified."),
  childNotFound: () => err('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified."),
  ouNotFound: () => err('OrganizationalUnitNotFoundException', "We can't find an OU with the OrganizationalUnitId that you specified."),
  ouNotEmpty: () => err('OrganizationalUnitNotEmptyException', 'The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.'),
  duplicateOu: () => err('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.'),
  rootNotFound: () => err('RootNotFoundException', "We can't find a root with the RootId that you specified."),
  targetNotFound: () => err('TargetNotFoundException', "We can't find a root, OU, account, or policy with the TargetId that you specified."),
  policyNotFound: () => err('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified."),
  duplicatePolicy: () => err('DuplicatePolicyException', 'A policy with the same name already exists.'),
  duplicateAttachment: () => err('DuplicatePolicyAttachmentException', 'The selected policy is already attached to the specified target.'),
  policyNotAttached: () => err('PolicyNotAttachedException', "The policy isn't attached to the specified target in the specified root."),
  policyInUse: () => err('PolicyInUseException', 'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.'),
  typeNotEnabled: () => err('PolicyTypeNotEnabledException', 'This operation can be performed only for enabled policy types.'),
  typeAlreadyEnabled: () => err('PolicyTypeAlreadyEnabledException', 'The specified policy type is already enabled.'),
  typeNotAvailable: () => err('PolicyTypeNotAvailableForOrganizationException', "You can't use the specified policy type with the feature set currently enabled for this organization."),
  malformedPolicy: () => err('MalformedPolicyDocumentException', 'The provided policy document does not meet the requirements of the specified policy type.'),
  masterCannotLeave: () => err('MasterCannotLeaveOrganizationException', "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization."),
  orgNotEmpty: () => err('OrganizationNotEmptyException', 'To delete an organization you must first remove all member accounts (except the management account).'),
  createStatusNotFound: () => err('CreateAccountStatusNotFoundException', "We can't find an create account request with the CreateAccountRequestId that you specified."),
  handshakeNotFound: () => err('HandshakeNotFoundException', "We can't find a handshake with the HandshakeId that you specified."),
  handshakeTransition: () => err('InvalidHandshakeTransitionException', "You can't perform the operation on the handshake in its current state."),
  handshakeAlreadyInState: () => err('HandshakeAlreadyInStateException', 'The specified handshake is already in the requested state.'),
  duplicateHandshake: () => err('DuplicateHandshakeException', 'A handshake with the same action and target already exists.'),
  handshakeConstraint: (reason: string, message: string) => err('HandshakeConstraintViolationException', message, reason),
  alreadyRegistered: () => err('AccountAlreadyRegisteredException', 'The provided account is already a delegated administrator for your organization.'),
  notRegistered: () => err('AccountNotRegisteredException', 'The provided account is not a registered delegated administrator for your organization.'),
  effectivePolicyNotFound: () => err('EffectivePolicyNotFoundException', "We can't find an effective policy of that type for the specified target."),
  constraint: (reason: ConstraintReason) => err('ConstraintViolationException', CONSTRAINT_MESSAGES[reason], reason),
  invalidInput: (reason: string, message: string) => err('InvalidInputException', message, reason),
};

export type ConstraintReason = keyof typeof CONSTRAINT_MESSAGES;

const CONSTRAINT_MESSAGES = {
  MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED: 'You have attached the maximum number of policies of the specified type to the entity.',
  MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED: 'You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.',
  POLICY_CONTENT_LIMIT_EXCEEDED: 'You attempted to create a policy that is larger than the maximum size.',
  POLICY_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the number of policies that you can have in an organization.',
  OU_DEPTH_LIMIT_EXCEEDED: 'You attempted to create an OU tree that is too many levels deep.',
  OU_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the number of OUs that you can have in an organization.',
  ACCOUNT_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the limit on the number of accounts in an organization.',
  CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR: 'You cannot register the management account of the organization as a delegated administrator for an AWS service integrated with Organizations.',
  CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG: 'You cannot remove an account that is a delegated administrator from the organization. Deregister it first.',
  MASTER_ACCOUNT_MISSING_BUSINESS_LICENSE: 'The management account is missing a business license.',
} as const;
