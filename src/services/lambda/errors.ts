/** Lambda's errors, with AWS's codes, statuses and messages (`Type: User` as AWS sends it). */
import { AwsError, validationMessage } from '../../core/errors.js';

function user(code: string, message: string, status: number, fields: Record<string, unknown> = {}): AwsError {
  return new AwsError(code, message, status, { fields: { Type: 'User', ...fields } });
}

export function functionNotFound(arn: string): AwsError {
  return user('ResourceNotFoundException', `Function not found: ${arn}`, 404);
}

export function notFound(message: string): AwsError {
  return user('ResourceNotFoundException', message, 404);
}

export function invalidParameter(message: string): AwsError {
  return user('InvalidParameterValueException', message, 400);
}

export function conflict(message: string): AwsError {
  return user('ResourceConflictException', message, 409);
}

export function preconditionFailed(api = 'GetFunction/GetAlias'): AwsError {
  return user('PreconditionFailedException',
    `The Revision Id provided does not match the latest Revision Id. Call the ${api} API to retrieve the latest Revision Id`, 412);
}

/** A constraint failure, as AWS's validation layer words it. */
export function validation(value: string, member: string, constraint: string): AwsError {
  return new AwsError('ValidationException', validationMessage([`Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`]), 400);
}

export type ThrottleReason =
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  | 'ConcurrentInvocationLimitExceeded'
  | 'ProvisionedConcurrencyLimitExceeded';

export function throttled(reason: ThrottleReason): AwsError {
  return user('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: reason });
}

export function requestTooLarge(message: string): AwsError {
  return user('RequestTooLargeException', message, 413);
}
